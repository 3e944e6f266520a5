"""The Party-document library: documents, their tags, the amend/replace chain, lesson citations and the
"document updated" warnings of the courses that cite a changed document."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import TimestampMixin, UTCDateTime
from elearn.extensions import db


class Document(TimestampMixin, db.Model):
    __tablename__ = "document"
    # Party numbering restarts with each term (18-NQ/TW of 2017 and of 2022): a symbol is unique per date.
    __table_args__ = (UniqueConstraint("symbol_key", "issued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(String(60))  # số và ký hiệu as displayed: "57-NQ/TW"
    symbol_key: Mapped[str] = mapped_column(String(60), index=True)  # domain.symbol_key(): "57-nq/tw"
    kind: Mapped[str] = mapped_column(String(20), index=True)  # domain.DocKind
    title: Mapped[str] = mapped_column(String(500))  # trích yếu
    issuing_body: Mapped[str] = mapped_column(String(200))  # e.g. "Bộ Chính trị"
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    effective_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="in_force", index=True)  # domain.Status
    summary: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    body_text: Mapped[str] = mapped_column(Text, default="")  # full text typed or pasted (plain)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    pdf_text: Mapped[str] = mapped_column(Text, default="")  # text extracted from the PDF at upload
    # none (no PDF) / pending (being extracted) / ok / empty (no text layer: scanned?) / failed (unreadable)
    text_status: Mapped[str] = mapped_column(String(20), default="none")
    pages: Mapped[int | None] = mapped_column(Integer)
    # fold(symbol, kind name, title, issuing body, tags, summary text): the short fields searched.
    search_text: Mapped[str] = mapped_column(Text, default="")
    full_text_folded: Mapped[str] = mapped_column(Text, default="")  # fold(body_text + pdf_text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    file = relationship("StoredFile", foreign_keys=[file_id])
    tags: Mapped[list[DocumentTag]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                   order_by="DocumentTag.position")

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]


class DocumentTag(db.Model):
    __tablename__ = "document_tag"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)
    tag_key: Mapped[str] = mapped_column(String(60), index=True)  # fold(tag), for filtering
    position: Mapped[int] = mapped_column(Integer, default=0)


class DocumentChange(db.Model):
    """`by_document` amends or replaces `document` (the older one)."""

    __tablename__ = "document_change"
    __table_args__ = (UniqueConstraint("document_id", "by_document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    by_document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    change: Mapped[str] = mapped_column(String(20))  # domain.Change: amends / replaces
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    document: Mapped[Document] = relationship(foreign_keys=[document_id])
    by_document: Mapped[Document] = relationship(foreign_keys=[by_document_id])


class LessonDocument(db.Model):
    """A lesson cites (is built around) a document."""

    __tablename__ = "lesson_document"

    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    document: Mapped[Document] = relationship()


class DocumentReview(db.Model):
    """A course cites a document that was amended or superseded: its lecturers see a warning until one
    of them marks it reviewed. One open warning per course and document; a later change re-opens it."""

    __tablename__ = "document_review"
    __table_args__ = (UniqueConstraint("course_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("document_change.id", ondelete="SET NULL"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # None: still to review
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    document: Mapped[Document] = relationship()
    change: Mapped[DocumentChange | None] = relationship()
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
