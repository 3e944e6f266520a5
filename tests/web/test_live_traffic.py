"""Issue point 9: one minute of an active class costs one learner under 100 KB.

The minute, on a simulated clock (the server's clock and the namespace's rate-limit clock move one second per
step): the lecturer writes a chat line every second, 20 other learners each write one line every 10 s, the lecturer
opens a poll that everyone answers and closes it, and turns a slide; the measured learner votes and sends its two
heartbeats. What that learner's client receives (room events, state updates, its own acknowledgements) is
serialised as it goes on the wire: the Socket.IO packet with the server's own encoder, one byte of Engine.IO
framing, plus the Engine.IO ping/pong of the minute.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from socketio import packet

from elearn.accounts import services as account_services
from elearn.core import clock
from elearn.extensions import socketio
from elearn.live import events
from tests.live_factories import enrol, make_live

NS = "/live"
CHATTERS = 20
LIMIT = 100 * 1024
LECTURER_LINE = "Các đồng chí chú ý: theo Nghị quyết 57, chuyển đổi số ở cấp xã cần bắt đầu từ dữ liệu dân cư, {}."
LEARNER_LINE = "Thưa thầy, ở xã em mạng 3G yếu, hồ sơ một cửa có nộp trực tuyến được không ạ? (lần {})"


@pytest.fixture(autouse=True)
def _fresh_limits():
    events._clients.clear()
    events._sids_by_user.clear()
    events._chat_windows.clear()
    yield
    events._clients.clear()
    events._sids_by_user.clear()
    events._chat_windows.clear()
    for name in ("_send_packet", "_send_eio_packet"):
        socketio.server.__dict__.pop(name, None)


def _wire_bytes(kind: int, data: list, ack_id: int | None = None) -> int:
    """Bytes of one Socket.IO packet in an Engine.IO message frame ("4" + the encoded packet), as UTF-8."""
    encoded = socketio.server.packet_class(kind, namespace=NS, data=data, id=ack_id).encode()
    return 1 + len(encoded.encode("utf-8"))


def _token_client(app, user):
    _row, secret = account_services.create_api_token(user, "app")
    return socketio.test_client(app, namespace=NS, auth={"token": secret})


def test_one_minute_of_an_active_class_costs_one_learner_under_100_kb(app, factory, monkeypatch):
    setup = make_live(factory, slides=True)
    chatters = []
    for i in range(CHATTERS):
        user = factory.user(f"hocvien{i:02d}", full_name=f"Học Viên Số {i:02d}")
        enrol(setup, user)
        chatters.append(user)

    seconds = [0.0]
    monkeypatch.setattr(events, "time", SimpleNamespace(monotonic=lambda: seconds[0]))
    start = clock.now()
    monkeypatch.setattr(clock, "_frozen", start)

    lecturer = _token_client(app, setup.lecturer)
    me = _token_client(app, setup.learner)
    others = [_token_client(app, user) for user in chatters]
    for sock in (lecturer, me, *others):
        assert sock.emit("join", {"session_id": setup.session.id}, namespace=NS, callback=True)["ok"]
    me.get_received(NS)  # the join snapshot and the others' arrivals: first load, not the minute

    acks: list[dict] = []
    poll_id = None
    for second in range(60):
        seconds[0] = second + 1.0
        monkeypatch.setattr(clock, "_frozen", start + timedelta(seconds=second))
        ack = lecturer.emit("chat", {"text": LECTURER_LINE.format(second), "cid": f"l{second}"}, namespace=NS,
                            callback=True)
        assert ack["ok"], ack
        for i, sock in enumerate(others):
            if second % 10 == i % 10:  # two learners a second, each one line every 10 s
                assert sock.emit("chat", {"text": LEARNER_LINE.format(second), "cid": f"c{i}-{second}"}, namespace=NS,
                                 callback=True)["ok"]
        if second == 5:
            poll_id = lecturer.emit("poll_open", {"question": "Xã mình đã có bộ phận một cửa điện tử chưa?",
                                                  "options": ["Đã có", "Đang triển khai", "Chưa có"]},
                                    namespace=NS, callback=True)["id"]
        if 6 <= second < 6 + CHATTERS:
            assert others[second - 6].emit("vote", {"poll_id": poll_id, "option": second % 3}, namespace=NS,
                                           callback=True)["ok"]
        if second == 8:
            acks.append(me.emit("vote", {"poll_id": poll_id, "option": 0}, namespace=NS, callback=True))
        if second == 40:
            assert lecturer.emit("poll_close", {"poll_id": poll_id}, namespace=NS, callback=True)["ok"]
        if second == 45:
            assert lecturer.emit("slide", {"lesson_id": setup.slides.id, "page": 2}, namespace=NS, callback=True)["ok"]
        if second in (29, 59):
            acks.append(me.emit("ping", {}, namespace=NS, callback=True))
    for sock in (lecturer, *others):
        sock.get_received(NS)

    packets = me.get_received(NS)
    kinds = [p["args"][0].get("kind") for p in packets if p["name"] in ("ev", "state")]
    assert kinds.count("chat") == 60 + 6 * CHATTERS  # every line of the minute reached the learner
    assert {"poll", "poll_closed", "slide", "poll_results"} <= set(kinds)
    assert all(a["ok"] for a in acks)
    total = sum(_wire_bytes(packet.EVENT, [p["name"], *p["args"]]) for p in packets)
    total += sum(_wire_bytes(packet.ACK, [a], ack_id=n) for n, a in enumerate(acks))
    total += 2 * 2  # Engine.IO ping "2" and pong "3", every 25 s
    print(f"\none minute of an active class for one learner: {len(packets)} packets, {total} bytes")
    assert total < LIMIT, total
