"""The lesson pages' JavaScript in a real browser: the pdf.js viewer under the site's CSP, video progress
reports, and the pages without JavaScript."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from elearn.courses import services
from elearn.courses.models import LessonProgress
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.factories import DEFAULT_PASSWORD


def two_page_pdf() -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    for text in ("Trang mot: Nghi quyet 57-NQ/TW", "Trang hai: To chuc thuc hien"):
        doc.add_page()
        doc.set_font("helvetica", size=28)
        doc.cell(text=text)
    return bytes(doc.output())


@pytest.fixture
def study(factory):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer)
    section = cf.add_section(course, lecturer)
    document = cf.add_document_lesson(section, two_page_pdf(), lecturer)
    video = cf.add_video_lesson(section, samples.mp4_header() + bytes(4000), lecturer, threshold=0.5)
    cf.publish(course)
    learner = factory.user("hocvien.pdf", unit=factory.province())
    learner.locale = "en"
    db.session.commit()
    services.self_enrol(learner, course)
    return course, document, video, learner


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("form button[type=submit]:not([name])")
    page.wait_for_url(f"{live_server}/")


def watch_problems(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_pdf_viewer_renders_pages_under_the_csp(page, live_server, study):
    course, document, _video, learner = study
    problems = watch_problems(page)
    sign_in(page, live_server, learner.username)
    page.goto(f"{live_server}/courses/{course.id}/lessons/{document.id}")
    label = page.locator('[data-role="page"]')
    label.wait_for(state="visible")
    expect(label).to_contain_text("1 of 2")  # (no wait_for_function: the page's CSP forbids eval)
    width = page.evaluate("document.querySelector('.pdf-viewer canvas').width")
    assert width > 100
    # Something was drawn: the canvas is not blank.
    drawn = page.evaluate("""() => {
        const c = document.querySelector('.pdf-viewer canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) { if (d[i] < 200) return true; }
        return false; }""")
    assert drawn
    page.get_by_role("button", name=re.compile("Next page")).click()
    expect(label).to_contain_text("2 of 2")
    assert page.get_by_role("button", name=re.compile("Next page")).is_disabled()
    before = page.evaluate("document.querySelector('.pdf-viewer canvas').width")
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator(".pdf-viewer canvas")).not_to_have_attribute("width", str(before))
    assert page.evaluate("document.querySelector('.pdf-viewer canvas').width") > before
    # The no-JavaScript links stay available for download and offline reading.
    assert page.get_by_role("link", name="Download for offline reading").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert problems == []  # no CSP refusal, no script error


def test_video_progress_is_reported_on_pause(page, live_server, study):
    course, _document, video, learner = study
    sign_in(page, live_server, learner.username)
    page.goto(f"{live_server}/courses/{course.id}/lessons/{video.id}")
    # The sample file is not a playable video: give the element the figures a 100 s video would have,
    # as if the learner watched 0-60 s, then pause.
    with page.expect_response(lambda r: r.url.endswith("/progress") and r.request.method == "POST") as info:
        page.evaluate("""() => {
            const v = document.querySelector('video.lesson-video');
            Object.defineProperty(v, 'duration', {get: () => 100});
            Object.defineProperty(v, 'currentTime', {get: () => 60, set: () => {}});
            Object.defineProperty(v, 'played', {get: () => ({length: 1, start: () => 0, end: () => 60})});
            v.dispatchEvent(new Event('pause'));
        }""")
    response = info.value
    assert response.status == 200
    body = response.json()
    assert body["recorded"] is True and body["completed"] is True  # threshold 50 %
    expect(page.locator('[data-role="watched-share"]')).to_have_text("60")
    row = db.session.scalar(db.select(LessonProgress).where(LessonProgress.lesson_id == video.id,
                                                            LessonProgress.user_id == learner.id))
    assert row.watched_share == pytest.approx(0.6) and row.position_seconds == pytest.approx(60)


def test_lesson_pages_work_without_javascript(browser, live_server, study):
    course, document, _video, learner = study
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, live_server, learner.username)
        page.goto(f"{live_server}/courses/{course.id}/lessons/{document.id}")
        assert not page.locator(".pdf-viewer").is_visible()
        link = page.get_by_role("link", name="Open the PDF")
        assert link.is_visible()
        assert link.get_attribute("href") == f"/courses/{course.id}/lessons/{document.id}/file"
        page.get_by_role("link", name=re.compile("Course outline")).click()
        assert page.locator("progress").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()
