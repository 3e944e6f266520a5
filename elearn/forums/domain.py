"""Forum rules. Pure Python: no Flask, no database.

Who may post where, what a learner sees in a Q&A forum, the edit window, one level of replies, the accepted
answer and forum participation toward course completion. The services and core/authz.py ask these functions;
the unit tests in tests/unit/test_forums_domain.py cover each of them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from elearn.courses.messages import N_, Message, msg

TITLE_MAX = 200
BODY_MAX = 60_000  # bytes of sanitised HTML, as a lesson page
REASON_MAX = 500
EDIT_WINDOW_MINUTES = 30  # default; FORUM_EDIT_MINUTES in the config changes it


class ForumKind(StrEnum):
    OPEN = "open"  # everyone enrolled starts threads and replies
    QA = "qa"  # lecturers ask; a learner sees the others' answers only after answering
    ANNOUNCEMENTS = "announcements"  # only lecturers post


FORUM_KIND_LABELS = {
    ForumKind.OPEN: N_("Open discussion"),
    ForumKind.QA: N_("Questions and answers"),
    ForumKind.ANNOUNCEMENTS: N_("Announcements"),
}


@dataclass(frozen=True)
class Actor:
    """What the rules need to know about the person acting in one course."""

    user_id: int
    moderator: bool  # the course's lecturer or an administrator
    member: bool  # may study the course (enrolled learner, lecturer or administrator)


# --- who may post where -----------------------------------------------------------------------------

def may_start_thread(actor: Actor, kind: str) -> bool:
    if not actor.member:
        return False
    if kind in (ForumKind.ANNOUNCEMENTS, ForumKind.QA):
        return actor.moderator  # lecturers make announcements and ask the questions
    return True


def may_reply(actor: Actor, kind: str, locked: bool, deleted: bool = False) -> bool:
    if not actor.member or locked or deleted:
        return False
    if kind == ForumKind.ANNOUNCEMENTS:
        return actor.moderator
    return True


def post_refusal(actor: Actor, kind: str, locked: bool, *, new_thread: bool) -> Message | None:
    """Why the person may not post here (None: allowed), for the message shown instead of the form."""
    if not actor.member:
        return msg(N_("Only the course's learners and lecturers take part in its discussions."))
    if not new_thread and locked:
        return msg(N_("This thread is locked: no new posts."))
    if kind == ForumKind.ANNOUNCEMENTS and not actor.moderator:
        return msg(N_("Only lecturers post in an announcements forum."))
    if new_thread and kind == ForumKind.QA and not actor.moderator:
        return msg(N_("In a Q&A forum the lecturers ask the questions; answer them in their threads."))
    return None


# --- the Q&A rule -----------------------------------------------------------------------------------

def sees_others_posts(actor: Actor, kind: str, has_posted: bool) -> bool:
    """Q&A: a learner sees the other answers only once they have posted their own (lecturers always do)."""
    return kind != ForumKind.QA or actor.moderator or has_posted


def visible_to(actor: Actor, kind: str, has_posted: bool, *, author_id: int | None, is_first: bool) -> bool:
    """May this person read this post? The question (first post) and one's own posts are always readable."""
    if is_first or author_id == actor.user_id:
        return True
    return sees_others_posts(actor, kind, has_posted)


# --- editing and deleting ---------------------------------------------------------------------------

def edit_deadline(created_at: datetime, minutes: int = EDIT_WINDOW_MINUTES) -> datetime:
    return created_at + timedelta(minutes=max(0, minutes))


def may_edit(actor: Actor, *, author_id: int | None, created_at: datetime, now: datetime, locked: bool,
             deleted: bool, minutes: int = EDIT_WINDOW_MINUTES) -> bool:
    """Authors edit their own post within the window and while the thread is open; moderators always."""
    if deleted or not actor.member:
        return False
    if actor.moderator:
        return True
    return author_id == actor.user_id and not locked and now <= edit_deadline(created_at, minutes)


def may_delete(actor: Actor, *, author_id: int | None, created_at: datetime, now: datetime, locked: bool,
               deleted: bool, has_replies: bool, minutes: int = EDIT_WINDOW_MINUTES) -> bool:
    """Moderators delete any post (with a reason); an author withdraws a post nobody answered yet, in the window."""
    if deleted or not actor.member:
        return False
    if actor.moderator:
        return True
    return (author_id == actor.user_id and not has_replies and not locked
            and now <= edit_deadline(created_at, minutes))


# --- structure ----------------------------------------------------------------------------------------

def reply_parent(parent_id: int | None, parent_parent_id: int | None, parent_is_first: bool) -> int | None:
    """Replies nest one level: answering the opening post or nothing makes a top-level reply; answering a
    nested reply attaches to the same top-level reply."""
    if parent_id is None or parent_is_first:
        return None
    return parent_parent_id if parent_parent_id is not None else parent_id


def may_accept(kind: str, *, is_first: bool, deleted: bool) -> bool:
    """A reply (not the question itself, not a deleted one) may be marked as the accepted answer."""
    return kind != ForumKind.ANNOUNCEMENTS and not is_first and not deleted


def title_problem(title: str) -> Message | None:
    title = (title or "").strip()
    if not title:
        return msg(N_("A title is required."))
    if len(title) > TITLE_MAX:
        return msg(N_("The title is longer than %(n)s characters."), n=TITLE_MAX)
    return None


def body_problem(cleaned_html: str, visible_text: str) -> Message | None:
    """The sanitised body must say something (text or an image) and stay within the size limit."""
    if not visible_text.strip() and "<img" not in cleaned_html:
        return msg(N_("Write something before posting."))
    if len(cleaned_html.encode()) > BODY_MAX:
        return msg(N_("The post is too long (at most %(kb)s KB)."), kb=BODY_MAX // 1000)
    return None


def reason_problem(reason: str) -> Message | None:
    reason = (reason or "").strip()
    if not reason:
        return msg(N_("Give a reason."))
    if len(reason) > REASON_MAX:
        return msg(N_("The reason is longer than %(n)s characters."), n=REASON_MAX)
    return None


def quote_html(author: str, text: str, limit: int = 500) -> str:
    """The start of a reply that quotes a post: escaped plain text inside a blockquote (cleaned again on saving)."""
    from html import escape

    text = " ".join((text or "").split())
    if len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return f"<blockquote><p><strong>{escape(author)}</strong>: {escape(text)}</p></blockquote><p></p>"


# --- participation toward completion -----------------------------------------------------------------

@dataclass(frozen=True)
class PostFact:
    author_id: int | None
    deleted: bool


def participation(posts: Iterable[PostFact], user_id: int) -> int:
    """Posts that count for a learner: their own, not deleted (a post removed by a lecturer no longer counts)."""
    return sum(1 for p in posts if p.author_id == user_id and not p.deleted)


def forum_item_done(posts_in_forum: int, min_posts: int) -> bool:
    """A forum in the course flow is done once the learner has written at least `min_posts` posts in it."""
    return posts_in_forum >= max(1, min_posts)


def min_posts_problem(value: int | None) -> Message | None:
    if value is None or value < 1 or value > 100:
        return msg(N_("The number of posts must be between 1 and 100."))
    return None


# --- unread --------------------------------------------------------------------------------------------

def unread(post_ids: Iterable[int], last_read_id: int | None) -> int:
    """Posts newer than the last one the person saw in the thread (ids only grow)."""
    mark = last_read_id or 0
    return sum(1 for pid in post_ids if pid > mark)
