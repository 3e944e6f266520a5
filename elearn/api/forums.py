"""API endpoints for course discussions: forums, threads, posts and subscriptions.

Thin adapters over elearn/forums/services.py, the same services as the pages, with the same rules through
core/authz.py and the token's user: a course the caller may not see is a 404; its discussions while not
enrolled are a 403; the Q&A rule hides the other answers until the caller has answered. Posting shares the
pages' per-person rate limit. Every route is documented in openapi_forums.py (a test fails otherwise).
"""
from __future__ import annotations

from flask import jsonify, request, url_for
from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.api import ApiError, api_user, bp
from elearn.api.schemas import page as page_envelope
from elearn.api.schemas import timestamp
from elearn.api.views import Query
from elearn.core import authz
from elearn.core.pagination import MAX_PER_PAGE
from elearn.courses.models import Course
from elearn.extensions import db
from elearn.forums import domain, services
from elearn.forums.models import Forum, Post, Subscription, Thread
from elearn.forums.views import posting_limit

MAX_BODY_CHARS = 100_000  # before sanitising; the stored limit is checked by the domain rule


def _current() -> User:
    return api_user()


def _forbidden(message: str = "The token's owner may not do this in this course's discussions."):
    raise ApiError(403, message, "forbidden")


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(_current(), "course.view", course):
        raise ApiError(404, "No course with this id.", "not_found")
    if not authz.can(_current(), "forum.read", course):
        _forbidden("Only the course's learners and lecturers take part in its discussions.")
    return course


def _forum(forum_id: int) -> Forum:
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise ApiError(404, "No forum with this id.", "not_found")
    _course(forum.course_id)
    if not services.forum_open_to(_current(), forum):
        raise ApiError(404, "No forum with this id.", "not_found")
    return forum


def _thread(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        raise ApiError(404, "No thread with this id.", "not_found")
    forum = _forum(thread.forum_id)
    if thread.deleted_at is not None and not authz.can(_current(), "forum.moderate", forum.course):
        raise ApiError(404, "No thread with this id.", "not_found")
    return thread


def _post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        raise ApiError(404, "No post with this id.", "not_found")
    _thread(post.thread_id)
    if not services.post_readable(_current(), post):
        _forbidden("In a Q&A forum the other answers are readable once you have posted your own.")
    return post


def _body(allowed: set[str], required: set[str] = frozenset()) -> dict:
    data = request.get_json(force=True, silent=True) if request.get_data(cache=True).strip() else {}
    if not isinstance(data, dict):
        raise ApiError(422, "The body must be a JSON object.", "invalid", {"body": "Expected a JSON object."})
    errors = {name: "Unknown field." for name in sorted(set(data) - allowed)}
    for name in sorted(required - set(data)):
        errors[name] = "Required."
    for name in ("title", "body", "reason"):
        if name in data and (not isinstance(data[name], str) or len(data[name]) > MAX_BODY_CHARS):
            errors[name] = "Must be a string."
    if "parent_id" in data and data["parent_id"] is not None and (
            isinstance(data["parent_id"], bool) or not isinstance(data["parent_id"], int)):
        errors["parent_id"] = "Must be the id of a post of this thread, or null."
    if errors:
        raise ApiError(422, "Invalid body.", "invalid", errors)
    return data


# --- shapes (documented in openapi_forums.py) ----------------------------------------------------------

def _person(user) -> dict | None:
    return {"id": user.id, "username": user.username, "full_name": user.full_name} if user is not None else None


def forum_json(forum: Forum, unread: int, threads: int) -> dict:
    user = _current()
    return {"id": forum.id, "course_id": forum.course_id, "general": forum.general_of_id is not None,
            "title": forum.title, "kind": forum.kind, "intro": forum.intro, "min_posts": forum.min_posts,
            "threads": threads, "unread": unread, "my_posts": services.posts_by(user.id, [forum.id]).get(forum.id, 0),
            "subscribed": services.is_subscribed(user.id, "forum", forum.id),
            "can_start_thread": authz.can(user, "forum.start_thread", forum)}


def thread_json(thread: Thread, unread: int = 0) -> dict:
    return {"id": thread.id, "forum_id": thread.forum_id, "title": thread.title, "author": _person(thread.author),
            "pinned": bool(thread.pinned), "locked": bool(thread.locked), "accepted_post_id": thread.accepted_post_id,
            "replies": thread.reply_count or 0, "created_at": timestamp(thread.created_at),
            "last_post_at": timestamp(thread.last_post_at), "deleted": thread.deleted_at is not None,
            "unread": unread}


def post_json(post: Post, files=None, replies: list | None = None) -> dict:
    user = _current()
    deleted = post.deleted_at is not None
    moderator = authz.can(user, "forum.moderate", post.thread.forum.course)
    data = {
        "id": post.id, "thread_id": post.thread_id, "parent_id": post.parent_id, "author": _person(post.author),
        "first": bool(post.is_first), "body": "" if deleted and not moderator else post.body,
        "created_at": timestamp(post.created_at), "edited_at": timestamp(post.edited_at), "deleted": deleted,
        "delete_reason": post.delete_reason or "", "accepted": post.thread.accepted_post_id == post.id,
        "attachments": [{"id": f.id, "name": f.original_name, "content_type": f.content_type, "size": f.size,
                         "url": url_for("forums.attachment", post_id=post.id, file_id=f.id)} for f in files or ()],
        "can_edit": authz.can(user, "forum.edit_post", post), "can_delete": authz.can(user, "forum.delete_post", post),
    }
    if replies is not None:
        data["replies"] = replies
    return data


def _page(query: Query):
    page, per_page = query.page()
    query.done()
    return page, per_page


# --- routes --------------------------------------------------------------------------------------------

@bp.get("/courses/<int:id>/forums")
def course_forums(id: int):
    course = _course(id)
    user = _current()
    forums = services.course_forums(course, include_hidden=authz.can(user, "forum.moderate", course))
    unread, _ = services.unread_counts(user, course)
    counts = dict(db.session.execute(
        select(Thread.forum_id, func.count(Thread.id)).where(Thread.forum_id.in_([f.id for f in forums]),
                                                            Thread.deleted_at.is_(None)).group_by(Thread.forum_id)).all())
    return jsonify({"items": [forum_json(f, unread.get(f.id, 0), counts.get(f.id, 0)) for f in forums],
                    "total": len(forums)})


@bp.route("/forums/<int:id>/threads", methods=["GET", "POST"])
@posting_limit
def forum_threads(id: int):
    forum = _forum(id)
    user = _current()
    if request.method == "POST":
        if not authz.can(user, "forum.start_thread", forum):
            refusal = domain.post_refusal(services.actor(user, forum.course), forum.kind, False, new_thread=True)
            _forbidden(refusal.render() if refusal else "You may not start a thread here.")
        data = _body({"title", "body"}, {"title", "body"})
        thread = services.start_thread(user, forum, data["title"], data["body"])
        return jsonify(_thread_detail(thread)), 200
    query = Query({"page", "per_page"})
    page, per_page = _page(query)
    moderator = authz.can(user, "forum.moderate", forum.course)
    result = db.paginate(services.threads_query(forum, moderator), page=page, per_page=per_page, error_out=False,
                         max_per_page=MAX_PER_PAGE)
    _u, by_thread = services.unread_counts(user, forum.course)
    return jsonify(page_envelope(result, lambda t: thread_json(t, by_thread.get(t.id, 0))))


def _thread_detail(thread: Thread) -> dict:
    user = _current()
    first = services.first_post(thread)
    files = services.attachments([first.id]) if first else {}
    _u, by_thread = services.unread_counts(user, thread.forum.course)
    data = thread_json(thread, by_thread.get(thread.id, 0))
    data.update({"first_post": post_json(first, files.get(first.id)) if first else None,
                 "subscribed": services.is_subscribed(user.id, "thread", thread.id),
                 "can_reply": authz.can(user, "forum.reply", thread),
                 "sees_others": services.sees_others(user, thread)})
    return data


@bp.get("/threads/<int:id>")
def thread_detail(id: int):
    return jsonify(_thread_detail(_thread(id)))


@bp.route("/threads/<int:id>/posts", methods=["GET", "POST"])
@posting_limit
def thread_posts(id: int):
    thread = _thread(id)
    user = _current()
    if request.method == "POST":
        if not authz.can(user, "forum.reply", thread):
            forum = thread.forum
            refusal = domain.post_refusal(services.actor(user, forum.course), forum.kind, thread.locked,
                                          new_thread=False)
            _forbidden(refusal.render() if refusal else "You may not reply in this thread.")
        data = _body({"body", "parent_id"}, {"body"})
        parent = None
        if data.get("parent_id") is not None:
            parent = db.session.get(Post, data["parent_id"])
            if parent is None or parent.thread_id != thread.id:
                raise ApiError(422, "Invalid body.", "invalid", {"parent_id": "No post with this id in this thread."})
        post = services.reply(user, thread, data["body"], parent)
        return jsonify(post_json(post, [])), 200
    query = Query({"page", "per_page"})
    page, per_page = _page(query)
    result = db.paginate(services.top_level_query(user, thread), page=page, per_page=per_page, error_out=False,
                         max_per_page=MAX_PER_PAGE)
    top_ids = [p.id for p in result.items]
    nested = services.nested_replies(user, thread, top_ids)
    files = services.attachments(top_ids + [r.id for rs in nested.values() for r in rs])
    services.mark_thread_read(user, thread)
    return jsonify(page_envelope(result, lambda p: post_json(
        p, files.get(p.id), [post_json(r, files.get(r.id)) for r in nested.get(p.id, [])])))


@bp.route("/posts/<int:id>", methods=["PATCH", "DELETE"])
def post_detail(id: int):
    post = _post(id)
    user = _current()
    if request.method == "DELETE":
        if not authz.can(user, "forum.delete_post", post):
            _forbidden("You may not delete this post.")
        data = _body({"reason"})
        services.delete_post(user, post, data.get("reason", ""))
        return jsonify(post_json(post, [])), 200
    if not authz.can(user, "forum.edit_post", post):
        _forbidden("You may no longer edit this post.")
    data = _body({"title", "body"}, {"body"})
    services.edit_post(user, post, data["body"], data.get("title") if post.is_first else None)
    return jsonify(post_json(post, services.attachments([post.id]).get(post.id))), 200


def _subscription(target: str, ref_id: int):
    on = services.set_subscription(_current(), target, ref_id, request.method == "PUT")
    return jsonify({"target": target, "id": ref_id, "subscribed": on})


@bp.route("/forums/<int:id>/subscription", methods=["PUT", "DELETE"])
def forum_subscription(id: int):
    return _subscription("forum", _forum(id).id)


@bp.route("/threads/<int:id>/subscription", methods=["PUT", "DELETE"])
def thread_subscription(id: int):
    return _subscription("thread", _thread(id).id)


@bp.get("/me/forum-subscriptions")
def my_forum_subscriptions():
    query = Query({"page", "per_page"})
    page, per_page = _page(query)
    result = db.paginate(services.subscriptions_of(_current()), page=page, per_page=per_page, error_out=False,
                         max_per_page=MAX_PER_PAGE)

    def serialise(sub: Subscription) -> dict:
        if sub.target == "forum":
            forum = db.session.get(Forum, sub.ref_id)
            title, course_id = (forum.title, forum.course_id) if forum else ("", None)
        else:
            thread = db.session.get(Thread, sub.ref_id)
            title, course_id = (thread.title, thread.forum.course_id) if thread else ("", None)
        return {"target": sub.target, "id": sub.ref_id, "title": title, "course_id": course_id,
                "created_at": timestamp(sub.created_at)}

    return jsonify(page_envelope(result, serialise))
