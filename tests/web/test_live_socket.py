"""The /live Socket.IO namespace through flask-socketio's test client: authentication, permissions re-checked on
every event, chat rules, polls, slides, hands, and the reconnect replay with idempotent retries."""
from __future__ import annotations

import pytest

from elearn.accounts import services as account_services
from elearn.core.audit import AuditEntry
from elearn.courses import services as course_services
from elearn.extensions import db, socketio
from elearn.live import events, services
from elearn.live.models import LiveMessage, LivePollVote, LivePresence
from tests.live_factories import enrol, make_live, signed_in

NS = "/live"


@pytest.fixture(autouse=True)
def _fresh_limits():
    events._clients.clear()
    events._sids_by_user.clear()
    events._chat_windows.clear()
    events._presence_touched.clear()
    events._presence_counts.clear()
    yield
    events._clients.clear()
    events._sids_by_user.clear()
    events._chat_windows.clear()
    events._presence_touched.clear()
    events._presence_counts.clear()
    for name in ("_send_packet", "_send_eio_packet"):  # the test client's stand-ins: leave the server as found
        socketio.server.__dict__.pop(name, None)


def connect(app, user=None, browser=None, **kw):
    browser = browser or (signed_in(app, user) if user is not None else app.test_client())
    return socketio.test_client(app, namespace=NS, flask_test_client=browser, **kw)


def joined(app, setup, user, last_seq=None):
    sock = connect(app, user)
    assert sock.is_connected(NS)
    ack = sock.emit("join", {"session_id": setup.session.id, **({"last_seq": last_seq} if last_seq is not None else {})},
                    namespace=NS, callback=True)
    assert ack["ok"], ack
    return sock, ack


def received(sock, name="ev"):
    return [m["args"][0] for m in sock.get_received(NS) if m["name"] == name]


def departed(states) -> set[int]:
    """The people the presence digests among these `state` messages report gone."""
    return {uid for st in states if st["kind"] == "presence" for uid in st["data"]["left"]}


# ---- connection --------------------------------------------------------------------------------------

def test_connect_without_login_is_refused(app, factory):
    assert not connect(app).is_connected(NS)


def test_connect_with_a_bad_token_is_refused(app, factory):
    assert not connect(app, auth={"token": "elt_not-a-token"}).is_connected(NS)


def test_connect_from_a_foreign_origin_is_refused(app, factory):
    setup = make_live(factory)
    sock = connect(app, setup.learner, headers={"Origin": "https://evil.example"})
    assert not sock.is_connected(NS)
    same = connect(app, setup.learner, headers={"Origin": "http://localhost"})
    assert same.is_connected(NS)


def test_api_token_of_a_learner_not_enrolled_connects_but_cannot_join(app, factory):
    setup = make_live(factory)
    outsider = factory.user()
    _row, secret = account_services.create_api_token(outsider, "bot")
    sock = connect(app, auth={"token": secret})
    assert sock.is_connected(NS)
    ack = sock.emit("join", {"session_id": setup.session.id}, namespace=NS, callback=True)
    assert ack == {"ok": False, "error": "forbidden"}
    # and nothing of the room reaches it
    assert sock.emit("chat", {"text": "xin chào"}, namespace=NS, callback=True)["error"] == "not_joined"


def test_api_token_of_an_enrolled_learner_joins(app, factory):
    setup = make_live(factory)
    _row, secret = account_services.create_api_token(setup.learner, "app")
    sock = connect(app, auth={"token": secret})
    ack = sock.emit("join", {"session_id": setup.session.id}, namespace=NS, callback=True)
    assert ack["ok"] and ack["state"]["me"]["user_id"] == setup.learner.id


def test_the_room_is_closed_to_learners_before_the_join_window(app, factory):
    setup = make_live(factory, starts_in=60)
    sock = connect(app, setup.learner)
    assert sock.emit("join", {"session_id": setup.session.id}, namespace=NS, callback=True)["error"] == "closed"
    lecturer = connect(app, setup.lecturer)
    assert lecturer.emit("join", {"session_id": setup.session.id}, namespace=NS, callback=True)["ok"]


# ---- permission checked on every event -------------------------------------------------------------

def test_unenrolled_learner_is_removed_on_the_next_event(app, factory):
    setup = make_live(factory)
    sock, _ = joined(app, setup, setup.learner)
    enrolment = course_services.enrolment_of(setup.learner.id, setup.course.id)
    enrolment.state = "withdrawn"  # changed behind the services' back (no hook ran): the guard still catches it
    db.session.commit()
    ack = sock.emit("chat", {"text": "còn đây không?"}, namespace=NS, callback=True)
    assert ack == {"ok": False, "error": "forbidden"}
    assert not sock.is_connected(NS)
    assert db.session.query(LiveMessage).count() == 0
    stay = db.session.query(LivePresence).one()
    assert stay.left_at is not None  # attendance stops at removal


def test_disabled_person_is_removed_on_the_next_event(app, factory):
    setup = make_live(factory)
    sock, _ = joined(app, setup, setup.learner)
    watcher, _ = joined(app, setup, setup.lecturer)
    watcher.get_received(NS)
    setup.learner.active = False
    db.session.commit()
    assert sock.emit("ping", {}, namespace=NS, callback=True) == {"ok": False, "error": "unauthorized"}
    assert not sock.is_connected(NS)
    assert setup.learner.id in departed(received(watcher, "state"))


def _removed_packets(sock):
    """What reached a client before it was disconnected (the test client keeps its queue)."""
    return [m["args"][0] for m in sock.queue if m["namespace"] == NS and m["name"] == "removed"]


def test_withdrawing_an_enrolment_removes_the_idle_learner_at_once(app, factory):
    setup = make_live(factory)
    sock, _ = joined(app, setup, setup.learner)
    watcher, _ = joined(app, setup, setup.lecturer)
    watcher.get_received(NS)
    enrolment = course_services.enrolment_of(setup.learner.id, setup.course.id)
    course_services.unenrol(setup.lecturer, enrolment)  # the learner sends nothing: no heartbeat needed
    assert not sock.is_connected(NS)
    assert _removed_packets(sock) == [{"reason": "forbidden"}]
    assert db.session.query(LivePresence).filter_by(user_id=setup.learner.id).one().left_at is not None
    assert setup.learner.id in departed(received(watcher, "state"))
    assert watcher.is_connected(NS)
    assert setup.learner.id not in events._sids_by_user


def test_withdrawal_from_one_course_leaves_the_rooms_of_another(app, factory):
    setup = make_live(factory)
    other = make_live(factory, learner=setup.learner)
    here, _ = joined(app, setup, setup.learner)
    there, _ = joined(app, other, setup.learner)
    course_services.unenrol(setup.lecturer, course_services.enrolment_of(setup.learner.id, setup.course.id))
    assert not here.is_connected(NS)
    assert there.is_connected(NS)
    assert there.emit("chat", {"text": "vẫn ở đây"}, namespace=NS, callback=True)["ok"]


def test_disabling_a_person_removes_every_connection_at_once(app, factory):
    setup = make_live(factory)
    admin = factory.admin()
    first, _ = joined(app, setup, setup.learner)
    second, _ = joined(app, setup, setup.learner)  # a second tab
    idle = connect(app, setup.learner)  # connected, not in a room yet
    watcher, _ = joined(app, setup, setup.lecturer)
    watcher.get_received(NS)
    account_services.set_active(admin, setup.learner, False)
    for sock in (first, second, idle):
        assert not sock.is_connected(NS)
        assert _removed_packets(sock) == [{"reason": "unauthorized"}]
    assert db.session.query(LivePresence).filter(LivePresence.user_id == setup.learner.id,
                                                 LivePresence.left_at.is_(None)).count() == 0
    assert setup.learner.id in departed(received(watcher, "state"))
    assert watcher.is_connected(NS)


def test_a_stay_left_open_by_a_vanished_process_is_closed_on_removal(app, factory):
    from elearn.live import services as live_services

    setup = make_live(factory)
    live_services.enter(setup.session, setup.learner, "sid-of-a-dead-process")
    assert events.remove_person(setup.learner.id) == ["sid-of-a-dead-process"]
    assert db.session.query(LivePresence).one().left_at is not None


def test_logged_out_browser_is_removed(app, factory):
    setup = make_live(factory)
    browser = signed_in(app, setup.learner)
    sock = connect(app, browser=browser)
    assert sock.emit("join", {"session_id": setup.session.id}, namespace=NS, callback=True)["ok"]
    from tests.conftest import csrf_token
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    assert sock.emit("ping", {}, namespace=NS, callback=True)["error"] == "unauthorized"


@pytest.mark.parametrize("event, data", [
    ("poll_open", {"question": "?", "options": ["a", "b"]}),
    ("slide", {"lesson_id": 1, "page": 2}),
    ("mute", {"user_id": 1, "muted": True}),
    ("delete", {"id": 1}),
    ("answered", {"id": 1}),
    ("hand_ack", {"user_id": 1}),
    ("poll_close", {"poll_id": 1}),
])
def test_learner_sending_lecturer_events_is_refused_and_logged(app, factory, event, data):
    setup = make_live(factory)
    sock, _ = joined(app, setup, setup.learner)
    ack = sock.emit(event, data, namespace=NS, callback=True)
    assert ack == {"ok": False, "error": "forbidden"}
    assert sock.is_connected(NS)  # refused, not thrown out: still enrolled
    entry = db.session.query(AuditEntry).filter_by(action="live.refused").one()
    assert entry.actor_id == setup.learner.id and entry.after == {"event": event}


# ---- chat -----------------------------------------------------------------------------------------------

def test_chat_reaches_everyone_as_plain_text(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    sock, _ = joined(app, setup, setup.learner)
    lecturer.get_received(NS)
    payload = '<img src=x onerror="alert(1)"> Xin chào\u202e'
    ack = sock.emit("chat", {"text": payload, "cid": "c1"}, namespace=NS, callback=True)
    assert ack["ok"]
    [ev] = received(lecturer)
    assert ev["kind"] == "chat" and ev["data"]["text"] == '<img src=x onerror="alert(1)"> Xin chào'
    assert ev["data"]["name"] == setup.learner.full_name and ev["seq"] == ack["seq"]


@pytest.mark.parametrize("text", ["x" * 1_000_000, "", "   ", 42, None])
def test_oversized_or_empty_chat_is_refused(app, factory, text):
    setup = make_live(factory)
    sock, _ = joined(app, setup, setup.learner)
    ack = sock.emit("chat", {"text": text}, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"] == "invalid"
    assert db.session.query(LiveMessage).count() == 0


def test_chat_flood_is_throttled_and_others_keep_chatting(app, factory, monkeypatch):
    class Instant:  # the 1,000 messages arrive within one second, however slow the database under test
        @staticmethod
        def monotonic():
            return 1000.0

    monkeypatch.setattr(events, "time", Instant)
    setup = make_live(factory)
    other = factory.user()
    enrol(setup, other)
    flooder, _ = joined(app, setup, setup.learner)
    calm, _ = joined(app, setup, other)
    acks = [flooder.emit("chat", {"text": f"spam {i}"}, namespace=NS, callback=True) for i in range(1000)]
    assert sum(1 for a in acks if a["ok"]) == events.CHAT_LIMIT[0]
    assert {a["error"] for a in acks if not a["ok"]} == {"rate_limited"}
    assert calm.emit("chat", {"text": "tôi vẫn gửi được"}, namespace=NS, callback=True)["ok"]
    assert db.session.query(LiveMessage).count() == events.CHAT_LIMIT[0] + 1


def test_lecturer_deletes_a_message_and_mutes_a_person(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    sock, _ = joined(app, setup, setup.learner)
    message_id = sock.emit("chat", {"text": "nội dung sai"}, namespace=NS, callback=True)["id"]
    lecturer.get_received(NS)
    assert lecturer.emit("delete", {"id": message_id}, namespace=NS, callback=True)["ok"]
    assert lecturer.emit("mute", {"user_id": setup.learner.id, "muted": True}, namespace=NS, callback=True)["ok"]
    kinds = [e["kind"] for e in received(sock)]
    assert kinds[-2:] == ["deleted", "muted"]
    ack = sock.emit("chat", {"text": "cho tôi nói"}, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"] == "muted"
    assert sock.emit("ask", {"text": "câu hỏi"}, namespace=NS, callback=True)["error"] == "muted"
    # a reconnecting client never gets the deleted text back
    replay = sock.emit("sync", {"last_seq": 0}, namespace=NS, callback=True)
    chat = [e for e in replay["missed"] if e["kind"] == "chat"]
    assert chat[0]["data"]["text"] == "" and chat[0]["data"]["deleted"]
    assert replay["state"]["chat"] == [] and replay["state"]["me"]["muted"]
    assert lecturer.emit("mute", {"user_id": setup.learner.id, "muted": False}, namespace=NS, callback=True)["ok"]
    assert sock.emit("chat", {"text": "cảm ơn"}, namespace=NS, callback=True)["ok"]


# ---- questions and hands ------------------------------------------------------------------------------

def test_questions_upvotes_and_answered(app, factory):
    setup = make_live(factory)
    other = factory.user()
    enrol(setup, other)
    lecturer, _ = joined(app, setup, setup.lecturer)
    asker, _ = joined(app, setup, setup.learner)
    voter, _ = joined(app, setup, other)
    qid = asker.emit("ask", {"text": "Khi nào nộp bài?", "cid": "q1"}, namespace=NS, callback=True)["id"]
    assert asker.emit("upvote", {"id": qid}, namespace=NS, callback=True)["ok"] is False  # not one's own
    assert voter.emit("upvote", {"id": qid}, namespace=NS, callback=True)["upvotes"] == 1
    assert voter.emit("upvote", {"id": qid}, namespace=NS, callback=True)["upvotes"] == 1  # once per person
    assert lecturer.emit("answered", {"id": qid}, namespace=NS, callback=True)["ok"]
    state = voter.emit("sync", {}, namespace=NS, callback=True)["state"]
    assert state["questions"] == [{"id": qid, "user_id": setup.learner.id, "name": setup.learner.full_name,
                                   "text": "Khi nào nộp bài?", "upvotes": 1, "answered": True, "upvoted": True}]


def test_raise_lower_and_acknowledge_hand(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    sock, _ = joined(app, setup, setup.learner)
    assert sock.emit("hand", {"raised": True}, namespace=NS, callback=True)["ok"]
    hands = lecturer.emit("sync", {}, namespace=NS, callback=True)["state"]["hands"]
    assert hands == [{"user_id": setup.learner.id, "name": setup.learner.full_name}]
    assert lecturer.emit("hand_ack", {"user_id": setup.learner.id}, namespace=NS, callback=True)["ok"]
    assert [e["kind"] for e in received(sock)][-1] == "hand_ack"
    assert lecturer.emit("sync", {}, namespace=NS, callback=True)["state"]["hands"] == []
    sock.emit("hand", {"raised": True}, namespace=NS, callback=True)
    assert sock.emit("hand", {"raised": False}, namespace=NS, callback=True)["ok"]
    assert lecturer.emit("sync", {}, namespace=NS, callback=True)["state"]["hands"] == []


# ---- polls -----------------------------------------------------------------------------------------------

def _poll(lecturer, **kw):
    data = {"question": "Nghị quyết 57 ban hành năm nào?", "options": ["2023", "2024", "2025"], **kw}
    ack = lecturer.emit("poll_open", data, namespace=NS, callback=True)
    assert ack["ok"], ack
    return ack["id"]


def test_one_vote_per_person_ignore_mode(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    sock, _ = joined(app, setup, setup.learner)
    poll_id = _poll(lecturer, correct=1)
    opened = [e for e in received(sock) if e["kind"] == "poll"][0]
    assert opened["data"]["correct"] is None  # the right answer is not revealed while open
    first = sock.emit("vote", {"poll_id": poll_id, "option": 1}, namespace=NS, callback=True)
    again = sock.emit("vote", {"poll_id": poll_id, "option": 2}, namespace=NS, callback=True)
    assert first["counted"] and not again["counted"] and again["counts"] == [0, 1, 0] and again["mine"] == 1
    results = received(lecturer, "state")
    assert {"kind": "poll_results", "data": {"id": poll_id, "counts": [0, 1, 0]}} in results
    assert lecturer.emit("poll_close", {"poll_id": poll_id}, namespace=NS, callback=True)["ok"]
    late = sock.emit("vote", {"poll_id": poll_id, "option": 0}, namespace=NS, callback=True)
    assert late["ok"] is False and late["error"] == "closed"
    closed = [e for e in received(sock) if e["kind"] == "poll_closed"][0]
    assert closed["data"]["counts"] == [0, 1, 0] and closed["data"]["correct"] == 1
    assert db.session.query(LivePollVote).count() == 1  # saved


def test_replace_mode_and_bad_votes(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    sock, _ = joined(app, setup, setup.learner)
    poll_id = _poll(lecturer, revote="replace")
    sock.emit("vote", {"poll_id": poll_id, "option": 0}, namespace=NS, callback=True)
    ack = sock.emit("vote", {"poll_id": poll_id, "option": 2}, namespace=NS, callback=True)
    assert ack["counted"] and ack["counts"] == [0, 0, 1]
    for option in (3, -1, "1", None, True):
        assert sock.emit("vote", {"poll_id": poll_id, "option": option}, namespace=NS, callback=True)["ok"] is False
    # a vote "for another person" is impossible: the voter is always the connection's own user
    ack = sock.emit("vote", {"poll_id": poll_id, "option": 1, "user_id": setup.lecturer.id}, namespace=NS, callback=True)
    assert db.session.query(LivePollVote).filter_by(user_id=setup.lecturer.id).count() == 0
    assert sock.emit("vote", {"poll_id": 99999, "option": 0}, namespace=NS, callback=True)["error"] == "not_found"


def test_poll_of_another_session_cannot_be_voted_from_here(app, factory):
    one = make_live(factory)
    two = make_live(factory, learner=one.learner)
    lecturer, _ = joined(app, two, two.lecturer)
    foreign_poll = _poll(lecturer)
    sock, _ = joined(app, one, one.learner)
    assert sock.emit("vote", {"poll_id": foreign_poll, "option": 0}, namespace=NS, callback=True)["error"] == "not_found"


# ---- slides ---------------------------------------------------------------------------------------------

def test_slide_change_reaches_learners_and_a_late_joiner_lands_on_the_current_page(app, factory):
    setup = make_live(factory, slides=True)
    lecturer, _ = joined(app, setup, setup.lecturer)
    early, _ = joined(app, setup, setup.learner)
    assert lecturer.emit("slide", {"lesson_id": setup.slides.id, "page": 3}, namespace=NS, callback=True)["ok"]
    [ev] = [e for e in received(early) if e["kind"] == "slide"]
    assert ev["data"]["page"] == 3 and ev["data"]["url"].endswith(f"/lessons/{setup.slides.id}/file")
    late_user = factory.user()
    enrol(setup, late_user)
    _late, ack = joined(app, setup, late_user)
    assert ack["state"]["slide"] == ev["data"]
    other_course_lesson = 123456
    assert lecturer.emit("slide", {"lesson_id": other_course_lesson, "page": 1}, namespace=NS, callback=True)["ok"] is False


# ---- presence and attendance ---------------------------------------------------------------------------

def test_presence_and_join_leave_recorded(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    lecturer.get_received(NS)
    sock, ack = joined(app, setup, setup.learner)
    # a learner's snapshot lists the lecturers here and counts everyone; the lecturer's lists everyone
    assert [p["user_id"] for p in ack["state"]["present"]] == [setup.lecturer.id]
    assert ack["state"]["present_count"] == 2 and ack["state"]["present_more"] is False
    arrival = received(lecturer, "state")[0]
    assert arrival == {"kind": "presence", "data": {"count": 2, "left": [], "joined": [
        {"user_id": setup.learner.id, "name": setup.learner.full_name, "lecturer": False}]}}
    _again, staff_ack = joined(app, setup, setup.lecturer)
    assert {p["user_id"] for p in staff_ack["state"]["present"]} == {setup.lecturer.id, setup.learner.id}
    sock.disconnect(NS)
    assert received(lecturer, "state")[-1] == {"kind": "presence",
                                               "data": {"count": 1, "joined": [], "left": [setup.learner.id]}}
    stays = db.session.query(LivePresence).filter_by(user_id=setup.learner.id).all()
    assert len(stays) == 1 and stays[0].left_at is not None and stays[0].left_at >= stays[0].joined_at


def test_presence_changes_go_out_as_one_digest(app, factory, monkeypatch):
    """Arrivals are not broadcast one by one (2,000 joins would make 2 million messages): a digest every second
    or two carries them; the lecturers get the names, the learners the count and the lecturers' comings."""
    monkeypatch.setitem(app.config, "LIVE_PRESENCE_SECONDS", 2.0)
    monkeypatch.setattr(events, "_start_presence_loop", lambda every: None)  # the test sends the digest itself
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    people = [setup.learner] + [factory.user(full_name=f"Học Viên Số {i}") for i in range(2)]
    for person in people[1:]:
        enrol(setup, person)
    learners = [joined(app, setup, person)[0] for person in people]
    assert received(lecturer, "state") == [] and received(learners[0], "state") == []  # nothing per arrival
    assert events.send_presence() == 1
    [staff] = received(lecturer, "state")
    assert staff["kind"] == "presence" and staff["data"]["count"] == 4 and staff["data"]["left"] == []
    by_name = sorted(people, key=lambda p: (p.full_name, p.id))
    assert [p["user_id"] for p in staff["data"]["joined"]] == [setup.lecturer.id] + [p.id for p in by_name]
    for sock in learners:
        assert received(sock, "state") == [{"kind": "presence", "data": {"count": 4, "left": [], "joined": [
            {"user_id": setup.lecturer.id, "name": setup.lecturer.full_name, "lecturer": True}]}}]
    assert events.send_presence() == 0  # nothing new, nothing sent
    learners[1].disconnect(NS)
    learners[2].disconnect(NS)
    assert received(lecturer, "state") == []
    events.send_presence()
    assert received(lecturer, "state") == [{"kind": "presence", "data": {
        "count": 2, "joined": [], "left": sorted([people[1].id, people[2].id])}}]
    assert received(learners[0], "state") == [{"kind": "presence", "data": {"count": 2, "joined": [], "left": []}}]


def test_lecturers_page_through_everyone_here_and_learners_see_the_lecturers(app, factory, monkeypatch):
    monkeypatch.setattr(services, "PRESENT_PAGE", 2)
    setup = make_live(factory)
    people = [setup.learner] + [factory.user(full_name=f"Học Viên Số {i}") for i in range(2)]
    for person in people[1:]:
        enrol(setup, person)
    learners = [joined(app, setup, person)[0] for person in people]
    lecturer, ack = joined(app, setup, setup.lecturer)
    state = ack["state"]
    assert state["present_count"] == 4 and state["present_more"] is True
    assert len(state["present"]) == 2 and state["present"][0]["user_id"] == setup.lecturer.id
    page = lecturer.emit("present", {"offset": 2}, namespace=NS, callback=True)
    assert page["ok"] and page["count"] == 4 and page["more"] is False and len(page["present"]) == 2
    everyone = {p["user_id"] for p in state["present"] + page["present"]}
    assert everyone == {setup.lecturer.id, *(p.id for p in people)}
    mine = learners[0].emit("present", {"offset": 0}, namespace=NS, callback=True)
    assert mine == {"ok": True, "count": 4, "more": False, "present": [
        {"user_id": setup.lecturer.id, "name": setup.lecturer.full_name, "lecturer": True}]}
    outsider = connect(app, factory.user())
    assert outsider.emit("present", {}, namespace=NS, callback=True) == {"ok": False, "error": "not_joined"}


def test_a_lecturer_taken_off_the_course_gets_the_learners_digest_from_the_next_event(app, factory):
    setup = make_live(factory)
    assistant = factory.lecturer(full_name="Trợ Giảng Mai")
    course_services.set_lecturers(setup.lecturer, setup.course, {setup.lecturer.id, assistant.id})
    enrol(setup, assistant)  # also enrolled: may stay in the room as a learner
    sock, ack = joined(app, setup, assistant)
    assert ack["state"]["me"]["lecturer"] is True
    course_services.set_lecturers(setup.lecturer, setup.course, {setup.lecturer.id})
    assert sock.emit("ping", {}, namespace=NS, callback=True) == {"ok": True}
    sock.get_received(NS)
    _learner, _ = joined(app, setup, setup.learner)
    [digest] = received(sock, "state")
    assert [p["user_id"] for p in digest["data"]["joined"]] == []  # no names of learners any more
    assert sock.emit("poll_open", {"question": "?", "options": ["a", "b"]}, namespace=NS,
                     callback=True)["error"] == "forbidden"


# ---- reconnection ---------------------------------------------------------------------------------------

def test_reconnecting_client_gets_every_missed_message_in_order(app, factory):
    setup = make_live(factory)
    other = factory.user()
    enrol(setup, other)
    talker, _ = joined(app, setup, other)
    lecturer, _ = joined(app, setup, setup.lecturer)
    sock, ack = joined(app, setup, setup.learner)
    last_seq = ack["state"]["seq"]
    sock.disconnect(NS)  # the learner's link drops
    sent = []
    for i in range(12):
        who = talker if i % 2 else lecturer
        text = f"tin nhắn {i}"
        if i < 10 or who is lecturer:
            assert who.emit("chat", {"text": text}, namespace=NS, callback=True)["ok"]
            sent.append(text)
    poll_id = _poll(lecturer)
    back, ack = joined(app, setup, setup.learner, last_seq=last_seq)
    missed = ack["missed"]
    assert [e["data"]["text"] for e in missed if e["kind"] == "chat"] == sent
    seqs = [e["seq"] for e in missed]
    assert seqs == sorted(seqs) and seqs == list(range(last_seq + 1, last_seq + 1 + len(seqs)))
    assert ack["state"]["polls"][0]["id"] == poll_id and ack["more"] is False


def test_a_retried_action_is_applied_once(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    sock, _ = joined(app, setup, setup.learner)
    lecturer.get_received(NS)
    first = sock.emit("chat", {"text": "gửi khi mạng chập chờn", "cid": "abc-1"}, namespace=NS, callback=True)
    # the acknowledgement was lost: the client reconnects and sends the queued message again
    sock.disconnect(NS)
    again_sock, _ = joined(app, setup, setup.learner)
    retry = again_sock.emit("chat", {"text": "gửi khi mạng chập chờn", "cid": "abc-1"}, namespace=NS, callback=True)
    assert retry["ok"] and retry["duplicate"] and retry["seq"] == first["seq"] and retry["id"] == first["id"]
    assert db.session.query(LiveMessage).count() == 1
    assert len([e for e in received(lecturer) if e["kind"] == "chat"]) == 1
    q1 = again_sock.emit("ask", {"text": "hỏi", "cid": "q-7"}, namespace=NS, callback=True)
    q2 = again_sock.emit("ask", {"text": "hỏi", "cid": "q-7"}, namespace=NS, callback=True)
    assert q1["seq"] == q2["seq"] and db.session.query(LiveMessage).filter_by(kind="question").count() == 1


def test_sync_fills_a_gap(app, factory):
    setup = make_live(factory)
    lecturer, _ = joined(app, setup, setup.lecturer)
    for i in range(3):
        lecturer.emit("chat", {"text": f"m{i}"}, namespace=NS, callback=True)
    sock, ack = joined(app, setup, setup.learner)
    seq = ack["state"]["seq"]
    replay = sock.emit("sync", {"last_seq": seq - 2}, namespace=NS, callback=True)
    assert [e["data"]["text"] for e in replay["missed"]] == ["m1", "m2"]
