"""Learner pages: catalogue, course page, lessons and their files, my courses, notifications.

Thin adapters: read the request, ask core/authz.py, call courses/services.py, render. A course a person
may not see is a 404 (its existence is not revealed); a lesson of a visible course the person may not
study is a 403; a file of a course the person may not study is a 404.
"""
from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from elearn.accounts.models import Unit, User
from elearn.core import authz, clock, security
from elearn.core.files import send_stored
from elearn.core.notifications import Notification
from elearn.core.pagination import paginate
from elearn.core.uploads import format_size
from elearn.courses import catalog, domain, items, services
from elearn.courses.blueprint import bp
from elearn.courses.forms import CatalogueForm, EnrolForm, lenient_int
from elearn.courses.models import Announcement, Course, EmbedHost, Enrolment, Lesson, SectionItem
from elearn.extensions import db

FILE_MAX_AGE = 3600  # private caching of lesson files; the ETag (SHA-256) makes revalidation cheap
ANNOUNCEMENTS_SHOWN = 5
MAX_VIDEO_SECONDS = 48 * 3600  # a reported position beyond this is nonsense


def _actor() -> User:
    return current_user._get_current_object()


def _active_enrolment(user: User, course: Course) -> Enrolment | None:
    enrolment = services.enrolment_of(user.id, course.id)
    return enrolment if enrolment is not None and enrolment.state == "active" else None


def _visible_course(course_id: int) -> Course:
    """The course, or 404 when it does not exist or the person may not see it (drafts)."""
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    return course


def _lesson_of(course: Course, lesson_id: int) -> tuple[Lesson, SectionItem | None]:
    """The lesson of this course; hidden (or detached) lessons only for those who edit the course."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id:
        abort(404)
    item = services.item_for_lesson(lesson)
    if (item is None or not item.visible) and not authz.can(current_user, "course.edit", course):
        abort(404)
    return lesson, item


def _studied_lesson(course_id: int, lesson_id: int, *, hide: bool) -> tuple[Course, Lesson, SectionItem | None]:
    """Course and lesson the person may study. `hide`: answer 404 (files) rather than 403 (pages)."""
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, "course.study", course):
        abort(404 if hide else 403)
    lesson, item = _lesson_of(course, lesson_id)
    return course, lesson, item


def _kind_labels() -> dict:
    return {"course": catalog.COURSE_KIND_LABELS, "lesson": catalog.LESSON_KIND_LABELS,
            "method": catalog.ENROL_METHOD_LABELS, "state": catalog.COURSE_STATE_LABELS}


def _item_url(item: SectionItem | None) -> str | None:
    if item is None or not item.visible:
        return None
    prov = items.provider(item.kind)
    view = prov.views([item.ref_id]).get(item.ref_id) if prov else None
    return view.url if view else None


def _percent(share: float | None) -> int:
    return int(round((share or 0) * 100))


# ---- catalogue ---------------------------------------------------------------------------------

@bp.route("/courses")
@login_required
def catalogue():
    user = _actor()
    form = CatalogueForm(request.args, categories=services.categories())
    q = (form.q.data or "").strip()[:100]
    kind = form.kind.data if form.kind.data in set(catalog.CourseKind) else ""
    stmt = services.catalogue_query(user, q=q, category_id=lenient_int(form.category.data), kind=kind,
                                    include_drafts_of=user.id)
    page = paginate(stmt.options(selectinload(Course.category)))
    ids = [course.id for course in page.items]
    enrolled = set(db.session.scalars(
        select(Enrolment.course_id).where(Enrolment.user_id == user.id, Enrolment.state == "active",
                                          Enrolment.course_id.in_(ids or [0]))))
    facts = services.cadre_facts(user)
    year = clock.today_local().year
    audience = {}
    for course in page.items:
        rules = domain.audience_from_json(course.audience)
        audience[course.id] = None if not rules else domain.match_audience(facts, rules, year).ok
    return render_template("courses/catalogue.html", form=form, page=page, enrolled=enrolled, audience=audience,
                           labels=_kind_labels(), searched=bool(q or form.category.data or kind))


# ---- course page and self-enrolment ------------------------------------------------------------

_GENERIC_AUDIENCE = "This course is meant for another target group."


def _without_generic_audience(messages: list, match) -> list:
    """Drop the generic "another target group" line when the specific audience reasons are listed too."""
    if match is None or match.ok or not match.reasons:
        return messages
    return [m for m in messages if m.msgid != _GENERIC_AUDIENCE]


def _course_page(course: Course, form: EnrolForm | None = None, errors=None):
    user = _actor()
    enrolment = _active_enrolment(user, course)
    can_study = authz.can(user, "course.study", course)
    can_edit = authz.can(user, "course.edit", course)
    outline = services.outline(course, user.id if enrolment else None, include_hidden=can_edit)
    item_urls = {item.id: view.url for _section, entries in outline for item, view, _done in entries}

    resume_url = completion = None
    if enrolment is not None:
        resume = services.resume_item(enrolment)
        resume_url = item_urls.get(resume.id) if resume is not None else None
        completion = services.completion_status(course, user.id)

    rules = domain.audience_from_json(course.audience)
    unit_ids = sorted({uid for rule in rules for uid in rule.unit_ids})
    unit_names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) \
        if unit_ids else {}
    audience_lines = domain.describe_audience(rules, unit_names)
    match = services.audience_match(user, course) if rules else None

    # Self-enrolment: who is not enrolled (and does not teach) sees the form, or every reason why not.
    show_enrol = enrolment is None and not can_edit
    problems = _without_generic_audience(services.self_enrol_check(user, course), match) if show_enrol else []
    if form is None and show_enrol and not problems:
        form = EnrolForm()
    if form is not None and not course.enrol_key and "key" in form:
        del form.key

    announcements = []
    if can_study:
        announcements = db.session.scalars(
            select(Announcement).where(Announcement.course_id == course.id)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc()).limit(ANNOUNCEMENTS_SHOWN)).all()

    return render_template(
        "courses/course.html", course=course, enrolment=enrolment, can_study=can_study, can_edit=can_edit,
        outline=outline, resume_url=resume_url, completion=completion, audience_lines=audience_lines, match=match,
        show_enrol=show_enrol, problems=problems, errors=errors or [], form=form,
        places_taken=services.active_count(course) if course.capacity else None,
        announcements=announcements, labels=_kind_labels(), percent=_percent)


@bp.route("/courses/<int:course_id>")
@login_required
def course(course_id: int):
    return _course_page(_visible_course(course_id))


@bp.route("/courses/<int:course_id>/enrol", methods=["POST"])
@login_required
def enrol(course_id: int):
    course = _visible_course(course_id)
    user = _actor()
    if _active_enrolment(user, course) is not None:
        return redirect(url_for("courses.course", course_id=course.id))
    form = EnrolForm()
    if not course.enrol_key:
        del form.key
    if not form.validate_on_submit():
        return _course_page(course, form=form)
    key = (form.key.data or "") if course.enrol_key else ""
    try:
        services.self_enrol(user, course, key)
    except services.CourseError as err:
        db.session.rollback()
        key_messages = [m for m in err.messages if m.msgid == "The enrolment key is wrong."]
        if key_messages and "key" in form:
            form.key.errors = [m.render(_) for m in key_messages]
        others = _without_generic_audience([m for m in err.messages if m not in key_messages],
                                           services.audience_match(user, course))
        return _course_page(course, form=form, errors=others)
    flash(_("You are enrolled in “%(title)s”.", title=course.title), "success")
    return redirect(url_for("courses.course", course_id=course.id))


# ---- lessons -------------------------------------------------------------------------------------

def _neighbours(outline, item: SectionItem | None) -> tuple:
    """(previous, next) outline entries (item, view) around `item`."""
    flat = [(entry_item, view) for _section, entries in outline for entry_item, view, _done in entries]
    index = next((i for i, (entry_item, _v) in enumerate(flat) if item is not None and entry_item.id == item.id), None)
    if index is None:
        return None, None
    return (flat[index - 1] if index > 0 else None), (flat[index + 1] if index + 1 < len(flat) else None)


def _embed_origin(url: str) -> str | None:
    """The https origin of an embed URL that is (still) on the admins' allow-list, else None."""
    hosts = set(db.session.scalars(select(EmbedHost.host)))
    if not catalog.embed_allowed(url, hosts):
        return None
    parts = urlsplit(url.strip())
    return f"https://{parts.netloc.rsplit('@', 1)[-1].lower()}"


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>")
@login_required
def lesson(course_id: int, lesson_id: int):
    course, lesson, item = _studied_lesson(course_id, lesson_id, hide=False)
    user = _actor()
    enrolment = _active_enrolment(user, course)
    progress = None
    if enrolment is not None:  # lecturers and admins preview without records
        progress = services.record_view(user, enrolment, lesson, item)
    can_edit = authz.can(user, "course.edit", course)
    outline = services.outline(course, user.id if enrolment else None, include_hidden=can_edit)
    previous, following = _neighbours(outline, item)

    embed_origin = None
    if lesson.kind == catalog.LessonKind.VIDEO and lesson.url:
        embed_origin = _embed_origin(lesson.url)
    can_mark = (enrolment is not None and lesson.completion_mode in
                (catalog.CompletionMode.MANUAL, catalog.CompletionMode.ON_VIEW))
    response = make_response(render_template(
        "courses/lesson.html", course=course, lesson=lesson, item=item, enrolment=enrolment, progress=progress,
        previous=previous, following=following, embed_origin=embed_origin, can_mark=can_mark,
        link_ok=lesson.kind == catalog.LessonKind.LINK and catalog.is_http_url(lesson.url),
        file_size=format_size(lesson.file.size) if lesson.file is not None else "",
        percent=_percent, labels=_kind_labels()))
    if embed_origin:  # only this response may frame the allowed video host
        response.headers["Content-Security-Policy"] = security.csp_with_frames([embed_origin])
    return response


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/file")
@login_required
def lesson_file(course_id: int, lesson_id: int):
    _course, lesson, _item = _studied_lesson(course_id, lesson_id, hide=True)
    if lesson.file is None:
        abort(404)
    return send_stored(lesson.file, as_attachment=request.args.get("download") == "1", max_age=FILE_MAX_AGE)


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/done", methods=["POST"])
@login_required
def lesson_done(course_id: int, lesson_id: int):
    course, lesson, _item = _studied_lesson(course_id, lesson_id, hide=False)
    user = _actor()
    enrolment = _active_enrolment(user, course)
    if enrolment is None:
        flash(_("Only enrolled learners record their progress."), "warning")
    else:
        done = request.form.get("done", "1") != "0"
        try:
            services.mark_done(user, enrolment, lesson, done=done)
        except services.CourseError as err:
            db.session.rollback()
            for message in err.messages:
                flash(message.render(_), "error")
        else:
            flash(_("Marked as done.") if done else _("Marked as not done."), "success")
    return redirect(url_for("courses.lesson", course_id=course.id, lesson_id=lesson.id))


def _json_problem(status: int, message: str):
    response = jsonify(error={"message": message})
    response.status_code = status
    return response


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/progress", methods=["POST"])
@login_required
def lesson_progress(course_id: int, lesson_id: int):
    """Video progress from static/js/video-progress.js: JSON {share, position}. Idempotent."""
    course, lesson, _item = _studied_lesson(course_id, lesson_id, hide=True)
    if lesson.kind != catalog.LessonKind.VIDEO:
        return _json_problem(400, "not a video lesson")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_problem(400, "expected a JSON object {share, position}")
    try:
        share = float(data.get("share"))
        position = float(data.get("position", 0))
    except (TypeError, ValueError):
        return _json_problem(400, "share and position must be numbers")
    if not (math.isfinite(share) and math.isfinite(position)) or not 0 <= share <= 1 \
            or not 0 <= position <= MAX_VIDEO_SECONDS:
        return _json_problem(400, "share must be in 0..1 and position in seconds")
    user = _actor()
    enrolment = _active_enrolment(user, course)
    if enrolment is None:  # a lecturer previewing
        return jsonify(recorded=False)
    row = services.record_video(user, enrolment, lesson, share, position)
    return jsonify(recorded=True, share=row.watched_share, position=row.position_seconds,
                   completed=row.completed_at is not None, progress=enrolment.progress,
                   course_completed=enrolment.completed_at is not None)


# ---- my courses ----------------------------------------------------------------------------------

@bp.route("/my/courses")
@login_required
def my():
    user = _actor()
    rows = []
    for enrolment in services.my_enrolments(user):
        rows.append((enrolment, _item_url(services.resume_item(enrolment))))
    return render_template("courses/my.html", rows=rows, percent=_percent, labels=_kind_labels())


# ---- notifications -------------------------------------------------------------------------------

@bp.route("/notifications")
@login_required
def notifications():
    user = _actor()
    authz.require("notifications.read")
    page = paginate(select(Notification).where(Notification.user_id == user.id)
                    .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return render_template("courses/notifications.html", page=page)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read():
    user = _actor()
    authz.require("notifications.read")
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=clock.now()))
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("courses.notifications"))


def _internal_path(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    return url


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def notification_open(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None or not authz.can(current_user, "notifications.read", notification):
        abort(404)
    if notification.read_at is None:
        notification.read_at = clock.now()
        db.session.commit()
    return redirect(_internal_path(notification.url) or url_for("courses.notifications"))
