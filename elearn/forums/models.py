"""Forums, threads, posts, subscriptions, read marks, abuse flags and the digest bookmark."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import UTCDateTime
from elearn.extensions import db


class Forum(db.Model):
    __tablename__ = "forum"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    # Set (to course_id) only on the course's general forum: the unique index keeps it one per course.
    general_of_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="open")  # domain.ForumKind
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    min_posts: Mapped[int] = mapped_column(Integer, default=1)  # posts that complete it as a course item
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    course = relationship("Course", foreign_keys=[course_id])


class Thread(db.Model):
    __tablename__ = "forum_thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_post_id: Mapped[int | None] = mapped_column(Integer)  # the reply marked as the accepted answer
    reply_count: Mapped[int] = mapped_column(Integer, default=0)  # replies not deleted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delete_reason: Mapped[str] = mapped_column(String(500), default="")

    forum: Mapped[Forum] = relationship()
    author = relationship("User", foreign_keys=[author_id])


class Post(db.Model):
    __tablename__ = "forum_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id", ondelete="CASCADE"), index=True)
    # A reply to a top-level reply (one level of nesting); None for the opening post and top-level replies.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("forum_post.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    is_first: Mapped[bool] = mapped_column(Boolean, default=False)  # the thread's opening post
    body: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    search_text: Mapped[str] = mapped_column(Text, default="")  # fold(thread title + body text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    delete_reason: Mapped[str] = mapped_column(String(500), default="")

    thread: Mapped[Thread] = relationship()
    author = relationship("User", foreign_keys=[author_id])


class Subscription(db.Model):
    """Someone follows a forum or a thread (target: "forum" or "thread", ref_id its id)."""

    __tablename__ = "forum_subscription"
    __table_args__ = (UniqueConstraint("user_id", "target", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(10))
    ref_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ReadMark(db.Model):
    """The newest post of a thread the person has seen (post ids only grow)."""

    __tablename__ = "forum_read"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id", ondelete="CASCADE"), index=True)
    last_post_id: Mapped[int] = mapped_column(Integer, default=0)


class Flag(db.Model):
    """A member reports a post; a lecturer reviews it (outcome "kept" or "removed")."""

    __tablename__ = "forum_flag"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(20), default="")

    post: Mapped[Post] = relationship()
    user = relationship("User", foreign_keys=[user_id])


class DigestMark(db.Model):
    """The newest post already sent to this person in a daily e-mail digest."""

    __tablename__ = "forum_digest"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    last_post_id: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
