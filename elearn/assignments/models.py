"""Assignments (a course activity), submissions with their files, grades, similarity pairs, grading delegates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import UTCDateTime
from elearn.extensions import db


class Assignment(db.Model):
    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(String(20), default="reflection")  # domain.Template
    instructions: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: no deadline
    late_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # late submissions accepted until then
    allow_text: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_files: Mapped[bool] = mapped_column(Boolean, default=True)
    max_files: Mapped[int] = mapped_column(Integer, default=3)
    min_words: Mapped[int | None] = mapped_column(Integer)
    max_words: Mapped[int | None] = mapped_column(Integer)
    allow_resubmit: Mapped[bool] = mapped_column(Boolean, default=True)
    grading: Mapped[str] = mapped_column(String(20), default="rubric")  # domain.Grading
    rubric: Mapped[list] = mapped_column(JSON, default=list)  # domain.rubric_to_json()
    max_score: Mapped[float | None] = mapped_column(Float)  # grading "score": the maximum
    pass_score: Mapped[float | None] = mapped_column(Float)  # rubric / score: the pass mark
    similarity_threshold: Mapped[float] = mapped_column(Float, default=0.5)  # containment flagged (0..1)
    similarity_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    course = relationship("Course")


class Submission(db.Model):
    """One learner's work on one assignment (a single row: drafts and resubmissions change it)."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)  # domain.State
    text: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML (free assignment)
    sections: Mapped[dict] = mapped_column(JSON, default=dict)  # reflection: section key -> sanitised HTML
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # last submission
    times_submitted: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # last submission after the due date
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    assignment: Mapped[Assignment] = relationship()
    user = relationship("User")
    files: Mapped[list[SubmissionFile]] = relationship(cascade="all, delete-orphan", order_by="SubmissionFile.id",
                                                       lazy="selectin")
    grade: Mapped[Grade | None] = relationship(back_populates="submission", uselist=False, cascade="all, delete-orphan")


class SubmissionFile(db.Model):
    __tablename__ = "submission_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text)  # PDF / DOCX text for the similarity check; None: not read yet

    file = relationship("StoredFile", lazy="joined")


class Grade(db.Model):
    __tablename__ = "assignment_grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), unique=True)
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    score: Mapped[float | None] = mapped_column(Float)  # rubric total or score; None for pass/fail
    max_score: Mapped[float | None] = mapped_column(Float)  # the maximum when graded
    passed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    levels: Mapped[list] = mapped_column(JSON, default=list)  # rubric: chosen level index per criterion
    feedback: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    submission: Mapped[Submission] = relationship(back_populates="grade")
    grader = relationship("User")


class SimilarityPair(db.Model):
    """Two submissions of one assignment whose texts overlap above the assignment's threshold."""

    __tablename__ = "similarity_pair"
    __table_args__ = (UniqueConstraint("first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)  # containment 0..1
    jaccard: Mapped[float] = mapped_column(Float)
    passages: Mapped[list] = mapped_column(JSON, default=list)  # [[first word index, second word index, length]]
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    first: Mapped[Submission] = relationship(foreign_keys=[first_id])
    second: Mapped[Submission] = relationship(foreign_keys=[second_id])


class GradingDelegate(db.Model):
    """A unit head named by a course's lecturer to grade the submissions of their unit's cadres (and of the
    units below it) in that course."""

    __tablename__ = "grading_delegate"
    __table_args__ = (UniqueConstraint("course_id", "user_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user = relationship("User", foreign_keys=[user_id])
    unit = relationship("Unit")


class Commitment(db.Model):
    """One line of the action plan of a cadre's reflection essay, kept as data: a follow-up evaluation at work
    shows them to the cadre's unit head. Replaced each time the essay is submitted."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)  # when the essay was submitted

    submission: Mapped[Submission] = relationship()
    course = relationship("Course")
