"""The acceptance test of assignments, through the real UI at a phone's and a desktop's width.

A learner writes and submits a reflection essay (bài thu hoạch); the lecturer grades it with the rubric; the
learner sees the grade and the feedback, and the course shows it completed (its rule: assignments passed).
The course, its assignment and the people are made up front; writing, submitting and grading are clicked.
The people use the English interface so that the test does not depend on the catalogue being merged.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from elearn.assignments import domain, services
from elearn.assignments.models import Grade
from elearn.courses import completion
from elearn.courses import services as course_services
from elearn.extensions import db
from tests import course_factories as cf
from tests.e2e.test_course_flow import fits
from tests.factories import DEFAULT_PASSWORD

RUBRIC = ("Hiểu đúng nội dung Nghị quyết | Tốt: 4 | Đạt: 2 | Chưa đạt: 0\n"
          "Liên hệ thực tiễn công tác | Tốt: 3 | Đạt: 2 | Chưa đạt: 0\n"
          "Cam kết, kế hoạch hành động | Tốt: 3 | Đạt: 1 | Chưa đạt: 0")
LEARNED = "Nghị quyết 57 xác định khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu."
APPLIED = "Tại xã Minh Quang, tôi sẽ hướng dẫn người dân nộp hồ sơ trực tuyến và số hóa hồ sơ một cửa."
COMMITS = "Số hóa toàn bộ hồ sơ một cửa trước tháng 6; mỗi tháng mở một buổi hướng dẫn ở thôn."
FEEDBACK = "Bài viết tốt, cam kết cụ thể và có thời hạn."


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")


def sign_out(page: Page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/login")))


def test_learner_submits_lecturer_grades_learner_sees_grade_and_completion(page: Page, live_server, factory):
    unit = factory.unit("Xã Minh Quang", "commune", factory.province())
    lecturer = factory.lecturer(unit=unit)
    learner = factory.user(full_name="Lò Thị Mai", unit=unit)
    for person in (lecturer, learner):
        person.locale = "en"
    db.session.commit()
    course = cf.make_course(factory, lecturer, title="Học tập Nghị quyết 57-NQ/TW", publish=True)
    data = services.AssignmentData(title="Bài thu hoạch Nghị quyết 57", instructions="<p>Viết ba phần.</p>",
                                   min_words=10, rubric=domain.parse_rubric_text(RUBRIC), pass_score=5)
    assignment = services.create_assignment(lecturer, cf.first_section(course), data)
    course_services.set_completion_rules(lecturer, course, [completion.AssignmentPassed()])
    course_services.enrol_person(lecturer, course, learner)
    base = live_server

    # The learner opens the assignment from the course page, writes the three sections and submits.
    sign_in(page, base, learner.username)
    page.goto(f"{base}/courses/{course.id}")
    page.get_by_role("link", name="Bài thu hoạch Nghị quyết 57").first.click()
    page.wait_for_url(f"{base}/assignments/{assignment.id}")
    page.get_by_label("What I learned").fill(LEARNED)
    page.get_by_label("How it applies to my work").fill(APPLIED)
    page.get_by_label("My commitments and action plan").fill(COMMITS)
    fits(page)
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Your work has been submitted.")).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True)).to_be_visible()
    sign_out(page, base)

    # The lecturer grades it with the rubric from the grading queue.
    sign_in(page, base, lecturer.username)
    page.goto(f"{base}/assignments/{assignment.id}")
    page.get_by_role("link", name="Grading queue").click()
    fits(page)
    page.get_by_role("link", name="Lò Thị Mai").click()
    expect(page.get_by_text(LEARNED)).to_be_visible()
    page.get_by_role("group", name="Hiểu đúng nội dung Nghị quyết").get_by_label("Tốt (4)").check()
    page.get_by_role("group", name="Liên hệ thực tiễn công tác").get_by_label("Đạt (2)").check()
    page.get_by_role("group", name="Cam kết, kế hoạch hành động").get_by_label("Tốt (3)").check()
    page.get_by_label("Feedback for the learner").fill(FEEDBACK)
    fits(page)
    page.get_by_role("button", name="Save and back to the queue").click()
    expect(page.get_by_text("The grade has been saved and the learner notified.")).to_be_visible()
    sign_out(page, base)
    db.session.rollback()
    assert db.session.scalar(select(Grade)).score == 9

    # The learner sees the grade, the feedback, and the course completed.
    sign_in(page, base, learner.username)
    page.goto(f"{base}/assignments/{assignment.id}")
    expect(page.get_by_text("9 of 10 points")).to_be_visible()
    expect(page.get_by_text(FEEDBACK)).to_be_visible()
    fits(page)
    page.goto(f"{base}/courses/{course.id}")
    expect(page.get_by_text(re.compile("You completed this course on"))).to_be_visible()
