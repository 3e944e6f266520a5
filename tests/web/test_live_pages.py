"""Live-session pages: scheduling, schedule and calendar, iCalendar feeds, the room page, attendance sheet and
CSV export, manual marks, QR check-in, archive, reminders, completion, and who may see what."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from elearn.core import clock
from elearn.core.notifications import Notification
from elearn.courses import services as course_services
from elearn.courses.models import EmbedHost, SectionItem
from elearn.extensions import db
from elearn.live import domain, services
from elearn.live.models import LivePresence, LiveSession
from tests.conftest import csrf_token
from tests.course_factories import first_section
from tests.live_factories import make_live, signed_in


def test_lecturer_schedules_a_session_into_the_course_flow(app, client, factory, login):
    setup = make_live(factory)
    login(setup.lecturer)
    section = first_section(setup.course)
    url = f"/courses/{setup.course.id}/live/new"
    assert client.get(url).status_code == 200
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "title": "Chuyên đề AI cho cán bộ xã", "section_id": section.id,
        "starts_at": "2027-01-05T08:00", "ends_at": "2027-01-05T10:00", "join_opens_minutes": 15,
        "threshold_percent": 80, "late_after_minutes": 10, "required": "y", "slide_lesson_id": ""})
    assert response.status_code == 302
    created = db.session.query(LiveSession).filter_by(title="Chuyên đề AI cho cán bộ xã").one()
    assert created.starts_at.hour == 1  # 08:00 in Vietnam is 01:00 UTC
    assert db.session.query(SectionItem).filter_by(kind="live", ref_id=created.id).one().required
    course_page = client.get(f"/courses/{setup.course.id}").get_data(as_text=True)
    assert "Chuyên đề AI cho cán bộ xã" in course_page


def test_scheduling_refuses_a_stream_outside_the_allow_list_and_without_csrf(app, client, factory, login):
    setup = make_live(factory)
    login(setup.lecturer)
    url = f"/courses/{setup.course.id}/live/new"
    base = {"title": "Lớp", "section_id": first_section(setup.course).id, "starts_at": "2027-01-05T08:00",
            "ends_at": "2027-01-05T09:00", "join_opens_minutes": 15, "threshold_percent": 80, "late_after_minutes": 10}
    response = client.post(url, data={**base, "csrf_token": csrf_token(client, url),
                                      "stream_url": "https://evil.example/live"})
    assert response.status_code == 200 and db.session.query(LiveSession).count() == 1
    assert client.post(url, data=base).status_code == 400  # no CSRF token
    db.session.add(EmbedHost(host="video.tinh.gov.vn"))
    db.session.commit()
    response = client.post(url, data={**base, "csrf_token": csrf_token(client, url),
                                      "stream_url": "https://video.tinh.gov.vn/live/1"})
    assert response.status_code == 302
    room = client.get(response.headers["Location"])
    assert "frame-src https://video.tinh.gov.vn" in room.headers["Content-Security-Policy"]


def test_learner_may_not_schedule_or_see_attendance(app, client, factory, login):
    setup = make_live(factory)
    login(setup.learner)
    assert client.get(f"/courses/{setup.course.id}/live/new").status_code == 403
    assert client.get(f"/live/{setup.session.id}/edit").status_code == 403
    assert client.get(f"/live/{setup.session.id}/attendance").status_code == 403
    assert client.get(f"/live/{setup.session.id}/attendance?format=csv").status_code == 403
    assert client.get(f"/live/{setup.session.id}/qr.svg").status_code == 403
    assert client.get(f"/live/{setup.session.id}").status_code == 200


def test_outsider_sees_no_room_and_anonymous_is_sent_to_login(app, client, factory, login):
    setup = make_live(factory)
    assert client.get(f"/live/{setup.session.id}").status_code == 302
    login(factory.user())
    assert client.get(f"/live/{setup.session.id}").status_code == 403
    assert client.get(f"/live/{setup.session.id}/archive").status_code == 403
    assert client.get(f"/courses/{setup.course.id}/live").status_code == 403


def test_schedule_and_calendar_pages(app, client, factory, login):
    setup = make_live(factory)
    login(setup.learner)
    schedule = client.get(f"/courses/{setup.course.id}/live").get_data(as_text=True)
    assert setup.session.title in schedule
    calendar = client.get("/live/calendar").get_data(as_text=True)
    assert setup.session.title in calendar and "calendar.ics?token=" in calendar


def _feed_url(html: str, path: str) -> str:
    match = re.search(r'href="https?://[^/"]+(' + re.escape(path) + r'\?token=[^"]+)"', html)
    assert match, path
    return match.group(1).replace("&amp;", "&")


def test_ics_feeds_are_token_authenticated(app, client, factory, login):
    setup = make_live(factory)
    login(setup.learner)
    personal = _feed_url(client.get("/live/calendar").get_data(as_text=True), "/live/calendar.ics")
    course_feed = _feed_url(client.get(f"/courses/{setup.course.id}/live").get_data(as_text=True),
                            f"/courses/{setup.course.id}/live.ics")
    anonymous = app.test_client()
    for url in (personal, course_feed):
        response = anonymous.get(url)
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        text = response.get_data(as_text=True)
        assert f"UID:live-{setup.session.id}@elearn" in text and "Nghị quyết 57" in text.replace("\r\n ", "")
    assert anonymous.get("/live/calendar.ics?token=forged").status_code == 404
    assert anonymous.get("/live/calendar.ics").status_code == 404
    token = personal.split("token=")[1]
    assert anonymous.get(f"/courses/{setup.course.id}/live.ics?token={token}").status_code == 404  # not this feed
    enrolment = course_services.enrolment_of(setup.learner.id, setup.course.id)
    course_services.unenrol(setup.lecturer, enrolment)
    assert anonymous.get(course_feed).status_code == 404
    assert f"live-{setup.session.id}@" not in anonymous.get(personal).get_data(as_text=True)
    setup.learner.active = False
    db.session.commit()
    assert anonymous.get(personal).status_code == 404


def _sheet_setup(factory):
    setup = make_live(factory, starts_in=-90, minutes=60, threshold=75)
    start = setup.session.starts_at
    late = factory.user(full_name="Bùi Văn Muộn")
    absent = factory.user(full_name="Đỗ Thị Vắng")
    for person in (late, absent):
        course_services.enrol_person(setup.lecturer, setup.course, person)
    db.session.add_all([
        LivePresence(session_id=setup.session.id, user_id=setup.learner.id, joined_at=start - timedelta(minutes=2),
                     left_at=start + timedelta(minutes=30), seen_at=start),
        LivePresence(session_id=setup.session.id, user_id=setup.learner.id, joined_at=start + timedelta(minutes=31),
                     left_at=start + timedelta(minutes=60), seen_at=start),
        LivePresence(session_id=setup.session.id, user_id=late.id, joined_at=start + timedelta(minutes=15),
                     left_at=start + timedelta(minutes=60), seen_at=start),
    ])
    db.session.commit()
    return setup, late, absent


def test_attendance_sheet_lists_present_late_and_absent(app, client, factory, login):
    setup, late, absent = _sheet_setup(factory)
    rows = {r.user.id: r for r in services.attendance_sheet(setup.session)}
    assert rows[setup.learner.id].result.status == "present" and rows[setup.learner.id].result.minutes == pytest.approx(59)
    assert rows[late.id].result.status == "late" and rows[late.id].result.minutes == pytest.approx(45)
    assert rows[absent.id].result.status == "absent"
    login(setup.lecturer)
    page = client.get(f"/live/{setup.session.id}/attendance").get_data(as_text=True)
    assert "Đỗ Thị Vắng" in page and "Bùi Văn Muộn" in page
    csv_response = client.get(f"/live/{setup.session.id}/attendance?format=csv")
    assert csv_response.status_code == 200 and "attachment" in csv_response.headers["Content-Disposition"]
    lines = csv_response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 4
    by_name = {line.split(",")[1]: line.split(",") for line in lines[1:]}
    assert by_name["Đỗ Thị Vắng"][3] == "0" and by_name["Bùi Văn Muộn"][3] == "45"


def test_csv_export_neutralises_formulas(app, client, factory, login):
    setup = make_live(factory, learner=factory.user(full_name="=HYPERLINK(\"http://evil\")"))
    login(setup.lecturer)
    text = client.get(f"/live/{setup.session.id}/attendance?format=csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_manual_mark_and_completion_rule(app, client, factory, login):
    setup, late, absent = _sheet_setup(factory)
    login(setup.lecturer)
    url = f"/live/{setup.session.id}/attendance"
    response = client.post(f"{url}/mark", data={"csrf_token": csrf_token(client, url), "user_id": absent.id,
                                                "status": "present"})
    assert response.status_code == 302
    rows = {r.user.id: r for r in services.attendance_sheet(setup.session)}
    assert rows[absent.id].result.status == "present" and rows[absent.id].manual
    assert client.post(f"{url}/mark", data={"user_id": absent.id, "status": "present"}).status_code == 400  # no CSRF
    # completion: the session has ended; the "live attendance" rule sees the minutes
    facts = course_services.learner_facts(setup.course, late.id)
    assert facts.live_share() == pytest.approx(45 / 60)
    assert course_services.learner_facts(setup.course, absent.id).live_share() == pytest.approx(1.0)
    outline_done = services.attended_ids([setup.session.id], setup.learner.id)
    assert outline_done == {setup.session.id}


def _scan(app, user, session_id: int, token: str):
    browser = signed_in(app, user)
    url = f"/live/{session_id}/checkin/{token}"
    page = browser.get(url)
    if page.status_code != 200:
        return page
    return browser.post(url, data={"csrf_token": csrf_token(browser, url)})


def test_qr_check_in(app, client, factory, login):
    setup = make_live(factory, in_person=True, starts_in=-5)
    login(setup.lecturer)
    assert client.get(f"/live/{setup.session.id}/qr").status_code == 200
    svg = client.get(f"/live/{setup.session.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.headers["Cache-Control"] == "no-store"
    token = services.qr_token(setup.session)
    response = _scan(app, setup.learner, setup.session.id, token)
    assert response.status_code == 302
    row = {r.user.id: r for r in services.attendance_sheet(setup.session)}[setup.learner.id]
    assert row.result.status == "present"


def test_expired_forged_or_foreign_qr_codes_are_refused(app, client, factory):
    setup = make_live(factory, in_person=True)
    old = services.qr_token(setup.session, clock.now() - timedelta(seconds=30 * (domain.QR_GRACE_BUCKETS + 1)))
    assert _scan(app, setup.learner, setup.session.id, old).status_code == 422
    assert _scan(app, setup.learner, setup.session.id, "forged.token").status_code == 422
    other = make_live(factory, in_person=True, learner=setup.learner)
    assert _scan(app, setup.learner, setup.session.id, services.qr_token(other.session)).status_code == 422
    outsider = factory.user()
    assert _scan(app, outsider, setup.session.id, services.qr_token(setup.session)).status_code == 403
    rows = {r.user.id: r for r in services.attendance_sheet(setup.session)}
    assert rows[setup.learner.id].result.status == "absent" and outsider.id not in rows


def test_archive_shows_chat_questions_polls_and_recording(app, client, factory, login):
    setup = make_live(factory, starts_in=-90, minutes=60)
    services.chat(setup.session, setup.learner, "Cảm ơn thầy <b>nhiều</b>")
    services.ask(setup.session, setup.learner, "Tài liệu ở đâu?")
    services.open_poll(setup.session, setup.lecturer, "Hài lòng?", ["Có", "Không"])
    setup.session.recording_url = "https://video.tinh.gov.vn/rec/1"
    db.session.commit()
    login(setup.learner)
    page = client.get(f"/live/{setup.session.id}/archive").get_data(as_text=True)
    assert "Cảm ơn thầy &lt;b&gt;nhiều&lt;/b&gt;" in page and "Tài liệu ở đâu?" in page and "Hài lòng?" in page
    assert "https://video.tinh.gov.vn/rec/1" in page
    assert "Attendance sheet" not in page and "Điểm danh" not in page.split("<main")[1].split("Polls")[0]


def test_reminders_are_sent_once(app, factory):
    setup = make_live(factory, starts_in=30)
    with app.test_request_context():
        sent = services.send_due_reminders(60, lambda s: f"/live/{s.id}")
        again = services.send_due_reminders(60, lambda s: f"/live/{s.id}")
    assert sent == 2 and again == 0  # the learner and the lecturer
    assert db.session.query(Notification).filter_by(user_id=setup.learner.id, kind="live.reminder").count() == 1


def test_reminder_cli(app, factory):
    make_live(factory, starts_in=20)
    result = app.test_cli_runner().invoke(args=["live", "remind"])
    assert "2 reminders sent." in result.output


def test_the_room_page_is_light(app, client, factory, login):
    """HTML, CSS and JS of the room (no stream, no slides) stay under 250 KB on first load (uncompressed here)."""
    setup = make_live(factory)
    login(setup.learner)
    page = client.get(f"/live/{setup.session.id}")
    html = page.get_data()
    assets = re.findall(rb'(?:src|href)="(/static/[^"?]+\.(?:js|css|mjs))', html)
    assert any(a.endswith(b"socket.io.min.js") for a in assets) and any(a.endswith(b"live.js") for a in assets)
    total = len(html) + sum(len(client.get(a.decode()).get_data()) for a in assets)
    print(f"\nfirst load of the room without the stream: {total} bytes")  # the figure in BENCHMARKS.md
    assert total < 250 * 1024, total
