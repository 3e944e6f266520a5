"""API endpoints for courses: catalogue, course detail, outline, lessons, enrolment and progress.

Thin adapters over the same services as the course pages (elearn/courses/services.py); every check goes
through core/authz.py with the token's user. As on the pages: a course the caller may not see (a draft of
someone else's) is a 404, its existence not revealed; the study endpoints of a course the caller can see
but not study are a 403; lecturer-only endpoints are a 403 for other people. Every route here is
documented in openapi_courses.py (a test fails otherwise).
"""
from __future__ import annotations

import math

from flask import jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.accounts.models import Unit, User
from elearn.api import ApiError, api_user, bp
from elearn.api import course_schemas as cs
from elearn.api.schemas import page as page_envelope
from elearn.api.views import Query
from elearn.core import authz, clock
from elearn.core.errors import api_error
from elearn.core.pagination import MAX_PER_PAGE
from elearn.courses import catalog, domain, exports, items, services
from elearn.courses.models import Course, CourseLecturer, Enrolment, Lesson, LessonProgress, SectionItem
from elearn.courses.views import MAX_VIDEO_SECONDS
from elearn.extensions import db

MAX_QUERY = 100  # characters of a catalogue search, as on the page
MAX_REASON = 500  # the stored length of an outside-target reason
MAX_KEY = 100


def _current() -> User:
    return api_user()


@bp.errorhandler(services.CourseError)
def _course_error(exc: services.CourseError):
    """A course rule refused the change: 422 "invalid", the rule's English sentences under its field."""
    db.session.rollback()
    texts = [m.render() for m in exc.messages] or ["Refused by a course rule."]
    return api_error(422, texts[0], "invalid", {exc.field or "_": " ".join(texts)})


# --- looking things up with the caller's rights -------------------------------------------------

def _course_not_found():
    raise ApiError(404, "No course with this id.", "not_found")


def _visible_course(course_id: int) -> Course:
    """The course, or 404 when it does not exist or the caller may not see it (drafts)."""
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(_current(), "course.view", course):
        _course_not_found()
    return course


def _course_for(course_id: int, action: str) -> Course:
    """A course the caller may see (else 404) and do `action` on (else 403)."""
    course = _visible_course(course_id)
    if not authz.can(_current(), action, course):
        raise ApiError(403, "The token's owner is not allowed to do this in this course.", "forbidden")
    return course


def _lesson_of(course: Course, lesson_id: int) -> tuple[Lesson, SectionItem | None]:
    """The lesson of this course; hidden (or detached) lessons only for those who edit the course."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id:
        raise ApiError(404, "No lesson with this id in this course.", "not_found")
    item = services.item_for_lesson(lesson)
    if (item is None or not item.visible) and not authz.can(_current(), "course.edit", course):
        raise ApiError(404, "No lesson with this id in this course.", "not_found")
    return lesson, item


def _active_enrolment(user: User, course: Course) -> Enrolment | None:
    enrolment = services.enrolment_of(user.id, course.id)
    return enrolment if enrolment is not None and enrolment.state == "active" else None


def _body(allowed: set[str]) -> tuple[dict, dict[str, str]]:
    """The JSON object sent (an empty body counts as {}), and the problems found so far."""
    if not request.get_data(cache=True).strip():
        return {}, {}
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        raise ApiError(422, "The body must be a JSON object.", "invalid", {"body": "Expected a JSON object."})
    errors = {name: "Unknown field." for name in sorted(set(data) - allowed)}
    return data, errors


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class _ListPage:
    """The pagination envelope over a list already in memory (a person's own enrolments)."""

    def __init__(self, rows: list, page: int, per_page: int):
        self.page, self.per_page, self.total = page, per_page, len(rows)
        self.pages = math.ceil(self.total / per_page) if self.total else 0
        self.items = rows[(page - 1) * per_page: page * per_page]


def _resume(enrolment: Enrolment) -> dict | None:
    item = services.resume_item(enrolment)
    if item is None or not item.visible:
        return None
    provider = items.provider(item.kind)
    view = provider.views([item.ref_id]).get(item.ref_id) if provider else None
    return cs.resume(item, view) if view is not None else None


# --- catalogue ------------------------------------------------------------------------------------

@bp.get("/categories")
def course_categories():
    rows = services.categories()
    return jsonify({"items": [cs.category(c) for c in rows], "total": len(rows)})


@bp.get("/courses")
def courses():
    user = _current()
    query = Query({"q", "category_id", "kind", "page", "per_page"})
    q = query.text("q") or ""
    if len(q) > MAX_QUERY:
        query.errors["q"] = f"At most {MAX_QUERY} characters."
    category_id = query.integer("category_id")
    if category_id is not None and category_id not in {c.id for c in services.categories()}:
        query.errors["category_id"] = "No category with this id."
    kind = query.choice("kind", catalog.CourseKind) or ""
    page, per_page = query.page()
    query.done()
    stmt = services.catalogue_query(user, q=q, category_id=category_id, kind=kind, include_drafts_of=user.id)
    stmt = stmt.options(selectinload(Course.category),
                        selectinload(Course.lecturer_links).selectinload(CourseLecturer.user))
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, max_per_page=MAX_PER_PAGE)
    ids = [course.id for course in result.items]
    enrolled = set(db.session.scalars(
        select(Enrolment.course_id).where(Enrolment.user_id == user.id, Enrolment.state == "active",
                                          Enrolment.course_id.in_(ids or [0]))))
    facts = services.cadre_facts(user)
    year = clock.today_local().year

    def serialise(course: Course) -> dict:
        rules = domain.audience_from_json(course.audience)
        in_audience = None if not rules else domain.match_audience(facts, rules, year).ok
        return cs.course_summary(course, enrolled=course.id in enrolled, in_audience=in_audience)

    return jsonify(page_envelope(result, serialise))


@bp.get("/courses/<int:id>")
def course(id: int):
    course = _visible_course(id)
    user = _current()
    enrolment = _active_enrolment(user, course)
    rules = domain.audience_from_json(course.audience)
    unit_ids = sorted({uid for rule in rules for uid in rule.unit_ids})
    unit_names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) \
        if unit_ids else {}
    problems = None if enrolment is not None else services.self_enrol_check(user, course)
    return jsonify(cs.course_detail(
        course, enrolled_row=enrolment,
        in_audience=services.audience_match(user, course).ok if rules else None,
        audience_lines=domain.describe_audience(rules, unit_names), self_enrol_problems=problems,
        places_taken=services.active_count(course), can_study=authz.can(user, "course.study", course),
        can_edit=authz.can(user, "course.edit", course)))


@bp.get("/courses/<int:id>/sections")
def course_sections(id: int):
    course = _course_for(id, "course.study")
    user = _current()
    enrolment = _active_enrolment(user, course)
    outline = services.outline(course, user.id if enrolment else None,
                               include_hidden=authz.can(user, "course.edit", course))
    return jsonify({"items": [cs.section(section, entries) for section, entries in outline], "total": len(outline)})


@bp.get("/courses/<int:id>/lessons/<int:lesson_id>")
def course_lesson(id: int, lesson_id: int):
    """The lesson for reading; unlike the page, this records no view (post progress for that)."""
    course = _course_for(id, "course.study")
    lesson, item = _lesson_of(course, lesson_id)
    user = _current()
    url = None
    if lesson.kind == catalog.LessonKind.LINK and catalog.is_http_url(lesson.url):
        url = lesson.url
    elif lesson.kind == catalog.LessonKind.VIDEO and lesson.url \
            and catalog.embed_allowed(lesson.url, services.embed_hosts()):
        url = lesson.url  # an embed still on the admins' allow-list, as the page shows it
    file = None
    if lesson.file is not None:
        page_url = url_for("courses.lesson_file", course_id=course.id, lesson_id=lesson.id)
        file = cs.lesson_file(lesson.file, page_url,
                              url_for("courses.lesson_file", course_id=course.id, lesson_id=lesson.id, download=1))
    my_progress = None
    if _active_enrolment(user, course) is not None:
        row = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == user.id,
                                                             LessonProgress.lesson_id == lesson.id))
        my_progress = cs.lesson_progress(lesson.id, row)
    return jsonify(cs.lesson(lesson, item, url=url, file=file, my_progress=my_progress))


# --- enrolment ------------------------------------------------------------------------------------

@bp.post("/courses/<int:id>/enrolment")
def self_enrolment(id: int):
    course = _visible_course(id)
    user = _current()
    data, errors = _body({"key"})
    key = data.get("key", "")
    if key is None:
        key = ""
    if not isinstance(key, str) or len(key) > MAX_KEY:
        errors["key"] = f"Must be a string of at most {MAX_KEY} characters."
    if errors:
        raise ApiError(422, "Invalid body.", "invalid", errors)
    existing = _active_enrolment(user, course)
    if existing is not None:
        return jsonify(cs.enrolment(existing)), 200
    try:
        enrolment = services.self_enrol(user, course, key if course.enrol_key else "")
    except services.CourseError as err:
        db.session.rollback()
        raise ApiError(422, "Self-enrolment is refused.", "enrolment_refused",
                       {"reasons": [m.render() for m in err.messages]}) from None
    return jsonify(cs.enrolment(enrolment)), 201


def _participant_filters(course: Course, query: Query):
    unit_id = query.integer("unit_id")
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        query.errors["unit_id"] = "No unit with this id."
    completion = query.choice("completion", exports.COMPLETION_FILTERS) or ""
    return unit_id, completion


@bp.route("/courses/<int:id>/enrolments", methods=["GET", "POST"])
def course_enrolments(id: int):
    # One rule for both methods (the OpenAPI test maps each path to one route).
    return _participants(id) if request.method == "GET" else _enrol_someone(id)


def _participants(id: int):
    course = _course_for(id, "course.participants")
    query = Query({"unit_id", "completion", "page", "per_page"})
    unit_id, completion = _participant_filters(course, query)
    page, per_page = query.page()
    query.done()
    stmt = exports.participants_query(course, unit_id=unit_id, completion=completion)
    result = db.paginate(stmt.options(selectinload(Enrolment.user).selectinload(User.profile)), page=page,
                         per_page=per_page, error_out=False, max_per_page=MAX_PER_PAGE)
    return jsonify(page_envelope(result, cs.participant))


def _enrol_someone(id: int):
    course = _course_for(id, "course.enrol_others")
    data, errors = _body({"user_id", "reason"})
    user_id = data.get("user_id")
    person = None
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        errors["user_id"] = "Required: the id of an active user."
    else:
        person = db.session.get(User, user_id)
        if person is None or not person.active:
            errors["user_id"] = "No active user with this id."
    reason = data.get("reason") or ""
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        errors["reason"] = f"Must be a string of at most {MAX_REASON} characters."
    if errors:
        raise ApiError(422, "Invalid body.", "invalid", errors)
    existing = _active_enrolment(person, course)
    if existing is not None:
        return jsonify(cs.enrolment(existing)), 200
    enrolment = services.enrol_person(_current(), course, person, reason=reason)
    return jsonify(cs.enrolment(enrolment)), 201


# --- my courses and progress ----------------------------------------------------------------------

@bp.get("/me/courses")
def my_courses():
    query = Query({"page", "per_page"})
    page, per_page = query.page()
    query.done()
    listing = _ListPage(services.my_enrolments(_current()), page, per_page)
    return jsonify(page_envelope(listing, lambda e: cs.my_course(e, _resume(e))))


@bp.get("/me/courses/<int:id>/progress")
def my_progress(id: int):
    course = _visible_course(id)
    user = _current()
    enrolment = _active_enrolment(user, course)
    if enrolment is None or not authz.can(user, "course.study", course):
        raise ApiError(404, "You are not enrolled in this course.", "not_found")
    lesson_items = [item for section in course.sections for item in section.items
                    if item.kind == "lesson" and item.visible]
    ids = [item.ref_id for item in lesson_items] or [0]
    lessons = {les.id: les for les in db.session.scalars(select(Lesson).where(Lesson.id.in_(ids)))}
    rows = {row.lesson_id: row for row in db.session.scalars(
        select(LessonProgress).where(LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(ids)))}
    lines = [cs.lesson_progress_row(item, lessons[item.ref_id], rows.get(item.ref_id))
             for item in lesson_items if item.ref_id in lessons]
    result = services.completion_status(course, user.id)
    return jsonify(cs.my_progress(course, enrolment, result, lines))


@bp.post("/courses/<int:id>/lessons/<int:lesson_id>/progress")
def lesson_progress(id: int, lesson_id: int):
    """Video progress {share, position} (idempotent) or {done: true|false}: the page's service calls."""
    course = _course_for(id, "course.study")
    lesson, _item = _lesson_of(course, lesson_id)
    data, errors = _body({"share", "position", "done"})
    video = "share" in data or "position" in data
    if video == ("done" in data):
        errors.setdefault("body", "Send either {\"share\", \"position\"} or {\"done\"}.")
    share = position = None
    if video:
        share = _number(data.get("share"))
        if share is None or not 0 <= share <= 1:
            errors["share"] = "Must be a number from 0 to 1 (the share of the video watched)."
        elif lesson.kind != catalog.LessonKind.VIDEO:
            errors["share"] = "Only a video lesson records the share watched."
        position = _number(data.get("position", 0))
        if position is None or not 0 <= position <= MAX_VIDEO_SECONDS:
            errors["position"] = f"Must be a number of seconds from 0 to {MAX_VIDEO_SECONDS}."
    elif "done" in data and not isinstance(data["done"], bool):
        errors["done"] = "Must be true or false."
    if errors:
        raise ApiError(422, "Invalid body.", "invalid", errors)
    user = _current()
    enrolment = _active_enrolment(user, course)
    if enrolment is None:  # a lecturer or admin previewing: nothing to record, as on the page
        raise ApiError(409, "Only enrolled learners record their progress.", "not_enrolled")
    if video:
        row = services.record_video(user, enrolment, lesson, share, position)
    else:
        row = services.mark_done(user, enrolment, lesson, done=data["done"])
    return jsonify({"lesson_progress": cs.lesson_progress(lesson.id, row), "enrolment": cs.enrolment(enrolment)})
