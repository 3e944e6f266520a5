"""The gradebook: grades per learner on every graded activity (quizzes, assignments), course totals with
weights, pass/fail, and export tables.

Pure Python: no Flask, no database (openpyxl only to write an XLSX file). Services load the attempts and
the quizzes, call these functions, and hand the tables to the pages and the exports.

- A learner's grade on one quiz comes from their finished attempts by the quiz's grading method
  (`attempts.quiz_grade`), on the quiz's own scale (`max_grade`, e.g. 10); pass/fail uses the quiz's pass
  mark on the same scale (`attempts.passed`).
- Every graded activity is a column keyed by `(source, id)` ("quiz", "assignment"); the sources register in
  grade_sources.py. An assignment graded with a score or a rubric has points out of its maximum; a grade given
  when the maximum was different is rescaled to the current maximum (`rescale`). A pass/fail assignment has
  no points (`max_grade` None).
- The course total is a weighted mean of the grades as percentages (0..100). A column's weight is its own
  `weight` when set, else its maximum grade (Moodle's "natural" aggregation: the sum of the grades over the
  sum of the maximums), so a rubric out of 10 weighs as much as a quiz out of 10. Pre-tests (weight 0) and
  pass/fail assignments (no points) are shown but never weighted. Only columns with a grade count (Moodle's
  "aggregate only non-empty grades"); `complete` tells whether every weighted column had one. No graded
  column: no total.
- "Passed everything" (`course_passed` without a pass percentage) needs every weighted column and every
  pass/fail column graded and passed.
- Export tables (`elearn/core/tables.py`) are written by the views from the rows computed here.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .attempts import AttemptResult, QuizGrade, passed, quiz_grade

__all__ = [
    "Column", "CourseTotal", "GradeCell", "QuizColumn", "course_passed", "course_total", "grade_bands",
    "cell_status", "grade_cell", "percent", "rescale",
]



Key = tuple[str, int]  # (source, id of the activity in its source)


@dataclass(frozen=True)
class Column:
    """One graded activity as a gradebook column (quizzes use QuizColumn, which has the same shape)."""

    source: str  # "quiz", "assignment", ...: the grade source that made it
    ref_id: int
    name: str
    max_grade: float | None = 10.0  # the activity's grade scale; None: pass/fail, no points
    pass_mark: float | None = None  # on the same scale
    weight: float | None = None  # None: the maximum grade (natural weighting); 0 leaves it out of the total
    url: str = ""  # where a lecturer sees the activity's own grades

    @property
    def key(self) -> Key:
        return (self.source, self.ref_id)

    @property
    def pass_fail(self) -> bool:
        return self.max_grade is None


@dataclass(frozen=True)
class QuizColumn:
    """One quiz as a gradebook column."""

    quiz_id: int
    name: str
    max_grade: float = 10.0  # the quiz's grade scale
    pass_mark: float | None = None  # on the same scale; None or 0: any grade passes
    grading_method: str = "highest"
    weight: float | None = None  # None: the maximum grade (natural weighting); 0 leaves the quiz out of the total
    url: str = ""

    source = "quiz"
    pass_fail = False

    @property
    def ref_id(self) -> int:
        return self.quiz_id

    @property
    def key(self) -> Key:
        return ("quiz", self.quiz_id)


@dataclass(frozen=True)
class GradeCell:
    """A learner's grade on one activity."""

    grade: float | None  # on the column's scale, unrounded; None: no grade yet (and always for pass/fail)
    pending: bool = False  # work waits for a lecturer (an essay, a submitted assignment): the grade may change
    passed: bool = False
    attempts: int = 0  # finished attempts (quizzes); submissions (assignments)
    graded_flag: bool = False  # pass/fail: a grader decided (there is no number to tell)
    late: bool = False  # assignments: the last submission came after the due date

    @property
    def graded(self) -> bool:
        return self.grade is not None or self.graded_flag


def cell_status(cell: GradeCell | None) -> str:
    """"graded", "waiting" (submitted work waits for a grader) or "missing" (nothing submitted, or a draft)."""
    if cell is not None and cell.graded:
        return "graded"
    if cell is not None and cell.pending:
        return "waiting"
    return "missing"


def rescale(score: float | None, graded_max: float | None, max_grade: float | None) -> float | None:
    """A score given out of `graded_max` on the scale `max_grade` (the maximum changed after grading)."""
    if score is None or max_grade is None:
        return None
    if not graded_max or graded_max <= 0 or abs(graded_max - max_grade) < 1e-9:
        return float(score)
    return float(score) * max_grade / graded_max


def percent(grade: float | None, max_grade: float | None) -> float | None:
    """A grade as a percentage of the column's maximum (0..100), rounded to 2 decimals."""
    if grade is None or max_grade is None:
        return None
    if max_grade <= 0:
        return 0.0
    return round(100.0 * grade / max_grade, 2)


def grade_cell(attempts: Iterable[AttemptResult], column: QuizColumn) -> GradeCell:
    """The learner's grade on a quiz from their finished (never abandoned) attempts."""
    items = list(attempts)
    result: QuizGrade = quiz_grade(items, column.grading_method)
    return GradeCell(result.grade, result.pending, passed(result.grade, column.pass_mark), len(items))


@dataclass(frozen=True)
class CourseTotal:
    percent: float | None  # 0..100; None when no weighted column has a grade
    graded: int = 0  # weighted columns with a grade
    weighted: int = 0  # columns that count in the percentage (weight > 0)
    pending: bool = False  # some grade may still change (essays, submissions waiting)
    passed: frozenset[Key] = field(default_factory=frozenset)  # required columns passed
    required: int = 0  # columns to pass for "passed everything": the weighted ones and the pass/fail ones

    @property
    def complete(self) -> bool:
        return self.weighted > 0 and self.graded == self.weighted


AnyColumn = Column | QuizColumn


def weight_of(column: AnyColumn) -> float:
    """How much a column weighs in the course total: 0 for pass/fail and zero-weight columns."""
    if column.pass_fail or column.max_grade is None:
        return 0.0
    weight = column.max_grade if column.weight is None else column.weight
    return max(0.0, float(weight))


def _required(column: AnyColumn) -> bool:
    return weight_of(column) > 0 or (column.pass_fail and column.weight != 0)


def course_total(cells: Mapping[Key, GradeCell], columns: Sequence[AnyColumn]) -> CourseTotal:
    """The weighted course total over the columns that have a grade (see the module's description)."""
    total = weights = 0.0
    graded = weighted = 0
    pending = False
    for column in columns:
        cell = cells.get(column.key)
        if cell is not None and _required(column):
            pending = pending or cell.pending
        weight = weight_of(column)
        if weight <= 0:
            continue
        weighted += 1
        if cell is None:
            continue
        share = percent(cell.grade, column.max_grade)
        if share is None:
            continue
        graded += 1
        total += weight * share
        weights += weight
    value = round(total / weights, 2) if weights > 0 else None
    required = [c for c in columns if _required(c)]
    passed_keys = frozenset(c.key for c in required if (cell := cells.get(c.key)) is not None and cell.passed)
    return CourseTotal(value, graded, weighted, pending, passed_keys, len(required))


def course_passed(total: CourseTotal, pass_percent: float | None = None) -> bool:
    """The course total reaches `pass_percent` (0..100); without one, every required column (weighted or
    pass/fail) must be graded and passed, with nothing waiting for a grader."""
    if pass_percent:
        return total.percent is not None and total.percent >= pass_percent - 1e-9
    return total.required > 0 and not total.pending and len(total.passed) == total.required


def grade_bands(grades: Iterable[float], max_grade: float, bands: int = 10) -> list[tuple[str, int]]:
    """How many grades fall in each tenth of the scale ("0–1", ..., "9–10"; the top band includes the maximum)."""
    counts = [0] * bands
    if max_grade <= 0:
        return []
    for grade in grades:
        index = min(bands - 1, max(0, int(grade / max_grade * bands)))
        counts[index] += 1
    step = max_grade / bands
    return [(f"{round(i * step, 2):g}–{round((i + 1) * step, 2):g}", counts[i]) for i in range(bands)]



