"""Learner pages of a quiz: the start page, the attempt page (and its JSON calls), summary + submit, review.

Thin adapters: permission through core/authz.py, rules and writes in quiz_services.py.

CSRF for a long exam: the attempt page's JSON calls and the submit form carry the attempt's own token (a random
secret stored with the attempt, written into the page that only its owner can load) in the `X-Attempt-Token`
header or an `attempt_token` field, compared in constant time. A cross-site page cannot read it, so it protects
like a CSRF token, and it stays valid as long as the attempt is open: a 90-minute exam never fails on an expired
token. (The site's ordinary CSRF tokens have no time limit either: WTF_CSRF_TIME_LIMIT = None.) These endpoints
are exempt from Flask-WTF's check because they do this one instead; they also require the signed-in owner.
"""
from __future__ import annotations

import hmac

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.core import authz, clock
from elearn.courses.models import Course
from elearn.extensions import csrf, db
from elearn.quizzes import quiz_services as qs
from elearn.quizzes.attempts import GRADING_METHOD_LABELS, PHASE_LABELS, seconds_left
from elearn.quizzes.grading import MARK_STATE_LABELS
from elearn.quizzes.quiz_models import FINISHED, IN_PROGRESS, OPEN_STATES, Attempt, Quiz
from elearn.quizzes.views import rich_text

bp = Blueprint("quiz", __name__)


def _actor():
    return current_user._get_current_object()


def message_text(message: str, params: dict | None = None) -> str:
    params = {k: v for k, v in (params or {}).items() if k != "at"}
    try:
        return _(message, **params) if params else _(message)
    except (KeyError, ValueError, TypeError):
        return _(message)


def error_text(err: qs.QuizError) -> str:
    return message_text(err.message, err.params)


def load_quiz(quiz_id: int) -> tuple[Quiz, Course]:
    """The quiz if its course may be seen: 404 otherwise (and for a hidden or missing quiz)."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    course = quiz.course
    if not authz.can(current_user, "course.view", course):
        abort(404)
    item = qs.item_of(quiz)
    if (item is None or not item.visible) and not authz.can(current_user, "quiz.manage", course):
        abort(404)
    return quiz, course


def load_attempt(attempt_id: int) -> Attempt:
    """The attempt if the signed-in person may see it; another learner's attempt is a 404 (its existence is not told)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not authz.can(current_user, "attempt.view", attempt):
        abort(404)
    return attempt


def own_attempt(attempt_id: int) -> Attempt:
    attempt = load_attempt(attempt_id)
    if attempt.user_id != current_user.id:
        abort(404)
    return attempt


def check_attempt_token(attempt: Attempt) -> None:
    sent = request.headers.get("X-Attempt-Token") or request.form.get("attempt_token") or ""
    if not sent or not hmac.compare_digest(sent.encode(), attempt.token.encode()):
        abort(400, description="attempt token")


def local_time(value) -> str:
    return clock.to_local(value).strftime("%H:%M:%S") if value else ""


# ---- start page ---------------------------------------------------------------------------------------------------

@bp.get("/quizzes/<int:quiz_id>")
@login_required
def view(quiz_id: int):
    quiz, course = load_quiz(quiz_id)
    manage = authz.can(current_user, "quiz.manage", course)
    may_attempt = authz.can(current_user, "quiz.attempt", course)
    if not manage and not may_attempt:
        abort(403)
    qs.close_overdue(quiz_id=quiz.id, user_id=current_user.id)
    attempts = qs.attempts_of(quiz, current_user.id)
    current = qs.open_attempt(quiz, current_user.id)
    problems = [] if current else qs.start_problems(quiz, current_user.id)
    timing = qs.effective_settings(quiz, current_user.id)
    return render_template("quizzes/attempt/start.html", quiz=quiz, course=course, attempts=attempts, current=current,
                           problems=[message_text(p.msgid, p.params) for p in problems], timing=timing,
                           may_attempt=may_attempt, manage=manage, result=qs.result_of(quiz, current_user.id),
                           grading_label=_(GRADING_METHOD_LABELS[quiz.grading_method]),
                           phase_labels=PHASE_LABELS, review_things=qs.review_things,
                           intro=rich_text(quiz.intro, "html"), count=qs.question_count(quiz))


@bp.post("/quizzes/<int:quiz_id>/start")
@login_required
def start(quiz_id: int):
    quiz, course = load_quiz(quiz_id)
    preview = request.form.get("preview") == "1"
    if preview:
        if not authz.can(current_user, "quiz.manage", course):
            abort(403)
    elif not authz.can(current_user, "quiz.attempt", course):
        abort(403)
    try:
        attempt = qs.start_attempt(_actor(), quiz, preview=preview)
    except qs.QuizError as err:
        flash(error_text(err), "error")
        return redirect(url_for("quiz.view", quiz_id=quiz.id))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id, page=attempt.current_page))


# ---- attempt page -------------------------------------------------------------------------------------------------

def _closed_redirect(attempt: Attempt):
    return redirect(url_for("quiz.review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    qs.sync_attempt(attempt)
    if attempt.state not in OPEN_STATES:
        return _closed_redirect(attempt)
    if attempt.state != IN_PROGRESS:
        return redirect(url_for("quiz.summary", attempt_id=attempt.id))
    page = request.args.get("page", type=int)
    if page is None or not 0 <= page < attempt.page_count:
        page = attempt.current_page
    if attempt.navigation == "sequential" and page != attempt.current_page:
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id, page=attempt.current_page))
    items = qs.page_items(attempt, page)
    return render_template("quizzes/attempt/attempt.html", attempt=attempt, quiz=attempt.quiz, items=items, page=page,
                           rich=rich_text, seconds_left=seconds_left(clock.now(), attempt.deadline),
                           summary=qs.summary(attempt), local_time=local_time)


@bp.post("/attempts/<int:attempt_id>/goto")
@csrf.exempt
@login_required
def goto(attempt_id: int):
    """Move to another page (sequential navigation: the next one only). Answers are saved by the page's script."""
    attempt = own_attempt(attempt_id)
    check_attempt_token(attempt)
    target = request.form.get("page", type=int)
    if target is None:
        abort(400)
    if target == attempt.page_count:  # "next" from the last page: the summary
        return redirect(url_for("quiz.summary", attempt_id=attempt.id))
    try:
        qs.open_page(_actor(), attempt, target)
    except qs.QuizError as err:
        flash(error_text(err), "error")
        if attempt.state not in OPEN_STATES:
            return _closed_redirect(attempt)
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id, page=attempt.current_page
                            if attempt.navigation == "sequential" else target))


def _state_json(attempt: Attempt, status: int = 200, **extra):
    data = {"state": attempt.state, "seconds_left": seconds_left(clock.now(), attempt.deadline),
            "last_seq": attempt.last_seq, "current_page": attempt.current_page,
            "review_url": url_for("quiz.review", attempt_id=attempt.id),
            "summary_url": url_for("quiz.summary", attempt_id=attempt.id)}
    data.update(extra)
    return jsonify(data), status


@bp.get("/attempts/<int:attempt_id>/state.json")
@login_required
def state_json(attempt_id: int):
    """The server's clock for the page timer (and the lazy close when time is up)."""
    attempt = own_attempt(attempt_id)
    qs.sync_attempt(attempt)
    return _state_json(attempt)


@bp.post("/attempts/<int:attempt_id>/save.json")
@csrf.exempt
@login_required
def save_json(attempt_id: int):
    """Body {"seq": n, "answers": {slot: response}, "page": p}; any other field (score, user_id...) is ignored."""
    attempt = own_attempt(attempt_id)
    check_attempt_token(attempt)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("answers", {}), dict):
        return jsonify({"error": _("The request cannot be read.")}), 400
    try:
        result = qs.save_answers(_actor(), attempt, body.get("answers") or {}, body.get("seq"), body.get("page"))
    except qs.QuizError as err:
        db.session.rollback()
        attempt = db.session.get(Attempt, attempt_id)
        return _state_json(attempt, err.status, error=error_text(err), slot=err.params.get("slot"))
    return _state_json(attempt, ok=True, seq=result.seq, saved_at=result.saved_at.isoformat(),
                       saved_at_local=local_time(result.saved_at), saved_slots=result.saved_slots)


@bp.post("/attempts/<int:attempt_id>/submit.json")
@csrf.exempt
@login_required
def submit_json(attempt_id: int):
    attempt = own_attempt(attempt_id)
    check_attempt_token(attempt)
    body = request.get_json(silent=True) or {}
    answers = body.get("answers") if isinstance(body, dict) and isinstance(body.get("answers"), dict) else None
    try:
        attempt = qs.submit_attempt(_actor(), attempt, answers, body.get("seq") if answers else None)
    except qs.QuizError as err:
        db.session.rollback()
        attempt = db.session.get(Attempt, attempt_id)
        return _state_json(attempt, err.status, error=error_text(err))
    return _state_json(attempt, ok=True)


# ---- summary, submit, review --------------------------------------------------------------------------------------

@bp.get("/attempts/<int:attempt_id>/summary")
@login_required
def summary(attempt_id: int):
    attempt = own_attempt(attempt_id)
    qs.sync_attempt(attempt)
    if attempt.state not in OPEN_STATES:
        return _closed_redirect(attempt)
    return render_template("quizzes/attempt/summary.html", attempt=attempt, quiz=attempt.quiz,
                           summary=qs.summary(attempt), seconds_left=seconds_left(clock.now(), attempt.deadline))


@bp.post("/attempts/<int:attempt_id>/submit")
@csrf.exempt
@login_required
def submit(attempt_id: int):
    """The summary's submit form (works without the script). Idempotent: a second submit shows the review."""
    attempt = own_attempt(attempt_id)
    if attempt.state == FINISHED:
        return _closed_redirect(attempt)
    check_attempt_token(attempt)
    try:
        qs.submit_attempt(_actor(), attempt)
    except qs.QuizError as err:
        flash(error_text(err), "error")
    return _closed_redirect(attempt)


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = load_attempt(attempt_id)
    qs.sync_attempt(attempt)
    if attempt.state in OPEN_STATES and attempt.user_id == current_user.id:
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
    manage = authz.can(current_user, "quiz.manage", attempt.quiz.course)
    if manage and attempt.user_id != current_user.id or attempt.preview:
        things = frozenset({"attempt", "correctness", "marks", "specific_feedback", "general_feedback",
                            "right_answer", "overall_feedback"})
    else:
        things = qs.review_things(attempt)
    items = qs.review_items(attempt, things) if attempt.state != "abandoned" or "attempt" in things else []
    return render_template("quizzes/attempt/review.html", attempt=attempt, quiz=attempt.quiz, items=items,
                           things=things, total=qs.attempt_grade_visible(attempt, things), rich=rich_text,
                           state_labels=MARK_STATE_LABELS, phase_labels=PHASE_LABELS, local_time=local_time)


from elearn.quizzes import quiz_manage_views as _manage_views  # noqa: E402, F401  (the lecturer routes of this blueprint)
