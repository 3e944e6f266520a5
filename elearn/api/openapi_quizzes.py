"""The quizzes part of the OpenAPI document (taking a quiz from a mobile client), merged into openapi.document().

Shapes follow api/quizzes.py; tests/web/test_api_quizzes.py checks answers against them.
"""
from __future__ import annotations

from elearn.api.openapi import _BOOL, _INT, _NULL, _STR, _TIME, _errors, _id_param, _json, _nullable, _ref

_NUM = {"type": "number"}
_ANY = {"description": "Any JSON value: see the response formats in the Attempt answers operation."}


def _obj(properties: dict, description: str | None = None, optional: tuple[str, ...] = ()) -> dict:
    schema = {"type": "object", "properties": properties}
    required = [k for k in properties if k not in optional]
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


_RESPONSE_FORMATS = (
    "Responses by question type, in the form the page shows them: multichoice with one answer: the shown "
    "position of the choice (0-based, in the order of `choices`), or null; with several answers: a list of "
    "positions. truefalse: true or false. shortanswer, numerical, essay: text (numerical: \"3,5\" or \"3.5\"). "
    "matching: an object {stem index: chosen text}. description: nothing.")

SCHEMAS = {
    "QuizAttempt": _obj({
        "id": _INT, "quiz_id": _INT, "number": _INT,
        "state": {"type": "string", "enum": ["in_progress", "overdue", "finished", "abandoned"],
                  "description": "overdue: the grace period (only a submit is accepted); abandoned: not submitted "
                                 "in time, never graded."},
        "started_at": _TIME, "deadline": _nullable(_TIME),
        "seconds_left": _nullable({"type": "integer", "minimum": 0,
                                   "description": "The server's time left; count down from it, never from the "
                                                  "device's clock."}),
        "finished_at": _nullable(_TIME), "page_count": _INT, "current_page": _INT,
        "navigation": {"type": "string", "enum": ["free", "sequential"]},
        "last_seq": {"type": "integer", "description": "The highest save sequence number acknowledged."},
        "last_saved_at": _nullable(_TIME), "questions": _INT,
    }),
    "Quiz": _obj({
        "id": _INT, "course_id": _INT, "title": _STR,
        "role": {"type": "string", "enum": ["", "pretest", "posttest"]},
        "open_at": _nullable(_TIME), "close_at": _nullable(_TIME),
        "time_limit_seconds": {"type": "integer", "description": "0: no limit. Includes the caller's extra time."},
        "attempts_allowed": {"type": "integer", "description": "0: unlimited."},
        "grading_method": {"type": "string", "enum": ["highest", "average", "first", "last"]},
        "max_grade": _NUM, "pass_mark": _nullable(_NUM), "questions": _INT,
        "navigation": {"type": "string", "enum": ["free", "sequential"]},
        "autosave_seconds": _INT, "can_start": _BOOL,
        "reasons": {"type": "array", "items": _STR, "description": "Why a new attempt cannot start now."},
        "open_attempt": {"anyOf": [_ref("QuizAttempt"), _NULL]},
        "attempts": {"type": "array", "items": _ref("QuizAttempt")},
        "grade": _nullable({"type": "number", "description": "Shown only when the review settings show marks."}),
    }),
    "QuizQuestion": _obj({
        "type": {"type": "string", "enum": ["multichoice", "truefalse", "shortanswer", "numerical", "matching",
                                            "essay", "description"]},
        "text": {"type": "string", "description": "Sanitised HTML."},
        "text_format": {"type": "string", "enum": ["html"]},
        "single": _BOOL,
        "choices": {"type": "array", "items": _STR,
                    "description": "multichoice: sanitised HTML in the shown order; matching: the texts to choose "
                                   "from."},
        "stems": {"type": "array", "items": _obj({"index": _INT, "text": _STR})},
    }, "Never holds credits, feedback or the right answer.", optional=("single", "choices", "stems")),
    "QuizPageItem": _obj({
        "slot": _INT, "page": _INT, "max_mark": _NUM, "question": _ref("QuizQuestion"),
        "response": _ANY, "seq": _INT, "saved_at": _nullable(_TIME),
    }),
    "QuizPage": _obj({"attempt": _ref("QuizAttempt"), "page": _INT,
                      "items": {"type": "array", "items": _ref("QuizPageItem")}}),
    "QuizSaveRequest": _obj({
        "seq": {"type": "integer", "minimum": 1,
                "description": "The client's sequence number, increasing with every change. A response older "
                               "than the stored one is not applied; a retried request is acknowledged again."},
        "answers": {"type": "object", "additionalProperties": _ANY,
                    "description": "{slot: response}. " + _RESPONSE_FORMATS},
        "page": {"type": "integer", "description": "The page the learner is on (free navigation: where a reload "
                                                   "resumes)."},
    }, "Other fields (a score, a user id) are ignored.", optional=("page",)),
    "QuizSaveAck": _obj({
        "seq": _INT, "saved_at": _TIME, "saved_slots": {"type": "array", "items": _INT},
        "state": _STR, "seconds_left": _nullable(_INT),
    }, "Everything up to `seq` is stored: drop it from the client's queue."),
    "QuizSubmitRequest": _obj({"seq": _INT, "answers": {"type": "object", "additionalProperties": _ANY}},
                              "Optional last answers (saved only while the time is not up).",
                              optional=("seq", "answers")),
    "QuizReviewItem": _obj({
        "slot": _INT, "question": {"anyOf": [_ref("QuizQuestion"), _NULL]}, "response": _ANY,
        "state": _nullable(_STR), "score": _nullable(_NUM), "max_mark": _nullable(_NUM),
        "feedback": {"type": "array", "items": _STR}, "general_feedback": _nullable(_STR), "right_answer": _ANY,
        "comment": _nullable(_STR),
    }, "Fields the review settings do not show now are null or empty."),
    "QuizReview": _obj({
        "attempt": _ref("QuizAttempt"), "shown": {"type": "array", "items": _STR},
        "grade": _nullable(_NUM), "sumgrades": _nullable(_NUM), "max_sumgrades": _nullable(_NUM),
        "max_grade": _nullable(_NUM), "overall_feedback": _nullable(_STR),
        "items": {"type": "array", "items": _ref("QuizReviewItem")},
    }),
}


_CONFLICT = {"description": "`conflict`: the attempt's state refuses it (time is up, already closed, a page "
                           "sequential navigation closes, no attempt may start now); `message` says why.",
             "content": {"application/json": {"schema": _ref("Error")}}}


def _errs(*statuses: int) -> dict:
    out = _errors(*[s for s in statuses if s != 409], 429)
    if 409 in statuses:
        out["409"] = _CONFLICT
    return out


def _body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def paths() -> dict:
    common = (400, 401)
    attempt = [_id_param("attempt")]
    return {
        "/quizzes/{id}": {"get": {
            "operationId": "getQuiz",
            "summary": "A quiz: settings for the caller (after overrides), attempts, whether one can start",
            "tags": ["quizzes"], "parameters": [_id_param("quiz")],
            "responses": {"200": _json(_ref("Quiz"), "The quiz."), **_errs(401, 403, 404)}}},
        "/quizzes/{id}/attempts": {"post": {
            "operationId": "startQuizAttempt",
            "summary": "Start an attempt (or resume the open one)",
            "description": "Freezes the questions, their versions and order, and the server deadline.",
            "tags": ["quizzes"], "parameters": [_id_param("quiz")],
            "responses": {"200": _json(_ref("QuizAttempt"), "The open attempt."), **_errs(401, 403, 404, 409)}}},
        "/attempts/{id}": {"get": {
            "operationId": "getQuizAttempt",
            "summary": "An attempt's state and the server's time left (closes it when the time is up)",
            "tags": ["quizzes"], "parameters": attempt,
            "responses": {"200": _json(_ref("QuizAttempt"), "The attempt."), **_errs(401, 404)}}},
        "/attempts/{id}/pages/{page}": {"get": {
            "operationId": "getQuizAttemptPage",
            "summary": "The questions of one page (sequential navigation: the current or the next page only)",
            "tags": ["quizzes"],
            "parameters": [*attempt, {"name": "page", "in": "path", "required": True, "schema": {"type": "integer"},
                                      "description": "0-based page."}],
            "responses": {"200": _json(_ref("QuizPage"), "The page."), **_errs(401, 404, 409)}}},
        "/attempts/{id}/answers": {"post": {
            "operationId": "saveQuizAnswers",
            "summary": "Save answers (idempotent by sequence number)",
            "description": "Refused as a whole, nothing written, for a slot not in the attempt (400), a response "
                           "that does not fit its question (400, details.slot), a page sequential navigation "
                           "closes or an attempt whose time is up (409). " + _RESPONSE_FORMATS,
            "tags": ["quizzes"], "parameters": attempt, "requestBody": _body("QuizSaveRequest"),
            "responses": {"200": _json(_ref("QuizSaveAck"), "Stored."), **_errs(*common, 404, 409)}}},
        "/attempts/{id}/submit": {"post": {
            "operationId": "submitQuizAttempt",
            "summary": "Submit the attempt (idempotent: a finished attempt is returned unchanged)",
            "tags": ["quizzes"], "parameters": attempt,
            "requestBody": {"required": False, "content": {"application/json": {"schema": _ref("QuizSubmitRequest")}}},
            "responses": {"200": _json(_ref("QuizAttempt"), "The finished attempt."),
                          **_errs(*common, 404, 409)}}},
        "/attempts/{id}/review": {"get": {
            "operationId": "reviewQuizAttempt",
            "summary": "Review a closed attempt, showing only what the quiz's review settings allow now",
            "tags": ["quizzes"], "parameters": attempt,
            "responses": {"200": _json(_ref("QuizReview"), "The review."), **_errs(401, 404, 409)}}},
    }
