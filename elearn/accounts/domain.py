"""Rules about people and units. Pure Python: no Flask, no database."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from elearn.core.text import fold


def N_(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return text


class Role(StrEnum):
    LEARNER = "learner"
    LECTURER = "lecturer"
    ADMIN = "admin"


ROLE_LABELS = {Role.LEARNER: N_("Learner"), Role.LECTURER: N_("Lecturer"), Role.ADMIN: N_("Administrator")}


class UnitKind(StrEnum):
    PROVINCE = "province"
    AGENCY = "agency"
    COMMUNE = "commune"
    WARD = "ward"
    DEPARTMENT = "department"


UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: N_("Province"),
    UnitKind.AGENCY: N_("Provincial agency"),
    UnitKind.COMMUNE: N_("Commune"),
    UnitKind.WARD: N_("Ward"),
    UnitKind.DEPARTMENT: N_("Department"),
}

# Which kinds of unit may sit under which (two-level local government).
ALLOWED_CHILDREN = {
    None: {UnitKind.PROVINCE},
    UnitKind.PROVINCE: {UnitKind.AGENCY, UnitKind.COMMUNE, UnitKind.WARD},
    UnitKind.AGENCY: {UnitKind.DEPARTMENT},
    UnitKind.COMMUNE: {UnitKind.DEPARTMENT},
    UnitKind.WARD: {UnitKind.DEPARTMENT},
    UnitKind.DEPARTMENT: {UnitKind.DEPARTMENT},
}


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


GENDER_LABELS = {Gender.MALE: N_("Male"), Gender.FEMALE: N_("Female")}


class TheoryLevel(StrEnum):
    NONE = "none"
    ELEMENTARY = "elementary"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    BACHELOR = "bachelor"


THEORY_LEVEL_LABELS = {
    TheoryLevel.NONE: N_("None"),
    TheoryLevel.ELEMENTARY: N_("Elementary"),
    TheoryLevel.INTERMEDIATE: N_("Intermediate"),
    TheoryLevel.ADVANCED: N_("Advanced"),
    TheoryLevel.BACHELOR: N_("Bachelor"),
}
THEORY_LEVEL_ORDER = list(TheoryLevel)


class EducationLevel(StrEnum):
    UPPER_SECONDARY = "upper_secondary"
    VOCATIONAL = "vocational"
    COLLEGE = "college"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTOR = "doctor"


EDUCATION_LEVEL_LABELS = {
    EducationLevel.UPPER_SECONDARY: N_("Upper secondary"),
    EducationLevel.VOCATIONAL: N_("Vocational / intermediate"),
    EducationLevel.COLLEGE: N_("College"),
    EducationLevel.BACHELOR: N_("University"),
    EducationLevel.MASTER: N_("Master"),
    EducationLevel.DOCTOR: N_("Doctorate"),
}


class Category(StrEnum):
    """Management categories; a person may have several."""

    STANDING_COMMITTEE = "standing_committee"  # diện Ban Thường vụ Tỉnh ủy quản lý
    COMMUNE_SECRETARY = "commune_secretary"  # bí thư cấp xã
    IN_PLANNING = "in_planning"  # trong quy hoạch


CATEGORY_LABELS = {
    Category.STANDING_COMMITTEE: N_("Managed by the provincial Standing Committee"),
    Category.COMMUNE_SECRETARY: N_("Commune Party secretary"),
    Category.IN_PLANNING: N_("In cadre planning"),
}

# Vietnam's 54 ethnic groups, as officially named.
ETHNICITIES = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai",
    "Mnông", "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
    "Giẻ Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng",
    "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao",
    "Bố Y", "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)
MAJORITY_ETHNICITY = "Kinh"
_ETHNICITY_BY_FOLD = {fold(name).replace("-", " ").replace("  ", " "): name for name in ETHNICITIES}
_ETHNICITY_BY_FOLD.update({"h'mong": "Mông", "hmong": "Mông", "stieng": "Xtiêng", "gie trieng": "Giẻ Triêng",
                           "ede": "Ê Đê", "bru van kieu": "Bru - Vân Kiều", "ba-na": "Ba Na"})

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_BIRTH_YEAR = 1940
MIN_WORKING_AGE = 18
PARTY_MIN_AGE = 18


def normalise_ethnicity(value: str) -> str | None:
    """Return the official name for a user-typed ethnicity, or None when unknown."""
    key = fold(value).replace("-", " ")
    key = re.sub(r"\s+", " ", key).strip()
    return _ETHNICITY_BY_FOLD.get(key) or _ETHNICITY_BY_FOLD.get(key.replace(" ", ""))


def is_ethnic_minority(ethnicity: str | None) -> bool:
    return bool(ethnicity) and ethnicity != MAJORITY_ETHNICITY


def is_young_cadre(birth_year: int | None, year: int, age_limit: int = 35) -> bool:
    """Young cadre (cán bộ trẻ): at most `age_limit` years old in the given year."""
    return birth_year is not None and year - birth_year <= age_limit


@dataclass
class ProfileData:
    """A cadre profile, already parsed; what validate_profile() checks."""

    unit_id: int | None = None
    position: str = ""
    job_position: str = ""
    gender: str | None = None
    ethnicity: str | None = None
    birth_year: int | None = None
    party_member: bool = False
    party_joined_year: int | None = None
    theory_level: str = TheoryLevel.NONE
    education_level: str | None = None
    categories: set[str] = field(default_factory=set)


def validate_profile(p: ProfileData, current_year: int) -> dict[str, str]:
    """Check a profile; returns {field: message} (messages are translatable msgids)."""
    errors: dict[str, str] = {}
    if p.unit_id is None:
        errors["unit_id"] = N_("A unit is required.")
    if len(p.position) > 200:
        errors["position"] = N_("Position is too long (200 characters at most).")
    if len(p.job_position) > 200:
        errors["job_position"] = N_("Job position is too long (200 characters at most).")
    if p.gender is not None and p.gender not in set(Gender):
        errors["gender"] = N_("Unknown gender.")
    if p.ethnicity is not None and p.ethnicity not in ETHNICITIES:
        errors["ethnicity"] = N_("Unknown ethnicity: use one of Vietnam's 54 ethnic groups.")
    if p.birth_year is not None and not (MIN_BIRTH_YEAR <= p.birth_year <= current_year - MIN_WORKING_AGE):
        errors["birth_year"] = N_("Year of birth is out of range.")
    if p.party_joined_year is not None:
        if not p.party_member:
            errors["party_joined_year"] = N_("Only a Party member has a year of admission.")
        elif p.party_joined_year > current_year:
            errors["party_joined_year"] = N_("Year of admission to the Party is in the future.")
        elif p.birth_year is not None and p.party_joined_year < p.birth_year + PARTY_MIN_AGE:
            errors["party_joined_year"] = N_("Year of admission to the Party is before the age of 18.")
    if p.theory_level not in set(TheoryLevel):
        errors["theory_level"] = N_("Unknown political-theory level.")
    if p.education_level is not None and p.education_level not in set(EducationLevel):
        errors["education_level"] = N_("Unknown education level.")
    unknown = set(p.categories) - set(Category)
    if unknown:
        errors["categories"] = N_("Unknown management category.")
    return errors


def validate_username(username: str) -> str | None:
    if not USERNAME_RE.match(username or ""):
        return N_("Username: 3-64 characters, lower-case letters, digits, dot, dash or underscore.")
    return None


def validate_email(email: str) -> str | None:
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        return N_("Invalid e-mail address.")
    return None


def password_problem(password: str, min_length: int, username: str = "", full_name: str = "") -> str | None:
    """Return why a password is unacceptable, or None."""
    if len(password) < min_length:
        return N_("The password is too short.")
    if len(password) > 256:
        return N_("The password is too long.")
    lowered = password.lower()
    if username and username.lower() in lowered:
        return N_("The password must not contain the username.")
    if len(set(password)) < 4:
        return N_("The password is too simple.")
    if fold(full_name) and fold(password) == fold(full_name).replace(" ", ""):
        return N_("The password must not be your name.")
    return None


def check_unit_move(unit_id: int, new_parent_id: int | None, parent_of: dict[int, int | None]) -> str | None:
    """Refuse moving a unit under itself or one of its descendants. parent_of maps id -> parent id."""
    cursor = new_parent_id
    seen: set[int] = set()
    while cursor is not None:
        if cursor == unit_id:
            return N_("A unit cannot be moved under itself or one of its sub-units.")
        if cursor in seen:  # defensive: the stored tree already has a cycle
            return N_("The unit tree is inconsistent.")
        seen.add(cursor)
        cursor = parent_of.get(cursor)
    return None


def check_unit_kind(parent_kind: str | None, kind: str) -> str | None:
    allowed = ALLOWED_CHILDREN.get(UnitKind(parent_kind) if parent_kind else None, set())
    if kind not in allowed:
        return N_("This kind of unit cannot be placed there.")
    return None


def descendants(root_id: int, children_of: dict[int | None, list[int]]) -> list[int]:
    """All sub-unit ids below root_id (not including it), depth first."""
    out: list[int] = []
    stack = list(children_of.get(root_id, []))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children_of.get(node, []))
    return out
