"""Live sessions, their room event log, chat and questions, polls, and attendance."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import TimestampMixin, UTCDateTime
from elearn.extensions import db


class LiveSession(TimestampMixin, db.Model):
    """A scheduled class of a course; its lecturers are the course's lecturers."""

    __tablename__ = "live_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    join_opens_minutes: Mapped[int] = mapped_column(Integer, default=15)  # the room opens this long before the start
    late_after_minutes: Mapped[int] = mapped_column(Integer, default=10)  # arriving later than this is "late"
    threshold_percent: Mapped[int] = mapped_column(Integer, default=75)  # share of the session to count as present
    in_person: Mapped[bool] = mapped_column(Boolean, default=False)  # held in a hall: QR attendance
    location: Mapped[str] = mapped_column(String(300), default="")
    stream_url: Mapped[str] = mapped_column(String(1000), default="")  # embed from the allow-list, or a meeting link
    recording_url: Mapped[str] = mapped_column(String(1000), default="")
    slide_lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lesson.id", ondelete="SET NULL"))
    slide_page: Mapped[int] = mapped_column(Integer, default=1)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)  # sequence id of the room's latest event
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    course = relationship("Course")
    slide_lesson = relationship("Lesson")


class LiveEvent(db.Model):
    """One room event, numbered per session; a reconnecting client is replayed what it missed."""

    __tablename__ = "live_event"
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_live_event_seq"),
                      UniqueConstraint("session_id", "actor_id", "client_id", name="uq_live_event_client_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    client_id: Mapped[str | None] = mapped_column(String(64))  # the sender's idempotency key, when it gave one
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class LiveMessage(db.Model):
    """A chat message or a question to the lecturer (plain text)."""

    __tablename__ = "live_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))  # chat / question
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id])


class LiveUpvote(db.Model):
    __tablename__ = "live_upvote"
    __table_args__ = (UniqueConstraint("message_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("live_message.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))


class LivePoll(db.Model):
    """A poll or quick quiz the lecturer launches in the room; results stay with the session."""

    __tablename__ = "live_poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(500))
    options: Mapped[list] = mapped_column(JSON, default=list)  # [option text]
    correct: Mapped[int | None] = mapped_column(Integer)  # quick quiz: index of the right option
    revote: Mapped[str] = mapped_column(String(10), default="ignore")  # ignore / replace: what a second vote does
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class LivePollVote(db.Model):
    __tablename__ = "live_poll_vote"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("live_poll.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    option: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class LiveParticipant(db.Model):
    """Per person and session: mute, raised hand, in-person check-in and the lecturer's manual mark."""

    __tablename__ = "live_participant"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    hand_raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hand_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # scanned the hall's QR code
    manual_status: Mapped[str | None] = mapped_column(String(10))  # present / late / absent set by the lecturer
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])


class LivePresence(db.Model):
    """One stay in the room: joined and left at server time (left_at empty while connected)."""

    __tablename__ = "live_presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    sid: Mapped[str] = mapped_column(String(64), default="")  # the Socket.IO connection
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)  # last sign of life (crash guard)
