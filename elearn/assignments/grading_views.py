"""Grading pages: the queue with filters, one submission with its grade form, the ZIP of a class's work, the
similarity check and its pairs, delegating grading to unit heads, and a grader's list of assignments.

Only graders reach these pages (core/authz.py: "assignment.grade_any", "submission.grade"); a submission
someone may not grade is a 404 here, its existence not revealed.
"""
from __future__ import annotations

import re
import tempfile
import zipfile

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import escape
from sqlalchemy import select

from elearn.accounts.models import Unit, User, user_by_username
from elearn.assignments import domain, forms, grading, services, similarity, similarity_check
from elearn.assignments.models import Assignment, GradingDelegate, SimilarityPair, Submission
from elearn.assignments.views import _assignment, _managed_course, _messages, bp, labels
from elearn.core import authz, html
from elearn.core.files import download_name, path_of
from elearn.core.pagination import paginate
from elearn.courses.models import Course, CourseLecturer
from elearn.extensions import db


def _actor():
    return current_user._get_current_object()


def _grading(assignment_id: int) -> Assignment:
    assignment = _assignment(assignment_id)
    if not authz.can(current_user, "assignment.grade_any", assignment):
        abort(403)
    return assignment


def _gradable(assignment: Assignment, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.assignment_id != assignment.id \
            or not authz.can(current_user, "submission.grade", submission):
        abort(404)
    return submission


# ---- the queue ---------------------------------------------------------------------------------------------------

@bp.route("/assignments/<int:assignment_id>/grading")
@login_required
def queue(assignment_id: int):
    assignment = _grading(assignment_id)
    status = request.args.get("status", "to_grade")
    if status not in grading.QUEUE_STATUSES:
        status = "to_grade"
    unit_id = request.args.get("unit_id", type=int)
    late = {"1": True, "0": False}.get(request.args.get("late", ""))
    page = paginate(grading.queue_query(_actor(), assignment, status=status, unit_id=unit_id, late=late))
    flagged = {}
    for pair in similarity_check.similarity_pairs(_actor(), assignment):
        for sid in (pair.first_id, pair.second_id):
            flagged[sid] = max(flagged.get(sid, 0), pair.score)
    units = db.session.scalars(select(Unit).order_by(Unit.name)).all()
    return render_template(
        "assignments/queue.html", assignment=assignment, course=assignment.course, page=page, status=status,
        unit_id=unit_id, late=request.args.get("late", ""), units=units, flagged=flagged,
        counts=grading.queue_counts(_actor(), assignment), action_form=forms.ActionForm(),
        can_manage=authz.can(current_user, "assignment.manage", assignment.course), labels=labels())


# ---- one submission ----------------------------------------------------------------------------------------------

def _grade_page(assignment: Assignment, submission: Submission, form=None, errors=(), chosen=None):
    criteria = services.criteria(assignment)
    if form is None:
        grade = submission.grade
        form = forms.GradeForm(data={"score": grade.score, "feedback": grade.feedback,
                                     "passed": "1" if grade.passed else "0"} if grade else None)
    if chosen is None:
        chosen = list(submission.grade.levels) if submission.grade else []
    pairs = [p for p in similarity_check.pairs_of(submission)
             if authz.can(current_user, "submission.grade", p.first if p.second_id == submission.id else p.second)]
    return render_template(
        "assignments/grade.html", assignment=assignment, course=assignment.course, submission=submission, form=form,
        criteria=criteria, chosen=chosen, errors=list(errors), pairs=pairs, labels=labels(),
        top=domain.max_points(assignment.grading, criteria, assignment.max_score))


@bp.route("/assignments/<int:assignment_id>/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def grade(assignment_id: int, submission_id: int):
    assignment = db.session.get(Assignment, assignment_id)
    submission = db.session.get(Submission, submission_id)
    # Nobody learns whether a submission exists unless they may grade it (its author sees it on the assignment).
    if assignment is None or submission is None or submission.assignment_id != assignment.id:
        abort(404)
    if submission.user_id == current_user.id:
        return redirect(url_for("assignments.show", assignment_id=assignment.id))
    submission = _gradable(assignment, submission_id)
    form = forms.GradeForm()
    if request.method == "POST":
        criteria = services.criteria(assignment)
        chosen = [request.form.get(f"level-{i}", "") for i in range(len(criteria))]
        if not form.validate_on_submit():
            return _grade_page(assignment, submission, form), 400
        levels = [int(x) if x.isdigit() else -1 for x in chosen]
        passed = {"1": True, "0": False}.get(form.passed.data or "")
        try:
            services.grade(_actor(), submission, levels=levels,
                           score=float(form.score.data) if form.score.data is not None else None,
                           pass_flag=passed, feedback=form.feedback.data or "")
        except services.AssignmentError as err:
            db.session.rollback()
            assignment, submission = db.session.get(Assignment, assignment_id), db.session.get(Submission, submission_id)
            return _grade_page(assignment, submission, form, _messages(err),
                               chosen=[int(x) if x.isdigit() else None for x in chosen]), 400
        flash(_("The grade has been saved and the learner notified."), "success")
        following = request.form.get("next")
        if following == "queue":
            return redirect(url_for("assignments.queue", assignment_id=assignment_id))
        return redirect(url_for("assignments.grade", assignment_id=assignment_id, submission_id=submission_id))
    return _grade_page(assignment, submission)


# ---- the class's submissions as one ZIP --------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _folder_name(user: User) -> str:
    return _UNSAFE.sub("_", f"{user.username} - {user.full_name}")[:120].strip(" .") or str(user.id)


def _text_document(assignment: Assignment, submission: Submission) -> str:
    parts = [f"<h1>{escape(assignment.title)}</h1>", f"<p>{escape(submission.user.full_name)}</p>"]
    if assignment.template == domain.Template.REFLECTION:
        for key, heading, _hint in domain.REFLECTION_SECTIONS:
            parts.append(f"<h2>{escape(_(heading))}</h2>{html.clean((submission.sections or {}).get(key, ''))}")
    else:
        parts.append(html.clean(submission.text))
    body = "".join(parts)
    return ("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{escape(assignment.title)}</title></head><body>{body}</body></html>")


@bp.route("/assignments/<int:assignment_id>/submissions.zip")
@login_required
def download_all(assignment_id: int):
    """Every submitted or graded submission the person may grade: a folder per learner, its text and files."""
    assignment = _grading(assignment_id)
    rows = db.session.scalars(grading.queue_query(_actor(), assignment, status="all")
                              .where(Submission.state != domain.State.DRAFT)).all()
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in rows:
            folder = _folder_name(submission.user)
            archive.writestr(f"{folder}/bai-lam.html", _text_document(assignment, submission))
            for n, link in enumerate(submission.files, 1):
                # PDF, DOCX and pictures are compressed already: stored as they are, the ZIP is built fast.
                archive.write(path_of(link.file), f"{folder}/{n:02d} {download_name(link.file)}",
                              compress_type=zipfile.ZIP_STORED)
    spool.seek(0)
    name = f"bai-nop-{assignment.course.code}-{assignment.id}.zip"
    return send_file(spool, mimetype="application/zip", as_attachment=True, download_name=name, max_age=0)


# ---- similarity --------------------------------------------------------------------------------------------------

@bp.route("/assignments/<int:assignment_id>/similarity", methods=["GET", "POST"])
@login_required
def similarity_list(assignment_id: int):
    assignment = _grading(assignment_id)
    if request.method == "POST":
        if not forms.ActionForm().validate_on_submit():
            abort(400)
        similarity_check.start_similarity(_actor(), assignment)
        flash(_("The similarity check has started; the list below updates when it is done."), "success")
        return redirect(url_for("assignments.similarity_list", assignment_id=assignment_id))
    return render_template("assignments/similarity.html", assignment=assignment, course=assignment.course,
                           pairs=similarity_check.similarity_pairs(_actor(), assignment), action_form=forms.ActionForm())


@bp.route("/assignments/<int:assignment_id>/similarity/<int:pair_id>")
@login_required
def similarity_pair(assignment_id: int, pair_id: int):
    assignment = _grading(assignment_id)
    pair = db.session.get(SimilarityPair, pair_id)
    if pair is None or pair.assignment_id != assignment.id or pair not in similarity_check.similarity_pairs(_actor(), assignment):
        abort(404)
    words_a = similarity.tokens(services.comparable_text(assignment, pair.first))
    words_b = similarity.tokens(services.comparable_text(assignment, pair.second))
    side_a = similarity.segments(words_a, [(p[0], p[2]) for p in pair.passages])
    side_b = similarity.segments(words_b, [(p[1], p[2]) for p in pair.passages])
    return render_template("assignments/pair.html", assignment=assignment, course=assignment.course, pair=pair,
                           side_a=side_a, side_b=side_b)


# ---- delegating to unit heads ------------------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/manage/graders", methods=["GET", "POST"])
@login_required
def graders(course_id: int):
    course = _managed_course(course_id)
    form = forms.DelegateForm()
    errors: list[str] = []
    if form.validate_on_submit():
        person = user_by_username(form.username.data or "")
        if person is None or not person.active:
            form.username.errors = [_("No active person with this username.")]
        else:
            try:
                row = grading.add_delegate(_actor(), course, person)
            except services.AssignmentError as err:
                db.session.rollback()
                errors = _messages(err)
                course = db.session.get(Course, course_id)
            else:
                flash(_("%(name)s now grades the cadres of %(unit)s in this course.", name=row.user.full_name,
                        unit=row.unit.name), "success")
                return redirect(url_for("assignments.graders", course_id=course_id))
    return render_template("assignments/graders.html", course=course, form=form, errors=errors,
                           rows=grading.delegates(course), action_form=forms.ActionForm())


@bp.route("/courses/<int:course_id>/manage/graders/<int:row_id>/delete", methods=["POST"])
@login_required
def grader_delete(course_id: int, row_id: int):
    course = _managed_course(course_id)
    row = db.session.get(GradingDelegate, row_id)
    if row is None or row.course_id != course.id:
        abort(404)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    grading.remove_delegate(_actor(), row)
    flash(_("The delegation has been removed."), "success")
    return redirect(url_for("assignments.graders", course_id=course_id))


@bp.route("/my/grading")
@login_required
def my_grading():
    """Assignments the person grades: as a lecturer of the course or as a unit head."""
    user = _actor()
    authz.require("assignment.grading_list")
    course_ids = set(db.session.scalars(select(CourseLecturer.course_id).where(CourseLecturer.user_id == user.id)))
    course_ids |= set(db.session.scalars(select(GradingDelegate.course_id).where(GradingDelegate.user_id == user.id)))
    rows = db.session.scalars(select(Assignment).where(Assignment.course_id.in_(course_ids or [0]))
                              .order_by(Assignment.due_at.desc().nulls_last(), Assignment.id.desc())).all()
    entries = [(a, grading.queue_counts(user, a)) for a in rows if authz.can(user, "assignment.grade_any", a)]
    return render_template("assignments/my_grading.html", entries=entries, labels=labels())
