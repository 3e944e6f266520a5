"""Forum pages through the test client: the "Bad input and attacks" lines of the Forums issue, and the flows.

XSS: thread titles, bodies, replies and edits get every payload of tests/xss_payloads.py; each page that
shows them is compared with the same page of a twin thread written with harmless text (the site's own
forms and inputs are flagged by the checker on both). Then the refusals: a learner not enrolled reading
or posting, editing or deleting someone else's post, posting in a locked thread or an announcements forum,
reading the other answers of a Q&A thread before answering.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from markupsafe import escape
from sqlalchemy import func, select

from elearn.core import clock
from elearn.core.notifications import Notification
from elearn.courses import services as course_services
from elearn.courses.completion import ForumPosts
from elearn.extensions import db
from elearn.forums import services
from elearn.forums.domain import ForumKind
from elearn.forums.models import Flag, Post, Subscription, Thread
from tests import course_factories as cf
from tests import file_samples as samples
from tests import forum_factories as ff
from tests.conftest import csrf_token
from tests.xss_payloads import PAYLOADS, problems

RICH = "<p>Xã tôi <strong>triển khai</strong> Nghị quyết.</p>" + "".join(PAYLOADS)
CLEAN_RICH = "<p>Xã tôi <strong>triển khai</strong> Nghị quyết.</p>"
TITLE_ATTACK = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
_STATIC_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="/static/[^"]*"[^>]*>\s*</script>', re.I)


def page_problems(html: str) -> Counter:
    return Counter(problems(_STATIC_SCRIPT.sub("", html)))


def _post(client, page: str, action: str, data: dict, **kw):
    return client.post(action, data={"csrf_token": csrf_token(client, page), **data}, **kw)


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- XSS through titles, bodies and edits -----------------------------------------------------------

def _discussion(app, factory, title: str, body: str, edit_title: str, edit_body: str) -> tuple[dict, int]:
    r = ff.room(factory)
    forum = r.general
    writer, other = (cf.signed_in(app, p) for p in r.learners)
    response = _post(writer, f"/forums/{forum.id}/new", f"/forums/{forum.id}/new", {"title": title, "body": body})
    assert response.status_code == 302, _text(response)[:2000]
    thread = db.session.scalar(select(Thread).where(Thread.forum_id == forum.id))
    first = services.first_post(thread)
    response = _post(other, f"/threads/{thread.id}", f"/threads/{thread.id}/reply", {"body": body})
    assert response.status_code == 302
    answer = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.is_first.is_(False)))
    response = _post(writer, f"/posts/{first.id}/edit", f"/posts/{first.id}/edit",
                     {"title": edit_title, "body": edit_body})
    assert response.status_code == 302, _text(response)[:2000]
    pages = {
        "thread (writer)": _text(writer.get(f"/threads/{thread.id}")),
        "thread (other)": _text(other.get(f"/threads/{thread.id}")),
        "forum": _text(other.get(f"/forums/{forum.id}")),
        "edit form": _text(writer.get(f"/posts/{answer.id}/edit".replace(str(answer.id), str(first.id)))),
        "search": _text(other.get(f"/courses/{r.course.id}/discussions/search?q=trien+khai")),
        "notifications": _text(writer.get("/notifications")),
        "quote": _text(writer.get(f"/threads/{thread.id}?quote={answer.id}")),
    }
    db.session.expire_all()
    stored = {"title": db.session.get(Thread, thread.id).title, "first": db.session.get(Post, first.id).body,
              "answer": db.session.get(Post, answer.id).body}
    return {"pages": pages, "stored": stored}, thread.id


def test_xss_through_titles_bodies_and_edits_runs_nothing(app, factory):
    attacked, _ = _discussion(app, factory, TITLE_ATTACK, RICH, "<svg onload=alert(2)>Sửa", RICH + "<b>sửa</b>")
    twin, _ = _discussion(app, factory, "Tiêu đề sạch", CLEAN_RICH, "Tiêu đề sửa", CLEAN_RICH + "<b>sửa</b>")
    for body in ("first", "answer"):
        assert problems(attacked["stored"][body]) == [], body
        assert "Nghị quyết" in attacked["stored"][body]
    assert attacked["stored"]["title"] == "<svg onload=alert(2)>Sửa"  # plain text, escaped on output
    for name, html in attacked["pages"].items():
        assert page_problems(html) == page_problems(twin["pages"][name]), name
        assert "<svg onload" not in html and "<script>alert" not in html, name
    assert str(escape("<svg onload=alert(2)>Sửa")) in attacked["pages"]["thread (other)"]


def test_xss_in_the_original_title_is_escaped_on_the_forum_page(app, factory):
    r = ff.room(factory)
    ff.thread(r, title=TITLE_ATTACK)
    page = _text(cf.signed_in(app, r.learners[1]).get(f"/forums/{r.general.id}"))
    assert TITLE_ATTACK not in page and str(escape(TITLE_ATTACK)) in page


# --- who may read and post ------------------------------------------------------------------------------

def test_a_learner_not_enrolled_can_neither_read_nor_post(app, factory):
    r = ff.room(factory)
    thread = ff.thread(r)
    first = services.first_post(thread)
    outsider = cf.signed_in(app, r.outsider)
    for path in (f"/courses/{r.course.id}/discussions", f"/forums/{r.general.id}", f"/threads/{thread.id}",
                 f"/forums/{r.general.id}/new", f"/courses/{r.course.id}/discussions/search?q=xa",
                 f"/posts/{first.id}/flag"):
        assert outsider.get(path).status_code == 403, path
    token = csrf_token(outsider, "/courses")
    assert outsider.post(f"/threads/{thread.id}/reply", data={"csrf_token": token, "body": "<p>Tôi vào</p>"}
                         ).status_code == 403
    assert outsider.post(f"/forums/{r.general.id}/new", data={"csrf_token": token, "title": "T", "body": "x"}
                         ).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_a_withdrawn_learner_loses_access_and_drafts_are_hidden(app, factory):
    r = ff.room(factory)
    thread = ff.thread(r)
    enrolment = course_services.enrolment_of(r.learners[1].id, r.course.id)
    enrolment.state = "withdrawn"
    db.session.commit()
    assert cf.signed_in(app, r.learners[1]).get(f"/threads/{thread.id}").status_code == 403
    draft = cf.make_course(factory, r.lecturer)
    forum = services.general_forum(draft)
    assert cf.signed_in(app, r.learners[0]).get(f"/forums/{forum.id}").status_code == 404


def test_a_learner_cannot_edit_or_delete_another_learners_post(app, factory):
    r = ff.room(factory)
    thread = ff.thread(r)
    first = services.first_post(thread)
    other = cf.signed_in(app, r.learners[1])
    assert other.get(f"/posts/{first.id}/edit").status_code == 403
    assert other.get(f"/posts/{first.id}/delete").status_code == 403
    token = csrf_token(other, f"/threads/{thread.id}")
    assert other.post(f"/posts/{first.id}/edit", data={"csrf_token": token, "body": "<p>hacked</p>"}).status_code == 403
    assert other.post(f"/posts/{first.id}/delete", data={"csrf_token": token, "reason": "x"}).status_code == 403
    db.session.expire_all()
    post = db.session.get(Post, first.id)
    assert "hacked" not in post.body and post.deleted_at is None
    assert f"/posts/{first.id}/edit" not in _text(other.get(f"/threads/{thread.id}"))


def test_the_edit_window_closes_for_the_author(app, factory):
    r = ff.room(factory)
    start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    with clock.freeze(start):
        thread = ff.thread(r)
    first = services.first_post(thread)
    writer = cf.signed_in(app, r.learners[0])
    with clock.freeze(start + timedelta(minutes=10)):
        assert writer.get(f"/posts/{first.id}/edit").status_code == 200
    with clock.freeze(start + timedelta(minutes=31)):
        assert writer.get(f"/posts/{first.id}/edit").status_code == 403
        token = csrf_token(writer, f"/threads/{thread.id}")
        assert writer.post(f"/posts/{first.id}/edit", data={"csrf_token": token, "body": "<p>muộn</p>"}
                           ).status_code == 403
        # the lecturer still may (moderation)
        assert cf.signed_in(app, r.lecturer).get(f"/posts/{first.id}/edit").status_code == 200


def test_nobody_posts_in_a_locked_thread(app, factory):
    r = ff.room(factory)
    thread = ff.thread(r)
    teacher = cf.signed_in(app, r.lecturer)
    response = _post(teacher, f"/threads/{thread.id}", f"/threads/{thread.id}/locked", {"value": "1"})
    assert response.status_code == 302
    learner = cf.signed_in(app, r.learners[1])
    page = _text(learner.get(f"/threads/{thread.id}"))
    assert "This thread is locked" in page and 'id="send-reply"' not in page
    token = csrf_token(learner, f"/threads/{thread.id}")
    assert learner.post(f"/threads/{thread.id}/reply", data={"csrf_token": token, "body": "<p>Vẫn gửi</p>"}
                        ).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_learners_do_not_post_in_an_announcements_forum(app, factory):
    r = ff.room(factory)
    forum = ff.forum(r, ForumKind.ANNOUNCEMENTS, title="Thông báo của lớp")
    learner = cf.signed_in(app, r.learners[0])
    assert learner.get(f"/forums/{forum.id}/new").status_code == 403
    token = csrf_token(learner, f"/forums/{forum.id}")
    assert learner.post(f"/forums/{forum.id}/new", data={"csrf_token": token, "title": "Hỏi", "body": "<p>x</p>"}
                        ).status_code == 403
    announcement = ff.thread(r, forum, author=r.lecturer, title="Lịch học tuần sau")
    assert learner.post(f"/threads/{announcement.id}/reply", data={"csrf_token": token, "body": "<p>Vâng</p>"}
                        ).status_code == 403
    # every learner is told of an announcement, subscribed or not
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == r.learners[1].id, Notification.kind == "forum.thread")) == 1


def test_qa_a_learner_reads_the_other_answers_only_after_answering(app, factory):
    r = ff.room(factory, learners=2)
    forum = ff.forum(r, ForumKind.QA, title="Hỏi đáp")
    question = ff.thread(r, forum, author=r.lecturer, title="Xã đồng chí số hoá hồ sơ thế nào?",
                         body="<p>Nêu cách làm của xã.</p>")
    answer = ff.reply(question, r.learners[0], body="<p>Bí mật: số hoá 100% hồ sơ một cửa</p>")
    late = cf.signed_in(app, r.learners[1])
    page = _text(late.get(f"/threads/{question.id}"))
    assert "Nêu cách làm của xã." in page
    assert "Bí mật" not in page and "post your answer to see" in page
    assert late.get(f"/posts/{answer.id}/flag").status_code == 403
    assert late.get(f"/threads/{question.id}?quote={answer.id}").status_code == 200
    assert "Bí mật" not in _text(late.get(f"/threads/{question.id}?quote={answer.id}"))
    assert "Bí mật" not in _text(late.get(f"/courses/{r.course.id}/discussions/search?q=bi+mat"))
    # nor in the notification the new answer produced (the learner follows the forum)
    assert not db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == r.learners[1].id, Notification.body.like("%Bí mật%")))
    token = csrf_token(late, f"/threads/{question.id}")
    assert late.post(f"/threads/{question.id}/reply", data={"csrf_token": token, "body": "<p>Xã tôi 80%</p>"}
                     ).status_code == 302
    assert "Bí mật" in _text(late.get(f"/threads/{question.id}"))
    # learners do not ask in a Q&A forum
    assert late.get(f"/forums/{forum.id}/new").status_code == 403


def test_csrf_is_required_to_post(app, factory):
    r = ff.room(factory)
    thread = ff.thread(r)
    learner = cf.signed_in(app, r.learners[1])
    assert learner.post(f"/threads/{thread.id}/reply", data={"body": "<p>x</p>"}).status_code == 400


# --- the flows ---------------------------------------------------------------------------------------------

def test_reply_nesting_quote_unread_and_accepted_answer(app, factory):
    r = ff.room(factory)
    a, b = r.learners
    thread = ff.thread(r, author=a)
    reader = cf.signed_in(app, b)
    assert "unread-count" in _text(reader.get(f"/courses/{r.course.id}/discussions"))
    page = _text(reader.get(f"/threads/{thread.id}"))
    assert "Xã tôi đã làm như sau." in page
    assert "unread-count" not in _text(reader.get(f"/courses/{r.course.id}/discussions"))  # read now
    response = _post(reader, f"/threads/{thread.id}", f"/threads/{thread.id}/reply", {"body": "<p>Ý kiến B</p>"})
    assert response.status_code == 302 and "#post-" in response.headers["Location"]
    top = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.is_first.is_(False)))
    nested = ff.reply(thread, a, body="<p>Trả lời B</p>", parent=top)
    deeper = ff.reply(thread, b, body="<p>Trả lời lần nữa</p>", parent=nested)
    assert nested.parent_id == top.id and deeper.parent_id == top.id  # one level only
    quoted = _text(reader.get(f"/threads/{thread.id}?quote={nested.id}"))
    assert "&lt;blockquote&gt;" in quoted and "Trả lời B" in quoted  # pre-filled in the textarea
    forum_page = _text(cf.signed_in(app, a).get(f"/forums/{r.general.id}"))
    assert "unread-count" in forum_page
    teacher = cf.signed_in(app, r.lecturer)
    response = _post(teacher, f"/threads/{thread.id}", f"/posts/{top.id}/accept", {"value": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).accepted_post_id == top.id
    assert "accepted-mark" in _text(reader.get(f"/threads/{thread.id}"))
    # learners cannot accept
    assert _post(reader, f"/threads/{thread.id}", f"/posts/{top.id}/accept", {"value": "1"}).status_code == 403


def test_lecturer_pins_moves_and_deletes_with_a_reason(app, factory):
    r = ff.room(factory)
    other = ff.forum(r, title="Chuyển đổi số")
    old = ff.thread(r, title="Cũ")
    pinned = ff.thread(r, author=r.learners[1], title="Quy chế lớp học")
    teacher = cf.signed_in(app, r.lecturer)
    assert _post(teacher, f"/threads/{pinned.id}", f"/threads/{pinned.id}/pinned", {"value": "1"}).status_code == 302
    page = _text(teacher.get(f"/forums/{r.general.id}"))
    assert page.index("Quy chế lớp học") < page.index("Cũ")
    reply = ff.reply(old, r.learners[1], body="<p>Nội dung không phù hợp</p>")
    response = _post(teacher, f"/posts/{reply.id}/delete", f"/posts/{reply.id}/delete", {"reason": ""})
    assert response.status_code == 200 and "Give a reason" in _text(response)
    response = _post(teacher, f"/posts/{reply.id}/delete", f"/posts/{reply.id}/delete", {"reason": "Sai chủ đề"})
    assert response.status_code == 302
    learner_page = _text(cf.signed_in(app, r.learners[0]).get(f"/threads/{old.id}"))
    assert "Nội dung không phù hợp" not in learner_page and "Sai chủ đề" in learner_page
    assert _post(teacher, f"/threads/{old.id}", f"/threads/{old.id}/move", {"forum_id": str(other.id)}
                 ).status_code == 302
    db.session.expire_all()
    assert db.session.get(Thread, old.id).forum_id == other.id


def test_flags_are_reviewed_by_the_lecturer(app, factory):
    r = ff.room(factory)
    thread = ff.thread(r, author=r.learners[0], body="<p>Lời lẽ khiếm nhã</p>")
    first = services.first_post(thread)
    reporter = cf.signed_in(app, r.learners[1])
    assert _post(reporter, f"/posts/{first.id}/flag", f"/posts/{first.id}/flag", {"reason": "Xúc phạm"}
                 ).status_code == 302
    assert cf.signed_in(app, r.learners[0]).get(f"/posts/{first.id}/flag").status_code == 403  # not one's own
    assert reporter.get(f"/courses/{r.course.id}/discussions/flags").status_code == 403
    teacher = cf.signed_in(app, r.lecturer)
    page = _text(teacher.get(f"/courses/{r.course.id}/discussions/flags"))
    assert "Xúc phạm" in page
    flag = db.session.scalar(select(Flag))
    assert _post(teacher, f"/courses/{r.course.id}/discussions/flags", f"/flags/{flag.id}/resolve",
                 {"outcome": "remove", "reason": "Vi phạm nội quy"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, first.id).deleted_at is not None
    assert db.session.get(Flag, flag.id).outcome == "removed"


def test_subscriptions_bring_notifications(app, factory):
    r = ff.room(factory, learners=3)
    thread = ff.thread(r, author=r.learners[0])
    follower = cf.signed_in(app, r.learners[1])
    assert _post(follower, f"/threads/{thread.id}", f"/threads/{thread.id}/subscription", {"value": "1"}
                 ).status_code == 302
    ff.reply(thread, r.learners[2], body="<p>Bổ sung kinh nghiệm</p>")
    kinds = dict(db.session.execute(select(Notification.user_id, Notification.body)).all())
    assert "Bổ sung kinh nghiệm" in kinds[r.learners[1].id]
    assert "Bổ sung kinh nghiệm" in kinds[r.learners[0].id]  # the author follows their thread
    assert r.learners[2].id not in kinds
    assert _post(follower, f"/threads/{thread.id}", f"/threads/{thread.id}/subscription", {"value": "0"}
                 ).status_code == 302
    assert not db.session.scalar(select(func.count()).select_from(Subscription).where(
        Subscription.user_id == r.learners[1].id))


def test_search_ignores_diacritics_and_is_paginated(app, factory):
    r = ff.room(factory)
    for i in range(3):
        ff.thread(r, title=f"Nghị quyết số {i}", body="<p>Đổi mới sáng tạo ở xã</p>")
    learner = cf.signed_in(app, r.learners[1])
    page = _text(learner.get(f"/courses/{r.course.id}/discussions/search?q=doi+moi+sang+tao&per_page=2"))
    assert page.count("Nghị quyết số") == 2 and 'rel="next"' in page
    assert "Nothing found" in _text(learner.get(f"/courses/{r.course.id}/discussions/search?q=%25"))


def test_attachments_follow_the_upload_rules(app, factory):
    r = ff.room(factory)
    forum = r.general
    writer = cf.signed_in(app, r.learners[0])
    token = csrf_token(writer, f"/forums/{forum.id}/new")
    bad = writer.post(f"/forums/{forum.id}/new", content_type="multipart/form-data", data={
        "csrf_token": token, "title": "Tệp", "body": "<p>Xem tệp</p>",
        "attachment": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "bao-cao.pdf")})
    assert bad.status_code == 200 and "not allowed" in _text(bad)
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    good = writer.post(f"/forums/{forum.id}/new", content_type="multipart/form-data", data={
        "csrf_token": token, "title": "Tệp", "body": "<p>Xem tệp</p>",
        "attachment": (io.BytesIO(samples.pdf()), "bao-cao.pdf")})
    assert good.status_code == 302
    first = db.session.scalar(select(Post))
    files = services.attachments([first.id])[first.id]
    url = f"/posts/{first.id}/files/{files[0].id}"
    assert url in _text(writer.get(f"/threads/{first.thread_id}"))
    got = cf.signed_in(app, r.learners[1]).get(url)
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("application/pdf")
    assert cf.signed_in(app, r.outsider).get(url).status_code == 403


def test_posting_is_rate_limited(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_POST_RATE_LIMIT", "2 per minute")
    r = ff.room(factory)
    thread = ff.thread(r)
    learner = cf.signed_in(app, r.learners[1])
    token = csrf_token(learner, f"/threads/{thread.id}")
    codes = [learner.post(f"/threads/{thread.id}/reply", data={"csrf_token": token, "body": f"<p>{i}</p>"}).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]


def test_forum_in_the_course_flow_counts_toward_completion(app, factory):
    r = ff.room(factory)
    forum = ff.forum(r, min_posts=2)
    course_services.set_completion_rules(r.lecturer, r.course, [ForumPosts(min_posts=2)])
    learner = r.learners[0]
    with app.test_request_context():  # the lesson entries of the outline build their URLs
        outline = course_services.outline(r.course, learner.id)
    entry = [e for _s, es in outline for e in es if e[0].kind == "forum"][0]
    assert entry[2] is False and entry[1].url == f"/forums/{forum.id}"
    thread = ff.thread(r, forum, author=learner)
    assert course_services.learner_facts(r.course, learner.id).forum_posts == 1
    assert not course_services.completion_status(r.course, learner.id).complete
    ff.reply(thread, learner)
    enrolment = course_services.enrolment_of(learner.id, r.course.id)
    db.session.refresh(enrolment)
    assert course_services.learner_facts(r.course, learner.id).forum_posts == 2
    assert course_services.completion_status(r.course, learner.id).complete
    assert enrolment.completed_at is not None  # recorded when the post was written
    with app.test_request_context():
        outline = course_services.outline(r.course, learner.id)
    assert [e for _s, es in outline for e in es if e[0].kind == "forum"][0][2] is True
    page = _text(cf.signed_in(app, learner).get(f"/courses/{r.course.id}"))
    assert "Thảo luận" in page and f"/courses/{r.course.id}/discussions" in page


def test_lecturer_adds_a_forum_to_a_section(app, factory):
    r = ff.room(factory)
    section = cf.first_section(r.course)
    teacher = cf.signed_in(app, r.lecturer)
    path = f"/courses/{r.course.id}/manage/sections/{section.id}/forums/new"
    assert f'href="{path}"' in _text(teacher.get(f"/courses/{r.course.id}/manage/structure"))
    response = _post(teacher, path, path, {"title": "Hỏi đáp bài 1", "kind": "qa", "intro": "<p>Hỏi</p>",
                                           "min_posts": "1", "required": "y"})
    assert response.status_code == 302
    assert "Hỏi đáp bài 1" in _text(teacher.get(f"/courses/{r.course.id}/manage/structure"))
    assert cf.signed_in(app, r.learners[0]).get(path).status_code == 403


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


def test_daily_digest_mails_followers_once(app, factory, monkeypatch):
    from elearn.forums import digest

    r = ff.room(factory, learners=3)
    follower = r.learners[1]
    follower.email = "theo.doi@xa.gov.vn"
    r.learners[2].email = "khong.theo.doi@xa.gov.vn"
    db.session.commit()
    thread = ff.thread(r, author=r.learners[0], title="Tiếp dân trực tuyến")
    services.set_subscription(follower, "thread", thread.id, True)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forums", "send-digest"])
    assert "SMTP_HOST is not set" in result.output
    FakeSMTP.sent = []
    monkeypatch.setattr(digest.smtplib, "SMTP", FakeSMTP)  # the same module notify.py mails through
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example")
    ff.reply(thread, r.learners[0], body="<p>Kinh nghiệm tiếp dân</p>")
    assert FakeSMTP.sent == []  # in-app at once; by e-mail only in the digest
    result = runner.invoke(args=["forums", "send-digest"])
    assert "Digest sent to 1 people (1 posts)" in result.output, result.output
    (message,) = FakeSMTP.sent
    assert message["To"] == "theo.doi@xa.gov.vn"
    text = message.get_content()
    assert "Tiếp dân trực tuyến" in text and "Kinh nghiệm tiếp dân" in text and f"/threads/{thread.id}#post-" in text
    assert "Digest sent to 0 people" in runner.invoke(args=["forums", "send-digest"]).output  # nothing twice
