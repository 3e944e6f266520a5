"""Attempt rules: timing and expiry, who may start, review visibility, grading methods, random draws.

Pure Python: no Flask, no database. Every function takes `now` from the caller, who reads it from
`core.clock.now()` on the server: a time sent by a browser is never an input here. All datetimes are
timezone-aware UTC; durations are whole seconds.

Timing, following Moodle's quiz:
- `deadline()` is the earliest of start + time limit (+ a learner's extra time) and the close time.
- At the deadline itself the time is up (the deadline is the first instant that is too late).
- Expiry rules (`ExpiryRule`):
  - autosubmit: the attempt finishes at the deadline with the answers saved before it; it counts.
    The sweeper records `finished_at = deadline`, whenever it runs.
  - grace: after the deadline answers no longer change, but the learner may still submit during the
    grace period; an attempt not submitted by its end is abandoned and never graded.
  - not_counted: an attempt not submitted before the deadline is abandoned and never graded.
- To accept requests that were in flight when the time ran out (a phone on a slow link whose timer
  submitted at zero), a service may pass `deadline + allowance` where it checks requests; the
  learner's page still counts down to the real deadline.

Messages are `Message`s (English msgid + params, translated where shown). Times in messages are
given twice: `time` formatted in Vietnam's time zone ("08:00 01/03/2026") and `at` as the datetime.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from elearn.core.clock import to_local
from elearn.courses.messages import N_, Message, msg

from .grading import Mark, MarkState, normalise_text, score
from .questions import QType, Question

__all__ = [
    "EXPIRY_RULE_LABELS", "GRADING_METHOD_LABELS", "IMMEDIATELY_AFTER_SECONDS", "PHASE_LABELS",
    "REVIEW_MOMENT_LABELS", "REVIEW_THING_LABELS", "AttemptPhase", "AttemptResult", "AttemptTotal", "Decision",
    "ExpiryRule", "GradingMethod", "Override", "QuizGrade", "ReviewMoment", "ReviewThing",
    "accept_answer", "accept_submit", "answer_order", "attempt_rng", "attempt_total", "can_start",
    "deadline", "draw_problems", "draw_questions", "effective_override", "matching_choices", "passed",
    "quiz_grade", "rescale", "review_moment", "review_visibility", "seconds_left", "shuffle", "state_at",
]

T = TypeVar("T")


def _when(value: datetime) -> str:
    return to_local(value).strftime("%H:%M %d/%m/%Y")


def _seconds(value: int | float | timedelta | None) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


# ---- per-learner overrides ------------------------------------------------------------------------

@dataclass(frozen=True)
class Override:
    """A learner's (or a group's) exceptions to the quiz settings; None keeps the quiz's value.

    `time_limit` replaces the quiz's limit (0 = no limit); `extra_seconds` is added to whichever limit
    applies. An override cannot remove a close date: give a later one instead.
    """

    open_at: datetime | None = None
    close_at: datetime | None = None
    time_limit: int | None = None
    extra_seconds: int = 0
    attempts_allowed: int | None = None  # 0 = unlimited
    personal: bool = True  # a learner's own override; group overrides are merged, the personal one wins


def _lenient(values: list, pick: Callable, unlimited: Any = None) -> Any:
    values = [v for v in values if v is not None]
    if not values:
        return None
    if unlimited is not None and unlimited in values:
        return unlimited
    return pick(values)


def effective_override(overrides: Override | Iterable[Override] | None) -> Override | None:
    """One override from a learner's personal and group overrides, as Moodle combines them.

    Group overrides merge to the most lenient value of each field (earliest open, latest close,
    longest time limit, most attempts, most extra time; 0 = unlimited wins); each field a personal
    override sets then replaces the merged group value.
    """
    if overrides is None:
        return None
    if isinstance(overrides, Override):
        return overrides
    items = list(overrides)
    if not items:
        return None
    groups = [o for o in items if not o.personal]
    merged = Override(
        open_at=_lenient([o.open_at for o in groups], min),
        close_at=_lenient([o.close_at for o in groups], max),
        time_limit=_lenient([o.time_limit for o in groups], max, unlimited=0),
        extra_seconds=max([o.extra_seconds for o in groups], default=0),
        attempts_allowed=_lenient([o.attempts_allowed for o in groups], max, unlimited=0),
        personal=False,
    )
    for own in (o for o in items if o.personal):
        merged = replace(
            merged,
            open_at=own.open_at if own.open_at is not None else merged.open_at,
            close_at=own.close_at if own.close_at is not None else merged.close_at,
            time_limit=own.time_limit if own.time_limit is not None else merged.time_limit,
            extra_seconds=own.extra_seconds or merged.extra_seconds,
            attempts_allowed=own.attempts_allowed if own.attempts_allowed is not None else merged.attempts_allowed,
            personal=True,
        )
    return merged


# ---- timing ---------------------------------------------------------------------------------------

class ExpiryRule(StrEnum):
    AUTOSUBMIT = "autosubmit"
    GRACE = "grace"
    NOT_COUNTED = "not_counted"


EXPIRY_RULE_LABELS = {
    ExpiryRule.AUTOSUBMIT: N_("Open attempts are submitted automatically"),
    ExpiryRule.GRACE: N_("There is a grace period to submit, but answers cannot change"),
    ExpiryRule.NOT_COUNTED: N_("Attempts must be submitted before time expires, or they are not counted"),
}


class AttemptPhase(StrEnum):
    IN_PROGRESS = "in_progress"  # answers and submit accepted
    OVERDUE = "overdue"  # grace period: submit only
    FINISHED = "finished"  # autosubmit: finished at the deadline with what was saved
    ABANDONED = "abandoned"  # past the deadline (and grace) unsubmitted: never graded


PHASE_LABELS = {
    AttemptPhase.IN_PROGRESS: N_("In progress"),
    AttemptPhase.OVERDUE: N_("Overdue"),
    AttemptPhase.FINISHED: N_("Finished"),
    AttemptPhase.ABANDONED: N_("Never submitted"),
}

TIME_UP_SUBMITTED = N_("Time is up: the attempt was submitted with the answers saved before the deadline.")
TIME_UP_GRACE = N_("Time is up: you can still submit, but your answers can no longer be changed.")
GRACE_OVER = N_("The grace period is over: this attempt was not submitted in time and does not count.")
TIME_UP_NOT_COUNTED = N_("Time is up: an attempt not submitted before the deadline does not count.")


def deadline(started_at: datetime, time_limit: int | timedelta | None, close_at: datetime | None,
             override_extra_seconds: int | timedelta | None = 0) -> datetime | None:
    """When the attempt's time is up: the earliest of start + limit (+ extra time) and the close time.

    No limit (None or 0) and no close time: None, the attempt never expires. Pass the learner's
    effective limit and close time (after overrides); extra time extends only a time limit.
    """
    candidates = []
    limit = _seconds(time_limit)
    if limit > 0:
        candidates.append(started_at + timedelta(seconds=limit + _seconds(override_extra_seconds)))
    if close_at is not None:
        candidates.append(close_at)
    return min(candidates) if candidates else None


def seconds_left(now: datetime, due: datetime | None) -> int | None:
    """Whole seconds until the deadline (0 when it has passed); None without a deadline. For the page timer."""
    if due is None:
        return None
    return max(0, int((due - now).total_seconds()))


def state_at(now: datetime, due: datetime | None, expiry_rule: ExpiryRule | str,
             grace_seconds: int | timedelta | None = 0) -> AttemptPhase:
    """The phase of an unsubmitted attempt at `now` under the expiry rule (the deadline itself is too late)."""
    if due is None or now < due:
        return AttemptPhase.IN_PROGRESS
    rule = ExpiryRule(expiry_rule)
    if rule == ExpiryRule.AUTOSUBMIT:
        return AttemptPhase.FINISHED
    if rule == ExpiryRule.GRACE and now < due + timedelta(seconds=_seconds(grace_seconds)):
        return AttemptPhase.OVERDUE
    return AttemptPhase.ABANDONED


@dataclass(frozen=True)
class Decision:
    """Whether a request is accepted; `reason` explains a refusal (or, for an accepted late submit, what counts)."""

    ok: bool
    reason: Message | None = None

    def __bool__(self) -> bool:
        return self.ok


def _reason(phase: AttemptPhase, rule: ExpiryRule | str) -> Message:
    if phase == AttemptPhase.FINISHED:
        return msg(TIME_UP_SUBMITTED)
    if phase == AttemptPhase.OVERDUE:
        return msg(TIME_UP_GRACE)
    return msg(GRACE_OVER if ExpiryRule(rule) == ExpiryRule.GRACE else TIME_UP_NOT_COUNTED)


def accept_answer(now: datetime, due: datetime | None, expiry_rule: ExpiryRule | str,
                  grace_seconds: int | timedelta | None = 0) -> Decision:
    """May an answer be saved now? Only while the attempt is in progress, whatever the rule."""
    phase = state_at(now, due, expiry_rule, grace_seconds)
    if phase == AttemptPhase.IN_PROGRESS:
        return Decision(True)
    return Decision(False, _reason(phase, expiry_rule))


def accept_submit(now: datetime, due: datetime | None, expiry_rule: ExpiryRule | str,
                  grace_seconds: int | timedelta | None = 0) -> Decision:
    """May the learner's submit be accepted now?

    In progress: yes. Autosubmit past the deadline: yes, but the attempt is what was saved before the
    deadline (answers sent with the submit are not saved: `accept_answer` refuses them) and it finishes
    at the deadline. Grace: yes within the grace period (answers sent with it are not saved either), no
    after it. Not counted: no.
    """
    phase = state_at(now, due, expiry_rule, grace_seconds)
    if phase == AttemptPhase.IN_PROGRESS:
        return Decision(True)
    return Decision(phase in (AttemptPhase.FINISHED, AttemptPhase.OVERDUE), _reason(phase, expiry_rule))


# ---- who may start --------------------------------------------------------------------------------

def can_start(now: datetime, open_at: datetime | None, close_at: datetime | None, attempts_used: int,
              attempts_allowed: int | None, last_finished_at: datetime | None = None,
              delay_seconds: int | timedelta | None = 0,
              overrides: Override | Iterable[Override] | None = None) -> list[Message]:
    """Why the learner may not start a new attempt now; an empty list means they may.

    `attempts_allowed` 0 or None means unlimited. Overrides (personal and group, see
    `effective_override`) replace the open and close times and the number of attempts.
    """
    override = effective_override(overrides)
    if override is not None:
        open_at = override.open_at if override.open_at is not None else open_at
        close_at = override.close_at if override.close_at is not None else close_at
        if override.attempts_allowed is not None:
            attempts_allowed = override.attempts_allowed
    reasons: list[Message] = []
    if open_at is not None and now < open_at:
        reasons.append(msg(N_("This quiz opens at %(time)s."), time=_when(open_at), at=open_at))
    if close_at is not None and now >= close_at:
        reasons.append(msg(N_("This quiz closed at %(time)s."), time=_when(close_at), at=close_at))
    if attempts_allowed and attempts_used >= attempts_allowed:
        reasons.append(msg(N_("You have used all %(allowed)s attempts allowed."), allowed=attempts_allowed))
    elif last_finished_at is not None and _seconds(delay_seconds) > 0 and attempts_used > 0:
        ready = last_finished_at + timedelta(seconds=_seconds(delay_seconds))
        if now < ready:
            reasons.append(msg(N_("You can start another attempt at %(time)s."), time=_when(ready), at=ready))
    return reasons


# ---- review ---------------------------------------------------------------------------------------

IMMEDIATELY_AFTER_SECONDS = 120  # Moodle: "immediately after the attempt" means within 2 minutes of submit


class ReviewMoment(StrEnum):
    DURING = "during"
    IMMEDIATELY_AFTER = "immediately_after"
    LATER_WHILE_OPEN = "later_while_open"
    AFTER_CLOSE = "after_close"


REVIEW_MOMENT_LABELS = {
    ReviewMoment.DURING: N_("During the attempt"),
    ReviewMoment.IMMEDIATELY_AFTER: N_("Immediately after the attempt"),
    ReviewMoment.LATER_WHILE_OPEN: N_("Later, while the quiz is still open"),
    ReviewMoment.AFTER_CLOSE: N_("After the quiz is closed"),
}


class ReviewThing(StrEnum):
    ATTEMPT = "attempt"  # the learner's own responses
    CORRECTNESS = "correctness"  # right / partly right / wrong per question
    MARKS = "marks"
    SPECIFIC_FEEDBACK = "specific_feedback"  # the feedback of the chosen answers
    GENERAL_FEEDBACK = "general_feedback"
    RIGHT_ANSWER = "right_answer"
    OVERALL_FEEDBACK = "overall_feedback"  # the quiz's feedback by grade band


REVIEW_THING_LABELS = {
    ReviewThing.ATTEMPT: N_("The attempt"),
    ReviewThing.CORRECTNESS: N_("Whether correct"),
    ReviewThing.MARKS: N_("Marks"),
    ReviewThing.SPECIFIC_FEEDBACK: N_("Specific feedback"),
    ReviewThing.GENERAL_FEEDBACK: N_("General feedback"),
    ReviewThing.RIGHT_ANSWER: N_("Right answer"),
    ReviewThing.OVERALL_FEEDBACK: N_("Overall feedback"),
}

# As in Moodle's settings form, these are shown only together with the attempt itself.
_NEED_ATTEMPT = frozenset({ReviewThing.CORRECTNESS, ReviewThing.SPECIFIC_FEEDBACK, ReviewThing.GENERAL_FEEDBACK,
                           ReviewThing.RIGHT_ANSWER})


def review_moment(now: datetime, submitted_at: datetime | None, close_at: datetime | None) -> ReviewMoment:
    """Which review moment applies (Moodle's order: after close wins over immediately after)."""
    if submitted_at is None:
        return ReviewMoment.DURING
    if close_at is not None and now >= close_at:
        return ReviewMoment.AFTER_CLOSE
    if (now - submitted_at).total_seconds() < IMMEDIATELY_AFTER_SECONDS:
        return ReviewMoment.IMMEDIATELY_AFTER
    return ReviewMoment.LATER_WHILE_OPEN


def review_visibility(now: datetime, submitted_at: datetime | None, close_at: datetime | None,
                      options: Mapping[str, Iterable[str]], immediate_feedback: bool = False
                      ) -> frozenset[ReviewThing]:
    """What the learner may see of an attempt now. Anything not granted for the current moment is hidden.

    `options` maps a moment ("during", "immediately_after", "later_while_open", "after_close") to the
    things shown then ("attempt", "correctness", "marks", "specific_feedback", "general_feedback",
    "right_answer", "overall_feedback"); unknown names are ignored, a missing moment shows nothing.
    Pass the learner's effective close time (after overrides); `submitted_at` is None during the attempt.
    Correctness, feedback and the right answer need "attempt" too (as in Moodle's settings form).

    During the attempt, with deferred feedback (the default: answers are marked only at submit) the
    learner sees only their own answers, whatever the options say. With `immediate_feedback` the
    "during" options apply, and the service shows them only for questions whose answer is already final.
    """
    moment = review_moment(now, submitted_at, close_at)
    granted = options.get(str(moment)) or ()
    things = {ReviewThing(t) for t in granted if t in ReviewThing._value2member_map_}
    if ReviewThing.ATTEMPT not in things:
        things -= _NEED_ATTEMPT
    if moment == ReviewMoment.DURING and not immediate_feedback:
        things &= {ReviewThing.ATTEMPT}
    return frozenset(things)


# ---- grades ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttemptTotal:
    score: float  # sum of the graded questions' scores
    max_score: float  # sum of the maximum marks of every graded-or-pending question
    pending: int = 0  # questions waiting for a lecturer (essays)

    @property
    def complete(self) -> bool:
        return self.pending == 0


def attempt_total(items: Iterable[tuple[Mark, float]]) -> AttemptTotal:
    """Sum (mark, max mark) pairs. Descriptions count for nothing; an ungraded essay makes the total pending."""
    total = maximum = 0.0
    pending = 0
    for item_mark, max_mark in items:
        if item_mark.state == MarkState.NO_GRADE:
            continue
        maximum += max_mark
        value = score(item_mark, max_mark)
        if value is None:
            pending += 1
        else:
            total += value
    return AttemptTotal(round(total, 7), round(maximum, 7), pending)


def rescale(value: float | None, from_max: float, to_max: float) -> float | None:
    """A score out of `from_max` as a grade out of `to_max` (e.g. marks out of 20 -> grade out of 10)."""
    if value is None:
        return None
    if from_max <= 0:
        return 0.0
    return round(value * to_max / from_max, 7)


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


GRADING_METHOD_LABELS = {
    GradingMethod.HIGHEST: N_("Highest grade"),
    GradingMethod.AVERAGE: N_("Average grade"),
    GradingMethod.FIRST: N_("First attempt"),
    GradingMethod.LAST: N_("Last attempt"),
}


@dataclass(frozen=True)
class AttemptResult:
    """A finished attempt: when it started and its grade (None while an essay waits for a lecturer)."""

    started_at: datetime
    grade: float | None


@dataclass(frozen=True)
class QuizGrade:
    grade: float | None  # None: no grade yet (no graded attempt, or the deciding attempt is pending)
    pending: bool = False  # an ungraded attempt may still change the grade
    counted: int = 0  # how many attempts the grade is made of

    @property
    def final(self) -> bool:
        return self.grade is not None and not self.pending


def quiz_grade(attempts: Iterable[AttemptResult], method: GradingMethod | str) -> QuizGrade:
    """The learner's quiz grade from their finished attempts, by the quiz's grading method.

    highest / average: over the graded attempts only; an ungraded one makes the grade pending.
    first / last: the attempt that started first / last decides; while it is ungraded the grade is None
    and pending (the other attempts are not used instead).
    """
    method = GradingMethod(method)
    items = sorted(attempts, key=lambda a: a.started_at)
    if not items:
        return QuizGrade(None)
    graded = [a.grade for a in items if a.grade is not None]
    pending = len(graded) < len(items)
    if method in (GradingMethod.FIRST, GradingMethod.LAST):
        decisive = items[0] if method == GradingMethod.FIRST else items[-1]
        if decisive.grade is None:
            return QuizGrade(None, True, 0)
        return QuizGrade(decisive.grade, False, 1)
    if not graded:
        return QuizGrade(None, pending, 0)
    value = max(graded) if method == GradingMethod.HIGHEST else round(sum(graded) / len(graded), 7)
    return QuizGrade(value, pending, len(graded))


def passed(grade: float | None, pass_mark: float | None) -> bool:
    """A grade reaches the pass mark (same scale). No grade never passes; no pass mark: any grade passes."""
    if grade is None:
        return False
    if not pass_mark:
        return True
    return grade >= pass_mark - 1e-9


# ---- random draw and shuffling --------------------------------------------------------------------

def attempt_rng(seed: int | str) -> random.Random:
    """The seeded generator of one attempt (e.g. seeded with the attempt's id and a per-quiz salt)."""
    return random.Random(seed)  # noqa: S311 - order, not secrecy


def shuffle(items: Iterable[T], rng: random.Random) -> list[T]:
    """A shuffled copy; the same seed and the same input order give the same result."""
    out = list(items)
    rng.shuffle(out)
    return out


def draw_problems(pool_by_category: Mapping[str, Sequence], counts: Mapping[str, int] | Iterable[tuple[str, int]]
                  ) -> list[Message]:
    """Why a draw is impossible (a category without enough questions); empty when it is possible."""
    problems = []
    for category, count in (counts.items() if isinstance(counts, Mapping) else counts):
        available = len(pool_by_category.get(category, ()))
        if count < 0:
            problems.append(msg(N_("The number of questions to draw cannot be negative.")))
        elif count > available:
            problems.append(msg(N_("Category %(category)s has %(available)s questions; %(count)s cannot be drawn."),
                                category=category, available=available, count=count))
    return problems


def draw_questions(pool_by_category: Mapping[str, Sequence[T]],
                   counts: Mapping[str, int] | Iterable[tuple[str, int]], rng: random.Random,
                   key: Callable[[T], Hashable] = lambda item: item) -> list[T]:
    """Draw `count` distinct questions from each category, in the order the counts are given.

    A question listed under two categories (a category and its parent) is drawn at most once: list the
    narrower category first, so the wider one draws from what is left. Raises
    ValueError when a category cannot supply its count (check with `draw_problems` when saving the quiz).
    Reproducible: the same pools (same order), counts and seed give the same questions.
    """
    drawn: list[T] = []
    seen: set[Hashable] = set()
    for category, count in (counts.items() if isinstance(counts, Mapping) else counts):
        candidates = [item for item in pool_by_category.get(category, ()) if key(item) not in seen]
        if count < 0 or count > len(candidates):
            raise ValueError(f"category {category!r} has {len(candidates)} questions left, {count} wanted")
        picked = rng.sample(candidates, count)
        seen.update(key(item) for item in picked)
        drawn.extend(picked)
    return drawn


def answer_order(question: Question, rng: random.Random) -> list[int]:
    """The order in which a multichoice question's answers are shown (indexes into `question.answers`)."""
    order = list(range(len(question.answers)))
    if question.type == QType.MULTICHOICE and question.shuffle_answers:
        rng.shuffle(order)
    return order


def matching_choices(question: Question, rng: random.Random) -> list[str]:
    """The distinct answers offered for every pair of a matching question (distractors included)."""
    seen: dict[str, None] = {}
    for sub in question.subquestions:
        text = normalise_text(sub.answer)
        if text:
            seen.setdefault(text, None)
    choices = list(seen)
    if question.shuffle_answers:
        rng.shuffle(choices)
    return choices

