"""The forums part of the JSON API: answers match the OpenAPI schemas exactly, and the same rules hold as on
the pages (not enrolled, someone else's post, locked thread, announcements, the Q&A rule, XSS, rate limit)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.forums import services
from elearn.forums.domain import ForumKind
from elearn.forums.models import Post
from tests import forum_factories as ff
from tests.web.test_api import API, assert_error, bearer, conforms, token_for
from tests.xss_payloads import PAYLOADS, problems


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


@pytest.fixture
def room(factory):
    return ff.room(factory)


class Caller:
    def __init__(self, client, user):
        self.client, self.headers = client, bearer(token_for(user))

    def __call__(self, method: str, path: str, json=None):
        return self.client.open(f"{API}{path}", method=method, headers=self.headers, json=json)


def test_listing_forums_threads_and_posts_matches_the_schemas(client, room, spec):
    thread = ff.thread(room, title="Kinh nghiệm số hoá", body="<p>Xã tôi làm thế này</p>")
    top = ff.reply(thread, room.learners[1])
    ff.reply(thread, room.learners[0], parent=top)
    reader = Caller(client, room.learners[1])
    r = reader("GET", f"/courses/{room.course.id}/forums")
    assert r.status_code == 200
    conforms(spec, "ForumList", r.get_json())
    general = r.get_json()["items"][0]
    assert general["general"] and general["threads"] == 1 and general["unread"] == 1  # the answer to their reply
    r = reader("GET", f"/forums/{general['id']}/threads")
    conforms(spec, "ForumThreadPage", r.get_json())
    assert r.get_json()["items"][0]["title"] == "Kinh nghiệm số hoá"
    r = reader("GET", f"/threads/{thread.id}")
    conforms(spec, "ForumThreadDetail", r.get_json())
    assert r.get_json()["first_post"]["body"] == "<p>Xã tôi làm thế này</p>"
    r = reader("GET", f"/threads/{thread.id}/posts")
    conforms(spec, "ForumPostPage", r.get_json())
    items = r.get_json()["items"]
    assert len(items) == 1 and len(items[0]["replies"]) == 1
    assert reader("GET", f"/courses/{room.course.id}/forums").get_json()["items"][0]["unread"] == 0


def test_posting_editing_deleting_and_following(client, room, spec):
    writer, other = Caller(client, room.learners[0]), Caller(client, room.learners[1])
    r = writer("POST", f"/forums/{room.general.id}/threads", {"title": "Hỏi về dịch vụ công",
                                                             "body": "<p>Ai đã làm?</p>" + "".join(PAYLOADS)})
    assert r.status_code == 200, r.get_json()
    conforms(spec, "ForumThreadDetail", r.get_json())
    body = r.get_json()["first_post"]["body"]
    assert problems(body) == [] and "Ai đã làm?" in body
    thread_id, first_id = r.get_json()["id"], r.get_json()["first_post"]["id"]
    r = other("POST", f"/threads/{thread_id}/posts", {"body": "<p>Xã tôi rồi</p>", "parent_id": first_id})
    assert r.status_code == 200
    conforms(spec, "ForumPost", r.get_json())
    reply_id = r.get_json()["id"]
    assert r.get_json()["parent_id"] is None  # answering the opening post is a top-level reply
    r = writer("PATCH", f"/posts/{first_id}", {"body": "<p>Sửa</p><script>alert(1)</script>", "title": "Mới"})
    assert r.status_code == 200 and r.get_json()["body"] == "<p>Sửa</p>alert(1)"
    conforms(spec, "ForumPost", r.get_json())
    assert_error(other("PATCH", f"/posts/{first_id}", {"body": "<p>của tôi</p>"}), 403, "forbidden")
    assert_error(other("DELETE", f"/posts/{first_id}"), 403, "forbidden")
    assert_error(writer("DELETE", f"/posts/{reply_id}"), 403, "forbidden")
    r = other("DELETE", f"/posts/{reply_id}")
    assert r.status_code == 200 and r.get_json()["deleted"]
    r = other("PUT", f"/threads/{thread_id}/subscription")
    conforms(spec, "ForumSubscriptionState", r.get_json())
    assert r.get_json()["subscribed"]
    r = other("GET", "/me/forum-subscriptions")
    conforms(spec, "ForumSubscriptionPage", r.get_json())
    assert any(s["id"] == thread_id for s in r.get_json()["items"])
    assert other("DELETE", f"/threads/{thread_id}/subscription").get_json()["subscribed"] is False
    assert other("PUT", f"/forums/{room.general.id}/subscription").get_json()["subscribed"] is True
    assert_error(writer("POST", f"/threads/{thread_id}/posts", {"body": "<p> </p>"}), 422, "invalid")
    assert_error(writer("POST", f"/threads/{thread_id}/posts", {"body": "x", "extra": 1}), 422, "invalid")


def test_refusals_are_the_same_as_on_the_pages(client, room):
    thread = ff.thread(room)
    outsider = Caller(client, room.outsider)
    assert_error(outsider("GET", f"/courses/{room.course.id}/forums"), 403, "forbidden")
    assert_error(outsider("GET", f"/threads/{thread.id}/posts"), 403, "forbidden")
    assert_error(outsider("POST", f"/threads/{thread.id}/posts", {"body": "<p>x</p>"}), 403, "forbidden")
    services.set_flag(room.lecturer, thread, "locked", True)
    learner = Caller(client, room.learners[1])
    assert_error(learner("POST", f"/threads/{thread.id}/posts", {"body": "<p>x</p>"}), 403, "forbidden")
    news = ff.forum(room, ForumKind.ANNOUNCEMENTS, title="Thông báo")
    assert_error(learner("POST", f"/forums/{news.id}/threads", {"title": "T", "body": "<p>x</p>"}), 403, "forbidden")
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    assert_error(learner("GET", "/threads/999999"), 404, "not_found")


def test_qa_rule_through_the_api(client, room):
    qa = ff.forum(room, ForumKind.QA, title="Hỏi đáp")
    question = ff.thread(room, qa, author=room.lecturer, title="Câu hỏi", body="<p>Câu hỏi?</p>")
    answer = ff.reply(question, room.learners[0], body="<p>Đáp án riêng</p>")
    late = Caller(client, room.learners[1])
    detail = late("GET", f"/threads/{question.id}").get_json()
    assert detail["sees_others"] is False and detail["first_post"]["body"] == "<p>Câu hỏi?</p>"
    assert late("GET", f"/threads/{question.id}/posts").get_json()["items"] == []
    assert_error(late("PATCH", f"/posts/{answer.id}", {"body": "x"}), 403, "forbidden")
    assert late("POST", f"/threads/{question.id}/posts", {"body": "<p>Của tôi</p>"}).status_code == 200
    bodies = [p["body"] for p in late("GET", f"/threads/{question.id}/posts").get_json()["items"]]
    assert "<p>Đáp án riêng</p>" in bodies


def test_posting_through_the_api_is_rate_limited(app, client, room, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_POST_RATE_LIMIT", "2 per minute")
    thread = ff.thread(room)
    learner = Caller(client, room.learners[1])
    codes = [learner("POST", f"/threads/{thread.id}/posts", {"body": f"<p>{i}</p>"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert learner("GET", f"/threads/{thread.id}/posts").status_code == 200  # reading is not limited
