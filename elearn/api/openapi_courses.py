"""The courses part of the OpenAPI document: schemas and paths, merged into openapi.document().

Shapes follow api/course_schemas.py; tests/web/test_api_courses.py checks answers against them and
tests/web/test_api.py checks the paths against the real routes.
"""
from __future__ import annotations

from elearn.api.openapi import _BOOL, _INT, _NULL, _PAGE_PARAMS, _STR, _TIME, _errors, _id_param, _json, _nullable, _query, _ref
from elearn.courses import catalog, exports
from elearn.courses.completion import rule_kinds
from elearn.courses.views import MAX_VIDEO_SECONDS

_DATE = {"type": "string", "format": "date"}
_SHARE = {"type": "number", "minimum": 0, "maximum": 1}
_HTML = {"type": "string", "description": "Sanitised HTML (the same allow-list as the web pages)."}


def _obj(properties: dict, description: str | None = None, optional: tuple[str, ...] = ()) -> dict:
    schema = {"type": "object", "properties": properties}
    required = [k for k in properties if k not in optional]
    if required:  # OpenAPI 3.0: `required` lists at least one name
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


def _page_of(name: str) -> dict:
    return {"allOf": [_ref("Page"), {"type": "object", "properties": {"items": {"type": "array", "items": _ref(name)}}}]}


def _list_of(name: str) -> dict:
    return _obj({"items": {"type": "array", "items": _ref(name)}, "total": _INT})


_COURSE_BASE = {
    "id": _INT,
    "code": _STR,
    "title": _STR,
    "category": {"anyOf": [_ref("CourseCategory"), _NULL]},
    "kind": {"type": "string", "enum": [str(k) for k in catalog.CourseKind],
             "description": "dao_tao (đào tạo), boi_duong (bồi dưỡng) or tap_huan (tập huấn)."},
    "hours": {"type": "number", "minimum": 0},
    "opens_on": _nullable(_DATE),
    "closes_on": _nullable(_DATE),
    "state": {"type": "string", "enum": [str(s) for s in catalog.CourseState],
              "description": "Drafts appear only to their lecturers and administrators."},
    "enrolled": {"type": "boolean", "description": "The caller has an active enrolment."},
    "in_audience": _nullable({"type": "boolean",
                              "description": "The caller matches the target group; null when the course is open "
                                             "to everyone."}),
}

_ENROLMENT = {
    "id": _INT,
    "course_id": _INT,
    "user_id": _INT,
    "state": {"type": "string", "enum": ["active", "withdrawn"]},
    "method": {"type": "string", "enum": [str(m) for m in catalog.EnrolMethod]},
    "enrolled_at": _TIME,
    "in_target": {"type": "boolean",
                  "description": "False: enrolled outside the target group (đúng đối tượng), flagged in reports."},
    "outside_reason": {"type": "string", "description": "Why someone outside the target group was enrolled."},
    "progress": {**_SHARE, "description": "Share of the completion rules met (0..1), as on the progress bars."},
    "completed_at": _nullable({**_TIME, "description": "Recorded once, never moves."}),
    "last_access_at": _nullable(_TIME),
}

_LESSON_PROGRESS = {
    "lesson_id": _INT,
    "viewed_at": _nullable(_TIME),
    "marked_done_at": _nullable(_TIME),
    "watched_share": {**_SHARE, "description": "Highest share of the video watched."},
    "position": {"type": "number", "minimum": 0, "description": "Where the video was left, in seconds."},
    "completed": _BOOL,
    "completed_at": _nullable(_TIME),
}

SCHEMAS = {
    "Message": _obj({
        "msgid": {"type": "string", "description": "The English message id (stable; translate it with params)."},
        "params": {"type": "object", "additionalProperties": {},
                   "description": "Values for the %(name)s placeholders of msgid."},
        "text": {"type": "string", "description": "The message in English."},
        "depth": {"type": "integer", "minimum": 0, "description": "0: a line; 1: a line under the one before."},
    }, "A translatable line produced by a course rule."),
    "CourseCategory": _obj({"id": _INT, "code": _STR, "name": {"type": "string", "description": "Vietnamese name."}}),
    "CourseCategoryList": _list_of("CourseCategory"),
    "PersonRef": _obj({"id": _INT, "username": _STR, "full_name": _STR}),
    "CourseRef": _obj({"id": _INT, "code": _STR, "title": _STR,
                       "state": {"type": "string", "enum": [str(s) for s in catalog.CourseState]}}),
    "CourseSummary": _obj(_COURSE_BASE),
    "CoursePage": _page_of("CourseSummary"),
    "Enrolment": _obj(_ENROLMENT),
    "CourseDetail": _obj({
        **_COURSE_BASE,
        "summary": _HTML,
        "capacity": _nullable({"type": "integer", "description": "null: no limit."}),
        "places_taken": {"type": "integer", "description": "Active enrolments."},
        "self_enrol": {"type": "boolean", "description": "Learners may enrol themselves."},
        "enrol_key_required": _BOOL,
        "lecturers": {"type": "array", "items": _ref("PersonRef")},
        "audience": {"type": "array", "items": _ref("Message"),
                     "description": "The target group, described line by line."},
        "my_enrolment": {"anyOf": [_ref("Enrolment"), _NULL], "description": "The caller's active enrolment."},
        "self_enrol_problems": {
            "type": "array", "items": _ref("Message"), "nullable": True,
            "description": "When not enrolled: every reason self-enrolment would be refused now (empty: allowed; "
                         "the enrolment key is not checked here). null when enrolled."},
        "can_study": {"type": "boolean", "description": "The caller may open the outline and lessons."},
        "can_edit": {"type": "boolean", "description": "The caller teaches the course or is an administrator."},
    }),
    "OutlineItem": _obj({
        "id": {"type": "integer", "description": "The section item's id."},
        "kind": {"type": "string", "description": "The item's provider: `lesson`; quizzes, live sessions and others "
                                                  "add their own kinds."},
        "ref_id": {"type": "integer", "description": "The id in the provider's table (for `lesson`: the lesson id)."},
        "title": _STR,
        "required": {"type": "boolean", "description": "Counts toward \"every required lesson done\"."},
        "visible": {"type": "boolean", "description": "false only in the outline lecturers see."},
        "completed": {"type": "boolean", "description": "Completed by the caller (false when not enrolled)."},
        "url": {"type": "string", "description": "The web page of the item."},
    }),
    "Section": _obj({"id": _INT, "title": _STR, "summary": _HTML, "position": _INT,
                     "items": {"type": "array", "items": _ref("OutlineItem")}}),
    "SectionList": _list_of("Section"),
    "LessonFile": _obj({
        "name": _STR, "content_type": _STR, "size": {"type": "integer", "description": "Bytes."},
        "url": {"type": "string", "description": "The web route serving the file inline (HTTP Range for videos); "
                                                 "it needs a signed-in browser session, not a token."},
        "download_url": {"type": "string", "description": "The same file as an attachment."},
    }),
    "LessonProgress": _obj(_LESSON_PROGRESS, "The caller's record for one lesson."),
    "Lesson": _obj({
        "id": _INT,
        "course_id": _INT,
        "section_id": _nullable(_INT),
        "item_id": _nullable(_INT),
        "kind": {"type": "string", "enum": [str(k) for k in catalog.LessonKind]},
        "title": _STR,
        "body": {**_HTML, "description": "The page text, or notes for the other kinds."},
        "url": _nullable({"type": "string", "description": "For a link: its address; for an embedded video: the "
                                                           "embed address while its host is on the allow-list."}),
        "file": {"anyOf": [_ref("LessonFile"), _NULL], "description": "The PDF or video file, if any."},
        "completion_mode": {"type": "string", "enum": [str(m) for m in catalog.CompletionMode]},
        "video_threshold": {**_SHARE, "description": "With video_share: the share to watch."},
        "minutes": _nullable({"type": "integer", "description": "Estimated study time."}),
        "required": _BOOL,
        "my_progress": {"anyOf": [_ref("LessonProgress"), _NULL], "description": "null when not enrolled."},
    }),
    "Participant": _obj({
        **_ENROLMENT,
        "user": _obj({"id": _INT, "username": _STR, "full_name": _STR,
                      "unit": {"anyOf": [_ref("UnitRef"), _NULL]}, "position": _STR}),
    }),
    "ParticipantPage": _page_of("Participant"),
    "ResumeItem": _obj({"item_id": _INT, "kind": _STR, "ref_id": _INT, "title": _STR,
                        "url": {"type": "string", "description": "The web page of the item."}},
                       "Where the learner left off, else the first item not done."),
    "MyCourse": _obj({"course": _ref("CourseRef"), "enrolment": _ref("Enrolment"),
                      "resume": {"anyOf": [_ref("ResumeItem"), _NULL]}}),
    "MyCoursePage": _page_of("MyCourse"),
    "RuleOutcome": _obj({
        "kind": {"type": "string", "enum": sorted(rule_kinds())},
        "description": _ref("Message"),
        "met": _BOOL,
        "progress": _SHARE,
        "detail": _ref("Message"),
    }, "One completion rule and where the caller stands on it."),
    "MyLessonProgress": _obj({
        **_LESSON_PROGRESS,
        "item_id": _INT,
        "section_id": _INT,
        "title": _STR,
        "kind": {"type": "string", "enum": [str(k) for k in catalog.LessonKind]},
        "required": _BOOL,
    }),
    "MyProgress": _obj({
        "course": _ref("CourseRef"),
        "enrolment": _ref("Enrolment"),
        "complete": {"type": "boolean", "description": "Every completion rule is met now."},
        "progress": {**_SHARE, "description": "Mean of the rules' progress, evaluated now."},
        "manual_only": {"type": "boolean",
                        "description": "No rule applies (no rules, no required lessons): completion is recorded "
                                       "by hand."},
        "rules": {"type": "array", "items": _ref("RuleOutcome"),
                  "description": "Without rules of its own, a course is completed by every required lesson."},
        "lessons": {"type": "array", "items": _ref("MyLessonProgress")},
    }),
    "ProgressRecorded": _obj({"lesson_progress": _ref("LessonProgress"), "enrolment": _ref("Enrolment")}),
}

_JSON_ERRORS = {"description": "The body is not a JSON object, or a field is wrong or unknown."}


def _path_int(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1},
            "description": f"The {what}'s id."}


def _body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _refused() -> dict:
    return _json(_ref("Error"), "Refused: `enrolment_refused` with `details.reasons`, a list of English sentences; "
                                "or `invalid` for a malformed body.")


def paths() -> dict:
    common = (401, 429)
    course = _id_param("course")
    lesson = _path_int("lesson_id", "lesson")
    return {
        "/categories": {
            "get": {
                "operationId": "listCourseCategories",
                "summary": "The course categories",
                "tags": ["courses"],
                "responses": {"200": _json(_ref("CourseCategoryList"), "Every category, in display order."),
                              **_errors(*common)},
            },
        },
        "/courses": {
            "get": {
                "operationId": "listCourses",
                "summary": "The catalogue: published courses (and drafts the caller teaches)",
                "tags": ["courses"],
                "parameters": [
                    _query("q", {"type": "string", "maxLength": 100},
                           "Words in the code, title, summary or lesson titles; diacritics and case are ignored "
                           "(`nghi quyet` finds `Nghị quyết`)."),
                    _query("category_id", {"type": "integer", "minimum": 1}, "Only this category."),
                    _query("kind", {"type": "string", "enum": [str(k) for k in catalog.CourseKind]}, "Only this kind."),
                    *_PAGE_PARAMS,
                ],
                "responses": {"200": _json(_ref("CoursePage"), "One page of courses, newest opening date first."),
                              **_errors(*common, 422)},
            },
        },
        "/courses/{id}": {
            "get": {
                "operationId": "getCourse",
                "summary": "One course, the target group, and the caller's enrolment or why self-enrolment is refused",
                "tags": ["courses"],
                "parameters": [course],
                "responses": {"200": _json(_ref("CourseDetail"), "The course."), **_errors(*common, 404)},
            },
        },
        "/courses/{id}/sections": {
            "get": {
                "operationId": "listCourseSections",
                "summary": "The outline: sections and their items, with the caller's completion",
                "description": "For enrolled learners, the course's lecturers and administrators.",
                "tags": ["courses"],
                "parameters": [course],
                "responses": {"200": _json(_ref("SectionList"), "The sections in order."),
                              **_errors(*common, 403, 404)},
            },
        },
        "/courses/{id}/lessons/{lesson_id}": {
            "get": {
                "operationId": "getLesson",
                "summary": "One lesson for reading (records no view)",
                "description": "For enrolled learners, the course's lecturers and administrators. Unlike the web "
                               "page, reading through the API does not count as a view: post `{\"done\": true}` to "
                               "the progress route to complete the lesson.",
                "tags": ["courses"],
                "parameters": [course, lesson],
                "responses": {"200": _json(_ref("Lesson"), "The lesson."), **_errors(*common, 403, 404)},
            },
        },
        "/courses/{id}/lessons/{lesson_id}/progress": {
            "post": {
                "operationId": "recordLessonProgress",
                "summary": "Record video progress, or mark a lesson done (enrolled learners)",
                "description": "`{\"share\": 0.5, \"position\": 312}` for a video (idempotent: the highest share "
                               "watched counts, so a repeated or late report changes nothing); `{\"done\": true}` "
                               "(or false) to mark a lesson done, except videos completed by the share watched.",
                "tags": ["courses"],
                "parameters": [course, lesson],
                "requestBody": _body({"oneOf": [
                    _obj({"share": _SHARE,
                          "position": {"type": "number", "minimum": 0, "maximum": MAX_VIDEO_SECONDS,
                                       "description": "Seconds from the start; default 0."}},
                         optional=("position",)),
                    _obj({"done": _BOOL}),
                ]}),
                "responses": {
                    "200": _json(_ref("ProgressRecorded"), "Recorded; the lesson's and the course's progress now."),
                    **_errors(*common, 403, 404),
                    "409": _json(_ref("Error"), "`not_enrolled`: the caller previews the course (lecturer, "
                                                "administrator) and has no progress to record."),
                    "422": _json(_ref("Error"), _JSON_ERRORS["description"]),
                },
            },
        },
        "/courses/{id}/enrolment": {
            "post": {
                "operationId": "selfEnrol",
                "summary": "Enrol the caller in the course",
                "description": "Allowed when the course is published, open for self-enrolment and within its dates, "
                               "has a free place, the key (if any) is right and the caller is in the target group.",
                "tags": ["courses"],
                "parameters": [course],
                "requestBody": _body(_obj({"key": {"type": "string", "maxLength": 100,
                                                   "description": "The enrolment key, when the course has one."}},
                                          optional=("key",)), required=False),
                "responses": {
                    "200": _json(_ref("Enrolment"), "Already enrolled: the existing enrolment."),
                    "201": _json(_ref("Enrolment"), "Enrolled."),
                    **_errors(*common, 404),
                    "422": _refused(),
                },
            },
        },
        "/courses/{id}/enrolments": {
            "get": {
                "operationId": "listParticipants",
                "summary": "Participants with progress and last access (the course's lecturers, administrators)",
                "tags": ["courses"],
                "parameters": [
                    course,
                    _query("unit_id", {"type": "integer", "minimum": 1}, "Only people of this unit and the units below."),
                    _query("completion", {"type": "string", "enum": list(exports.COMPLETION_FILTERS)},
                           "Only those who completed the course, or only those who have not."),
                    *_PAGE_PARAMS,
                ],
                "responses": {"200": _json(_ref("ParticipantPage"), "One page of participants, by name."),
                              **_errors(*common, 403, 404, 422)},
            },
            "post": {
                "operationId": "enrolPerson",
                "summary": "Enrol someone (the course's lecturers, administrators)",
                "description": "Anyone may be enrolled; outside the target group a `reason` is required and recorded, "
                               "and the enrolment is flagged for the reports.",
                "tags": ["courses"],
                "parameters": [course],
                "requestBody": _body(_obj({
                    "user_id": {"type": "integer", "minimum": 1},
                    "reason": {"type": "string", "maxLength": 500,
                               "description": "Why someone outside the target group is enrolled."},
                }, optional=("reason",))),
                "responses": {
                    "200": _json(_ref("Enrolment"), "Already enrolled: the existing enrolment."),
                    "201": _json(_ref("Enrolment"), "Enrolled."),
                    **_errors(*common, 403, 404),
                    "422": _json(_ref("Error"), "`invalid`: unknown or disabled user, or outside the target group "
                                                "without a reason (`details.reason` explains)."),
                },
            },
        },
        "/me/courses": {
            "get": {
                "operationId": "listMyCourses",
                "summary": "The caller's courses with progress and where to resume",
                "tags": ["courses"],
                "parameters": list(_PAGE_PARAMS),
                "responses": {"200": _json(_ref("MyCoursePage"), "Courses in progress first, most recent access first."),
                              **_errors(*common, 422)},
            },
        },
        "/me/courses/{id}/progress": {
            "get": {
                "operationId": "getMyProgress",
                "summary": "The caller's per-lesson completion and completion rules in one course",
                "tags": ["courses"],
                "parameters": [course],
                "responses": {"200": _json(_ref("MyProgress"), "Progress evaluated now."),
                              **_errors(*common, 404)},
            },
        },
    }
