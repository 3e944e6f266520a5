"""`flask questions import|export` through Click's runner, on the test database."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.quizzes.models import BankQuestion
from tests.course_factories import make_course
from tests.integration.test_question_bank import GIFT


@pytest.fixture
def course(factory):
    return make_course(factory, code="QB01")


@pytest.fixture
def gift_file(tmp_path):
    path = tmp_path / "bank.gift.txt"
    path.write_text(GIFT, encoding="utf-8")
    return path


def run(app, *args):
    return app.test_cli_runner().invoke(args=["questions", *args])


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(BankQuestion))


def test_dry_run_reports_counts_and_problem_lines_and_writes_nothing(app, course, gift_file):
    result = run(app, "import", str(gift_file), "--course", "QB01", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would import 4 questions; 1 problems" in result.output
    assert "line 12:" in result.output
    assert "new category: Luật" in result.output
    assert stored() == 0


def test_import_writes_the_good_questions(app, course, gift_file):
    result = run(app, "import", str(gift_file), "--course", "QB01", "--format", "gift")
    assert result.exit_code == 0, result.output
    assert "Imported 4 questions into QB01 (3 new categories)" in result.output
    assert "error, line 12:" in result.output
    assert stored() == 4


def test_import_exits_1_when_nothing_could_be_imported(app, course, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("::Bad:: {~a ~b}\n", encoding="utf-8")
    result = run(app, "import", str(bad), "--course", "QB01")
    assert result.exit_code == 1
    assert "line 1:" in result.output
    assert stored() == 0


def test_unknown_course_is_an_error(app, gift_file):
    result = run(app, "import", str(gift_file), "--course", "NOPE")
    assert result.exit_code != 0 and "NOPE" in result.output


def test_export_json_to_stdout_and_gift_to_a_file(app, factory, course, gift_file, tmp_path):
    assert run(app, "import", str(gift_file), "--course", "QB01").exit_code == 0
    result = run(app, "export", "--course", "QB01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["name"] for d in data] == ["Q1", "Q2", "Q3", "Q4"]
    assert {"type", "name", "text", "category", "answers", "subquestions", "general_feedback"} <= set(data[0])
    out = tmp_path / "out.gift.txt"
    result = run(app, "export", "--course", "QB01", "--format", "gift", "--output", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "$CATEGORY: $course$/Luật/Chương 1" in text and "::Q3::" in text
    # the exported file imports again, the same questions
    make_course(factory, code="QB02")
    assert run(app, "import", str(out), "--course", "QB02").exit_code == 0
    again = run(app, "export", "--course", "QB02", "--format", "json")
    assert json.loads(again.stdout) == data
