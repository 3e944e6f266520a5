"""Quiz and attempt rules of quiz_rules.py: overrides, deadlines, expiry outcomes, navigation, what the browser
receives (never right answers), response conversion, review visibility per item, overall feedback."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from elearn.quizzes import quiz_rules as rules
from elearn.quizzes.attempts import Override
from elearn.quizzes.grading import mark
from elearn.quizzes.questions import Answer, QType, Question, Subquestion

T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def mc(single=True) -> Question:
    return Question(QType.MULTICHOICE, "mc", "Chọn", single=single,
                    answers=[Answer("Đúng", 1.0 if single else 0.5, "fb-right"),
                             Answer("Sai", 0.0 if single else -1.0, "fb-wrong"),
                             Answer("Cũng đúng" if not single else "Sai 2", 0.0 if single else 0.5)])


def matching() -> Question:
    return Question(QType.MATCHING, "m", "Ghép", subquestions=[Subquestion("Tỉnh", "UBND tỉnh"),
                                                               Subquestion("Xã", "UBND xã"),
                                                               Subquestion("", "Quốc hội")])


# ---- effective settings and deadlines -----------------------------------------------------------------------------

def test_override_replaces_dates_and_adds_extra_time():
    base = rules.Timing(open_at=T0, close_at=T0 + timedelta(hours=2), time_limit=3600, attempts_allowed=1)
    eff = rules.effective(base, Override(close_at=T0 + timedelta(hours=5), extra_seconds=900, attempts_allowed=2))
    assert eff.open_at == T0 and eff.close_at == T0 + timedelta(hours=5)
    assert eff.time_limit == 3600 and eff.extra_seconds == 900 and eff.attempts_allowed == 2
    due, grace = rules.attempt_times(eff, T0)
    assert due == T0 + timedelta(seconds=4500) and grace is None


def test_no_override_keeps_quiz_settings():
    base = rules.Timing(time_limit=600)
    assert rules.effective(base, None) is base


def test_deadline_is_capped_by_close_time_and_grace_added():
    timing = rules.Timing(close_at=T0 + timedelta(minutes=30), time_limit=3600, expiry_rule="grace", grace_seconds=300)
    due, grace = rules.attempt_times(timing, T0)
    assert due == T0 + timedelta(minutes=30)
    assert grace == due + timedelta(seconds=300)


def test_no_limit_no_close_never_expires():
    assert rules.attempt_times(rules.Timing(), T0) == (None, None)


def test_settings_problems():
    assert rules.timing_problems(rules.Timing(open_at=T0, close_at=T0))
    assert rules.timing_problems(rules.Timing(time_limit=-1))
    assert rules.timing_problems(rules.Timing(expiry_rule="grace", grace_seconds=0))
    assert rules.timing_problems(rules.Timing(attempts_allowed=-1))
    assert not rules.timing_problems(rules.Timing(open_at=T0, close_at=T0 + timedelta(hours=1), time_limit=60))


# ---- expiry -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "offset", "expected"), [
    ("autosubmit", -1, rules.Outcome.KEEP),
    ("autosubmit", 0, rules.Outcome.FINISH),  # the deadline itself is too late
    ("grace", 0, rules.Outcome.OVERDUE),
    ("grace", 299, rules.Outcome.OVERDUE),
    ("grace", 300, rules.Outcome.ABANDON),
    ("not_counted", 0, rules.Outcome.ABANDON),
    ("not_counted", -1, rules.Outcome.KEEP),
])
def test_sweep_outcome(rule, offset, expected):
    due = T0 + timedelta(minutes=10)
    grace = due + timedelta(seconds=300) if rule == "grace" else None
    assert rules.sweep_outcome(due + timedelta(seconds=offset), due, rule, grace) == expected


def test_no_deadline_keeps():
    assert rules.sweep_outcome(T0 + timedelta(days=900), None, "autosubmit", None) == rules.Outcome.KEEP


# ---- building attempts --------------------------------------------------------------------------------------------

def test_plan_keeps_fixed_and_draws_distinct_questions():
    slots = [rules.SlotPlan(2.0, question_id=1), rules.SlotPlan(1.0, pool="A", count=2),
             rules.SlotPlan(1.0, pool="A", count=1)]
    plan = rules.plan_attempt(slots, {"A": [1, 2, 3, 4]}, random.Random(7), shuffle_questions=False)
    ids = [p.question_id for p in plan]
    assert ids[0] == 1 and len(set(ids)) == 4 and sorted(ids) == [1, 2, 3, 4]
    assert plan[0].mark == 2.0


def test_plan_is_reproducible_and_shuffles():
    slots = [rules.SlotPlan(1.0, question_id=i) for i in range(1, 21)]
    a = rules.plan_attempt(slots, {}, random.Random(3), True)
    b = rules.plan_attempt(slots, {}, random.Random(3), True)
    assert a == b and [p.question_id for p in a] != list(range(1, 21))


def test_plan_refuses_short_pool():
    with pytest.raises(ValueError):
        rules.plan_attempt([rules.SlotPlan(1.0, pool="A", count=3)], {"A": [1, 2]}, random.Random(1), False)


def test_paginate():
    assert rules.paginate(5, 2) == [0, 0, 1, 1, 2]
    assert rules.paginate(3, 0) == [0, 0, 0]


def test_choice_order_unshuffled_when_disabled():
    assert rules.choice_order(mc(), random.Random(1), shuffle_answers=False) == [0, 1, 2]
    assert sorted(rules.choice_order(mc(), random.Random(1), shuffle_answers=True)) == [0, 1, 2]
    assert set(rules.choice_order(matching(), random.Random(1), True)) == {"UBND tỉnh", "UBND xã", "Quốc hội"}


# ---- navigation ---------------------------------------------------------------------------------------------------

def test_free_navigation_any_page():
    assert rules.page_access("free", 0, 4, 5) and rules.page_access("free", 3, 0, 5)
    assert not rules.page_access("free", 0, 5, 5) and not rules.page_access("free", 0, -1, 5)
    assert rules.save_allowed("free", 0, 3)


def test_sequential_navigation_only_current_and_next():
    assert rules.page_access("sequential", 1, 1, 5) and rules.page_access("sequential", 1, 2, 5)
    assert not rules.page_access("sequential", 1, 0, 5)  # no going back
    assert not rules.page_access("sequential", 1, 3, 5)  # no skipping ahead
    assert rules.save_allowed("sequential", 1, 1)
    assert not rules.save_allowed("sequential", 1, 2) and not rules.save_allowed("sequential", 1, 0)


# ---- what the browser gets and sends ------------------------------------------------------------------------------

def test_learner_question_holds_no_right_answer():
    q = mc()
    order = [2, 0, 1]
    data = rules.learner_question(q, order)
    assert data["choices"] == ["Sai 2", "Đúng", "Sai"]
    flat = repr(data)
    assert "fraction" not in flat and "fb-right" not in flat and "1.0" not in flat
    m = rules.learner_question(matching(), ["UBND xã", "Quốc hội", "UBND tỉnh"])
    assert [s["text"] for s in m["stems"]] == ["Tỉnh", "Xã"]  # the distractor is not a stem
    assert m["choices"] == ["UBND xã", "Quốc hội", "UBND tỉnh"]  # shuffled: the pairing is not given away


def test_multichoice_positions_map_to_authored_indexes():
    q = mc()
    order = [2, 0, 1]
    assert rules.to_stored(q, order, 1) == 0  # the second shown choice is authored answer 0
    assert mark(q, rules.to_stored(q, order, 1)).fraction == 1.0
    assert rules.to_client(q, order, 0) == 1
    multi = mc(single=False)
    stored = rules.to_stored(multi, order, [0, 1])
    assert stored == [0, 2] and mark(multi, stored).fraction == 1.0
    assert rules.to_client(multi, order, [0, 2]) == [0, 1]


@pytest.mark.parametrize("value", [5, -1, "x", True, [0, 1], {"a": 1}, 1.5])
def test_bad_multichoice_responses_are_refused(value):
    with pytest.raises(rules.ResponseRefused):
        rules.to_stored(mc(), [0, 1, 2], value)


def test_other_types_validated():
    tf = Question(QType.TRUEFALSE, "t", "?", answers=[Answer("true", 1.0), Answer("false", 0.0)])
    assert rules.to_stored(tf, [], True) is True
    with pytest.raises(rules.ResponseRefused):
        rules.to_stored(tf, [], "maybe")
    sa = Question(QType.SHORTANSWER, "s", "?", answers=[Answer("UBND", 1.0)])
    assert rules.to_stored(sa, [], "ubnd") == "ubnd"
    assert rules.to_stored(Question(QType.NUMERICAL, "n", "?"), [], 5) == "5"
    with pytest.raises(rules.ResponseRefused):
        rules.to_stored(sa, [], {"x": 1})
    with pytest.raises(rules.ResponseRefused):
        rules.to_stored(sa, [], "a" * (rules.MAX_RESPONSE_CHARS + 1))
    assert rules.to_stored(matching(), [], {"0": "UBND tỉnh", "1": ""}) == {"0": "UBND tỉnh"}
    with pytest.raises(rules.ResponseRefused):
        rules.to_stored(matching(), [], {"2": "Quốc hội"})  # a distractor is not a stem
    with pytest.raises(rules.ResponseRefused):
        rules.to_stored(matching(), [], {"0": "Bộ Chính trị"})
    assert rules.to_stored(Question(QType.DESCRIPTION, "d", "x"), [], "anything") is None
    assert rules.to_stored(mc(), [0, 1, 2], None) is None


# ---- review -------------------------------------------------------------------------------------------------------

def test_review_shows_only_granted_things():
    q = mc()
    order = [0, 1, 2]
    m = mark(q, 1)
    nothing = rules.review_question(q, order, m, 0.0, 1.0, frozenset())
    assert nothing.state is None and nothing.right_answer is None and nothing.score is None
    only_attempt = rules.review_question(q, order, m, 0.0, 1.0, frozenset({"attempt"}))
    assert only_attempt.state is None and only_attempt.feedback == [] and only_attempt.right_answer is None
    full = rules.review_question(q, order, m, 0.0, 1.0, frozenset({"attempt", "correctness", "marks",
                                                                    "specific_feedback", "right_answer"}))
    assert full.state == "wrong" and full.score == 0.0 and full.feedback == ["fb-wrong"] and full.right_answer == 0


def test_right_answers_per_type():
    assert rules.right_answer(mc(), [2, 1, 0]) == 2
    assert rules.right_answer(mc(single=False), [2, 1, 0]) == [0, 2]
    tf = Question(QType.TRUEFALSE, "t", "?", answers=[Answer("true", 0.0), Answer("false", 1.0)])
    assert rules.right_answer(tf, []) is False
    num = Question(QType.NUMERICAL, "n", "?", answers=[Answer("5", 1.0, tolerance=0.5)])
    assert rules.right_answer(num, []) == "5 ± 0.5"
    assert rules.right_answer(matching(), []) == {"0": "UBND tỉnh", "1": "UBND xã"}


def test_overall_feedback_bands():
    bands = [{"min": 0, "text": "Cần cố gắng"}, {"min": 8, "text": "Giỏi"}, {"min": 5, "text": "Đạt"}]
    assert rules.overall_feedback(bands, 9) == "Giỏi"
    assert rules.overall_feedback(bands, 5) == "Đạt"
    assert rules.overall_feedback(bands, 4.9) == "Cần cố gắng"
    assert rules.overall_feedback(bands, None) == ""
