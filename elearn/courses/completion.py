"""When has a learner completed a course? Pure Python: no Flask, no database.

The lecturer picks completion rules per course (stored as JSON in the course row through
`rules_to_json` / `rules_from_json`); services gather a `LearnerFacts` for one learner and call
`evaluate_completion`. Later features add rule kinds with `register_rule_kind` without editing
this module; a plug-in rule reads what it needs from `LearnerFacts.extra`.

Choices made here (the course page and the docs say the same):
- Rules are combined with AND; overall progress is the plain mean of the rules' progress.
- Explicit rules replace the default. A course with no rules completes when every required lesson
  is done. A course with no rules AND no required lessons never completes by itself: it would
  otherwise count a training turn (lượt) for someone who only enrolled; the lecturer or the
  training office records completion by hand instead (`CompletionResult.manual_only`).
- A rule about things the course does not have (0 quizzes, no live session held, no assignment)
  is met, so removing the last quiz never locks learners out. Services feed live sessions that
  have been held (or are due), so a learner cannot finish before the sessions take place.
- The completion date is recorded once and never moves (`completion_date`).
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

from .catalog import CompletionMode, LessonKind
from .messages import N_, Message, msg

# ---- lessons ----------------------------------------------------------------------------------


# LessonKind and CompletionMode (with their labels) live in catalog.py.
DEFAULT_VIDEO_SHARE = 0.9


def completion_mode_problem(kind: str, mode: str) -> str | None:
    """Why a lesson kind cannot use a completion mode (a msgid), or None."""
    if kind not in set(LessonKind):
        return N_("Unknown lesson kind.")
    if mode not in set(CompletionMode):
        return N_("Unknown completion mode.")
    if mode == CompletionMode.VIDEO_SHARE and kind != LessonKind.VIDEO:
        return N_("Only a video lesson can be completed by the share watched.")
    return None


def lesson_completed(kind: str, mode: str, viewed: bool, marked_done: bool, watched_share: float,
                     threshold: float = DEFAULT_VIDEO_SHARE) -> bool:
    """Is a lesson complete for a learner? `watched_share` and `threshold` are in 0..1.

    ValueError when the kind and mode do not go together or the threshold is out of range.
    A video in "video_share" mode cannot be ticked done by hand: the share watched decides.
    """
    problem = completion_mode_problem(kind, mode)
    if problem:
        raise ValueError(problem)
    if mode == CompletionMode.ON_VIEW:
        return viewed or marked_done
    if mode == CompletionMode.MANUAL:
        return marked_done
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    return watched_share + 1e-9 >= threshold


# ---- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonFact:
    required: bool = True
    completed_at: datetime | None = None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class SessionAttendance:
    """One live session: minutes the learner was counted present, and the minutes that count."""

    attended_minutes: float
    required_minutes: float


def _ids(values: Iterable[Any]) -> tuple[int, ...]:
    return tuple(sorted({int(v) for v in values}))


@dataclass(frozen=True)
class LearnerFacts:
    """Everything the completion rules look at for one learner in one course."""

    lessons: Mapping[int, LessonFact] = field(default_factory=dict)
    quizzes_passed: frozenset[int] = frozenset()
    course_quiz_ids: frozenset[int] = frozenset()  # every quiz of the course
    live_sessions: tuple[SessionAttendance, ...] = ()  # sessions held so far
    live_attendance_share: float | None = None  # precomputed 0..1; when set, live_sessions is ignored
    assignments_passed: frozenset[int] = frozenset()
    course_assignment_ids: frozenset[int] = frozenset()
    forum_posts: int = 0
    survey_submitted: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # facts for plug-in rule kinds

    def __post_init__(self) -> None:
        for name in ("quizzes_passed", "course_quiz_ids", "assignments_passed", "course_assignment_ids"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        sessions = tuple(s if isinstance(s, SessionAttendance) else SessionAttendance(*s) for s in self.live_sessions)
        object.__setattr__(self, "live_sessions", sessions)

    def required_lessons(self) -> tuple[int, int]:
        """(completed, total) over the required lessons."""
        required = [lesson for lesson in self.lessons.values() if lesson.required]
        return sum(1 for lesson in required if lesson.completed), len(required)

    def live_share(self) -> float | None:
        """Share of live-session time attended (0..1), or None when no session counts.

        Time-weighted over the sessions; each session counts at most its own length, so staying
        longer in one session does not make up for missing another.
        """
        if self.live_attendance_share is not None:
            return min(max(self.live_attendance_share, 0.0), 1.0)
        total = sum(s.required_minutes for s in self.live_sessions if s.required_minutes > 0)
        if total <= 0:
            return None
        attended = sum(min(max(s.attended_minutes, 0.0), s.required_minutes)
                       for s in self.live_sessions if s.required_minutes > 0)
        return attended / total


def course_progress(facts: LearnerFacts) -> float:
    """Share of required lessons completed, for progress bars (0..1).

    With no required lessons: the share of all lessons completed; with no lessons at all: 0.
    """
    done, total = facts.required_lessons()
    if total == 0:
        total = len(facts.lessons)
        done = sum(1 for lesson in facts.lessons.values() if lesson.completed)
    return done / total if total else 0.0


# ---- rules ------------------------------------------------------------------------------------


class RuleError(ValueError):
    """A rule that cannot be built or read back; `message` explains it to a person."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


@dataclass(frozen=True)
class RuleResult:
    met: bool
    progress: float  # 0..1; 1 whenever met
    detail: Message

    def __post_init__(self) -> None:
        progress = 1.0 if self.met else min(max(float(self.progress), 0.0), 1.0)
        object.__setattr__(self, "progress", progress)


class CompletionRule(ABC):
    """Common interface of completion rules. Subclasses are frozen dataclasses whose fields are
    their settings (JSON-friendly values) and are registered under a kind name."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""  # msgid for the lecturer's list of rule kinds
    # The LearnerFacts fields (or `extra` keys) evaluate() reads; lessons are always gathered. None: it may read
    # anything (a plug-in that does not say), so every fact is gathered for a course that uses it.
    reads: ClassVar[frozenset[str] | None] = None

    @abstractmethod
    def evaluate(self, facts: LearnerFacts) -> RuleResult: ...

    @abstractmethod
    def describe(self) -> Message:
        """What the learner has to do, for the course page."""


R = TypeVar("R", bound=type)
_KINDS: dict[str, type] = {}


def register_rule_kind(name: str, cls: R | None = None) -> Any:
    """Register a rule class under `name` (also usable as a decorator: @register_rule_kind("x"))."""

    def add(rule_cls: R) -> R:
        if not is_dataclass(rule_cls) or not callable(getattr(rule_cls, "evaluate", None)):
            raise TypeError("a completion rule kind is a dataclass with evaluate(facts)")
        if _KINDS.get(name, rule_cls) is not rule_cls:
            raise ValueError(f"completion rule kind {name!r} is already registered")
        if rule_cls.__dict__.get("kind") not in (None, "", name):
            raise ValueError(f"{rule_cls.__name__} is already registered as {rule_cls.kind!r}")
        rule_cls.kind = name
        _KINDS[name] = rule_cls
        return rule_cls

    return add if cls is None else add(cls)


def unregister_rule_kind(name: str) -> None:
    """Forget a kind (for tests and plug-ins that are switched off)."""
    cls = _KINDS.pop(name, None)
    if cls is not None and cls.__dict__.get("kind") == name:
        cls.kind = ""


def rule_kinds() -> Mapping[str, type]:
    """Every registered kind, name -> class (read-only view)."""
    return MappingProxyType(_KINDS)


def _count_result(done: int, total: int, counted: str, empty: str) -> RuleResult:
    if total == 0:
        return RuleResult(True, 1.0, msg(empty))
    return RuleResult(done >= total, done / total, msg(counted, done=done, total=total))


@register_rule_kind("required_lessons")
@dataclass(frozen=True)
class RequiredLessonsDone(CompletionRule):
    label: ClassVar[str] = N_("Required lessons completed")
    reads: ClassVar[frozenset[str] | None] = frozenset()

    def evaluate(self, facts: LearnerFacts) -> RuleResult:
        done, total = facts.required_lessons()
        return _count_result(done, total, N_("%(done)s of %(total)s required lessons completed"),
                             N_("This course has no required lessons."))

    def describe(self) -> Message:
        return msg(N_("Complete every required lesson"))


@register_rule_kind("quizzes_passed")
@dataclass(frozen=True)
class QuizzesPassed(CompletionRule):
    quiz_ids: tuple[int, ...] = ()  # empty: every quiz of the course
    label: ClassVar[str] = N_("Quizzes passed")
    reads: ClassVar[frozenset[str] | None] = frozenset({"quizzes_passed", "course_quiz_ids"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "quiz_ids", _ids(self.quiz_ids))

    def evaluate(self, facts: LearnerFacts) -> RuleResult:
        wanted = set(self.quiz_ids) or set(facts.course_quiz_ids)
        return _count_result(len(wanted & facts.quizzes_passed), len(wanted),
                             N_("%(done)s of %(total)s quizzes passed"), N_("This course has no quizzes."))

    def describe(self) -> Message:
        if not self.quiz_ids:
            return msg(N_("Pass every quiz of the course"))
        return msg(N_("Pass the selected quizzes (%(n)s)"), n=len(self.quiz_ids))


@register_rule_kind("live_attendance")
@dataclass(frozen=True)
class LiveAttendance(CompletionRule):
    percent: float = 80.0  # share of live-session time to attend, in percent
    label: ClassVar[str] = N_("Live-session attendance")
    reads: ClassVar[frozenset[str] | None] = frozenset({"live_sessions", "live_attendance_share"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "percent", float(self.percent))
        if not 0 < self.percent <= 100:
            raise RuleError(msg(N_("The attendance threshold must be above 0 and at most 100 percent.")))

    def evaluate(self, facts: LearnerFacts) -> RuleResult:
        share = facts.live_share()
        if share is None:
            return RuleResult(True, 1.0, msg(N_("No live sessions have been held.")))
        needed = self.percent / 100
        shown = math.floor(share * 1000 + 1e-6) / 10  # never round up to the threshold
        return RuleResult(share + 1e-9 >= needed, share / needed,
                          msg(N_("Attended %(share)s%% of the live-session time; %(percent)s%% is required"),
                              share=shown, percent=self.percent))

    def describe(self) -> Message:
        return msg(N_("Attend at least %(percent)s%% of the live-session time"), percent=self.percent)


@register_rule_kind("assignments_passed")
@dataclass(frozen=True)
class AssignmentPassed(CompletionRule):
    assignment_ids: tuple[int, ...] = ()  # empty: every assignment of the course
    label: ClassVar[str] = N_("Assignments passed")
    reads: ClassVar[frozenset[str] | None] = frozenset({"assignments_passed", "course_assignment_ids"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "assignment_ids", _ids(self.assignment_ids))

    def evaluate(self, facts: LearnerFacts) -> RuleResult:
        wanted = set(self.assignment_ids) or set(facts.course_assignment_ids)
        return _count_result(len(wanted & facts.assignments_passed), len(wanted),
                             N_("%(done)s of %(total)s assignments passed"), N_("This course has no assignments."))

    def describe(self) -> Message:
        if not self.assignment_ids:
            return msg(N_("Pass every assignment of the course"))
        return msg(N_("Pass the selected assignments (%(n)s)"), n=len(self.assignment_ids))


@register_rule_kind("forum_posts")
@dataclass(frozen=True)
class ForumPosts(CompletionRule):
    min_posts: int = 1
    label: ClassVar[str] = N_("Forum participation")
    reads: ClassVar[frozenset[str] | None] = frozenset({"forum_posts"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "min_posts", int(self.min_posts))
        if self.min_posts < 1:
            raise RuleError(msg(N_("The number of forum posts must be at least 1.")))

    def evaluate(self, facts: LearnerFacts) -> RuleResult:
        posts = max(facts.forum_posts, 0)
        return RuleResult(posts >= self.min_posts, posts / self.min_posts,
                          msg(N_("%(done)s of %(total)s forum posts written"),
                              done=min(posts, self.min_posts), total=self.min_posts))

    def describe(self) -> Message:
        return msg(N_("Forum posts written: at least %(n)s"), n=self.min_posts)


@register_rule_kind("survey_submitted")
@dataclass(frozen=True)
class SurveySubmitted(CompletionRule):
    label: ClassVar[str] = N_("Evaluation survey submitted")
    reads: ClassVar[frozenset[str] | None] = frozenset({"survey_submitted"})

    def evaluate(self, facts: LearnerFacts) -> RuleResult:
        if facts.survey_submitted:
            return RuleResult(True, 1.0, msg(N_("Survey submitted")))
        return RuleResult(False, 0.0, msg(N_("Survey not submitted yet")))

    def describe(self) -> Message:
        return msg(N_("Submit the course evaluation survey"))


# ---- storage ----------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def rule_to_dict(rule: Any) -> dict[str, Any]:
    """{"kind": name, setting: value, ...}: JSON-ready."""
    kind = getattr(type(rule), "kind", "")
    if _KINDS.get(kind) is not type(rule):
        raise ValueError(f"{type(rule).__name__} is not a registered completion rule kind")
    return {"kind": kind, **{f.name: _jsonable(getattr(rule, f.name)) for f in fields(rule)}}


def rule_from_dict(data: Mapping[str, Any]) -> Any:
    """The inverse of rule_to_dict. RuleError when the kind is unknown or the settings are bad."""
    settings = dict(data)
    kind = settings.pop("kind", None)
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise RuleError(msg(N_("Unknown completion rule: %(kind)s."), kind=str(kind)))
    try:
        return cls(**settings)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, RuleError):
            raise
        raise RuleError(msg(N_("Invalid settings for the completion rule %(kind)s."), kind=kind)) from exc


def rules_to_json(rules: Sequence[Any]) -> list[dict[str, Any]]:
    return [rule_to_dict(rule) for rule in rules]


def rules_from_json(data: Sequence[Mapping[str, Any]] | None) -> list[Any]:
    return [rule_from_dict(item) for item in data or ()]


# ---- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionResult:
    complete: bool
    progress: float  # 0..1, mean of the rules' progress
    results: tuple[tuple[Any, RuleResult], ...] = ()  # (rule, its result), in the rules' order
    manual_only: bool = False  # no rule applies: completion is recorded by hand


def effective_rules(rules: Sequence[Any], facts: LearnerFacts) -> list[Any]:
    """The rules that decide: the course's own, or by default every required lesson done."""
    if rules:
        return list(rules)
    return [RequiredLessonsDone()] if facts.required_lessons()[1] else []


def facts_read(rules: Sequence[Any]) -> frozenset[str] | None:
    """The facts the course's rules read (besides lessons, always gathered; the default rule reads only those), or
    None when a rule does not say: then every fact is gathered. Saves the queries of facts no rule looks at."""
    needed: set[str] = set()
    for rule in rules:
        reads = getattr(rule, "reads", None)
        if reads is None:
            return None
        needed |= reads
    return frozenset(needed)


def evaluate_completion(rules: Sequence[Any], facts: LearnerFacts) -> CompletionResult:
    """Evaluate every rule (AND). See the module docstring for the default and the edge cases."""
    chosen = effective_rules(rules, facts)
    if not chosen:
        return CompletionResult(False, course_progress(facts), (), manual_only=True)
    results = tuple((rule, rule.evaluate(facts)) for rule in chosen)
    progress = sum(result.progress for _, result in results) / len(results)
    return CompletionResult(all(result.met for _, result in results), progress, results)


def completion_date(previous: datetime | None, result: CompletionResult | bool, now: datetime) -> datetime | None:
    """The date to store: once set it never moves or disappears, even if later facts change
    (e.g. a lecturer adds a lesson); otherwise `now` when the course is complete."""
    if previous is not None:
        return previous
    complete = result if isinstance(result, bool) else result.complete
    return now if complete else None

