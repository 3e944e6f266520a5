"""Target audience of a course (đúng đối tượng). Pure Python: no Flask, no database.

A course's audience is a list of `AudienceRule`s. One rule holds when ALL its non-empty conditions
hold; a person is in the audience when ANY rule holds; an empty list means open to everyone. When
a person is not in the audience, `match_audience` explains why using the closest rule (the one with
the fewest failed conditions; the first such rule on a tie).

Services feed the facts (`CadreFacts`) from a profile and the unit tree; nothing here loads data.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from elearn.accounts.domain import (
    CATEGORY_LABELS,
    THEORY_LEVEL_LABELS,
    THEORY_LEVEL_ORDER,
    Category,
    Gender,
    TheoryLevel,
    is_ethnic_minority,
)
from elearn.core.text import fold

from .messages import N_, Label, Message, msg


@dataclass(frozen=True)
class CadreFacts:
    """What the audience rules look at about one person."""

    unit_id: int | None = None
    unit_ancestor_ids: tuple[int, ...] = ()  # the unit itself and every unit above it
    position: str = ""  # chức danh
    job_position: str = ""  # vị trí việc làm
    categories: frozenset[str] = frozenset()  # accounts.domain.Category values
    theory_level: str | None = TheoryLevel.NONE
    party_member: bool = False
    birth_year: int | None = None
    gender: str | None = None
    ethnicity: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit_ancestor_ids", tuple(self.unit_ancestor_ids))
        object.__setattr__(self, "categories", frozenset(self.categories))


def _level_index(level: str | None) -> int:
    """Position of a theory level in THEORY_LEVEL_ORDER; a missing level counts as none."""
    return THEORY_LEVEL_ORDER.index(TheoryLevel(level or TheoryLevel.NONE))


def _fact_level(level: str | None) -> int:
    """Like _level_index, but an unknown stored value counts as none instead of failing the page."""
    try:
        return _level_index(level)
    except ValueError:
        return 0


@dataclass(frozen=True)
class AudienceRule:
    """One target group. Every condition left empty (None, empty set, False) is not checked."""

    unit_ids: frozenset[int] = frozenset()
    include_sub_units: bool = True  # also people in units below the listed ones
    positions: tuple[str, ...] = ()  # any of; case- and diacritics-insensitive exact match
    job_positions: tuple[str, ...] = ()  # any of; same matching
    categories: frozenset[str] = frozenset()  # any of
    min_theory_level: str | None = None
    max_theory_level: str | None = None
    party_member: bool | None = None  # True: members only; False: non-members only; None: either
    min_age: int | None = None  # age = reference year - year of birth
    max_age: int | None = None
    gender: str | None = None  # e.g. courses for women cadres
    ethnic_minority: bool = False  # True: ethnic-minority cadres only

    def __post_init__(self) -> None:
        # Accept lists from JSON and forms; keep the stored shape canonical.
        object.__setattr__(self, "unit_ids", frozenset(int(u) for u in self.unit_ids))
        object.__setattr__(self, "positions", tuple(p.strip() for p in self.positions if p and p.strip()))
        object.__setattr__(self, "job_positions", tuple(p.strip() for p in self.job_positions if p and p.strip()))
        object.__setattr__(self, "categories", frozenset(Category(c).value for c in self.categories))
        for name in ("min_theory_level", "max_theory_level"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, TheoryLevel(value).value)  # ValueError when unknown
        if self.gender is not None:
            object.__setattr__(self, "gender", Gender(self.gender).value)

    @property
    def is_empty(self) -> bool:
        """A rule without conditions: everyone matches it."""
        return not _conditions(self)


def audience_rule_problems(rule: AudienceRule) -> dict[str, str]:
    """Contradictions a form should refuse: {field: msgid}. Empty when the rule is usable."""
    problems: dict[str, str] = {}
    for name in ("min_age", "max_age"):
        value = getattr(rule, name)
        if value is not None and not 0 <= value <= 120:
            problems[name] = N_("The age must be between 0 and 120.")
    if "min_age" not in problems and "max_age" not in problems and rule.min_age is not None \
            and rule.max_age is not None and rule.min_age > rule.max_age:
        problems["max_age"] = N_("The maximum age is below the minimum age.")
    if rule.min_theory_level and rule.max_theory_level \
            and _level_index(rule.min_theory_level) > _level_index(rule.max_theory_level):
        problems["max_theory_level"] = N_("The highest political-theory level is below the lowest.")
    return problems


# ---- matching ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    """Whether a person is in a course's audience, and if not, why (`reasons`, as Messages)."""

    ok: bool
    reasons: list[Message] = field(default_factory=list, hash=False)

    def __bool__(self) -> bool:
        return self.ok


Reason = Message  # a reason is a Message explaining why a person does not match

_GENDER_ONLY = {
    Gender.FEMALE.value: N_("This course is for women cadres."),
    Gender.MALE.value: N_("This course is for men cadres."),
}


def _age_reason(rule: AudienceRule) -> Message:
    if rule.min_age is not None and rule.max_age is not None:
        return msg(N_("This course is for cadres aged %(min)s to %(max)s."), min=rule.min_age, max=rule.max_age)
    if rule.min_age is not None:
        return msg(N_("This course is for cadres aged %(min)s or over."), min=rule.min_age)
    return msg(N_("This course is for cadres aged %(max)s or under."), max=rule.max_age)


def _unit_check(rule: AudienceRule, facts: CadreFacts) -> Message | None:
    if facts.unit_id is None:
        return msg(N_("Your profile does not say which unit you work in; this course is for certain units."))
    own = {facts.unit_id}
    if rule.include_sub_units:
        own |= set(facts.unit_ancestor_ids)
    if own & rule.unit_ids:
        return None
    return msg(N_("Your unit is not among the units this course is for."))


def _failures(rule: AudienceRule, facts: CadreFacts, year: int) -> list[Message]:
    """Every condition of `rule` that `facts` fails, in a fixed order."""
    out: list[Message] = []
    if rule.unit_ids:
        problem = _unit_check(rule, facts)
        if problem:
            out.append(problem)
    if rule.positions and fold(facts.position) not in {fold(p) for p in rule.positions}:
        out.append(msg(N_("This course is for these positions: %(positions)s."), positions=rule.positions))
    if rule.job_positions and fold(facts.job_position) not in {fold(p) for p in rule.job_positions}:
        out.append(msg(N_("This course is for these job positions: %(job_positions)s."),
                       job_positions=rule.job_positions))
    if rule.categories and not rule.categories & facts.categories:
        out.append(msg(N_("This course is for these management categories: %(categories)s."),
                       categories=_category_labels(rule.categories)))
    level = _fact_level(facts.theory_level)
    if rule.min_theory_level and level < _level_index(rule.min_theory_level):
        out.append(msg(N_("This course requires at least the %(level)s political-theory level."),
                       level=Label(THEORY_LEVEL_LABELS[TheoryLevel(rule.min_theory_level)])))
    if rule.max_theory_level and level > _level_index(rule.max_theory_level):
        out.append(msg(N_("This course is for cadres with at most the %(level)s political-theory level."),
                       level=Label(THEORY_LEVEL_LABELS[TheoryLevel(rule.max_theory_level)])))
    if rule.party_member is True and not facts.party_member:
        out.append(msg(N_("This course is for Party members.")))
    if rule.party_member is False and facts.party_member:
        out.append(msg(N_("This course is for people who are not Party members.")))
    if rule.min_age is not None or rule.max_age is not None:
        if facts.birth_year is None:
            out.append(msg(N_("Your profile has no year of birth, which this course needs to check your age.")))
        else:
            age = year - facts.birth_year
            if (rule.min_age is not None and age < rule.min_age) or (rule.max_age is not None and age > rule.max_age):
                out.append(_age_reason(rule))
    if rule.gender is not None and facts.gender != rule.gender:
        out.append(msg(_GENDER_ONLY[rule.gender]))
    if rule.ethnic_minority and not is_ethnic_minority(facts.ethnicity):
        out.append(msg(N_("This course is for ethnic-minority cadres.")))
    return out


def match_audience(facts: CadreFacts, rules: Sequence[AudienceRule], year: int) -> Match:
    """Is the person in the audience? `year` is the reference year for ages (usually this year)."""
    if not rules:
        return Match(True)
    closest: list[Message] | None = None
    for rule in rules:
        failed = _failures(rule, facts, year)
        if not failed:
            return Match(True)
        if closest is None or len(failed) < len(closest):
            closest = failed
    return Match(False, closest or [])


def _category_labels(categories: Iterable[str]) -> tuple[Label, ...]:
    return tuple(Label(CATEGORY_LABELS[Category(c)]) for c in sorted(categories))


# ---- describing -------------------------------------------------------------------------------

def _conditions(rule: AudienceRule, unit_names: Mapping[int, str] | None = None, depth: int = 0) -> list[Message]:
    names = unit_names or {}
    lines: list[Message] = []
    if rule.unit_ids:
        units = tuple(sorted(names.get(u, f"#{u}") for u in rule.unit_ids))
        if rule.include_sub_units:
            lines.append(msg(N_("Units: %(units)s, including their sub-units"), depth, units=units))
        else:
            lines.append(msg(N_("Units: %(units)s"), depth, units=units))
    if rule.positions:
        lines.append(msg(N_("Positions: %(positions)s"), depth, positions=rule.positions))
    if rule.job_positions:
        lines.append(msg(N_("Job positions: %(job_positions)s"), depth, job_positions=rule.job_positions))
    if rule.categories:
        lines.append(msg(N_("Management categories: %(categories)s"), depth,
                         categories=_category_labels(rule.categories)))
    lo = Label(THEORY_LEVEL_LABELS[TheoryLevel(rule.min_theory_level)]) if rule.min_theory_level else None
    hi = Label(THEORY_LEVEL_LABELS[TheoryLevel(rule.max_theory_level)]) if rule.max_theory_level else None
    if lo and hi:
        lines.append(msg(N_("Political-theory level: from %(min)s to %(max)s"), depth, min=lo, max=hi))
    elif lo:
        lines.append(msg(N_("Political-theory level: %(level)s or higher"), depth, level=lo))
    elif hi:
        lines.append(msg(N_("Political-theory level: %(level)s or lower"), depth, level=hi))
    if rule.party_member is True:
        lines.append(msg(N_("Party members only"), depth))
    elif rule.party_member is False:
        lines.append(msg(N_("People who are not Party members only"), depth))
    if rule.min_age is not None and rule.max_age is not None:
        lines.append(msg(N_("Aged %(min)s to %(max)s"), depth, min=rule.min_age, max=rule.max_age))
    elif rule.min_age is not None:
        lines.append(msg(N_("Aged %(min)s or over"), depth, min=rule.min_age))
    elif rule.max_age is not None:
        lines.append(msg(N_("Aged %(max)s or under"), depth, max=rule.max_age))
    if rule.gender == Gender.FEMALE:
        lines.append(msg(N_("Women cadres only"), depth))
    elif rule.gender == Gender.MALE:
        lines.append(msg(N_("Men cadres only"), depth))
    if rule.ethnic_minority:
        lines.append(msg(N_("Ethnic-minority cadres only"), depth))
    return lines


def describe_audience(rules: Sequence[AudienceRule], unit_names: Mapping[int, str] | None = None) -> list[Message]:
    """Lines for the course page. `unit_names` maps unit id -> name (unknown ids show as "#id").

    One rule: its conditions, each at depth 0. Several rules: a heading, then for each group a
    "Group n" line (depth 0) followed by its conditions (depth 1).
    """
    if not rules or any(rule.is_empty for rule in rules):
        return [msg(N_("Open to everyone."))]
    if len(rules) == 1:
        return _conditions(rules[0], unit_names)
    lines = [msg(N_("For anyone in one of these groups:"))]
    for number, rule in enumerate(rules, start=1):
        lines.append(msg(N_("Group %(n)s"), n=number))
        lines.extend(_conditions(rule, unit_names, depth=1))
    return lines


# ---- storage ----------------------------------------------------------------------------------

def audience_rule_to_dict(rule: AudienceRule) -> dict[str, Any]:
    """A JSON-ready dict holding only the conditions that are set (sets become sorted lists)."""
    out: dict[str, Any] = {}
    for f in fields(rule):
        value = getattr(rule, f.name)
        if f.name == "include_sub_units":
            if rule.unit_ids:
                out[f.name] = value
            continue
        if value is None or value == () or value == frozenset():
            continue
        if value is False and f.name != "party_member":  # party_member=False means "non-members only"
            continue
        out[f.name] = sorted(value) if isinstance(value, frozenset) else list(value) if isinstance(value, tuple) \
            else value
    return out


def audience_rule_from_dict(data: Mapping[str, Any]) -> AudienceRule:
    """The inverse of audience_rule_to_dict; ValueError on unknown keys or values."""
    known = {f.name for f in fields(AudienceRule)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown audience condition(s): {sorted(unknown)}")
    return AudienceRule(**dict(data))


def audience_to_json(rules: Sequence[AudienceRule]) -> list[dict[str, Any]]:
    return [audience_rule_to_dict(rule) for rule in rules]


def audience_from_json(data: Sequence[Mapping[str, Any]] | None) -> list[AudienceRule]:
    return [audience_rule_from_dict(item) for item in data or ()]
