"""Demo data: a province with its agencies, communes and wards, about 200 cadres, lecturers and an admin.

`flask --app wsgi seed-demo` (run by `make run`) calls seed(). It is idempotent: once the demo province
exists it changes nothing and prints the demo logins again. Everything is written in one transaction.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import current_app
from sqlalchemy import select

from elearn.accounts import domain
from elearn.accounts.domain import Role, UnitKind
from elearn.accounts.models import Profile, Unit, User, UserRole
from elearn.accounts.passwords import hash_password
from elearn.core import audit, clock
from elearn.core.text import fold
from elearn.demo import courses as demo_courses
from elearn.demo import people as people_data
from elearn.demo.people import ADMIN, LECTURERS, PersonSpec
from elearn.demo.units import AGENCIES, LOCALITIES, PROVINCE_CODE, PROVINCE_NAME, all_codes
from elearn.extensions import db

# Known passwords of the demo accounts (every demo learner shares the learner password).
PASSWORDS = {Role.ADMIN: "quantri@2025", Role.LECTURER: "giangvien@2025", Role.LEARNER: "hocvien@2025"}
ADMIN_USERNAME = "admin"


def seed() -> list[str]:
    """Create the demo when the database does not have it yet; returns the lines to print."""
    if db.session.scalar(select(Unit.id).where(Unit.code == PROVINCE_CODE)) is not None:
        # The people are there; the courses may not be (a database seeded by an older version).
        return [f"Demo data already present (unit {PROVINCE_CODE}).", demo_courses.seed_courses(),
                *_feature_lines(), "", *_login_lines()]
    clash = sorted(db.session.scalars(select(Unit.code).where(Unit.code.in_(all_codes()))))
    if clash:
        return [f"Demo data not added: these unit codes are already used: {', '.join(clash)}. Nothing changed."]
    try:
        units = _create_units()
        counts = _create_people(units)
        audit.record(None, "demo.seed", units[PROVINCE_CODE], after=counts)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    courses_line = demo_courses.seed_courses()
    return [
        f"Demo data created: {PROVINCE_NAME} ({PROVINCE_CODE}) with {counts['agencies']} provincial agencies, "
        f"{counts['departments']} departments, {counts['communes']} communes and {counts['wards']} wards.",
        f"People created: {counts['learners']} learners, {counts['lecturers']} lecturers, "
        f"{counts['admins']} administrator.",
        courses_line,
        *_feature_lines(),
        "",
        *_login_lines(),
    ]


def _feature_lines() -> list[str]:
    """Demo data of the features built on the courses, in dependency order; each step is idempotent."""
    return [step() for step in _feature_steps()]


def _feature_steps() -> list:
    # One import and one entry per feature (quizzes, certificates, live, documents, forums).
    from elearn.demo.assignments import seed_assignments
    from elearn.demo.certificates import seed_certificates
    from elearn.demo.documents import seed_documents
    from elearn.demo.forums import seed_forums
    from elearn.demo.live import seed_live
    from elearn.demo.quizzes import seed_quizzes

    # seed_certificates stays last (after quizzes too): it issues for the completions the other steps record.
    return [seed_live, seed_documents, seed_assignments, seed_forums, seed_quizzes, seed_certificates]


# --- units ----------------------------------------------------------------------------------------

def _unit(code: str, name: str, kind: str, parent: Unit | None) -> Unit:
    problem = domain.check_unit_kind(parent.kind if parent else None, kind)
    if problem:  # the demo's own tree breaks a rule: a programming error
        raise RuntimeError(f"demo unit {code}: {problem}")
    unit = Unit(code=code, kind=kind, parent=parent)
    unit.set_name(name)
    db.session.add(unit)
    return unit


def _create_units() -> dict[str, Unit]:
    province = _unit(PROVINCE_CODE, PROVINCE_NAME, UnitKind.PROVINCE, None)
    units = {PROVINCE_CODE: province}
    for agency in AGENCIES:
        units[agency.code] = parent = _unit(agency.code, agency.name, UnitKind.AGENCY, province)
        for dept in agency.departments:
            units[dept.code] = _unit(dept.code, dept.name, UnitKind.DEPARTMENT, parent)
    for loc in LOCALITIES:
        units[loc.code] = _unit(loc.code, loc.name, loc.kind, province)
    db.session.flush()  # the profiles need the unit ids
    return units


# --- people ---------------------------------------------------------------------------------------

def _username(full_name: str, taken: set[str]) -> str:
    base = "".join(ch for ch in fold(full_name) if ch.isascii() and ch.isalnum()) or "canbo"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _check_password(password: str, username: str, full_name: str) -> None:
    problem = domain.password_problem(password, current_app.config["PASSWORD_MIN_LENGTH"], username, full_name)
    if problem:
        raise RuntimeError(f"demo password for {username}: {problem}")


def _create_people(units: dict[str, Unit]) -> dict[str, int]:
    year = clock.today_local().year
    taken = set(db.session.scalars(select(User.username)))
    # Argon2 at production cost takes tens of milliseconds: hash each distinct password once.
    hashes = {role: hash_password(password) for role, password in PASSWORDS.items()}
    specs = [ADMIN, *LECTURERS, *people_data.learners()]
    users = []
    for spec in specs:
        username = ADMIN_USERNAME if spec is ADMIN and ADMIN_USERNAME not in taken else None
        username = username or _username(spec.full_name, taken)
        taken.add(username)
        _check_password(PASSWORDS[spec.role], username, spec.full_name)
        data = spec.profile_data(units[spec.unit_code].id)
        errors = domain.validate_profile(data, year)
        if errors or domain.validate_username(username):
            raise RuntimeError(f"demo person {spec.full_name}: {errors or domain.validate_username(username)}")
        user = User(username=username, active=True, must_change_password=False,
                    password_hash=hashes[spec.role])
        user.set_full_name(spec.full_name)
        user.set_roles({str(spec.role)})
        fields = asdict(data)
        categories = fields.pop("categories")
        user.profile = Profile(**fields)
        user.profile.set_categories(set(categories))
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    by_role = {role: sum(1 for s in specs if s.role == role) for role in Role}
    return {
        "agencies": len(AGENCIES),
        "departments": sum(len(a.departments) for a in AGENCIES),
        "communes": sum(1 for loc in LOCALITIES if loc.kind == UnitKind.COMMUNE),
        "wards": sum(1 for loc in LOCALITIES if loc.kind == UnitKind.WARD),
        "learners": by_role[Role.LEARNER], "lecturers": by_role[Role.LECTURER], "admins": by_role[Role.ADMIN],
    }


# --- the logins table -------------------------------------------------------------------------------

def _find_username(spec: PersonSpec) -> str | None:
    """The username the demo gave this person (it may carry a digit when the name was taken)."""
    return db.session.scalar(
        select(User.username)
        .join(Profile, Profile.user_id == User.id).join(Unit, Unit.id == Profile.unit_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.full_name == spec.full_name, Unit.code == spec.unit_code, UserRole.role == str(spec.role))
        .order_by(User.id)
        .limit(1)
    )


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, password, role, who) of the demo accounts worth signing in as."""
    learner = people_data.demo_learner(people_data.learners())
    rows = []
    for spec in (ADMIN, *LECTURERS, learner):
        username = _find_username(spec)
        if username:
            unit = db.session.scalar(select(Unit).where(Unit.code == spec.unit_code))
            where = " / ".join(u.name for u in unit.path()[1:]) if unit else ""
            who = f"{spec.full_name} ({spec.position}, {where})"
            rows.append((username, PASSWORDS[spec.role], str(spec.role), who))
    return rows


def _login_lines() -> list[str]:
    rows = demo_logins()
    header = ("Username", "Password", "Role", "Who")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(3)]

    def line(row: tuple[str, ...]) -> str:
        return "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]

    return [
        "Demo logins:",
        line(header),
        line(tuple("-" * w for w in widths) + ("---",)),
        *(line(row) for row in rows),
        f"Every demo learner can sign in with the password {PASSWORDS[Role.LEARNER]}.",
    ]
