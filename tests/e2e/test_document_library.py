"""The document library in a real browser, at a phone's width and a desktop's: search without diacritics shows
the marked passage and the citing course, the document page shows its PDF in the pdf.js viewer under the CSP,
and a lecturer's course page shows the "document updated" warning once the document is superseded."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from elearn.courses.models import Lesson
from elearn.documents import services
from elearn.extensions import db
from tests import course_factories as cf
from tests.document_factories import make_document, vietnamese_pdf
from tests.e2e.test_lesson_viewers import sign_in, watch_problems


@pytest.fixture
def library(factory):
    lecturer = factory.lecturer("giangvien.vb", unit=factory.province())
    pdf = vietnamese_pdf("Nghị quyết số 57-NQ/TW", "Phát triển hạ tầng dữ liệu quốc gia là nhiệm vụ trọng tâm.")
    nq57 = make_document(lecturer, symbol="57-NQ/TW", title="về đột phá phát triển khoa học, công nghệ, đổi mới "
                         "sáng tạo và chuyển đổi số quốc gia", pdf=pdf, tags=["chuyển đổi số"])
    course = cf.make_course(factory, lecturer, title="Học tập Nghị quyết 57", publish=True)
    lesson = db.session.get(Lesson, cf.first_section(course).items[0].ref_id)
    services.cite(lecturer, lesson, nq57)
    learner = factory.user("hocvien.vb", unit=factory.province())
    for person in (lecturer, learner):
        person.locale = "en"
    db.session.commit()
    return {"lecturer": lecturer, "learner": learner, "nq57": nq57, "course": course}


def test_search_read_and_warning(page, live_server, library):
    problems = watch_problems(page)
    sign_in(page, live_server, library["learner"].username)
    page.goto(f"{live_server}/documents")
    page.fill("input[name=q]", "ha tang du lieu quoc gia")
    page.get_by_role("button", name="Search").click()
    result = page.locator(".doc-card").first
    expect(result).to_contain_text("57-NQ/TW")
    expect(result.locator(".doc-passage mark").first).to_have_text("hạ")
    expect(page.get_by_role("link", name="Học tập Nghị quyết 57").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    result.get_by_role("link", name="57-NQ/TW").click()
    label = page.locator('[data-role="page"]')
    label.wait_for(state="visible")
    expect(label).to_contain_text("1 of 1")
    assert page.evaluate("document.querySelector('.pdf-viewer canvas').width") > 100
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert problems == []

    newer = make_document(library["lecturer"], symbol="99-NQ/TW", title="thay thế", issued_on=date(2026, 1, 1))
    services.record_change(library["lecturer"], library["nq57"], newer, "replaces")
    page.context.clear_cookies()
    sign_in(page, live_server, library["lecturer"].username)
    page.goto(f"{live_server}/courses/{library['course'].id}")
    warning = page.locator(".doc-updated")
    expect(warning).to_contain_text("57-NQ/TW")
    warning.get_by_role("link", name="Review the documents").click()
    page.get_by_role("button", name="Mark as reviewed").click()
    page.goto(f"{live_server}/courses/{library['course'].id}")
    expect(page.locator(".doc-updated")).to_have_count(0)
    assert problems == []
