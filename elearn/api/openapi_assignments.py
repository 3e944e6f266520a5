"""The assignments part of the OpenAPI document: schemas and paths, merged into openapi.document().

Shapes follow api/assignments.py; tests/web/test_api_assignments.py checks answers against them.
"""
from __future__ import annotations

from elearn.api.openapi import _BOOL, _INT, _NULL, _PAGE_PARAMS, _STR, _TIME, _errors, _id_param, _json, _nullable, _query, _ref
from elearn.api.openapi_courses import _HTML, _body, _list_of, _obj, _page_of
from elearn.assignments import domain, grading

_NUM = {"type": "number"}
_STATES = {"type": "string", "enum": [str(s) for s in domain.State]}
_REFUSED = "`refused`: a rule refused it; `message` says why (e.g. “Submissions closed on 03/12/2026 17:00.”)."

SCHEMAS = {
    "RubricCriterion": _obj({"title": _STR, "levels": {"type": "array", "items": _obj({"label": _STR, "points": _NUM})}}),
    "Assignment": _obj({
        "id": _INT, "course_id": _INT, "title": _STR,
        "template": {"type": "string", "enum": [str(t) for t in domain.Template],
                     "description": "reflection (bài thu hoạch, three sections) or free."},
        "instructions": _HTML,
        "due_at": _nullable(_TIME), "late_until": _nullable(_TIME),
        "window": {"type": "string", "enum": [str(w) for w in domain.Window],
                   "description": "open; late (past due, within the late window: marked late); closed."},
        "allow_text": _BOOL, "allow_files": _BOOL, "max_files": _INT,
        "min_words": _nullable(_INT), "max_words": _nullable(_INT), "allow_resubmit": _BOOL,
        "grading": {"type": "string", "enum": [str(g) for g in domain.Grading]},
        "rubric": {"type": "array", "items": _ref("RubricCriterion")},
        "max_points": _nullable(_NUM), "pass_score": _nullable(_NUM),
        "sections": {"type": "array", "items": _obj({"key": {"type": "string", "enum": list(domain.SECTION_KEYS)},
                                                     "heading": _STR})},
    }),
    "Grade": _obj({
        "score": _nullable(_NUM), "max_score": _nullable(_NUM), "passed": _BOOL,
        "levels": {"type": "array", "items": _INT, "description": "Rubric: the level chosen for each criterion."},
        "feedback": _HTML, "graded_at": _TIME,
        "grader": {"anyOf": [_obj({"id": _INT, "full_name": _STR}), _NULL]},
    }),
    "Submission": _obj({
        "id": _INT, "assignment_id": _INT, "user": _obj({"id": _INT, "username": _STR, "full_name": _STR}),
        "state": _STATES, "text": _HTML,
        "sections": {"type": "object", "additionalProperties": _HTML,
                     "description": "Reflection essay: learned, application, commitments."},
        "word_count": _INT, "submitted_at": _nullable(_TIME), "late": _BOOL, "times_submitted": _INT,
        "files": {"type": "array", "items": _obj({"id": _INT, "name": _STR, "content_type": _STR, "size": _INT})},
        "grade": {"anyOf": [_ref("Grade"), _NULL]},
    }),
    "AssignmentDetail": {"allOf": [_ref("Assignment"), _obj({"my_submission": {"anyOf": [_ref("Submission"), _NULL]}})]},
    "AssignmentList": _list_of("Assignment"),
    "Commitment": _obj({"id": _INT, "course_id": _INT, "assignment_id": _INT, "submission_id": _INT,
                        "position": {"type": "integer", "minimum": 1}, "text": _STR,
                        "created_at": {**_TIME, "description": "When the essay was submitted."}},
                       "One line of the action plan of a reflection essay."),
    "CommitmentList": _list_of("Commitment"),
    "SubmissionPage": _page_of("Submission"),
}


def paths() -> dict:
    common = (401, 429)
    assignment = _id_param("assignment")
    submission = _id_param("submission")
    return {
        "/courses/{id}/assignments": {"get": {
            "operationId": "listCourseAssignments", "summary": "The course's assignments, in outline order",
            "tags": ["assignments"], "parameters": [_id_param("course")],
            "responses": {"200": _json(_ref("AssignmentList"), "The assignments."), **_errors(*common, 403, 404)},
        }},
        "/assignments/{id}": {"get": {
            "operationId": "getAssignment", "summary": "An assignment, with the caller's own submission",
            "tags": ["assignments"], "parameters": [assignment],
            "responses": {"200": _json(_ref("AssignmentDetail"), "The assignment."), **_errors(*common, 403, 404)},
        }},
        "/assignments/{id}/submission": {"put": {
            "operationId": "saveMySubmission",
            "summary": "Save the caller's draft; with `submit: true` submit it (submitting twice is one submission)",
            "tags": ["assignments"], "parameters": [assignment],
            "requestBody": _body(_obj({"text": {"type": "string", "description": "HTML (free assignment)."},
                                       "sections": {"type": "object", "additionalProperties": _STR,
                                                    "description": "HTML per section (reflection essay)."},
                                       "submit": _BOOL}, optional=("text", "sections", "submit"))),
            "responses": {"200": _json(_ref("Submission"), "The submission now."), **_errors(*common, 403, 404),
                          "409": _json(_ref("Error"), _REFUSED), **_errors(422)},
        }},
        "/assignments/{id}/submissions": {"get": {
            "operationId": "listSubmissions", "summary": "Submissions the caller may grade (graders only)",
            "tags": ["assignments"],
            "parameters": [assignment,
                           _query("status", {"type": "string", "enum": list(grading.QUEUE_STATUSES), "default": "all"},
                                  "to_grade (submitted), graded, draft or all."),
                           _query("unit_id", {"type": "integer", "minimum": 1}, "Only cadres of this unit and below."),
                           _query("late", {"type": "boolean"}, "Only late (true) or on-time (false) submissions."),
                           *_PAGE_PARAMS],
            "responses": {"200": _json(_ref("SubmissionPage"), "Oldest submission first."),
                          **_errors(*common, 403, 404, 422)},
        }},
        "/submissions/{id}": {"get": {
            "operationId": "getSubmission", "summary": "A submission (its author and its graders only)",
            "tags": ["assignments"], "parameters": [submission],
            "responses": {"200": _json(_ref("Submission"), "The submission."), **_errors(*common, 404)},
        }},
        "/submissions/{id}/grade": {"put": {
            "operationId": "gradeSubmission",
            "summary": "Grade a submission: rubric levels, a score, or pass/fail, with feedback",
            "description": "The learner is notified and their course completion updated.",
            "tags": ["assignments"], "parameters": [submission],
            "requestBody": _body(_obj({"levels": {"type": "array", "items": _INT}, "score": _NUM, "passed": _BOOL,
                                       "feedback": {"type": "string", "description": "HTML, sanitised."}},
                                      optional=("levels", "score", "passed", "feedback"))),
            "responses": {"200": _json(_ref("Submission"), "The graded submission."), **_errors(*common, 403, 404),
                          "409": _json(_ref("Error"), _REFUSED), **_errors(422)},
        }},
        "/users/{id}/commitments": {"get": {
            "operationId": "listCommitments",
            "summary": "A cadre's commitments from their reflection essays (the cadre, administrators, their graders)",
            "tags": ["assignments"], "parameters": [_id_param("user")],
            "responses": {"200": _json(_ref("CommitmentList"), "Newest essay first, in the order written."),
                          **_errors(*common, 404)},
        }},
        "/me/submissions": {"get": {
            "operationId": "listMySubmissions", "summary": "The caller's submissions and grades",
            "tags": ["assignments"], "parameters": list(_PAGE_PARAMS),
            "responses": {"200": _json(_ref("SubmissionPage"), "Newest first."), **_errors(*common, 422)},
        }},
    }
