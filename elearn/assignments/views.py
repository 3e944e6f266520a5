"""Assignment pages of learners and lecturers: the assignment with my submission, writing and submitting,
creating and editing assignments. Grading pages are in grading_views.py.

As for lessons: an assignment of a course the person may not see is a 404; one of a visible course the person
may not study is a 403; files of submissions the person may not see are a 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.assignments import domain, forms, services
from elearn.assignments import provider as _provider  # noqa: F401  (registers the section item kind)
from elearn.assignments.models import Assignment, Submission
from elearn.core import authz
from elearn.core.files import send_stored
from elearn.core.uploads import UploadError, format_size
from elearn.courses.models import Course, Section
from elearn.extensions import db

bp = Blueprint("assignments", __name__)
FILE_MAX_AGE = 600


def _actor():
    return current_user._get_current_object()


def _assignment(assignment_id: int) -> Assignment:
    """The assignment, 404 when its course is not visible, 403 when the person may not open it."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not authz.can(current_user, "course.view", assignment.course):
        abort(404)
    item = services.item_for(assignment)
    if item is None or (not item.visible and not authz.can(current_user, "assignment.manage", assignment.course)):
        abort(404)
    if not authz.can(current_user, "assignment.view", assignment):
        abort(403)
    return assignment


def _managed_course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, "assignment.manage", course):
        abort(403)
    return course


def _messages(err: services.AssignmentError) -> list[str]:
    return [m.render(_) for m in err.messages]


def labels() -> dict:
    return {"template": domain.TEMPLATE_LABELS, "grading": domain.GRADING_LABELS, "state": domain.STATE_LABELS,
            "sections": domain.REFLECTION_SECTIONS}


# ---- the learner's page -----------------------------------------------------------------------------------------

def _page(assignment: Assignment, form: forms.SubmissionForm | None = None, errors=()):
    user = _actor()
    submission = services.submission_of(assignment, user.id)
    may_submit = authz.can(user, "assignment.submit", assignment)
    if form is None:
        form = forms.SubmissionForm(data=_form_data(submission) if submission else None)
    criteria = services.criteria(assignment)
    grade = submission.grade if submission is not None and submission.state == domain.State.GRADED else None
    return render_template(
        "assignments/show.html", assignment=assignment, course=assignment.course, submission=submission, form=form,
        may_submit=may_submit, editable=may_submit and services.can_edit(assignment, submission),
        window=services.window(assignment), closes=domain.closes_at(assignment.due_at, assignment.late_until),
        can_grade=authz.can(user, "assignment.grade_any", assignment),
        can_manage=authz.can(user, "assignment.manage", assignment.course), criteria=criteria, grade=grade,
        top=domain.max_points(assignment.grading, criteria, assignment.max_score), errors=list(errors),
        action_form=forms.ActionForm(), labels=labels(), format_size=format_size)


def _form_data(submission: Submission) -> dict:
    sections = submission.sections or {}
    return {"text": submission.text, **{key: sections.get(key, "") for key in domain.SECTION_KEYS}}


@bp.route("/assignments/<int:assignment_id>")
@login_required
def show(assignment_id: int):
    return _page(_assignment(assignment_id))


@bp.route("/assignments/<int:assignment_id>/save", methods=["POST"])
@login_required
def save(assignment_id: int):
    """Save the draft; with `submit=1` submit it too (one form, one click)."""
    assignment = _assignment(assignment_id)
    if not authz.can(current_user, "assignment.submit", assignment):
        abort(403)
    form = forms.SubmissionForm()
    if not form.validate_on_submit():
        return _page(assignment, form), 400
    sections = {key: getattr(form, key).data or "" for key in domain.SECTION_KEYS}
    try:
        services.save_draft(_actor(), assignment, text=form.text.data or "", sections=sections,
                            uploads=request.files.getlist(form.files.name),
                            remove_file_ids=[int(x) for x in request.form.getlist("remove_file") if x.isdigit()])
    except UploadError as err:
        db.session.rollback()
        return _page(db.session.get(Assignment, assignment_id), form, [err.translated()]), 400
    except services.AssignmentError as err:
        db.session.rollback()
        return _page(db.session.get(Assignment, assignment_id), form, _messages(err)), 400
    assignment = db.session.get(Assignment, assignment_id)
    if request.form.get("submit") == "1":
        return _submit(assignment)
    flash(_("Your draft has been saved. It is not submitted yet."), "success")
    return redirect(url_for("assignments.show", assignment_id=assignment.id))


@bp.route("/assignments/<int:assignment_id>/submit", methods=["POST"])
@login_required
def submit(assignment_id: int):
    assignment = _assignment(assignment_id)
    if not authz.can(current_user, "assignment.submit", assignment):
        abort(403)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    return _submit(assignment)


def _submit(assignment: Assignment):
    try:
        submission = services.submit(_actor(), assignment)
    except services.AssignmentError as err:
        db.session.rollback()
        return _page(db.session.get(Assignment, assignment.id), None, _messages(err)), 409
    if submission.late:
        flash(_("Your work has been submitted (late)."), "warning")
    else:
        flash(_("Your work has been submitted."), "success")
    return redirect(url_for("assignments.show", assignment_id=assignment.id))


@bp.route("/assignments/<int:assignment_id>/submissions/<int:submission_id>/files/<int:link_id>")
@login_required
def submission_file(assignment_id: int, submission_id: int, link_id: int):
    assignment = db.session.get(Assignment, assignment_id)
    submission = db.session.get(Submission, submission_id)
    if assignment is None or submission is None or submission.assignment_id != assignment.id \
            or not authz.can(current_user, "submission.view", submission):
        abort(404)
    link = next((f for f in submission.files if f.id == link_id), None)
    if link is None:
        abort(404)
    return send_stored(link.file, as_attachment=request.args.get("download") == "1", max_age=FILE_MAX_AGE)


# ---- lecturers: creating and editing ------------------------------------------------------------------------------

def _edit_page(course: Course, form, *, section=None, assignment=None, errors=()):
    return render_template("assignments/form.html", course=course, form=form, section=section, assignment=assignment,
                           errors=list(errors), labels=labels())


def _put_error(form, err: services.AssignmentError) -> list[str]:
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, *_messages(err)]
        return []
    return _messages(err)


@bp.route("/courses/<int:course_id>/manage/sections/<int:section_id>/assignments/new", methods=["GET", "POST"])
@login_required
def new(course_id: int, section_id: int):
    course = _managed_course(course_id)
    section = db.session.get(Section, section_id)
    if section is None or section.course_id != course.id:
        abort(404)
    form = forms.AssignmentForm()
    if request.method == "GET":
        form.template.data = request.args.get("template", domain.Template.REFLECTION)
        form.rubric.data = DEFAULT_RUBRIC
        form.pass_score.data = 5
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            assignment = services.create_assignment(_actor(), section, form.data_object())
        except services.AssignmentError as err:
            db.session.rollback()
            errors = _put_error(form, err)
            course, section = db.session.get(Course, course_id), db.session.get(Section, section_id)
        else:
            flash(_("The assignment “%(title)s” has been added.", title=assignment.title), "success")
            return redirect(url_for("courses.structure", course_id=course.id))
    return _edit_page(course, form, section=section, errors=errors)


# A starting rubric for a reflection essay (the lecturer edits it): 10 points, 5 to pass.
DEFAULT_RUBRIC = ("Hiểu đúng nội dung văn kiện | Tốt: 4 | Đạt: 2 | Chưa đạt: 0\n"
                  "Liên hệ thực tiễn công tác | Tốt: 3 | Đạt: 2 | Chưa đạt: 0\n"
                  "Cam kết, kế hoạch hành động cụ thể | Tốt: 3 | Đạt: 1 | Chưa đạt: 0")


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    course = _managed_course(assignment.course_id)
    item = services.item_for(assignment)
    form = forms.AssignmentForm(data=forms.form_data(assignment, item) if request.method == "GET" else None)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            services.update_assignment(_actor(), assignment, form.data_object())
        except services.AssignmentError as err:
            db.session.rollback()
            errors = _put_error(form, err)
            assignment = db.session.get(Assignment, assignment_id)
            course = assignment.course
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("assignments.show", assignment_id=assignment.id))
    return _edit_page(course, form, assignment=assignment, errors=errors)


from elearn.assignments import commitment_views, grading_views  # noqa: E402,F401  (routes register on bp)
