"""Lecturer-side grading use cases: the essay queue, regrades, gradebooks, results overview, item analysis,
and the course's final grade for completion and certificates (the gradebook's course total over every grade
source, see grade_sources.py; the quizzes' source is here).

Loads the models, calls the pure rules (gradebook.py, regrading.py, analysis.py, grading.py), changes models
and commits. The acting user is an argument; nothing here reads the request. Attempt totals and the learner's
cached `QuizResult` are recomputed through quiz_services (one implementation of the grading method).
Only finished, non-preview attempts count anywhere here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from elearn.accounts.models import Profile, ProfileCategory, User
from elearn.accounts.services import unit_subtree_ids
from elearn.core import audit, clock, html, notify
from elearn.courses.messages import N_, Message, msg
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db

from . import analysis, grade_sources, gradebook, regrading
from .grading import MarkState, state_for
from .models import BankQuestion, QuestionVersion
from .questions import QType, Question
from .quiz_models import FINISHED, Attempt, AttemptAnswer, Quiz, QuizResult

ESSAY_STATUSES = ("ungraded", "graded", "all")
PRETEST = "pretest"  # a pre-test measures what learners knew before: it does not count in the course total


class GradingError(Exception):
    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


# ---- who: unit (with its sub-units) and target group -------------------------------------------------

@dataclass(frozen=True)
class People:
    """Which learners a list shows: a unit (and its sub-units when `sub_units`) and a management category."""

    unit_id: int | None = None
    sub_units: bool = True
    category: str = ""

    def apply(self, stmt: Select, user_column) -> Select:
        if self.unit_id:
            units = unit_subtree_ids(self.unit_id) if self.sub_units else [self.unit_id]
            stmt = stmt.where(user_column.in_(select(Profile.user_id).where(Profile.unit_id.in_(units))))
        if self.category:
            stmt = stmt.where(user_column.in_(select(ProfileCategory.user_id)
                                              .where(ProfileCategory.category == self.category)))
        return stmt


def _unit_name(user: User) -> str:
    return user.profile.unit.name if user.profile is not None else ""


def quizzes_of(course: Course) -> list[Quiz]:
    return list(db.session.scalars(select(Quiz).where(Quiz.course_id == course.id).order_by(Quiz.id)))


def quiz_of(course: Course, quiz_id: int) -> Quiz | None:
    quiz = db.session.get(Quiz, quiz_id)
    return quiz if quiz is not None and quiz.course_id == course.id else None


def _finished(quiz_ids) -> Select:
    return (select(Attempt).where(Attempt.quiz_id.in_(quiz_ids), Attempt.state == FINISHED,
                                  Attempt.preview.is_(False)))


# ---- essay grading queue -----------------------------------------------------------------------------

def essay_queue(course: Course, *, quiz_id: int | None = None, status: str = "ungraded",
                people: People = People()) -> Select:
    """Essay answers of finished attempts in the course's quizzes, oldest submission first."""
    stmt = (select(AttemptAnswer).join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
            .join(Quiz, Attempt.quiz_id == Quiz.id)
            .where(Quiz.course_id == course.id, Attempt.state == FINISHED, Attempt.preview.is_(False),
                   AttemptAnswer.qtype == QType.ESSAY.value))
    if quiz_id:
        stmt = stmt.where(Quiz.id == quiz_id)
    if status == "ungraded":
        stmt = stmt.where(AttemptAnswer.manual_mark.is_(None), AttemptAnswer.fraction.is_(None))
    elif status == "graded":
        stmt = stmt.where(AttemptAnswer.manual_mark.is_not(None))
    stmt = people.apply(stmt, Attempt.user_id)
    return stmt.order_by(Attempt.finished_at, Attempt.id, AttemptAnswer.slot).options(
        selectinload(AttemptAnswer.attempt).selectinload(Attempt.quiz))


def answer_of(course: Course, answer_id: int) -> AttemptAnswer | None:
    """An essay answer of a finished attempt in this course (None otherwise: the page is then a 404)."""
    answer = db.session.get(AttemptAnswer, answer_id)
    if answer is None or answer.qtype != QType.ESSAY.value:
        return None
    attempt = answer.attempt
    if attempt.quiz.course_id != course.id or attempt.state != FINISHED or attempt.preview:
        return None
    return answer


def question_of(answer: AttemptAnswer) -> Question:
    """The frozen version the attempt showed."""
    return Question.from_json(answer.version.data)


def grade_essay(actor, answer: AttemptAnswer, mark: float, comment: str) -> AttemptAnswer:
    """Give an essay `mark` marks (0..max_mark) and a comment; recompute the attempt and the learner's grade."""
    from . import quiz_services

    if mark is None or not (0 <= mark <= answer.max_mark + 1e-9):
        raise GradingError(N_("The mark must be between 0 and %(max)s."), max=_number(answer.max_mark))
    before = {"manual_mark": answer.manual_mark}
    answer.manual_mark = round(float(mark), 4)
    answer.comment = html.clean(comment)
    answer.graded_by_id = actor.id
    answer.graded_at = clock.now()
    fraction = answer.manual_mark / answer.max_mark if answer.max_mark > 0 else 1.0
    answer.mark_state = str(state_for(min(1.0, fraction)))
    attempt = answer.attempt
    quiz_services.refresh_totals(attempt)
    quiz_services.update_result(attempt.quiz, attempt.user_id)
    audit.record(actor, "quiz.essay_grade", answer, before=before, after={"manual_mark": answer.manual_mark},
                 label=f"{attempt.quiz.title} #{attempt.id}/{answer.slot}")
    if before["manual_mark"] is None:  # the first grade of this essay; stored texts are Vietnamese, the site default
        grade = f" · Điểm bài: {attempt.grade:.2f}/{attempt.quiz.max_grade:g}" if attempt.grade is not None else ""
        notify.send([attempt.user_id], kind="quiz_essay_graded", title=f"Đã chấm bài tự luận: {attempt.quiz.title}",
                    body=f"Câu {answer.slot}: {answer.manual_mark:g}/{answer.max_mark:g}{grade}",
                    url=f"/attempts/{attempt.id}/review")
    db.session.commit()
    return answer


def _number(value: float) -> str:
    return f"{value:g}"


# ---- regrade -----------------------------------------------------------------------------------------

@dataclass
class RegradeQuestion:
    """A bank question used by the quiz's finished attempts, with the versions they used."""

    question: BankQuestion
    used: dict[int, int]  # version number -> answers that use it
    latest: int

    @property
    def outdated(self) -> bool:
        return any(number != self.latest for number in self.used)


def regrade_candidates(quiz: Quiz) -> list[RegradeQuestion]:
    rows = db.session.execute(
        select(AttemptAnswer.question_id, QuestionVersion.number)
        .join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
        .join(QuestionVersion, AttemptAnswer.question_version_id == QuestionVersion.id)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == FINISHED, Attempt.preview.is_(False))).all()
    used: dict[int, Counter] = {}
    for question_id, number in rows:
        used.setdefault(question_id, Counter())[number] += 1
    if not used:
        return []
    questions = db.session.scalars(select(BankQuestion).where(BankQuestion.id.in_(used))).all()
    out = [RegradeQuestion(q, dict(sorted(used[q.id].items())), q.current_version) for q in questions]
    return sorted(out, key=lambda c: (not c.outdated, c.question.name.lower(), c.question.id))


@dataclass
class RegradeRow:
    attempt_id: int
    full_name: str
    username: str
    number: int
    old: float | None
    new: float | None


@dataclass
class RegradeReport:
    attempts: int = 0  # finished attempts re-marked
    changed: list[RegradeRow] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)
    applied: bool = False


def regrade(actor, quiz: Quiz, targets: dict[int, int], *, dry_run: bool) -> RegradeReport:
    """Re-mark every finished attempt of the quiz; answers to a question in `targets` (question id ->
    version number) move to that version first. A dry run reports the grade changes and writes nothing.

    A version that cannot read the stored responses (another type, another number of answers or pairs:
    regrading.version_problem) is refused for that question and reported; the rest goes ahead.
    """
    from . import quiz_services

    report = RegradeReport()
    versions: dict[int, QuestionVersion] = {}
    for question_id, number in targets.items():
        version = db.session.scalar(select(QuestionVersion).where(QuestionVersion.question_id == question_id,
                                                                  QuestionVersion.number == number))
        if version is None:
            report.problems.append(msg(N_("Question %(id)s has no version %(number)s."), id=question_id, number=number))
            continue
        versions[question_id] = version
    attempts = db.session.scalars(_finished([quiz.id]).order_by(Attempt.id).options(
        selectinload(Attempt.answers))).all()
    before = {a.id: a.grade for a in attempts}
    refused: set[int] = set()
    checked: set[tuple[int, int]] = set()
    for attempt in attempts:
        for answer in attempt.answers:
            version = versions.get(answer.question_id)
            if version is None or answer.question_version_id == version.id or answer.question_id in refused:
                continue
            if (answer.question_version_id, version.id) not in checked:
                name = db.session.get(BankQuestion, answer.question_id).name
                problem = regrading.version_problem(question_of(answer), Question.from_json(version.data), name)
                if problem is not None:
                    refused.add(answer.question_id)
                    report.problems.append(problem)
                    continue
                checked.add((answer.question_version_id, version.id))
            answer.question_version_id = version.id
            answer.version = version
    for attempt in attempts:
        quiz_services.grade_attempt(attempt)
    db.session.flush()
    after = {a.id: a.grade for a in attempts}
    report.attempts = len(attempts)
    by_id = {a.id: a for a in attempts}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({a.user_id for a in attempts})))}
    for change in regrading.grade_changes(before, after, order=[a.id for a in attempts]):
        attempt = by_id[change.attempt_id]
        user = users[attempt.user_id]
        report.changed.append(RegradeRow(attempt.id, user.full_name, user.username, attempt.number,
                                         change.old, change.new))
    if dry_run:
        db.session.rollback()
        return report
    for user_id in sorted({a.user_id for a in attempts}):
        quiz_services.update_result(quiz, user_id)
    audit.record(actor, "quiz.regrade", quiz, label=quiz.title,
                 after={"attempts": report.attempts, "changed": len(report.changed),
                        "versions": {str(k): v.number for k, v in versions.items() if k not in refused}})
    db.session.commit()
    report.applied = True
    return report


# ---- gradebook -----------------------------------------------------------------------------------------

def column_of(quiz: Quiz) -> gradebook.QuizColumn:
    return gradebook.QuizColumn(quiz.id, quiz.title, max_grade=quiz.max_grade or 0.0, pass_mark=quiz.pass_mark,
                                grading_method=quiz.grading_method, weight=0.0 if quiz.role == PRETEST else None)


def _cell(result: QuizResult | None) -> gradebook.GradeCell | None:
    if result is None:
        return None
    return gradebook.GradeCell(result.grade, result.pending, result.passed, result.attempts)


def participants(course: Course, people: People = People()) -> Select:
    """Active learners of the course (enrolments), by name."""
    stmt = (select(Enrolment).join(User, Enrolment.user_id == User.id)
            .where(Enrolment.course_id == course.id, Enrolment.state == "active").order_by(User.search_name, User.id))
    return people.apply(stmt, Enrolment.user_id).options(selectinload(Enrolment.user).selectinload(User.profile))


class QuizGradeSource:
    """Quizzes as a grade source: one column per quiz, the cached QuizResult as the cell."""

    name = "quiz"
    order = 10

    def columns(self, course: Course) -> list[gradebook.QuizColumn]:
        return [column_of(q) for q in quizzes_of(course)]

    def cells(self, columns, user_ids: list[int]) -> dict:
        results = _results([c.ref_id for c in columns], user_ids)
        return {(("quiz", quiz_id), user_id): _cell(r) for (quiz_id, user_id), r in results.items()}


grade_sources.register(QuizGradeSource())


@dataclass
class CourseRow:
    user: User
    unit: str
    cells: dict[gradebook.Key, gradebook.GradeCell | None]
    total: gradebook.CourseTotal


def _results(quiz_ids: list[int], user_ids: list[int]) -> dict[tuple[int, int], QuizResult]:
    if not quiz_ids or not user_ids:
        return {}
    rows = db.session.scalars(select(QuizResult).where(QuizResult.quiz_id.in_(quiz_ids),
                                                       QuizResult.user_id.in_(user_ids)))
    return {(r.quiz_id, r.user_id): r for r in rows}


def course_rows(course: Course, enrolments: Iterable[Enrolment],
                columns: list[gradebook.AnyColumn] | None = None
                ) -> tuple[list[gradebook.AnyColumn], list[CourseRow]]:
    """Every graded activity of the course (all grade sources) for these learners, with their course totals."""
    columns = grade_sources.course_columns(course) if columns is None else columns
    users = [e.user for e in enrolments]
    found = grade_sources.course_cells(columns, [u.id for u in users])
    rows = []
    for user in users:
        cells = {c.key: found.get((c.key, user.id)) for c in columns}
        total = gradebook.course_total({k: v for k, v in cells.items() if v is not None}, columns)
        rows.append(CourseRow(user, _unit_name(user), cells, total))
    return columns, rows


@dataclass
class QuizRow:
    user: User
    unit: str
    cell: gradebook.GradeCell | None


def quiz_rows(quiz: Quiz, enrolments: Iterable[Enrolment]) -> list[QuizRow]:
    users = [e.user for e in enrolments]
    results = _results([quiz.id], [u.id for u in users])
    return [QuizRow(u, _unit_name(u), _cell(results.get((quiz.id, u.id)))) for u in users]


def final_grade(course: Course, user_id: int) -> float | None:
    """The learner's final grade for the course, 0..100: the gradebook's course total over every grade source
    (quizzes and scored assignments by their maximum points; pre-tests and pass/fail assignments do not
    weigh). None when no weighted activity is graded."""
    columns = grade_sources.course_columns(course)
    if not columns:
        return None
    found = grade_sources.course_cells(columns, [user_id])
    cells = {c.key: cell for c in columns if (cell := found.get((c.key, user_id))) is not None}
    return gradebook.course_total(cells, columns).percent


def final_grade_fact(course: Course, user_id: int) -> dict:
    """FACT_HOOKS entry: {"final_grade": 0..100 or None} for completion rules and certificates."""
    return {"final_grade": final_grade(course, user_id)}


def register_fact_hook() -> None:
    from elearn.courses import services as course_services

    course_services.add_fact_hook(final_grade_fact, {"final_grade"})


# ---- results overview ----------------------------------------------------------------------------------

def attempts_query(quiz: Quiz, people: People = People(), state: str = "") -> Select:
    """The quiz's (non-preview) attempts, newest first; `state` "" means every state."""
    stmt = select(Attempt).join(User, Attempt.user_id == User.id).where(Attempt.quiz_id == quiz.id,
                                                                       Attempt.preview.is_(False))
    if state:
        stmt = stmt.where(Attempt.state == state)
    stmt = people.apply(stmt, Attempt.user_id)
    return stmt.order_by(User.search_name, User.id, Attempt.number)


@dataclass
class Overview:
    attempts: int  # every attempt shown (all states)
    finished: int
    graded: int
    pending: int  # finished attempts waiting for an essay grade
    learners: int  # distinct learners with a finished attempt
    passed: int  # learners whose quiz grade passes (QuizResult)
    summary: analysis.ScoreSummary  # over the finished, graded attempts' grades (quiz scale)
    bands: list[tuple[str, int]]  # grade histogram in tenths of max_grade


def overview(quiz: Quiz, people: People = People()) -> Overview:
    attempts = db.session.scalars(attempts_query(quiz, people)).all()
    finished = [a for a in attempts if a.state == FINISHED]
    grades = [a.grade for a in finished if a.grade is not None]
    learners = {a.user_id for a in finished}
    passed = db.session.scalars(people.apply(select(QuizResult.user_id).where(
        QuizResult.quiz_id == quiz.id, QuizResult.passed.is_(True)), QuizResult.user_id)).all()
    return Overview(len(attempts), len(finished), len(grades), sum(1 for a in finished if a.grade is None),
                    len(learners), len(set(passed) & learners), analysis.score_summary(grades),
                    gradebook.grade_bands(grades, quiz.max_grade or 0.0))


def slot_scores(attempts: Iterable[Attempt]) -> dict[int, dict[int, float | None]]:
    """{attempt id: {slot: marks earned or None}} for the overview table."""
    ids = [a.id for a in attempts]
    out: dict[int, dict[int, float | None]] = {i: {} for i in ids}
    if not ids:
        return out
    for answer in db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id.in_(ids))):
        out[answer.attempt_id][answer.slot] = None if answer.mark_state == MarkState.NO_GRADE else answer.score
    return out


def slot_count(quiz: Quiz) -> int:
    count = db.session.scalar(select(db.func.max(AttemptAnswer.slot)).join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
                              .where(Attempt.quiz_id == quiz.id, Attempt.preview.is_(False)))
    return int(count or 0)


# ---- item analysis -------------------------------------------------------------------------------------

@dataclass
class ItemRow:
    question_id: int
    name: str
    qtype: str
    stats: analysis.ItemStats
    distribution: list[tuple[str, int]]  # (answer label, count), most frequent first


def _label(key: Hashable, question: Question | None, gettext) -> str:
    """An answer-distribution key as text a lecturer recognises (the answer's text, not its index)."""
    if key is None:
        return ""
    if question is not None and question.type == QType.MULTICHOICE and isinstance(key, int):
        if 0 <= key < len(question.answers):
            return html.text_only(question.answers[key].text) or str(key + 1)
    if question is not None and question.type == QType.MATCHING and isinstance(key, tuple) and len(key) == 2:
        index, chosen = key
        if isinstance(index, int) and 0 <= index < len(question.subquestions):
            return f"{html.text_only(question.subquestions[index].text)} → {chosen}"
    if isinstance(key, bool):
        return gettext("True") if key else gettext("False")
    return str(key)


def item_report(quiz: Quiz, people: People = People(), first_only: bool = False, gettext=str) -> list[ItemRow]:
    """Facility, discrimination and answer distribution per question over the finished attempts."""
    stmt = people.apply(_finished([quiz.id]), Attempt.user_id).order_by(Attempt.user_id, Attempt.number)
    attempts = db.session.scalars(stmt.options(selectinload(Attempt.answers))).all()
    if first_only:
        seen: set[int] = set()
        attempts = [a for a in attempts if not (a.user_id in seen or seen.add(a.user_id))]
    records = []
    versions: dict[int, int] = {}
    for attempt in attempts:
        items = {}
        total = 0.0
        for answer in attempt.answers:
            if answer.mark_state == MarkState.NO_GRADE or answer.qtype == QType.DESCRIPTION.value:
                continue
            score = answer.score
            fraction = None if score is None else (score / answer.max_mark if answer.max_mark > 0 else 0.0)
            items[answer.question_id] = analysis.ItemResponse(fraction, answer.response, answer.max_mark)
            total += score or 0.0
            versions[answer.question_id] = answer.question_version_id  # the latest used: for labels
        records.append(analysis.AttemptRecord(total, items))
    stats = analysis.item_analysis(records)
    if not stats:
        return []
    names = dict(db.session.execute(select(BankQuestion.id, BankQuestion.name).where(BankQuestion.id.in_(stats))).all())
    data = dict(db.session.execute(select(QuestionVersion.id, QuestionVersion.data)
                                   .where(QuestionVersion.id.in_(versions.values()))).all())
    rows = []
    for key, stat in stats.items():
        question = Question.from_json(data[versions[key]]) if versions.get(key) in data else None
        distribution = [(_label(k, question, gettext), n) for k, n in stat.distribution.items()]
        rows.append(ItemRow(key, names.get(key, str(key)), question.type if question else "", stat, distribution))
    return rows

