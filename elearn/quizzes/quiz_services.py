"""Use cases of quizzes and attempts: settings, overrides, start, save, submit, expiry, grading, results.

The acting user is an argument; nothing here reads the request. Permission (core/authz.py) is checked by the
views and the API; the rules here (who owns an attempt, timing, navigation) are checked again whatever calls.

Durability: start, save and submit commit before they return, so whatever the caller acknowledges is stored.
Every write a client may retry is idempotent: a save carries the client's sequence number (a response older
than the stored one is skipped), a submit finishes an attempt only from an open state under a row lock
(SELECT ... FOR UPDATE on PostgreSQL) and a conditional UPDATE, so two concurrent submits finish it once.
"""
from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from elearn.core import audit, clock, html
from elearn.courses import items
from elearn.courses.messages import N_, Message, msg
from elearn.courses.models import Section, SectionItem
from elearn.extensions import db
from elearn.quizzes import quiz_rules as rules
from elearn.quizzes.attempts import (
    AttemptResult,
    ExpiryRule,
    GradingMethod,
    Override,
    ReviewThing,
    attempt_rng,
    can_start,
    passed,
    quiz_grade,
    rescale,
    review_visibility,
    seconds_left,
)
from elearn.quizzes.grading import Mark, MarkState, mark
from elearn.quizzes.models import BankQuestion, QuestionCategory, QuestionVersion
from elearn.quizzes.questions import QType, Question
from elearn.quizzes.quiz_models import (
    ABANDONED,
    FINISHED,
    IN_PROGRESS,
    OPEN_STATES,
    OVERDUE,
    Attempt,
    AttemptAnswer,
    Quiz,
    QuizOverride,
    QuizResult,
    QuizSlot,
)
from elearn.quizzes.quiz_models import DEFAULT_REVIEW_OPTIONS as DEFAULT_REVIEW


class QuizError(Exception):
    """A rule refused the request. `message` is a msgid (with `params`); `status` the HTTP status to answer."""

    def __init__(self, message: str | Message, status: int = 400, **params):
        if isinstance(message, Message):
            params = {**message.params, **params}
            message = message.msgid
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
        self.status = status


# ---- settings -----------------------------------------------------------------------------------------------------

@dataclass
class QuizSettings:
    title: str = ""
    intro: str = ""
    open_at: datetime | None = None
    close_at: datetime | None = None
    time_limit: int = 0
    expiry_rule: str = ExpiryRule.AUTOSUBMIT
    grace_seconds: int = 0
    attempts_allowed: int = 1
    delay_seconds: int = 0
    grading_method: str = GradingMethod.HIGHEST
    max_grade: float = 10.0
    pass_mark: float | None = None
    shuffle_questions: bool = False
    shuffle_answers: bool = True
    questions_per_page: int = 1
    navigation: str = "free"
    review_options: dict = field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_REVIEW.items()})
    feedback_bands: list = field(default_factory=list)
    role: str = ""
    autosave_seconds: int = 20

    @classmethod
    def of(cls, quiz: Quiz) -> QuizSettings:
        return cls(**{name: getattr(quiz, name) for name in cls.__dataclass_fields__})

SETTING_FIELDS = tuple(QuizSettings.__dataclass_fields__)


def settings_problems(data: QuizSettings) -> list[Message]:
    problems = rules.timing_problems(_timing_of(data))
    if not data.title.strip():
        problems.append(msg(N_("Give the quiz a title.")))
    if data.expiry_rule not in set(ExpiryRule):
        problems.append(msg(N_("Unknown expiry rule.")))
    if data.grading_method not in set(GradingMethod):
        problems.append(msg(N_("Unknown grading method.")))
    if data.navigation not in rules.NAVIGATION_LABELS:
        problems.append(msg(N_("Unknown navigation.")))
    if data.role not in rules.ROLE_LABELS:
        problems.append(msg(N_("Unknown quiz role.")))
    if not data.max_grade or data.max_grade <= 0:
        problems.append(msg(N_("The maximum grade must be above 0.")))
    elif data.pass_mark is not None and not 0 <= data.pass_mark <= data.max_grade:
        problems.append(msg(N_("The pass mark must be between 0 and the maximum grade.")))
    if data.questions_per_page < 0:
        problems.append(msg(N_("The number of questions per page cannot be negative.")))
    if not 5 <= data.autosave_seconds <= 600:
        problems.append(msg(N_("Autosave every 5 to 600 seconds.")))
    return problems


def _timing_of(data: QuizSettings | Quiz) -> rules.Timing:
    return rules.Timing(open_at=data.open_at, close_at=data.close_at, time_limit=int(data.time_limit or 0),
                        attempts_allowed=int(data.attempts_allowed or 0), delay_seconds=int(data.delay_seconds or 0),
                        expiry_rule=data.expiry_rule, grace_seconds=int(data.grace_seconds or 0))


def _apply(quiz: Quiz, data: QuizSettings) -> None:
    problems = settings_problems(data)
    if problems:
        raise QuizError(problems[0])
    for name in SETTING_FIELDS:
        setattr(quiz, name, getattr(data, name))
    quiz.title = data.title.strip()[:300]
    quiz.intro = html.clean(data.intro)
    quiz.review_options = {moment: [t for t in things if t in set(ReviewThing)]
                           for moment, things in (data.review_options or {}).items()}
    quiz.feedback_bands = [{"min": float(b.get("min", 0)), "text": html.clean(str(b.get("text", "")))}
                           for b in data.feedback_bands or []]


def create_quiz(actor, course, section: Section, data: QuizSettings, required: bool = True) -> Quiz:
    """A new quiz at the end of a section of the course (a section item of kind "quiz")."""
    if section.course_id != course.id:
        raise QuizError(N_("This section belongs to another course."), status=404)
    quiz = Quiz(course_id=course.id, created_by_id=actor.id)
    _apply(quiz, data)
    db.session.add(quiz)
    db.session.flush()
    section.items.append(SectionItem(kind="quiz", ref_id=quiz.id, required=required,
                                     position=len(section.items) + 1))
    audit.record(actor, "quiz.create", quiz, after={"title": quiz.title}, label=quiz.title)
    db.session.commit()
    return quiz


def update_quiz(actor, quiz: Quiz, data: QuizSettings) -> Quiz:
    """Change the settings. Attempts already started keep their deadline, order and question versions."""
    before = {"title": quiz.title, "time_limit": quiz.time_limit, "close_at": str(quiz.close_at)}
    _apply(quiz, data)
    audit.record(actor, "quiz.update", quiz, before=before,
                 after={"title": quiz.title, "time_limit": quiz.time_limit, "close_at": str(quiz.close_at)},
                 label=quiz.title)
    db.session.commit()
    return quiz


def item_of(quiz: Quiz) -> SectionItem | None:
    return db.session.scalar(select(SectionItem).where(SectionItem.kind == "quiz", SectionItem.ref_id == quiz.id))


# ---- slots --------------------------------------------------------------------------------------------------------

@dataclass
class SlotSpec:
    mark: float = 1.0
    question_id: int | None = None
    category_id: int | None = None
    include_subcategories: bool = False
    count: int = 1


def _pool_ids(course_id: int, category_id: int, include_sub: bool) -> list[int]:
    wanted = {category_id}
    if include_sub:
        cats = db.session.execute(select(QuestionCategory.id, QuestionCategory.parent_id)
                                  .where(QuestionCategory.course_id == course_id)).all()
        children: dict[int | None, list[int]] = {}
        for cid, parent in cats:
            children.setdefault(parent, []).append(cid)
        todo = [category_id]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in wanted:
                    wanted.add(child)
                    todo.append(child)
    return list(db.session.scalars(select(BankQuestion.id).where(
        BankQuestion.category_id.in_(wanted), BankQuestion.deleted.is_(False),
        BankQuestion.qtype != QType.DESCRIPTION).order_by(BankQuestion.id)))


def set_slots(actor, quiz: Quiz, specs: Iterable[SlotSpec]) -> None:
    """Replace the quiz's question list. Questions and categories must belong to the quiz's course bank."""
    specs = list(specs)
    plans = []
    pools: dict = {}
    for spec in specs:
        if spec.mark < 0:
            raise QuizError(N_("Marks cannot be negative."))
        if spec.question_id is not None:
            q = db.session.get(BankQuestion, spec.question_id)
            if q is None or q.course_id != quiz.course_id or q.deleted:
                raise QuizError(N_("This question is not in the course's question bank."))
            plans.append(rules.SlotPlan(spec.mark, question_id=q.id))
        else:
            cat = db.session.get(QuestionCategory, spec.category_id) if spec.category_id else None
            if cat is None or cat.course_id != quiz.course_id:
                raise QuizError(N_("This category is not in the course's question bank."))
            key = (cat.id, spec.include_subcategories)
            pools[key] = _pool_ids(quiz.course_id, cat.id, spec.include_subcategories)
            plans.append(rules.SlotPlan(spec.mark, pool=key, count=spec.count))
    try:
        rules.plan_attempt(plans, pools, attempt_rng(0), False)
    except ValueError:
        raise QuizError(N_("A category does not hold enough questions for the random draw.")) from None
    quiz.slots.clear()
    db.session.flush()
    for pos, spec in enumerate(specs, 1):
        quiz.slots.append(QuizSlot(position=pos, question_id=spec.question_id,
                                   category_id=None if spec.question_id else spec.category_id,
                                   include_subcategories=spec.include_subcategories, count=max(1, spec.count),
                                   mark=spec.mark))
    audit.record(actor, "quiz.slots", quiz, after={"slots": len(specs)}, label=quiz.title)
    db.session.commit()


def question_count(quiz: Quiz) -> int:
    return sum(1 if s.question_id else s.count for s in quiz.slots)


# ---- overrides ----------------------------------------------------------------------------------------------------

def set_override(actor, quiz: Quiz, user_id: int, *, open_at=None, close_at=None, time_limit: int | None = None,
                 extra_seconds: int = 0, attempts_allowed: int | None = None) -> QuizOverride:
    from elearn.courses.services import enrolment_of

    if enrolment_of(user_id, quiz.course_id) is None:
        raise QuizError(N_("This person is not enrolled in the course."))
    if open_at and close_at and close_at <= open_at:
        raise QuizError(N_("The close time must be after the open time."))
    if (time_limit is not None and time_limit < 0) or extra_seconds < 0 or (attempts_allowed or 0) < 0:
        raise QuizError(N_("Times cannot be negative."))
    row = db.session.scalar(select(QuizOverride).where(QuizOverride.quiz_id == quiz.id,
                                                       QuizOverride.user_id == user_id))
    if row is None:
        row = QuizOverride(quiz_id=quiz.id, user_id=user_id, created_by_id=actor.id)
        db.session.add(row)
    row.open_at, row.close_at, row.time_limit = open_at, close_at, time_limit
    row.extra_seconds, row.attempts_allowed = int(extra_seconds or 0), attempts_allowed
    audit.record(actor, "quiz.override", quiz, after={"user_id": user_id, "extra_seconds": row.extra_seconds,
                                                      "close_at": str(close_at)}, label=quiz.title)
    db.session.commit()
    return row


def delete_override(actor, quiz: Quiz, override_id: int) -> None:
    row = db.session.get(QuizOverride, override_id)
    if row is None or row.quiz_id != quiz.id:
        raise QuizError(N_("No such override."), status=404)
    audit.record(actor, "quiz.override_delete", quiz, before={"user_id": row.user_id}, label=quiz.title)
    db.session.delete(row)
    db.session.commit()


def overrides_of(quiz: Quiz) -> list[QuizOverride]:
    return list(db.session.scalars(select(QuizOverride).where(QuizOverride.quiz_id == quiz.id)
                                   .order_by(QuizOverride.id)))


def effective_settings(quiz: Quiz, user_id: int) -> rules.Timing:
    row = db.session.scalar(select(QuizOverride).where(QuizOverride.quiz_id == quiz.id,
                                                       QuizOverride.user_id == user_id))
    override = None if row is None else Override(open_at=row.open_at, close_at=row.close_at,
                                                 time_limit=row.time_limit, extra_seconds=row.extra_seconds,
                                                 attempts_allowed=row.attempts_allowed)
    return rules.effective(_timing_of(quiz), override)


# ---- attempts: reading --------------------------------------------------------------------------------------------

def _load_versions(answers: Iterable[AttemptAnswer]) -> None:
    """The frozen versions of these answers in one query (not one lazy load per answer)."""
    todo = [a for a in answers if "version" not in a.__dict__]
    if todo:
        found = {v.id: v for v in db.session.scalars(
            select(QuestionVersion).where(QuestionVersion.id.in_({a.question_version_id for a in todo})))}
        for answer in todo:
            set_committed_value(answer, "version", found.get(answer.question_version_id))


def question_of(answer: AttemptAnswer) -> Question:
    """The question exactly as the attempt froze it."""
    version = answer.version or db.session.get(QuestionVersion, answer.question_version_id)
    return Question.from_json(version.data)


def attempts_of(quiz: Quiz, user_id: int, include_preview: bool = False) -> list[Attempt]:
    query = select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id)
    if not include_preview:
        query = query.where(Attempt.preview.is_(False))
    return list(db.session.scalars(query.order_by(Attempt.number)))


def open_attempt(quiz: Quiz, user_id: int) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id,
                                                   Attempt.state.in_(OPEN_STATES)).order_by(Attempt.id.desc()))


def start_problems(quiz: Quiz, user_id: int, now: datetime | None = None,
                   timing: rules.Timing | None = None, done: list[Attempt] | None = None) -> list[Message]:
    """Why the learner cannot start a new attempt now (empty: they can). `timing`, `done` (the learner's attempts,
    previews excluded): when the caller has them already."""
    now = now or clock.now()
    timing = timing or effective_settings(quiz, user_id)
    done = attempts_of(quiz, user_id) if done is None else done
    last = max((a.finished_at for a in done if a.finished_at), default=None)
    reasons = can_start(now, timing.open_at, timing.close_at, len(done), timing.attempts_allowed, last,
                        timing.delay_seconds)
    if not quiz.slots:
        reasons.append(msg(N_("This quiz has no questions yet.")))
    return reasons


# ---- attempts: start ----------------------------------------------------------------------------------------------

def _plan(quiz: Quiz, rng) -> list[rules.Planned]:
    plans, pools = [], {}
    for slot in quiz.slots:
        if slot.question_id is not None:
            plans.append(rules.SlotPlan(slot.mark, question_id=slot.question_id))
        else:
            key = (slot.category_id, slot.include_subcategories)
            if key not in pools:
                pools[key] = _pool_ids(quiz.course_id, slot.category_id, slot.include_subcategories)
            plans.append(rules.SlotPlan(slot.mark, pool=key, count=slot.count))
    try:
        return rules.plan_attempt(plans, pools, rng, quiz.shuffle_questions)
    except ValueError:
        raise QuizError(N_("A category does not hold enough questions for the random draw."), status=409) from None


def start_attempt(actor, quiz: Quiz, preview: bool = False) -> Attempt:
    """Start (or resume) the learner's attempt. Freezes question versions, order, answer order, pages and the
    server deadline. Returns the open attempt if there is one. Commits.

    At 8:00 every learner of the province starts at once, so the learner's attempts are read once (they give the
    overdue ones to close, the open one to resume, the finished ones for the attempt limit and the next number),
    and the new attempt stays loaded after the commit (its answers' count: `attempt.question_count`)."""
    now = clock.now()
    mine = attempts_of(quiz, actor.id, include_preview=True)
    if any(a.state in OPEN_STATES and a.deadline is not None and a.deadline <= now for a in mine):
        close_overdue(now, quiz_id=quiz.id, user_id=actor.id)
        mine = attempts_of(quiz, actor.id, include_preview=True)
    current = next((a for a in reversed(mine) if a.state in OPEN_STATES), None)
    if current is not None:
        return current
    timing = effective_settings(quiz, actor.id)
    if not preview:
        problems = start_problems(quiz, actor.id, now, timing, [a for a in mine if not a.preview])
        if problems:
            raise QuizError(problems[0], status=409)
    elif not quiz.slots:
        raise QuizError(N_("This quiz has no questions yet."), status=409)
    seed = secrets.randbelow(2**31)
    rng = attempt_rng(seed)
    planned = _plan(quiz, rng)
    pages = rules.paginate(len(planned), quiz.questions_per_page)
    due, grace_until = rules.attempt_times(timing, now)
    rows = _answer_rows(quiz, planned, pages, rng)
    attempt = Attempt(quiz_id=quiz.id, user_id=actor.id, number=max((a.number for a in mine), default=0) + 1,
                      state=IN_PROGRESS, started_at=now, deadline=due, grace_until=grace_until,
                      expiry_rule=quiz.expiry_rule, navigation=quiz.navigation,
                      page_count=(max(pages) + 1) if pages else 1, current_page=0, seed=seed,
                      token=secrets.token_urlsafe(32), preview=preview,
                      max_sumgrades=sum(row["max_mark"] for row in rows), last_seq=0)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:  # a concurrent start of the same learner won the number
        db.session.rollback()
        current = open_attempt(quiz, actor.id)
        if current is not None:
            return current
        raise QuizError(N_("Another attempt was started at the same time; try again."), status=409) from None
    db.session.execute(insert(AttemptAnswer), [{**row, "attempt_id": attempt.id} for row in rows])  # one executemany
    attempt.question_count = len(rows)
    _commit_keeping_loaded()
    return attempt


def _commit_keeping_loaded() -> None:
    """Commit without expiring what this request loaded: the objects hold exactly what was just written, so reading
    them back (a SELECT per object) would only cost time."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _answer_rows(quiz: Quiz, planned: list[rules.Planned], pages: list[int], rng) -> list[dict]:
    """The attempt's answer rows (without attempt_id): each planned question's current version, frozen, in one
    query (question and version joined); answer orders drawn from `rng` in slot order."""
    current = dict(db.session.execute(
        select(QuestionVersion.question_id, QuestionVersion)
        .join(BankQuestion, (BankQuestion.id == QuestionVersion.question_id)
              & (BankQuestion.current_version == QuestionVersion.number))
        .where(QuestionVersion.question_id.in_({p.question_id for p in planned}))).all())
    rows = []
    for index, (plan, page) in enumerate(zip(planned, pages, strict=True), 1):
        version = current[plan.question_id]
        question = Question.from_json(version.data)
        rows.append(dict(
            slot=index, page=page, question_id=plan.question_id, question_version_id=version.id, qtype=str(question.type),
            max_mark=0.0 if question.type == QType.DESCRIPTION else plan.mark,
            choice_order=rules.choice_order(question, rng, quiz.shuffle_answers and question.shuffle_answers),
            response=None, seq=0))
    return rows


# ---- expiry -------------------------------------------------------------------------------------------------------

def _locked(attempt_id: int) -> Attempt:
    """The attempt, re-read under a row lock (PostgreSQL: FOR UPDATE; SQLite serialises writers anyway)."""
    return db.session.execute(select(Attempt).where(Attempt.id == attempt_id).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one()


def _finish(attempt: Attempt, at: datetime, reason: str, state: str = FINISHED) -> bool:
    """Move an open attempt to `state` exactly once (a conditional UPDATE); False when it was not open any more."""
    db.session.flush()
    result = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.state.in_(OPEN_STATES))
        .values(state=state, finished_at=at, finish_reason=reason).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(attempt)
        return False
    for name, value in (("state", state), ("finished_at", at), ("finish_reason", reason)):
        set_committed_value(attempt, name, value)  # already written by the UPDATE above: no second UPDATE
    if state == FINISHED:
        grade_attempt(attempt)
    db.session.flush()
    if not attempt.preview:
        update_result(attempt.quiz, attempt.user_id)
    return True


def _apply_expiry(attempt: Attempt, now: datetime) -> bool:
    """Apply the expiry rule to a locked open attempt; True when its state changed."""
    if attempt.state not in OPEN_STATES:
        return False
    outcome = rules.sweep_outcome(now, attempt.deadline, attempt.expiry_rule, attempt.grace_until)
    if outcome == rules.Outcome.FINISH:
        return _finish(attempt, attempt.deadline, "timeout")
    if outcome == rules.Outcome.ABANDON:
        return _finish(attempt, attempt.deadline, "abandoned", state=ABANDONED)
    if outcome == rules.Outcome.OVERDUE and attempt.state != OVERDUE:
        attempt.state = OVERDUE
        return True
    return False


def sync_attempt(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close the attempt if its time is up (the lazy check on every access). Commits when it changed."""
    now = now or clock.now()
    if attempt.state in OPEN_STATES and rules.sweep_outcome(now, attempt.deadline, attempt.expiry_rule,
                                                            attempt.grace_until) != rules.Outcome.KEEP:
        locked = _locked(attempt.id)
        if _apply_expiry(locked, now):
            db.session.commit()
        else:
            db.session.rollback()
    return attempt


def close_overdue(now: datetime | None = None, quiz_id: int | None = None, user_id: int | None = None) -> int:
    """Close every open attempt past its deadline (or end of grace) by its expiry rule; returns how many changed."""
    now = now or clock.now()
    query = select(Attempt.id).where(Attempt.state.in_(OPEN_STATES), Attempt.deadline.is_not(None),
                                     Attempt.deadline <= now)
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    changed = 0
    for attempt_id in list(db.session.scalars(query.order_by(Attempt.id))):
        attempt = _locked(attempt_id)
        if _apply_expiry(attempt, now):
            changed += 1
            db.session.commit()
        else:
            db.session.rollback()
    return changed


# ---- attempts: saving ---------------------------------------------------------------------------------------------

@dataclass
class SaveResult:
    seq: int  # the client sequence number acknowledged (everything up to it is stored)
    saved_at: datetime | None
    state: str
    seconds_left: int | None
    saved_slots: list[int] = field(default_factory=list)


def _own(actor, attempt: Attempt) -> None:
    if attempt.user_id != actor.id:
        raise QuizError(N_("This is not your attempt."), status=403)


def _parse_slots(answers: Mapping) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for key, value in answers.items():
        try:
            slot = int(key)
        except (TypeError, ValueError):
            raise QuizError(N_("This question is not part of the attempt."), status=400) from None
        out[slot] = value
    return out


def _write_answers(attempt_id: int, navigation: str, current_page: int, slots: Mapping[int, Any], seq: int,
                   now: datetime, rows: Iterable | None = None) -> list[int]:
    """Validate every response first (nothing is written when one is refused: QuizError), then store the newer
    ones; returns the slots written. The attempt must be locked by the caller. Works on rows (the touched answers
    with their frozen version's data: `rows` when the caller read them with the attempt, else one query; one
    UPDATE per saved answer): saving is the busiest request."""
    stmt = _save_statements()
    if rows is None:
        rows = db.session.execute(stmt.answers, {"attempt_id": attempt_id, "slots": list(slots)}) if slots else ()
    found = {r.slot: r for r in rows if r.slot is not None}
    if len(found) != len(slots):
        raise QuizError(N_("This question is not part of the attempt."), status=400)
    changes, saved = [], []
    for slot, value in slots.items():
        answer = found[slot]
        if not rules.save_allowed(navigation, current_page, answer.page):
            raise QuizError(N_("This page cannot be changed any more (sequential navigation)."), status=409)
        try:
            stored = rules.to_stored(Question.from_json(answer.data), answer.choice_order, value)
        except rules.ResponseRefused as refused:
            raise QuizError(refused.message, status=400, slot=slot) from None
        if seq > answer.seq:  # an older request arriving late never overwrites a newer answer (the lock holds)
            changes.append({"answer_id": answer.id, "response": stored, "seq": seq, "saved_at": now})
            saved.append(slot)
    if changes:
        db.session.execute(stmt.answer_update, changes)
    return saved


def _check_seq(seq: Any) -> int:
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 < seq < 2**31:
        raise QuizError(N_("The save sequence number is missing or invalid."), status=400)
    return seq


def save_answers(actor, attempt: Attempt, answers: Mapping, seq: Any, page: Any = None) -> SaveResult:
    """Store responses ({slot: response}, the shown form) under the client's sequence number; see `save_by_id`."""
    _own(actor, attempt)
    return save_by_id(actor.id, attempt.id, answers, seq, page)


def save_by_id(user_id: int | None, attempt_id: int, answers: Mapping, seq: Any, page: Any = None, *,
               token_hash: str | None = None) -> SaveResult:
    """Store responses ({slot: response}, the shown form) under the client's sequence number. Idempotent: a retried
    or late request changes nothing newer. Refused as a whole (nothing written) for another learner's attempt
    (404), a slot not in the attempt, a page that sequential navigation closes, a response that does not fit, or an
    attempt whose time is up. `page`: the page the learner is on (free navigation: where a reload resumes). Commits
    before answering: what is acknowledged is durable.

    The owner is `user_id`, or (API) the owner of the token whose digest is `token_hash`: then the token is checked
    inside the attempt's own query, and an unknown token is the same 404 as another learner's attempt (the caller
    tells the two apart). The busiest request of an exam (every learner, every few seconds), so it works on rows,
    not ORM objects: one query reads the attempt under its row lock (only if it is the owner's) with the touched
    answers and their frozen versions; then one UPDATE per saved answer and one for the attempt."""
    seq = _check_seq(seq)
    slots = _parse_slots(answers or {})
    now = clock.now()
    stmt = _save_statements()
    owner = {"user_id": user_id} if token_hash is None else {"token_hash": token_hash}
    rows = db.session.execute(stmt.attempt if token_hash is None else stmt.attempt_by_token,
                              {"attempt_id": attempt_id, "slots": list(slots), **owner}).all()
    if not rows:
        db.session.rollback()
        raise QuizError(N_("No attempt with this id."), status=404)
    row = rows[0]
    if row.state != IN_PROGRESS or rules.sweep_outcome(now, row.deadline, row.expiry_rule,
                                                       row.grace_until) != rules.Outcome.KEEP:
        _expire_and_refuse(attempt_id, now)
    try:
        saved = _write_answers(attempt_id, row.navigation, row.current_page, slots, seq, now, rows)
    except QuizError:
        db.session.rollback()
        raise
    current_page = row.current_page
    if (page is not None and row.navigation != "sequential" and isinstance(page, int)
            and not isinstance(page, bool) and 0 <= page < row.page_count):
        current_page = page
    db.session.execute(stmt.attempt_update, {"attempt_id": attempt_id, "last_seq": max(row.last_seq, seq),
                                             "last_saved_at": now, "current_page": current_page})
    db.session.commit()
    return SaveResult(seq, now, IN_PROGRESS, seconds_left(now, row.deadline), saved)


@dataclass(frozen=True)
class _SaveStatements:
    attempt: Any  # the learner's own attempt, locked, with the touched answers
    attempt_by_token: Any  # the same, the owner given by an API token's digest
    answers: Any  # the touched answers with their frozen version's data
    answer_update: Any
    attempt_update: Any


@functools.cache
def _save_statements() -> _SaveStatements:
    """Built once per process (a save is the hottest request; building the statements was a tenth of its CPU)."""
    from elearn.accounts.services import token_owner_subquery

    t, a, v = Attempt.__table__, AttemptAnswer.__table__, QuestionVersion.__table__
    touched = a.join(v, v.c.id == a.c.question_version_id)
    answer_columns = (a.c.id, a.c.slot, a.c.page, a.c.choice_order, a.c.seq, v.c.data)

    def attempt_with_answers(owner):
        # The attempt row (locked; PostgreSQL: FOR UPDATE OF quiz_attempt only), repeated once per touched answer,
        # or once with empty answer columns when no slot is touched or none matches.
        return (select(t.c.state, t.c.deadline, t.c.expiry_rule, t.c.grace_until, t.c.navigation, t.c.current_page,
                       t.c.page_count, t.c.last_seq, *answer_columns)
                .select_from(t.outerjoin(touched, (a.c.attempt_id == t.c.id)
                                         & a.c.slot.in_(bindparam("slots", expanding=True))))
                .where(t.c.id == bindparam("attempt_id"), t.c.user_id == owner).with_for_update(of=t))

    return _SaveStatements(
        attempt=attempt_with_answers(bindparam("user_id")),
        attempt_by_token=attempt_with_answers(token_owner_subquery()),
        answers=select(*answer_columns).select_from(touched)
        .where(a.c.attempt_id == bindparam("attempt_id"), a.c.slot.in_(bindparam("slots", expanding=True))),
        answer_update=update(a).where(a.c.id == bindparam("answer_id"))
        .values(response=bindparam("response"), seq=bindparam("seq"), saved_at=bindparam("saved_at")),
        attempt_update=update(t).where(t.c.id == bindparam("attempt_id"))
        .values(last_seq=bindparam("last_seq"), last_saved_at=bindparam("last_saved_at"),
                current_page=bindparam("current_page")))


def _forget_loaded_answers(attempt: Attempt) -> None:
    """After answers were written as rows: answer objects this request loaded earlier are read again when used."""
    db.session.expire(attempt, ["answers"])
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, AttemptAnswer) and obj.__dict__.get("attempt_id") == attempt.id:
            db.session.expire(obj)


def _expire_and_refuse(attempt_id: int, now: datetime) -> None:
    """The attempt is locked but not open in time: apply its expiry rule (kept), then refuse the save."""
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    _apply_expiry(attempt, now)
    state = attempt.state
    db.session.commit()
    raise QuizError(N_("Time is up: answers can no longer be changed."), status=409, state=state)


def open_page(actor, attempt: Attempt, page: int) -> Attempt:
    """Move to a page: any page in free navigation; in sequential navigation only the current or the next one."""
    _own(actor, attempt)
    sync_attempt(attempt)
    if attempt.state != IN_PROGRESS:
        raise QuizError(N_("This attempt is closed."), status=409)
    if not rules.page_access(attempt.navigation, attempt.current_page, page, attempt.page_count):
        raise QuizError(N_("This page cannot be opened (sequential navigation)."), status=409)
    if page != attempt.current_page:
        attempt = _locked(attempt.id)
        if attempt.navigation != "sequential" or page == attempt.current_page + 1:
            attempt.current_page = page
        db.session.commit()
    return attempt


# ---- attempts: submit ---------------------------------------------------------------------------------------------

def submit_attempt(actor, attempt: Attempt, answers: Mapping | None = None, seq: Any = None) -> Attempt:
    """Finish the attempt; see `submit_by_id`."""
    _own(actor, attempt)
    return submit_by_id(actor.id, attempt.id, answers, seq)


def submit_by_id(user_id: int, attempt_id: int, answers: Mapping | None = None, seq: Any = None) -> Attempt:
    """Finish the learner's own attempt (404 for anyone else's) with the last answers, when still in time.
    Idempotent: a finished attempt is returned unchanged. Past the deadline the expiry rule decides: autosubmit
    finishes it at the deadline with what was saved; grace accepts the submit during grace; otherwise it is
    refused. Commits."""
    now = clock.now()
    attempt = db.session.execute(select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id)
                                 .options(joinedload(Attempt.quiz)).with_for_update(of=Attempt)
                                 .execution_options(populate_existing=True)).scalar_one_or_none()
    if attempt is None:
        db.session.rollback()
        raise QuizError(N_("No attempt with this id."), status=404)
    if attempt.state == FINISHED:
        db.session.rollback()
        return attempt
    if attempt.state == IN_PROGRESS and answers and rules.sweep_outcome(
            now, attempt.deadline, attempt.expiry_rule, attempt.grace_until) == rules.Outcome.KEEP:
        try:
            _write_answers(attempt.id, attempt.navigation, attempt.current_page, _parse_slots(answers),
                           _check_seq(seq), now)
        except QuizError:
            db.session.rollback()
            raise
        _forget_loaded_answers(attempt)
        attempt.last_seq = max(attempt.last_seq, seq)
        attempt.last_saved_at = now
    outcome = rules.sweep_outcome(now, attempt.deadline, attempt.expiry_rule, attempt.grace_until) \
        if attempt.state in OPEN_STATES else None
    if outcome in (rules.Outcome.KEEP, rules.Outcome.OVERDUE):
        _finish(attempt, now, "submitted")
    elif outcome == rules.Outcome.FINISH:
        _finish(attempt, attempt.deadline, "timeout")
    elif outcome == rules.Outcome.ABANDON:
        _finish(attempt, attempt.deadline, "abandoned", state=ABANDONED)
    _commit_keeping_loaded()  # the answer to the learner is built from what was just written, not read back
    if attempt.state == ABANDONED:
        raise QuizError(N_("Time is up: this attempt was not submitted in time and does not count."), status=409)
    return attempt


# ---- grading ------------------------------------------------------------------------------------------------------

def grade_attempt(attempt: Attempt) -> None:
    """Mark every answer from its stored response (keeps a lecturer's essay mark) and recompute the totals."""
    _load_versions(attempt.answers)
    for answer in attempt.answers:
        result = mark(question_of(answer), answer.response)
        answer.fraction = result.fraction
        answer.mark_state = str(result.state)
        answer.feedback = list(result.feedback)
        if answer.manual_mark is not None:
            answer.mark_state = str(_manual_state(answer))
    refresh_totals(attempt)


def _manual_state(answer: AttemptAnswer) -> MarkState:
    if not answer.max_mark:
        return MarkState.CORRECT
    share = answer.manual_mark / answer.max_mark
    return MarkState.CORRECT if share >= 1 - 1e-6 else MarkState.WRONG if share <= 1e-6 else MarkState.PARTIAL


def refresh_totals(attempt: Attempt) -> None:
    """sumgrades / grade / pending_essays from the stored marks (after grading an essay, call this)."""
    total, maximum, pending = 0.0, 0.0, 0
    for answer in attempt.answers:
        if answer.qtype == QType.DESCRIPTION:
            continue
        maximum += answer.max_mark
        if answer.manual_mark is not None:
            total += answer.manual_mark
        elif answer.fraction is None:
            pending += 1
        else:
            total += answer.fraction * answer.max_mark
    attempt.max_sumgrades = round(maximum, 7)
    attempt.pending_essays = pending
    if attempt.state != FINISHED or pending:
        attempt.sumgrades = None if pending or attempt.state != FINISHED else round(total, 7)
        attempt.grade = None
        return
    attempt.sumgrades = round(total, 7)
    attempt.grade = rescale(attempt.sumgrades, maximum, attempt.quiz.max_grade)


def update_result(quiz: Quiz, user_id: int) -> QuizResult:
    """The learner's quiz grade by the grading method, stored; then the course completion is refreshed."""
    finished = db.session.scalars(select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id,
                                                        Attempt.state == FINISHED, Attempt.preview.is_(False)))
    results = [AttemptResult(a.started_at, a.grade) for a in finished]
    grade = quiz_grade(results, quiz.grading_method)
    row = db.session.scalar(select(QuizResult).where(QuizResult.quiz_id == quiz.id, QuizResult.user_id == user_id))
    if row is None:
        row = QuizResult(quiz_id=quiz.id, user_id=user_id)
        db.session.add(row)
    row.grade, row.pending, row.attempts = grade.grade, grade.pending, grade.counted
    row.passed = passed(grade.grade, quiz.pass_mark)
    row.updated_at = clock.now()
    db.session.flush()
    from elearn.courses.services import enrolment_of, recompute

    enrolment = enrolment_of(user_id, quiz.course_id)
    if enrolment is not None:
        recompute(enrolment)
    return row


def result_of(quiz: Quiz, user_id: int) -> QuizResult | None:
    return db.session.scalar(select(QuizResult).where(QuizResult.quiz_id == quiz.id, QuizResult.user_id == user_id))


# ---- what pages and the API show ----------------------------------------------------------------------------------

def page_items(attempt: Attempt, page: int) -> list[dict]:
    """The questions of one page as the learner sees them while answering (no right answers, no marks)."""
    out = []
    _load_versions(a for a in attempt.answers if a.page == page)
    for answer in attempt.answers:
        if answer.page != page:
            continue
        question = question_of(answer)
        out.append({"slot": answer.slot, "page": answer.page, "max_mark": answer.max_mark,
                    "question": rules.learner_question(question, answer.choice_order),
                    "response": rules.to_client(question, answer.choice_order, answer.response),
                    "seq": answer.seq, "saved_at": answer.saved_at})
    return out


def summary(attempt: Attempt) -> list[dict]:
    """Per question: answered or not (for the summary before submit)."""
    from elearn.quizzes.grading import is_answered

    _load_versions(attempt.answers)
    return [{"slot": a.slot, "page": a.page, "qtype": a.qtype,
             "answered": a.qtype == QType.DESCRIPTION or is_answered(question_of(a), a.response)}
            for a in attempt.answers]


def review_things(attempt: Attempt, now: datetime | None = None) -> frozenset[str]:
    """What the learner may see of this attempt now (nothing while it is open)."""
    now = now or clock.now()
    if attempt.state in OPEN_STATES:
        return frozenset()
    timing = effective_settings(attempt.quiz, attempt.user_id)
    things = review_visibility(now, attempt.finished_at, timing.close_at, attempt.quiz.review_options or {})
    return frozenset(str(t) for t in things)


def review_items(attempt: Attempt, things: frozenset[str]) -> list[dict]:
    out = []
    _load_versions(attempt.answers)
    for answer in attempt.answers:
        question = question_of(answer)
        result = None
        if answer.mark_state:
            result = Mark(answer.fraction, MarkState(answer.mark_state), list(answer.feedback or []))
        item = rules.review_question(question, answer.choice_order, result, answer.score, answer.max_mark, things)
        entry = {"slot": answer.slot, "page": answer.page, "qtype": answer.qtype, "review": item,
                 "question": rules.learner_question(question, answer.choice_order) if "attempt" in things else None,
                 "response": rules.to_client(question, answer.choice_order, answer.response)
                 if "attempt" in things else None}
        if "attempt" in things and answer.comment and "marks" in things:
            entry["comment"] = answer.comment
        out.append(entry)
    return out


def attempt_grade_visible(attempt: Attempt, things: frozenset[str]) -> dict:
    """The attempt's total and overall feedback, only when marks may be shown."""
    if "marks" not in things:
        return {}
    data: dict[str, Any] = {"sumgrades": attempt.sumgrades, "max_sumgrades": attempt.max_sumgrades,
                            "grade": attempt.grade, "max_grade": attempt.quiz.max_grade,
                            "pending_essays": attempt.pending_essays}
    if "overall_feedback" in things:
        data["overall_feedback"] = rules.overall_feedback(attempt.quiz.feedback_bands or [], attempt.grade)
    return data


# ---- course integration -------------------------------------------------------------------------------------------

def course_quizzes(course_id: int) -> list[Quiz]:
    """Quizzes that are visible items of the course's flow, in their order."""
    rows = db.session.execute(
        select(Quiz, SectionItem).join(SectionItem, (SectionItem.kind == "quiz") & (SectionItem.ref_id == Quiz.id))
        .join(Section, Section.id == SectionItem.section_id)
        .where(Quiz.course_id == course_id, SectionItem.visible.is_(True))
        .order_by(Section.position, SectionItem.position)).all()
    return [quiz for quiz, _item in rows]


def quiz_facts(course, user_id: int) -> dict:
    """FACT_HOOKS entry: quizzes of the course (pre-tests excluded: nobody has to pass a pre-test) and passed ones."""
    ids = {q.id for q in course_quizzes(course.id) if q.role != "pretest"}
    passed_ids = set(db.session.scalars(select(QuizResult.quiz_id).where(
        QuizResult.user_id == user_id, QuizResult.passed.is_(True), QuizResult.quiz_id.in_(ids or [0]))))
    return {"course_quiz_ids": ids, "quizzes_passed": passed_ids}


class QuizProvider:
    kind = "quiz"

    def views(self, ref_ids: list[int]) -> dict[int, items.ItemView]:
        from flask import url_for

        if not ref_ids:
            return {}
        rows = db.session.execute(select(Quiz.id, Quiz.title).where(Quiz.id.in_(ref_ids))).all()
        return {row.id: items.ItemView(title=row.title, url=url_for("quiz.view", quiz_id=row.id),
                                       kind_label=N_("Quiz"), icon="quiz") for row in rows}

    def completed(self, ref_ids: list[int], user_id: int) -> set[int]:
        if not ref_ids:
            return set()
        return set(db.session.scalars(select(QuizResult.quiz_id).where(
            QuizResult.user_id == user_id, QuizResult.quiz_id.in_(ref_ids), QuizResult.passed.is_(True))))

    def delete(self, ref_id: int) -> None:
        quiz = db.session.get(Quiz, ref_id)
        if quiz is not None:
            db.session.delete(quiz)

    def copy(self, ref_id: int, new_course_id: int) -> int:
        """Settings only: the question list refers to the source course's bank, so the copy starts empty."""
        src = db.session.get(Quiz, ref_id)
        clone = Quiz(course_id=new_course_id, created_by_id=src.created_by_id)
        for name in SETTING_FIELDS:
            setattr(clone, name, getattr(src, name))
        clone.open_at = clone.close_at = None
        db.session.add(clone)
        db.session.flush()
        return clone.id


def register() -> None:
    from elearn.courses import services as course_services

    items.register(QuizProvider())
    course_services.add_fact_hook(quiz_facts, {"course_quiz_ids", "quizzes_passed"})


register()
