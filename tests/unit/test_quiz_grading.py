"""Marking one response (quizzes/grading.py): every question type, partial and negative credit, clamping."""
from __future__ import annotations

import pytest

from elearn.quizzes.domain import (
    Answer,
    Mark,
    MarkState,
    QType,
    Question,
    Subquestion,
    grade_manually,
    mark,
    parse_number,
    response_problem,
    score,
)


def q(qtype: QType, answers=(), **kw) -> Question:
    return Question(type=qtype, name="q", text="?", answers=list(answers), **kw)


def single() -> Question:
    return q(QType.MULTICHOICE, [
        Answer("Đại hội XIV", 1.0, "Đúng."),
        Answer("Đại hội XIII", 0.0, "Đó là kỳ trước."),
        Answer("Đại hội XII", -0.5, "Sai, bị trừ điểm."),
        Answer("Gần đúng", 0.5, "Gần đúng."),
    ])


def multiple() -> Question:
    # two right answers worth half each, two wrong ones costing half each
    return q(QType.MULTICHOICE, [
        Answer("A", 0.5, "fa"), Answer("B", 0.5, "fb"), Answer("C", -0.5, "fc"), Answer("D", -0.5, "fd"),
    ], single=False)


# ---- multiple choice ------------------------------------------------------------------------------

@pytest.mark.parametrize("response, fraction, state, feedback", [
    (0, 1.0, MarkState.CORRECT, ["Đúng."]),
    ([0], 1.0, MarkState.CORRECT, ["Đúng."]),
    ("0", 1.0, MarkState.CORRECT, ["Đúng."]),           # a form field arrives as text
    (1, 0.0, MarkState.WRONG, ["Đó là kỳ trước."]),
    (3, 0.5, MarkState.PARTIAL, ["Gần đúng."]),
    (2, 0.0, MarkState.WRONG, ["Sai, bị trừ điểm."]),  # -0.5 is clamped to 0
])
def test_single_choice(response, fraction, state, feedback):
    result = mark(single(), response)
    assert (result.fraction, result.state, result.feedback) == (fraction, state, feedback)


def test_single_choice_with_two_answers_earns_nothing_and_is_refused_before_saving():
    assert mark(single(), [0, 3]).fraction == 0.0
    assert mark(single(), [0, 3]).state == MarkState.WRONG
    assert response_problem(single(), [0, 3]).msgid == "Choose only one answer."
    assert response_problem(single(), [0, 0]) is None  # the same answer twice is still one answer


@pytest.mark.parametrize("response, fraction, state", [
    ([0, 1], 1.0, MarkState.CORRECT),
    ([0], 0.5, MarkState.PARTIAL),
    ([0, 1, 2], 0.5, MarkState.PARTIAL),      # a wrong choice costs half
    ([0, 2], 0.0, MarkState.WRONG),           # 0.5 - 0.5
    ([2, 3], 0.0, MarkState.WRONG),           # -1.0 clamped to 0
    ([0, 1, 2, 3], 0.0, MarkState.WRONG),     # ticking everything does not pay
    ([0, 0, 0], 0.5, MarkState.PARTIAL),      # a repeated index counts once
    ([1, 0], 1.0, MarkState.CORRECT),
])
def test_multiple_choice_partial_and_negative_credit(response, fraction, state):
    result = mark(multiple(), response)
    assert result.fraction == pytest.approx(fraction)
    assert result.state == state


def test_multiple_choice_feedback_of_every_chosen_answer_in_answer_order():
    assert mark(multiple(), [2, 0]).feedback == ["fa", "fc"]


def test_multiple_choice_total_above_one_is_clamped():
    generous = q(QType.MULTICHOICE, [Answer("A", 1.0), Answer("B", 1.0)], single=False)
    assert mark(generous, [0, 1]).fraction == 1.0


def test_thirds_add_up_to_full_marks():
    thirds = q(QType.MULTICHOICE, [Answer(x, 0.3333333) for x in "ABC"] + [Answer("D", -1)], single=False)
    result = mark(thirds, [0, 1, 2])
    assert (result.fraction, result.state) == (1.0, MarkState.CORRECT)


@pytest.mark.parametrize("response", [None, [], "", "   "])
def test_multiple_choice_not_answered(response):
    assert mark(multiple(), response) == Mark(0.0, MarkState.NOT_ANSWERED)


def test_multichoice_out_of_range_indexes_are_ignored_and_refused_before_saving():
    assert mark(multiple(), [0, 9]).fraction == 0.5
    assert mark(multiple(), [9]).state == MarkState.NOT_ANSWERED
    assert mark(multiple(), [-1]).state == MarkState.NOT_ANSWERED
    for bad in ([9], [-1], ["x"], [True], {"a": 1}, ["²"], "١"):
        assert response_problem(multiple(), bad).msgid == "This answer is not one of the choices."
    assert response_problem(multiple(), [0, 1]) is None
    assert response_problem(multiple(), []) is None


# ---- true / false ---------------------------------------------------------------------------------

def truefalse(right: bool = False) -> Question:
    # Moodle's shape (corpus Q1: the right answer is false)
    return q(QType.TRUEFALSE, [Answer("true", 1.0 if right else 0.0, "42 is the Ultimate Answer."),
                               Answer("false", 0.0 if right else 1.0, "You gave the right answer.")])


@pytest.mark.parametrize("response, fraction, state, feedback", [
    (False, 1.0, MarkState.CORRECT, ["You gave the right answer."]),
    (True, 0.0, MarkState.WRONG, ["42 is the Ultimate Answer."]),
    ("false", 1.0, MarkState.CORRECT, ["You gave the right answer."]),
    ("1", 0.0, MarkState.WRONG, ["42 is the Ultimate Answer."]),
    (None, 0.0, MarkState.NOT_ANSWERED, []),
    ("", 0.0, MarkState.NOT_ANSWERED, []),
])
def test_truefalse(response, fraction, state, feedback):
    result = mark(truefalse(), response)
    assert (result.fraction, result.state, result.feedback) == (fraction, state, feedback)


def test_truefalse_answers_recognised_by_position_when_not_named_true_false():
    vietnamese = q(QType.TRUEFALSE, [Answer("Đúng", 1.0), Answer("Sai", 0.0)])
    assert mark(vietnamese, True).state == MarkState.CORRECT
    assert mark(vietnamese, False).state == MarkState.WRONG


def test_truefalse_refuses_other_values():
    assert response_problem(truefalse(), "maybe").msgid == "Answer true or false."
    assert response_problem(truefalse(), True) is None


# ---- short answer ---------------------------------------------------------------------------------

def short(*answers: tuple[str, float], **kw) -> Question:
    return q(QType.SHORTANSWER, [Answer(text, fraction, f"fb:{text}") for text, fraction in answers], **kw)


@pytest.mark.parametrize("response, fraction", [
    ("Hồ Chí Minh", 1.0),
    ("hồ chí minh", 1.0),            # case-insensitive by default
    ("  Hồ   Chí  Minh ", 1.0),      # trimmed, spaces collapsed
    ("Ho Chi Minh", 0.0),            # diacritics matter unless ignored
    ("Hồ Chí", 0.0),                 # the whole text must match
])
def test_shortanswer_case_and_spaces(response, fraction):
    assert mark(short(("Hồ Chí Minh", 1.0)), response).fraction == fraction


def test_shortanswer_decomposed_unicode_matches_composed():
    # some phone keyboards send Vietnamese as base letters plus combining marks (NFD)
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Nghị quyết")
    assert nfd != "Nghị quyết"
    assert mark(short(("Nghị quyết", 1.0)), nfd).fraction == 1.0


def test_shortanswer_case_sensitive():
    question = short(("Đảng", 1.0), case_sensitive=True)
    assert mark(question, "Đảng").fraction == 1.0
    assert mark(question, "đảng").fraction == 0.0


def test_shortanswer_ignore_diacritics():
    question = short(("Nghị quyết", 1.0), ignore_diacritics=True)
    for typed in ("nghi quyet", "NGHI QUYET", "Nghị quyết", "nghị quyet"):
        assert mark(question, typed).fraction == 1.0, typed
    assert mark(question, "nghi dinh").fraction == 0.0
    assert mark(short(("Đồng", 1.0), ignore_diacritics=True), "dong").fraction == 1.0  # đ -> d


def test_shortanswer_ignore_diacritics_but_case_sensitive():
    question = short(("Đà Nẵng", 1.0), ignore_diacritics=True, case_sensitive=True)
    assert mark(question, "Da Nang").fraction == 1.0
    assert mark(question, "da nang").fraction == 0.0


@pytest.mark.parametrize("pattern, response, matches", [
    ("Nghị quyết *", "Nghị quyết 57-NQ/TW", True),
    ("Nghị quyết *", "Nghị quyết ", False),        # trimmed to "Nghị quyết", the pattern needs the space
    ("*57*", "Nghị quyết 57-NQ/TW", True),
    ("*57*", "Nghị quyết 18", False),
    ("a*c", "abbbc", True),
    ("a*c", "ac", True),
    ("a.c", "abc", False),                          # regex characters are literal
    ("5\\*3", "5*3", True),                         # \* is a literal star
    ("5\\*3", "553", False),
])
def test_shortanswer_wildcards(pattern, response, matches):
    assert (mark(short((pattern, 1.0)), response).fraction == 1.0) is matches


def test_many_stars_against_a_long_response_do_not_backtrack_for_ever():
    import time

    pattern = "*a" * 30 + "*b"
    started = time.perf_counter()
    assert mark(short((pattern, 1.0)), "a" * 100_000).fraction == 0.0
    assert mark(short((pattern, 1.0)), "a" * 100_000 + "b").fraction == 1.0
    assert time.perf_counter() - started < 1.0


def test_shortanswer_first_matching_answer_wins_in_order():
    question = short(("Hà Nội", 1.0), ("Hà*", 0.5), ("*", 0.0))
    assert mark(question, "Hà Nội").feedback == ["fb:Hà Nội"]
    result = mark(question, "Hà Tĩnh")
    assert (result.fraction, result.state, result.feedback) == (0.5, MarkState.PARTIAL, ["fb:Hà*"])
    result = mark(question, "Huế")
    assert (result.fraction, result.state, result.feedback) == (0.0, MarkState.WRONG, ["fb:*"])


def test_shortanswer_no_match_and_empty():
    assert mark(short(("A", 1.0)), "B") == Mark(0.0, MarkState.WRONG)
    assert mark(short(("A", 1.0)), "   ").state == MarkState.NOT_ANSWERED


def test_shortanswer_number_sent_as_json_number():
    assert mark(short(("2030", 1.0)), 2030).fraction == 1.0


# ---- numerical ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("3.5", 3.5), ("3,5", 3.5), (" -2 ", -2.0), ("+1e3", 1000.0), ("1 234,5", 1234.5), ("1.234,5", 1234.5),
    ("1,234.5", 1234.5), ("\u22124", -4.0), (".5", 0.5), ("7", 7.0), (7, 7.0), (2.5, 2.5),
    ("1\u00a0000", 1000.0), ("1.234.567", 1234567.0), ("1,234,567", 1234567.0), ("-1.000.000", -1e6),
    ("1,234.567.890", None), ("1.23.456", None), ("١٢", None),
    ("abc", None), ("", None), ("3,5,1", None), ("nan", None), ("inf", None), ("1e999", None), (True, None),
    ("3 5x", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def numerical() -> Question:
    # corpus Q5: {#3:2~#Completely wrong}, plus a partial-credit band
    return q(QType.NUMERICAL, [
        Answer("3", 1.0, "Right", tolerance=2),
        Answer("10", 0.5, "Close enough", tolerance=0.5),
        Answer("*", 0.0, "Completely wrong"),
    ])


@pytest.mark.parametrize("response, fraction, feedback", [
    ("3", 1.0, ["Right"]),
    ("1", 1.0, ["Right"]),           # exactly at the tolerance's edge
    ("5", 1.0, ["Right"]),
    ("5,0", 1.0, ["Right"]),
    ("5.0001", 0.0, ["Completely wrong"]),
    ("0,99", 0.0, ["Completely wrong"]),
    ("10,5", 0.5, ["Close enough"]),
    ("9.4", 0.0, ["Completely wrong"]),
    ("-3", 0.0, ["Completely wrong"]),
])
def test_numerical_tolerance_partial_credit_and_catch_all(response, fraction, feedback):
    result = mark(numerical(), response)
    assert (result.fraction, result.feedback) == (fraction, feedback)


def test_numerical_range_stored_as_mid_plus_minus_half():
    # GIFT {#1..5} is stored as 3 ± 2; a float edge like 0.1 + 0.2 still counts
    ranged = q(QType.NUMERICAL, [Answer("3", 1.0, tolerance=2)])
    assert mark(ranged, "1").fraction == 1.0
    assert mark(ranged, "5").fraction == 1.0
    assert mark(ranged, "5.01").state == MarkState.WRONG
    tiny = q(QType.NUMERICAL, [Answer("0.3", 1.0, tolerance=0.0)])
    assert mark(tiny, 0.1 + 0.2).fraction == 1.0


def test_numerical_answer_written_with_a_decimal_comma():
    assert mark(q(QType.NUMERICAL, [Answer("2,5", 1.0)]), "2.5").fraction == 1.0


def test_numerical_non_numeric_input_is_wrong_with_a_clear_notice():
    result = mark(numerical(), "ba phẩy năm")
    assert (result.fraction, result.state) == (0.0, MarkState.WRONG)
    assert result.feedback == []  # the catch-all does not apply to a non-number
    assert result.notice.msgid.startswith('"%(value)s" is not a number')
    assert "ba phẩy năm" in result.notice.render()


def test_numerical_empty_is_not_answered():
    assert mark(numerical(), " ").state == MarkState.NOT_ANSWERED


def test_numerical_without_catch_all():
    assert mark(q(QType.NUMERICAL, [Answer("42", 1.0)]), "41") == Mark(0.0, MarkState.WRONG)


# ---- matching -------------------------------------------------------------------------------------

def matching() -> Question:
    # corpus "Moodle activities": four pairs and one distractor, "Chat"
    return Question(type=QType.MATCHING, name="m", text="?", subquestions=[
        Subquestion("An activity supporting asynchronous discussions.", "Forum"),
        Subquestion("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
        Subquestion("A bank of record entries which participants can add to.", "Database"),
        Subquestion("A collection of web pages that anyone can add to or edit.", "Wiki"),
        Subquestion("", "Chat"),
    ])


@pytest.mark.parametrize("response, fraction, state", [
    ({0: "Forum", 1: "Choice", 2: "Database", 3: "Wiki"}, 1.0, MarkState.CORRECT),
    ({0: "Forum", 1: "Choice", 2: "Chat", 3: "Wiki"}, 0.75, MarkState.PARTIAL),
    ({"0": "Forum", "1": "Wiki"}, 0.25, MarkState.PARTIAL),      # JSON keys are strings; unanswered pairs are wrong
    ({0: "Chat", 1: "Chat", 2: "Chat", 3: "Chat"}, 0.0, MarkState.WRONG),
    ({0: " Forum "}, 0.25, MarkState.PARTIAL),
    ({}, 0.0, MarkState.NOT_ANSWERED),
    ({0: "", 1: None}, 0.0, MarkState.NOT_ANSWERED),
    ({4: "Chat"}, 0.0, MarkState.NOT_ANSWERED),                 # the distractor is not a pair
])
def test_matching(response, fraction, state):
    result = mark(matching(), response)
    assert result.fraction == pytest.approx(fraction)
    assert result.state == state


def test_matching_refuses_unknown_pairs_and_choices():
    assert response_problem(matching(), {0: "Forum"}) is None
    assert response_problem(matching(), {0: "Chat"}) is None
    for bad in ({4: "Chat"}, {9: "Forum"}, {0: "Lesson"}, ["Forum"], {0: 5}):
        assert response_problem(matching(), bad).msgid == "This answer is not one of the choices.", bad


# ---- essay, description ---------------------------------------------------------------------------

def test_essay_waits_for_a_lecturer():
    essay = q(QType.ESSAY)
    result = mark(essay, "<p>Chuyển đổi số ở xã tôi bắt đầu từ...</p>")
    assert (result.fraction, result.state) == (None, MarkState.NEEDS_GRADING)
    assert not result.graded
    assert score(result, 10) is None


@pytest.mark.parametrize("empty", [None, "", "  ", "<p><br></p>", "<p>&nbsp;</p>"])
def test_empty_essay_is_not_answered(empty):
    assert mark(q(QType.ESSAY), empty) == Mark(0.0, MarkState.NOT_ANSWERED)


def test_description_has_no_grade():
    description = q(QType.DESCRIPTION)
    for response in (None, "anything"):
        result = mark(description, response)
        assert (result.fraction, result.state) == (None, MarkState.NO_GRADE)
    assert response_problem(description, {"x": 1}) is None


def test_grade_manually():
    assert grade_manually(0.75) == Mark(0.75, MarkState.PARTIAL)
    assert grade_manually(1).state == MarkState.CORRECT
    assert grade_manually(0, ["Cần dẫn chứng."]) == Mark(0.0, MarkState.WRONG, ["Cần dẫn chứng."])
    for bad in (-0.1, 1.01, float("nan")):
        with pytest.raises(ValueError):
            grade_manually(bad)


def test_text_response_of_another_shape_is_refused():
    assert response_problem(q(QType.ESSAY), {"html": "x"}).msgid == "This answer cannot be read."
    assert response_problem(short(("a", 1)), ["a"]).msgid == "This answer cannot be read."
    assert response_problem(numerical(), "abc") is None  # saved; marked wrong with a notice


# ---- score ----------------------------------------------------------------------------------------

def test_score_scales_the_fraction_to_the_mark():
    assert score(Mark(0.5, MarkState.PARTIAL), 3) == 1.5
    assert score(Mark(1 / 3, MarkState.PARTIAL), 3) == 1.0
    assert score(Mark(0.0, MarkState.NOT_ANSWERED), 2) == 0.0
    assert score(Mark(None, MarkState.NO_GRADE), 2) is None


def test_mark_json_round_trip():
    with_notice = mark(numerical(), "x")
    for value in (mark(multiple(), [0, 2]), mark(q(QType.ESSAY), "text"), with_notice):
        assert Mark.from_json(value.to_json()) == value
    assert Mark.from_json(with_notice.to_json()).notice.params == {"value": "x"}
