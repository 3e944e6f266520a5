"""The live room in a real browser: a lecturer and two learners in three pages; a poll, a chat line and a slide
change reach everyone; one learner's network is cut and restored and it catches up (and its queued line is sent
once); the attendance sheet lists everyone with the right minutes: the server's clock is held and moved on
while the learners stay, and the sheet's minutes are checked against the times and against the join/leave
records the server stored."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_lesson_viewers import sign_in, two_page_pdf, watch_problems
from tests.live_factories import enrol, make_live


def _wait_gone(user_id: int, timeout: float = 15.0) -> None:
    """Until the server has closed the person's stays (their page was closed)."""
    from elearn.extensions import db
    from elearn.live.models import LivePresence

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        if not db.session.query(LivePresence).filter(LivePresence.user_id == user_id,
                                                     LivePresence.left_at.is_(None)).count():
            return
        time.sleep(0.2)
    raise AssertionError(f"the stays of user {user_id} stayed open")


def _stored_minutes(live_session, user_id: int, now) -> float:
    """Minutes from the join/leave records the server stored, by the attendance rule."""
    from elearn.extensions import db
    from elearn.live import domain
    from elearn.live.models import LivePresence

    stays = [domain.Stay(r.joined_at, r.left_at, r.seen_at)
             for r in db.session.query(LivePresence).filter_by(session_id=live_session.id, user_id=user_id)]
    return domain.minutes_attended(stays, live_session.starts_at, live_session.ends_at, now)


@pytest.fixture
def room(factory, monkeypatch):
    import tests.live_factories as lf
    from elearn.extensions import socketio

    # flask-socketio's test client (tests/web) replaces the server's packet senders on the instance: put the real
    # ones back so that real browsers receive their packets.
    for name in ("_send_packet", "_send_eio_packet"):
        socketio.server.__dict__.pop(name, None)

    monkeypatch.setattr(lf, "pdf", lambda pad=0: two_page_pdf())
    setup = make_live(factory, slides=True)
    second = factory.user("hocvien.hai", full_name="Trần Văn Hai")
    enrol(setup, second)
    return setup, second


def test_three_people_in_the_room(browser, live_server, room, monkeypatch):
    from elearn.core import clock

    setup, second = room
    t0 = setup.session.starts_at + timedelta(minutes=10)
    monkeypatch.setattr(clock, "_frozen", t0)  # the server (same process) joins everyone at start + 10 min
    pages, problems = [], []
    for user, viewport in ((setup.lecturer, DESKTOP), (setup.learner, PHONE), (second, PHONE)):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        pg = context.new_page()
        pg.set_default_timeout(20000)
        problems.append(watch_problems(pg))
        sign_in(pg, live_server, user.username)
        pg.goto(f"{live_server}/live/{setup.session.id}")
        pages.append(pg)
    lecturer, learner, other = pages
    for pg in pages:
        expect(pg.locator('[data-role="count"]')).to_have_text("3")

    # poll
    lecturer.fill("#poll-q", "Nghị quyết 57 ban hành năm nào?")
    lecturer.fill("#poll-o", "2023\n2024\n2025")
    lecturer.click('[data-role="poll-form"] button[type=submit]')
    for pg in (learner, other):
        expect(pg.locator(".live-poll h3")).to_have_text("Nghị quyết 57 ban hành năm nào?")
    learner.click('.live-options li:nth-child(2) button')
    expect(lecturer.locator(".live-options li:nth-child(2)")).to_contain_text("1")

    # chat, shown as text
    learner.fill("#chat-text", "<b>Xin chào</b> thầy")
    learner.press("#chat-text", "Enter")
    for pg in pages:
        expect(pg.locator('[data-role="chat"] li').last).to_contain_text("<b>Xin chào</b> thầy")

    # slides: the session's PDF shows from page 1; the lecturer turns the page
    expect(learner.locator('[data-role="slide-page"]')).to_contain_text("1")
    lecturer.click('[data-action="slide-next"]')
    for pg in (learner, other):
        expect(pg.locator('[data-role="slide-page"]')).to_contain_text("2")

    # the second learner's link drops; messages go on; it writes while offline; the link comes back
    other.context.set_offline(True)
    other.evaluate("document.getElementById('live').liveSocket.io.engine.close()")
    for i in range(3):
        lecturer.fill("#chat-text", f"Trong lúc vắng {i}")
        lecturer.press("#chat-text", "Enter")
    expect(lecturer.locator('[data-role="chat"] li').last).to_contain_text("Trong lúc vắng 2")
    other.fill("#chat-text", "Gửi khi mất mạng")
    other.press("#chat-text", "Enter")
    expect(other.locator(".live-pending")).to_have_count(1)
    other.context.set_offline(False)
    expect(other.locator('[data-role="chat"] li:not(.live-pending)').last).to_contain_text("Gửi khi mất mạng",
                                                                                          timeout=30000)
    texts = other.locator('[data-role="chat"] li:not(.live-pending)').all_inner_texts()
    order = [t for t in texts if "Trong lúc vắng" in t]
    assert [o.split("Trong lúc vắng ")[1][:1] for o in order] == ["0", "1", "2"]
    expect(lecturer.locator('[data-role="chat"] li', has_text="Gửi khi mất mạng")).to_have_count(1)

    # attendance: the first learner leaves 20 minutes later, the second 40 minutes later (its cut lasted no
    # server time: both its stays count once)
    monkeypatch.setattr(clock, "_frozen", t0 + timedelta(minutes=20))
    learner.context.close()
    _wait_gone(setup.learner.id)
    monkeypatch.setattr(clock, "_frozen", t0 + timedelta(minutes=40))
    other.context.close()
    _wait_gone(second.id)
    sheet_at = t0 + timedelta(minutes=45)
    monkeypatch.setattr(clock, "_frozen", sheet_at)
    lecturer.goto(f"{live_server}/live/{setup.session.id}/attendance")
    expect(lecturer.locator("tbody tr")).to_have_count(2)
    expect(lecturer.locator("tbody")).to_contain_text(second.full_name)
    for person, expected in ((setup.learner, 20), (second, 40)):
        stored = _stored_minutes(setup.session, person.id, sheet_at)
        assert round(stored) == expected, (person.username, stored)
        minutes = lecturer.locator("tbody tr", has_text=person.full_name).locator("td").nth(2)
        expect(minutes).to_have_text(str(expected))
    for found in problems:
        assert not [p for p in found if "ERR_INTERNET_DISCONNECTED" not in p and "net::" not in p], found
