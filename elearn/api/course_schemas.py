"""Turning courses, enrolments and progress into the JSON the API answers with.

The shapes are documented in openapi_courses.py (components/schemas); tests check that every answer
has exactly the documented fields, so change both together. Rich text (course summary, section summary,
lesson body) is sanitised again on the way out, as the `rich` template filter does.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from elearn.api.schemas import timestamp, unit_ref
from elearn.core import html
from elearn.courses.messages import Message


def day(value: date | None) -> str | None:
    """A calendar date as "2025-03-01" (course open/close dates are days, not instants)."""
    return value.isoformat() if value is not None else None


def _param(value: Any) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_param(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(str(_param(v)) for v in value)
    return str(value)  # str, Label (a msgid) and anything else: plain text


def message(m: Message) -> dict:
    """A translatable line: the English msgid and its parameters, plus the English text."""
    return {"msgid": m.msgid, "params": {k: _param(v) for k, v in m.params.items()}, "text": m.render(),
            "depth": m.depth}


def messages(items: Iterable[Message]) -> list[dict]:
    return [message(m) for m in items]


def category(c) -> dict:
    return {"id": c.id, "code": c.code, "name": c.name}


def person_ref(u) -> dict:
    return {"id": u.id, "username": u.username, "full_name": u.full_name}


def course_ref(course) -> dict:
    return {"id": course.id, "code": course.code, "title": course.title, "state": course.state}


def course_summary(course, *, enrolled: bool, in_audience: bool | None) -> dict:
    return {
        "id": course.id,
        "code": course.code,
        "title": course.title,
        "category": category(course.category) if course.category is not None else None,
        "kind": course.kind,
        "hours": float(course.hours or 0),
        "opens_on": day(course.opens_on),
        "closes_on": day(course.closes_on),
        "state": course.state,
        "enrolled": enrolled,
        "in_audience": in_audience,
    }


def enrolment(e) -> dict:
    return {
        "id": e.id,
        "course_id": e.course_id,
        "user_id": e.user_id,
        "state": e.state,
        "method": e.method,
        "enrolled_at": timestamp(e.enrolled_at),
        "in_target": bool(e.in_target),
        "outside_reason": e.outside_reason or "",
        "progress": round(float(e.progress or 0), 4),
        "completed_at": timestamp(e.completed_at),
        "last_access_at": timestamp(e.last_access_at),
    }


def course_detail(course, *, enrolled_row, in_audience: bool | None, audience_lines: list[Message],
                  self_enrol_problems: list[Message] | None, places_taken: int, can_study: bool,
                  can_edit: bool) -> dict:
    data = course_summary(course, enrolled=enrolled_row is not None, in_audience=in_audience)
    data.update({
        "summary": html.clean(course.summary),
        "capacity": course.capacity,
        "places_taken": places_taken,
        "self_enrol": bool(course.self_enrol),
        "enrol_key_required": bool(course.enrol_key),
        "lecturers": [person_ref(link.user) for link in sorted(course.lecturer_links, key=lambda link: link.user_id)],
        "audience": messages(audience_lines),
        "my_enrolment": enrolment(enrolled_row) if enrolled_row is not None else None,
        "self_enrol_problems": messages(self_enrol_problems) if self_enrol_problems is not None else None,
        "can_study": can_study,
        "can_edit": can_edit,
    })
    return data


def outline_item(item, view, completed: bool) -> dict:
    return {"id": item.id, "kind": item.kind, "ref_id": item.ref_id, "title": view.title,
            "required": bool(item.required), "visible": bool(item.visible), "completed": completed,
            "url": view.url}


def section(s, entries) -> dict:
    return {"id": s.id, "title": s.title, "summary": html.clean(s.summary), "position": s.position,
            "items": [outline_item(item, view, done) for item, view, done in entries]}


def lesson_progress(lesson_id: int, row) -> dict:
    """One learner's record for one lesson (`row` may be None: nothing recorded yet)."""
    return {
        "lesson_id": lesson_id,
        "viewed_at": timestamp(row.viewed_at) if row is not None else None,
        "marked_done_at": timestamp(row.marked_done_at) if row is not None else None,
        "watched_share": round(float(row.watched_share or 0), 4) if row is not None else 0.0,
        "position": float(row.position_seconds or 0) if row is not None else 0.0,
        "completed": row is not None and row.completed_at is not None,
        "completed_at": timestamp(row.completed_at) if row is not None else None,
    }


def lesson_file(stored, url: str, download_url: str) -> dict:
    return {"name": stored.original_name, "content_type": stored.content_type, "size": stored.size,
            "url": url, "download_url": download_url}


def lesson(les, item, *, url: str | None, file: dict | None, my_progress: dict | None) -> dict:
    return {
        "id": les.id,
        "course_id": les.course_id,
        "section_id": item.section_id if item is not None else None,
        "item_id": item.id if item is not None else None,
        "kind": les.kind,
        "title": les.title,
        "body": html.clean(les.body),
        "url": url,
        "file": file,
        "completion_mode": les.completion_mode,
        "video_threshold": float(les.video_threshold),
        "minutes": les.minutes,
        "required": bool(item.required) if item is not None else False,
        "my_progress": my_progress,
    }


def participant(e) -> dict:
    data = enrolment(e)
    user = e.user
    profile = user.profile
    data["user"] = {**person_ref(user),
                    "unit": unit_ref(profile.unit) if profile is not None else None,
                    "position": profile.position if profile is not None else ""}
    return data


def resume(item, view) -> dict:
    return {"item_id": item.id, "kind": item.kind, "ref_id": item.ref_id, "title": view.title, "url": view.url}


def my_course(e, resume_entry: dict | None) -> dict:
    return {"course": course_ref(e.course), "enrolment": enrolment(e), "resume": resume_entry}


def rule_outcome(rule, result) -> dict:
    return {"kind": rule.kind, "description": message(rule.describe()), "met": bool(result.met),
            "progress": round(float(result.progress), 4), "detail": message(result.detail)}


def my_progress(course, enrolment_row, result, lessons: list[dict]) -> dict:
    return {
        "course": course_ref(course),
        "enrolment": enrolment(enrolment_row),
        "complete": bool(result.complete),
        "progress": round(float(result.progress), 4),
        "manual_only": bool(result.manual_only),
        "rules": [rule_outcome(rule, outcome) for rule, outcome in result.results],
        "lessons": lessons,
    }


def lesson_progress_row(item, les, row) -> dict:
    """A line of "my progress": the lesson, where it sits, and the learner's record."""
    return {**lesson_progress(les.id, row), "item_id": item.id, "section_id": item.section_id, "title": les.title,
            "kind": les.kind, "required": bool(item.required)}
