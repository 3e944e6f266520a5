"""Quizzes, their question slots, per-learner overrides, attempts, answers and the learner's quiz result.

A quiz sits in a course's flow as a section item of kind "quiz" (courses/items.py); its questions come from
the course bank (models.py) through slots: a fixed question, or N questions drawn at random from a category.
Starting an attempt freezes everything it shows: one `AttemptAnswer` per question slot, naming the exact
`QuestionVersion`, the answer order and the page. Editing a question or the quiz afterwards never changes it.

Times are server times (core.clock); a client's clock is never stored. Scores: `AttemptAnswer.max_mark` is
the question's marks in this quiz; `Attempt.sumgrades` sums the answers' scores (None while an essay waits);
`Attempt.grade` is the sum rescaled to `Quiz.max_grade`. The learner's quiz grade (by the grading method)
is cached in `QuizResult`, which the gradebook and the course completion read.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import TimestampMixin, UTCDateTime
from elearn.extensions import db

# Attempt states (the stored ones; attempts.AttemptPhase names the same phases).
IN_PROGRESS = "in_progress"
OVERDUE = "overdue"  # grace period: only a submit is accepted
FINISHED = "finished"
ABANDONED = "abandoned"  # past the deadline (and grace) unsubmitted: never graded
OPEN_STATES = (IN_PROGRESS, OVERDUE)

DEFAULT_REVIEW_OPTIONS = {
    "during": ["attempt"],
    "immediately_after": ["attempt", "correctness", "marks", "specific_feedback", "general_feedback",
                          "right_answer", "overall_feedback"],
    "later_while_open": ["attempt", "correctness", "marks", "specific_feedback", "general_feedback",
                         "right_answer", "overall_feedback"],
    "after_close": ["attempt", "correctness", "marks", "specific_feedback", "general_feedback",
                    "right_answer", "overall_feedback"],
}


class Quiz(TimestampMixin, db.Model):
    __tablename__ = "quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    intro: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    time_limit: Mapped[int] = mapped_column(Integer, default=0)  # seconds, 0 = no limit
    expiry_rule: Mapped[str] = mapped_column(String(20), default="autosubmit")  # attempts.ExpiryRule
    grace_seconds: Mapped[int] = mapped_column(Integer, default=0)  # expiry_rule "grace" only
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)  # 0 = unlimited
    delay_seconds: Mapped[int] = mapped_column(Integer, default=0)  # between a finished attempt and the next start
    grading_method: Mapped[str] = mapped_column(String(10), default="highest")  # attempts.GradingMethod
    max_grade: Mapped[float] = mapped_column(Float, default=10.0)  # the grade scale (Vietnamese marks: out of 10)
    pass_mark: Mapped[float | None] = mapped_column(Float)  # on the max_grade scale; None: any grade passes
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    shuffle_answers: Mapped[bool] = mapped_column(Boolean, default=True)  # and each question's own setting
    questions_per_page: Mapped[int] = mapped_column(Integer, default=1)  # 0 = all on one page
    navigation: Mapped[str] = mapped_column(String(10), default="free")  # free / sequential
    review_options: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_REVIEW_OPTIONS))
    feedback_bands: Mapped[list] = mapped_column(JSON, default=list)  # [{"min": grade, "text": html}], overall feedback
    role: Mapped[str] = mapped_column(String(10), default="")  # "" / "pretest" / "posttest" (knowledge gain)
    autosave_seconds: Mapped[int] = mapped_column(Integer, default=20)  # the page also saves on every change
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    course = relationship("Course")
    slots: Mapped[list[QuizSlot]] = relationship(cascade="all, delete-orphan", order_by="QuizSlot.position",
                                                 back_populates="quiz")


class QuizSlot(db.Model):
    """One entry of the quiz's question list: a fixed bank question, or `count` drawn from a category."""

    __tablename__ = "quiz_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("bank_question.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("question_category.id", ondelete="CASCADE"))
    include_subcategories: Mapped[bool] = mapped_column(Boolean, default=False)
    count: Mapped[int] = mapped_column(Integer, default=1)  # random slots: how many to draw
    mark: Mapped[float] = mapped_column(Float, default=1.0)  # marks per question of this slot

    quiz: Mapped[Quiz] = relationship(back_populates="slots")

    @property
    def random(self) -> bool:
        return self.question_id is None


class QuizOverride(db.Model):
    """A learner's exceptions to the quiz settings (None keeps the quiz's value)."""

    __tablename__ = "quiz_override"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    time_limit: Mapped[int | None] = mapped_column(Integer)  # seconds; 0 = no limit
    extra_seconds: Mapped[int] = mapped_column(Integer, default=0)
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)  # 0 = unlimited
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)


class Attempt(db.Model):
    """One attempt of one learner. `(quiz_id, user_id, number)` is unique and a partial unique index allows one open
    attempt per learner and quiz, so concurrent starts make one.

    The submit is idempotent: services lock the row (SELECT ... FOR UPDATE on PostgreSQL) and finish it only
    from an open state; a second submit finds it finished and changes nothing.
    """

    __tablename__ = "quiz_attempt"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id", "number"),
                      Index("ix_quiz_attempt_open_deadline", "state", "deadline"),
                      # at most one open attempt per learner and quiz, even under concurrent starts
                      Index("uq_quiz_attempt_one_open", "quiz_id", "user_id", unique=True,
                            postgresql_where=text("state IN ('in_progress', 'overdue')"),
                            sqlite_where=text("state IN ('in_progress', 'overdue')")))

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per learner and quiz
    state: Mapped[str] = mapped_column(String(12), default=IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)  # server-kept; None: never expires
    grace_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # deadline + grace (rule "grace")
    expiry_rule: Mapped[str] = mapped_column(String(20), default="autosubmit")  # frozen at start
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # submit time, or the deadline (autosubmit)
    finish_reason: Mapped[str] = mapped_column(String(20), default="")  # submitted / timeout / abandoned
    current_page: Mapped[int] = mapped_column(Integer, default=0)  # furthest page reached (sequential navigation)
    page_count: Mapped[int] = mapped_column(Integer, default=1)
    navigation: Mapped[str] = mapped_column(String(10), default="free")  # frozen at start
    seed: Mapped[int] = mapped_column(Integer, default=0)  # shuffles and draws of this attempt
    token: Mapped[str] = mapped_column(String(64))  # per-attempt secret for the page's JSON calls (see services)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)  # highest client save sequence acknowledged
    last_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sumgrades: Mapped[float | None] = mapped_column(Float)  # sum of marks; None until graded (or essays pending)
    max_sumgrades: Mapped[float] = mapped_column(Float, default=0.0)
    grade: Mapped[float | None] = mapped_column(Float)  # sumgrades rescaled to quiz.max_grade
    pending_essays: Mapped[int] = mapped_column(Integer, default=0)  # answers waiting for a lecturer
    preview: Mapped[bool] = mapped_column(Boolean, default=False)  # a lecturer's try: never graded into results

    quiz: Mapped[Quiz] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(cascade="all, delete-orphan", order_by="AttemptAnswer.slot",
                                                        back_populates="attempt")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def question_count(self) -> int:
        """How many questions the attempt froze (known without loading the answers right after a start)."""
        known = self.__dict__.get("_question_count")
        return known if known is not None else len(self.answers)

    @question_count.setter
    def question_count(self, value: int) -> None:
        self.__dict__["_question_count"] = value


class AttemptAnswer(db.Model):
    """One question of an attempt (frozen version, order, page) and the learner's latest saved response."""

    __tablename__ = "quiz_attempt_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int] = mapped_column(Integer)  # 1-based position in this attempt
    page: Mapped[int] = mapped_column(Integer, default=0)  # 0-based page
    question_id: Mapped[int] = mapped_column(ForeignKey("bank_question.id", ondelete="CASCADE"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id", ondelete="CASCADE"), index=True)
    qtype: Mapped[str] = mapped_column(String(20))  # the frozen version's type (for queues and reports)
    max_mark: Mapped[float] = mapped_column(Float, default=1.0)
    choice_order: Mapped[list] = mapped_column(JSON, default=list)  # multichoice: answer indexes; matching: choices
    response: Mapped[dict | list | str | int | float | bool | None] = mapped_column(JSON)  # grading.mark() input
    seq: Mapped[int] = mapped_column(Integer, default=0)  # client sequence number of the saved response
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the server acknowledged it
    fraction: Mapped[float | None] = mapped_column(Float)  # automatic mark 0..1 (None: essay / description)
    mark_state: Mapped[str] = mapped_column(String(20), default="")  # grading.MarkState after grading
    feedback: Mapped[list] = mapped_column(JSON, default=list)  # the chosen answers' feedback, after grading
    manual_mark: Mapped[float | None] = mapped_column(Float)  # essays: marks out of max_mark given by a lecturer
    comment: Mapped[str] = mapped_column(Text, default="")  # the lecturer's comment (sanitised HTML)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    version = relationship("QuestionVersion")

    @property
    def score(self) -> float | None:
        """Marks earned: the lecturer's mark when given, else the automatic fraction × max_mark."""
        if self.manual_mark is not None:
            return self.manual_mark
        if self.fraction is None:
            return None
        return round(self.fraction * self.max_mark, 7)


class QuizResult(db.Model):
    """A learner's quiz grade by the quiz's grading method, recomputed after every graded attempt."""

    __tablename__ = "quiz_result"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    grade: Mapped[float | None] = mapped_column(Float)  # on quiz.max_grade; None: nothing graded yet
    pending: Mapped[bool] = mapped_column(Boolean, default=False)  # an essay may still change it
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # finished attempts counted
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
