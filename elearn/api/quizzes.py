"""API endpoints for taking a quiz from a mobile client: quiz facts, start (or resume), one page of questions,
save answers, submit, review. Documented in openapi_quizzes.py.

The same services as the attempt pages (quizzes/quiz_services.py), so the same rules hold: the server keeps the
time, a save carries the client's sequence number and is idempotent (an older one never overwrites a newer
answer), submit is idempotent, fields other than the documented ones (a score, a user id) are ignored, and
nothing about right answers is sent before the quiz's review settings allow it. Bearer tokens, no cookies: no
CSRF token is needed and none can expire during an exam. Another person's attempt is a 404.
"""
from __future__ import annotations

from flask import g, jsonify, request
from markupsafe import escape

from elearn.api import ApiError, api_user, api_user_id, bp, invalid_token
from elearn.core import authz, clock, html
from elearn.core.errors import api_error
from elearn.courses.messages import Message
from elearn.extensions import db
from elearn.quizzes import quiz_services as qs
from elearn.quizzes.attempts import seconds_left
from elearn.quizzes.quiz_models import OPEN_STATES, Attempt, Quiz


def _me():
    return api_user()


def _message(err: qs.QuizError) -> str:
    params = {k: v for k, v in err.params.items() if k != "at"}
    try:
        return err.message % params if params else err.message
    except (KeyError, ValueError, TypeError):
        return err.message


@bp.errorhandler(qs.QuizError)
def _quiz_error(err: qs.QuizError):
    db.session.rollback()
    code = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict"}.get(err.status, "invalid")
    details = {"slot": str(err.params["slot"])} if "slot" in err.params else None
    return api_error(err.status if err.status in (400, 403, 404, 409) else 422, _message(err), code, details)


def _quiz(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not authz.can(_me(), "course.view", quiz.course):
        raise ApiError(404, "No quiz with this id.", "not_found")
    item = qs.item_of(quiz)
    manage = authz.can(_me(), "quiz.manage", quiz.course)
    if (item is None or not item.visible) and not manage:
        raise ApiError(404, "No quiz with this id.", "not_found")
    if not manage and not authz.can(_me(), "quiz.attempt", quiz.course):
        raise ApiError(403, "Only learners enrolled in the course take its quizzes.", "forbidden")
    return quiz


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != _me().id:
        raise ApiError(404, "No attempt with this id.", "not_found")
    return attempt


def _time(value) -> str | None:
    return value.isoformat() if value else None


def attempt_json(attempt: Attempt) -> dict:
    return {"id": attempt.id, "quiz_id": attempt.quiz_id, "number": attempt.number, "state": attempt.state,
            "started_at": _time(attempt.started_at), "deadline": _time(attempt.deadline),
            "seconds_left": seconds_left(clock.now(), attempt.deadline) if attempt.state in OPEN_STATES else None,
            "finished_at": _time(attempt.finished_at), "page_count": attempt.page_count,
            "current_page": attempt.current_page, "navigation": attempt.navigation, "last_seq": attempt.last_seq,
            "last_saved_at": _time(attempt.last_saved_at), "questions": attempt.question_count}


def _render(message: Message) -> str:
    return message.msgid % message.params if message.params else message.msgid


@bp.get("/quizzes/<int:id>")
def api_quiz(id: int):
    quiz = _quiz(id)
    me = _me()
    qs.close_overdue(quiz_id=quiz.id, user_id=me.id)
    timing = qs.effective_settings(quiz, me.id)
    current = qs.open_attempt(quiz, me.id)
    reasons = [] if current else qs.start_problems(quiz, me.id)
    result = qs.result_of(quiz, me.id)
    return jsonify({
        "id": quiz.id, "course_id": quiz.course_id, "title": quiz.title, "role": quiz.role,
        "open_at": _time(timing.open_at), "close_at": _time(timing.close_at),
        "time_limit_seconds": (timing.time_limit + timing.extra_seconds) if timing.time_limit else 0,
        "attempts_allowed": timing.attempts_allowed, "grading_method": quiz.grading_method,
        "max_grade": quiz.max_grade, "pass_mark": quiz.pass_mark, "questions": qs.question_count(quiz),
        "navigation": quiz.navigation, "autosave_seconds": quiz.autosave_seconds,
        "can_start": not reasons and current is None, "reasons": [_render(r) for r in reasons],
        "open_attempt": attempt_json(current) if current else None,
        "attempts": [attempt_json(a) for a in qs.attempts_of(quiz, me.id)],
        "grade": result.grade if result and "marks" in _any_marks(quiz, me.id) else None,
    })


def _any_marks(quiz: Quiz, user_id: int) -> frozenset[str]:
    """Marks are shown only when the review settings show them for at least one finished attempt now."""
    for attempt in qs.attempts_of(quiz, user_id):
        if "marks" in qs.review_things(attempt):
            return frozenset({"marks"})
    return frozenset()


@bp.post("/quizzes/<int:id>/attempts")
def api_start(id: int):
    quiz = _quiz(id)
    attempt = qs.start_attempt(_me(), quiz)
    return jsonify(attempt_json(attempt))


@bp.get("/attempts/<int:id>")
def api_attempt(id: int):
    attempt = _own_attempt(id)
    qs.sync_attempt(attempt)
    return jsonify(attempt_json(attempt))


def _html(text: str, fmt: str) -> str:
    """Question text as safe HTML: HTML (and Moodle's auto-format) through the sanitiser, the rest escaped."""
    return str(html.render(text)) if fmt in ("html", "moodle") else str(escape(text))


def safe_question(question: dict | None) -> dict | None:
    if question is None:
        return None
    fmt = question.get("text_format", "moodle")
    out = {**question, "text": _html(question["text"], fmt), "text_format": "html"}
    if question.get("type") == "multichoice":
        out["choices"] = [_html(c, fmt) for c in question.get("choices", [])]
    if question.get("type") == "matching":
        out["stems"] = [{"index": s["index"], "text": _html(s["text"], fmt)} for s in question.get("stems", [])]
    return out


def _item_json(item: dict) -> dict:
    return {"slot": item["slot"], "page": item["page"], "max_mark": item["max_mark"],
            "question": safe_question(item["question"]),
            "response": item["response"], "seq": item["seq"], "saved_at": _time(item["saved_at"])}


@bp.get("/attempts/<int:id>/pages/<int:page>")
def api_page(id: int, page: int):
    """The questions of one page. In sequential navigation, asking for the next page moves on (no way back)."""
    attempt = _own_attempt(id)
    attempt = qs.open_page(_me(), attempt, page)
    return jsonify({"attempt": attempt_json(attempt), "page": page,
                    "items": [_item_json(i) for i in qs.page_items(attempt, page)]})


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "Send a JSON object.", "bad_request")
    answers = body.get("answers", {})
    if answers is not None and not isinstance(answers, dict):
        raise ApiError(400, "answers must be an object {slot: response}.", "bad_request")
    return body


@bp.post("/attempts/<int:id>/answers")
def api_save(id: int):
    # The busiest exam request: the token is checked inside save_by_id's query of the learner's own attempt
    # (api.TOKEN_CHECKED_IN_VIEW), so a refusal is looked at once more to answer 401 to a token that is not valid.
    try:
        body = _body()
        result = qs.save_by_id(None, id, body.get("answers") or {}, body.get("seq"), body.get("page"),
                               token_hash=g.api_token_hash)
    except (qs.QuizError, ApiError):
        db.session.rollback()
        if api_user_id() is None:
            return invalid_token()
        raise
    return jsonify({"seq": result.seq, "saved_at": _time(result.saved_at), "saved_slots": result.saved_slots,
                    "state": result.state, "seconds_left": result.seconds_left})


@bp.post("/attempts/<int:id>/submit")
def api_submit(id: int):
    body = request.get_json(silent=True) or {}
    answers = body.get("answers") if isinstance(body, dict) and isinstance(body.get("answers"), dict) else None
    attempt = qs.submit_by_id(api_user_id(), id, answers, body.get("seq") if answers else None)
    return jsonify(attempt_json(attempt))


def _review_json(entry: dict) -> dict:
    rv = entry["review"]
    fmt = (entry["question"] or {}).get("text_format", "moodle")
    right = rv.right_answer
    if isinstance(right, str):
        right = _html(right, "plain")
    return {"slot": entry["slot"], "question": safe_question(entry["question"]), "response": entry["response"],
            "state": rv.state, "score": rv.score, "max_mark": rv.max_mark,
            "feedback": [_html(f, fmt) for f in rv.feedback],
            "general_feedback": _html(rv.general_feedback, fmt) if rv.general_feedback else None,
            "right_answer": right,
            "comment": str(html.render(entry["comment"])) if entry.get("comment") else None}


@bp.get("/attempts/<int:id>/review")
def api_review(id: int):
    attempt = _own_attempt(id)
    qs.sync_attempt(attempt)
    if attempt.state in OPEN_STATES:
        raise ApiError(409, "The attempt is still open: submit it first.", "conflict")
    things = qs.review_things(attempt)
    total = qs.attempt_grade_visible(attempt, things)
    return jsonify({"attempt": attempt_json(attempt), "shown": sorted(things),
                    "grade": total.get("grade"), "sumgrades": total.get("sumgrades"),
                    "max_sumgrades": total.get("max_sumgrades") if total else None,
                    "max_grade": total.get("max_grade") if total else None,
                    "overall_feedback": str(html.render(total["overall_feedback"])) if total.get("overall_feedback") else None,
                    "items": [_review_json(e) for e in qs.review_items(attempt, things)] if "attempt" in things else []})
