"""Document library pages: who may change it, search (diacritics, PDF text, highlighting, citing courses),
hostile input, uploads, and the "document updated" notification, warning and review."""
from __future__ import annotations

import io
import re
import time
from datetime import date

import pytest
from fpdf import FPDF
from sqlalchemy import func, select

from elearn.core import jobs
from elearn.core.jobs import Job
from elearn.core.notifications import Notification
from elearn.documents import services
from elearn.documents.models import Document, DocumentReview, LessonDocument
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.conftest import csrf_token
from tests.document_factories import make_document, vietnamese_pdf
from tests.web.test_courses_xss import page_problems
from tests.xss_payloads import PAYLOADS

NQ57_PHRASE = "trí tuệ nhân tạo phải trở thành động lực then chốt"


def _form(**fields) -> dict:
    data = {"symbol": "57-NQ/TW", "kind": "nghi_quyet", "title": "về đột phá phát triển khoa học, công nghệ",
            "issuing_body": "Bộ Chính trị", "issued_on": "2024-12-22", "effective_on": "", "tags": "khoa học",
            "summary": "<p>Tóm tắt.</p>", "body_text": ""}
    data.update(fields)
    return data


def _post_new(client, **fields):
    data = _form(**fields)
    data["csrf_token"] = csrf_token(client, "/documents/new")
    return client.post("/documents/new", data=data, content_type="multipart/form-data")


@pytest.fixture
def lecturer(factory):
    return factory.lecturer()


@pytest.fixture
def nq57(lecturer):
    pdf = vietnamese_pdf("Nghị quyết số 57-NQ/TW", "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo.",
                         f"Trong giai đoạn tới, {NQ57_PHRASE} của tăng trưởng.")
    return make_document(lecturer, symbol="57-NQ/TW", title="về đột phá phát triển khoa học, công nghệ, đổi mới "
                         "sáng tạo và chuyển đổi số quốc gia", tags=["chuyển đổi số"], pdf=pdf,
                         summary="<p>Nghị quyết xác định khoa học, công nghệ là đột phá quan trọng hàng đầu.</p>")


# --- who may change the library ----------------------------------------------------------------------

def test_learner_reads_but_cannot_add_or_edit(app, factory, nq57):
    learner = factory.user()
    client = cf.signed_in(app, learner)
    assert client.get("/documents").status_code == 200
    assert client.get(f"/documents/{nq57.id}").status_code == 200
    assert client.get(f"/documents/{nq57.id}/file").status_code == 200
    assert client.get("/documents/new").status_code == 403
    assert client.get(f"/documents/{nq57.id}/edit").status_code == 403
    token = csrf_token(client, "/documents")
    assert client.post("/documents/new", data={**_form(symbol="1-NQ/TW"), "csrf_token": token}).status_code == 403
    assert client.post(f"/documents/{nq57.id}/edit", data={**_form(title="Bị sửa"), "csrf_token": token}
                       ).status_code == 403
    assert client.post(f"/documents/{nq57.id}/changes", data={"change": "replaces", "by_symbol": "57-NQ/TW",
                                                              "csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Document)) == 1
    assert db.session.get(Document, nq57.id).title.startswith("về đột phá")
    assert "Add a document" not in client.get("/documents").get_data(as_text=True)


def test_anonymous_is_sent_to_login(client, nq57):
    assert client.get("/documents").status_code == 302
    assert client.get(f"/documents/{nq57.id}/file").status_code == 302


def test_lecturer_adds_a_document_with_a_pdf_and_edits_it(app, lecturer):
    client = cf.signed_in(app, lecturer)
    pdf = vietnamese_pdf("Quy định 350-QĐ/TW", "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng.")
    response = _post_new(client, symbol="350 - qđ/tw", kind="quy_dinh", title="về công tác kiểm tra",
                         issued_on="2025-08-15", file=(io.BytesIO(pdf), "qd350.pdf"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    document = db.session.scalar(select(Document))
    assert document.symbol == "350-QĐ/TW" and document.text_status == "ok" and document.pages == 1
    assert "giam sat va ky luat" in document.full_text_folded
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "350-QĐ/TW" in page and f'data-pdf="/documents/{document.id}/file"' in page
    data = {**_form(symbol="350-QĐ/TW", kind="quy_dinh", title="về công tác kiểm tra, giám sát",
                    issued_on="2025-08-15"), "csrf_token": csrf_token(client, f"/documents/{document.id}/edit")}
    assert client.post(f"/documents/{document.id}/edit", data=data).status_code == 302
    assert db.session.get(Document, document.id).title == "về công tác kiểm tra, giám sát"


def test_a_duplicate_symbol_on_the_same_date_is_refused(app, lecturer, nq57):
    client = cf.signed_in(app, lecturer)
    response = _post_new(client, symbol="57-nq/tw")
    assert response.status_code == 200
    assert "already in the library" in response.get_data(as_text=True)
    # The same number in another term (a new date) is another document.
    assert _post_new(client, symbol="57-NQ/TW", issued_on="2030-01-01").status_code == 302


def test_bad_fields_are_shown_on_the_form(app, lecturer):
    client = cf.signed_in(app, lecturer)
    response = _post_new(client, symbol="NQ", issued_on="2024-12-22", effective_on="2024-01-01")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Write the number and symbol as on the document" in body
    assert "cannot be before the date issued" in body


# --- uploads -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, data", [
    ("nghi-quyet.pdf", b"<html><script>alert(1)</script></html>"),
    ("nghi-quyet.pdf", samples.png()),
    ("nghi-quyet.docx", samples.docx()),
    ("nghi-quyet.pdf", b"MZ\x90\x00" + b"\x00" * 100),
])
def test_a_file_that_is_not_a_pdf_is_refused(app, lecturer, name, data):
    client = cf.signed_in(app, lecturer)
    response = _post_new(client, file=(io.BytesIO(data), name))
    assert response.status_code == 200
    assert "This type of file is not allowed here" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert not [p for p in cf.files_on_disk(app) if "tmp" not in p.parts]


def test_a_pdf_without_text_is_stored_and_flagged(app, lecturer):
    doc = FPDF()
    doc.add_page()
    doc.rect(10, 10, 100, 50, style="F")  # a "scan": drawing only, no text layer
    client = cf.signed_in(app, lecturer)
    response = _post_new(client, file=(io.BytesIO(bytes(doc.output())), "scan.pdf"))
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    assert document.file is not None and document.text_status == "empty"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No text could be read from this PDF" in page


def test_a_300_page_pdf_is_indexed_in_the_background(app, lecturer, monkeypatch):
    doc = FPDF()
    doc.set_font("helvetica", size=12)
    for n in range(300):
        doc.add_page()
        doc.cell(text=f"Trang {n + 1}: noi dung nghi quyet" + (" cum tu hiem gap" if n == 287 else ""))
    started = []
    monkeypatch.setattr(jobs, "start", lambda job, work: (db.session.commit(), started.append((job.id, work))))
    client = cf.signed_in(app, lecturer)
    began = time.monotonic()
    response = _post_new(client, file=(io.BytesIO(bytes(doc.output())), "dai.pdf"))
    assert response.status_code == 302
    assert time.monotonic() - began < 5
    document = db.session.scalar(select(Document))
    assert document.text_status == "pending" and document.pages == 300 and len(started) == 1
    job_id, work = started[0]
    work(job_id)  # what the background thread runs
    db.session.expire_all()
    document = db.session.get(Document, document.id)
    assert document.text_status == "ok" and "cum tu hiem gap" in document.full_text_folded
    assert db.session.get(Job, job_id).state == "done"
    page = client.get("/documents?q=cụm từ hiếm gặp").get_data(as_text=True)
    assert "<mark>cum</mark> <mark>tu</mark> <mark>hiem</mark> <mark>gap</mark>" in page


# --- search --------------------------------------------------------------------------------------------

def _titles(html: str) -> list[str]:
    return re.findall(r'class="doc-symbol"><a href="/documents/\d+"><strong>([^<]+)</strong>', html)


def test_nghi_quyet_57_without_diacritics_finds_57_nq_tw(app, lecturer, nq57):
    make_document(lecturer, symbol="66-NQ/TW", title="về đổi mới công tác xây dựng và thi hành pháp luật",
                  issued_on=date(2025, 4, 30), body_text="Ban hành năm 2025, có 57 nhiệm vụ.")
    make_document(lecturer, symbol="18-NQ/TW", title="về đất đai", issued_on=date(2022, 6, 16))
    client = cf.signed_in(app, lecturer)
    html = client.get("/documents?q=nghi quyet 57").get_data(as_text=True)
    assert _titles(html)[0] == "57-NQ/TW"
    assert "18-NQ/TW" not in _titles(html)
    html = client.get("/documents?q=chuyen doi so quoc gia").get_data(as_text=True)
    assert _titles(html) == ["57-NQ/TW"]
    assert "<mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark> <mark>quốc</mark> <mark>gia</mark>" in html


def test_a_phrase_from_inside_the_pdf_finds_the_document_with_the_passage(app, factory, nq57):
    client = cf.signed_in(app, factory.user())
    html = client.get("/documents", query_string={"q": "tri tue nhan tao phai tro thanh dong luc"}).get_data(as_text=True)
    assert _titles(html) == ["57-NQ/TW"]
    assert "In the text of the PDF" in html
    assert "<mark>trí</mark> <mark>tuệ</mark> <mark>nhân</mark> <mark>tạo</mark>" in html


def test_filters_by_kind_status_body_tag_and_dates(app, lecturer, nq57):
    make_document(lecturer, symbol="35-CT/TW", kind="chi_thi", title="về tổ chức đại hội đảng bộ các cấp",
                  issued_on=date(2024, 6, 14), issuing_body="Ban Bí thư", tags=["đại hội"])
    client = cf.signed_in(app, lecturer)

    def found(**args):
        return _titles(client.get("/documents", query_string=args).get_data(as_text=True))

    assert found() == ["57-NQ/TW", "35-CT/TW"]  # newest first without a query
    assert found(kind="chi_thi") == ["35-CT/TW"]
    assert found(body="Ban Bí thư") == ["35-CT/TW"]
    assert found(tag="dai hoi") == ["35-CT/TW"]
    assert found(date_from="2024-07-01") == ["57-NQ/TW"]
    assert found(date_to="2024-07-01") == ["35-CT/TW"]
    assert found(status="superseded") == []
    assert found(q="35-CT/TW") == ["35-CT/TW"]
    assert found(kind="bogus", date_from="not a date") == ["57-NQ/TW", "35-CT/TW"]  # bad filters are ignored


def test_search_is_paginated(app, lecturer):
    for n in range(30):
        make_document(lecturer, symbol=f"{n + 1}-KL/TW", kind="ket_luan", title=f"Kết luận về chuyển đổi số {n}",
                      issued_on=date(2024, 1, 1 + n % 28))
    client = cf.signed_in(app, lecturer)
    first = client.get("/documents?q=chuyen doi so").get_data(as_text=True)
    second = client.get("/documents?q=chuyen doi so&page=2").get_data(as_text=True)
    assert len(_titles(first)) == 25 and len(_titles(second)) == 5
    assert not set(_titles(first)) & set(_titles(second))
    assert "30 results" in first


def test_search_finds_the_courses_and_lessons_citing_a_document(app, factory, lecturer, nq57):
    course = cf.make_course(factory, lecturer, title="Học tập Nghị quyết 57", publish=True)
    lesson = cf.first_section(course).items[0]
    from elearn.courses.models import Lesson

    services.cite(lecturer, db.session.get(Lesson, lesson.ref_id), nq57)
    draft = cf.make_course(factory, lecturer, title="Bản nháp bí mật", lessons=1)
    services.cite(lecturer, db.session.get(Lesson, cf.first_section(draft).items[0].ref_id), nq57)
    learner = factory.user()
    client = cf.signed_in(app, learner)
    html = client.get("/documents?q=nghi quyet 57").get_data(as_text=True)
    assert "Courses that cite these documents" in html and "Học tập Nghị quyết 57" in html
    assert "Bản nháp bí mật" not in html  # a draft of someone else is not revealed
    page = client.get(f"/documents/{nq57.id}").get_data(as_text=True)
    assert "Học tập Nghị quyết 57" in page and "Bản nháp bí mật" not in page
    # The lecturer sees both, with the lesson links.
    page = cf.signed_in(app, lecturer).get(f"/documents/{nq57.id}").get_data(as_text=True)
    assert "Bản nháp bí mật" in page and f"/courses/{course.id}/lessons/{lesson.ref_id}" in page


# --- hostile input -----------------------------------------------------------------------------------------

def _pages_of(client, document) -> dict[str, str]:
    paths = (f"/documents/{document.id}", "/documents", "/documents?q=van ban chuyen doi",
             f"/documents/{document.id}/edit")
    return {path.replace(str(document.id), "ID"): client.get(path).get_data(as_text=True) for path in paths}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_in_title_summary_tags_and_text_runs_nowhere(app, lecturer, payload):
    """Each page with the payload in every field has no more active content than with harmless text."""
    document = make_document(lecturer, title=f"Văn bản {payload}", summary=f"<p>Tóm tắt {payload}</p>",
                             tags=[payload[:60]], body_text=f"Nội dung {payload} chuyển đổi số")
    client = cf.signed_in(app, lecturer)
    attacked = _pages_of(client, document)
    services.update_document(lecturer, document, services.DocumentData(
        symbol=document.symbol, kind=document.kind, title="Văn bản", summary="<p>Tóm tắt</p>", tags=["x"],
        issuing_body=document.issuing_body, issued_on=document.issued_on, body_text="Nội dung chuyển đổi số"))
    clean = _pages_of(client, document)
    assert "<mark>" in attacked["/documents?q=van ban chuyen doi"]
    for path, html in attacked.items():
        extra = page_problems(html) - page_problems(clean[path])
        assert not extra, (path, extra)


def test_search_input_is_escaped(app, lecturer, nq57):
    client = cf.signed_in(app, lecturer)
    html = client.get("/documents", query_string={"q": '"><script>alert(1)</script>'}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


def test_forms_need_the_csrf_token(app, lecturer, nq57):
    client = cf.signed_in(app, lecturer)
    assert client.post("/documents/new", data=_form(symbol="9-NQ/TW")).status_code in (400, 302)
    assert db.session.scalar(select(func.count()).select_from(Document)) == 1


# --- citations, amendments and the "document updated" warning --------------------------------------------

@pytest.fixture
def cited(factory, lecturer, nq57):
    """Two courses citing 57-NQ/TW (one with two lecturers), and one course that does not."""
    other_lecturer = factory.lecturer()
    a = cf.make_course(factory, lecturer, title="Khoá A", publish=True, lessons=2)
    b = cf.make_course(factory, other_lecturer, title="Khoá B", publish=True, lessons=1)
    from elearn.courses import services as course_services

    course_services.set_lecturers(lecturer, a, {lecturer.id, factory.lecturer().id})
    c = cf.make_course(factory, factory.lecturer(), title="Khoá C", publish=True, lessons=1)
    from elearn.courses.models import Lesson

    def lessons(course):
        return [db.session.get(Lesson, item.ref_id) for item in cf.first_section(course).items]

    for lesson in lessons(a) + lessons(b):
        services.cite(lecturer, lesson, nq57)
    return {"a": a, "b": b, "c": c, "other": other_lecturer, "lessons_a": lessons(a)}


def test_lecturer_chooses_the_documents_a_lesson_cites(app, lecturer, nq57, factory):
    course = cf.make_course(factory, lecturer, publish=True, lessons=1)
    lesson_id = cf.first_section(course).items[0].ref_id
    path = f"/courses/{course.id}/lessons/{lesson_id}/documents"
    client = cf.signed_in(app, lecturer)
    response = client.post(path, data={"symbol": "57-nq/tw", "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert db.session.get(LessonDocument, (lesson_id, nq57.id)) is not None
    response = client.post(path, data={"symbol": "999-NQ/TW", "csrf_token": csrf_token(client, path)})
    assert "No document with the number and symbol 999-NQ/TW" in response.get_data(as_text=True)
    lesson_page = client.get(f"/courses/{course.id}/lessons/{lesson_id}").get_data(as_text=True)
    assert "Documents of this lesson" in lesson_page and "57-NQ/TW" in lesson_page
    remove = f"{path}/{nq57.id}/remove"
    assert client.post(remove, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    assert db.session.get(LessonDocument, (lesson_id, nq57.id)) is None


def test_only_the_course_lecturers_edit_its_citations(app, factory, cited, nq57):
    lesson = cited["lessons_a"][0]
    path = f"/courses/{cited['a'].id}/lessons/{lesson.id}/documents"
    for user in (factory.user(), cited["other"]):
        client = cf.signed_in(app, user)
        assert client.get(path).status_code == 403
        assert client.post(f"{path}/{nq57.id}/remove", data={"csrf_token": csrf_token(client, "/documents")}
                           ).status_code == 403
        assert client.get(f"/courses/{cited['a'].id}/documents").status_code == 403
    assert db.session.get(LessonDocument, (lesson.id, nq57.id)) is not None
    # A lesson of another course through this course's address is not found.
    other_lesson = cf.first_section(cited["b"]).items[0].ref_id
    client = cf.signed_in(app, cited["a"].lecturer_links[0].user)
    assert client.get(f"/courses/{cited['a'].id}/lessons/{other_lesson}/documents").status_code == 404


def test_superseding_notifies_every_lecturer_of_every_citing_course(app, lecturer, nq57, cited):
    newer = make_document(lecturer, symbol="99-NQ/TW", title="thay thế Nghị quyết 57", issued_on=date(2026, 1, 1))
    client = cf.signed_in(app, lecturer)
    before = db.session.scalar(select(func.count()).select_from(Notification))
    path = f"/documents/{nq57.id}"
    response = client.post(f"{path}/changes", data={"change": "replaces", "by_symbol": "99-nq/tw", "note": "",
                                                    "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    expected = cited["a"].lecturer_ids | cited["b"].lecturer_ids
    rows = db.session.scalars(select(Notification).where(Notification.kind == "document.updated")).all()
    assert db.session.scalar(select(func.count()).select_from(Notification)) - before == len(expected) == 3
    assert {n.user_id for n in rows} == expected
    assert all("57-NQ/TW" in n.title and "99-NQ/TW" in n.title for n in rows)
    assert db.session.get(Document, nq57.id).status == "superseded"
    page = client.get(path).get_data(as_text=True)
    assert "Replaced by" in page and "99-NQ/TW" in page
    assert db.session.scalar(select(func.count()).select_from(DocumentReview)) == 2
    assert newer.id


def test_warning_shows_to_lecturers_until_reviewed(app, factory, lecturer, nq57, cited):
    newer = make_document(lecturer, symbol="58-NQ/TW", title="sửa đổi", issued_on=date(2025, 6, 1))
    services.record_change(lecturer, nq57, newer, "amends")
    course = cited["a"]
    client = cf.signed_in(app, lecturer)
    for path in (f"/courses/{course.id}", f"/courses/{course.id}/manage"):
        assert "Document updated" in client.get(path).get_data(as_text=True), path
    learner = factory.user()
    assert "Document updated" not in cf.signed_in(app, learner).get(f"/courses/{course.id}").get_data(as_text=True)
    # A lecturer of another course cannot mark this course's warning reviewed.
    review = db.session.scalar(select(DocumentReview).where(DocumentReview.course_id == course.id))
    other = cf.signed_in(app, cited["other"])
    assert other.post(f"/courses/{course.id}/documents/reviews/{review.id}",
                      data={"csrf_token": csrf_token(other, "/documents")}).status_code == 403
    page = f"/courses/{course.id}/documents"
    html = client.get(page).get_data(as_text=True)
    assert "Documents updated since your lessons cited them" in html and "58-NQ/TW" in html
    response = client.post(f"{page}/reviews/{review.id}", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    assert "Document updated" not in client.get(f"/courses/{course.id}/manage").get_data(as_text=True)
    # Course B still has its own warning.
    b_client = cf.signed_in(app, cited["other"])
    assert "Document updated" in b_client.get(f"/courses/{cited['b'].id}/manage").get_data(as_text=True)


def test_bad_changes_are_refused_with_a_message(app, lecturer, nq57):
    older = make_document(lecturer, symbol="52-NQ/TW", title="cũ hơn", issued_on=date(2019, 9, 27))
    client = cf.signed_in(app, lecturer)
    path = f"/documents/{nq57.id}"
    for symbol, expected in (("57-NQ/TW", "cannot amend or replace itself"), ("52-NQ/TW", "must not be older"),
                             ("404-NQ/TW", "add it first")):
        response = client.post(f"{path}/changes", data={"change": "replaces", "by_symbol": symbol,
                                                        "csrf_token": csrf_token(client, path)})
        assert response.status_code == 302
        assert expected in client.get(path).get_data(as_text=True), symbol
    assert db.session.get(Document, nq57.id).status == "in_force"
    assert older.status == "in_force"


def test_a_stale_index_is_read_again_by_an_editor_only(app, factory, lecturer, nq57):
    nq57 = db.session.get(Document, nq57.id)
    nq57.text_status, nq57.pdf_text, nq57.full_text_folded = "pending", "", ""  # a job lost in a restart
    db.session.commit()
    path = f"/documents/{nq57.id}"
    learner = cf.signed_in(app, factory.user())
    assert learner.post(f"{path}/reindex", data={"csrf_token": csrf_token(learner, path)}).status_code == 403
    client = cf.signed_in(app, lecturer)
    assert "Read the text of the PDF again" in client.get(path).get_data(as_text=True)
    assert client.post(f"{path}/reindex", data={"csrf_token": csrf_token(client, path)}).status_code == 302
    document = db.session.get(Document, nq57.id)
    assert document.text_status == "ok" and "tri tue nhan tao" in document.full_text_folded


def test_a_lesson_cites_at_most_twenty_documents(app, factory, lecturer):
    course = cf.make_course(factory, lecturer, lessons=1)
    from elearn.courses.models import Lesson

    lesson = db.session.get(Lesson, cf.first_section(course).items[0].ref_id)
    for n in range(services.MAX_CITATIONS):
        services.cite(lecturer, lesson, make_document(lecturer, symbol=f"{n + 1}-CT/TW", kind="chi_thi"))
    make_document(lecturer, symbol="500-NQ/TW")
    path = f"/courses/{course.id}/lessons/{lesson.id}/documents"
    client = cf.signed_in(app, lecturer)
    response = client.post(path, data={"symbol": "500-NQ/TW", "csrf_token": csrf_token(client, path)})
    assert response.status_code == 200 and "A lesson cites at most 20 documents." in response.get_data(as_text=True)
    assert len(services.lesson_documents(lesson.id)) == services.MAX_CITATIONS
