"""The document-library part of the OpenAPI document: schemas and paths, merged into openapi.document().

Shapes follow api/documents.py; tests/web/test_documents_api.py checks answers against them and
tests/web/test_api.py checks the paths against the real routes.
"""
from __future__ import annotations

from elearn.api.openapi import _INT, _NULL, _PAGE_PARAMS, _STR, _TIME, _errors, _id_param, _json, _nullable, _query, _ref
from elearn.api.openapi_courses import _obj, _page_of
from elearn.documents import domain

_DATE = {"type": "string", "format": "date"}
_KIND = {"type": "string", "enum": [str(k) for k in domain.DocKind],
         "description": "nghi_quyet (nghị quyết), quy_dinh (quy định), chi_thi (chỉ thị), ket_luan (kết luận), "
                        "huong_dan (hướng dẫn), ke_hoach (kế hoạch), thong_bao (thông báo), quyet_dinh (quyết định), "
                        "khac (other)."}
_STATUS = {"type": "string", "enum": [str(s) for s in domain.Status],
           "description": "in_force, amended (by a newer document) or superseded (replaced by a newer document)."}
_MARKED = {"type": "string", "description": "Escaped text; the words matching the query inside <mark>…</mark>."}

_SUMMARY = {
    "id": _INT,
    "symbol": {"type": "string", "description": "Number and symbol as printed, e.g. 57-NQ/TW."},
    "kind": _KIND,
    "title": {"type": "string", "description": "The summary line (trích yếu)."},
    "issuing_body": _STR,
    "issued_on": _DATE,
    "effective_on": _nullable(_DATE),
    "status": _STATUS,
    "tags": {"type": "array", "items": _STR, "description": "Subject tags."},
}

SCHEMAS = {
    "DocumentRef": _obj({"id": _INT, "symbol": _STR, "title": _STR, "status": _STATUS}),
    "DocumentCitation": _obj({
        "course": _ref("CourseRef"),
        "lesson": {"anyOf": [_obj({"id": _INT, "title": _STR}), _NULL],
                   "description": "The citing lesson; null when the caller may see the course but not study it."},
    }, "A course (and lesson) citing the document; someone else's drafts are left out."),
    "DocumentChange": _obj({
        "change": {"type": "string", "enum": [str(c) for c in domain.Change]},
        "document": _ref("DocumentRef"),
        "note": _STR,
        "recorded_at": _TIME,
    }),
    "DocumentHit": _obj({
        **_SUMMARY,
        "score": {"type": "number", "description": "Relevance (0 without a query): higher is better."},
        "title_html": _MARKED,
        "passage_html": {**_MARKED, "description": "The passage of the summary or full text where the most query "
                                                   "words meet (escaped, words marked); empty without a match."},
        "passage_from": _nullable({"type": "string", "enum": ["summary", "text", "pdf"]}),
        "cited_in": {"type": "array", "items": _ref("DocumentCitation")},
    }),
    "DocumentPage": _page_of("DocumentHit"),
    "DocumentFile": _obj({
        "url": {"type": "string", "description": "The PDF (for signed-in browsers; add ?download=1 to save it)."},
        "size": _INT,
        "pages": _nullable(_INT),
        "text_status": {"type": "string", "enum": ["none", "pending", "ok", "empty", "failed"],
                        "description": "Whether the PDF's text is searchable: empty means no text layer (a scan)."},
    }),
    "DocumentDetail": _obj({
        **_SUMMARY,
        "summary": {"type": "string", "description": "Sanitised HTML."},
        "text": {"type": "string", "description": "The full text typed or pasted by the library's editors."},
        "file": {"anyOf": [_ref("DocumentFile"), _NULL]},
        "changed_by": {"type": "array", "items": _ref("DocumentChange"),
                       "description": "Newer documents amending or replacing this one."},
        "changes": {"type": "array", "items": _ref("DocumentChange"),
                    "description": "Older documents this one amends or replaces."},
        "cited_in": {"type": "array", "items": _ref("DocumentCitation")},
        "created_at": _TIME,
        "updated_at": _TIME,
    }),
}


def paths() -> dict:
    common = (401, 429)
    return {
        "/documents": {
            "get": {
                "operationId": "searchDocuments",
                "summary": "Search and filter the Party-document library",
                "description": "With `q`: ranked by relevance (the exact number and symbol first, then \"kind + "
                               "number\" such as `nghi quyet 57`, then words of the title, summary and full text, "
                               "the text inside PDFs included); diacritics and case are ignored. Without `q`: "
                               "newest first.",
                "tags": ["documents"],
                "parameters": [
                    _query("q", {"type": "string", "maxLength": 200}, "Words, a number and symbol, or a phrase."),
                    _query("kind", _KIND, "Only this kind of document."),
                    _query("status", _STATUS, "Only documents with this status."),
                    _query("tag", {"type": "string"}, "Only documents with this subject tag (diacritics ignored)."),
                    _query("issuing_body", {"type": "string"}, "Only documents of this issuing body (exact name)."),
                    _query("issued_from", _DATE, "Issued on or after this date."),
                    _query("issued_to", _DATE, "Issued on or before this date."),
                    *_PAGE_PARAMS,
                ],
                "responses": {"200": _json(_ref("DocumentPage"), "One page of documents."),
                              **_errors(*common, 422)},
            },
        },
        "/documents/{id}": {
            "get": {
                "operationId": "getDocument",
                "summary": "One document, its amend/replace chain and the courses and lessons citing it",
                "tags": ["documents"],
                "parameters": [_id_param("document")],
                "responses": {"200": _json(_ref("DocumentDetail"), "The document."), **_errors(*common, 404)},
            },
        },
    }
