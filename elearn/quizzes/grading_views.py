"""Lecturer pages for grading: essay queue, regrade, gradebooks (per quiz, per course), results overview and
item analysis, each list exportable as CSV / XLSX.

Thin adapters: read the request, ask core/authz.py ("quiz.grade", "gradebook.view": the course's lecturers and
the administrators), call grading_services.py, render. A course the person may not even see is a 404; one
they see but may not grade is a 403 (a learner, another course's lecturer). Export headers are Vietnamese
whatever the page language, as for the participants export.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import escape

from elearn.admin.forms import lenient_int
from elearn.core import authz, html, tables
from elearn.core.pagination import paginate
from elearn.core.tables import Table
from elearn.courses.models import Course
from elearn.extensions import db

from . import (
    gradebook,
    grading_cli,  # noqa: F401  (adds `flask quizzes regrade`)
)
from . import grading_services as gs
from .attempts import GRADING_METHOD_LABELS, PHASE_LABELS
from .grading import MARK_STATE_LABELS, parse_number
from .grading_forms import EssayFilterForm, EssayGradeForm, PeopleFilterForm
from .questions import TextFormat

bp = Blueprint("quizgrading", __name__)
gs.register_fact_hook()



def _course(course_id: int, action: str) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, action, course):
        abort(403)
    return course


def _quiz(course: Course, quiz_id: int):
    quiz = gs.quiz_of(course, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def _actor():
    return current_user._get_current_object()


def _rich(text: str, fmt: str):
    return html.render(text) if fmt in (TextFormat.HTML, TextFormat.MOODLE) else text


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if str(get_locale() or "vi").startswith("vi") else text  # Vietnamese: 8,57


def _vi():
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# ---- hub --------------------------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/grading")
@login_required
def hub(course_id: int):
    course = _course(course_id, "gradebook.view")
    quizzes = gs.quizzes_of(course)
    waiting = {q.id: db.session.scalar(db.select(db.func.count()).select_from(
        gs.essay_queue(course, quiz_id=q.id).order_by(None).subquery())) for q in quizzes}
    return render_template("quizzes/grading/hub.html", course=course, quizzes=quizzes, waiting=waiting,
                           can_grade=authz.can(current_user, "quiz.grade", course))


# ---- essays -----------------------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/grading/essays")
@login_required
def essays(course_id: int):
    course = _course(course_id, "quiz.grade")
    form = EssayFilterForm(request.args, quizzes=gs.quizzes_of(course))
    page = paginate(gs.essay_queue(course, quiz_id=form.quiz_id(), status=form.status_value(), people=form.people()))
    return render_template("quizzes/grading/essays.html", course=course, form=form, page=page, num=_num,
                           filter_args=form.args(), learners=_users({a.attempt.user_id for a in page.items}),
                           unit_name=gs._unit_name)


def _users(ids) -> dict:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(db.select(gs.User).where(gs.User.id.in_(ids)))}


@bp.route("/courses/<int:course_id>/grading/essays/<int:answer_id>", methods=["GET", "POST"])
@login_required
def essay(course_id: int, answer_id: int):
    course = _course(course_id, "quiz.grade")
    answer = gs.answer_of(course, answer_id)
    if answer is None:
        abort(404)
    back = {k: v for k, v in request.args.items() if k in ("quiz", "status", "unit", "sub", "category")}
    form = EssayGradeForm(data={"mark": "" if answer.manual_mark is None else _num(answer.manual_mark, 4),
                                "comment": html.text_only(answer.comment) if answer.comment else ""}
                          if request.method == "GET" else None)
    if form.validate_on_submit():
        value = parse_number(form.mark.data)
        if value is None or not 0 <= value <= answer.max_mark + 1e-9:
            form.mark.errors.append(_("The mark must be between 0 and %(max)s.", max=_num(answer.max_mark)))
        else:
            comment = str(escape(form.comment.data or "").strip()).replace("\n", "<br>")
            gs.grade_essay(_actor(), answer, value, comment)
            flash(_("Grade saved: %(mark)s / %(max)s.", mark=_num(value), max=_num(answer.max_mark)), "success")
            nxt = db.session.scalars(gs.essay_queue(course, quiz_id=lenient_int(back.get("quiz")),
                                                    status="ungraded").limit(1)).first()
            if nxt is not None and back.get("status", "ungraded") == "ungraded":
                return redirect(url_for("quizgrading.essay", course_id=course.id, answer_id=nxt.id, **back))
            return redirect(url_for("quizgrading.essays", course_id=course.id, **back))
    question = gs.question_of(answer)
    attempt = answer.attempt
    return render_template("quizzes/grading/essay.html", course=course, answer=answer, attempt=attempt,
                           learner=db.session.get(gs.User, attempt.user_id), question=question,
                           text=_rich(question.text, question.text_format), form=form, back=back, num=_num)


# ---- regrade ----------------------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/quizzes/<int:quiz_id>/regrade", methods=["GET", "POST"])
@login_required
def regrade(course_id: int, quiz_id: int):
    course = _course(course_id, "quiz.grade")
    quiz = _quiz(course, quiz_id)
    candidates = gs.regrade_candidates(quiz)
    report = None
    if request.method == "POST":  # CSRF checked for every POST by CSRFProtect
        targets = {}
        for c in candidates:
            raw = request.form.get(f"q{c.question.id}", "")
            if raw.isdigit() and int(raw) in {v.number for v in c.question.versions}:
                targets[c.question.id] = int(raw)
        dry_run = request.form.get("action") != "apply"
        report = gs.regrade(_actor(), quiz, targets, dry_run=dry_run)
        if report.applied:
            flash(_("Regrade done: %(n)s attempts re-marked, %(c)s grades changed.", n=report.attempts,
                    c=len(report.changed)), "success")
        candidates = gs.regrade_candidates(quiz)
    return render_template("quizzes/grading/regrade.html", course=course, quiz=quiz, candidates=candidates,
                           report=report, num=_num, render=lambda m: m.render(_))


# ---- gradebooks -------------------------------------------------------------------------------------

STATUS_LABELS = {"graded": _l("Graded"), "waiting": _l("Waiting for a grade"), "missing": _l("Not submitted")}


def _column_header(column) -> str:
    scale = _("pass/fail") if column.pass_fail else f"/{_num(column.max_grade)}"
    return f"{column.name} ({scale})"


def _export_grade(column, cell):
    """A number on the column's scale; pass/fail: "Passed" / "Not passed"; nothing yet: empty."""
    if cell is None or not cell.graded:
        return None
    if column.pass_fail:
        return _("Passed") if cell.passed else _("Not passed")
    return _round(cell.grade)


def _export_status(cell) -> str:
    text = str(STATUS_LABELS[gradebook.cell_status(cell)])
    return text + " · " + _("late") if cell is not None and cell.late else text


def _course_table(course: Course, people: gs.People) -> Table:
    """One column per graded activity; an assignment also gets a status column (graded, waiting, not
    submitted; late)."""
    enrolments = db.session.scalars(gs.participants(course, people)).all()
    columns, rows = gs.course_rows(course, enrolments)
    headers = [_("Full name"), _("Username"), _("Unit")]
    widths = [28, 16, 30]
    for c in columns:
        headers.append(_column_header(c))
        widths.append(14)
        if c.source != "quiz":
            headers.append(f"{c.name} – " + _("status"))
            widths.append(18)
    headers += [_("Course total") + " (%)", _("Activities passed")]
    data = []
    for r in rows:
        cells = []
        for c in columns:
            cell = r.cells.get(c.key)
            cells.append(_export_grade(c, cell))
            if c.source != "quiz":
                cells.append(_export_status(cell))
        data.append([r.user.full_name, r.user.username, r.unit, *cells, r.total.percent,
                     f"{len(r.total.passed)}/{r.total.required}"])
    return Table(_("Gradebook"), headers, data, widths=widths + [16, 14])


@bp.route("/courses/<int:course_id>/gradebook")
@login_required
def course_gradebook(course_id: int):
    course = _course(course_id, "gradebook.view")
    form = PeopleFilterForm(request.args)
    page = paginate(gs.participants(course, form.people()))
    columns, rows = gs.course_rows(course, page.items)
    return render_template("quizzes/grading/course_gradebook.html", course=course, form=form, page=page,
                           columns=columns, rows=rows, num=_num, filter_args=form.args(),
                           status_of=gradebook.cell_status)


@bp.route("/courses/<int:course_id>/gradebook/export")
@login_required
def course_gradebook_export(course_id: int):
    course = _course(course_id, "gradebook.view")
    people = PeopleFilterForm(request.args).people()
    with _vi():
        table = _course_table(course, people)
    return tables.response(table, request.args.get("format", "csv"), f"bang-diem-{course.code}")


def _quiz_table(quiz, people: gs.People) -> Table:
    enrolments = db.session.scalars(gs.participants(quiz.course, people)).all()
    rows = gs.quiz_rows(quiz, enrolments)
    headers = [_("Full name"), _("Username"), _("Unit"), _("Grade (/%(max)s)", max=_num(quiz.max_grade)),
               _("Passed"), _("Attempts"), _("Waiting for a grade")]
    data = [[r.user.full_name, r.user.username, r.unit, _round(r.cell.grade) if r.cell else None,
             _yes_no(bool(r.cell and r.cell.passed)), r.cell.attempts if r.cell else 0,
             _yes_no(bool(r.cell and r.cell.pending))] for r in rows]
    return Table(quiz.title, headers, data, widths=[28, 16, 30, 12, 10, 10, 14])


@bp.route("/courses/<int:course_id>/quizzes/<int:quiz_id>/gradebook")
@login_required
def quiz_gradebook(course_id: int, quiz_id: int):
    course = _course(course_id, "gradebook.view")
    quiz = _quiz(course, quiz_id)
    form = PeopleFilterForm(request.args)
    page = paginate(gs.participants(course, form.people()))
    return render_template("quizzes/grading/quiz_gradebook.html", course=course, quiz=quiz, form=form, page=page,
                           rows=gs.quiz_rows(quiz, page.items), num=_num, filter_args=form.args(),
                           method=_(GRADING_METHOD_LABELS.get(quiz.grading_method, quiz.grading_method)))


@bp.route("/courses/<int:course_id>/quizzes/<int:quiz_id>/gradebook/export")
@login_required
def quiz_gradebook_export(course_id: int, quiz_id: int):
    course = _course(course_id, "gradebook.view")
    quiz = _quiz(course, quiz_id)
    people = PeopleFilterForm(request.args).people()
    with _vi():
        table = _quiz_table(quiz, people)
    return tables.response(table, request.args.get("format", "csv"), f"diem-{course.code}-{quiz.id}")


# ---- results overview --------------------------------------------------------------------------------

def _state_label(attempt) -> str:
    label = PHASE_LABELS.get(attempt.state)
    return _(label) if label else attempt.state


def _results_table(quiz, people: gs.People) -> Table:
    attempts = db.session.scalars(gs.attempts_query(quiz, people)).all()
    scores = gs.slot_scores(attempts)
    slots = gs.slot_count(quiz)
    users = {u.id: u for u in db.session.scalars(db.select(gs.User).where(gs.User.id.in_({a.user_id for a in attempts})))}
    headers = [_("Full name"), _("Username"), _("Unit"), _("Attempt"), _("State"), _("Started"), _("Finished"),
               _("Duration (min)"), _("Grade (/%(max)s)", max=_num(quiz.max_grade))]
    headers += [_("Q%(n)s", n=i) for i in range(1, slots + 1)]
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    data = []
    for a in attempts:
        user = users[a.user_id]
        minutes = round((a.finished_at - a.started_at).total_seconds() / 60, 1) if a.finished_at else None
        data.append([user.full_name, user.username, gs._unit_name(user), a.number, _state_label(a),
                     _local_text(a.started_at, zone), _local_text(a.finished_at, zone), minutes, _round(a.grade),
                     *[_round(scores[a.id].get(i)) for i in range(1, slots + 1)]])
    return Table(_("Results"), headers, data, widths=[28, 16, 30, 8, 14, 17, 17, 10, 10] + [7] * slots)


def _local_text(value, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M") if value else ""


@bp.route("/courses/<int:course_id>/quizzes/<int:quiz_id>/results")
@login_required
def results(course_id: int, quiz_id: int):
    course = _course(course_id, "gradebook.view")
    quiz = _quiz(course, quiz_id)
    form = PeopleFilterForm(request.args)
    people = form.people()
    page = paginate(gs.attempts_query(quiz, people))
    users = {u.id: u for u in db.session.scalars(db.select(gs.User).where(
        gs.User.id.in_({a.user_id for a in page.items} or {0})))}
    return render_template("quizzes/grading/results.html", course=course, quiz=quiz, form=form, page=page,
                           summary=gs.overview(quiz, people), users=users, scores=gs.slot_scores(page.items),
                           slots=gs.slot_count(quiz), num=_num, state_label=_state_label, unit_name=gs._unit_name,
                           filter_args=form.args())


@bp.route("/courses/<int:course_id>/quizzes/<int:quiz_id>/results/export")
@login_required
def results_export(course_id: int, quiz_id: int):
    course = _course(course_id, "gradebook.view")
    quiz = _quiz(course, quiz_id)
    people = PeopleFilterForm(request.args).people()
    with _vi():
        table = _results_table(quiz, people)
    return tables.response(table, request.args.get("format", "csv"), f"ket-qua-{course.code}-{quiz.id}")


# ---- item analysis -----------------------------------------------------------------------------------

def _analysis_rows(quiz, people: gs.People, first_only: bool):
    return gs.item_report(quiz, people, first_only=first_only, gettext=_)


def _analysis_table(quiz, people: gs.People, first_only: bool) -> Table:
    rows = _analysis_rows(quiz, people, first_only)
    headers = [_("Question"), _("Type"), _("Responses"), _("Waiting for a grade"), _("Facility index") + " (%)",
               _("Standard deviation") + " (%)", _("Discrimination index") + " (%)", _("Answer distribution")]
    data = []
    for r in rows:
        dist = "; ".join(f"{label or _('Not answered')}: {n}" for label, n in r.distribution)
        s = r.stats
        data.append([r.name, r.qtype, s.n, s.pending, _round(s.facility), _round(s.sd), _round(s.discrimination), dist])
    return Table(_("Item analysis"), headers, data, widths=[36, 12, 10, 10, 12, 12, 14, 60])


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@bp.route("/courses/<int:course_id>/quizzes/<int:quiz_id>/analysis")
@login_required
def item_analysis(course_id: int, quiz_id: int):
    course = _course(course_id, "gradebook.view")
    quiz = _quiz(course, quiz_id)
    form = PeopleFilterForm(request.args)
    first_only = request.args.get("first") == "y"
    rows = _analysis_rows(quiz, form.people(), first_only)
    export_args = {**form.args(), **({"first": "y"} if first_only else {}), "course_id": course.id, "quiz_id": quiz.id}
    return render_template("quizzes/grading/analysis.html", course=course, quiz=quiz, form=form, rows=rows,
                           num=_num, first_only=first_only, export_args=export_args,
                           flag_labels=gs.analysis.FLAG_LABELS, state_labels=MARK_STATE_LABELS)


@bp.route("/courses/<int:course_id>/quizzes/<int:quiz_id>/analysis/export")
@login_required
def item_analysis_export(course_id: int, quiz_id: int):
    course = _course(course_id, "gradebook.view")
    quiz = _quiz(course, quiz_id)
    people = PeopleFilterForm(request.args).people()
    with _vi():
        table = _analysis_table(quiz, people, request.args.get("first") == "y")
    return tables.response(table, request.args.get("format", "csv"), f"phan-tich-{course.code}-{quiz.id}")
