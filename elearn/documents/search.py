"""Searching the library: filters in SQL (folded LIKE, so it works the same on SQLite and PostgreSQL),
ranking and highlighting in Python (documents/domain.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import func, or_, select

from elearn.core import html
from elearn.core.text import fold, like_pattern
from elearn.documents import domain
from elearn.documents.models import Document, DocumentTag
from elearn.extensions import db

CANDIDATES = 1000  # documents scored for one query (the most recent first)
TEXT_SCORED = 50_000  # folded characters of each full text counted when scoring (its beginning)


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    status: str = ""
    tag: str = ""
    body: str = ""  # part of the issuing body
    date_from: date | None = None
    date_to: date | None = None

    def __bool__(self) -> bool:
        return any((self.q, self.kind, self.status, self.tag, self.body, self.date_from, self.date_to))


@dataclass
class Hit:
    document: Document
    score: float
    title: Markup  # escaped, terms marked
    passage: Markup  # the matching passage of the summary or text, escaped, terms marked; may be empty
    passage_from: str  # "summary", "text" (typed) or "pdf"


def _filtered(filters: Filters, query: domain.Query):
    stmt = select(Document)
    if filters.kind:
        stmt = stmt.where(Document.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Document.status == filters.status)
    if filters.date_from:
        stmt = stmt.where(Document.issued_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Document.issued_on <= filters.date_to)
    if filters.tag:
        stmt = stmt.where(Document.id.in_(select(DocumentTag.document_id)
                                          .where(DocumentTag.tag_key == fold(filters.tag)[:60])))
    if filters.body:
        stmt = stmt.where(Document.issuing_body == filters.body)
    for term in query.terms:
        pattern = like_pattern(term)
        stmt = stmt.where(or_(Document.search_text.like(pattern, escape="\\"),
                              Document.full_text_folded.like(pattern, escape="\\")))
    return stmt


def search(filters: Filters, page: int = 1, per_page: int = 25) -> tuple[domain.Paged, domain.Query]:
    """One page of hits, best first when there is a query, else newest first."""
    query = domain.parse_query(filters.q)
    stmt = _filtered(filters, query)
    if not query:
        total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        docs = db.session.scalars(stmt.order_by(Document.issued_on.desc(), Document.id.desc())
                                  .offset((page - 1) * per_page).limit(per_page)).all()
        hits = [Hit(d, 0.0, Markup.escape(d.title), Markup(""), "") for d in docs]
        return domain.Paged(hits, page, per_page, total), query
    rows = db.session.execute(_candidates(stmt)).all()
    ranked = domain.rank(query, [
        (row.id, domain.Candidate(symbol_key=row.symbol_key, kind=row.kind, title=fold(row.title),
                                  meta=row.search_text, summary=fold(html.text_only(row.summary)),
                                  full_text=row.text or "", status=row.status,
                                  text_complete=(row.text_length or 0) <= TEXT_SCORED), row.issued_on)
        for row in rows])
    chosen = ranked[(page - 1) * per_page: page * per_page]
    by_id = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_([i for i, _ in chosen])))}
    hits = [_hit(by_id[doc_id], s, query) for doc_id, s in chosen if doc_id in by_id]
    return domain.Paged(hits, page, per_page, len(ranked)), query


def _candidates(stmt):
    """The folded columns scoring needs (not the whole texts), newest documents first."""
    return stmt.with_only_columns(
        Document.id, Document.symbol_key, Document.kind, Document.title, Document.search_text, Document.summary,
        Document.status, Document.issued_on, func.substr(Document.full_text_folded, 1, TEXT_SCORED).label("text"),
        func.length(Document.full_text_folded).label("text_length"),
    ).order_by(Document.issued_on.desc(), Document.id.desc()).limit(CANDIDATES)


def issuing_bodies() -> list[str]:
    return list(db.session.scalars(select(Document.issuing_body).distinct().order_by(Document.issuing_body)))


def _hit(document: Document, score: float, query: domain.Query) -> Hit:
    """The hit with its title marked and the passage of the source where the most terms meet."""
    title = domain.highlight(document.title, query.terms, width=None)
    sources = (("summary", html.text_only(document.summary)), ("text", document.body_text),
               ("pdf", document.pdf_text))
    best = max(sources, key=lambda source: domain.coverage(source[1], query.terms))  # first of equals
    passage = domain.highlight(best[1], query.terms)
    return Hit(document, score, title, passage, best[0] if passage else "")
