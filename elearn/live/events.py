"""The /live Socket.IO namespace: one room per session.

A connection is authenticated from the signed-in browser session (the same server-side login as the pages) or
an API token (`auth={"token": ...}` or an `Authorization: Bearer` header), and refused otherwise; a foreign
Origin is refused. Every event checks the person's permission again (a disabled or unenrolled person is removed
at once), is rate-limited, and answers through its acknowledgement: {"ok": true, ...} or {"ok": false, "error"}.
Room events carry the room's sequence id (`seq`); `join` with `last_seq`, or `sync`, replays what was missed.
"""
from __future__ import annotations

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


_clients: dict[str, Client] = {}
_sids_by_user: dict[int, set[str]] = {}  # this process's connections of each person
_chat_windows: dict[tuple[int, int], domain.RateWindow] = {}
_lock = threading.Lock()


def room(session_id: int) -> str:
    return f"live:{session_id}"


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
        services.leave(request.sid)
        live_session = services.get_session(client.session_id)
        if live_session is not None and not services.is_here(live_session, client.user_id):
            emit("state", {"kind": "presence", "data": {"user_id": client.user_id, "here": False}},
                 to=room(client.session_id), namespace=NAMESPACE)

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
        if lecturer and not authz.can(user, "live.manage", live_session):
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
            leave_room(room(client.session_id), sid=sid, namespace=NAMESPACE)
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
            leave_room(room(client.session_id))
            self._left(client)
        first = client.session_id != live_session.id
        client.session_id = live_session.id
        join_room(room(live_session.id))
        if first:
            here_before = services.is_here(live_session, user.id)
            services.enter(live_session, user, request.sid)
            if not here_before:
                emit("state", {"kind": "presence", "data": {"user_id": user.id, "name": user.full_name, "here": True,
                                                            "lecturer": user.id in live_session.course.lecturer_ids}},
                     to=room(live_session.id), include_self=False, namespace=NAMESPACE)
        return self._catch_up(live_session, user, manager, data.get("last_seq"))

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
            leave_room(room(client.session_id))
            self._left(client)
            client.session_id = None
        return {"ok": True}

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
