"""API endpoints for assignments: a course's assignments, my submission (draft, submit), the graders' list of
submissions, one submission, grading, and my grades.

Thin adapters over elearn/assignments/services.py with the token's user; every check goes through core/authz.py.
As on the pages: an assignment of a course the caller may not see is a 404; a submission the caller may neither
see (its author) nor grade is a 404, its existence not revealed. Documented in openapi_assignments.py.
"""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from elearn.accounts.models import Unit
from elearn.api import ApiError, api_user, bp
from elearn.api.courses import _body, _number, _visible_course
from elearn.api.schemas import page as page_envelope
from elearn.api.schemas import timestamp
from elearn.api.views import Query
from elearn.assignments import commitments, domain, grading, services
from elearn.assignments.models import Assignment, Submission
from elearn.core import authz, html
from elearn.core.pagination import MAX_PER_PAGE
from elearn.courses.models import Course
from elearn.extensions import db

MAX_TEXT = services.MAX_TEXT


def _current():
    return api_user()


@bp.errorhandler(services.AssignmentError)
def _assignment_error(exc: services.AssignmentError):
    db.session.rollback()
    texts = [m.render() for m in exc.messages]
    from elearn.core.errors import api_error

    return api_error(409, texts[0], "refused", {exc.field or "_": " ".join(texts)})


# ---- shapes ------------------------------------------------------------------------------------------------------

def assignment_json(a: Assignment) -> dict:
    criteria = services.criteria(a)
    return {
        "id": a.id, "course_id": a.course_id, "title": a.title, "template": a.template,
        "instructions": html.clean(a.instructions), "due_at": timestamp(a.due_at), "late_until": timestamp(a.late_until),
        "window": str(services.window(a)), "allow_text": a.allow_text, "allow_files": a.allow_files,
        "max_files": a.max_files, "min_words": a.min_words, "max_words": a.max_words,
        "allow_resubmit": a.allow_resubmit, "grading": a.grading, "rubric": domain.rubric_to_json(criteria),
        "max_points": domain.max_points(a.grading, criteria, a.max_score), "pass_score": a.pass_score,
        "sections": [{"key": key, "heading": heading} for key, heading, _h in domain.REFLECTION_SECTIONS]
        if a.template == domain.Template.REFLECTION else [],
    }


def grade_json(s: Submission) -> dict | None:
    grade = s.grade
    if grade is None or s.state != domain.State.GRADED:
        return None
    return {"score": grade.score, "max_score": grade.max_score, "passed": grade.passed, "levels": list(grade.levels),
            "feedback": html.clean(grade.feedback), "graded_at": timestamp(grade.graded_at),
            "grader": {"id": grade.grader.id, "full_name": grade.grader.full_name} if grade.grader else None}


def submission_json(s: Submission) -> dict:
    user = s.user
    return {
        "id": s.id, "assignment_id": s.assignment_id,
        "user": {"id": user.id, "username": user.username, "full_name": user.full_name},
        "state": s.state, "text": html.clean(s.text),
        "sections": {key: html.clean((s.sections or {}).get(key, "")) for key in domain.SECTION_KEYS}
        if s.assignment.template == domain.Template.REFLECTION else {},
        "word_count": s.word_count, "submitted_at": timestamp(s.submitted_at), "late": s.late,
        "times_submitted": s.times_submitted,
        "files": [{"id": link.id, "name": link.file.original_name, "content_type": link.file.content_type,
                   "size": link.file.size} for link in s.files],
        "grade": grade_json(s),
    }


# ---- lookups -----------------------------------------------------------------------------------------------------

def _assignment(assignment_id: int) -> Assignment:
    a = db.session.get(Assignment, assignment_id)
    item = services.item_for(a) if a is not None else None
    if a is None or item is None or not authz.can(_current(), "course.view", a.course) or \
            (not item.visible and not authz.can(_current(), "assignment.manage", a.course)):
        raise ApiError(404, "No assignment with this id.", "not_found")
    if not authz.can(_current(), "assignment.view", a):
        raise ApiError(403, "The token's owner may not open this assignment.", "forbidden")
    return a


def _submission(submission_id: int, action: str) -> Submission:
    s = db.session.get(Submission, submission_id)
    if s is None or not authz.can(_current(), action, s):
        raise ApiError(404, "No submission with this id.", "not_found")
    return s


def _text(data: dict, name: str, errors: dict) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        errors[name] = f"Must be a string of at most {MAX_TEXT} characters."
        return None
    return value


# ---- routes ------------------------------------------------------------------------------------------------------

@bp.get("/courses/<int:id>/assignments")
def course_assignments(id: int):
    course: Course = _visible_course(id)
    if not authz.can(_current(), "course.study", course):
        raise ApiError(403, "The token's owner is not allowed to do this in this course.", "forbidden")
    rows = services.course_assignments(course, include_hidden=authz.can(_current(), "assignment.manage", course))
    return jsonify({"items": [assignment_json(a) for a in rows], "total": len(rows)})


@bp.get("/assignments/<int:id>")
def assignment_detail(id: int):
    a = _assignment(id)
    mine = services.submission_of(a, _current().id)
    return jsonify({**assignment_json(a), "my_submission": submission_json(mine) if mine else None})


@bp.put("/assignments/<int:id>/submission")
def my_submission(id: int):
    """Save the caller's draft ({text} or {sections}); with "submit": true submit it as well."""
    a = _assignment(id)
    if not authz.can(_current(), "assignment.submit", a):
        raise ApiError(403, "Only enrolled learners hand in assignments.", "forbidden")
    data, errors = _body({"text", "sections", "submit"})
    text = _text(data, "text", errors)
    sections = data.get("sections")
    if sections is not None:
        if not isinstance(sections, dict) or set(sections) - set(domain.SECTION_KEYS) or \
                any(not isinstance(v, str) or len(v) > MAX_TEXT for v in sections.values()):
            errors["sections"] = f"An object with string values under {', '.join(domain.SECTION_KEYS)}."
            sections = None
    submit = data.get("submit", False)
    if not isinstance(submit, bool):
        errors["submit"] = "Must be true or false."
    if errors:
        raise ApiError(422, "Invalid body.", "invalid", errors)
    if text is None and sections is None and not submit:
        raise ApiError(422, "Invalid body.", "invalid", {"body": "Send text, sections or submit."})
    user = _current()
    if text is not None or sections is not None:
        existing = services.submission_of(a, user.id)
        merged = {**(existing.sections if existing else {}), **sections} if sections is not None else None
        services.save_draft(user, a, text=text, sections=merged)
    if submit:
        services.submit(user, a)
    return jsonify(submission_json(services.submission_of(a, user.id)))


@bp.get("/assignments/<int:id>/submissions")
def assignment_submissions(id: int):
    a = _assignment(id)
    if not authz.can(_current(), "assignment.grade_any", a):
        raise ApiError(403, "Only the assignment's graders list its submissions.", "forbidden")
    query = Query({"status", "unit_id", "late", "page", "per_page"})
    status = query.choice("status", grading.QUEUE_STATUSES) or "all"
    unit_id = query.integer("unit_id")
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        query.errors["unit_id"] = "No unit with this id."
    late = query.boolean("late")
    page, per_page = query.page()
    query.done()
    stmt = grading.queue_query(_current(), a, status=status, unit_id=unit_id, late=late)
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, max_per_page=MAX_PER_PAGE)
    return jsonify(page_envelope(result, submission_json))


@bp.get("/submissions/<int:id>")
def submission_detail(id: int):
    return jsonify(submission_json(_submission(id, "submission.view")))


@bp.put("/submissions/<int:id>/grade")
def submission_grade(id: int):
    """Grade: {"levels": [..]} for a rubric, {"score": n} for a score, {"passed": bool}; "feedback" optional."""
    s = _submission(id, "submission.view")
    if not authz.can(_current(), "submission.grade", s):
        raise ApiError(403, "The token's owner may not grade this submission.", "forbidden")
    data, errors = _body({"levels", "score", "passed", "feedback"})
    levels = data.get("levels")
    if levels is not None and (not isinstance(levels, list) or
                               any(isinstance(x, bool) or not isinstance(x, int) for x in levels)):
        errors["levels"] = "A list of level indexes (integers), one per criterion."
    score = _number(data["score"]) if data.get("score") is not None else None
    if data.get("score") is not None and score is None:
        errors["score"] = "Must be a number."
    passed = data.get("passed")
    if passed is not None and not isinstance(passed, bool):
        errors["passed"] = "Must be true or false."
    feedback = _text(data, "feedback", errors) or ""
    if errors:
        raise ApiError(422, "Invalid body.", "invalid", errors)
    services.grade(_current(), s, levels=levels, score=score, pass_flag=passed, feedback=feedback)
    return jsonify(submission_json(db.session.get(Submission, id)))


@bp.get("/me/submissions")
def my_submissions():
    """The caller's submissions with their grades, newest first."""
    query = Query({"page", "per_page"})
    page, per_page = query.page()
    query.done()
    stmt = select(Submission).where(Submission.user_id == _current().id).order_by(
        Submission.updated_at.desc(), Submission.id.desc())
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, max_per_page=MAX_PER_PAGE)
    return jsonify(page_envelope(result, submission_json))


@bp.get("/users/<int:id>/commitments")
def user_commitments(id: int):
    """A cadre's commitments (action plans of reflection essays): the cadre, administrators and their graders."""
    from elearn.accounts.models import User

    person = db.session.get(User, id)
    if person is None or not authz.can(_current(), "commitments.view", person):
        raise ApiError(404, "No commitments of this person that you may see.", "not_found")
    rows = commitments.commitments_of(person.id)
    return jsonify({"items": [{"id": c.id, "course_id": c.course_id, "assignment_id": c.submission.assignment_id,
                               "submission_id": c.submission_id, "position": c.position, "text": c.text,
                               "created_at": timestamp(c.created_at)} for c in rows], "total": len(rows)})
