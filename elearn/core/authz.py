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


@rule("quiz.manage")
def _quiz_manage(user, course) -> bool:
    """A course's quizzes: settings, overrides, previews, results and grading. Its lecturers and the administrators."""
    return _is_admin(user) or _teaches(user, course)


@rule("quiz.attempt")
def _quiz_attempt(user, course) -> bool:
    """Take a course's quizzes: its active learners while the course is not a draft."""
    return course.state != "draft" and _enrolled(user, course)


@rule("attempt.view")
def _attempt_view(user, attempt) -> bool:
    """An attempt: its owner, and whoever manages the quiz's course."""
    if attempt.user_id == user.id:
        return True
    return _is_admin(user) or _teaches(user, attempt.quiz.course)


@rule("quiz.grade")
def _quiz_grade(user, course) -> bool:
    """Grade essays and regrade a course's quizzes: its lecturers and the administrators."""
    return _is_admin(user) or _teaches(user, course)


@rule("gradebook.view")
def _gradebook_view(user, course) -> bool:
    """A course's gradebook, results overview and item analysis (with exports): its lecturers and the administrators."""
    return _is_admin(user) or _teaches(user, course)


# --- Forums (rules in elearn/forums/domain.py; the person's role in the course comes from here) --------

def forum_actor(user, course):
    from elearn.forums.domain import Actor

    return Actor(user_id=user.id, moderator=_is_admin(user) or _teaches(user, course),
                 member=_course_study(user, course))


@rule("forum.read")
def _forum_read(user, course) -> bool:
    return _course_study(user, course)


@rule("forum.moderate")
def _forum_moderate(user, course) -> bool:
    return _is_admin(user) or _teaches(user, course)


@rule("forum.start_thread")
def _forum_start_thread(user, forum) -> bool:
    from elearn.forums.domain import may_start_thread

    return may_start_thread(forum_actor(user, forum.course), forum.kind)


@rule("forum.reply")
def _forum_reply(user, thread) -> bool:
    from elearn.forums.domain import may_reply

    return may_reply(forum_actor(user, thread.forum.course), thread.forum.kind, thread.locked,
                     thread.deleted_at is not None)


@rule("forum.edit_post")
def _forum_edit_post(user, post) -> bool:
    from elearn.core import clock
    from elearn.forums import domain, services

    thread = post.thread
    return domain.may_edit(forum_actor(user, thread.forum.course), author_id=post.author_id,
                           created_at=post.created_at, now=clock.now(), locked=thread.locked,
                           deleted=post.deleted_at is not None, minutes=services.edit_minutes())


@rule("forum.delete_post")
def _forum_delete_post(user, post) -> bool:
    from elearn.core import clock
    from elearn.forums import domain, services

    thread = post.thread
    return domain.may_delete(forum_actor(user, thread.forum.course), author_id=post.author_id,
                             created_at=post.created_at, now=clock.now(), locked=thread.locked,
                             deleted=post.deleted_at is not None, has_replies=services.has_replies(post),
                             minutes=services.edit_minutes())


@rule("forum.flag")
def _forum_flag(user, post) -> bool:
    return (post.deleted_at is None and post.author_id != user.id
            and _course_study(user, post.thread.forum.course))


# --- Assignments ------------------------------------------------------------------------------
# Graders of a submission: the course's lecturers and administrators, and the unit heads a lecturer has
# delegated grading to for the author's unit. A "unit head" here is a person a course's lecturer names as
# grader for a unit they belong to (assignments.models.GradingDelegate; services check the person's
# profile is in that unit); they grade the cadres of that unit and of the units below it, in that course
# only. Nobody grades their own submission.

def _delegate_covers(user, course, author_id: int) -> bool:
    from elearn.assignments.grading import delegate_covers

    return delegate_covers(user.id, course.id, author_id)


@rule("assignment.manage")
def _assignment_manage(user, course) -> bool:
    """Create and edit a course's assignments, delegate grading: its lecturers and administrators."""
    return _is_admin(user) or _teaches(user, course)


@rule("assignment.grading_list")
def _assignment_grading_list(user, obj) -> bool:
    """The "Grading" page: lecturers, administrators, and unit heads delegated in some course."""
    from elearn.assignments.grading import is_delegate_anywhere

    return _is_admin(user) or user.has_role("lecturer") or is_delegate_anywhere(user.id)


@rule("assignment.view")
def _assignment_view(user, assignment) -> bool:
    return _course_study(user, assignment.course) or _assignment_grade_any(user, assignment)


@rule("assignment.submit")
def _assignment_submit(user, assignment) -> bool:
    """Write and submit: enrolled learners of a non-draft course."""
    course = assignment.course
    return course.state != "draft" and _enrolled(user, course)


@rule("assignment.grade_any")
def _assignment_grade_any(user, assignment) -> bool:
    """See the grading queue (filtered to what the person may grade)."""
    from elearn.assignments.grading import is_delegate

    return _is_admin(user) or _teaches(user, assignment.course) or is_delegate(user.id, assignment.course_id)


@rule("commitments.view")
def _commitments_view(user, person) -> bool:
    """A cadre's commitments (action plans of reflection essays): the cadre, administrators, and their graders."""
    from elearn.assignments.commitments import may_see_commitments

    return person.id == user.id or _is_admin(user) or may_see_commitments(user, person.id)


@rule("submission.view")
def _submission_view(user, submission) -> bool:
    """Only its author and its graders."""
    return submission.user_id == user.id or _submission_grade(user, submission)


@rule("submission.grade")
def _submission_grade(user, submission) -> bool:
    if submission.user_id == user.id:
        return False
    course = submission.assignment.course
    return _is_admin(user) or _teaches(user, course) or _delegate_covers(user, course, submission.user_id)


# --- Document library -------------------------------------------------------------------------

@rule("documents.view")
def _documents_view(user, obj) -> bool:
    return True  # every signed-in person browses, searches and reads the library


@rule("documents.manage")
def _documents_manage(user, obj) -> bool:
    """Add and edit documents, record that one amends or replaces another: lecturers and admins."""
    return user.has_role("lecturer") or _is_admin(user)


@rule("documents.cite")
def _documents_cite(user, course) -> bool:
    """Choose the documents a course's lessons cite, and mark "document updated" warnings reviewed."""
    return _is_admin(user) or _teaches(user, course)


# --- Certificates -----------------------------------------------------------------------------

@rule("certificates.manage")
def _certificates_manage(user, obj) -> bool:
    """Templates, eligibility, issue, revoke, re-issue, the registry: the training office (admins)."""
    return _is_admin(user)


@rule("certificate.download")
def _certificate_download(user, cert) -> bool:
    return cert is not None and (cert.user_id == user.id or _is_admin(user))


# --- Live classes -----------------------------------------------------------------------------

@rule("live.join")
def _live_join(user, session) -> bool:
    """Enter a live session's room: its course's enrolled learners (course not in draft), lecturers, admins."""
    return session is not None and _course_study(user, session.course)


@rule("live.manage")
def _live_manage(user, session) -> bool:
    """Run the room (polls, slides, mute), schedule it and see its attendance: the course's lecturers and admins."""
    return session is not None and _course_edit(user, session.course)
