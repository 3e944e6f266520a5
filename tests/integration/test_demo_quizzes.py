"""The quiz demo: a Vietnamese bank of at least 40 questions of every type over two demo courses, a pre-test and a
post-test in BD-NQ57, finished attempts; seeding again changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.courses.models import Course
from elearn.extensions import db
from elearn.quizzes.models import BankQuestion
from elearn.quizzes.questions import QType
from elearn.quizzes.quiz_models import Attempt, Quiz, QuizResult


def test_demo_quizzes(demo_seeded):
    assert any(line.startswith("Demo quizzes: ") for line in demo_seeded)
    codes = ("BD-NQ57", "TH-AI-CBCC")
    course_ids = list(db.session.scalars(select(Course.id).where(Course.code.in_(codes))))
    types = dict(db.session.execute(select(BankQuestion.qtype, func.count()).where(BankQuestion.course_id.in_(course_ids))
                                    .group_by(BankQuestion.qtype)).all())
    assert sum(types.values()) >= 40 and set(types) == {str(t) for t in QType}
    roles = set(db.session.scalars(select(Quiz.role)))
    assert {"pretest", "posttest"} <= roles
    finished = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.state == "finished"))
    assert finished >= 10
    assert db.session.scalar(select(func.count()).select_from(QuizResult).where(QuizResult.grade.is_not(None))) >= 8
    pending = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.pending_essays > 0))
    assert pending >= 1  # something for the grading queue

    from elearn.demo.quizzes import seed_quizzes

    assert "already present" in seed_quizzes()
