"""The forums part of the OpenAPI document: schemas and paths, merged into openapi.document().

Shapes follow api/forums.py; tests/web/test_forums_api.py checks answers against them and tests/web/test_api.py
checks the paths against the real routes.
"""
from __future__ import annotations

from elearn.api.openapi import _BOOL, _INT, _NULL, _PAGE_PARAMS, _STR, _TIME, _errors, _id_param, _json, _nullable, _ref
from elearn.api.openapi_courses import _body, _list_of, _obj, _page_of
from elearn.forums.domain import ForumKind

_HTML = {"type": "string", "description": "Sanitised HTML (the same allow-list as the web pages)."}
_PERSON = {"anyOf": [_ref("PersonRef"), _NULL]}  # PersonRef: openapi_courses.py

_THREAD = {
    "id": _INT,
    "forum_id": _INT,
    "title": _STR,
    "author": _PERSON,
    "pinned": _BOOL,
    "locked": {"type": "boolean", "description": "No new posts while locked."},
    "accepted_post_id": _nullable({"type": "integer", "description": "The reply a lecturer marked as the answer."}),
    "replies": {"type": "integer", "minimum": 0},
    "created_at": _TIME,
    "last_post_at": _TIME,
    "deleted": {"type": "boolean", "description": "Deleted by a lecturer (only lecturers still see it)."},
    "unread": {"type": "integer", "minimum": 0, "description": "Posts by others the caller has not read yet."},
}

_POST = {
    "id": _INT,
    "thread_id": _INT,
    "parent_id": _nullable({"type": "integer", "description": "The top-level reply this one answers (one level)."}),
    "author": _PERSON,
    "first": {"type": "boolean", "description": "The thread's opening post."},
    "body": {**_HTML, "description": "Sanitised HTML; empty for a deleted post (lecturers still see it)."},
    "created_at": _TIME,
    "edited_at": _nullable(_TIME),
    "deleted": _BOOL,
    "delete_reason": _STR,
    "accepted": _BOOL,
    "attachments": {"type": "array", "items": _ref("ForumAttachment")},
    "can_edit": {"type": "boolean", "description": "The author within the edit window, or a lecturer."},
    "can_delete": _BOOL,
}

SCHEMAS = {
    "Forum": _obj({
        "id": _INT,
        "course_id": _INT,
        "general": {"type": "boolean", "description": "The course's general forum (its title is empty)."},
        "title": _STR,
        "kind": {"type": "string", "enum": [str(k) for k in ForumKind],
                 "description": "open; qa (a learner sees the other answers after answering); announcements "
                                "(only lecturers post)."},
        "intro": _HTML,
        "min_posts": {"type": "integer", "minimum": 1, "description": "Posts that complete it as a course step."},
        "threads": {"type": "integer", "minimum": 0},
        "unread": {"type": "integer", "minimum": 0},
        "my_posts": {"type": "integer", "minimum": 0},
        "subscribed": _BOOL,
        "can_start_thread": _BOOL,
    }),
    "ForumList": _list_of("Forum"),
    "ForumThread": _obj(_THREAD),
    "ForumThreadPage": _page_of("ForumThread"),
    "ForumThreadDetail": _obj({
        **_THREAD,
        "first_post": {"anyOf": [_ref("ForumPost"), _NULL]},
        "subscribed": _BOOL,
        "can_reply": _BOOL,
        "sees_others": {"type": "boolean", "description": "False in a Q&A thread the caller has not answered."},
    }),
    "ForumAttachment": _obj({"id": _INT, "name": _STR, "content_type": _STR, "size": _INT,
                             "url": {"type": "string", "description": "The file, for a signed-in browser session."}}),
    "ForumPost": _obj(_POST),
    "ForumPostWithReplies": _obj({**_POST, "replies": {"type": "array", "items": _ref("ForumPost")}}),
    "ForumPostPage": _page_of("ForumPostWithReplies"),
    "ForumSubscriptionState": _obj({"target": {"type": "string", "enum": ["forum", "thread"]}, "id": _INT,
                                    "subscribed": _BOOL}),
    "ForumSubscription": _obj({"target": {"type": "string", "enum": ["forum", "thread"]}, "id": _INT, "title": _STR,
                               "course_id": _nullable(_INT), "created_at": _TIME}),
    "ForumSubscriptionPage": _page_of("ForumSubscription"),
}

_INVALID = _json(_ref("Error"), "`invalid`: the body is not a JSON object, a field is wrong or unknown, or a rule "
                                "refused the text (empty, too long); `details` names the field.")


def paths() -> dict:
    common = (401, 429)
    course, forum, thread, post = _id_param("course"), _id_param("forum"), _id_param("thread"), _id_param("post")
    text = {"type": "string", "description": "HTML; sanitised before it is stored."}
    return {
        "/courses/{id}/forums": {
            "get": {
                "operationId": "listCourseForums",
                "summary": "The course's forums (general forum first) with unread counts",
                "description": "For the course's enrolled learners, lecturers and administrators (else 403).",
                "tags": ["forums"],
                "parameters": [course],
                "responses": {"200": _json(_ref("ForumList"), "Every forum the caller may open."),
                              **_errors(*common, 403, 404)},
            },
        },
        "/forums/{id}/threads": {
            "get": {
                "operationId": "listForumThreads",
                "summary": "Threads of a forum, pinned first, then the most recently active",
                "tags": ["forums"],
                "parameters": [forum, *_PAGE_PARAMS],
                "responses": {"200": _json(_ref("ForumThreadPage"), "One page of threads."),
                              **_errors(*common, 403, 404, 422)},
            },
            "post": {
                "operationId": "startForumThread",
                "summary": "Start a thread (Q&A and announcements forums: lecturers only)",
                "tags": ["forums"],
                "parameters": [forum],
                "requestBody": _body(_obj({"title": {"type": "string", "maxLength": 200}, "body": text})),
                "responses": {"200": _json(_ref("ForumThreadDetail"), "The new thread."),
                              **_errors(*common, 403, 404), "422": _INVALID},
            },
        },
        "/threads/{id}": {
            "get": {
                "operationId": "getForumThread",
                "summary": "A thread and its opening post",
                "tags": ["forums"],
                "parameters": [thread],
                "responses": {"200": _json(_ref("ForumThreadDetail"), "The thread."), **_errors(*common, 403, 404)},
            },
        },
        "/threads/{id}/posts": {
            "get": {
                "operationId": "listForumPosts",
                "summary": "Replies of a thread, oldest first, each with its nested replies; marks them read",
                "description": "In a Q&A forum a learner who has not answered yet gets only their own posts.",
                "tags": ["forums"],
                "parameters": [thread, *_PAGE_PARAMS],
                "responses": {"200": _json(_ref("ForumPostPage"), "One page of top-level replies."),
                              **_errors(*common, 403, 404, 422)},
            },
            "post": {
                "operationId": "replyInForumThread",
                "summary": "Reply (refused in a locked thread and, for learners, in an announcements forum)",
                "tags": ["forums"],
                "parameters": [thread],
                "requestBody": _body(_obj({"body": text, "parent_id": _nullable(
                    {"type": "integer", "description": "Answer this post (nested one level)."})},
                    optional=("parent_id",))),
                "responses": {"200": _json(_ref("ForumPost"), "The new reply."),
                              **_errors(*common, 403, 404), "422": _INVALID},
            },
        },
        "/posts/{id}": {
            "patch": {
                "operationId": "editForumPost",
                "summary": "Edit a post (the author within the edit window; lecturers)",
                "tags": ["forums"],
                "parameters": [post],
                "requestBody": _body(_obj({"body": text, "title": {"type": "string", "maxLength": 200,
                                                                   "description": "Opening posts only."}},
                                          optional=("title",))),
                "responses": {"200": _json(_ref("ForumPost"), "The post as saved."),
                              **_errors(*common, 403, 404), "422": _INVALID},
            },
            "delete": {
                "operationId": "deleteForumPost",
                "summary": "Delete a post (lecturers with a reason; the author before any reply, in the window)",
                "description": "Deleting the opening post deletes the thread.",
                "tags": ["forums"],
                "parameters": [post],
                "requestBody": _body(_obj({"reason": {"type": "string", "maxLength": 500}}, optional=("reason",)),
                                     required=False),
                "responses": {"200": _json(_ref("ForumPost"), "The deleted post."),
                              **_errors(*common, 403, 404), "422": _INVALID},
            },
        },
        "/forums/{id}/subscription": {
            "put": {
                "operationId": "followForum", "summary": "Follow a forum", "tags": ["forums"], "parameters": [forum],
                "responses": {"200": _json(_ref("ForumSubscriptionState"), "Followed."), **_errors(*common, 403, 404)},
            },
            "delete": {
                "operationId": "unfollowForum", "summary": "Stop following a forum", "tags": ["forums"],
                "parameters": [forum],
                "responses": {"200": _json(_ref("ForumSubscriptionState"), "Not followed."),
                              **_errors(*common, 403, 404)},
            },
        },
        "/threads/{id}/subscription": {
            "put": {
                "operationId": "followThread", "summary": "Follow a thread", "tags": ["forums"], "parameters": [thread],
                "responses": {"200": _json(_ref("ForumSubscriptionState"), "Followed."), **_errors(*common, 403, 404)},
            },
            "delete": {
                "operationId": "unfollowThread", "summary": "Stop following a thread", "tags": ["forums"],
                "parameters": [thread],
                "responses": {"200": _json(_ref("ForumSubscriptionState"), "Not followed."),
                              **_errors(*common, 403, 404)},
            },
        },
        "/me/forum-subscriptions": {
            "get": {
                "operationId": "listMyForumSubscriptions",
                "summary": "The forums and threads the caller follows",
                "tags": ["forums"],
                "parameters": list(_PAGE_PARAMS),
                "responses": {"200": _json(_ref("ForumSubscriptionPage"), "Newest first."), **_errors(*common, 422)},
            },
        },
    }
