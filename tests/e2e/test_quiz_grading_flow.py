"""A lecturer grades an essay from the queue on a phone and a desktop, then finds the grade in the gradebook."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_course_flow import UNNAMED_CONTROLS, fits, sign_in
from tests.quiz_factories import make_quiz_setup
from tests.web.test_quiz_grading_web import finish


def test_lecturer_grades_an_essay_and_sees_the_gradebook(page: Page, live_server, factory):
    unit = factory.unit("Xã Yên Sơn", "commune")
    learner = factory.user(full_name="Ma Thị Hoa", unit=unit)
    s = make_quiz_setup(factory, learner=learner)
    finish(s, learner)

    sign_in(page, live_server, s.lecturer.username)

    page.goto(f"{live_server}/courses/{s.course.id}/grading")
    page.get_by_role("link", name="1", exact=True).click()  # the essays waiting for this quiz
    expect(page.get_by_text("Ma Thị Hoa")).to_be_visible()
    page.locator("a.button.small").first.click()
    expect(page.get_by_text("Chuyển đổi số giúp phục vụ người dân tốt hơn.")).to_be_visible()
    page.fill("input[name=mark]", "1")
    page.fill("textarea[name=comment]", "Bài viết tốt.")
    page.locator("form input[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("1 / 1")

    page.goto(f"{live_server}/courses/{s.course.id}/gradebook")
    row = page.locator("tr", has_text="Ma Thị Hoa")
    expect(row).to_contain_text("10")
    expect(row).to_contain_text("100")
    fits(page)  # wide tables scroll inside their box, the page does not
    page.goto(f"{live_server}/courses/{s.course.id}/quizzes/{s.quiz.id}/analysis")
    expect(page.get_by_role("heading", name="MC1")).to_be_visible()
    fits(page)
    assert page.evaluate(UNNAMED_CONTROLS) == []
    page.screenshot(path=f"/tmp/quizgrading_analysis_{page.viewport_size['width']}.png", full_page=True)
