"""Question-bank pages of a course: the bank (categories, filtered list), a question, import (upload -> preview ->
confirm), export and deletion.

Thin adapters: read the request, ask core/authz.py ("questions.manage"), call services.py, render. A course the
person may not even see is a 404; one they see but whose bank they may not manage is a 403. The upload is kept
under instance/question_imports/<random> between the preview and the confirmation; nothing is written before it.
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import SelectField, SubmitField

from elearn.admin.forms import choice
from elearn.core import authz, html
from elearn.core.pagination import paginate
from elearn.courses.models import Course
from elearn.extensions import db
from elearn.quizzes import formats, services
from elearn.quizzes.formats import common
from elearn.quizzes.questions import ImportProblem, QType, TextFormat

bp = Blueprint("quizzes", __name__)

FORMAT_LABELS = {"gift": "GIFT", "aiken": "Aiken", "moodlexml": "Moodle XML", "json": "JSON"}
MIME = {"gift": "text/plain; charset=utf-8", "moodlexml": "application/xml; charset=utf-8",
        "json": "application/json; charset=utf-8"}


class ImportForm(FlaskForm):
    file = FileField(_l("Question file"), validators=[FileRequired(_l("Choose a file to import."))],
                     render_kw={"accept": ".txt,.gift,.xml,.json,text/plain,application/xml,application/json"})
    format = SelectField(_l("Format"), choices=[choice("", _l("Recognise from the file"))]
                         + [choice(f, FORMAT_LABELS[f]) for f in formats.IMPORT_FORMATS], default="")
    submit = SubmitField(_l("Check the file"))


def _course(course_id: int) -> Course:
    """The course, if the person may manage its bank: 404 when they may not even see it, else 403."""
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, "questions.manage", course):
        abort(403)
    return course


def _actor():
    return current_user._get_current_object()


def problem_text(p: ImportProblem) -> str:
    return _(p.message, **p.params) if p.params else _(p.message)


def type_label(qtype: str) -> str:
    label = services.TYPE_LABELS.get(qtype)
    return _(label) if label else qtype


def rich_text(text: str, fmt: str) -> Markup | str:
    """Question text for display: HTML (and Moodle's auto-format) only through the sanitiser, the rest escaped."""
    if fmt in (TextFormat.HTML, TextFormat.MOODLE):
        return html.render(text)
    return text


def _tree(nodes: list[services.CategoryNode]) -> list[dict]:
    """The flat tree as nested dicts for a recursive template loop."""
    by_parent: dict[int | None, list[dict]] = {}
    for n in nodes:
        by_parent.setdefault(n.category.parent_id, []).append({"node": n, "children": []})
    for entries in by_parent.values():
        for e in entries:
            e["children"] = by_parent.get(e["node"].category.id, [])
    return by_parent.get(None, [])


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/courses/<int:course_id>/questions")
@login_required
def bank(course_id: int):
    course = _course(course_id)
    nodes = services.category_tree(course)
    known = {n.category.id for n in nodes}
    category_id = _int_arg("category")
    category_id = category_id if category_id in known else None
    qtype = request.args.get("type", "")
    qtype = qtype if qtype in {str(t) for t in QType} else ""
    tag = request.args.get("tag", "")[:100]
    q = request.args.get("q", "")[:200]
    sub = request.args.get("sub") == "1"
    page = paginate(services.list_questions(course, category_id=category_id, subcategories=sub, qtype=qtype,
                                            tag=tag, q=q))
    paths = {n.category.id: " / ".join(n.path) for n in nodes}
    return render_template("quizzes/bank.html", course=course, tree=_tree(nodes), nodes=nodes, page=page,
                           paths=paths, category_id=category_id, qtype=qtype, tag=tag, q=q, sub=sub,
                           types=[(str(t), type_label(t)) for t in QType], tags=services.course_tags(course),
                           type_label=type_label, export_formats=[(f, FORMAT_LABELS[f]) for f in
                                                                  formats.EXPORT_FORMATS])


def _question(course: Course, question_id: int):
    question = services.question_of(course, question_id)
    if question is None:
        abort(404)
    return question


@bp.route("/courses/<int:course_id>/questions/<int:question_id>")
@login_required
def question(course_id: int, question_id: int):
    course = _course(course_id)
    item = _question(course, question_id)
    q = services.current_question(item)
    return render_template("quizzes/question.html", course=course, item=item, q=q, type_label=type_label,
                           rich=lambda text: rich_text(text, q.text_format),
                           category=" / ".join(services.category_paths_of(item)),
                           percent=common.percent_text, number=common.number_text)


@bp.route("/courses/<int:course_id>/questions/<int:question_id>/delete", methods=["GET", "POST"])
@login_required
def delete(course_id: int, question_id: int):
    course = _course(course_id)
    item = _question(course, question_id)
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        services.delete_question(_actor(), item)
        flash(_("The question “%(name)s” was deleted.", name=item.name), "success")
        return redirect(url_for("quizzes.bank", course_id=course.id))
    return render_template("quizzes/delete.html", course=course, item=item)


@bp.route("/courses/<int:course_id>/questions/import", methods=["GET", "POST"])
@login_required
def import_start(course_id: int):
    course = _course(course_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(common.MAX_BYTES + 1)
        if len(data) > common.MAX_BYTES:
            form.file.errors.append(_(common.TOO_LARGE, limit=common.MAX_BYTES // (1024 * 1024)))
        else:
            fmt = services.resolve_format(upload.filename or "", data, form.format.data or None)
            token = services.stash_upload(_actor(), course, data, upload.filename or "", fmt)
            return redirect(url_for("quizzes.import_preview", course_id=course.id, token=token))
    return render_template("quizzes/import_start.html", course=course, form=form,
                           limit=common.MAX_BYTES // (1024 * 1024))


@bp.route("/courses/<int:course_id>/questions/import/<token>", methods=["GET", "POST"])
@login_required
def import_preview(course_id: int, token: str):
    course = _course(course_id)
    kept = services.load_upload(_actor(), course, token)
    if kept is None:
        flash(_("The uploaded file is no longer available (it was imported already or has expired); "
                "upload it again."), "warning")
        return redirect(url_for("quizzes.import_start", course_id=course.id))
    data, filename, fmt = kept
    if request.method == "POST":  # the confirmation (CSRF checked by CSRFProtect)
        counts = services.import_confirm(_actor(), course, data, filename, fmt)
        services.drop_upload(token)
        if counts.imported:
            flash(_("Questions imported: %(n)s (new categories: %(c)s); skipped: %(s)s.", n=counts.imported,
                    c=counts.categories_created, s=counts.skipped), "success")
        else:
            flash(_("No question could be imported from this file."), "error")
        return redirect(url_for("quizzes.bank", course_id=course.id))
    preview = services.import_preview(course, data, filename, fmt)
    return render_template("quizzes/import_preview.html", course=course, preview=preview, token=token,
                           format_label=FORMAT_LABELS.get(preview.fmt, preview.fmt), problem_text=problem_text,
                           type_label=type_label)


@bp.route("/courses/<int:course_id>/questions/export")
@login_required
def export(course_id: int):
    course = _course(course_id)
    fmt = request.args.get("format", "")
    if fmt not in formats.EXPORT_FORMATS:
        abort(404)
    body = services.export_course(course, fmt)
    response = current_app.response_class(body, mimetype=MIME[fmt])
    name = re.sub(r"[^A-Za-z0-9_-]", "_", course.code) or "course"
    response.headers["Content-Disposition"] = f"attachment; filename={name}-questions{formats.EXTENSIONS[fmt]}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
