"""The document library in the JSON API: search, filters, detail, chain and citations, checked against
the OpenAPI schemas."""
from __future__ import annotations

from datetime import date

import pytest

from elearn.courses.models import Lesson
from elearn.documents import services
from elearn.extensions import db
from tests import course_factories as cf
from tests.document_factories import make_document, vietnamese_pdf
from tests.web.test_api import API, assert_error, bearer, conforms, token_for


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


def call(client, path: str, who=None, **params):
    headers = bearer(token_for(who)) if who is not None else {}
    return client.get(f"{API}{path}", headers=headers, query_string=params)


@pytest.fixture
def library(factory):
    lecturer = factory.lecturer(password=None)
    pdf = vietnamese_pdf("Nghị quyết 57-NQ/TW", "Phát triển hạ tầng dữ liệu quốc gia là nhiệm vụ trọng tâm.")
    nq57 = make_document(lecturer, symbol="57-NQ/TW", title="về đột phá phát triển khoa học, công nghệ", pdf=pdf,
                         tags=["khoa học"], summary="<p>Tóm tắt <script>alert(1)</script></p>")
    nq52 = make_document(lecturer, symbol="52-NQ/TW", title="về chủ động tham gia cách mạng công nghiệp lần thứ tư",
                         issued_on=date(2019, 9, 27))
    services.record_change(lecturer, nq52, nq57, "replaces", "Thay thế một phần")
    published = cf.make_course(factory, lecturer, title="Học tập Nghị quyết 57", publish=True)
    draft = cf.make_course(factory, lecturer, title="Bản nháp", lessons=1)
    for course in (published, draft):
        services.cite(lecturer, db.session.get(Lesson, cf.first_section(course).items[0].ref_id), nq57)
    return {"lecturer": lecturer, "nq57": nq57, "nq52": nq52, "published": published, "draft": draft}


def test_documents_need_a_token(client, library):
    assert_error(call(client, "/documents"), 401, "unauthorized")
    assert_error(call(client, f"/documents/{library['nq57'].id}"), 401, "unauthorized")


def test_search_without_diacritics_ranks_and_marks(client, spec, factory, library):
    learner = factory.user(password=None)
    response = call(client, "/documents", learner, q="nghi quyet 57")
    assert response.status_code == 200
    body = response.get_json()
    conforms(spec, "DocumentPage", body)
    assert body["items"][0]["symbol"] == "57-NQ/TW"
    top = body["items"][0]
    assert top["score"] > 0 and "<mark>QUYẾT</mark> <mark>57</mark>-NQ/TW" in top["passage_html"]
    # The learner sees the published course but cannot study it: the lesson is not named; the draft is hidden.
    assert [c["course"]["title"] for c in top["cited_in"]] == ["Học tập Nghị quyết 57"]
    assert top["cited_in"][0]["lesson"] is None


def test_a_phrase_inside_the_pdf_finds_the_document(client, spec, library):
    body = call(client, "/documents", library["lecturer"], q="ha tang du lieu quoc gia").get_json()
    conforms(spec, "DocumentPage", body)
    assert [i["symbol"] for i in body["items"]] == ["57-NQ/TW"]
    assert body["items"][0]["passage_from"] == "pdf"
    assert "<mark>hạ</mark> <mark>tầng</mark>" in body["items"][0]["passage_html"]


def test_filters_and_bad_parameters(client, library):
    who = library["lecturer"]
    assert [i["symbol"] for i in call(client, "/documents", who).get_json()["items"]] == ["57-NQ/TW", "52-NQ/TW"]
    assert [i["symbol"] for i in call(client, "/documents", who, status="superseded").get_json()["items"]] \
        == ["52-NQ/TW"]
    assert [i["symbol"] for i in call(client, "/documents", who, issued_to="2020-01-01").get_json()["items"]] \
        == ["52-NQ/TW"]
    assert [i["symbol"] for i in call(client, "/documents", who, tag="khoa hoc").get_json()["items"]] == ["57-NQ/TW"]
    body = assert_error(call(client, "/documents", who, kind="bogus", issued_from="yesterday", x="1"), 422, "invalid")
    assert set(body["error"]["details"]) == {"kind", "issued_from", "x"}
    page = call(client, "/documents", who, per_page=1, page=2).get_json()
    assert page["total"] == 2 and page["pages"] == 2 and [i["symbol"] for i in page["items"]] == ["52-NQ/TW"]


def test_detail_with_chain_and_citations(client, spec, library):
    lecturer = library["lecturer"]
    body = call(client, f"/documents/{library['nq52'].id}", lecturer).get_json()
    conforms(spec, "DocumentDetail", body)
    assert body["status"] == "superseded"
    assert body["changed_by"][0]["document"]["symbol"] == "57-NQ/TW" and body["changed_by"][0]["change"] == "replaces"
    body = call(client, f"/documents/{library['nq57'].id}", lecturer).get_json()
    conforms(spec, "DocumentDetail", body)
    assert body["changes"][0]["document"]["symbol"] == "52-NQ/TW"
    assert "<script>" not in body["summary"]
    assert body["file"]["text_status"] == "ok" and body["file"]["url"].endswith("/file")
    assert {c["course"]["title"] for c in body["cited_in"]} == {"Học tập Nghị quyết 57", "Bản nháp"}
    assert all(c["lesson"] is not None for c in body["cited_in"])
    assert_error(call(client, "/documents/999999", lecturer), 404, "not_found")
