"""The gradebook rules: quiz grade by grading method, pass/fail, weighted course totals, exports."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from elearn.core.tables import Table, table_csv, table_xlsx
from elearn.quizzes.attempts import AttemptResult
from elearn.quizzes.gradebook import (
    Column,
    GradeCell,
    QuizColumn,
    cell_status,
    course_passed,
    course_total,
    grade_bands,
    grade_cell,
    percent,
    rescale,
)

T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def attempts(*grades):
    return [AttemptResult(T0 + timedelta(hours=i), g) for i, g in enumerate(grades)]


@pytest.mark.parametrize(("method", "expected"), [("highest", 8.0), ("average", 6.0), ("first", 4.0), ("last", 6.0)])
def test_grade_cell_follows_the_grading_method(method, expected):
    cell = grade_cell(attempts(4.0, 8.0, 6.0), QuizColumn(1, "Q", max_grade=10, pass_mark=5, grading_method=method))
    assert cell.grade == expected
    assert cell.attempts == 3
    assert cell.passed is (expected >= 5)
    assert not cell.pending


def test_grade_cell_average_below_the_pass_mark_fails():
    cell = grade_cell(attempts(3.0, 4.0, 4.0), QuizColumn(1, "Q", pass_mark=5, grading_method="average"))
    assert cell.grade == pytest.approx(11 / 3)
    assert cell.passed is False


def test_pending_essay_keeps_the_grade_pending_and_last_attempt_ungraded_gives_no_grade():
    highest = grade_cell(attempts(7.0, None), QuizColumn(1, "Q", pass_mark=5))
    assert (highest.grade, highest.pending, highest.passed) == (7.0, True, True)
    last = grade_cell(attempts(7.0, None), QuizColumn(1, "Q", pass_mark=5, grading_method="last"))
    assert (last.grade, last.pending, last.passed) == (None, True, False)


def test_no_attempt_no_grade_and_no_pass():
    cell = grade_cell([], QuizColumn(1, "Q", pass_mark=5))
    assert cell == GradeCell(None, False, False, 0)
    assert not cell.graded


def test_percent():
    assert percent(7.5, 10) == 75.0
    assert percent(None, 10) is None
    assert percent(3, 0) == 0.0
    assert percent(2, 3) == 66.67


def test_course_total_natural_weighting_is_sum_over_sum():
    cols = [QuizColumn(1, "A", max_grade=10), QuizColumn(2, "B", max_grade=30)]
    total = course_total({("quiz", 1): GradeCell(10.0), ("quiz", 2): GradeCell(15.0)}, cols)
    assert total.percent == 62.5  # (10 + 15) / (10 + 30)
    assert total.complete
    assert (total.graded, total.weighted) == (2, 2)


def test_course_total_explicit_weights_and_zero_weight_left_out():
    cols = [QuizColumn(1, "A", max_grade=10, weight=1), QuizColumn(2, "B", max_grade=100, weight=3),
            QuizColumn(3, "Pre-test", max_grade=10, weight=0)]
    total = course_total({("quiz", 1): GradeCell(5.0), ("quiz", 2): GradeCell(90.0), ("quiz", 3): GradeCell(0.0)}, cols)
    assert total.percent == 80.0  # (50 * 1 + 90 * 3) / 4
    assert total.weighted == 2


def test_course_total_counts_only_graded_quizzes_and_none_without_any():
    cols = [QuizColumn(1, "A"), QuizColumn(2, "B")]
    partial = course_total({("quiz", 1): GradeCell(8.0)}, cols)
    assert partial.percent == 80.0
    assert not partial.complete
    assert course_total({}, cols).percent is None
    waiting = {("quiz", 1): GradeCell(None, pending=True)}
    assert course_total(waiting, cols) == course_total({("quiz", 1): GradeCell(None, True)}, cols)
    assert course_total(waiting, cols).pending


def test_course_passed_by_percent_or_by_every_quiz():
    cols = [QuizColumn(1, "A", pass_mark=5), QuizColumn(2, "B", pass_mark=5)]
    both = course_total({("quiz", 1): GradeCell(6.0, passed=True), ("quiz", 2): GradeCell(9.0, passed=True)}, cols)
    one = course_total({("quiz", 1): GradeCell(4.0, passed=False), ("quiz", 2): GradeCell(9.0, passed=True)}, cols)
    assert course_passed(both)
    assert not course_passed(one)
    assert course_passed(one, pass_percent=60)
    assert not course_passed(one, pass_percent=70)
    assert not course_passed(course_total({}, cols), pass_percent=1)
    missing = course_total({("quiz", 1): GradeCell(6.0, passed=True)}, cols)
    assert not course_passed(missing)


# ---- assignments next to quizzes ----------------------------------------------------------------------

QUIZ = QuizColumn(1, "Kiểm tra", max_grade=10, pass_mark=5)
PRETEST = QuizColumn(2, "Kiểm tra đầu vào", max_grade=10, weight=0)
RUBRIC = Column("assignment", 1, "Bài thu hoạch", max_grade=10, pass_mark=5)  # same id as the quiz: keys differ
SCORE = Column("assignment", 2, "Bài tập", max_grade=30, pass_mark=15)
PASS_FAIL = Column("assignment", 3, "Kế hoạch hành động", max_grade=None)
MIXED = [QUIZ, PRETEST, RUBRIC, SCORE, PASS_FAIL]


def test_columns_are_keyed_by_source_so_ids_never_collide():
    assert QUIZ.key == ("quiz", 1) and RUBRIC.key == ("assignment", 1)
    assert PASS_FAIL.pass_fail and not RUBRIC.pass_fail and not QUIZ.pass_fail


def test_scored_assignments_weigh_by_their_maximum_pass_fail_and_pretests_do_not_weigh():
    cells = {QUIZ.key: GradeCell(8.0, passed=True), PRETEST.key: GradeCell(1.0),
             RUBRIC.key: GradeCell(6.0, passed=True, graded_flag=True),
             SCORE.key: GradeCell(12.0, passed=False, graded_flag=True),
             PASS_FAIL.key: GradeCell(None, passed=True, graded_flag=True)}
    total = course_total(cells, MIXED)
    assert total.percent == 52.0  # (8 + 6 + 12) / (10 + 10 + 30)
    assert (total.graded, total.weighted, total.required) == (3, 3, 4)
    assert total.passed == frozenset({QUIZ.key, RUBRIC.key, PASS_FAIL.key})
    assert total.complete
    assert not course_passed(total)  # the scored assignment failed
    assert course_passed(total, pass_percent=50)


def test_ungraded_assignments_leave_the_total_and_waiting_work_is_pending():
    cells = {QUIZ.key: GradeCell(8.0, passed=True), RUBRIC.key: GradeCell(None, pending=True, attempts=1)}
    total = course_total(cells, MIXED)
    assert total.percent == 80.0  # only the graded quiz
    assert total.pending and not total.complete
    assert not course_passed(total)


def test_pass_fail_is_required_to_pass_everything_but_never_weighted():
    cols = [QUIZ, PASS_FAIL]
    quiz_only = {QUIZ.key: GradeCell(9.0, passed=True)}
    assert course_total(quiz_only, cols).percent == 90.0
    assert not course_passed(course_total(quiz_only, cols))  # the pass/fail assignment is not graded yet
    failed = {**quiz_only, PASS_FAIL.key: GradeCell(None, passed=False, graded_flag=True)}
    assert course_total(failed, cols).percent == 90.0
    assert not course_passed(course_total(failed, cols))
    passed = {**quiz_only, PASS_FAIL.key: GradeCell(None, passed=True, graded_flag=True)}
    assert course_passed(course_total(passed, cols))
    only = course_total({PASS_FAIL.key: GradeCell(None, passed=True, graded_flag=True)}, [PASS_FAIL])
    assert only.percent is None and course_passed(only)
    assert not course_passed(only, pass_percent=50)  # no number to compare


def test_percent_of_a_pass_fail_column_is_none():
    assert percent(None, None) is None
    assert percent(5.0, None) is None


def test_rescale_a_grade_given_under_another_maximum():
    assert rescale(6.0, 10.0, 10.0) == 6.0
    assert rescale(6.0, 10.0, 20.0) == 12.0
    assert rescale(6.0, None, 20.0) == 6.0  # no recorded maximum: as given
    assert rescale(None, 10.0, 10.0) is None
    assert rescale(6.0, 10.0, None) is None  # now pass/fail: no points


def test_cell_status():
    assert cell_status(None) == "missing"
    assert cell_status(GradeCell(None)) == "missing"  # a draft
    assert cell_status(GradeCell(None, pending=True, attempts=1, late=True)) == "waiting"
    assert cell_status(GradeCell(7.0)) == "graded"
    assert cell_status(GradeCell(None, passed=False, graded_flag=True)) == "graded"
    assert GradeCell(None, graded_flag=True).graded


TABLE = Table("Điểm: bài kiểm tra/1", ["Họ và tên", "Điểm"],
              [["Nguyễn Văn An", 8.5], ["=HYPERLINK(\"x\")", None], ["Trần Thị Bình", 10]], widths=[30, 10])


def test_table_csv_has_bom_vietnamese_and_no_formula():
    body = table_csv(TABLE)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Họ và tên", "Điểm"]
    assert rows[1] == ["Nguyễn Văn An", "8.5"]
    assert rows[2] == ["'=HYPERLINK(\"x\")", ""]
    assert rows[3] == ["Trần Thị Bình", "10"]


def test_table_xlsx_keeps_text_as_text_and_numbers_as_numbers():
    wb = load_workbook(io.BytesIO(table_xlsx(TABLE)))
    ws = wb.active
    assert ws.title == "Điểm bài kiểm tra1"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["Họ và tên", "Điểm"]
    assert values[1] == ["Nguyễn Văn An", 8.5]
    assert ws.cell(row=3, column=1).data_type == "s"
    assert values[2][0] == "=HYPERLINK(\"x\")"
    assert values[3] == ["Trần Thị Bình", 10]


def test_grade_bands_tenths_with_the_maximum_in_the_top_band():
    bands = grade_bands([0, 0.99, 5, 9.99, 10], 10)
    assert bands[0] == ("0–1", 2)
    assert bands[5] == ("5–6", 1)
    assert bands[9] == ("9–10", 2)
    assert sum(n for _, n in bands) == 5
    assert grade_bands([1], 0) == []
    assert grade_bands([], 20)[1] == ("2–4", 0)
