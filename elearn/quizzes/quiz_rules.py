"""Rules of a quiz and its attempts beyond attempts.py. Pure Python: no Flask, no database.

- `effective()`: the quiz's timing settings after a learner's override.
- `attempt_times()`: the server deadline (and end of grace) fixed when an attempt starts.
- `sweep_outcome()`: what the server does with an open attempt at `now` (keep, overdue, finish at the deadline,
  abandon) — used by the lazy check on every access and by `flask quizzes close-overdue`.
- `plan_attempt()` and `paginate()`: which question versions an attempt shows, in which order, on which page.
- `page_access()` / `save_allowed()`: free or sequential navigation.
- `learner_question()`, `to_stored()`, `to_client()`: what the browser receives and sends. The browser never gets
  fractions, feedback or the authored answer order (a multichoice answer is named by its shown position, which
  the server maps back), so nothing about right answers leaves the server during an attempt.
- `review_question()`: one question as the review shows it, with only the things the review settings allow.
"""
from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from elearn.courses.messages import N_, Message, msg

from .attempts import ExpiryRule, Override, answer_order, deadline, effective_override, matching_choices
from .grading import Mark, MarkState, normalise_text, response_problem
from .questions import QType, Question

NAVIGATION_LABELS = {"free": N_("Free: any page in any order"), "sequential": N_("Sequential: pages in order, no going back")}
ROLE_LABELS = {"": N_("Ordinary quiz"), "pretest": N_("Pre-test (before the course)"),
               "posttest": N_("Post-test (after the course)")}
MAX_RESPONSE_CHARS = 20000  # an essay longer than this is refused, not cut


# ---- effective settings -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Timing:
    """The timing settings of a quiz for one learner (after the override)."""

    open_at: datetime | None = None
    close_at: datetime | None = None
    time_limit: int = 0  # seconds, 0 = none
    extra_seconds: int = 0
    attempts_allowed: int = 1  # 0 = unlimited
    delay_seconds: int = 0
    expiry_rule: str = ExpiryRule.AUTOSUBMIT
    grace_seconds: int = 0


def effective(timing: Timing, overrides: Override | Iterable[Override] | None) -> Timing:
    """The quiz's timing with the learner's override applied (None fields of the override keep the quiz's)."""
    override = effective_override(overrides)
    if override is None:
        return timing
    return Timing(
        open_at=override.open_at if override.open_at is not None else timing.open_at,
        close_at=override.close_at if override.close_at is not None else timing.close_at,
        time_limit=override.time_limit if override.time_limit is not None else timing.time_limit,
        extra_seconds=max(0, int(override.extra_seconds or 0)),
        attempts_allowed=override.attempts_allowed if override.attempts_allowed is not None else timing.attempts_allowed,
        delay_seconds=timing.delay_seconds, expiry_rule=timing.expiry_rule, grace_seconds=timing.grace_seconds,
    )


def attempt_times(timing: Timing, started_at: datetime) -> tuple[datetime | None, datetime | None]:
    """(deadline, end of grace) of an attempt started at `started_at`; the end of grace only for the grace rule."""
    due = deadline(started_at, timing.time_limit, timing.close_at, timing.extra_seconds)
    if due is None or ExpiryRule(timing.expiry_rule) != ExpiryRule.GRACE:
        return due, None
    return due, due + timedelta(seconds=max(0, timing.grace_seconds))


def timing_problems(timing: Timing) -> list[Message]:
    """Why quiz settings cannot be saved (an empty list when they can)."""
    problems = []
    if timing.open_at and timing.close_at and timing.close_at <= timing.open_at:
        problems.append(msg(N_("The close time must be after the open time.")))
    if timing.time_limit < 0 or timing.extra_seconds < 0 or timing.delay_seconds < 0 or timing.grace_seconds < 0:
        problems.append(msg(N_("Times cannot be negative.")))
    if timing.attempts_allowed < 0:
        problems.append(msg(N_("The number of attempts cannot be negative.")))
    if ExpiryRule(timing.expiry_rule) == ExpiryRule.GRACE and timing.grace_seconds <= 0:
        problems.append(msg(N_("Give the grace period a length.")))
    return problems


# ---- expiry -------------------------------------------------------------------------------------------------------

class Outcome(StrEnum):
    KEEP = "keep"  # still in progress
    OVERDUE = "overdue"  # grace period: submit only
    FINISH = "finish"  # autosubmit: finished at the deadline with the answers saved before it
    ABANDON = "abandon"  # not submitted in time: never graded


def sweep_outcome(now: datetime, due: datetime | None, expiry_rule: str, grace_until: datetime | None) -> Outcome:
    """What becomes of an unsubmitted attempt at `now` (the deadline itself is already too late)."""
    if due is None or now < due:
        return Outcome.KEEP
    rule = ExpiryRule(expiry_rule)
    if rule == ExpiryRule.AUTOSUBMIT:
        return Outcome.FINISH
    if rule == ExpiryRule.GRACE and grace_until is not None and now < grace_until:
        return Outcome.OVERDUE
    return Outcome.ABANDON


# ---- building an attempt ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SlotPlan:
    """One quiz slot: a fixed question id, or `count` drawn from the pool named `pool`."""

    mark: float
    question_id: int | None = None
    pool: Hashable | None = None
    count: int = 1


@dataclass(frozen=True)
class Planned:
    question_id: int
    mark: float


def plan_attempt(slots: Sequence[SlotPlan], pools: Mapping[Hashable, Sequence[int]], rng: random.Random,
                 shuffle_questions: bool) -> list[Planned]:
    """The questions of a new attempt, in order. A random slot never draws a question that a fixed slot or an
    earlier draw already holds. ValueError when a pool cannot supply its count."""
    taken = {s.question_id for s in slots if s.question_id is not None}
    planned: list[Planned] = []
    for slot in slots:
        if slot.question_id is not None:
            planned.append(Planned(slot.question_id, slot.mark))
            continue
        candidates = [q for q in pools.get(slot.pool, ()) if q not in taken]
        if slot.count < 0 or slot.count > len(candidates):
            raise ValueError(f"pool {slot.pool!r} has {len(candidates)} questions left, {slot.count} wanted")
        for qid in rng.sample(candidates, slot.count):
            taken.add(qid)
            planned.append(Planned(qid, slot.mark))
    if shuffle_questions:
        rng.shuffle(planned)
    return planned


def paginate(count: int, per_page: int, pages_break_after: Sequence[int] = ()) -> list[int]:
    """The 0-based page of each of `count` questions; `per_page` 0 puts them all on one page. Descriptions could
    be kept with the next question by the caller; here pages are simply filled in order."""
    if per_page <= 0:
        return [0] * count
    return [i // per_page for i in range(count)]


def choice_order(question: Question, rng: random.Random, shuffle_answers: bool) -> list:
    """What an attempt freezes for a question: multichoice answer indexes in shown order, matching choices."""
    if question.type == QType.MULTICHOICE:
        if not shuffle_answers:
            return list(range(len(question.answers)))
        return answer_order(question, rng)
    if question.type == QType.MATCHING:
        if not shuffle_answers:
            copy = replace(question, shuffle_answers=False)
            return matching_choices(copy, rng)
        return matching_choices(question, rng)
    return []


# ---- navigation ---------------------------------------------------------------------------------------------------

def page_access(navigation: str, current_page: int, page: int, page_count: int) -> bool:
    """May the learner open `page`? Free: any page. Sequential: the current page or the next one (moving on)."""
    if not 0 <= page < page_count:
        return False
    if navigation == "sequential":
        return page in (current_page, current_page + 1)
    return True


def save_allowed(navigation: str, current_page: int, page: int) -> bool:
    """May answers on `page` be saved? Sequential navigation: only on the current page (no going back or ahead)."""
    return navigation != "sequential" or page == current_page


# ---- what the browser sends and receives --------------------------------------------------------------------------

class ResponseRefused(ValueError):
    def __init__(self, message: Message):
        super().__init__(message.msgid)
        self.message = message


def to_stored(question: Question, order: Sequence, value: Any) -> Any:
    """A response from the browser (multichoice: shown positions) as grading.mark() reads it (authored indexes).

    Raises ResponseRefused for a response that does not fit the question."""
    qtype = question.type
    if value is None or qtype == QType.DESCRIPTION:
        return None
    if qtype == QType.MULTICHOICE:
        positions = value if isinstance(value, list) else [value]
        out = []
        for pos in positions:
            if isinstance(pos, bool) or not isinstance(pos, int | str):
                raise ResponseRefused(msg(N_("This answer is not one of the choices.")))
            try:
                index = int(pos)
            except ValueError:
                raise ResponseRefused(msg(N_("This answer is not one of the choices."))) from None
            if not 0 <= index < len(order):
                raise ResponseRefused(msg(N_("This answer is not one of the choices.")))
            out.append(order[index])
        stored: Any = sorted(set(out))
        if question.single:
            if len(stored) > 1:
                raise ResponseRefused(msg(N_("Choose only one answer.")))
            stored = stored[0] if stored else None
    elif qtype == QType.TRUEFALSE:
        stored = value
    elif qtype == QType.MATCHING:
        if not isinstance(value, Mapping):
            raise ResponseRefused(msg(N_("This answer is not one of the choices.")))
        stored = {str(k): v for k, v in value.items() if v not in (None, "")}
    else:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ResponseRefused(msg(N_("This answer cannot be read.")))
        if len(value) > MAX_RESPONSE_CHARS:
            raise ResponseRefused(msg(N_("This answer is too long.")))
        stored = value
    problem = response_problem(question, stored)
    if problem is not None:
        raise ResponseRefused(problem)
    return stored


def to_client(question: Question, order: Sequence, stored: Any) -> Any:
    """The stored response as the browser shows it (multichoice: shown positions)."""
    if stored is None:
        return None
    if question.type == QType.MULTICHOICE:
        indexes = stored if isinstance(stored, list) else [stored]
        positions = [order.index(i) for i in indexes if i in order]
        if question.single:
            return positions[0] if positions else None
        return sorted(positions)
    return stored


def learner_question(question: Question, order: Sequence) -> dict:
    """The question as the attempt page shows it: text and choices, never fractions, feedback or authored order.
    Text fields are raw author text; the caller renders them through core/html."""
    data: dict[str, Any] = {"type": str(question.type), "text": question.text, "text_format": str(question.text_format)}
    if question.type == QType.MULTICHOICE:
        data["single"] = question.single
        data["choices"] = [question.answers[i].text for i in order if 0 <= i < len(question.answers)]
    elif question.type == QType.MATCHING:
        data["stems"] = [{"index": i, "text": s.text} for i, s in enumerate(question.subquestions)
                         if normalise_text(s.text)]
        data["choices"] = list(order)
    return data


# ---- review -------------------------------------------------------------------------------------------------------

@dataclass
class ReviewItem:
    """One question of a review, holding only what the review settings allow."""

    state: str | None = None  # MarkState (correctness)
    score: float | None = None  # marks (with max_mark)
    max_mark: float | None = None
    feedback: list[str] = field(default_factory=list)  # specific feedback
    general_feedback: str | None = None
    right_answer: Any = None  # shown form: positions (multichoice), text, {stem: choice} ...


def right_answer(question: Question, order: Sequence) -> Any:
    """The right answer in the shown form: multichoice positions with credit, the best short answer, ..."""
    qtype = question.type
    if qtype == QType.MULTICHOICE:
        positions = [pos for pos, i in enumerate(order) if 0 <= i < len(question.answers)
                     and question.answers[i].fraction > 0]
        if question.single:
            best = max(positions, key=lambda p: question.answers[order[p]].fraction, default=None)
            return best
        return positions
    if qtype == QType.TRUEFALSE:
        for answer in question.answers:
            if answer.fraction >= 1 and normalise_text(answer.text).casefold() in ("true", "false"):
                return normalise_text(answer.text).casefold() == "true"
        if len(question.answers) == 2:
            return question.answers[0].fraction >= question.answers[1].fraction
        return None
    if qtype in (QType.SHORTANSWER, QType.NUMERICAL):
        best = max(question.answers, key=lambda a: a.fraction, default=None)
        if best is None:
            return None
        if qtype == QType.NUMERICAL and best.tolerance:
            return f"{best.text} ± {best.tolerance:g}"
        return best.text
    if qtype == QType.MATCHING:
        return {str(i): normalise_text(s.answer) for i, s in enumerate(question.subquestions) if normalise_text(s.text)}
    return None


def review_question(question: Question, order: Sequence, mark: Mark | None, score: float | None, max_mark: float,
                    things: frozenset[str]) -> ReviewItem:
    item = ReviewItem()
    if "attempt" not in things:
        return item
    if "correctness" in things and mark is not None:
        item.state = str(mark.state)
    if "marks" in things and mark is not None and mark.state != MarkState.NO_GRADE:
        item.score, item.max_mark = score, max_mark
    if "specific_feedback" in things and mark is not None:
        item.feedback = list(mark.feedback)
    if "general_feedback" in things and question.general_feedback:
        item.general_feedback = question.general_feedback
    if "right_answer" in things:
        item.right_answer = right_answer(question, order)
    return item


def overall_feedback(bands: Iterable[Mapping], grade: float | None) -> str:
    """The text of the highest band whose `min` the grade reaches ("" without a grade or a band)."""
    if grade is None:
        return ""
    best = None
    for band in bands:
        try:
            low = float(band.get("min", 0))
        except (TypeError, ValueError):
            continue
        if grade + 1e-9 >= low and (best is None or low > best[0]):
            best = (low, str(band.get("text", "")))
    return best[1] if best else ""
