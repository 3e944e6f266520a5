"""Catalogue, courses, sections and their items, lessons, enrolments, progress and announcements."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import TimestampMixin, UTCDateTime
from elearn.extensions import db


class CourseCategory(db.Model):
    __tablename__ = "course_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Course(TimestampMixin, db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    # fold(title + summary text + lesson titles): the catalogue searches this column.
    search_text: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("course_category.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="boi_duong")  # domain.CourseKind
    hours: Mapped[float] = mapped_column(Numeric(6, 1), default=0)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)  # draft/published/archived
    cover_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    self_enrol: Mapped[bool] = mapped_column(Boolean, default=True)
    enrol_key: Mapped[str] = mapped_column(String(100), default="")  # empty: no key needed
    audience: Mapped[list] = mapped_column(JSON, default=list)  # [AudienceRule as dict]; empty: everyone
    completion_rules: Mapped[list] = mapped_column(JSON, default=list)  # [completion rule as dict]
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    category: Mapped[CourseCategory | None] = relationship()
    lecturer_links: Mapped[list[CourseLecturer]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    sections: Mapped[list[Section]] = relationship(cascade="all, delete-orphan", order_by="Section.position",
                                                   back_populates="course")

    @property
    def lecturer_ids(self) -> set[int]:
        return {link.user_id for link in self.lecturer_links}


class CourseLecturer(db.Model):
    __tablename__ = "course_lecturer"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)

    user = relationship("User")  # loaded when named (pages, the API); authorization needs only user_id


class Section(db.Model):
    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    position: Mapped[int] = mapped_column(Integer, default=0)

    course: Mapped[Course] = relationship(back_populates="sections")
    items: Mapped[list[SectionItem]] = relationship(cascade="all, delete-orphan", order_by="SectionItem.position",
                                                    back_populates="section")


class SectionItem(db.Model):
    """One step of a course's flow. `kind` names a provider (courses/items.py): lesson today; quizzes,
    live sessions, assignments and forums register their own kinds without changing this table."""

    __tablename__ = "section_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30))
    ref_id: Mapped[int] = mapped_column(Integer)  # id in the provider's own table
    required: Mapped[bool] = mapped_column(Boolean, default=True)  # counts toward "all required done"
    visible: Mapped[bool] = mapped_column(Boolean, default=True)

    section: Mapped[Section] = relationship(back_populates="items")


class Lesson(db.Model):
    __tablename__ = "lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # page / document / video / link
    body: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML (page text, or notes for other kinds)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(1000), default="")  # external link, or video embed URL
    completion_mode: Mapped[str] = mapped_column(String(20), default="on_view")  # on_view / manual / video_share
    video_threshold: Mapped[float] = mapped_column(Float, default=0.9)  # share of a video to watch
    minutes: Mapped[int | None] = mapped_column(Integer)  # estimated study time

    file = relationship("StoredFile", foreign_keys=[file_id])


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # self / manual / rule / csv
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Đúng đối tượng: False when the person did not match the audience at enrolment; reason says why.
    in_target: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    outside_reason: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[str] = mapped_column(String(20), default="active")  # active / withdrawn
    last_access_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_item_id: Mapped[int | None] = mapped_column(Integer)  # resume where I left off
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # cached share of required items done
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # set once, never moves

    course: Mapped[Course] = relationship()
    user = relationship("User", foreign_keys=[user_id])


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("lesson_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marked_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    watched_share: Mapped[float] = mapped_column(Float, default=0.0)  # highest share of the video watched
    position_seconds: Mapped[float] = mapped_column(Float, default=0.0)  # where the video was left
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Announcement(db.Model):
    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    author = relationship("User")


class EmbedHost(db.Model):
    """Video embed hosts admins allow (e.g. an internal video server)."""

    __tablename__ = "embed_host"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
