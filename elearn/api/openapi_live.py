"""The live-sessions part of the OpenAPI document: schemas and paths, merged into openapi.document().

Shapes follow api/live.py; tests/web/test_api_live.py checks answers against them and tests/web/test_api.py
checks the paths against the real routes.
"""
from __future__ import annotations

from elearn.api.openapi import _INT, _PAGE_PARAMS, _STR, _TIME, _errors, _id_param, _json, _nullable, _ref
from elearn.live import domain

_PHASE = {"type": "string", "enum": [domain.Phase.UPCOMING, domain.Phase.OPEN, domain.Phase.LIVE, domain.Phase.ENDED],
          "description": "upcoming (room not open yet); open (join window before the start); live; ended."}
_STATUS = [domain.Status.PRESENT, domain.Status.LATE, domain.Status.ABSENT]


def _obj(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties)}
    if description:
        schema["description"] = description
    return schema


_SESSION = {
    "id": _INT,
    "course_id": _INT,
    "title": _STR,
    "description_html": {"type": "string", "description": "Sanitised HTML."},
    "starts_at": _TIME,
    "ends_at": _TIME,
    "opens_at": {**_TIME, "description": "When the room opens to learners (the join window)."},
    "phase": _PHASE,
    "in_person": {"type": "boolean", "description": "Held in a hall: attendance by QR code."},
    "location": _nullable(_STR),
    "stream_url": _nullable({"type": "string", "description": "Stream or meeting address (optional)."}),
    "recording_url": _nullable(_STR),
    "threshold_percent": {"type": "integer", "minimum": 0, "maximum": 100,
                          "description": "Share of the session to attend to count as present."},
    "late_after_minutes": {"type": "integer", "minimum": 0},
    "page_url": {"type": "string", "description": "The room's web page."},
    "archive_url": {"type": "string", "description": "The archive web page (chat, questions, polls)."},
}

SCHEMAS = {
    "LiveSession": _obj(_SESSION),
    "LiveSessionList": _obj({"items": {"type": "array", "items": _ref("LiveSession")}, "total": _INT}),
    "LiveSessionDetail": _obj({**_SESSION, "join": _obj({
        "namespace": {"type": "string", "enum": ["/live"]},
        "socketio_path": {"type": "string", "description": "The Socket.IO endpoint path."},
        "event": {"type": "string", "enum": ["join"]},
        "data": _obj({"session_id": _INT}),
        "open_now": {"type": "boolean", "description": "Whether `join` is accepted now (lecturers: always)."},
        "lecturer": {"type": "boolean", "description": "The caller runs the room (lecturer events allowed)."},
    }, "Connect to the namespace with the same token (`auth: {token}` or `Authorization: Bearer`), then emit "
       "the event with the data; see docs/live.md for the room's events.")}),
    "LiveAttendance": _obj({
        "session_id": _INT,
        "user_id": _INT,
        "username": _STR,
        "full_name": _STR,
        "enrolled": {"type": "boolean", "description": "False for someone who attended without an active enrolment."},
        "status": {"type": "string", "enum": _STATUS},
        "minutes": {"type": "number", "minimum": 0,
                    "description": "Minutes inside the session (two connections count once); a check-in or a "
                                   "present/late mark counts the whole session."},
        "session_minutes": {"type": "number", "minimum": 0},
        "first_seen": _nullable(_TIME),
        "checked_in_at": _nullable({**_TIME, "description": "In-person QR check-in."}),
        "manual_status": _nullable({"type": "string", "enum": _STATUS, "description": "The lecturer's mark."}),
    }),
    "LiveAttendancePage": {"allOf": [_ref("Page"), {"type": "object", "properties": {
        "items": {"type": "array", "items": _ref("LiveAttendance")}}}]},
}

def paths() -> dict:
    common = (401, 429)
    return {
        "/courses/{id}/live-sessions": {
            "get": {
                "operationId": "listCourseLiveSessions",
                "summary": "A course's live sessions, by start (its learners, lecturers and administrators)",
                "tags": ["live"],
                "parameters": [_id_param("course")],
                "responses": {"200": _json(_ref("LiveSessionList"), "The course's sessions."),
                              **_errors(*common, 403, 404)},
            },
        },
        "/live-sessions/{id}": {
            "get": {
                "operationId": "getLiveSession",
                "summary": "One live session and how to join its room",
                "tags": ["live"],
                "parameters": [_id_param("live session")],
                "responses": {"200": _json(_ref("LiveSessionDetail"), "The session with its join information."),
                              **_errors(*common, 403, 404)},
            },
        },
        "/live-sessions/{id}/attendance/mine": {
            "get": {
                "operationId": "getMyLiveAttendance",
                "summary": "The caller's attendance in a session (minutes, status, first arrival)",
                "tags": ["live"],
                "parameters": [_id_param("live session")],
                "responses": {"200": _json(_ref("LiveAttendance"), "The caller's attendance."),
                              **_errors(*common, 403, 404)},
            },
        },
        "/live-sessions/{id}/attendance": {
            "get": {
                "operationId": "getLiveAttendanceSheet",
                "summary": "The attendance sheet: every enrolled learner, absentees included (lecturers, admins)",
                "tags": ["live"],
                "parameters": [_id_param("live session"), *_PAGE_PARAMS],
                "responses": {"200": _json(_ref("LiveAttendancePage"), "One page of the sheet, by name."),
                              **_errors(*common, 403, 404, 422)},
            },
        },
    }
