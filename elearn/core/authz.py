"""Every permission rule, in one place: `can(user, action, obj)`.

Views, the API, Socket.IO handlers and templates ask this module; nothing else compares roles.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"rule {action!r} defined twice")
        _RULES[action] = fn
        return fn

    return register


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _is_admin(user) -> bool:
    return _signed_in(user) and user.has_role("admin")


def can(user, action: str, obj: Any = None) -> bool:
    """True when `user` may do `action` (on `obj`). Unknown actions are refused."""
    check = _RULES.get(action)
    if check is None:
        raise KeyError(f"no authorization rule for {action!r}")
    if not _signed_in(user):
        return False
    return bool(check(user, obj))


def require(action: str, obj: Any = None, user=None) -> None:
    """Abort with 403 (or send to login) unless allowed."""
    user = user if user is not None else current_user
    if not _signed_in(user):
        abort(401)
    if not can(user, action, obj):
        abort(403)


# --- Administration -------------------------------------------------------------------------

@rule("admin.access")
def _admin_access(user, obj) -> bool:
    return _is_admin(user)


@rule("users.list")
def _users_list(user, obj) -> bool:
    return _is_admin(user)


@rule("users.manage")
def _users_manage(user, obj) -> bool:
    return _is_admin(user)


@rule("users.import")
def _users_import(user, obj) -> bool:
    return _is_admin(user)


@rule("users.disable")
def _users_disable(user, obj) -> bool:
    # An admin may not lock themself out.
    return _is_admin(user) and (obj is None or obj.id != user.id)


@rule("units.manage")
def _units_manage(user, obj) -> bool:
    return _is_admin(user)


@rule("units.view")
def _units_view(user, obj) -> bool:
    return True  # every signed-in person sees the organisation tree


@rule("audit.read")
def _audit_read(user, obj) -> bool:
    return _is_admin(user)


# --- One's own account ------------------------------------------------------------------------

@rule("profile.view")
def _profile_view(user, obj) -> bool:
    return obj is None or obj.id == user.id or _is_admin(user)


@rule("tokens.manage")
def _tokens_manage(user, obj) -> bool:
    return obj is None or obj.user_id == user.id


@rule("jobs.view")
def _jobs_view(user, obj) -> bool:
    return obj is not None and (obj.created_by_id == user.id or _is_admin(user))


def template_can(action: str, obj: Any = None) -> bool:
    """`can()` for templates, bound to the current user."""
    return can(current_user, action, obj)


# --- Courses ----------------------------------------------------------------------------------

def _teaches(user, course) -> bool:
    return course is not None and user.id in course.lecturer_ids


def _enrolled(user, course) -> bool:
    from elearn.courses.services import enrolment_of

    enrolment = enrolment_of(user.id, course.id)
    return enrolment is not None and enrolment.state == "active"


@rule("course.create")
def _course_create(user, obj) -> bool:
    return user.has_role("lecturer") or _is_admin(user)


@rule("course.view")
def _course_view(user, course) -> bool:
    """See the course's page in the catalogue (not necessarily study it)."""
    if _is_admin(user) or _teaches(user, course):
        return True
    if course.state == "published":
        return True
    return course.state == "archived" and _enrolled(user, course)


@rule("course.edit")
def _course_edit(user, course) -> bool:
    return _is_admin(user) or _teaches(user, course)


@rule("course.study")
def _course_study(user, course) -> bool:
    """Open lessons and files: enrolled learners of a non-draft course; its lecturers and admins preview."""
    if _is_admin(user) or _teaches(user, course):
        return True
    return course.state != "draft" and _enrolled(user, course)


@rule("course.enrol_others")
def _course_enrol_others(user, course) -> bool:
    return _is_admin(user) or _teaches(user, course)


@rule("course.participants")
def _course_participants(user, course) -> bool:
    return _is_admin(user) or _teaches(user, course)


@rule("course.copy")
def _course_copy(user, course) -> bool:
    return _is_admin(user) or (user.has_role("lecturer") and _teaches(user, course))


@rule("embed_hosts.manage")
def _embed_hosts(user, obj) -> bool:
    return _is_admin(user)


@rule("notifications.read")
def _notifications(user, obj) -> bool:
    return obj is None or obj.user_id == user.id


# --- Quizzes ----------------------------------------------------------------------------------

@rule("questions.manage")
def _questions_manage(user, course) -> bool:
    """A course's question bank: its lecturers and the administrators."""
    return _is_admin(user) or _teaches(user, course)
