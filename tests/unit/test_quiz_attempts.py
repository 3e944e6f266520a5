"""Attempt rules (quizzes/attempts.py): deadlines and expiry rules at their boundaries, who may start,
overrides, review visibility, grading methods, pass mark, random draws and shuffling."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from elearn.quizzes.domain import (
    Answer,
    AttemptPhase,
    AttemptResult,
    ExpiryRule,
    GradingMethod,
    Mark,
    MarkState,
    Override,
    QType,
    Question,
    QuizGrade,
    ReviewMoment,
    ReviewThing,
    Subquestion,
    accept_answer,
    accept_submit,
    answer_order,
    attempt_rng,
    attempt_total,
    can_start,
    deadline,
    draw_problems,
    draw_questions,
    effective_override,
    matching_choices,
    passed,
    quiz_grade,
    rescale,
    review_moment,
    review_visibility,
    seconds_left,
    shuffle,
    state_at,
)

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
S = timedelta(seconds=1)
M = timedelta(minutes=1)


# ---- deadline -------------------------------------------------------------------------------------

def test_deadline_is_start_plus_limit():
    assert deadline(START, 90 * 60, None) == START + 90 * M


def test_deadline_is_the_close_time_when_earlier():
    close = START + 30 * M
    assert deadline(START, 90 * 60, close) == close
    assert deadline(START, 10 * 60, close) == START + 10 * M


def test_deadline_extra_time_extends_the_limit_but_not_the_close_time():
    assert deadline(START, 60 * 60, None, 15 * 60) == START + 75 * M
    assert deadline(START, timedelta(hours=1), START + 70 * M, timedelta(minutes=15)) == START + 70 * M


def test_no_limit_no_close_means_no_deadline():
    assert deadline(START, None, None) is None
    assert deadline(START, 0, None, 600) is None  # extra time without a limit changes nothing
    assert deadline(START, 0, START + M) == START + M


def test_seconds_left_for_the_timer():
    due = START + 90 * M
    assert seconds_left(START, due) == 5400
    assert seconds_left(due - timedelta(milliseconds=500), due) == 0
    assert seconds_left(due + M, due) == 0
    assert seconds_left(START, None) is None


# ---- expiry rules at the boundaries ---------------------------------------------------------------

DUE = START + 60 * M
GRACE = 300


@pytest.mark.parametrize("rule, now, phase, answer_ok, submit_ok", [
    # one second before the deadline everything is accepted, whatever the rule
    (ExpiryRule.AUTOSUBMIT, DUE - S, AttemptPhase.IN_PROGRESS, True, True),
    (ExpiryRule.GRACE, DUE - S, AttemptPhase.IN_PROGRESS, True, True),
    (ExpiryRule.NOT_COUNTED, DUE - S, AttemptPhase.IN_PROGRESS, True, True),
    # exactly at the deadline the time is up
    (ExpiryRule.AUTOSUBMIT, DUE, AttemptPhase.FINISHED, False, True),
    (ExpiryRule.GRACE, DUE, AttemptPhase.OVERDUE, False, True),
    (ExpiryRule.NOT_COUNTED, DUE, AttemptPhase.ABANDONED, False, False),
    # within the grace period
    (ExpiryRule.AUTOSUBMIT, DUE + 4 * M, AttemptPhase.FINISHED, False, True),
    (ExpiryRule.GRACE, DUE + GRACE * S - S, AttemptPhase.OVERDUE, False, True),
    (ExpiryRule.NOT_COUNTED, DUE + 4 * M, AttemptPhase.ABANDONED, False, False),
    # exactly at the end of the grace period, and after it
    (ExpiryRule.GRACE, DUE + GRACE * S, AttemptPhase.ABANDONED, False, False),
    (ExpiryRule.GRACE, DUE + timedelta(days=3), AttemptPhase.ABANDONED, False, False),
    (ExpiryRule.AUTOSUBMIT, DUE + timedelta(days=3), AttemptPhase.FINISHED, False, True),
])
def test_expiry_rules(rule, now, phase, answer_ok, submit_ok):
    assert state_at(now, DUE, rule, GRACE) == phase
    assert accept_answer(now, DUE, rule, GRACE).ok is answer_ok
    assert accept_submit(now, DUE, rule, GRACE).ok is submit_ok


def test_refusals_and_late_submits_say_why():
    assert accept_answer(DUE - S, DUE, "grace", GRACE).reason is None
    assert accept_submit(DUE - S, DUE, "grace", GRACE).reason is None
    assert accept_answer(DUE, DUE, "autosubmit").reason.msgid.startswith("Time is up: the attempt was submitted")
    assert accept_submit(DUE, DUE, "autosubmit").reason.msgid.startswith("Time is up: the attempt was submitted")
    assert accept_answer(DUE, DUE, "grace", GRACE).reason.msgid.startswith("Time is up: you can still submit")
    assert accept_submit(DUE + GRACE * S, DUE, "grace", GRACE).reason.msgid.startswith("The grace period is over")
    assert accept_submit(DUE, DUE, "not_counted").reason.msgid.startswith("Time is up: an attempt not submitted")
    assert not accept_answer(DUE, DUE, "not_counted")  # a Decision is falsy when refused


def test_grace_rule_without_grace_seconds_abandons_at_the_deadline():
    assert state_at(DUE, DUE, "grace", 0) == AttemptPhase.ABANDONED
    assert state_at(DUE, DUE, "grace", None) == AttemptPhase.ABANDONED


def test_no_deadline_never_expires():
    later = START + timedelta(days=365)
    for rule in ExpiryRule:
        assert state_at(later, None, rule, 0) == AttemptPhase.IN_PROGRESS
        assert accept_answer(later, None, rule).ok


def test_extra_time_override_moves_the_boundary():
    due = deadline(START, 60 * 60, None, 10 * 60)
    assert accept_answer(START + 65 * M, due, "autosubmit").ok
    assert not accept_answer(START + 70 * M, due, "autosubmit").ok


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        state_at(DUE, DUE, "whenever", 0)


# ---- who may start --------------------------------------------------------------------------------

OPEN, CLOSE = START, START + timedelta(days=7)


def reasons(*args, **kw) -> list[str]:
    return [m.msgid for m in can_start(*args, **kw)]


def test_may_start_inside_the_window():
    assert can_start(OPEN, OPEN, CLOSE, 0, 1) == []  # exactly at the open time
    assert can_start(CLOSE - S, OPEN, CLOSE, 0, 1) == []
    assert can_start(OPEN, None, None, 0, None) == []


def test_not_open_yet_and_closed():
    early = can_start(OPEN - S, OPEN, CLOSE, 0, 1)
    assert [m.msgid for m in early] == ["This quiz opens at %(time)s."]
    assert early[0].params["time"] == "08:00 02/03/2026"  # Vietnam's time
    assert early[0].params["at"] == OPEN
    assert early[0].render() == "This quiz opens at 08:00 02/03/2026."
    assert reasons(CLOSE, OPEN, CLOSE, 0, 1) == ["This quiz closed at %(time)s."]


def test_attempt_limit():
    assert reasons(OPEN, OPEN, CLOSE, 1, 1) == ["You have used all %(allowed)s attempts allowed."]
    assert reasons(OPEN, OPEN, CLOSE, 2, 3) == []
    assert reasons(OPEN, OPEN, CLOSE, 50, 0) == []      # 0 = unlimited
    assert reasons(OPEN, OPEN, CLOSE, 50, None) == []


def test_delay_between_attempts():
    finished = OPEN + 10 * M
    delay = 3600
    wait = can_start(finished + 59 * M, OPEN, CLOSE, 1, 3, finished, delay)
    assert [m.msgid for m in wait] == ["You can start another attempt at %(time)s."]
    assert wait[0].params["at"] == finished + 60 * M
    assert can_start(finished + 60 * M, OPEN, CLOSE, 1, 3, finished, delay) == []  # exactly when the delay ends


def test_several_reasons_at_once():
    assert reasons(CLOSE, OPEN, CLOSE, 3, 3) == ["This quiz closed at %(time)s.",
                                                  "You have used all %(allowed)s attempts allowed."]


def test_personal_override_of_dates_and_attempts():
    late_close = CLOSE + timedelta(days=2)
    own = Override(close_at=late_close, attempts_allowed=2)
    assert reasons(CLOSE + S, OPEN, CLOSE, 1, 1, overrides=own) == []
    assert reasons(late_close, OPEN, CLOSE, 1, 1, overrides=own) == ["This quiz closed at %(time)s."]
    assert reasons(OPEN, OPEN, CLOSE, 2, 1, overrides=own) == ["You have used all %(allowed)s attempts allowed."]
    early = Override(open_at=OPEN - timedelta(days=1))
    assert reasons(OPEN - M, OPEN, CLOSE, 0, 1, overrides=[early]) == []


def test_group_overrides_merge_leniently_and_the_personal_one_wins():
    a = Override(close_at=CLOSE + timedelta(days=1), attempts_allowed=2, time_limit=3600, personal=False)
    b = Override(close_at=CLOSE + timedelta(days=3), attempts_allowed=0, time_limit=1800, extra_seconds=300,
                 personal=False)
    merged = effective_override([a, b])
    assert merged.close_at == CLOSE + timedelta(days=3)
    assert merged.attempts_allowed == 0  # unlimited is the most lenient
    assert merged.time_limit == 3600
    assert merged.extra_seconds == 300
    mine = Override(close_at=CLOSE + timedelta(hours=1), attempts_allowed=1)
    combined = effective_override([a, mine, b])
    assert combined.close_at == CLOSE + timedelta(hours=1)  # stricter, but it is the learner's own
    assert combined.attempts_allowed == 1
    assert combined.time_limit == 3600  # not set personally: the groups' value stays
    assert effective_override([]) is None
    assert effective_override(None) is None


# ---- review visibility ----------------------------------------------------------------------------

EVERYTHING = {t.value for t in ReviewThing}
OPTIONS = {
    "during": EVERYTHING,
    "immediately_after": {"attempt", "marks"},
    "later_while_open": {"attempt", "marks", "correctness"},
    "after_close": EVERYTHING,
}
SUBMITTED = START + 40 * M
QUIZ_CLOSE = START + timedelta(days=1)


@pytest.mark.parametrize("now, submitted_at, moment", [
    (START + M, None, ReviewMoment.DURING),
    (SUBMITTED, SUBMITTED, ReviewMoment.IMMEDIATELY_AFTER),
    (SUBMITTED + 119 * S, SUBMITTED, ReviewMoment.IMMEDIATELY_AFTER),
    (SUBMITTED + 120 * S, SUBMITTED, ReviewMoment.LATER_WHILE_OPEN),     # 2 minutes is no longer "immediately"
    (QUIZ_CLOSE - S, SUBMITTED, ReviewMoment.LATER_WHILE_OPEN),
    (QUIZ_CLOSE, SUBMITTED, ReviewMoment.AFTER_CLOSE),
    (QUIZ_CLOSE + S, QUIZ_CLOSE, ReviewMoment.AFTER_CLOSE),              # after close wins over "immediately"
])
def test_review_moments(now, submitted_at, moment):
    assert review_moment(now, submitted_at, QUIZ_CLOSE) == moment


def test_without_a_close_time_it_is_never_after_close():
    assert review_moment(SUBMITTED + timedelta(days=400), SUBMITTED, None) == ReviewMoment.LATER_WHILE_OPEN


def test_review_shows_only_what_the_moment_allows():
    assert review_visibility(SUBMITTED + M, SUBMITTED, QUIZ_CLOSE, OPTIONS) == {ReviewThing.ATTEMPT, ReviewThing.MARKS}
    later = review_visibility(SUBMITTED + 3 * M, SUBMITTED, QUIZ_CLOSE, OPTIONS)
    assert later == {ReviewThing.ATTEMPT, ReviewThing.MARKS, ReviewThing.CORRECTNESS}
    assert ReviewThing.RIGHT_ANSWER not in later
    assert review_visibility(QUIZ_CLOSE, SUBMITTED, QUIZ_CLOSE, OPTIONS) == set(ReviewThing)


def test_during_a_deferred_feedback_attempt_only_the_answers_show():
    # even when the options (wrongly) grant everything "during"
    assert review_visibility(START + M, None, QUIZ_CLOSE, OPTIONS) == {ReviewThing.ATTEMPT}
    immediate = review_visibility(START + M, None, QUIZ_CLOSE, OPTIONS, immediate_feedback=True)
    assert immediate == set(ReviewThing)


def test_review_things_that_need_the_attempt():
    options = {"after_close": {"right_answer", "correctness", "specific_feedback", "general_feedback", "marks",
                               "overall_feedback"}}
    assert review_visibility(QUIZ_CLOSE, SUBMITTED, QUIZ_CLOSE, options) == {ReviewThing.MARKS,
                                                                             ReviewThing.OVERALL_FEEDBACK}


def test_review_with_missing_moments_and_unknown_names_shows_nothing_extra():
    assert review_visibility(QUIZ_CLOSE, SUBMITTED, QUIZ_CLOSE, {}) == frozenset()
    assert review_visibility(QUIZ_CLOSE, SUBMITTED, QUIZ_CLOSE, {"after_close": {"attempt", "secrets"}}) == \
        {ReviewThing.ATTEMPT}
    enum_keys = {ReviewMoment.AFTER_CLOSE: {ReviewThing.ATTEMPT}}
    assert review_visibility(QUIZ_CLOSE, SUBMITTED, QUIZ_CLOSE, enum_keys) == {ReviewThing.ATTEMPT}


def test_review_with_an_overridden_close_time():
    own_close = QUIZ_CLOSE + timedelta(days=2)
    # the quiz closed for others, but this learner's close time is later: still "later while open"
    assert review_visibility(QUIZ_CLOSE + S, SUBMITTED, own_close, OPTIONS) == \
        {ReviewThing.ATTEMPT, ReviewThing.MARKS, ReviewThing.CORRECTNESS}


# ---- attempt totals -------------------------------------------------------------------------------

def test_attempt_total():
    total = attempt_total([(Mark(1.0, MarkState.CORRECT), 2), (Mark(0.5, MarkState.PARTIAL), 2),
                           (Mark(0.0, MarkState.NOT_ANSWERED), 1), (Mark(None, MarkState.NO_GRADE), 5)])
    assert (total.score, total.max_score, total.pending, total.complete) == (3.0, 5.0, 0, True)
    pending = attempt_total([(Mark(1.0, MarkState.CORRECT), 1), (Mark(None, MarkState.NEEDS_GRADING), 4)])
    assert (pending.score, pending.max_score, pending.pending, pending.complete) == (1.0, 5.0, 1, False)


def test_rescale():
    assert rescale(15, 20, 10) == 7.5
    assert rescale(None, 20, 10) is None
    assert rescale(3, 0, 10) == 0.0


# ---- grading methods ------------------------------------------------------------------------------

def attempts(*grades) -> list[AttemptResult]:
    # given out of order on purpose: the start time decides which is first/last
    items = [AttemptResult(START + i * timedelta(days=1), g) for i, g in enumerate(grades)]
    return list(reversed(items))


@pytest.mark.parametrize("method, expected", [
    ("highest", QuizGrade(8.0, False, 3)),
    ("average", QuizGrade(6.0, False, 3)),   # (5 + 8 + 5) / 3
    ("first", QuizGrade(5.0, False, 1)),
    ("last", QuizGrade(5.0, False, 1)),
])
def test_grading_methods(method, expected):
    assert quiz_grade(attempts(5.0, 8.0, 5.0), method) == expected


def test_first_and_last_follow_start_times():
    grades = attempts(4.0, 9.0, 7.0)
    assert quiz_grade(grades, GradingMethod.FIRST).grade == 4.0
    assert quiz_grade(grades, GradingMethod.LAST).grade == 7.0


@pytest.mark.parametrize("method, expected", [
    ("highest", QuizGrade(6.0, True, 2)),   # the ungraded one might be higher: pending
    ("average", QuizGrade(5.0, True, 2)),   # (4 + 6) / 2, the ungraded one left out until graded
    ("first", QuizGrade(4.0, False, 1)),    # the first attempt is graded: final
    ("last", QuizGrade(None, True, 0)),     # the last attempt decides and waits for a lecturer
])
def test_ungraded_attempts(method, expected):
    result = quiz_grade(attempts(4.0, 6.0, None), method)
    assert result == expected
    assert result.final is (expected.grade is not None and not expected.pending)


def test_only_ungraded_or_no_attempts():
    for method in GradingMethod:
        assert quiz_grade(attempts(None), method) == QuizGrade(None, True, 0)
        assert quiz_grade([], method) == QuizGrade(None, False, 0)


def test_unknown_grading_method_is_refused():
    with pytest.raises(ValueError):
        quiz_grade(attempts(1.0), "median")


@pytest.mark.parametrize("grade, pass_mark, ok", [
    (5.0, 5.0, True), (4.99, 5.0, False), (5.0000000001, 5.0, True), (4.9999999999, 5.0, True),
    (None, 5.0, False), (0.0, None, True), (0.0, 0, True), (None, None, False),
])
def test_passed(grade, pass_mark, ok):
    assert passed(grade, pass_mark) is ok


# ---- random draw and shuffle ----------------------------------------------------------------------

POOL = {"Top/Nghị quyết": list(range(1, 21)), "Top/Chuyển đổi số": list(range(100, 110))}


def test_draw_is_reproducible_per_seed_and_respects_counts():
    counts = {"Top/Nghị quyết": 5, "Top/Chuyển đổi số": 3}
    first = draw_questions(POOL, counts, attempt_rng(42))
    assert first == draw_questions(POOL, counts, attempt_rng(42))
    assert len(first) == 8 and len(set(first)) == 8
    assert all(1 <= x <= 20 for x in first[:5]) and all(100 <= x < 110 for x in first[5:])
    others = {tuple(draw_questions(POOL, counts, attempt_rng(seed))) for seed in range(20)}
    assert len(others) > 1  # different attempts get different papers


def test_draw_never_repeats_a_question_listed_in_two_categories():
    pool = {"Top": [1, 2, 3, 4], "Top/Sub": [3, 4]}
    for seed in range(30):
        drawn = draw_questions(pool, [("Top/Sub", 1), ("Top", 3)], attempt_rng(seed))
        assert len(drawn) == len(set(drawn)) == 4


def test_draw_problems_and_refusal():
    assert draw_problems(POOL, {"Top/Chuyển đổi số": 10}) == []
    problems = draw_problems(POOL, {"Top/Chuyển đổi số": 11, "Missing": 1, "Top/Nghị quyết": -1})
    assert [p.params.get("available") for p in problems] == [10, 0, None]
    with pytest.raises(ValueError):
        draw_questions(POOL, {"Top/Chuyển đổi số": 11}, attempt_rng(1))


def test_draw_with_a_key_for_unhashable_questions():
    pool = {"c": [Question(QType.ESSAY, f"q{i}", "?") for i in range(5)]}
    drawn = draw_questions(pool, {"c": 2}, attempt_rng(3), key=lambda question: question.name)
    assert len({question.name for question in drawn}) == 2


def test_shuffle_is_a_reproducible_copy():
    items = list(range(30))
    shuffled = shuffle(items, attempt_rng("attempt-7"))
    assert items == list(range(30))  # the input is untouched
    assert sorted(shuffled) == items and shuffled != items
    assert shuffled == shuffle(items, attempt_rng("attempt-7"))
    assert shuffled == shuffle(items, random.Random("attempt-7"))


def test_answer_order_and_matching_choices():
    mc = Question(QType.MULTICHOICE, "m", "?", answers=[Answer(str(i), 0) for i in range(8)])
    order = answer_order(mc, attempt_rng(5))
    assert sorted(order) == list(range(8)) and order != list(range(8))
    assert order == answer_order(mc, attempt_rng(5))
    fixed = Question(QType.MULTICHOICE, "m", "?", answers=mc.answers, shuffle_answers=False)
    assert answer_order(fixed, attempt_rng(5)) == list(range(8))
    matching = Question(QType.MATCHING, "x", "?", shuffle_answers=False, subquestions=[
        Subquestion("a", "Forum"), Subquestion("b", "Wiki"), Subquestion("c", "Forum"), Subquestion("", "Chat")])
    assert matching_choices(matching, attempt_rng(1)) == ["Forum", "Wiki", "Chat"]
    matching.shuffle_answers = True
    assert sorted(matching_choices(matching, attempt_rng(1))) == ["Chat", "Forum", "Wiki"]
