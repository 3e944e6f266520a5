"""Lecturer pages of a quiz: create and edit the settings, the question list (fixed and random), overrides.

Routes on the "quiz" blueprint (quiz_views.bp). Permission: "quiz.manage" on the quiz's course; a course the
person cannot see is a 404, one they see but do not teach a 403.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.core import authz
from elearn.courses.models import Course, Enrolment, Section
from elearn.extensions import db
from elearn.quizzes import quiz_services as qs
from elearn.quizzes import services as bank_services
from elearn.quizzes.attempts import REVIEW_MOMENT_LABELS, REVIEW_THING_LABELS, ReviewMoment, ReviewThing
from elearn.quizzes.models import BankQuestion
from elearn.quizzes.quiz_forms import FixedSlotsForm, OverrideForm, QuizSettingsForm, RandomSlotForm, to_local_naive, to_utc
from elearn.quizzes.quiz_models import Quiz
from elearn.quizzes.quiz_views import _actor, bp, error_text, message_text


def _managed_course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, "quiz.manage", course):
        abort(403)
    return course


def _managed_quiz(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    _managed_course(quiz.course_id)
    return quiz


def _review_options() -> dict:
    return {str(m): [str(t) for t in ReviewThing if request.form.get(f"review-{m}-{t}")] for m in ReviewMoment}


def _review_grid(options: dict) -> list:
    return [(str(m), REVIEW_MOMENT_LABELS[m], [(str(t), REVIEW_THING_LABELS[t], str(t) in (options.get(str(m)) or []))
                                               for t in ReviewThing]) for m in ReviewMoment]


def _bands() -> list[dict]:
    bands = []
    for i in range(5):
        text = (request.form.get(f"band-text-{i}") or "").strip()
        low = request.form.get(f"band-min-{i}", type=float)
        if text and low is not None:
            bands.append({"min": low, "text": text})
    return bands


def _settings_page(form, course, quiz, section, options, bands):
    return render_template("quizzes/manage/settings.html", form=form, course=course, quiz=quiz, section=section,
                           grid=_review_grid(options), bands=(bands + [{"min": "", "text": ""}] * 5)[:5])


@bp.route("/courses/<int:course_id>/sections/<int:section_id>/quizzes/new", methods=["GET", "POST"])
@login_required
def new(course_id: int, section_id: int):
    course = _managed_course(course_id)
    section = db.session.get(Section, section_id)
    if section is None or section.course_id != course.id:
        abort(404)
    form = QuizSettingsForm()
    defaults = qs.QuizSettings()
    if request.method == "GET":
        form.load(defaults)
    if form.validate_on_submit():
        data = form.settings(_review_options(), qs.QuizSettings())
        data.feedback_bands = _bands()
        try:
            quiz = qs.create_quiz(_actor(), course, section, data)
        except qs.QuizError as err:
            flash(error_text(err), "error")
        else:
            flash(_("The quiz was created. Now add its questions."), "success")
            return redirect(url_for("quiz.questions", quiz_id=quiz.id))
    options = _review_options() if request.method == "POST" else defaults.review_options
    return _settings_page(form, course, None, section, options, _bands())


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@login_required
def edit(quiz_id: int):
    quiz = _managed_quiz(quiz_id)
    form = QuizSettingsForm()
    if request.method == "GET":
        form.load(qs.QuizSettings.of(quiz))
    if form.validate_on_submit():
        data = form.settings(_review_options(), qs.QuizSettings.of(quiz))
        data.feedback_bands = _bands()
        try:
            qs.update_quiz(_actor(), quiz, data)
        except qs.QuizError as err:
            db.session.rollback()
            flash(error_text(err), "error")
        else:
            flash(_("The quiz settings were saved."), "success")
            return redirect(url_for("quiz.edit", quiz_id=quiz.id))
    options = _review_options() if request.method == "POST" else (quiz.review_options or {})
    bands = _bands() if request.method == "POST" else list(quiz.feedback_bands or [])
    return _settings_page(form, quiz.course, quiz, None, options, bands)


# ---- questions ----------------------------------------------------------------------------------------------------

def _specs(quiz: Quiz) -> list[qs.SlotSpec]:
    return [qs.SlotSpec(mark=s.mark, question_id=s.question_id, category_id=s.category_id,
                        include_subcategories=s.include_subcategories, count=s.count) for s in quiz.slots]


@bp.route("/quizzes/<int:quiz_id>/questions", methods=["GET", "POST"])
@login_required
def questions(quiz_id: int):
    quiz = _managed_quiz(quiz_id)
    course = quiz.course
    nodes = bank_services.category_tree(course)
    category_id = request.args.get("category", type=int) or (nodes[0].category.id if nodes else None)
    bank = list(db.session.scalars(select(BankQuestion).where(
        BankQuestion.course_id == course.id, BankQuestion.deleted.is_(False),
        BankQuestion.category_id == (category_id or 0)).order_by(BankQuestion.id).limit(500)))
    fixed = FixedSlotsForm(prefix="fixed")
    fixed.question_ids.choices = [(q.id, q.name) for q in bank]
    random_form = RandomSlotForm(prefix="random")
    random_form.category_id.choices = [(n.category.id, "— " * n.depth + n.category.name + f" ({n.count})") for n in nodes]
    if request.method == "POST":
        specs = _specs(quiz)
        if request.form.get("action") == "fixed" and fixed.validate_on_submit():
            taken = {s.question_id for s in specs}
            specs += [qs.SlotSpec(mark=float(fixed.mark.data), question_id=qid) for qid in fixed.question_ids.data
                      if qid not in taken]
        elif request.form.get("action") == "random" and random_form.validate_on_submit():
            specs.append(qs.SlotSpec(mark=float(random_form.mark.data), category_id=random_form.category_id.data,
                                     include_subcategories=random_form.include_subcategories.data,
                                     count=random_form.count.data))
        else:
            flash(_("Check the form."), "error")
            return redirect(url_for("quiz.questions", quiz_id=quiz.id, category=category_id))
        try:
            qs.set_slots(_actor(), quiz, specs)
        except qs.QuizError as err:
            db.session.rollback()
            flash(error_text(err), "error")
        else:
            flash(_("The question list was saved."), "success")
        return redirect(url_for("quiz.questions", quiz_id=quiz.id, category=category_id))
    names = dict(db.session.execute(select(BankQuestion.id, BankQuestion.name).where(
        BankQuestion.id.in_([s.question_id for s in quiz.slots if s.question_id] or [0]))).all())
    paths = {n.category.id: " / ".join(n.path) for n in nodes}
    return render_template("quizzes/manage/questions.html", quiz=quiz, course=course, fixed=fixed,
                           random_form=random_form, nodes=nodes, category_id=category_id, names=names, paths=paths,
                           total=qs.question_count(quiz))


@bp.post("/quizzes/<int:quiz_id>/slots/<int:slot_id>/delete")
@login_required
def slot_delete(quiz_id: int, slot_id: int):
    quiz = _managed_quiz(quiz_id)
    specs = [spec for spec, slot in zip(_specs(quiz), quiz.slots, strict=True) if slot.id != slot_id]
    try:
        qs.set_slots(_actor(), quiz, specs)
    except qs.QuizError as err:
        db.session.rollback()
        flash(error_text(err), "error")
    return redirect(url_for("quiz.questions", quiz_id=quiz.id))


# ---- overrides ----------------------------------------------------------------------------------------------------

@bp.route("/quizzes/<int:quiz_id>/overrides", methods=["GET", "POST"])
@login_required
def overrides(quiz_id: int):
    quiz = _managed_quiz(quiz_id)
    learners = db.session.execute(
        select(User.id, User.full_name, User.username).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == quiz.course_id, Enrolment.state == "active").order_by(User.full_name)).all()
    form = OverrideForm()
    form.user_id.choices = [(row.id, f"{row.full_name} ({row.username})") for row in learners]
    if form.validate_on_submit():
        try:
            qs.set_override(_actor(), quiz, form.user_id.data, open_at=to_utc(form.open_at.data),
                            close_at=to_utc(form.close_at.data),
                            time_limit=None if form.time_limit.data is None else form.time_limit.data * 60,
                            extra_seconds=(form.extra_minutes.data or 0) * 60,
                            attempts_allowed=form.attempts_allowed.data)
        except qs.QuizError as err:
            db.session.rollback()
            flash(error_text(err), "error")
        else:
            flash(_("The override was saved."), "success")
            return redirect(url_for("quiz.overrides", quiz_id=quiz.id))
    names = {row.id: f"{row.full_name} ({row.username})" for row in learners}
    return render_template("quizzes/manage/overrides.html", quiz=quiz, course=quiz.course, form=form,
                           rows=qs.overrides_of(quiz), names=names, local=to_local_naive)


@bp.post("/quizzes/<int:quiz_id>/overrides/<int:override_id>/delete")
@login_required
def override_delete(quiz_id: int, override_id: int):
    quiz = _managed_quiz(quiz_id)
    try:
        qs.delete_override(_actor(), quiz, override_id)
    except qs.QuizError as err:
        abort(err.status if err.status in (400, 404) else 400, description=message_text(err.message))
    flash(_("The override was removed."), "success")
    return redirect(url_for("quiz.overrides", quiz_id=quiz.id))
