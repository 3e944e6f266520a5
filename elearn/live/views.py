"""Pages of live classes: schedule and calendar (with iCalendar feeds), the room, attendance, QR check-in, archive."""
from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import urlsplit

import segno
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.models import User
from elearn.core import authz, clock, security
from elearn.core.pagination import paginate
from elearn.courses.models import Course, Section
from elearn.extensions import db
from elearn.live import domain, events, services
from elearn.live.forms import CheckInForm, MarkForm, SessionForm
from elearn.live.items import register as register_items

bp = Blueprint("live", __name__)
bp.record_once(events.register)
register_items()

REMINDER_LEAD_MINUTES = 60


def _actor() -> User:
    return current_user._get_current_object()


def _session_or_404(session_id: int):
    live_session = services.get_session(session_id)
    if live_session is None:
        abort(404)
    return live_session


def _session_url(live_session) -> str:
    return url_for("live.session_page", session_id=live_session.id, _external=True)


def _labels() -> dict:
    return {"phase": domain.PHASE_LABELS, "status": domain.STATUS_LABELS}


# ---- schedule and calendar -----------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/live")
@login_required
def course_schedule(course_id: int):
    course = db.get_or_404(Course, course_id)
    if not authz.can(_actor(), "course.study", course):
        abort(403)
    sessions = services.course_sessions(course)
    return render_template("live/schedule.html", course=course, sessions=sessions, now=clock.now(),
                           phase=services.phase_of, labels=_labels(),
                           can_manage=authz.can(_actor(), "course.edit", course),
                           feed=url_for("live.course_feed", course_id=course.id,
                                        token=services.feed_token(_actor(), course), _external=True))


@bp.route("/live/calendar")
@login_required
def calendar():
    since = clock.now() - timedelta(days=1)
    page = paginate(services.calendar_sessions(_actor(), since=since))
    return render_template("live/calendar.html", page=page, phase=services.phase_of, labels=_labels(),
                           feed=url_for("live.personal_feed", token=services.feed_token(_actor()), _external=True))


def _ics_response(text: str, name: str) -> Response:
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/live/calendar.ics")
def personal_feed():
    user = services.feed_owner(request.args.get("token", ""))
    if user is None:
        abort(404)
    sessions = list(db.session.scalars(services.calendar_sessions(user).limit(500)))
    return _ics_response(services.ics_for(user, _("Live sessions"), sessions, _session_url), "live")


@bp.route("/courses/<int:course_id>/live.ics")
def course_feed(course_id: int):
    course = db.get_or_404(Course, course_id)
    user = services.feed_owner(request.args.get("token", ""), course)
    if user is None or not authz.can(user, "course.study", course):
        abort(404)
    sessions = services.course_sessions(course)
    return _ics_response(services.ics_for(user, course.title, sessions, _session_url), f"course-{course.id}")


# ---- scheduling (lecturers) ------------------------------------------------------------------------

def _fill_choices(form: SessionForm, course: Course) -> None:
    form.section_id.choices = [(s.id, s.title) for s in course.sections]
    form.slide_lesson_id.choices = [("", _("No slides"))] + [(lesson.id, lesson.title)
                                                              for lesson in services.slide_lessons(course)]


@bp.route("/courses/<int:course_id>/live/new", methods=["GET", "POST"])
@login_required
def session_new(course_id: int):
    course = db.get_or_404(Course, course_id)
    authz.require("course.edit", course)
    form = SessionForm()
    _fill_choices(form, course)
    if not course.sections:
        flash(_("Add a section to the course first."), "warning")
        return redirect(url_for("courses.structure", course_id=course.id))
    if form.validate_on_submit():
        section = db.session.get(Section, form.section_id.data or 0)
        if section is None or section.course_id != course.id:
            form.section_id.errors = [_("Choose a section of this course.")]
        else:
            try:
                live_session = services.create_session(_actor(), course, section, form.data_object())
            except services.LiveError as err:
                db.session.rollback()
                flash(_(err.msgid), "error")
            else:
                flash(_("The live session is scheduled."), "success")
                return redirect(url_for("live.session_page", session_id=live_session.id))
    return render_template("live/session_form.html", course=course, form=form, live_session=None)


@bp.route("/live/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_edit(session_id: int):
    live_session = _session_or_404(session_id)
    authz.require("live.manage", live_session)
    course = live_session.course
    form = SessionForm()
    _fill_choices(form, course)
    item = services.section_item_of(live_session)
    del form.section_id
    if request.method == "GET":
        form.fill(live_session, item.required if item else True)
    if form.validate_on_submit():
        try:
            services.update_session(_actor(), live_session, form.data_object())
        except services.LiveError as err:
            db.session.rollback()
            flash(_(err.msgid), "error")
        else:
            flash(_("The live session is saved."), "success")
            return redirect(url_for("live.session_page", session_id=live_session.id))
    return render_template("live/session_form.html", course=course, form=form, live_session=live_session)


# ---- the room --------------------------------------------------------------------------------------

def _embed_origin(url: str) -> str | None:
    from elearn.courses import catalog
    from elearn.courses.services import embed_hosts

    if not url or not catalog.embed_allowed(url, embed_hosts()):
        return None
    parts = urlsplit(url.strip())
    return f"https://{parts.netloc.lower()}"


@bp.route("/live/<int:session_id>")
@login_required
def session_page(session_id: int):
    live_session = _session_or_404(session_id)
    user = _actor()
    authz.require("live.join", live_session)
    manager = authz.can(user, "live.manage", live_session)
    phase = services.phase_of(live_session)
    embed_origin = _embed_origin(live_session.stream_url)
    response = current_app.make_response(render_template(
        "live/room.html", live_session=live_session, course=live_session.course, manager=manager, phase=phase,
        labels=_labels(), embed_origin=embed_origin, slide_lessons=services.slide_lessons(live_session.course),
        can_enter=manager or phase in (domain.Phase.OPEN, domain.Phase.LIVE)))
    if embed_origin:
        response.headers["Content-Security-Policy"] = security.csp_with_frames([embed_origin])
    return response


@bp.route("/live/<int:session_id>/archive")
@login_required
def archive(session_id: int):
    live_session = _session_or_404(session_id)
    authz.require("live.join", live_session)
    manager = authz.can(_actor(), "live.manage", live_session)
    rows = services.attendance_sheet(live_session) if manager else []
    return render_template("live/archive.html", live_session=live_session, course=live_session.course,
                           data=services.archive(live_session), rows=rows, manager=manager, labels=_labels())


# ---- attendance --------------------------------------------------------------------------------------

@bp.route("/live/<int:session_id>/attendance")
@login_required
def attendance(session_id: int):
    live_session = _session_or_404(session_id)
    authz.require("live.manage", live_session)
    rows = services.attendance_sheet(live_session)
    labels = {key: _(value) for key, value in domain.STATUS_LABELS.items()}
    if request.args.get("format") == "csv":
        text = services.sheet_csv(live_session, rows, labels,
                                  [_("Username"), _("Full name"), _("Status"), _("Minutes"), _("First seen")])
        response = Response(text, mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="attendance-{live_session.id}.csv"'
        return response
    counts = {status: sum(1 for r in rows if r.result.status == status) for status in domain.STATUS_LABELS}
    return render_template("live/attendance.html", live_session=live_session, course=live_session.course, rows=rows,
                           counts=counts, labels=_labels(), form=MarkForm())


@bp.route("/live/<int:session_id>/attendance/mark", methods=["POST"])
@login_required
def attendance_mark(session_id: int):
    live_session = _session_or_404(session_id)
    authz.require("live.manage", live_session)
    form = MarkForm()
    if not form.validate_on_submit():
        abort(400)
    person = db.session.get(User, form.user_id.data)
    if person is None:
        abort(404)
    try:
        services.mark(_actor(), live_session, person, form.status.data or None)
    except services.LiveError as err:
        db.session.rollback()
        flash(_(err.msgid), "error")
    else:
        flash(_("Attendance of %(name)s is saved.", name=person.full_name), "success")
    return redirect(url_for("live.attendance", session_id=live_session.id))


@bp.route("/live/<int:session_id>/qr")
@login_required
def qr_page(session_id: int):
    live_session = _session_or_404(session_id)
    authz.require("live.manage", live_session)
    return render_template("live/qr.html", live_session=live_session, course=live_session.course,
                           period=domain.QR_PERIOD_SECONDS)


@bp.route("/live/<int:session_id>/qr.svg")
@login_required
def qr_image(session_id: int):
    live_session = _session_or_404(session_id)
    authz.require("live.manage", live_session)
    url = url_for("live.check_in", session_id=live_session.id, token=services.qr_token(live_session), _external=True)
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2, xmldecl=False)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/live/<int:session_id>/checkin/<token>", methods=["GET", "POST"])
@login_required
def check_in(session_id: int, token: str):
    live_session = _session_or_404(session_id)
    user = _actor()
    if not authz.can(user, "live.join", live_session) or authz.can(user, "live.manage", live_session):
        abort(403)  # only the course's learners check in
    form = CheckInForm()
    error = None
    if form.validate_on_submit():
        try:
            services.check_in(live_session, user, token)
        except services.LiveError as err:
            db.session.rollback()
            error = _(err.msgid)
        else:
            flash(_("Your attendance is recorded."), "success")
            return redirect(url_for("live.session_page", session_id=live_session.id))
    return render_template("live/checkin.html", live_session=live_session, course=live_session.course, form=form,
                           error=error), (422 if error else 200)


# ---- reminders (cron: flask live remind) -------------------------------------------------------------

@bp.cli.command("remind")
def remind_command():
    """Send reminders of the live sessions that start within the next hour."""
    with current_app.test_request_context(base_url=current_app.config.get("SITE_URL") or None):
        sent = services.send_due_reminders(REMINDER_LEAD_MINUTES,
                                           lambda s: url_for("live.session_page", session_id=s.id))
    print(f"{sent} reminders sent.")  # noqa: T201

