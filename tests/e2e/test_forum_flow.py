"""The Forums issue's acceptance test, in a real browser at a phone's width (360 px).

A learner opens a thread of the course's general forum and replies; a second learner sees the unread count
on the course's discussions page and reads the reply; the lecturer marks it as the accepted answer, which
both learners then see. The course, the people and the opening post are made up front; the rest is clicked.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from elearn.courses import services as course_services
from elearn.forums import services
from tests import course_factories as cf
from tests.e2e.conftest import PHONE
from tests.e2e.test_course_flow import fits, sign_in, sign_out, watch_problems

QUESTION = "Kinh nghiệm tiếp công dân trực tuyến ở cấp xã"
REPLY = "Xã Minh Quang mở điểm tiếp dân trực tuyến tại bộ phận một cửa, mỗi thứ Năm có lãnh đạo xã trực."


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()


def _open_discussions(page: Page, base: str, course_id: int) -> None:
    page.goto(f"{base}/courses/{course_id}")
    page.locator(f"a[href='/courses/{course_id}/discussions']").click()
    page.wait_for_url(re.compile(rf"/courses/{course_id}/discussions$"))
    fits(page)


def test_learners_discuss_and_the_lecturer_accepts_an_answer(phone: Page, live_server, factory):
    province = factory.province()
    lecturer = factory.lecturer("giangvien.forum", full_name="Lê Văn Giảng", unit=province)
    writer = factory.user("hocvien.mot", full_name="Phạm Thị Một", unit=province)
    reader = factory.user("hocvien.hai", full_name="Vũ Văn Hai", unit=province)
    course = cf.make_course(factory, lecturer, title="Kỹ năng tiếp công dân", publish=True)
    for person in (writer, reader):
        course_services.enrol_person(lecturer, course, person)
    thread = services.start_thread(lecturer, services.general_forum(course), QUESTION,
                                   "<p>Các đồng chí chia sẻ cách tổ chức tiếp công dân trực tuyến.</p>")
    services.mark_thread_read(reader, thread)  # the second learner has seen the question already
    base, page = live_server, phone
    problems = watch_problems(page)

    # 1. The first learner opens the thread and replies.
    sign_in(page, base, writer.username)
    _open_discussions(page, base, course.id)
    page.get_by_role("link", name=re.compile("Thảo luận chung|General discussion")).click()
    page.get_by_role("link", name=QUESTION).click()
    page.wait_for_url(re.compile(rf"/threads/{thread.id}"))
    expect(page.locator(".post-body").first).to_contain_text("tiếp công dân trực tuyến")
    fits(page)
    page.locator("textarea[name=body]").fill(f"<p>{REPLY}</p>")
    page.locator("#send-reply").click()
    page.wait_for_url(re.compile(rf"/threads/{thread.id}.*#post-\d+"))
    expect(page.locator(".post-body", has_text=REPLY)).to_be_visible()
    fits(page)
    sign_out(page, base)

    # 2. The second learner sees one unread post and reads the reply.
    sign_in(page, base, reader.username)
    _open_discussions(page, base, course.id)
    badge = page.locator(".forum-card .unread-count")
    expect(badge).to_have_count(1)
    expect(badge).to_contain_text("1")
    page.get_by_role("link", name=re.compile("Thảo luận chung|General discussion")).click()
    expect(page.locator(".thread-card .unread-count")).to_contain_text("1")
    page.get_by_role("link", name=QUESTION).click()
    reply = page.locator("article.post.new", has_text=REPLY)
    expect(reply).to_be_visible()
    fits(page)
    _open_discussions(page, base, course.id)
    expect(page.locator(".forum-card .unread-count")).to_have_count(0)  # read now
    sign_out(page, base)

    # 3. The lecturer marks the reply as the accepted answer.
    sign_in(page, base, lecturer.username)
    page.goto(f"{base}/threads/{thread.id}")
    answer = page.locator("article.post", has_text=REPLY)
    answer.locator(".accept-button").click()
    page.wait_for_url(re.compile(rf"/threads/{thread.id}"))
    expect(page.locator("article.post.accepted", has_text=REPLY)).to_be_visible()
    expect(page.locator("article.post.accepted .accepted-mark")).to_be_visible()
    fits(page)
    sign_out(page, base)

    sign_in(page, base, reader.username)
    page.goto(f"{base}/threads/{thread.id}")
    expect(page.locator("article.post.accepted", has_text=REPLY)).to_be_visible()
    assert problems == []
