"""Use cases of the document library: add and edit documents, index their text, record that a newer
document amends or replaces one (notifying the lecturers of the courses that cite it), lesson citations
and the "document updated" reviews. Takes the acting user; never reads the request."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import delete, select

from elearn.core import audit, clock, html, jobs, notify
from elearn.core.files import StoredFile, path_of
from elearn.core.jobs import Job
from elearn.core.text import fold
from elearn.courses.models import Course, CourseLecturer, Lesson
from elearn.documents import domain, extract
from elearn.documents.models import Document, DocumentChange, DocumentReview, DocumentTag, LessonDocument
from elearn.extensions import db

MAX_SUMMARY = 60_000  # bytes of summary HTML
MAX_BODY_TEXT = 2_000_000
DEFAULT_INLINE_PAGES = 40  # larger PDFs are indexed by a background job
MAX_CITATIONS = 20  # documents one lesson cites


class DocumentError(Exception):
    """A rule refused the change: `errors` maps form fields to English msgids (with `params`)."""

    def __init__(self, errors: dict[str, str], **params):
        self.errors = errors
        self.params = params
        self.field = next(iter(errors), None)
        self.message = next(iter(errors.values()), "")
        super().__init__(self.message % params if params else self.message)


@dataclass
class DocumentData:
    symbol: str
    kind: str
    title: str
    issuing_body: str
    issued_on: date | None
    effective_on: date | None = None
    summary: str = ""  # HTML, cleaned here
    tags: list[str] = field(default_factory=list)
    body_text: str = ""


# --- documents ------------------------------------------------------------------------------------

def _check(data: DocumentData, document: Document | None) -> None:
    data.tags = domain.clean_tags(data.tags)
    facts = domain.DocumentFacts(symbol=data.symbol, kind=data.kind, title=data.title or "",
                                 issuing_body=data.issuing_body or "", issued_on=data.issued_on,
                                 effective_on=data.effective_on, tags=data.tags)
    errors = domain.validate(facts)
    if len((data.summary or "").encode()) > MAX_SUMMARY:
        errors["summary"] = domain.N_("The summary is too long.")
    if len(data.body_text or "") > MAX_BODY_TEXT:
        errors["body_text"] = domain.N_("The text is too long.")
    if "symbol" not in errors and data.issued_on is not None:
        same = db.session.scalar(select(Document.id).where(
            Document.symbol_key == domain.symbol_key(data.symbol), Document.issued_on == data.issued_on))
        if same is not None and (document is None or same != document.id):
            errors["symbol"] = domain.N_("A document with this number and symbol and date is already in the library.")
    if errors:
        raise DocumentError(errors)


def _apply(document: Document, data: DocumentData) -> None:
    document.symbol = domain.normalise_symbol(data.symbol)
    document.symbol_key = domain.symbol_key(data.symbol)
    document.kind = data.kind
    document.title = " ".join(data.title.split())
    document.issuing_body = " ".join(data.issuing_body.split())
    document.issued_on = data.issued_on
    document.effective_on = data.effective_on
    document.summary = html.clean(data.summary)
    document.body_text = unicodedata.normalize("NFC", (data.body_text or "").replace("\r\n", "\n")
                                               .replace("\x00", "")).strip()
    document.tags = [DocumentTag(tag=tag, tag_key=fold(tag)[:60], position=i) for i, tag in enumerate(data.tags)]


def reindex(document: Document) -> None:
    """Recompute the folded search columns from the document's fields."""
    kind_vi = domain.KIND_VI.get(document.kind, "")
    document.search_text = fold(" ".join([
        document.symbol, kind_vi, f"{kind_vi} số {document.symbol}", document.title, document.issuing_body,
        " ".join(document.tag_names), html.text_only(document.summary)]))
    document.full_text_folded = fold(f"{document.body_text}\n{document.pdf_text}")


def _snapshot(document: Document) -> dict:
    return {"symbol": document.symbol, "kind": document.kind, "title": document.title,
            "issuing_body": document.issuing_body, "issued_on": str(document.issued_on),
            "effective_on": str(document.effective_on) if document.effective_on else None,
            "tags": document.tag_names, "file_id": document.file_id}


def create_document(actor, data: DocumentData, *, file: StoredFile | None = None) -> Document:
    """Add a document; `file` is an uploaded PDF (core/uploads.save_upload), indexed here."""
    _check(data, None)
    document = Document(created_by_id=actor.id, status=domain.Status.IN_FORCE)
    _apply(document, data)
    db.session.add(document)
    db.session.flush()
    job = _attach(document, file) if file is not None else None
    reindex(document)
    audit.record(actor, "document.create", document, after=_snapshot(document), label=document.symbol)
    db.session.commit()
    if job is not None:
        jobs.start(job, index_job)
    return document


def update_document(actor, document: Document, data: DocumentData, *, file: StoredFile | None = None) -> Document:
    _check(data, document)
    before = _snapshot(document)
    _apply(document, data)
    job = _attach(document, file) if file is not None else None
    reindex(document)
    after = _snapshot(document)
    old, new = audit.diff(before, after)
    audit.record(actor, "document.update", document, before=old, after=new, label=document.symbol)
    db.session.commit()
    if job is not None:
        jobs.start(job, index_job)
    return document


def reindex_text(actor, document: Document) -> None:
    """Read the PDF's text again (after a failure, or a job that never finished because the server stopped)."""
    if document.file is None:
        return
    job = _index_file(document, document.file)
    reindex(document)
    audit.record(actor, "document.reindex", document, after={"text_status": document.text_status},
                 label=document.symbol)
    db.session.commit()
    if job is not None:
        jobs.start(job, index_job)


def _attach(document: Document, file: StoredFile) -> Job | None:
    """Make `file` the document's PDF and index its text."""
    file.attached_type, file.attached_id = "document", document.id
    document.file = file
    db.session.flush()
    return _index_file(document, file)


def _index_file(document: Document, file: StoredFile) -> Job | None:
    """Extract the PDF's text now when it is short; else set "pending" and return the job that will."""
    path = path_of(file)
    pages = extract.page_count(path)
    limit = current_app.config.get("DOCUMENT_INLINE_PAGES", DEFAULT_INLINE_PAGES)
    if pages is not None and pages > limit:
        document.pdf_text, document.pages, document.text_status = "", pages, "pending"
        job = Job(kind="document_text", created_by_id=file.owner_id, total=pages,
                  params={"document_id": document.id, "file_id": file.id})
        db.session.add(job)
        return job
    _store_text(document, extract.extract(path))
    return None


def _store_text(document: Document, got: extract.Extracted) -> None:
    document.pdf_text, document.pages, document.text_status = got.text, got.pages, got.status


def index_job(job_id: int) -> None:
    """Background work: extract the text of a large PDF and make it searchable."""
    job = db.session.get(Job, job_id)
    job.state = "running"
    db.session.commit()
    document = db.session.get(Document, job.params["document_id"])
    if document is not None and document.file_id == job.params.get("file_id") and document.file is not None:
        _store_text(document, extract.extract(path_of(document.file)))
        reindex(document)
    job.done = job.total
    job.state, job.finished_at = "done", clock.now()
    job.result = {"status": document.text_status if document is not None else "gone"}
    db.session.commit()


# --- amended / superseded -----------------------------------------------------------------------------

def _edges() -> list[tuple[int, int]]:
    return [(a, b) for a, b in db.session.execute(select(DocumentChange.document_id, DocumentChange.by_document_id))]


def changes_of(document: Document) -> list[DocumentChange]:
    """The newer documents that amend or replace this one, oldest first."""
    return list(db.session.scalars(select(DocumentChange).where(DocumentChange.document_id == document.id)
                                   .order_by(DocumentChange.created_at, DocumentChange.id)))


def changed_by(document: Document) -> list[DocumentChange]:
    """The older documents this one amends or replaces."""
    return list(db.session.scalars(select(DocumentChange).where(DocumentChange.by_document_id == document.id)
                                   .order_by(DocumentChange.id)))


def record_change(actor, document: Document, by_document: Document, change: str, note: str = "") -> int:
    """`by_document` amends or replaces `document`: set the status, warn the citing courses and notify
    their lecturers. Returns the number of people notified."""
    problem = domain.change_problem(old_id=document.id, old_issued=document.issued_on, new_id=by_document.id,
                                    new_issued=by_document.issued_on, change=change, old_status=document.status,
                                    edges=_edges())
    if problem:
        raise DocumentError({"by_document": problem})
    row = DocumentChange(document_id=document.id, by_document_id=by_document.id, change=change,
                         note=" ".join((note or "").split())[:500], created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    before = document.status
    document.status = domain.status_from(c.change for c in changes_of(document))
    notified = _warn_citing_courses(document, by_document, row)
    audit.record(actor, "document.change", document, before={"status": before},
                 after={"status": document.status, "by": by_document.symbol, "change": change,
                        "notified": notified}, label=document.symbol)
    db.session.commit()
    return notified


def _warn_citing_courses(document: Document, by_document: Document, row: DocumentChange) -> int:
    notified = 0
    now = clock.now()
    for course in citing_courses(document):
        review = db.session.scalar(select(DocumentReview).where(DocumentReview.course_id == course.id,
                                                                DocumentReview.document_id == document.id))
        if review is None:
            review = DocumentReview(course_id=course.id, document_id=document.id)
            db.session.add(review)
        review.change_id, review.raised_at, review.reviewed_at, review.reviewed_by_id = row.id, now, None, None
        title, body = domain.notification_text(document.symbol, document.status, by_document.symbol, course.title)
        notified += notify.send(course.lecturer_ids, kind="document.updated", title=title, body=body,
                                url=f"/courses/{course.id}/documents")
    return notified


# --- citations ----------------------------------------------------------------------------------------

def citing_courses(document: Document) -> list[Course]:
    ids = select(Lesson.course_id).join(LessonDocument, LessonDocument.lesson_id == Lesson.id) \
        .where(LessonDocument.document_id == document.id)
    return list(db.session.scalars(select(Course).where(Course.id.in_(ids)).order_by(Course.title)))


def citations(document_ids: list[int]) -> list[tuple[int, Course, Lesson]]:
    """(document id, course, lesson) of every lesson citing one of the documents."""
    if not document_ids:
        return []
    rows = db.session.execute(
        select(LessonDocument.document_id, Course, Lesson)
        .join(Lesson, Lesson.id == LessonDocument.lesson_id).join(Course, Course.id == Lesson.course_id)
        .where(LessonDocument.document_id.in_(document_ids)).order_by(Course.title, Lesson.id))
    return [(doc_id, course, lesson) for doc_id, course, lesson in rows]


def lesson_documents(lesson_id: int) -> list[Document]:
    return list(db.session.scalars(
        select(Document).join(LessonDocument, LessonDocument.document_id == Document.id)
        .where(LessonDocument.lesson_id == lesson_id).order_by(LessonDocument.position, Document.id)))


def cite(actor, lesson: Lesson, document: Document) -> bool:
    """The lesson cites the document (idempotent). False when it already did."""
    present = db.session.get(LessonDocument, (lesson.id, document.id))
    if present is not None:
        return False
    count = len(lesson_documents(lesson.id))
    if count >= MAX_CITATIONS:
        raise DocumentError({"document": domain.N_("A lesson cites at most %(n)s documents.")}, n=MAX_CITATIONS)
    db.session.add(LessonDocument(lesson_id=lesson.id, document_id=document.id, position=count,
                                  added_by_id=actor.id))
    audit.record(actor, "lesson.cite", lesson, after={"document": document.symbol}, label=lesson.title[:200])
    db.session.commit()
    return True


def uncite(actor, lesson: Lesson, document: Document) -> bool:
    result = db.session.execute(delete(LessonDocument).where(LessonDocument.lesson_id == lesson.id,
                                                             LessonDocument.document_id == document.id))
    if not result.rowcount:
        db.session.rollback()
        return False
    audit.record(actor, "lesson.uncite", lesson, before={"document": document.symbol}, label=lesson.title[:200])
    db.session.commit()
    return True


def course_documents(course: Course) -> list[tuple[Document, list[Lesson]]]:
    """The documents a course's lessons cite, each with the citing lessons."""
    rows = db.session.execute(
        select(Document, Lesson).join(LessonDocument, LessonDocument.document_id == Document.id)
        .join(Lesson, Lesson.id == LessonDocument.lesson_id).where(Lesson.course_id == course.id)
        .order_by(Document.issued_on.desc(), Document.id, Lesson.id))
    grouped: dict[int, tuple[Document, list[Lesson]]] = {}
    for document, lesson in rows:
        grouped.setdefault(document.id, (document, []))[1].append(lesson)
    return list(grouped.values())


# --- "document updated" reviews ---------------------------------------------------------------------------

def open_reviews(course_id: int) -> list[DocumentReview]:
    return list(db.session.scalars(select(DocumentReview).where(DocumentReview.course_id == course_id,
                                                                DocumentReview.reviewed_at.is_(None))
                                   .order_by(DocumentReview.raised_at.desc())))


def mark_reviewed(actor, review: DocumentReview) -> None:
    if review.reviewed_at is not None:
        return
    review.reviewed_at, review.reviewed_by_id = clock.now(), actor.id
    audit.record(actor, "document.reviewed", review.document,
                 after={"course_id": review.course_id}, label=review.document.symbol)
    db.session.commit()


def lecturer_course_ids(user_id: int) -> set[int]:
    return set(db.session.scalars(select(CourseLecturer.course_id).where(CourseLecturer.user_id == user_id)))
