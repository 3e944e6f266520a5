"""The Quizzes issue's acceptance test in a real browser, at a phone's and a desktop's width: a learner takes a
timed quiz, the page's network is cut mid-attempt, the learner answers, the network comes back and the server has
every answer; then the server-kept timer runs out and the attempt closes (autosubmit) on its own."""
from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect
from sqlalchemy import select

from elearn.extensions import db
from elearn.quizzes.quiz_models import Attempt
from elearn.quizzes.quiz_services import QuizSettings
from tests.e2e.test_course_flow import fits, sign_in
from tests.quiz_factories import make_quiz_setup

TIME_LIMIT = 30  # seconds: long enough for the steps, short enough to watch it run out


def server_answers(attempt_id: int) -> dict:
    db.session.rollback()
    attempt = db.session.get(Attempt, attempt_id)
    db.session.refresh(attempt)
    return {a.qtype: a.response for a in attempt.answers}


def wait_for(predicate, timeout: float = 20.0):
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("condition not reached in time")


def test_offline_answers_reach_the_server_and_the_timer_closes_the_attempt(page: Page, live_server, factory):
    setup = make_quiz_setup(factory, settings=QuizSettings(title="Kiểm tra nhanh", time_limit=TIME_LIMIT,
                                                           attempts_allowed=0, questions_per_page=0,
                                                           shuffle_answers=False, autosave_seconds=5),
                            names=["TF1", "SA1", "NUM1", "MC1"])
    sign_in(page, live_server, setup.learner.username)
    page.goto(f"{live_server}/quizzes/{setup.quiz.id}")
    page.locator("form[action$='/start'] button[type=submit]").click()
    expect(page.locator("#quiz-attempt")).to_be_visible()
    attempt_id = int(page.locator("#quiz-attempt").get_attribute("data-attempt"))
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^0:[0-3]\d$"))  # the server's time left
    fits(page)

    # online: the first answer is acknowledged ("saved at" shows the server's time)
    page.locator("fieldset[data-type=truefalse] input[value=true]").check()
    expect(page.locator("[data-saved]")).not_to_have_text("")
    wait_for(lambda: server_answers(attempt_id)["truefalse"] is True)

    # offline: answers are queued on the device, the server has none of them
    page.context.set_offline(True)
    page.locator("fieldset[data-type=shortanswer] input").fill("UBND")
    page.locator("fieldset[data-type=numerical] input").fill("5")
    page.locator("fieldset[data-type=multichoice] input").nth(0).check()
    page.locator("fieldset[data-type=numerical] input").press("Tab")  # the change event of the text field
    time.sleep(2.0)
    queued = page.evaluate(f"JSON.parse(localStorage.getItem('elearn-quiz-attempt-{attempt_id}')).pending")
    assert set(queued) == {"2", "3", "4"}, queued
    assert server_answers(attempt_id)["shortanswer"] is None
    expect(page.locator("[data-alert]")).to_be_visible()

    # back online: the queue is sent and acknowledged
    page.context.set_offline(False)
    answers = wait_for(lambda: (lambda a: a if a["shortanswer"] == "UBND" and a["numerical"] == "5"
                                and a["multichoice"] == 0 else None)(server_answers(attempt_id)))
    assert answers == {"truefalse": True, "shortanswer": "UBND", "numerical": "5", "multichoice": 0}
    page.wait_for_function(
        f"Object.keys(JSON.parse(localStorage.getItem('elearn-quiz-attempt-{attempt_id}')).pending).length === 0")

    # the server's time runs out: the page asks the server, which closes the attempt, and shows the review
    page.wait_for_url(f"**/attempts/{attempt_id}/review", timeout=(TIME_LIMIT + 15) * 1000)
    expect(page.locator("[data-attempt-state]")).to_have_attribute("data-attempt-state", "finished")
    db.session.rollback()
    closed = db.session.scalar(select(Attempt).where(Attempt.id == attempt_id))
    db.session.refresh(closed)
    assert closed.state == "finished" and closed.finish_reason == "timeout" and closed.finished_at == closed.deadline
    assert closed.grade == 10.0  # every answer was right and counted
