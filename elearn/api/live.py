"""API endpoints for live sessions, for mobile clients: a course's sessions, one session with how to join its
room, the caller's own attendance, and (lecturers) the attendance sheet.

Thin adapters over elearn/live/services.py, checked through core/authz.py with the token's user, as the pages
are: a session of a course the caller may not see is a 404 (its existence not revealed); one of a course the
caller can see but not study is a 403 (`live.join`); the sheet needs `live.manage` (403 otherwise). The room
itself is the Socket.IO namespace `/live` (docs/live.md): connect with the same token. Every route here is
documented in openapi_live.py (a test fails otherwise).
"""
from __future__ import annotations

import math
from datetime import timedelta

from flask import jsonify, url_for

from elearn.accounts.models import User
from elearn.api import ApiError, api_user, bp
from elearn.api.schemas import page as page_envelope
from elearn.api.schemas import timestamp
from elearn.api.views import Query
from elearn.core import authz, clock, html
from elearn.courses.models import Course
from elearn.extensions import db
from elearn.live import domain, services
from elearn.live.events import NAMESPACE
from elearn.live.models import LiveSession

FORBIDDEN = "The token's owner is not allowed to do this in this course."


def _current() -> User:
    return api_user()


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(_current(), "course.view", course):
        raise ApiError(404, "No course with this id.", "not_found")
    if not authz.can(_current(), "course.study", course):
        raise ApiError(403, FORBIDDEN, "forbidden")
    return course


def _session(session_id: int, action: str = "live.join") -> LiveSession:
    """The session, or 404 when it does not exist or its course is hidden from the caller; 403 without `action`."""
    live_session = services.get_session(session_id)
    if live_session is None or not authz.can(_current(), "course.view", live_session.course):
        raise ApiError(404, "No live session with this id.", "not_found")
    if not authz.can(_current(), action, live_session):
        raise ApiError(403, FORBIDDEN, "forbidden")
    return live_session


def live_session_json(s: LiveSession, now) -> dict:
    return {
        "id": s.id,
        "course_id": s.course_id,
        "title": s.title,
        "description_html": html.clean(s.description or ""),
        "starts_at": timestamp(s.starts_at),
        "ends_at": timestamp(s.ends_at),
        "opens_at": timestamp(s.starts_at - timedelta(minutes=s.join_opens_minutes)),
        "phase": services.phase_of(s, now),
        "in_person": bool(s.in_person),
        "location": s.location or None,
        "stream_url": s.stream_url or None,
        "recording_url": s.recording_url or None,
        "threshold_percent": s.threshold_percent,
        "late_after_minutes": s.late_after_minutes,
        "page_url": url_for("live.session_page", session_id=s.id),
        "archive_url": url_for("live.archive", session_id=s.id),
    }


def attendance_json(s: LiveSession, user: User, result: domain.AttendanceResult, mark, enrolled: bool = True) -> dict:
    return {
        "session_id": s.id,
        "user_id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "enrolled": enrolled,
        "status": result.status,
        "minutes": round(result.minutes, 1),
        "session_minutes": round(domain.session_minutes(s.starts_at, s.ends_at), 1),
        "first_seen": timestamp(result.first_seen),
        "checked_in_at": timestamp(mark.checked_in_at) if mark is not None else None,
        "manual_status": (mark.manual_status or None) if mark is not None else None,
    }


class _ListPage:
    """The pagination envelope over a list already in memory (the attendance sheet)."""

    def __init__(self, rows: list, page: int, per_page: int):
        self.page, self.per_page, self.total = page, per_page, len(rows)
        self.pages = math.ceil(self.total / per_page) if self.total else 0
        self.items = rows[(page - 1) * per_page: page * per_page]


# ---- routes --------------------------------------------------------------------------------------------------

@bp.get("/courses/<int:id>/live-sessions")
def course_live_sessions(id: int):
    course = _course(id)
    now = clock.now()
    rows = services.course_sessions(course)
    return jsonify({"items": [live_session_json(s, now) for s in rows], "total": len(rows)})


@bp.get("/live-sessions/<int:id>")
def live_session(id: int):
    """The session and how to join its room now (the Socket.IO namespace, the `join` event and whether it is open)."""
    s = _session(id)
    user, now = _current(), clock.now()
    manager = authz.can(user, "live.manage", s)
    phase = services.phase_of(s, now)
    join = {
        "namespace": NAMESPACE,
        "socketio_path": "/socket.io",
        "event": "join",
        "data": {"session_id": s.id},
        "open_now": manager or phase in (domain.Phase.OPEN, domain.Phase.LIVE),
        "lecturer": manager,
    }
    return jsonify({**live_session_json(s, now), "join": join})


@bp.get("/live-sessions/<int:id>/attendance/mine")
def my_live_attendance(id: int):
    s = _session(id)
    user = _current()
    result, mark = services.attendance_of(s, user.id)
    return jsonify(attendance_json(s, user, result, mark))


@bp.get("/live-sessions/<int:id>/attendance")
def live_attendance_sheet(id: int):
    """Every enrolled learner (absentees included) and anyone else who attended, by name; lecturers and admins."""
    s = _session(id, "live.manage")
    query = Query({"page", "per_page"})
    page, per_page = query.page()
    query.done()
    rows = services.attendance_sheet(s)
    marks = {p.user_id: p for p in services.participants(s)}
    return jsonify(page_envelope(_ListPage(rows, page, per_page),
                                 lambda row: attendance_json(s, row.user, row.result, marks.get(row.user.id),
                                                             enrolled=row.enrolled)))
