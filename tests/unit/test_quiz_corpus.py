"""The importers over the external corpus of real Moodle question files (../shared/corpora/moodle-questions).

The corpus is not part of this repository (GPL test data from Moodle); the tests skip when it is absent, even in CI.
The expected facts are those its README lists, plus counts read from the files themselves.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from elearn.quizzes import formats
from elearn.quizzes.formats import aiken, common, gift
from elearn.quizzes.questions import QType, TextFormat

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpora" / "moodle-questions"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"external question corpus not found at {CORPUS}")

# file -> (format, number of questions imported, lines of the problems that skip a question, lines of warnings)
EXPECTED = {
    "gift/questions.gift.txt": ("gift", 9, [], [31, 43]),
    "gift/questions_in_category.gift.txt": ("gift", 4, [], []),
    "gift/examples.txt": ("gift", 43, [], []),
    "aiken/questions.aiken.txt": ("aiken", 2, [], []),
    "aiken/aiken_errors.txt": ("aiken", 2, [1, 5, 7, 14], [19, 20]),
    "xml/nested_categories_with_questions.xml": ("moodlexml", 5, [], []),
}


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")


def load(name: str):
    data = (CORPUS / name).read_bytes()
    return formats.parse(data, formats.detect_format(name, data))


def by_name(result, name: str):
    (question,) = [q for q in result.questions if q.name == name]
    return question


def test_the_corpus_holds_the_files_its_readme_describes():
    assert set(EXPECTED) <= set(corpus_files())


@pytest.mark.parametrize("name", corpus_files() or ["(none)"])
def test_every_corpus_file_imports_as_expected(name):
    data = (CORPUS / name).read_bytes()
    result = formats.parse(data, formats.detect_format(name, data))
    assert all(q.line for q in result.questions)
    if name in EXPECTED:
        fmt, count, errors, warnings = EXPECTED[name]
        assert formats.detect_format(name, data) == fmt
        assert len(result.questions) == count
        assert [p.line for p in result.problems if not p.warning] == errors
        assert [p.line for p in result.problems if p.warning] == warnings


@pytest.mark.parametrize("name", corpus_files() or ["(none)"])
@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_every_corpus_question_survives_export_and_reimport(name, fmt):
    questions = load(name).questions
    again = formats.parse(formats.export(questions, fmt).encode(), fmt)
    assert again.problems == []
    assert [q.to_json() for q in again.questions] == [q.to_json() for q in questions]


# --- the facts of the README ---------------------------------------------------------------------------------------


def test_gift_numerical_with_tolerance_and_a_catch_all():
    q5 = by_name(load("gift/questions.gift.txt"), "Q5")
    assert q5.type == QType.NUMERICAL
    assert [(a.text, a.tolerance, a.fraction, a.feedback) for a in q5.answers] == [
        ("3", 2.0, 1.0, ""), ("*", 0.0, 0.0, "Completely wrong")]


def test_gift_multiple_response_with_negative_weights():
    colours = by_name(load("gift/questions.gift.txt"), "colours")
    assert colours.type == QType.MULTICHOICE and colours.single is False
    assert [a.fraction for a in colours.answers] == [0.5, -1, 0.5, -1]


def test_gift_truefalse_with_both_feedbacks_and_general_feedback():
    q1 = by_name(load("gift/questions.gift.txt"), "Q1")
    assert q1.type == QType.TRUEFALSE
    assert [(a.text, a.fraction) for a in q1.answers] == [("true", 0.0), ("false", 1.0)]  # the right answer is false
    assert q1.answers[0].feedback == "42 is the Ultimate Answer."  # shown to who answers true
    assert q1.answers[1].feedback == "You gave the right answer."
    assert q1.general_feedback == "This is, of course, a Hitchiker's Guide to the Galaxy reference."


def test_gift_matching_with_four_pairs_and_a_distractor():
    for name in ("gift/questions.gift.txt", "gift/questions_in_category.gift.txt"):
        activities = by_name(load(name), "Moodle activities")
        assert activities.type == QType.MATCHING and activities.text_format == TextFormat.HTML
        pairs = [(s.text != "", s.answer) for s in activities.subquestions]
        assert pairs == [(True, "Forum"), (True, "Choice"), (True, "Database"), (True, "Wiki"), (False, "Chat")]


def test_gift_other_questions_of_the_main_file():
    result = load("gift/questions.gift.txt")
    assert [q.type for q in result.questions] == [
        QType.ESSAY, QType.MATCHING, QType.MULTICHOICE, QType.MULTICHOICE, QType.NUMERICAL, QType.SHORTANSWER,
        QType.TRUEFALSE, QType.TRUEFALSE, QType.TRUEFALSE]
    q2 = by_name(result, "Q2")
    assert q2.single and [(a.fraction, a.feedback) for a in q2.answers][0] == (1.0, "right; good!")
    short = by_name(result, "Shortanswer")
    assert [(a.text, a.fraction) for a in short.answers] == [("Frog", 1.0), ("Cat", 0.5), ("*", 0.0)]
    assert [a.fraction for q in result.questions if q.name == "2-08 TSL" for a in q.answers] == [1, 0, 1, 0]
    assert all(p.message == gift.TRAILING_TEXT and p.params == {"text": '";'} for p in result.problems)


def test_gift_categories_escapes_in_html_and_empty_feedback():
    result = load("gift/questions_in_category.gift.txt")
    assert {q.category for q in result.questions} == {"$course$/Default for New Features"}
    greeting = by_name(result, "Greeting")
    assert greeting.text.startswith('<a href="http://demo.moodle.net/') and "greeting:</a>" in greeting.text
    user = by_name(result, "Moodle user")
    assert (user.type, [(a.text, a.fraction, a.feedback) for a in user.answers]) == (
        QType.SHORTANSWER, [("Moodler", 1.0, "")])
    assert "font-style: italic;" in by_name(result, "Moodle acronym").text


def test_gift_syntax_tour():
    result = load("gift/examples.txt")
    counts = {t: sum(1 for q in result.questions if q.type == t) for t in QType}
    assert counts == {QType.MULTICHOICE: 18, QType.TRUEFALSE: 5, QType.SHORTANSWER: 9, QType.NUMERICAL: 8,
                      QType.MATCHING: 3, QType.ESSAY: 0, QType.DESCRIPTION: 0}
    blanks = [q for q in result.questions if "_____" in q.text]
    assert len(blanks) == 11  # missing-word questions, the blank where the answer block was
    ranges = [a for q in result.questions if q.type == QType.NUMERICAL for a in q.answers if a.text == "3.1415"]
    assert [round(a.tolerance, 10) for a in ranges] == [0.0005, 0.0005]  # "3.1415:0.0005" and "3.141..3.142"
    partial = [[a.fraction for a in q.answers] for q in result.questions
               if q.type == QType.NUMERICAL and len(q.answers) == 2]
    assert partial == [[1.0, 0.5], [1.0, 0.5]]
    control = by_name(result, "GIFT Control Characters")
    assert [a.text for a in control.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answers[-1].fraction == 1 and control.answers[-1].feedback.count("\n") == 3
    no_spaces = [q for q in result.questions if q.type == QType.MATCHING][-1]
    assert [(s.text, s.answer) for s in no_spaces.subquestions] == [("Canada", "Ottawa"), ("Italy", "Rome"),
                                                                   ("Japan", "Tokyo")]


def test_aiken_questions_keep_html_characters_as_text():
    result = load("aiken/questions.aiken.txt")
    started, abilities = result.questions
    assert [a.fraction for a in started.answers] == [0, 1, 0, 0]
    assert '<html class="cool"> & images:' in abilities.text and abilities.text_format == TextFormat.PLAIN


def test_aiken_errors_keep_the_two_good_questions_and_report_each_bad_one():
    result = load("aiken/aiken_errors.txt")
    assert [q.name for q in result.questions] == ["A good question", "A second good question"]
    assert [(a.text, a.fraction) for a in result.questions[1].answers] == [
        ("Incorrect (No space)", 0.0), ("Correct (No space)", 1.0)]
    assert [(p.line, p.message) for p in result.problems if not p.warning] == [
        (1, common.FEW_CHOICES), (5, aiken.CHOICE_WITHOUT_QUESTION), (7, aiken.ANSWER_WITHOUT_QUESTION),
        (14, aiken.NO_ANSWER_LINE)]
    assert [(p.line, p.message) for p in result.problems if p.warning] == [(19, aiken.NO_SPACE), (20, aiken.NO_SPACE)]


def test_moodlexml_nested_categories():
    result = load("xml/nested_categories_with_questions.xml")
    assert [(q.name, q.type, q.category) for q in result.questions] == [
        ("Iota Question", QType.TRUEFALSE, "$course$/Iota"),
        ("Kappa Essay Question", QType.ESSAY, "$course$/Iota/Kappa"),
        ("Kappa Question", QType.TRUEFALSE, "$course$/Iota/Kappa"),
        ("Lambda Question", QType.TRUEFALSE, "$course$/Iota/Kappa/Lambda"),
        ("Mu Question", QType.TRUEFALSE, "$course$/Iota/Mu"),
    ]
    iota = result.questions[0]
    assert (iota.text, iota.text_format) == ("<p>Testing Iota Question</p>", TextFormat.HTML)
    assert [(a.text, a.fraction) for a in iota.answers] == [("true", 1.0), ("false", 0.0)]
