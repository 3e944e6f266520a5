"""The /live Socket.IO namespace: one room per session.

A connection is authenticated from the signed-in browser session (the same server-side login as the pages) or
an API token (`auth={"token": ...}` or an `Authorization: Bearer` header), and refused otherwise; a foreign
Origin is refused. Every event checks the person's permission again (a disabled or unenrolled person is removed
at once), is rate-limited, and answers through its acknowledgement: {"ok": true, ...} or {"ok": false, "error"}.
Room events carry the room's sequence id (`seq`); `join` with `last_seq`, or `sync`, replays what was missed.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app, request, session, url_for
from flask_socketio import Namespace, disconnect, emit, join_room, leave_room

from elearn.core import audit, authz
from elearn.extensions import db
from elearn.live import domain, services

NAMESPACE = "/live"
EVENTS_PER_SECOND = 20  # any event, per connection: a flood is dropped before it reaches the database
CHAT_LIMIT = (5, 10.0)  # chat lines and questions per person and session: 5 in any 10 seconds
SEEN_EVERY = 30.0  # seconds between updates of a connection's last sign of life


@dataclass
class Client:
    user_id: int
    via: str  # "session" (browser login) or "token" (API token)
    secret: str  # the login session token or the API token: checked again on every event
    session_id: int | None = None
    events: domain.RateWindow = field(default_factory=lambda: domain.RateWindow(EVENTS_PER_SECOND, 1.0))
    seen: float = 0.0
    manager: bool = False  # joined as one who runs the room: in its staff room (full presence list)


_clients: dict[str, Client] = {}
_sids_by_user: dict[int, set[str]] = {}  # this process's connections of each person
_chat_windows: dict[tuple[int, int], domain.RateWindow] = {}
_lock = threading.Lock()
_presence_touched: dict[int, set[int]] = {}  # session id -> people who joined or left since its last digest
_presence_counts: dict[int, int] = {}  # session id -> the count in its last digest for the learners
_presence_loop: list[int] = []  # the process id whose background loop sends the digests (started once)


def room(session_id: int) -> str:
    """Everyone in a session: room events go here."""
    return f"live:{session_id}"


def staff_room(session_id: int) -> str:
    """Those who run the session (lecturers, admins): the full presence digest."""
    return f"live:{session_id}:staff"


def crowd_room(session_id: int) -> str:
    """The learners of a session: the short presence digest (count, lecturers)."""
    return f"live:{session_id}:crowd"


def user_room(user_id: int) -> str:
    """Every /live connection of a person, in any process (the message queue carries emits to it)."""
    return f"user:{user_id}"


def _forget(sid: str) -> Client | None:
    with _lock:
        client = _clients.pop(sid, None)
        if client is not None:
            sids = _sids_by_user.get(client.user_id)
            if sids is not None:
                sids.discard(sid)
                if not sids:
                    del _sids_by_user[client.user_id]
    return client


def _file_url(live_session) -> str:
    return url_for("courses.lesson_file", course_id=live_session.course_id, lesson_id=live_session.slide_lesson_id)


# ---- authentication -------------------------------------------------------------------------------

def origin_allowed(origin: str | None) -> bool:
    """No Origin (a non-browser client) is fine; a browser's Origin must be this site's."""
    if not origin:
        return True
    allowed = {request.host_url.rstrip("/").lower()}
    site = current_app.config.get("SITE_URL", "")
    if site:
        parts = urlsplit(site)
        allowed.add(f"{parts.scheme}://{parts.netloc}".lower())
    allowed.update(o.rstrip("/").lower() for o in current_app.config.get("LIVE_ALLOWED_ORIGINS", ()))
    return origin.rstrip("/").lower() in allowed


def _user_from(via: str, secret: str):
    from elearn.accounts import auth
    from elearn.accounts.services import user_for_api_token

    if not secret:
        return None
    user = auth.load_user(secret) if via == "session" else user_for_api_token(secret)
    return user if user is not None and user.active else None


def _credentials(auth_data) -> tuple[str, str] | None:
    token = session.get("_user_id")  # Flask-Login keeps the login session token here
    if token:
        return "session", str(token)
    secret = auth_data.get("token") if isinstance(auth_data, dict) else None
    if not secret:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        secret = value.strip() if scheme.lower() == "bearer" else None
    return ("token", str(secret)) if secret else None


# ---- the namespace ----------------------------------------------------------------------------------

class LiveNamespace(Namespace):

    def on_connect(self, auth=None):
        if not origin_allowed(request.headers.get("Origin")):
            current_app.logger.warning("live: refused a connection from origin %s", request.headers.get("Origin"))
            raise ConnectionRefusedError("origin")
        creds = _credentials(auth)
        user = _user_from(*creds) if creds else None
        if user is None:
            raise ConnectionRefusedError("unauthorized")
        with _lock:
            _clients[request.sid] = Client(user_id=user.id, via=creds[0], secret=creds[1])
            _sids_by_user.setdefault(user.id, set()).add(request.sid)
        join_room(user_room(user.id))
        return True

    def on_disconnect(self, reason=None):
        client = _forget(request.sid)
        if client is not None and client.session_id is not None:
            self._left(client)

    def _left(self, client: Client) -> None:
        services.leave(request.sid)  # the stay ends now (attendance); the room hears of it in the next digest
        note_presence(client.session_id, client.user_id)

    @staticmethod
    def _leave_rooms(client: Client, sid: str | None = None) -> None:
        for name in (room(client.session_id), staff_room(client.session_id), crowd_room(client.session_id)):
            leave_room(name, sid=sid, namespace=NAMESPACE)

    # -- guard: every event passes here --------------------------------------------------------------

    def _guard(self, lecturer: bool = False, joined: bool = True):
        """(client, user, live session) when the event may go on; raises _Refused otherwise."""
        sid = request.sid
        client = _clients.get(sid)
        if client is None:
            raise _Refused("unauthorized")
        if not client.events.allow(time.monotonic()):
            raise _Refused("rate_limited", keep=True)
        user = _user_from(client.via, client.secret)
        if user is None or user.id != client.user_id:
            self._remove(sid, client, "unauthorized")
            raise _Refused("unauthorized")
        if not joined:
            return client, user, None
        live_session = services.get_session(client.session_id) if client.session_id else None
        if live_session is None:
            raise _Refused("not_joined", keep=True)
        if not authz.can(user, "live.join", live_session):
            self._remove(sid, client, "forbidden")
            raise _Refused("forbidden")
        managing = (client.manager or lecturer) and authz.can(user, "live.manage", live_session)
        if client.manager and not managing:  # no longer runs the room: no more names of everyone here
            leave_room(staff_room(live_session.id), sid=sid, namespace=NAMESPACE)
            join_room(crowd_room(live_session.id), sid=sid, namespace=NAMESPACE)
            client.manager = False
        if lecturer and not managing:
            current_app.logger.warning("live: %s sent the lecturer event %s in session %s", user.username,
                                       request.event["message"], live_session.id)
            audit.record(user, "live.refused", live_session, after={"event": request.event["message"]},
                         label=f"live {live_session.id}")
            db.session.commit()
            raise _Refused("forbidden", keep=True)
        now = time.monotonic()
        if now - client.seen >= SEEN_EVERY:
            client.seen = now
            services.seen(sid)
        return client, user, live_session

    def _remove(self, sid: str, client: Client, reason: str) -> None:
        emit("removed", {"reason": reason}, to=sid, namespace=NAMESPACE)
        if client.session_id is not None:
            self._leave_rooms(client, sid)
            self._left(client)
            client.session_id = None
        _forget(sid)
        disconnect(sid=sid, namespace=NAMESPACE)

    def _run(self, action, lecturer: bool = False):
        """Run one room action under the guard; broadcast its event; answer the sender."""
        try:
            client, user, live_session = self._guard(lecturer=lecturer)
            outcome = action(client, user, live_session)
        except _Refused as refused:
            db.session.rollback()
            return {"ok": False, "error": refused.code}
        except services.LiveError as err:
            db.session.rollback()
            return {"ok": False, "error": err.code, "message": _translate(err.msgid)}
        if outcome.event is not None:
            emit("ev", services.event_dict(outcome.event), to=room(live_session.id), namespace=NAMESPACE)
        if outcome.volatile is not None:
            emit("state", outcome.volatile, to=room(live_session.id), namespace=NAMESPACE)
        return outcome.ack

    # -- joining and catching up ---------------------------------------------------------------------

    def on_join(self, data=None):
        data = data if isinstance(data, dict) else {}
        try:
            client, user, _none = self._guard(joined=False)
        except _Refused as refused:
            return {"ok": False, "error": refused.code}
        live_session = services.get_session(data.get("session_id"))
        if live_session is None:
            return {"ok": False, "error": "not_found"}
        if not authz.can(user, "live.join", live_session):
            current_app.logger.info("live: %s may not join session %s", user.username, live_session.id)
            return {"ok": False, "error": "forbidden"}
        manager = authz.can(user, "live.manage", live_session)
        if not manager and services.phase_of(live_session) not in (domain.Phase.OPEN, domain.Phase.LIVE):
            return {"ok": False, "error": "closed"}
        if client.session_id not in (None, live_session.id):
            self._leave_rooms(client)
            self._left(client)
        first = client.session_id != live_session.id
        if not first and client.manager != manager:  # the person's role in the course changed since
            leave_room(staff_room(live_session.id) if client.manager else crowd_room(live_session.id))
        client.session_id, client.manager = live_session.id, manager
        join_room(room(live_session.id))
        join_room(staff_room(live_session.id) if manager else crowd_room(live_session.id))
        if not first:
            return self._catch_up(live_session, user, manager, data.get("last_seq"))
        # The stay is recorded in the same transaction as the snapshot is read (one commit, nothing reloaded),
        # and committed before the answer goes out.
        services.enter(live_session, user, request.sid, commit=False)
        services.refresh_room_state(live_session)  # read after join_room: no event falls between the two
        answer = self._catch_up(live_session, user, manager, data.get("last_seq"))
        session_id, user_id = live_session.id, user.id
        db.session.commit()
        note_presence(session_id, user_id)  # the room hears of the arrival in the next digest
        return answer

    def on_sync(self, data=None):
        data = data if isinstance(data, dict) else {}
        try:
            _client, user, live_session = self._guard()
        except _Refused as refused:
            return {"ok": False, "error": refused.code}
        return self._catch_up(live_session, user, authz.can(user, "live.manage", live_session), data.get("last_seq"))

    def _catch_up(self, live_session, user, manager: bool, last_seq) -> dict:
        answer = {"ok": True, "state": services.snapshot(live_session, user, _file_url, manager)}
        if isinstance(last_seq, int) and not isinstance(last_seq, bool) and last_seq >= 0:
            missed = services.events_since(live_session, last_seq)
            answer["missed"] = missed
            answer["more"] = len(missed) >= services.REPLAY_LIMIT
        return answer

    def on_leave(self, data=None):
        client = _clients.get(request.sid)
        if client is not None and client.session_id is not None:
            self._leave_rooms(client)
            self._left(client)
            client.session_id = None
        return {"ok": True}

    def on_present(self, data=None):
        """Who is here: the lecturers get the whole list, a page at a time ({"offset": n}); learners the
        lecturers and the count."""
        data = data if isinstance(data, dict) else {}
        try:
            _client, user, live_session = self._guard()
        except _Refused as refused:
            return {"ok": False, "error": refused.code}
        offset = data.get("offset", 0)
        offset = offset if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0 else 0
        people, count, more = services.present_page(live_session, authz.can(user, "live.manage", live_session),
                                                    offset)
        return {"ok": True, "present": people, "count": count, "more": more}

    def on_ping(self, data=None):
        """A heartbeat: keeps the attendance going and re-checks the permission while the person is idle."""
        try:
            self._guard()
        except _Refused as refused:
            return {"ok": False, "error": refused.code}
        return {"ok": True}

    # -- chat and questions ------------------------------------------------------------------------------

    def _chat_allowed(self, session_id: int, user_id: int) -> bool:
        with _lock:
            window = _chat_windows.setdefault((session_id, user_id), domain.RateWindow(*CHAT_LIMIT))
            return window.allow(time.monotonic())

    def _throttle(self, live_session, user, data: dict) -> None:
        """Learners' lines are rate-limited per person (a retry of an applied line is not counted again)."""
        if authz.can(user, "live.manage", live_session):
            return
        if services.existing_event(live_session, user, services.client_id_of(data.get("cid"))) is None and \
                not self._chat_allowed(live_session.id, user.id):
            raise services.LiveError(domain.N_("You are sending messages too fast: wait a moment."), "rate_limited")

    def on_chat(self, data=None):
        data = data if isinstance(data, dict) else {}

        def action(client, user, live_session):
            self._throttle(live_session, user, data)
            return services.chat(live_session, user, data.get("text"), data.get("cid"))
        return self._run(action)

    def on_ask(self, data=None):
        data = data if isinstance(data, dict) else {}

        def action(client, user, live_session):
            self._throttle(live_session, user, data)
            return services.ask(live_session, user, data.get("text"), data.get("cid"))
        return self._run(action)

    def on_upvote(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.upvote(s, user, data.get("id")))

    def on_answered(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.mark_answered(s, user, data.get("id")), lecturer=True)

    def on_delete(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.delete_message(s, user, data.get("id")), lecturer=True)

    def on_mute(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.set_muted(s, user, data.get("user_id"), data.get("muted", True)),
                         lecturer=True)

    # -- hands ---------------------------------------------------------------------------------------------

    def on_hand(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.hand(s, user, data.get("raised", True)))

    def on_hand_ack(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.acknowledge_hand(s, user, data.get("user_id")), lecturer=True)

    # -- polls -----------------------------------------------------------------------------------------------

    def on_poll_open(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.open_poll(s, user, data.get("question"), data.get("options"),
                                                               data.get("correct"), data.get("revote", "ignore")),
                         lecturer=True)

    def on_vote(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.vote(s, user, data.get("poll_id"), data.get("option")))

    def on_poll_close(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.close_poll(s, user, data.get("poll_id")), lecturer=True)

    # -- slides ----------------------------------------------------------------------------------------------

    def on_slide(self, data=None):
        data = data if isinstance(data, dict) else {}
        return self._run(lambda c, user, s: services.show_slide(s, user, data.get("lesson_id"), data.get("page"),
                                                                _file_url), lecturer=True)


class _Refused(Exception):
    def __init__(self, code: str, keep: bool = False):
        super().__init__(code)
        self.code = code
        self.keep = keep


def _translate(msgid: str) -> str:
    from flask_babel import gettext

    return gettext(msgid)


# ---- presence digests ------------------------------------------------------------------------------------------

def presence_every() -> float:
    """Seconds between presence digests; 0 (the default under the test client, which runs no background loop):
    each change goes out at once, still as a digest."""
    default = 0.0 if current_app.testing else domain.PRESENCE_EVERY_SECONDS
    return float(current_app.config.get("LIVE_PRESENCE_SECONDS", default))


def note_presence(session_id: int, user_id: int) -> None:
    """Someone joined or left a session's room: the room hears of it in the next digest (one message for all the
    arrivals and departures of a second or two, instead of one message to everyone per arrival)."""
    with _lock:
        _presence_touched.setdefault(session_id, set()).add(user_id)
    every = presence_every()
    if every <= 0:
        send_presence(session_id)
        return
    _start_presence_loop(every)


def _start_presence_loop(every: float) -> None:
    from elearn.extensions import socketio

    with _lock:
        if os.getpid() in _presence_loop:
            return
        _presence_loop[:] = [os.getpid()]
    socketio.start_background_task(_presence_loop_run, current_app._get_current_object(), every)


def _presence_loop_run(app, every: float) -> None:
    from elearn.extensions import socketio

    while True:
        socketio.sleep(every)
        try:
            with app.app_context():
                send_presence()
        except Exception:  # noqa: BLE001  (the loop must survive a database hiccup; the next digest catches up)
            app.logger.exception("live: presence digest failed")


def send_presence(session_id: int | None = None) -> int:
    """Send the pending digests (of one session, or of all): the full one to the staff room, the short one to the
    learners. Returns the number of sessions done. Needs an application context."""
    from elearn.extensions import socketio

    with _lock:
        ids = [session_id] if session_id is not None else list(_presence_touched)
        batch = {sid: _presence_touched.pop(sid) for sid in ids if sid in _presence_touched}
    for sid, touched in batch.items():
        live_session = services.get_session(sid)
        if live_session is None:
            continue
        digest = services.presence_digest(live_session, touched, _presence_counts.get(sid))
        socketio.emit("state", {"kind": "presence", "data": digest.staff}, to=staff_room(sid), namespace=NAMESPACE)
        if digest.crowd is not None:
            socketio.emit("state", {"kind": "presence", "data": digest.crowd}, to=crowd_room(sid),
                          namespace=NAMESPACE)
        _presence_counts[sid] = digest.staff["count"]
    return len(batch)


# ---- removal at once (disabled person, withdrawn enrolment) -----------------------------------------------

def remove_person(user_id: int, course_id: int | None = None, reason: str = "unauthorized") -> list[str]:
    """Drop a person's /live connections now: those in rooms of one course, or all of them (course_id None).

    The connections come from the open stays in the database (any process) and this process's index; the emit
    and the disconnect go through the message queue when there is one, so a connection held by another process
    is dropped there (its disconnect handler closes the stay and tells the room). Returns the sids dropped.
    """
    from elearn.extensions import socketio

    if socketio.server is None:
        return []
    sids = dict.fromkeys(services.open_sids(user_id, course_id))
    with _lock:
        local = list(_sids_by_user.get(user_id, ()))
    for sid in local:
        client = _clients.get(sid)
        if course_id is None or (client is not None and client.session_id is not None
                                 and _session_course(client.session_id) == course_id):
            sids[sid] = None
    if course_id is None:  # also reaches a connection of another process that has not joined a room
        socketio.emit("removed", {"reason": reason}, to=user_room(user_id), namespace=NAMESPACE)
    for sid in sids:
        if course_id is not None:
            socketio.emit("removed", {"reason": reason}, to=sid, namespace=NAMESPACE)
        socketio.server.disconnect(sid, namespace=NAMESPACE)
        services.leave(sid)  # a stay left open by a process that is gone
    return list(sids)


def _session_course(session_id: int) -> int | None:
    live_session = services.get_session(session_id)
    return live_session.course_id if live_session is not None else None


def _on_user_disabled(user) -> None:
    remove_person(user.id, reason="unauthorized")


def _on_enrolment_withdrawn(enrolment) -> None:
    if authz.can(enrolment.user, "course.study", enrolment.course):  # still a lecturer or an admin of the course
        return
    remove_person(enrolment.user_id, course_id=enrolment.course_id, reason="forbidden")


def register(state) -> None:
    """Blueprint hook: attach the namespace to this app's Socket.IO server; drop removed people at once."""
    from elearn.accounts import services as account_services
    from elearn.courses import services as course_services
    from elearn.extensions import socketio

    socketio.on_namespace(LiveNamespace(NAMESPACE))
    if _on_user_disabled not in account_services.DISABLE_HOOKS:
        account_services.DISABLE_HOOKS.append(_on_user_disabled)
    if _on_enrolment_withdrawn not in course_services.WITHDRAW_HOOKS:
        course_services.WITHDRAW_HOOKS.append(_on_enrolment_withdrawn)
