"""`seed-demo`: one command fills an empty database with a believable province, and running it again
changes nothing."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from elearn.accounts import domain
from elearn.accounts.domain import Category, Role, TheoryLevel, UnitKind
from elearn.accounts.models import Profile, Unit, User
from elearn.core import clock
from elearn.core.text import fold
from elearn.demo import PASSWORDS, demo_logins, seed
from elearn.demo import people as demo_people
from elearn.extensions import db
from tests.conftest import csrf_token


@pytest.fixture
def seeded(demo_seeded):
    """seed()'s result, seeded once per test session (tests/integration/conftest.py)."""
    return demo_seeded


def _users(role: str) -> list[User]:
    return [u for u in db.session.scalars(select(User).order_by(User.id)) if u.has_role(role)]


def _row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_the_province_has_agencies_departments_communes_and_wards(seeded):
    province = db.session.scalar(select(Unit).where(Unit.code == "TINH"))
    assert province is not None and province.kind == UnitKind.PROVINCE and province.parent_id is None
    kinds = Counter(u.kind for u in province.children)
    assert kinds[UnitKind.AGENCY] >= 10
    assert kinds[UnitKind.COMMUNE] + kinds[UnitKind.WARD] >= 20
    assert kinds[UnitKind.COMMUNE] and kinds[UnitKind.WARD]
    names = {u.name for u in province.children}
    assert {"Ban Tổ chức Tỉnh ủy", "Sở Nội vụ", "Trường Chính trị tỉnh"} <= names
    departments = db.session.scalars(select(Unit).where(Unit.kind == UnitKind.DEPARTMENT)).all()
    assert len({d.parent_id for d in departments}) >= 3
    assert all(d.parent.kind == UnitKind.AGENCY for d in departments)
    for unit in province.children:  # every kind sits where the two-level rules allow it
        assert domain.check_unit_kind(UnitKind.PROVINCE, unit.kind) is None
    assert "Demo data created" in seeded[0]


def test_people_roles_and_valid_profiles(seeded):
    learners, lecturers, admins = _users(Role.LEARNER), _users(Role.LECTURER), _users(Role.ADMIN)
    assert 180 <= len(learners) <= 220
    assert len(lecturers) == 3 and len(admins) == 1
    everyone = db.session.scalars(select(User)).all()
    assert len(everyone) == len(learners) + 3 + 1
    year = clock.today_local().year
    for user in everyone:
        p = user.profile
        assert p is not None, user.username
        data = domain.ProfileData(unit_id=p.unit_id, position=p.position, job_position=p.job_position,
                                  gender=p.gender, ethnicity=p.ethnicity, birth_year=p.birth_year,
                                  party_member=p.party_member, party_joined_year=p.party_joined_year,
                                  theory_level=p.theory_level, education_level=p.education_level,
                                  categories=p.categories)
        assert domain.validate_profile(data, year) == {}, (user.full_name, p.position)
        assert p.position and p.job_position and p.education_level
        assert domain.validate_username(user.username) is None
    assert all("Trường Chính trị tỉnh" in [u.name for u in lec.profile.unit.path()] for lec in lecturers)
    assert "Ban Tổ chức Tỉnh ủy" in [u.name for u in admins[0].profile.unit.path()]
    assert len({u.username for u in everyone}) == len(everyone)


def test_names_and_usernames_are_vietnamese(seeded):
    learners = _users(Role.LEARNER)
    with_diacritics = [u for u in learners if fold(u.full_name) != u.full_name.lower()]
    assert len(with_diacritics) >= 0.9 * len(learners)
    families = Counter(u.full_name.split()[0] for u in learners)
    assert families.most_common(1)[0][0] == "Nguyễn"
    assert {"Trần", "Lê", "Hoàng"} <= set(families)
    for user in learners:
        assert len(user.full_name.split()) >= 3
        assert user.username.rstrip("0123456789") == fold(user.full_name).replace(" ", "")


def test_a_realistic_mix_of_cadres(seeded):
    profiles = [u.profile for u in _users(Role.LEARNER)]
    n = len(profiles)
    women = sum(p.gender == domain.Gender.FEMALE for p in profiles)
    minorities = [p for p in profiles if domain.is_ethnic_minority(p.ethnicity)]
    party = sum(p.party_member for p in profiles)
    assert 0.35 <= women / n <= 0.55
    assert 0.30 <= len(minorities) / n <= 0.50
    assert len({p.ethnicity for p in minorities}) >= 5
    assert 0.65 <= party / n <= 0.85
    assert all(1966 <= p.birth_year <= 2001 for p in profiles)
    young = [p for p in profiles if domain.is_young_cadre(p.birth_year, demo_people.DATA_YEAR)]
    assert 0.10 <= len(young) / n <= 0.40
    assert any(domain.is_young_cadre(p.birth_year, clock.today_local().year) for p in profiles)
    levels = Counter(p.theory_level for p in profiles)
    assert set(levels) == set(TheoryLevel)
    assert levels[TheoryLevel.ELEMENTARY] + levels[TheoryLevel.INTERMEDIATE] > levels[TheoryLevel.ADVANCED]
    assert levels[TheoryLevel.ADVANCED] > levels[TheoryLevel.BACHELOR] > 0
    assert all(p.theory_level in (TheoryLevel.NONE, TheoryLevel.ELEMENTARY) for p in profiles if not p.party_member)


def test_management_categories_fit_the_posts(seeded):
    profiles = [u.profile for u in _users(Role.LEARNER)]
    by_category = {c: [p for p in profiles if c in p.categories] for c in Category}
    localities = db.session.scalars(select(Unit).where(Unit.kind.in_([UnitKind.COMMUNE, UnitKind.WARD]))).all()
    secretaries = by_category[Category.COMMUNE_SECRETARY]
    assert sorted(p.unit_id for p in secretaries) == sorted(u.id for u in localities)  # one per commune
    assert all(p.position.startswith("Bí thư Đảng ủy") for p in secretaries)
    standing = by_category[Category.STANDING_COMMITTEE]
    assert 10 <= len(standing) <= 20
    assert all(p.unit.kind == UnitKind.AGENCY for p in standing)
    assert by_category[Category.IN_PLANNING]
    commune_staff = [p for p in profiles if p.unit.kind in (UnitKind.COMMUNE, UnitKind.WARD)]
    assert any(p.position.startswith("Chủ tịch UBND") or ", Chủ tịch UBND" in p.position for p in commune_staff)
    assert any(p.position.startswith("Công chức") for p in commune_staff)
    assert any(p.position in ("Chuyên viên", "Chuyên viên chính") for p in profiles)


def test_the_demo_logins_sign_in_through_the_login_form(seeded, client):
    logins = demo_logins()
    assert {role for _u, _p, role, _who in logins} == {"admin", "lecturer", "learner"}
    assert all(any(username in line for line in seeded) for username, *_rest in logins)
    assert any(PASSWORDS[Role.LEARNER] in line for line in seeded)
    for username, password, _role, _who in logins:
        browser = client.application.test_client()  # a fresh browser per account
        token = csrf_token(browser, "/login")
        response = browser.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert response.status_code == 302, username
        assert "/login" not in response.headers["Location"] and "/password" not in response.headers["Location"]
        page = browser.get("/profile")
        assert page.status_code == 200
        user = db.session.scalar(select(User).where(User.username == username))
        assert user.full_name in page.get_data(as_text=True)
    # Every learner shares the learner password; a wrong one is refused.
    other = _users(Role.LEARNER)[-1]
    browser = client.application.test_client()
    for password, expected in (("hocvien@2024", 200), (PASSWORDS[Role.LEARNER], 302)):
        token = csrf_token(browser, "/login")
        response = browser.post("/login", data={"username": other.username, "password": password,
                                                "csrf_token": token})
        assert response.status_code == expected


def test_running_the_seed_twice_changes_nothing(seeded):
    before = _row_counts()
    assert before["user"] >= 200 and before["unit"] >= 30
    again = seed()
    assert _row_counts() == before
    assert "already" in again[0]
    assert [u for u, *_rest in demo_logins()] and all(any(u in line for line in again) for u, *_r in demo_logins())


def test_the_demo_is_the_same_every_time():
    first, second = demo_people.learners(), demo_people.learners()
    assert [(p.full_name, p.unit_code, p.birth_year, p.gender) for p in first] == \
        [(p.full_name, p.unit_code, p.birth_year, p.gender) for p in second]


def test_existing_accounts_keep_their_usernames(app, factory):
    existing = factory.admin("admin", full_name="Lê Văn Quản Trị")
    seed()
    assert db.session.get(User, existing.id).full_name == "Lê Văn Quản Trị"
    admin_row = next(row for row in demo_logins() if row[2] == "admin")
    assert admin_row[0] != "admin"
    assert db.session.scalar(select(func.count()).select_from(User).where(User.username == admin_row[0])) == 1


def test_refuses_when_the_unit_codes_are_taken(app, factory):
    factory.unit("Sở Nội vụ (cũ)", "province", code="SNV")
    lines = seed()
    assert "SNV" in lines[0]
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 1
    assert db.session.scalar(select(func.count()).select_from(Profile)) == 0
