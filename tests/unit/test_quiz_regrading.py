"""Regrade rules: which new versions can re-mark stored responses, and which grades changed."""
from __future__ import annotations

from elearn.quizzes.questions import Answer, QType, Question, Subquestion
from elearn.quizzes.regrading import GradeChange, grade_changes, version_problem


def mc(*fractions, qtype=QType.MULTICHOICE):
    return Question(qtype, "Câu 1", "Chọn đáp án", answers=[Answer(f"Đáp án {i}", f) for i, f in enumerate(fractions)])


def test_fixing_the_key_text_or_fractions_is_allowed():
    assert version_problem(mc(1, 0, 0), mc(0, 1, 0)) is None
    fixed = mc(1, 0, 0)
    fixed.text = "Chọn đáp án đúng"
    assert version_problem(mc(1, 0, 0), fixed) is None
    short_old = Question(QType.SHORTANSWER, "S", "t", answers=[Answer("UBND", 1)])
    short_new = Question(QType.SHORTANSWER, "S", "t", answers=[Answer("UBND", 1), Answer("Ủy ban*", 1)])
    assert version_problem(short_old, short_new) is None  # more accepted patterns: fine


def test_another_type_or_number_of_answers_or_pairs_is_refused_with_the_name():
    problem = version_problem(mc(1, 0, 0), mc(1, 0), name="Câu 1")
    assert problem is not None and problem.params == {"name": "Câu 1", "old": 3, "new": 2}
    assert "number of answers" in problem.msgid
    assert "type changed" in version_problem(mc(1, 0), mc(1, 0, qtype=QType.TRUEFALSE)).msgid
    m_old = Question(QType.MATCHING, "M", "t", subquestions=[Subquestion("a", "1"), Subquestion("b", "2")])
    m_new = Question(QType.MATCHING, "M", "t", subquestions=[Subquestion("a", "1")])
    assert "pairs" in version_problem(m_old, m_new).msgid


def test_grade_changes_lists_only_real_changes_in_order():
    before = {1: 5.0, 2: 7.0, 3: None, 4: 8.0}
    after = {1: 5.0000001, 2: 6.0, 3: 4.0, 4: 8.0}
    assert grade_changes(before, after, order=[4, 3, 2, 1]) == [GradeChange(3, None, 4.0), GradeChange(2, 7.0, 6.0)]
    assert grade_changes({1: None}, {1: None}) == []
