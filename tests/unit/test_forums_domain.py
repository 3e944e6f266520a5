"""Forum rules (elearn/forums/domain.py): who may post where, the Q&A rule, the edit window, nesting,
the accepted answer and participation toward completion."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from elearn.courses.completion import ForumPosts, LearnerFacts, RuleError
from elearn.forums import domain
from elearn.forums.domain import Actor, ForumKind, PostFact

LEARNER = Actor(user_id=1, moderator=False, member=True)
OTHER = Actor(user_id=2, moderator=False, member=True)
LECTURER = Actor(user_id=9, moderator=True, member=True)
OUTSIDER = Actor(user_id=5, moderator=False, member=False)
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


# --- who may post where --------------------------------------------------------------------------

@pytest.mark.parametrize("who, kind, allowed", [
    (LEARNER, ForumKind.OPEN, True),
    (LEARNER, ForumKind.QA, False),
    (LEARNER, ForumKind.ANNOUNCEMENTS, False),
    (LECTURER, ForumKind.OPEN, True),
    (LECTURER, ForumKind.QA, True),
    (LECTURER, ForumKind.ANNOUNCEMENTS, True),
    (OUTSIDER, ForumKind.OPEN, False),
])
def test_who_starts_threads(who, kind, allowed):
    assert domain.may_start_thread(who, kind) is allowed
    assert (domain.post_refusal(who, kind, False, new_thread=True) is None) is allowed


@pytest.mark.parametrize("who, kind, locked, allowed", [
    (LEARNER, ForumKind.OPEN, False, True),
    (LEARNER, ForumKind.QA, False, True),
    (LEARNER, ForumKind.ANNOUNCEMENTS, False, False),
    (LECTURER, ForumKind.ANNOUNCEMENTS, False, True),
    (LEARNER, ForumKind.OPEN, True, False),
    (LECTURER, ForumKind.OPEN, True, False),  # locked is locked: unlock first
    (OUTSIDER, ForumKind.OPEN, False, False),
])
def test_who_replies(who, kind, locked, allowed):
    assert domain.may_reply(who, kind, locked) is allowed
    assert (domain.post_refusal(who, kind, locked, new_thread=False) is None) is allowed


def test_no_reply_to_a_deleted_thread():
    assert not domain.may_reply(LECTURER, ForumKind.OPEN, False, deleted=True)


def test_refusals_say_why():
    assert "locked" in domain.post_refusal(LEARNER, ForumKind.OPEN, True, new_thread=False).msgid
    assert "announcements" in domain.post_refusal(LEARNER, ForumKind.ANNOUNCEMENTS, False, new_thread=False).msgid
    assert "learners and lecturers" in domain.post_refusal(OUTSIDER, ForumKind.OPEN, False, new_thread=True).msgid


# --- the Q&A rule ----------------------------------------------------------------------------------

def test_qa_learner_sees_only_the_question_and_own_posts_before_answering():
    assert not domain.sees_others_posts(LEARNER, ForumKind.QA, has_posted=False)
    assert domain.visible_to(LEARNER, ForumKind.QA, False, author_id=9, is_first=True)  # the question
    assert domain.visible_to(LEARNER, ForumKind.QA, False, author_id=1, is_first=False)  # own answer
    assert not domain.visible_to(LEARNER, ForumKind.QA, False, author_id=2, is_first=False)
    assert not domain.visible_to(LEARNER, ForumKind.QA, False, author_id=9, is_first=False)


def test_qa_after_answering_everything_is_visible():
    assert domain.sees_others_posts(LEARNER, ForumKind.QA, has_posted=True)
    assert domain.visible_to(LEARNER, ForumKind.QA, True, author_id=2, is_first=False)


def test_qa_lecturers_always_see_and_other_kinds_have_no_rule():
    assert domain.visible_to(LECTURER, ForumKind.QA, False, author_id=2, is_first=False)
    for kind in (ForumKind.OPEN, ForumKind.ANNOUNCEMENTS):
        assert domain.visible_to(LEARNER, kind, False, author_id=2, is_first=False)


# --- editing and deleting --------------------------------------------------------------------------

def _edit(who, *, author=1, minutes_later=0, locked=False, deleted=False, window=30):
    return domain.may_edit(who, author_id=author, created_at=T0, now=T0 + timedelta(minutes=minutes_later),
                           locked=locked, deleted=deleted, minutes=window)


def test_the_author_edits_within_the_window_only():
    assert _edit(LEARNER, minutes_later=0)
    assert _edit(LEARNER, minutes_later=30)
    assert not _edit(LEARNER, minutes_later=31)
    assert _edit(LEARNER, minutes_later=59, window=60)
    assert domain.edit_deadline(T0, 30) == T0 + timedelta(minutes=30)


def test_nobody_edits_another_learners_post_but_lecturers_moderate():
    assert not _edit(OTHER)
    assert _edit(LECTURER, minutes_later=600)
    assert not _edit(LEARNER, locked=True)
    assert not _edit(LECTURER, deleted=True)
    assert not _edit(Actor(1, False, member=False))  # withdrawn since


def test_deleting():
    def delete(who, **kw):
        args = {"author_id": 1, "created_at": T0, "now": T0 + timedelta(minutes=kw.pop("later", 0)),
                "locked": False, "deleted": False, "has_replies": False}
        args.update(kw)
        return domain.may_delete(who, **args)

    assert delete(LEARNER)
    assert not delete(LEARNER, has_replies=True)  # answered: it stays
    assert not delete(LEARNER, later=40)
    assert not delete(OTHER)
    assert delete(LECTURER, has_replies=True, later=9999)


# --- structure ----------------------------------------------------------------------------------------

def test_replies_nest_one_level():
    assert domain.reply_parent(None, None, False) is None
    assert domain.reply_parent(10, None, True) is None  # answering the opening post: top level
    assert domain.reply_parent(11, None, False) == 11  # answering a top-level reply
    assert domain.reply_parent(12, 11, False) == 11  # answering a nested reply: same top-level reply


def test_accepted_answer_is_a_reply():
    assert domain.may_accept(ForumKind.QA, is_first=False, deleted=False)
    assert domain.may_accept(ForumKind.OPEN, is_first=False, deleted=False)
    assert not domain.may_accept(ForumKind.OPEN, is_first=True, deleted=False)
    assert not domain.may_accept(ForumKind.OPEN, is_first=False, deleted=True)
    assert not domain.may_accept(ForumKind.ANNOUNCEMENTS, is_first=False, deleted=False)


def test_input_checks():
    assert domain.title_problem("  ") is not None
    assert domain.title_problem("x" * 201) is not None
    assert domain.title_problem("Kinh nghiệm của xã") is None
    assert domain.body_problem("<p> </p>", "") is not None
    assert domain.body_problem('<p><img src="a.png"></p>', "") is None
    assert domain.body_problem("<p>" + "a" * 70_000 + "</p>", "a") is not None
    assert domain.reason_problem("") is not None and domain.reason_problem("Sai chủ đề") is None
    assert domain.min_posts_problem(0) is not None and domain.min_posts_problem(3) is None


def test_quote_escapes_and_shortens():
    quoted = domain.quote_html("Nguyễn <b>A</b>", "<script>x</script> " + "chữ " * 300, limit=50)
    assert "<script>" not in quoted and "&lt;script&gt;" in quoted and "&lt;b&gt;" in quoted
    assert quoted.startswith("<blockquote>") and "…" in quoted


def test_unread_counts_posts_after_the_mark():
    assert domain.unread([1, 2, 5, 9], None) == 4
    assert domain.unread([1, 2, 5, 9], 5) == 1


# --- participation toward completion --------------------------------------------------------------

def test_participation_counts_own_posts_not_deleted():
    posts = [PostFact(1, False), PostFact(1, True), PostFact(2, False), PostFact(1, False), PostFact(None, False)]
    assert domain.participation(posts, 1) == 2
    assert domain.participation(posts, 2) == 1


def test_a_forum_item_is_done_after_its_number_of_posts():
    assert not domain.forum_item_done(0, 1)
    assert domain.forum_item_done(1, 1)
    assert not domain.forum_item_done(2, 3)
    assert domain.forum_item_done(3, 3)
    assert domain.forum_item_done(1, 0)  # a broken setting counts as one


def test_the_at_least_n_posts_completion_rule():
    rule = ForumPosts(min_posts=3)
    posts = [PostFact(1, False)] * 2 + [PostFact(1, True)]
    result = rule.evaluate(LearnerFacts(forum_posts=domain.participation(posts, 1)))
    assert not result.met and result.progress == pytest.approx(2 / 3)
    result = rule.evaluate(LearnerFacts(forum_posts=domain.participation(posts + [PostFact(1, False)], 1)))
    assert result.met and result.progress == 1
    with pytest.raises(RuleError):
        ForumPosts(min_posts=0)
