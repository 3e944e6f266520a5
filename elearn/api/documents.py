"""API endpoints of the document library: search and list, one document with its amend/replace chain and the
courses and lessons citing it.

Thin adapters over the same code as the pages (documents/search.py, documents/services.py); every check goes
through core/authz.py with the token's user. Citing courses the caller may not see (someone else's drafts) are
left out; a lesson is named only to those who may study its course. Documented in openapi_documents.py.
"""
from __future__ import annotations

from datetime import date

from flask import jsonify, url_for

from elearn.api import ApiError, api_user, bp
from elearn.api.course_schemas import course_ref
from elearn.api.schemas import page as page_envelope
from elearn.api.schemas import timestamp
from elearn.api.views import Query
from elearn.core import authz
from elearn.documents import domain, search, services
from elearn.documents.models import Document, DocumentChange
from elearn.extensions import db

MAX_QUERY = 200


def _date(query: Query, name: str) -> date | None:
    raw = query.text(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        query.errors[name] = "Must be a date (YYYY-MM-DD)."
        return None


def document_summary(document: Document) -> dict:
    return {
        "id": document.id,
        "symbol": document.symbol,
        "kind": document.kind,
        "title": document.title,
        "issuing_body": document.issuing_body,
        "issued_on": document.issued_on.isoformat(),
        "effective_on": document.effective_on.isoformat() if document.effective_on else None,
        "status": document.status,
        "tags": document.tag_names,
    }


def _ref(document: Document) -> dict:
    return {"id": document.id, "symbol": document.symbol, "title": document.title, "status": document.status}


def _change(row: DocumentChange, other: Document) -> dict:
    return {"change": row.change, "document": _ref(other), "note": row.note, "recorded_at": timestamp(row.created_at)}


def _citations(document_ids: list[int]) -> dict[int, list[dict]]:
    user = api_user()
    out: dict[int, list[dict]] = {}
    for doc_id, course, lesson in services.citations(document_ids):
        if not authz.can(user, "course.view", course):
            continue
        named = authz.can(user, "course.study", course)
        out.setdefault(doc_id, []).append({
            "course": course_ref(course),
            "lesson": {"id": lesson.id, "title": lesson.title} if named else None,
        })
    return out


@bp.get("/documents")
def documents():
    authz.require("documents.view", user=api_user())
    query = Query({"q", "kind", "status", "tag", "issuing_body", "issued_from", "issued_to", "page", "per_page"})
    q = query.text("q") or ""
    if len(q) > MAX_QUERY:
        query.errors["q"] = f"At most {MAX_QUERY} characters."
    filters = search.Filters(q=q, kind=query.choice("kind", domain.DocKind) or "",
                             status=query.choice("status", domain.Status) or "", tag=query.text("tag") or "",
                             body=query.text("issuing_body") or "", date_from=_date(query, "issued_from"),
                             date_to=_date(query, "issued_to"))
    page, per_page = query.page()
    query.done()
    result, _parsed = search.search(filters, page=page, per_page=per_page)
    cited = _citations([hit.document.id for hit in result.items])

    def serialise(hit: search.Hit) -> dict:
        return {**document_summary(hit.document), "score": hit.score, "title_html": str(hit.title),
                "passage_html": str(hit.passage), "passage_from": hit.passage_from or None,
                "cited_in": cited.get(hit.document.id, [])}

    return jsonify(page_envelope(result, serialise))


@bp.get("/documents/<int:id>")
def document(id: int):
    authz.require("documents.view", user=api_user())
    doc = db.session.get(Document, id)
    if doc is None:
        raise ApiError(404, "No document with this id.", "not_found")
    file = None
    if doc.file is not None:
        file = {"url": url_for("documents.file", document_id=doc.id), "size": doc.file.size, "pages": doc.pages,
                "text_status": doc.text_status}
    return jsonify({
        **document_summary(doc),
        "summary": doc.summary,
        "text": doc.body_text,
        "file": file,
        "changed_by": [_change(row, row.by_document) for row in services.changes_of(doc)],
        "changes": [_change(row, row.document) for row in services.changed_by(doc)],
        "cited_in": _citations([doc.id]).get(doc.id, []),
        "created_at": timestamp(doc.created_at),
        "updated_at": timestamp(doc.updated_at),
    })
