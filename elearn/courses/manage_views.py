"""Lecturer pages: authoring, structure, audience, completion rules, enrolment, participants,
announcements, and the admins' video-embed allow-list.

Thin adapters, like the learner pages: read the request, ask core/authz.py, call services.py, render.
A course a person may not see (a draft they do not teach) is a 404; a course they see but may not
manage is a 403. Every change is a POST with a CSRF token; every removal has a confirmation page.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from elearn.accounts.models import Unit, User, UserRole
from elearn.admin.forms import unit_choices
from elearn.admin.views import unit_tree
from elearn.core import authz
from elearn.core.files import StoredFile
from elearn.core.pagination import paginate
from elearn.core.text import like_pattern
from elearn.core.uploads import UploadError, save_image, save_upload, send_stored
from elearn.courses import catalog, domain, exports, items, services
from elearn.courses import manage_forms as forms
from elearn.courses.blueprint import bp
from elearn.courses.catalog import CourseState, LessonKind
from elearn.courses.models import (
    Announcement,
    Course,
    CourseLecturer,
    EmbedHost,
    Enrolment,
    Lesson,
    Section,
    SectionItem,
)
from elearn.courses.services import CourseError
from elearn.extensions import db

IMAGE_MAX_AGE = 86400  # course images change name when replaced, so a day of private caching is safe
PEOPLE_SHOWN = 20  # search results on the enrolment page
MATCHING_SHOWN = 50  # names listed before "enrol everyone who matches"
COPY_LINEAGE_DEPTH = 20


# --- helpers ------------------------------------------------------------------------------------

def _actor() -> User:
    return current_user._get_current_object()


def _managed(course_id: int, action: str = "course.edit") -> Course:
    """The course, if the person may do `action` on it: 404 when they may not even see it, else 403."""
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, action, course):
        abort(403)
    return course


def _section_of(course: Course, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.course_id != course.id:
        abort(404)
    return section


def _item_of(course: Course, item_id: int) -> SectionItem:
    item = db.session.get(SectionItem, item_id)
    if item is None or item.section.course_id != course.id:
        abort(404)
    return item


def _texts(messages) -> list[str]:
    return [m.render(_) for m in messages]


def _flash_error(err: CourseError) -> None:
    db.session.rollback()
    for text in _texts(err.messages):
        flash(text, "error")


def _labels() -> dict:
    return {"kind": catalog.COURSE_KIND_LABELS, "state": catalog.COURSE_STATE_LABELS,
            "lesson": catalog.LESSON_KIND_LABELS, "method": catalog.ENROL_METHOD_LABELS,
            "mode": catalog.COMPLETION_MODE_LABELS}


def _render(template: str, course: Course | None = None, **context):
    return render_template(f"courses/manage/{template}", course=course, labels=_labels(), **context)


def _uploaded(field) -> bool:
    data = getattr(field, "data", None)
    return bool(data is not None and getattr(data, "filename", ""))


def _unit_names(rules) -> dict[int, str]:
    ids = sorted({uid for rule in rules for uid in rule.unit_ids})
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


def _lineage(course: Course) -> list[int]:
    """The course and the courses it was copied from (nearest first)."""
    ids, node = [], course
    while node is not None and node.id not in ids and len(ids) < COPY_LINEAGE_DEPTH:
        ids.append(node.id)
        node = db.session.get(Course, node.copied_from_id) if node.copied_from_id else None
    return ids


# --- courses I teach, new course, settings --------------------------------------------------------

@bp.route("/teaching")
@login_required
def teaching():
    authz.require("course.create")
    show_all = request.args.get("scope") == "all" and authz.can(current_user, "admin.access")
    stmt = select(Course).options(selectinload(Course.category))
    if not show_all:
        taught = select(CourseLecturer.course_id).where(CourseLecturer.user_id == current_user.id)
        stmt = stmt.where(Course.id.in_(taught))
    page = paginate(stmt.order_by(Course.updated_at.desc(), Course.id.desc()))
    ids = [c.id for c in page.items] or [0]
    counts = dict(db.session.execute(
        select(Enrolment.course_id, func.count()).where(Enrolment.course_id.in_(ids), Enrolment.state == "active")
        .group_by(Enrolment.course_id)).all())
    return _render("teaching.html", page=page, counts=counts, show_all=show_all,
                   is_admin=authz.can(current_user, "admin.access"))


def _lecturer_choices(course: Course) -> list:
    lecturers = db.session.scalars(
        select(User).where(User.id.in_(select(UserRole.user_id).where(UserRole.role == "lecturer")),
                           User.active.is_(True))).all()
    people = {u.id: u for u in lecturers}
    for link in course.lecturer_links:  # keep current lecturers choosable even without the role
        people.setdefault(link.user_id, link.user)
    ordered = sorted(people.values(), key=lambda u: (u.search_name, u.id))
    return [forms.choice(str(u.id), f"{u.full_name} ({u.username})") for u in ordered]


def _save_cover(form) -> StoredFile | None:
    """The uploaded cover image (re-encoded), or None; UploadError goes on the field."""
    if not _uploaded(form.cover):
        return None
    return save_image(form.cover.data, owner=_actor(), attached_type="course_cover")


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
def new():
    authz.require("course.create")
    form = forms.CourseForm(categories=services.categories())
    del form.lecturers, form.remove_cover
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            cover = _save_cover(form)
            course = services.create_course(_actor(), form.course_data())
        except UploadError as err:
            db.session.rollback()
            form.cover.errors = [err.translated()]
        except CourseError as err:
            db.session.rollback()
            errors = forms.show_course_error(form, err)
        else:
            if cover is not None:
                services.set_cover(_actor(), course, cover)
            flash(_("The course %(code)s has been created as a draft. Add its sections and lessons next.",
                    code=course.code), "success")
            return redirect(url_for("courses.structure", course_id=course.id))
    return _render("settings.html", form=form, errors=errors)


@bp.route("/courses/<int:course_id>/manage/settings", methods=["GET", "POST"])
@login_required
def edit(course_id: int):
    course = _managed(course_id)
    form = forms.CourseForm(data=forms.course_form_data(course) if request.method == "GET" else None,
                            categories=services.categories())
    form.lecturers.choices = _lecturer_choices(course)
    if not course.cover_file_id:
        del form.remove_cover
    errors: list[str] = []
    if form.validate_on_submit():
        lecturers = [uid for uid in (form.lecturers.data or []) if uid]
        if not lecturers:
            form.lecturers.errors = [_("A course needs at least one lecturer.")]
        else:
            try:
                cover = _save_cover(form)
                services.update_course(_actor(), course, form.course_data())
                if set(lecturers) != course.lecturer_ids:
                    services.set_lecturers(_actor(), course, lecturers)
                if cover is not None:
                    services.set_cover(_actor(), course, cover)
                elif "remove_cover" in form and form.remove_cover.data:
                    services.set_cover(_actor(), course, None)
            except UploadError as err:
                db.session.rollback()
                form.cover.errors = [err.translated()]
            except CourseError as err:
                db.session.rollback()
                errors = forms.show_course_error(form, err)
            else:
                flash(_("The changes have been saved."), "success")
                if not authz.can(current_user, "course.edit", course):  # they removed themself
                    return redirect(url_for("courses.teaching"))
                return redirect(url_for("courses.edit", course_id=course.id))
        course = db.session.get(Course, course_id)
    return _render("settings.html", course=course, form=form, errors=errors)


# --- dashboard, state, copy ---------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/manage")
@login_required
def manage(course_id: int):
    course = _managed(course_id)
    rules = domain.audience_from_json(course.audience)
    stats = dict(db.session.execute(
        select(Enrolment.in_target, func.count()).where(Enrolment.course_id == course.id,
                                                        Enrolment.state == "active")
        .group_by(Enrolment.in_target)).all())
    completed = db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.state == "active", Enrolment.completed_at.is_not(None))) or 0
    targets = sorted(catalog.TRANSITIONS.get(CourseState(course.state), ()),
                     key=lambda s: list(CourseState).index(s))
    return _render("dashboard.html", course=course, lessons=services.lesson_count(course),
                   enrolled=sum(stats.values()), outside=stats.get(False, 0), completed=completed,
                   audience_lines=domain.describe_audience(rules, _unit_names(rules)), targets=targets,
                   state_form=forms.StateForm())


@bp.route("/courses/<int:course_id>/manage/state", methods=["POST"])
@login_required
def state(course_id: int):
    course = _managed(course_id)
    form = forms.StateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_state(_actor(), course, form.state.data)
    except CourseError as err:
        _flash_error(err)
    else:
        done = {CourseState.PUBLISHED: _("The course is published: the people it is meant for can find it now."),
                CourseState.DRAFT: _("The course is back in draft: only its lecturers can see it."),
                CourseState.ARCHIVED: _("The course is archived: its learners keep their results.")}
        flash(done[CourseState(form.state.data)], "success")
    return redirect(url_for("courses.manage", course_id=course.id))


def _free_code(code: str) -> str:
    for n in range(2, 100):
        candidate = f"{code[:36]}-{n}"
        if not db.session.scalar(select(Course.id).where(Course.code == candidate)):
            return candidate
    return ""


@bp.route("/courses/<int:course_id>/manage/copy", methods=["GET", "POST"])
@login_required
def copy(course_id: int):
    course = _managed(course_id, "course.copy")
    form = forms.CopyForm(data={"code": _free_code(course.code), "title": course.title}
                          if request.method == "GET" else None)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            new_course = services.copy_course(_actor(), course, form.code.data, form.title.data)
        except CourseError as err:
            db.session.rollback()
            errors = forms.show_course_error(form, err)
        else:
            flash(_("The course has been copied into the new draft %(code)s.", code=new_course.code), "success")
            return redirect(url_for("courses.manage", course_id=new_course.id))
    return _render("copy.html", course=course, form=form, errors=errors)


# --- structure ----------------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/manage/structure")
@login_required
def structure(course_id: int):
    course = _managed(course_id)
    outline = services.outline(course, None, include_hidden=True)
    section_choices = [(str(s.id), s.title) for s in course.sections]
    return _render("structure.html", course=course, outline=outline, section_form=forms.SectionForm(),
                   move_form=forms.MoveForm(), section_choices=section_choices, kinds=list(LessonKind))


@bp.route("/courses/<int:course_id>/manage/sections", methods=["POST"])
@login_required
def section_new(course_id: int):
    course = _managed(course_id)
    form = forms.SectionForm()
    if form.validate_on_submit():
        try:
            section = services.add_section(_actor(), course, form.title.data, form.summary.data or "")
        except CourseError as err:
            _flash_error(err)
        else:
            flash(_("The section “%(title)s” has been added.", title=section.title), "success")
            return redirect(url_for("courses.structure", course_id=course.id) + f"#section-{section.id}")
    else:
        for errors in form.errors.values():
            for text in errors:
                flash(str(text), "error")
    return redirect(url_for("courses.structure", course_id=course.id))


@bp.route("/courses/<int:course_id>/manage/sections/<int:section_id>/edit", methods=["GET", "POST"])
@login_required
def section_edit(course_id: int, section_id: int):
    course = _managed(course_id)
    section = _section_of(course, section_id)
    form = forms.SectionForm(data={"title": section.title, "summary": section.summary}
                             if request.method == "GET" else None)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            services.update_section(_actor(), section, form.title.data, form.summary.data or "")
        except CourseError as err:
            db.session.rollback()
            errors = forms.show_course_error(form, err)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("courses.structure", course_id=course.id) + f"#section-{section.id}")
    return _render("section_form.html", course=course, section=section, form=form, errors=errors)


@bp.route("/courses/<int:course_id>/manage/sections/<int:section_id>/delete", methods=["GET", "POST"])
@login_required
def section_delete(course_id: int, section_id: int):
    course = _managed(course_id)
    section = _section_of(course, section_id)
    form = forms.ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        title = section.title
        services.delete_section(_actor(), section)
        flash(_("The section “%(title)s” and its items have been deleted.", title=title), "success")
        return redirect(url_for("courses.structure", course_id=course.id))
    entries = next((e for s, e in services.outline(course, None, include_hidden=True) if s.id == section.id), [])
    return _render("section_delete.html", course=course, section=section, entries=entries, form=form)


@bp.route("/courses/<int:course_id>/manage/sections/<int:section_id>/move", methods=["POST"])
@login_required
def section_move(course_id: int, section_id: int):
    course = _managed(course_id)
    section = _section_of(course, section_id)
    form = forms.MoveForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_section(_actor(), section, -1 if form.direction.data == "up" else 1)
    return redirect(url_for("courses.structure", course_id=course.id) + f"#section-{section.id}")


@bp.route("/courses/<int:course_id>/manage/items/<int:item_id>/move", methods=["POST"])
@login_required
def item_move(course_id: int, item_id: int):
    course = _managed(course_id)
    item = _item_of(course, item_id)
    if "section_id" in request.form:
        form = forms.MoveToSectionForm()
        if not form.validate_on_submit():
            abort(400)
        target = _section_of(course, forms.lenient_int(form.section_id.data) or 0)
        try:
            services.move_item(_actor(), item, to_section=target)
        except CourseError as err:
            _flash_error(err)
    else:
        form = forms.MoveForm()
        if not form.validate_on_submit():
            abort(400)
        services.move_item(_actor(), item, -1 if form.direction.data == "up" else 1)
    return redirect(url_for("courses.structure", course_id=course.id) + f"#item-{item.id}")


@bp.route("/courses/<int:course_id>/manage/items/<int:item_id>/delete", methods=["GET", "POST"])
@login_required
def item_delete(course_id: int, item_id: int):
    course = _managed(course_id)
    item = _item_of(course, item_id)
    prov = items.provider(item.kind)
    view = prov.views([item.ref_id]).get(item.ref_id) if prov else None
    form = forms.ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        services.delete_item(_actor(), item)
        flash(_("The item has been deleted from the course."), "success")
        return redirect(url_for("courses.structure", course_id=course.id))
    learners_done = 0
    if item.kind == "lesson":
        from elearn.courses.models import LessonProgress

        learners_done = db.session.scalar(select(func.count()).select_from(LessonProgress).where(
            LessonProgress.lesson_id == item.ref_id, LessonProgress.completed_at.is_not(None))) or 0
    return _render("item_delete.html", course=course, item=item, view=view, form=form, learners_done=learners_done)


# --- lessons ------------------------------------------------------------------------------------

def _course_images(course: Course) -> list[StoredFile]:
    return list(db.session.scalars(
        select(StoredFile).where(StoredFile.attached_type == "course_image", StoredFile.attached_id == course.id)
        .order_by(StoredFile.created_at.desc(), StoredFile.id.desc()).limit(60)))


def _lesson_file(form, kind: str) -> StoredFile | None:
    """The lesson's uploaded file, type checked by content: a PDF for documents, MP4/WebM for videos."""
    if kind not in (LessonKind.DOCUMENT, LessonKind.VIDEO) or not _uploaded(form.file):
        return None
    allowed = {"document"} if kind == LessonKind.DOCUMENT else {"video"}
    return save_upload(form.file.data, allowed_kinds=allowed, owner=_actor(), attached_type="lesson")


def _lesson_page(course, form, *, section=None, lesson=None, errors=(), item=None):
    return _render("lesson_form.html", course=course, form=form, section=section, lesson=lesson, item=item,
                   errors=list(errors), kind=form.kind, images=_course_images(course), image_form=forms.ImageForm(),
                   hosts=sorted(services.embed_hosts()))


def _save_lesson(course: Course, form, save) -> tuple[Lesson | None, list[str]]:
    """Run `save(file)` with the uploaded file; put refusals on the form. Returns (lesson, other errors)."""
    if form.kind == LessonKind.VIDEO and _uploaded(form.file) and (form.url.data or "").strip():
        form.url.errors = [_("Give either a video file or the address of a video, not both.")]
        return None, []
    try:
        return save(_lesson_file(form, form.kind)), []
    except UploadError as err:
        db.session.rollback()
        form.file.errors = [*form.file.errors, err.translated()]
    except CourseError as err:
        db.session.rollback()
        return None, forms.show_course_error(form, err)
    return None, []


@bp.route("/courses/<int:course_id>/manage/sections/<int:section_id>/lessons/new", methods=["GET", "POST"])
@login_required
def lesson_new(course_id: int, section_id: int):
    course = _managed(course_id)
    section = _section_of(course, section_id)
    kind = request.args.get("kind", LessonKind.PAGE)
    if kind not in set(LessonKind):
        abort(404)
    form = forms.LessonForm(kind=kind)
    errors: list[str] = []
    if form.validate_on_submit():
        lesson, errors = _save_lesson(course, form, lambda file: services.add_lesson(
            _actor(), section, form.lesson_data(), file=file, embed_hosts=services.embed_hosts()))
        if lesson is not None:
            flash(_("The lesson “%(title)s” has been added.", title=lesson.title), "success")
            item = services.item_for_lesson(lesson)
            return redirect(url_for("courses.structure", course_id=course.id) + f"#item-{item.id}")
        course, section = db.session.get(Course, course_id), db.session.get(Section, section_id)
    return _lesson_page(course, form, section=section, errors=errors)


@bp.route("/courses/<int:course_id>/manage/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@login_required
def lesson_edit(course_id: int, lesson_id: int):
    course = _managed(course_id)
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id:
        abort(404)
    item = services.item_for_lesson(lesson)
    if item is None:
        abort(404)
    form = forms.LessonForm(kind=lesson.kind,
                            data=forms.lesson_form_data(lesson, item) if request.method == "GET" else None)
    errors: list[str] = []
    if form.validate_on_submit():
        saved, errors = _save_lesson(course, form, lambda file: services.update_lesson(
            _actor(), lesson, item, form.lesson_data(), file=file, embed_hosts=services.embed_hosts()))
        if saved is not None:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("courses.structure", course_id=course.id) + f"#item-{item.id}")
        course, lesson = db.session.get(Course, course_id), db.session.get(Lesson, lesson_id)
        item = services.item_for_lesson(lesson)
    return _lesson_page(course, form, section=item.section, lesson=lesson, errors=errors, item=item)


def _back_to(course: Course, value: str | None) -> str:
    """Where to return after an image upload: a page of this course's editor, never another site."""
    prefix = f"/courses/{course.id}/manage/"
    parts = urlsplit(value or "")
    if not parts.scheme and not parts.netloc and parts.path.startswith(prefix) and "\\" not in (value or ""):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("courses.structure", course_id=course.id)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


@bp.route("/courses/<int:course_id>/manage/images", methods=["POST"])
@login_required
def lesson_image(course_id: int):
    """Upload an image for page text. HTML forms come back to the editor, which lists the images with
    the <img> code to paste; a script asking for JSON gets {"url", "html"}."""
    course = _managed(course_id)
    form = forms.ImageForm()
    if not form.validate_on_submit():
        abort(400)
    back = _back_to(course, form.next.data)
    try:
        file = save_image(form.image.data, owner=_actor(), attached_type="course_image", attached_id=course.id)
        db.session.commit()
    except UploadError as err:
        db.session.rollback()
        if _wants_json():
            return jsonify(error=err.translated()), 400
        flash(err.translated(), "error")
        return redirect(back + "#images")
    url = url_for("courses.course_image", course_id=course.id, file_id=file.id)
    if _wants_json():
        return jsonify(url=url, html=image_html(url)), 201
    flash(_("The image has been uploaded. Copy its code from the list of images into the text."), "success")
    return redirect(back + "#images")


def image_html(url: str) -> str:
    return f'<img src="{escape(url)}" alt="">'


@bp.route("/courses/<int:course_id>/images/<int:file_id>")
@login_required
def course_image(course_id: int, file_id: int):
    """A course's cover or an image of its texts, for whoever may see the course (404 otherwise).

    A copied course shows the images of the course it was copied from."""
    course = db.session.get(Course, course_id)
    file = db.session.get(StoredFile, file_id)
    if course is None or file is None or file.kind != "image" or not authz.can(current_user, "course.view", course):
        abort(404)
    if file.id != course.cover_file_id and not (
            file.attached_type == "course_image" and file.attached_id in _lineage(course)):
        abort(404)
    return send_stored(file, max_age=IMAGE_MAX_AGE)


# --- target audience ----------------------------------------------------------------------------

def _audience_counts(course: Course) -> tuple[int, int]:
    """(people who match and are not enrolled, people enrolled inside the target) now."""
    in_target = db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.state == "active", Enrolment.in_target.is_(True))) or 0
    return len(services.matching_people(course)), in_target


@bp.route("/courses/<int:course_id>/manage/audience", methods=["GET", "POST"])
@login_required
def audience(course_id: int):
    course = _managed(course_id)
    saved = domain.audience_from_json(course.audience)
    choices = unit_choices(unit_tree())
    if request.method == "POST":
        form = forms.AudienceForm()
        form.set_unit_choices(choices)
        if form.add_rule.data:
            if len(form.rules) < forms.MAX_RULES:
                form.rules.append_entry()
                form.set_unit_choices(choices)
        elif form.validate_on_submit():
            problems = False
            rules = []
            for entry in form.rules:
                rule = entry.form.rule()
                if rule.is_empty:
                    continue
                for name, msgid in domain.audience_rule_problems(rule).items():
                    entry.form[name].errors = [*entry.form[name].errors, _(msgid)]
                    problems = True
                rules.append(rule)
            if not problems:
                try:
                    services.set_audience(_actor(), course, rules)
                except CourseError as err:
                    _flash_error(err)
                else:
                    flash(_("The target group has been saved."), "success")
                    return redirect(url_for("courses.audience", course_id=course.id))
    else:
        form = forms.AudienceForm(data={"rules": [forms.rule_form_data(rule) for rule in saved]})
        while len(form.rules) < min(max(3, len(saved)), forms.MAX_RULES):
            form.rules.append_entry()
        form.set_unit_choices(choices)
    matching, in_target = _audience_counts(course)
    return _render("audience.html", course=course, form=form, saved=saved,
                   lines=domain.describe_audience(saved, _unit_names(saved)), matching=matching,
                   in_target=in_target, max_rules=forms.MAX_RULES)


# --- completion rules ---------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/manage/completion", methods=["GET", "POST"])
@login_required
def completion(course_id: int):
    course = _managed(course_id)
    kinds = dict(domain.rule_kinds())
    form = forms.ConfirmForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        rules, errors = forms.completion_rules_from_form(request.form, kinds)
        if not errors:
            services.set_completion_rules(_actor(), course, rules)
            flash(_("The completion rules have been saved."), "success")
            return redirect(url_for("courses.completion", course_id=course.id))
    try:
        current = {type(rule).kind: rule for rule in domain.rules_from_json(course.completion_rules)}
    except domain.RuleError:
        current = {}
    entries = []
    for name, cls in kinds.items():
        rule = current.get(name)
        if request.method == "POST":
            checked = bool(request.form.get(f"rule-{name}"))
            params = [(p, request.form.get(f"{name}-{p}", "")) for p, _t, _d in forms.rule_params(cls)]
        else:
            checked = rule is not None
            params = [(p, getattr(rule, p) if rule is not None else default)
                      for p, _t, default in forms.rule_params(cls)]
        entries.append({"name": name, "label": cls.label or name, "checked": checked, "params": params,
                        "error": errors.get(name), "describe": rule.describe() if rule is not None else None})
    return _render("completion.html", course=course, form=form, entries=entries,
                   param_labels=forms.PARAM_LABELS, has_rules=bool(current))


# --- enrolment ----------------------------------------------------------------------------------

def _search_people(course: Course, q: str) -> list[tuple[User, domain.Match, Enrolment | None]]:
    q = (q or "").strip()[:100]
    if not q:
        return []
    pattern = like_pattern(q)
    people = db.session.scalars(
        select(User).where(User.active.is_(True),
                           (User.search_name.like(pattern, escape="\\")) | (User.username.like(pattern, escape="\\"))
                           | (func.lower(User.email) == q.lower()))
        .order_by(User.search_name, User.id).limit(PEOPLE_SHOWN)).all()
    return [(person, services.audience_match(person, course), services.enrolment_of(person.id, course.id))
            for person in people]


def _enrolment_page(course: Course, q: str = "", pending=None, list_form=None):
    search = forms.PersonSearchForm(data={"q": q})
    page = paginate(services.participants(course).options(selectinload(Enrolment.user)))
    outside = db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.state == "active",
                                Enrolment.in_target.is_(False))
        .options(selectinload(Enrolment.user)).order_by(Enrolment.enrolled_at.desc())).all()
    return _render("enrolment.html", course=course, search=search, q=q, results=_search_people(course, q),
                   pending=pending, enrol_form=forms.EnrolPersonForm(), list_form=list_form or forms.EnrolListForm(),
                   page=page, outside=outside, has_audience=bool(course.audience),
                   max_list=forms.LIST_MAX_BYTES // 1024)


@bp.route("/courses/<int:course_id>/manage/enrolment")
@login_required
def enrolment(course_id: int):
    course = _managed(course_id, "course.enrol_others")
    search = forms.PersonSearchForm(request.args)
    q = (search.q.data or "").strip()[:100] if search.validate() else ""
    return _enrolment_page(course, q)


@bp.route("/courses/<int:course_id>/manage/enrolment/person", methods=["POST"])
@login_required
def enrol_person(course_id: int):
    course = _managed(course_id, "course.enrol_others")
    form = forms.EnrolPersonForm()
    if not form.validate_on_submit():
        abort(400)
    person = db.session.get(User, forms.lenient_int(form.user_id.data) or 0)
    if person is None or not person.active:
        abort(404)
    q = (form.q.data or "")[:100]
    existing = services.enrolment_of(person.id, course.id)
    if existing is not None and existing.state == "active":
        flash(_("%(name)s is already enrolled.", name=person.full_name), "info")
        return redirect(url_for("courses.enrolment", course_id=course.id, q=q or None))
    try:
        enrolment = services.enrol_person(_actor(), course, person, reason=form.reason.data or "")
    except CourseError as err:
        db.session.rollback()
        course = db.session.get(Course, course_id)
        person = db.session.get(User, person.id)
        return _enrolment_page(course, q, pending={"person": person, "messages": _texts(err.messages),
                                                   "reason": form.reason.data or ""})
    if enrolment.in_target:
        flash(_("%(name)s has been enrolled.", name=person.full_name), "success")
    else:
        flash(_("%(name)s has been enrolled outside the target group; the reason is recorded.",
                name=person.full_name), "warning")
    return redirect(url_for("courses.enrolment", course_id=course.id, q=q or None))


@bp.route("/courses/<int:course_id>/manage/enrolment/matching", methods=["GET", "POST"])
@login_required
def enrol_matching(course_id: int):
    course = _managed(course_id, "course.enrol_others")
    form = forms.ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            count = services.enrol_matching(_actor(), course)
        except CourseError as err:
            _flash_error(err)
            return redirect(url_for("courses.enrol_matching", course_id=course.id))
        flash(_("%(n)s people have been enrolled.", n=count), "success")
        return redirect(url_for("courses.enrolment", course_id=course.id))
    people = services.matching_people(course)
    free = None
    if course.capacity is not None:
        free = max(0, course.capacity - services.active_count(course))
    return _render("enrol_matching.html", course=course, form=form, count=len(people),
                   people=people[:MATCHING_SHOWN], free=free, has_audience=bool(course.audience))


def _read_list(storage) -> bytes | None:
    """The uploaded list's bytes, or None when it is too large; refusing binary files is the caller's job."""
    data = storage.stream.read(forms.LIST_MAX_BYTES + 1)
    return None if len(data) > forms.LIST_MAX_BYTES else data


@bp.route("/courses/<int:course_id>/manage/enrolment/list", methods=["POST"])
@login_required
def enrol_list(course_id: int):
    course = _managed(course_id, "course.enrol_others")
    form = forms.EnrolListForm()
    if not form.validate_on_submit():
        return _enrolment_page(course, list_form=form)
    if not _uploaded(form.file):
        form.file.errors = [_("Choose a file to upload.")]
        return _enrolment_page(course, list_form=form)
    data = _read_list(form.file.data)
    if data is None:
        form.file.errors = [_("The list is larger than %(n)s KB.", n=forms.LIST_MAX_BYTES // 1024)]
        return _enrolment_page(course, list_form=form)
    if b"\0" in data or not data.strip():
        form.file.errors = [_("The list must be a text or CSV file with one username or e-mail address per line.")]
        return _enrolment_page(course, list_form=form)
    result = services.enrol_from_list(_actor(), course, data, reason=form.reason.data or "")
    return _render("enrol_list_result.html", course=course, result=result)


@bp.route("/courses/<int:course_id>/manage/enrolment/<int:enrolment_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(course_id: int, enrolment_id: int):
    course = _managed(course_id, "course.enrol_others")
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.course_id != course.id or enrolment.state != "active":
        abort(404)
    form = forms.ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        name = enrolment.user.full_name
        services.unenrol(_actor(), enrolment)
        flash(_("%(name)s has been withdrawn from the course.", name=name), "success")
        return redirect(url_for("courses.enrolment", course_id=course.id))
    return _render("withdraw.html", course=course, enrolment=enrolment, form=form)


# --- participants -------------------------------------------------------------------------------

def _participant_filters(course: Course):
    ff = forms.ParticipantsFilterForm(request.args, unit_choices=unit_choices(unit_tree()))
    unit_id = forms.lenient_int(ff.unit.data)
    completion = ff.completion.data if ff.completion.data in exports.COMPLETION_FILTERS else ""
    return ff, exports.participants_query(course, unit_id=unit_id, completion=completion)


@bp.route("/courses/<int:course_id>/manage/participants")
@login_required
def participants(course_id: int):
    course = _managed(course_id, "course.participants")
    ff, stmt = _participant_filters(course)
    page = paginate(stmt.options(selectinload(Enrolment.user).selectinload(User.profile)))
    return _render("participants.html", course=course, filters=ff, page=page)


@bp.route("/courses/<int:course_id>/manage/participants/export")
@login_required
def participants_export(course_id: int):
    course = _managed(course_id, "course.participants")
    fmt = request.args.get("format", "csv")
    if fmt not in exports.FORMATS:
        abort(404)
    _ff, stmt = _participant_filters(course)
    rows = exports.participant_rows(stmt)
    body = exports.to_csv(rows) if fmt == "csv" else exports.to_xlsx(rows)
    response = exports.file_response(body, fmt, f"hoc-vien-{re.sub(r'[^A-Za-z0-9_-]+', '-', course.code)}")
    return response


# --- announcements ------------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/manage/announcements", methods=["GET", "POST"])
@login_required
def announce(course_id: int):
    course = _managed(course_id)
    form = forms.AnnouncementForm()
    if form.validate_on_submit():
        recipients = services.active_count(course)
        try:
            services.post_announcement(_actor(), course, form.title.data, form.body.data or "")
        except CourseError as err:
            db.session.rollback()
            forms.show_course_error(form, err)
        else:
            flash(_("The announcement has been sent to %(n)s learners.", n=recipients), "success")
            return redirect(url_for("courses.announce", course_id=course.id))
    past = db.session.scalars(select(Announcement).where(Announcement.course_id == course.id)
                              .options(selectinload(Announcement.author))
                              .order_by(Announcement.created_at.desc(), Announcement.id.desc()).limit(50)).all()
    return _render("announcements.html", course=course, form=form, past=past,
                   recipients=services.active_count(course))


# --- video embed allow-list (admins) ------------------------------------------------------------

@bp.route("/admin/embed-hosts", methods=["GET", "POST"])
@login_required
def embed_hosts():
    authz.require("embed_hosts.manage")
    form = forms.EmbedHostForm()
    if form.validate_on_submit():
        try:
            row = services.add_embed_host(_actor(), form.host.data)
        except CourseError as err:
            db.session.rollback()
            forms.show_course_error(form, err)
        else:
            flash(_("Videos from %(host)s can now be embedded in lessons.", host=row.host), "success")
            return redirect(url_for("courses.embed_hosts"))
    hosts = db.session.scalars(select(EmbedHost).order_by(EmbedHost.host)).all()
    return _render("embed_hosts.html", form=form, hosts=hosts)


@bp.route("/admin/embed-hosts/<int:host_id>/delete", methods=["GET", "POST"])
@login_required
def embed_host_delete(host_id: int):
    authz.require("embed_hosts.manage")
    row = db.get_or_404(EmbedHost, host_id)
    form = forms.ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        host = row.host
        services.remove_embed_host(_actor(), row)
        flash(_("%(host)s has been removed from the list.", host=host), "success")
        return redirect(url_for("courses.embed_hosts"))
    using = db.session.scalar(select(func.count()).select_from(Lesson).where(
        Lesson.kind == LessonKind.VIDEO, Lesson.url.like(f"https://%{row.host}/%"))) or 0
    return _render("embed_host_delete.html", form=form, row=row, using=using)

