"""Grading services against the database: regrade from the command line, the final-grade fact with a pre-test,
the essay queue filters and the results overview figures."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.quizzes import grading_services as gs
from elearn.quizzes import quiz_services as qs
from elearn.quizzes import services as bank_services
from elearn.quizzes.quiz_models import Attempt
from elearn.quizzes.quiz_services import QuizSettings, SlotSpec
from tests.course_factories import first_section
from tests.quiz_factories import make_quiz_setup
from tests.web.test_quiz_grading_web import essay_answer, finish


def test_regrade_command_dry_run_then_apply(app, factory):
    s = make_quiz_setup(factory)
    attempt = finish(s, s.learner, wrong=("essay",))
    mc_id = s.question_ids()["MC1"]
    bank_q = bank_services.question_of(s.course, mc_id)
    fixed = bank_services.current_question(bank_q)
    fixed.answers[0].fraction, fixed.answers[1].fraction = 0.0, 1.0
    bank_services.update_question(s.lecturer, bank_q, fixed)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["quizzes", "regrade", str(s.quiz.id), "--latest"])
    assert dry.exit_code == 0, dry.output
    assert "1 grade(s) would change (dry run)" in dry.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).grade == pytest.approx(60 / 7)

    done = runner.invoke(args=["quizzes", "regrade", str(s.quiz.id), "--latest", "--apply"])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).grade == pytest.approx(50 / 7)
    assert runner.invoke(args=["quizzes", "regrade", "999999"]).exit_code != 0


def test_final_grade_leaves_out_the_pretest_and_weights_by_maximum(factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Kiểm tra cuối", attempts_allowed=0, max_grade=10))
    pre = qs.create_quiz(s.lecturer, s.course, first_section(s.course),
                         QuizSettings(title="Kiểm tra đầu vào", role="pretest", attempts_allowed=0))
    ids = s.question_ids()
    qs.set_slots(s.lecturer, pre, [SlotSpec(question_id=ids["TF1"])])
    pre_attempt = qs.start_attempt(s.learner, pre)
    qs.submit_attempt(s.learner, pre_attempt)  # nothing answered: 0 on the pre-test
    assert gs.final_grade(s.course, s.learner.id) is None  # a pre-test alone is no final grade
    finish(s, s.learner, wrong=("essay", "truefalse"))  # 5 of 7
    assert gs.final_grade(s.course, s.learner.id) == pytest.approx(71.43)


def test_essay_queue_status_filters_and_overview(factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Bài kiểm tra", attempts_allowed=0, pass_mark=5))
    first = finish(s, s.learner)
    second = finish(s, s.learner, wrong=("essay",))
    ungraded = db.session.scalars(gs.essay_queue(s.course, status="ungraded")).all()
    assert [a.attempt_id for a in ungraded] == [first.id]  # the empty essay needs no grade
    gs.grade_essay(s.lecturer, essay_answer(first), 1.0, "Tốt")
    assert db.session.scalars(gs.essay_queue(s.course, status="ungraded")).all() == []
    assert [a.attempt_id for a in db.session.scalars(gs.essay_queue(s.course, status="graded"))] == [first.id]
    assert len(db.session.scalars(gs.essay_queue(s.course, status="all")).all()) == 2
    with pytest.raises(gs.GradingError):
        gs.grade_essay(s.lecturer, essay_answer(first), 1.5, "")
    view = gs.overview(s.quiz)
    assert (view.attempts, view.finished, view.graded, view.learners, view.passed) == (2, 2, 2, 1, 1)
    assert view.summary.mean == pytest.approx((10 + 60 / 7) / 2)
    assert sum(n for _, n in view.bands) == 2
    result = qs.result_of(s.quiz, s.learner.id)
    assert result.grade == pytest.approx(10.0)  # highest
    assert db.session.scalar(select(Attempt.grade).where(Attempt.id == second.id)) == pytest.approx(60 / 7)
