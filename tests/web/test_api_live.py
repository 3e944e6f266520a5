"""The live-sessions part of the JSON API (mobile clients): answers match the OpenAPI schemas exactly, and the
same rules hold as on the pages (not enrolled, draft course, lecturer-only sheet, XSS in the description)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from elearn.courses import services as course_services
from elearn.courses.catalog import CourseState
from elearn.extensions import db
from elearn.live import services
from elearn.live.models import LivePresence
from tests.live_factories import enrol, make_live
from tests.web.test_api import API, assert_error, bearer, conforms, token_for
from tests.xss_payloads import PAYLOADS, problems


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


def get(client, user, path: str):
    return client.get(f"{API}{path}", headers=bearer(token_for(user)))


def _stay(setup, user, minutes: int, offset: int = 0) -> None:
    """A stored stay of `minutes` from start + offset (closed)."""
    begin = setup.session.starts_at + timedelta(minutes=offset)
    db.session.add(LivePresence(session_id=setup.session.id, user_id=user.id, sid=f"s-{user.id}-{offset}",
                                joined_at=begin, seen_at=begin, left_at=begin + timedelta(minutes=minutes)))
    db.session.commit()


def test_a_course_lists_its_sessions(client, factory, spec):
    setup = make_live(factory)
    r = get(client, setup.learner, f"/courses/{setup.course.id}/live-sessions")
    assert r.status_code == 200
    body = r.get_json()
    conforms(spec, "LiveSessionList", body)
    assert body["total"] == 1
    item = body["items"][0]
    assert item["id"] == setup.session.id and item["phase"] == "live"
    assert item["page_url"] == f"/live/{setup.session.id}"


def test_a_session_with_its_join_information(client, factory, spec):
    setup = make_live(factory, starts_in=60)
    r = get(client, setup.learner, f"/live-sessions/{setup.session.id}")
    assert r.status_code == 200
    body = r.get_json()
    conforms(spec, "LiveSessionDetail", body)
    assert body["phase"] == "upcoming"
    assert body["join"] == {"namespace": "/live", "socketio_path": "/socket.io", "event": "join",
                            "data": {"session_id": setup.session.id}, "open_now": False, "lecturer": False}
    lecturer = get(client, setup.lecturer, f"/live-sessions/{setup.session.id}").get_json()
    assert lecturer["join"]["open_now"] is True and lecturer["join"]["lecturer"] is True


def test_the_join_information_works_with_the_same_token(app, factory):
    """What the API says is enough for a client: connect to the namespace with the token, emit the event."""
    from elearn.extensions import socketio

    setup = make_live(factory)
    secret = token_for(setup.learner)
    info = app.test_client().get(f"{API}/live-sessions/{setup.session.id}", headers=bearer(secret)).get_json()["join"]
    sock = socketio.test_client(app, namespace=info["namespace"], auth={"token": secret})
    try:
        assert sock.emit(info["event"], info["data"], namespace=info["namespace"], callback=True)["ok"]
    finally:
        sock.disconnect(namespace=info["namespace"])
        for name in ("_send_packet", "_send_eio_packet"):
            socketio.server.__dict__.pop(name, None)


def test_my_attendance(client, factory, spec):
    setup = make_live(factory, minutes=40, starts_in=-50)  # ended
    _stay(setup, setup.learner, 20)
    _stay(setup, setup.learner, 15, offset=10)  # a second tab overlapping: counted once
    r = get(client, setup.learner, f"/live-sessions/{setup.session.id}/attendance/mine")
    assert r.status_code == 200
    body = r.get_json()
    conforms(spec, "LiveAttendance", body)
    assert body["minutes"] == 25.0 and body["session_minutes"] == 40.0
    assert body["status"] == "absent"  # 25 of 40 minutes is under the 75 % threshold
    assert body["user_id"] == setup.learner.id and body["first_seen"] is not None


def test_the_sheet_lists_absentees_and_follows_the_marks(client, factory, spec):
    setup = make_live(factory, minutes=40, starts_in=-50)
    absent = factory.user(full_name="Vắng Mặt Nguyễn")
    enrol(setup, absent)
    _stay(setup, setup.learner, 40)
    services.mark(setup.lecturer, setup.session, absent, "late")
    r = get(client, setup.lecturer, f"/live-sessions/{setup.session.id}/attendance?per_page=1")
    assert r.status_code == 200
    body = r.get_json()
    conforms(spec, "LiveAttendancePage", body)
    assert body["total"] == 2 and body["pages"] == 2 and len(body["items"]) == 1
    rows = body["items"] + get(client, setup.lecturer,
                               f"/live-sessions/{setup.session.id}/attendance?page=2&per_page=1").get_json()["items"]
    by_user = {row["user_id"]: row for row in rows}
    assert by_user[setup.learner.id]["status"] == "present" and by_user[setup.learner.id]["minutes"] == 40.0
    assert by_user[absent.id]["status"] == "late" and by_user[absent.id]["manual_status"] == "late"
    admin = get(client, factory.admin(), f"/live-sessions/{setup.session.id}/attendance")
    assert admin.status_code == 200


def test_bad_paging_is_422(client, factory):
    setup = make_live(factory)
    assert_error(get(client, setup.lecturer, f"/live-sessions/{setup.session.id}/attendance?page=0"), 422, "invalid")


# ---- refusals ---------------------------------------------------------------------------------------------

def test_without_a_token_is_401(client, factory):
    setup = make_live(factory)
    for path in (f"/courses/{setup.course.id}/live-sessions", f"/live-sessions/{setup.session.id}",
                 f"/live-sessions/{setup.session.id}/attendance/mine", f"/live-sessions/{setup.session.id}/attendance"):
        assert_error(client.get(f"{API}{path}"), 401, "unauthorized")


def test_a_learner_not_enrolled_is_403(client, factory):
    setup = make_live(factory)
    outsider = factory.user()
    for path in (f"/courses/{setup.course.id}/live-sessions", f"/live-sessions/{setup.session.id}",
                 f"/live-sessions/{setup.session.id}/attendance/mine"):
        assert_error(get(client, outsider, path), 403, "forbidden")


def test_a_withdrawn_learner_is_403(client, factory):
    setup = make_live(factory)
    course_services.unenrol(setup.lecturer, course_services.enrolment_of(setup.learner.id, setup.course.id))
    assert_error(get(client, setup.learner, f"/live-sessions/{setup.session.id}"), 403, "forbidden")


def test_learners_and_other_lecturers_cannot_read_the_sheet(client, factory):
    setup = make_live(factory)
    other = factory.lecturer()
    for user in (setup.learner, other):
        assert_error(get(client, user, f"/live-sessions/{setup.session.id}/attendance"), 403, "forbidden")


def test_a_draft_course_hides_its_sessions(client, factory):
    setup = make_live(factory)
    course_services.set_state(setup.lecturer, setup.course, CourseState.DRAFT)
    for path in (f"/courses/{setup.course.id}/live-sessions", f"/live-sessions/{setup.session.id}",
                 f"/live-sessions/{setup.session.id}/attendance/mine"):
        assert_error(get(client, setup.learner, path), 404, "not_found")
    assert get(client, setup.lecturer, f"/live-sessions/{setup.session.id}").status_code == 200


def test_unknown_session_is_404(client, factory):
    setup = make_live(factory)
    assert_error(get(client, setup.learner, "/live-sessions/999999"), 404, "not_found")
    assert_error(get(client, setup.learner, "/courses/999999/live-sessions"), 404, "not_found")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_description_is_sanitised(client, factory, payload):
    setup = make_live(factory)
    setup.session.description = payload  # even stored raw, it is cleaned on the way out
    db.session.commit()
    body = get(client, setup.learner, f"/live-sessions/{setup.session.id}").get_json()
    assert problems(body["description_html"]) == [], body["description_html"]


def test_times_are_utc(client, factory):
    setup = make_live(factory)
    body = get(client, setup.learner, f"/live-sessions/{setup.session.id}").get_json()
    assert body["starts_at"].endswith("Z") and body["opens_at"] < body["starts_at"] < body["ends_at"]
