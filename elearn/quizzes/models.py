"""The question bank: nested categories per course, questions, their versions and tags.

A question's content lives in its versions (`data` = Question.to_json() without the category, which the bank row
holds). Editing adds a version and never changes one an attempt may already use; `current_version` names the
version new attempts take. `qtype`, `name` and `search_text` repeat the current version's facts for filtering.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import TimestampMixin, UTCDateTime
from elearn.extensions import db


class QuestionCategory(db.Model):
    __tablename__ = "question_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("question_category.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer, default=0)


class BankQuestion(TimestampMixin, db.Model):
    __tablename__ = "bank_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("question_category.id", ondelete="CASCADE"), index=True)
    qtype: Mapped[str] = mapped_column(String(20), index=True)  # questions.QType
    name: Mapped[str] = mapped_column(String(255))
    search_text: Mapped[str] = mapped_column(Text, default="")  # fold(name + visible text)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    category: Mapped[QuestionCategory] = relationship()
    versions: Mapped[list[QuestionVersion]] = relationship(cascade="all, delete-orphan",
                                                           order_by="QuestionVersion.number",
                                                           back_populates="question")
    tags: Mapped[list[QuestionTag]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                   order_by="QuestionTag.tag")

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]


class QuestionVersion(db.Model):
    __tablename__ = "question_version"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("bank_question.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)  # Question.to_json(), category left empty
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    question: Mapped[BankQuestion] = relationship(back_populates="versions")


class QuestionTag(db.Model):
    __tablename__ = "question_tag"

    question_id: Mapped[int] = mapped_column(ForeignKey("bank_question.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
