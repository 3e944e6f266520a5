"""`seed-demo` adds lively discussions in Vietnamese to two demo courses: a pinned rules thread, open threads
with replies (one nested, one quoting), and a Q&A forum in the course flow with an accepted answer."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.courses.models import Course, SectionItem
from elearn.demo import forums as demo
from elearn.demo import seed
from elearn.extensions import db
from elearn.forums.models import Forum, Post, Thread

VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


def test_demo_discussions_in_two_courses(demo_seeded):
    assert any(line.startswith("Demo discussions added to BD-NQ57, BD-CDS-XA") for line in demo_seeded)
    for code in demo.CONTENT:
        course = db.session.scalar(select(Course).where(Course.code == code))
        forums = db.session.scalars(select(Forum).where(Forum.course_id == course.id)).all()
        general = next(f for f in forums if f.general_of_id == course.id)
        qa = next(f for f in forums if f.kind == "qa")
        assert db.session.scalar(select(SectionItem).where(SectionItem.kind == "forum", SectionItem.ref_id == qa.id))
        threads = db.session.scalars(select(Thread).where(Thread.forum_id == general.id)).all()
        assert [t.title for t in threads if t.pinned] == [demo.RULES_TITLE]
        assert sum(t.reply_count for t in threads) >= 4
        posts = db.session.scalars(select(Post).join(Thread).where(Thread.forum_id == general.id)).all()
        assert len({p.author_id for p in posts}) >= 4  # cadres of different communes take part
        assert any(p.parent_id for p in posts) and any("<blockquote>" in p.body for p in posts)
        assert all(set(p.body.lower()) & VIETNAMESE for p in posts)
        question = db.session.scalar(select(Thread).where(Thread.forum_id == qa.id))
        accepted = db.session.get(Post, question.accepted_post_id)
        assert accepted is not None and accepted.thread_id == question.id and not accepted.is_first


def test_seeding_the_discussions_again_changes_nothing(demo_seeded):
    before = db.session.scalar(select(func.count()).select_from(Post))
    lines = seed()
    assert "Demo discussions already present (or no demo course to add them to); nothing changed." in lines
    assert db.session.scalar(select(func.count()).select_from(Post)) == before
