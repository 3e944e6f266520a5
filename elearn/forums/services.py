"""Forum use cases: load, ask the domain rules, change the models, commit.

Takes the acting user as an argument and never reads the request. Permission checks happen in the views and
the API through core/authz.py; the services check the business rules again (a locked thread, the Q&A rule)
so that no caller can skip them.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from elearn.accounts.models import User
from elearn.core import audit, authz, clock, html, notify
from elearn.core.files import StoredFile
from elearn.core.text import fold, like_pattern
from elearn.core.uploads import save_upload
from elearn.courses import services as course_services
from elearn.courses.messages import N_, msg
from elearn.courses.models import Course, Enrolment, Section, SectionItem
from elearn.courses.services import CourseError
from elearn.extensions import db
from elearn.forums import domain
from elearn.forums.domain import ForumKind
from elearn.forums.models import Flag, Forum, Post, ReadMark, Subscription, Thread

ATTACHMENT_KINDS = frozenset({"document", "image", "office"})  # PDF, images, Word/Excel/PowerPoint
ATTACHED_TYPE = "forum_post"


def _fail(message_or_msgid, field: str | None = None, **params) -> CourseError:
    message = message_or_msgid if not isinstance(message_or_msgid, str) else msg(message_or_msgid, **params)
    return CourseError(message, field=field)


def edit_minutes() -> int:
    return int(current_app.config.get("FORUM_EDIT_MINUTES", domain.EDIT_WINDOW_MINUTES))


def actor(user: User, course: Course) -> domain.Actor:
    return authz.forum_actor(user, course)


# ---- forums ----------------------------------------------------------------------------------------

@dataclass
class ForumData:
    title: str
    kind: str = ForumKind.OPEN
    intro: str = ""
    min_posts: int = 1
    required: bool = True


def general_forum(course: Course) -> Forum:
    """The course's general forum, created the first time someone opens it."""
    forum = db.session.scalar(select(Forum).where(Forum.general_of_id == course.id))
    if forum is not None:
        return forum
    try:
        with db.session.begin_nested():
            forum = Forum(course_id=course.id, general_of_id=course.id, kind=ForumKind.OPEN,
                          title="", intro="", min_posts=1)
            db.session.add(forum)
        db.session.commit()
    except IntegrityError:  # another request created it meanwhile
        db.session.rollback()
        forum = db.session.scalar(select(Forum).where(Forum.general_of_id == course.id))
    return forum


def course_forums(course: Course, include_hidden: bool = False) -> list[Forum]:
    """The general forum first, then the forums of the course's flow in outline order."""
    general = general_forum(course)
    order = [item for section in course.sections for item in section.items if item.kind == "forum"
             and (item.visible or include_hidden)]
    by_id = {f.id: f for f in db.session.scalars(select(Forum).where(Forum.course_id == course.id))}
    return [general] + [by_id[item.ref_id] for item in order if item.ref_id in by_id]


def item_for_forum(forum: Forum) -> SectionItem | None:
    return db.session.scalar(select(SectionItem).where(SectionItem.kind == "forum", SectionItem.ref_id == forum.id))


def forum_open_to(user: User, forum: Forum) -> bool:
    """The general forum is open to every member; a forum of the flow only while its item is visible."""
    if not authz.can(user, "forum.read", forum.course):
        return False
    if forum.general_of_id is not None or authz.can(user, "forum.moderate", forum.course):
        return True
    item = item_for_forum(forum)
    return item is not None and item.visible


def _check_forum(data: ForumData) -> None:
    problem = domain.title_problem(data.title) or domain.min_posts_problem(data.min_posts)
    if problem:
        raise _fail(problem, "min_posts" if problem.msgid.startswith("The number") else "title")
    if data.kind not in set(ForumKind):
        raise _fail(N_("Choose a kind of forum."), "kind")


def create_forum(actor_user: User, section: Section, data: ForumData) -> Forum:
    _check_forum(data)
    course = section.course
    forum = Forum(course_id=course.id, kind=data.kind, title=data.title.strip(), intro=html.clean(data.intro),
                  min_posts=data.min_posts)
    db.session.add(forum)
    db.session.flush()
    section.items.append(SectionItem(kind="forum", ref_id=forum.id, required=data.required,
                                     position=len(section.items) + 1))
    audit.record(actor_user, "forum.create", forum, after={"title": forum.title, "kind": forum.kind},
                 label=forum.title)
    db.session.commit()
    return forum


def update_forum(actor_user: User, forum: Forum, data: ForumData) -> Forum:
    _check_forum(data)
    before = {"title": forum.title, "kind": forum.kind, "min_posts": forum.min_posts}
    forum.title, forum.kind, forum.min_posts = data.title.strip(), data.kind, data.min_posts
    forum.intro = html.clean(data.intro)
    item = item_for_forum(forum)
    if item is not None:
        item.required = data.required
    audit.record(actor_user, "forum.update", forum, before=before,
                 after={"title": forum.title, "kind": forum.kind, "min_posts": forum.min_posts}, label=forum.title)
    db.session.commit()
    return forum


# ---- reading ---------------------------------------------------------------------------------------

def has_posted(user_id: int, thread_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Post.thread_id == thread_id, Post.author_id == user_id,
                                                        Post.is_first.is_(False)))))


def has_replies(post: Post) -> bool:
    if post.is_first:
        cond = and_(Post.thread_id == post.thread_id, Post.is_first.is_(False))
    else:
        cond = Post.parent_id == post.id
    return bool(db.session.scalar(select(exists().where(cond, Post.deleted_at.is_(None)))))


def sees_others(user: User, thread: Thread) -> bool:
    forum = thread.forum
    return domain.sees_others_posts(actor(user, forum.course), forum.kind,
                                    forum.kind == ForumKind.QA and has_posted(user.id, thread.id))


def _visible_posts_condition(user: User, thread: Thread):
    """SQL for the posts of this thread the person may read (the Q&A rule)."""
    if sees_others(user, thread):
        return Post.thread_id == thread.id
    return and_(Post.thread_id == thread.id, or_(Post.is_first.is_(True), Post.author_id == user.id))


def threads_query(forum: Forum, moderator: bool):
    stmt = select(Thread).where(Thread.forum_id == forum.id)
    if not moderator:
        stmt = stmt.where(Thread.deleted_at.is_(None))
    return stmt.order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())


def first_post(thread: Thread) -> Post | None:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.is_first.is_(True)))


def top_level_query(user: User, thread: Thread):
    """The replies of the thread that are not nested (paginated by the caller), oldest first."""
    return (select(Post).where(_visible_posts_condition(user, thread), Post.is_first.is_(False),
                               Post.parent_id.is_(None)).order_by(Post.created_at, Post.id))


def nested_replies(user: User, thread: Thread, parent_ids: list[int]) -> dict[int, list[Post]]:
    if not parent_ids:
        return {}
    rows = db.session.scalars(select(Post).where(_visible_posts_condition(user, thread),
                                                 Post.parent_id.in_(parent_ids)).order_by(Post.created_at, Post.id))
    result: dict[int, list[Post]] = {}
    for post in rows:
        result.setdefault(post.parent_id, []).append(post)
    return result


def attachments(post_ids: list[int]) -> dict[int, list[StoredFile]]:
    if not post_ids:
        return {}
    result: dict[int, list[StoredFile]] = {}
    for file in db.session.scalars(select(StoredFile).where(StoredFile.attached_type == ATTACHED_TYPE,
                                                            StoredFile.attached_id.in_(post_ids))
                                   .order_by(StoredFile.id)):
        result.setdefault(file.attached_id, []).append(file)
    return result


def post_readable(user: User, post: Post) -> bool:
    thread = post.thread
    if not forum_open_to(user, thread.forum):
        return False
    if thread.deleted_at is not None and not authz.can(user, "forum.moderate", thread.forum.course):
        return False
    forum = thread.forum
    return domain.visible_to(actor(user, forum.course), forum.kind,
                             forum.kind == ForumKind.QA and has_posted(user.id, thread.id),
                             author_id=post.author_id, is_first=post.is_first)


# ---- posting ---------------------------------------------------------------------------------------

def _clean_body(body: str, field: str = "body") -> tuple[str, str]:
    cleaned = html.clean(body or "")
    text = html.text_only(cleaned)
    problem = domain.body_problem(cleaned, text)
    if problem:
        raise _fail(problem, field)
    return cleaned, text


def _member_check(user: User, course: Course) -> domain.Actor:
    who = actor(user, course)
    if not who.member:
        raise _fail(N_("Only the course's learners and lecturers take part in its discussions."))
    return who


def _attach(user: User, post: Post, files) -> None:
    for storage in files or ():
        if storage is not None and (getattr(storage, "filename", "") or "").strip():
            save_upload(storage, allowed_kinds=ATTACHMENT_KINDS, owner=user, attached_type=ATTACHED_TYPE,
                        attached_id=post.id)


def _after_post(user: User, course: Course) -> None:
    """Posting may complete a forum item or the "at least N posts" rule: refresh the learner's progress."""
    enrolment = course_services.enrolment_of(user.id, course.id)
    if enrolment is not None and enrolment.state == "active":
        db.session.flush()
        course_services.recompute(enrolment)


def start_thread(user: User, forum: Forum, title: str, body: str, files=()) -> Thread:
    who = _member_check(user, forum.course)
    refusal = domain.post_refusal(who, forum.kind, False, new_thread=True)
    if refusal:
        raise _fail(refusal)
    problem = domain.title_problem(title)
    if problem:
        raise _fail(problem, "title")
    cleaned, text = _clean_body(body)
    now = clock.now()
    thread = Thread(forum_id=forum.id, author_id=user.id, title=title.strip(), created_at=now, last_post_at=now,
                    reply_count=0, pinned=False, locked=False)
    db.session.add(thread)
    db.session.flush()
    post = Post(thread_id=thread.id, author_id=user.id, is_first=True, body=cleaned, created_at=now,
                search_text=fold(f"{thread.title} {text}"))
    db.session.add(post)
    db.session.flush()
    _attach(user, post, files)
    _subscribe(user.id, "thread", thread.id)
    _notify_new_post(user, post, thread, new_thread=True)
    _after_post(user, forum.course)
    db.session.commit()
    return thread


def reply(user: User, thread: Thread, body: str, parent: Post | None = None, files=()) -> Post:
    forum = thread.forum
    who = _member_check(user, forum.course)
    if thread.deleted_at is not None:
        raise _fail(N_("This thread has been deleted."))
    refusal = domain.post_refusal(who, forum.kind, thread.locked, new_thread=False)
    if refusal:
        raise _fail(refusal)
    parent_id = None
    if parent is not None:
        if parent.thread_id != thread.id or not post_readable(user, parent):
            raise _fail(N_("The post you answer is not in this thread."))
        parent_id = domain.reply_parent(parent.id, parent.parent_id, parent.is_first)
    cleaned, text = _clean_body(body)
    now = clock.now()
    post = Post(thread_id=thread.id, parent_id=parent_id, author_id=user.id, is_first=False, body=cleaned,
                created_at=now, search_text=fold(f"{thread.title} {text}"))
    db.session.add(post)
    db.session.flush()
    _attach(user, post, files)
    thread.last_post_at = now
    thread.reply_count = (thread.reply_count or 0) + 1
    _subscribe(user.id, "thread", thread.id)
    _mark_read(user.id, thread.id, post.id)
    _notify_new_post(user, post, thread, new_thread=False)
    _after_post(user, forum.course)
    db.session.commit()
    return post


def edit_post(user: User, post: Post, body: str, title: str | None = None, files=()) -> Post:
    if not authz.can(user, "forum.edit_post", post):
        raise _fail(N_("You may no longer edit this post."))
    thread = post.thread
    if post.is_first and title is not None:
        problem = domain.title_problem(title)
        if problem:
            raise _fail(problem, "title")
        thread.title = title.strip()
    cleaned, text = _clean_body(body)
    post.body = cleaned
    post.search_text = fold(f"{thread.title} {text}")
    post.edited_at = clock.now()
    _attach(user, post, files)
    if post.author_id != user.id:
        audit.record(user, "forum.post_edit", post, label=thread.title[:200])
    db.session.commit()
    return post


def delete_post(user: User, post: Post, reason: str = "") -> None:
    """Soft delete: the post shows as removed (with the lecturer's reason); the opening post takes the thread."""
    if not authz.can(user, "forum.delete_post", post):
        raise _fail(N_("You may not delete this post."))
    thread = post.thread
    moderator = authz.can(user, "forum.moderate", thread.forum.course)
    own = post.author_id == user.id
    if moderator and not own:
        problem = domain.reason_problem(reason)
        if problem:
            raise _fail(problem, "reason")
    reason = (reason or "").strip()[:domain.REASON_MAX]
    now = clock.now()
    post.deleted_at, post.deleted_by_id, post.delete_reason = now, user.id, reason
    if post.is_first:
        thread.deleted_at, thread.delete_reason = now, reason
    else:
        thread.reply_count = max(0, (thread.reply_count or 0) - 1)
        if thread.accepted_post_id == post.id:
            thread.accepted_post_id = None
    for flag in db.session.scalars(select(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None))):
        flag.resolved_at, flag.resolved_by_id, flag.outcome = now, user.id, "removed"
    audit.record(user, "forum.post_delete", post, before={"thread": thread.title, "author_id": post.author_id},
                 after={"reason": reason}, label=thread.title[:200])
    if post.author_id:
        author = db.session.get(User, post.author_id)
        if author is not None:
            _after_post(author, thread.forum.course)
        if moderator and not own:
            notify.send([post.author_id], kind="forum.post_removed",
                        title=f"{thread.title}: {reason}"[:300], body=reason, url=thread_url(thread))
    db.session.commit()


def set_flag(user: User, thread: Thread, what: str, value: bool) -> None:
    """Pin or lock (moderators)."""
    if not authz.can(user, "forum.moderate", thread.forum.course) or what not in ("pinned", "locked"):
        raise _fail(N_("Only the course's lecturers do this."))
    setattr(thread, what, bool(value))
    audit.record(user, f"forum.thread_{what}", thread, after={what: bool(value)}, label=thread.title[:200])
    db.session.commit()


def move_thread(user: User, thread: Thread, target: Forum) -> None:
    course = thread.forum.course
    if not authz.can(user, "forum.moderate", course):
        raise _fail(N_("Only the course's lecturers do this."))
    if target.course_id != course.id or target.id == thread.forum_id:
        raise _fail(N_("Choose another forum of this course."), "forum")
    before = {"forum": thread.forum.title or "general"}
    thread.forum_id = target.id
    db.session.flush()
    db.session.refresh(thread)
    audit.record(user, "forum.thread_move", thread, before=before, after={"forum": target.title or "general"},
                 label=thread.title[:200])
    db.session.commit()


def accept_answer(user: User, thread: Thread, post: Post | None) -> None:
    """Mark a reply as the accepted answer (None, or the same reply again: take the mark away)."""
    forum = thread.forum
    if not authz.can(user, "forum.moderate", forum.course):
        raise _fail(N_("Only the course's lecturers do this."))
    if post is not None:
        if post.thread_id != thread.id or not domain.may_accept(forum.kind, is_first=post.is_first,
                                                                deleted=post.deleted_at is not None):
            raise _fail(N_("This post cannot be the accepted answer."))
        if thread.accepted_post_id == post.id:
            post = None
    thread.accepted_post_id = post.id if post is not None else None
    audit.record(user, "forum.accept", thread, after={"post_id": thread.accepted_post_id}, label=thread.title[:200])
    if post is not None and post.author_id and post.author_id != user.id:
        notify.send([post.author_id], kind="forum.accepted", title=thread.title, url=thread_url(thread, post.id))
    db.session.commit()


# ---- read tracking ---------------------------------------------------------------------------------

def _mark_read(user_id: int, thread_id: int, post_id: int) -> None:
    mark = db.session.scalar(select(ReadMark).where(ReadMark.user_id == user_id, ReadMark.thread_id == thread_id))
    if mark is None:
        try:
            with db.session.begin_nested():
                db.session.add(ReadMark(user_id=user_id, thread_id=thread_id, last_post_id=post_id))
        except IntegrityError:  # the same person in two tabs
            mark = db.session.scalar(select(ReadMark).where(ReadMark.user_id == user_id,
                                                            ReadMark.thread_id == thread_id))
    if mark is not None and post_id > (mark.last_post_id or 0):
        mark.last_post_id = post_id


def mark_thread_read(user: User, thread: Thread) -> None:
    newest = db.session.scalar(select(func.max(Post.id)).where(_visible_posts_condition(user, thread)))
    if newest:
        _mark_read(user.id, thread.id, newest)
        db.session.commit()


def _unread_query(user: User, course: Course):
    """Posts by others, not deleted, newer than the person's read mark, readable under the Q&A rule."""
    mark = aliased(ReadMark)
    mine = aliased(Post)
    moderator = authz.can(user, "forum.moderate", course)
    stmt = (select(Thread.forum_id, Post.thread_id, func.count(Post.id))
            .join(Thread, Thread.id == Post.thread_id).join(Forum, Forum.id == Thread.forum_id)
            .outerjoin(mark, and_(mark.thread_id == Post.thread_id, mark.user_id == user.id))
            .where(Forum.course_id == course.id, Thread.deleted_at.is_(None), Post.deleted_at.is_(None),
                   or_(Post.author_id.is_(None), Post.author_id != user.id),
                   Post.id > func.coalesce(mark.last_post_id, 0)))
    if not moderator:
        answered = exists().where(mine.thread_id == Post.thread_id, mine.author_id == user.id,
                                  mine.is_first.is_(False))
        stmt = stmt.where(or_(Forum.kind != ForumKind.QA, Post.is_first.is_(True), answered))
    return stmt.group_by(Thread.forum_id, Post.thread_id)


def unread_counts(user: User, course: Course) -> tuple[dict[int, int], dict[int, int]]:
    """(unread posts per forum, unread posts per thread) for one person in one course."""
    by_forum: dict[int, int] = {}
    by_thread: dict[int, int] = {}
    for forum_id, thread_id, n in db.session.execute(_unread_query(user, course)):
        by_forum[forum_id] = by_forum.get(forum_id, 0) + n
        by_thread[thread_id] = n
    return by_forum, by_thread


# ---- subscriptions ---------------------------------------------------------------------------------

def _subscribe(user_id: int, target: str, ref_id: int) -> None:
    if is_subscribed(user_id, target, ref_id):
        return
    try:
        with db.session.begin_nested():
            db.session.add(Subscription(user_id=user_id, target=target, ref_id=ref_id))
    except IntegrityError:  # already there (a double click)
        pass


def is_subscribed(user_id: int, target: str, ref_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Subscription.user_id == user_id,
                                                        Subscription.target == target,
                                                        Subscription.ref_id == ref_id))))


def set_subscription(user: User, target: str, ref_id: int, on: bool) -> bool:
    if target not in ("forum", "thread"):
        raise ValueError(target)
    if on:
        _subscribe(user.id, target, ref_id)
    else:
        for row in db.session.scalars(select(Subscription).where(Subscription.user_id == user.id,
                                                                 Subscription.target == target,
                                                                 Subscription.ref_id == ref_id)):
            db.session.delete(row)
    db.session.commit()
    return on


def subscriptions_of(user: User):
    return select(Subscription).where(Subscription.user_id == user.id).order_by(Subscription.id.desc())


def _members(course: Course, user_ids: set[int]) -> set[int]:
    """Of these people, those still taking part in the course (active learners, its lecturers)."""
    if not user_ids:
        return set()
    learners = set(db.session.scalars(select(Enrolment.user_id).where(
        Enrolment.course_id == course.id, Enrolment.state == "active", Enrolment.user_id.in_(user_ids))))
    return (learners | (course.lecturer_ids & user_ids))


def subscribers(forum: Forum, thread: Thread) -> set[int]:
    rows = db.session.scalars(select(Subscription.user_id).where(or_(
        and_(Subscription.target == "thread", Subscription.ref_id == thread.id),
        and_(Subscription.target == "forum", Subscription.ref_id == forum.id))))
    people = set(rows)
    if forum.kind == ForumKind.ANNOUNCEMENTS:  # announcements reach every learner
        people |= set(db.session.scalars(select(Enrolment.user_id).where(Enrolment.course_id == forum.course_id,
                                                                         Enrolment.state == "active")))
    return _members(forum.course, people)


def thread_url(thread: Thread, post_id: int | None = None) -> str:
    url = f"/threads/{thread.id}"  # a site path (also built outside requests: CLI, demo, digest)
    return f"{url}#post-{post_id}" if post_id else url


def _notify_new_post(user: User, post: Post, thread: Thread, *, new_thread: bool) -> None:
    forum = thread.forum
    people = subscribers(forum, thread) - {user.id}
    if not people:
        return
    title = f"{thread.title} · {user.full_name}"
    text = html.text_only(post.body)[:500]
    if forum.kind == ForumKind.QA and not new_thread:
        # Q&A: those who have not answered yet must not read the others' answers in a notification.
        lecturers = people & forum.course.lecturer_ids
        answered = set(db.session.scalars(select(Post.author_id).where(
            Post.thread_id == thread.id, Post.is_first.is_(False), Post.author_id.in_(people))))
        full = lecturers | answered
        notify.send(full, kind="forum.post", title=title, body=text, url=thread_url(thread, post.id), email=False)
        notify.send(people - full, kind="forum.post", title=title, body="", url=thread_url(thread), email=False)
        return
    # In-app now; by e-mail in the daily digest (`flask forums send-digest`), except announcements, mailed at once.
    notify.send(people, kind="forum.thread" if new_thread else "forum.post", title=title, body=text,
                url=thread_url(thread, post.id), email=forum.kind == ForumKind.ANNOUNCEMENTS)


# ---- abuse flags -----------------------------------------------------------------------------------

def flag_post(user: User, post: Post, reason: str) -> Flag:
    if not authz.can(user, "forum.flag", post) or not post_readable(user, post):
        raise _fail(N_("You may not report this post."))
    problem = domain.reason_problem(reason)
    if problem:
        raise _fail(problem, "reason")
    existing = db.session.scalar(select(Flag).where(Flag.post_id == post.id, Flag.user_id == user.id))
    if existing is not None:
        return existing
    flag = Flag(post_id=post.id, user_id=user.id, reason=reason.strip()[:domain.REASON_MAX])
    db.session.add(flag)
    db.session.flush()
    course = post.thread.forum.course
    notify.send(course.lecturer_ids, kind="forum.flag", title=f"{post.thread.title}: {flag.reason}"[:300],
                body=html.text_only(post.body)[:300], url=f"/courses/{course.id}/discussions/flags")
    db.session.commit()
    return flag


def open_flags(course: Course):
    return (select(Flag).join(Post, Post.id == Flag.post_id).join(Thread, Thread.id == Post.thread_id)
            .join(Forum, Forum.id == Thread.forum_id)
            .where(Forum.course_id == course.id, Flag.resolved_at.is_(None)).order_by(Flag.created_at))


def resolve_flag(user: User, flag: Flag, remove: bool, reason: str = "") -> None:
    post = flag.post
    if not authz.can(user, "forum.moderate", post.thread.forum.course):
        raise _fail(N_("Only the course's lecturers do this."))
    if remove:
        if post.deleted_at is None:
            delete_post(user, post, reason or flag.reason)
        return
    for row in db.session.scalars(select(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None))):
        row.resolved_at, row.resolved_by_id, row.outcome = clock.now(), user.id, "kept"
    audit.record(user, "forum.flag_keep", post, label=post.thread.title[:200])
    db.session.commit()


# ---- search ----------------------------------------------------------------------------------------

def search(user: User, course: Course, q: str):
    """Posts of the course's discussions whose folded text contains the folded query (no diacritics)."""
    mine = aliased(Post)
    stmt = (select(Post).join(Thread, Thread.id == Post.thread_id).join(Forum, Forum.id == Thread.forum_id)
            .where(Forum.course_id == course.id, Post.deleted_at.is_(None), Thread.deleted_at.is_(None),
                   Post.search_text.like(like_pattern(q), escape="\\")))
    if not authz.can(user, "forum.moderate", course):
        answered = exists().where(mine.thread_id == Post.thread_id, mine.author_id == user.id,
                                  mine.is_first.is_(False))
        stmt = stmt.where(or_(Forum.kind != ForumKind.QA, Post.is_first.is_(True), Post.author_id == user.id,
                              answered))
        hidden = select(SectionItem.ref_id).where(SectionItem.kind == "forum", SectionItem.visible.is_(False))
        stmt = stmt.where(Forum.id.not_in(hidden))
    return stmt.order_by(Post.created_at.desc(), Post.id.desc())


# ---- participation ---------------------------------------------------------------------------------

def posts_by(user_id: int, forum_ids: list[int]) -> dict[int, int]:
    if not forum_ids:
        return {}
    return dict(db.session.execute(
        select(Thread.forum_id, func.count(Post.id)).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user_id, Post.deleted_at.is_(None), Thread.deleted_at.is_(None),
               Thread.forum_id.in_(forum_ids))
        .group_by(Thread.forum_id)).all())


from elearn.forums import course_flow  # noqa: E402,F401  (registers the item provider and completion facts)
