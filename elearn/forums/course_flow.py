"""Forums in a course's flow: the section-item provider (courses/items.py) and the completion facts
(courses/services.py FACT_HOOKS) for the "at least N forum posts" rule."""
from __future__ import annotations

from sqlalchemy import select

from elearn.core.files import StoredFile, delete_stored
from elearn.courses import items
from elearn.courses import services as course_services
from elearn.courses.messages import N_
from elearn.courses.models import Course
from elearn.extensions import db
from elearn.forums import domain
from elearn.forums.models import Forum, Post, Thread
from elearn.forums.services import ATTACHED_TYPE, posts_by


def forum_posts_fact(course: Course, user_id: int) -> dict:
    """The "at least N forum posts" completion rule counts the learner's posts in every forum of the course."""
    forum_ids = list(db.session.scalars(select(Forum.id).where(Forum.course_id == course.id)))
    return {"forum_posts": sum(posts_by(user_id, forum_ids).values())}


course_services.add_fact_hook(forum_posts_fact, {"forum_posts"})


class ForumProvider:
    """Forums in a course's section flow (courses/items.py)."""

    kind = "forum"

    def views(self, ref_ids: list[int]) -> dict[int, items.ItemView]:
        if not ref_ids:
            return {}
        rows = db.session.execute(select(Forum.id, Forum.title, Forum.kind).where(Forum.id.in_(ref_ids))).all()
        return {row.id: items.ItemView(title=row.title, url=f"/forums/{row.id}",
                                       kind_label=domain.FORUM_KIND_LABELS.get(row.kind, N_("Forum")), icon="forum")
                for row in rows}

    def completed(self, ref_ids: list[int], user_id: int) -> set[int]:
        if not ref_ids:
            return set()
        mins = dict(db.session.execute(select(Forum.id, Forum.min_posts).where(Forum.id.in_(ref_ids))).all())
        counts = posts_by(user_id, list(mins))
        return {fid for fid, need in mins.items() if domain.forum_item_done(counts.get(fid, 0), need)}

    def delete(self, ref_id: int) -> None:
        forum = db.session.get(Forum, ref_id)
        if forum is None:
            return
        post_ids = select(Post.id).join(Thread, Thread.id == Post.thread_id).where(Thread.forum_id == forum.id)
        for file in db.session.scalars(select(StoredFile).where(StoredFile.attached_type == ATTACHED_TYPE,
                                                                StoredFile.attached_id.in_(post_ids))):
            delete_stored(file)
        db.session.delete(forum)

    def copy(self, ref_id: int, new_course_id: int) -> int:
        src = db.session.get(Forum, ref_id)
        clone = Forum(course_id=new_course_id, kind=src.kind, title=src.title, intro=src.intro,
                      min_posts=src.min_posts)
        db.session.add(clone)
        db.session.flush()
        return clone.id


items.register(ForumProvider())

