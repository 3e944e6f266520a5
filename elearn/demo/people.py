"""The demo cadres, generated deterministically (the same people every time). Pure Python: no database."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from elearn.accounts.domain import Category, EducationLevel, Gender, ProfileData, Role, TheoryLevel
from elearn.demo import names
from elearn.demo.units import AGENCIES, LOCALITIES, MIXES, Agency, Department, Locality

SEED = 163  # chosen so that the mix lands near the targets (45% women, 40% minorities, 75% Party)
LEARNERS = 200
# Data are generated as of this year, so that the demo does not change from one year to the next.
DATA_YEAR = 2025
LEADER_JOB = "Lãnh đạo, quản lý"

T, E = TheoryLevel, EducationLevel


@dataclass(frozen=True)
class Tier:
    """How the attributes of a group of people are distributed."""

    women: float  # share of women
    birth: tuple[int, int, int]  # earliest, latest, most common year of birth
    party: float  # share of Party members
    theory: dict  # political-theory level -> weight (Party members)
    education: dict  # education level -> weight
    join_age: tuple[int, int] = (21, 30)  # age at admission to the Party


TIERS = {
    "head": Tier(0.22, (1966, 1980, 1972), 1.0, {T.ADVANCED: 8, T.BACHELOR: 2},
                 {E.BACHELOR: 3, E.MASTER: 5, E.DOCTOR: 2}),
    "commune_head": Tier(0.25, (1967, 1986, 1976), 1.0, {T.INTERMEDIATE: 6, T.ADVANCED: 4},
                         {E.BACHELOR: 7, E.MASTER: 3}),
    "deputy": Tier(0.42, (1968, 1988, 1978), 1.0, {T.ADVANCED: 5, T.INTERMEDIATE: 4, T.BACHELOR: 1},
                   {E.BACHELOR: 5, E.MASTER: 5}),
    "commune_deputy": Tier(0.42, (1970, 1991, 1982), 1.0, {T.INTERMEDIATE: 7, T.ADVANCED: 3},
                           {E.BACHELOR: 8, E.MASTER: 1, E.COLLEGE: 1}),
    "manager": Tier(0.5, (1970, 1992, 1982), 0.9, {T.INTERMEDIATE: 6, T.ADVANCED: 3, T.BACHELOR: 1},
                    {E.BACHELOR: 6, E.MASTER: 4}),
    "staff": Tier(0.7, (1978, 2001, 1994), 0.3, {T.ELEMENTARY: 6, T.INTERMEDIATE: 3, T.ADVANCED: 1},
                  {E.BACHELOR: 14, E.MASTER: 3, E.COLLEGE: 2, E.VOCATIONAL: 1}, (22, 32)),
    "commune_staff": Tier(0.66, (1976, 2001, 1992), 0.3, {T.ELEMENTARY: 7, T.INTERMEDIATE: 3},
                          {E.BACHELOR: 6, E.COLLEGE: 2, E.VOCATIONAL: 2}, (22, 32)),
}
# Theory level of people outside the Party: most have none, some attended an elementary course.
NON_PARTY_THEORY = {T.NONE: 6, T.ELEMENTARY: 4}


@dataclass(frozen=True)
class Post:
    """A commune-level post: title template ({level} is "xã" or "phường"), job position, tier."""

    title: str
    job: str
    tier: str
    gender: str | None = None  # forced gender
    birth: tuple[int, int, int] | None = None  # overrides the tier's years of birth


COMMUNE_LEADERS = (
    (Post("Bí thư Đảng ủy {level}, Chủ tịch HĐND {level}", LEADER_JOB, "commune_head"), 0.0),
    (Post("Phó Bí thư Thường trực Đảng ủy {level}", LEADER_JOB, "commune_head"), 0.35),
    (Post("Phó Bí thư Đảng ủy, Chủ tịch UBND {level}", LEADER_JOB, "commune_head"), 0.2),
    (Post("Phó Chủ tịch UBND {level}", LEADER_JOB, "commune_deputy"), 0.3),
)  # (post, chance of being in cadre planning)
COMMUNE_STAFF = (
    Post("Công chức Văn phòng - Thống kê", "Chuyên viên văn phòng, thống kê", "commune_staff"),
    Post("Chuyên viên Phòng Kinh tế", "Chuyên viên quản lý kinh tế, nông nghiệp", "commune_staff"),
    Post("Chủ tịch Hội Liên hiệp Phụ nữ {level}", "Công tác phụ nữ", "commune_deputy", gender=Gender.FEMALE),
    Post("Chuyên viên Phòng Văn hóa - Xã hội", "Chuyên viên quản lý văn hóa, xã hội", "commune_staff"),
    Post("Công chức Tư pháp - Hộ tịch", "Chuyên viên tư pháp, hộ tịch", "commune_staff"),
    Post("Bí thư Đoàn Thanh niên {level}", "Công tác thanh niên", "commune_staff", birth=(1990, 1999, 1995)),
    Post("Công chức Tài chính - Kế toán", "Kế toán viên", "commune_staff"),
    Post("Công chức Địa chính - Xây dựng", "Chuyên viên quản lý đất đai, xây dựng", "commune_staff"),
    Post("Chuyên viên Văn phòng Đảng ủy", "Chuyên viên tổng hợp, công tác đảng", "commune_staff"),
    Post("Chủ tịch Ủy ban MTTQ Việt Nam {level}", "Công tác mặt trận", "commune_deputy"),
    Post("Chuyên viên Văn phòng HĐND và UBND", "Chuyên viên chuyển đổi số", "commune_staff",
         birth=(1990, 2001, 1996)),
)
STAFF_PER_COMMUNE = 2


@dataclass
class PersonSpec:
    full_name: str
    role: str  # domain.Role
    unit_code: str
    position: str
    job_position: str
    gender: str
    ethnicity: str
    birth_year: int
    party_member: bool
    party_joined_year: int | None
    theory_level: str
    education_level: str
    categories: set[str] = field(default_factory=set)

    def profile_data(self, unit_id: int | None) -> ProfileData:
        return ProfileData(unit_id=unit_id, position=self.position, job_position=self.job_position,
                           gender=self.gender, ethnicity=self.ethnicity, birth_year=self.birth_year,
                           party_member=self.party_member, party_joined_year=self.party_joined_year,
                           theory_level=self.theory_level, education_level=self.education_level,
                           categories=set(self.categories))


# The demo's non-learner accounts: fixed people, so that the logins stay the same.
LECTURERS = (
    PersonSpec("Trần Thị Thu Hương", Role.LECTURER, "TCT-XDD", "Trưởng khoa Xây dựng Đảng", "Giảng viên chính",
               Gender.FEMALE, "Kinh", 1976, True, 2000, T.BACHELOR, E.DOCTOR, {Category.IN_PLANNING}),
    PersonSpec("Hoàng Văn Thắng", Role.LECTURER, "TCT-LLCS", "Phó Trưởng khoa Lý luận cơ sở",
               "Giảng viên chính", Gender.MALE, "Tày", 1983, True, 2006, T.ADVANCED, E.MASTER),
    PersonSpec("Nguyễn Minh Đức", Role.LECTURER, "TCT-NNPL", "Giảng viên", "Giảng viên",
               Gender.MALE, "Kinh", 1991, True, 2015, T.ADVANCED, E.MASTER),
)
ADMIN = PersonSpec("Nguyễn Thị Thanh Hà", Role.ADMIN, "BTCTU-CB", "Chuyên viên chính",
                   "Chuyên viên đào tạo, bồi dưỡng cán bộ", Gender.FEMALE, "Kinh", 1982, True, 2006, T.ADVANCED,
                   E.MASTER)
# The learner whose login the demo prints: the Party secretary of this commune.
DEMO_LEARNER_UNIT = "XA-MINHQUANG"


class _Maker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, weights: dict) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def person(self, *, unit_code: str, position: str, job: str, tier: str, mix: str,
               gender: str | None = None, birth: tuple[int, int, int] | None = None,
               categories: set[str] | None = None) -> PersonSpec:
        rng, t = self.rng, TIERS[tier]
        gender = gender or (Gender.FEMALE if rng.random() < t.women else Gender.MALE)
        ethnicity = self.pick(MIXES[mix])
        low, high, mode = birth or t.birth
        birth_year = min(high, max(low, round(rng.triangular(low, high, mode))))
        joined = None
        party = rng.random() < t.party
        if party:
            joined = birth_year + rng.randint(*t.join_age)
            if joined > DATA_YEAR - 1:
                latest_start = birth_year + 18
                joined = rng.randint(latest_start, DATA_YEAR - 1) if latest_start <= DATA_YEAR - 1 else None
            party = joined is not None
        theory = self.pick(t.theory) if party else self.pick(NON_PARTY_THEORY)
        return PersonSpec(
            full_name=names.full_name(rng, gender, ethnicity), role=Role.LEARNER, unit_code=unit_code,
            position=position, job_position=job, gender=gender, ethnicity=ethnicity, birth_year=birth_year,
            party_member=party, party_joined_year=joined, theory_level=theory,
            education_level=self.pick(t.education), categories=set(categories or ()),
        )

    def planned(self, chance: float) -> set[str]:
        return {Category.IN_PLANNING} if self.rng.random() < chance else set()


def _commune_people(make: _Maker, index: int, loc: Locality) -> list[PersonSpec]:
    out = []
    for n, (post, planning) in enumerate(COMMUNE_LEADERS):
        categories = {Category.COMMUNE_SECRETARY} if n == 0 else make.planned(planning)
        out.append(make.person(unit_code=loc.code, position=post.title.format(level=loc.level), job=post.job,
                               tier=post.tier, mix=loc.mix, categories=categories))
    for k in range(STAFF_PER_COMMUNE):
        post = COMMUNE_STAFF[(index * STAFF_PER_COMMUNE + k) % len(COMMUNE_STAFF)]
        out.append(make.person(unit_code=loc.code, position=post.title.format(level=loc.level), job=post.job,
                               tier=post.tier, mix=loc.mix, gender=post.gender, birth=post.birth,
                               categories=make.planned(0.08 if post.tier == "commune_deputy" else 0.03)))
    return out


def _short(dept: Department) -> str:
    """"Phòng Cán bộ" -> "Cán bộ": the part that follows a head's title."""
    return dept.name.split(" ", 1)[1]


def _staff_units(agency: Agency) -> list[str]:
    """Where an agency's specialists sit: its departments (faculties have lecturers instead), or itself."""
    units = [d.code for d in agency.departments if not d.name.startswith("Khoa ")]
    return units or [agency.code]


def _agency_leaders(make: _Maker, agency: Agency) -> list[PersonSpec]:
    out = [
        make.person(unit_code=agency.code, position=agency.head, job=LEADER_JOB, tier="head", mix="agency",
                    categories={Category.STANDING_COMMITTEE}),
        make.person(unit_code=agency.code, position=agency.deputy, job=LEADER_JOB, tier="deputy", mix="agency",
                    categories={Category.STANDING_COMMITTEE} if agency.deputy_standing else {Category.IN_PLANNING}),
    ]
    for n, dept in enumerate(d for d in agency.departments if not d.name.startswith("Khoa ")):
        out.append(make.person(unit_code=dept.code, position=f"{dept.head} {_short(dept)}",
                               job="Lãnh đạo, quản lý cấp phòng", tier="manager", mix="agency",
                               categories=make.planned(0.3)))
        if n == 0:
            out.append(make.person(unit_code=dept.code, position=f"{dept.deputy} {_short(dept)}",
                                   job="Lãnh đạo, quản lý cấp phòng", tier="manager", mix="agency",
                                   categories=make.planned(0.5)))
    return out


def learners(seed: int = SEED, count: int = LEARNERS) -> list[PersonSpec]:
    """The demo's learners: commune and ward cadres first, then the provincial agencies' people."""
    make = _Maker(seed)
    people: list[PersonSpec] = []
    for index, loc in enumerate(LOCALITIES):
        people.extend(_commune_people(make, index, loc))
    for agency in AGENCIES:
        people.extend(_agency_leaders(make, agency))
    # Specialists, round-robin over the agencies, until the head count is reached.
    slots = [(agency, code) for agency in AGENCIES for code in _staff_units(agency)]
    n = 0
    while len(people) < count:
        agency, code = slots[n % len(slots)]
        job = agency.staff_jobs[(n // len(slots)) % len(agency.staff_jobs)]
        person = make.person(unit_code=code, position="Chuyên viên", job=job, tier="staff", mix="agency",
                             categories=make.planned(0.04))
        if person.birth_year <= 1986 and make.rng.random() < 0.6:
            person.position = "Chuyên viên chính"
        people.append(person)
        n += 1
    return people[:count]


def demo_learner(people: list[PersonSpec]) -> PersonSpec:
    return next(p for p in people if p.unit_code == DEMO_LEARNER_UNIT and Category.COMMUNE_SECRETARY in p.categories)
