"""Question files in and out (elearn/quizzes/formats): GIFT, Aiken, Moodle XML, JSON. Pure Python, no database."""
from __future__ import annotations

import functools
import json
import random
import unicodedata

import pytest

from elearn.quizzes import formats
from elearn.quizzes.formats import aiken, common, gift, jsonfmt, moodlexml
from elearn.quizzes.questions import Answer, QType, Question, Subquestion, TextFormat

SPECIALS = "a ~ b = c # d { e } f : g \\ h \\n i // j -> k %50% l [html] m ]]> n"


def gift_one(text: str) -> Question:
    result = formats.parse(text, "gift")
    assert [p for p in result.problems if not p.warning] == [], result.problems
    assert len(result.questions) == 1, result.questions
    return result.questions[0]


def messages(result) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in result.problems]


def canonical(questions: list[Question]) -> list[dict]:
    return [q.to_json() for q in questions]


def every_type() -> list[Question]:
    """One question of each type with the characters that are hardest to write back."""
    return [
        Question(QType.MULTICHOICE, "Nghị quyết {số 18}", "<p>Chọn <b>một</b> đáp án: a = b?</p>", TextFormat.HTML,
                 category="$course$/Chính trị/Nghị quyết", single=True, shuffle_answers=False, tags=["NQ 18", "kho]a"],
                 answers=[Answer("Đúng ~ hoàn toàn", 1.0, "Chính xác #1"), Answer("[html]Sai", 0.0, "Sai: xem lại"),
                          Answer("%50% một nửa", 0.0), Answer("Gần đúng", 0.3333333, "Một phần")],
                 general_feedback="Xem Nghị quyết 18-NQ/TW\nđoạn 2.", default_mark=2.0),
        Question(QType.MULTICHOICE, "colours", "Which {two}?", category="$course$/Chính trị", single=False,
                 answers=[Answer("yellow", 0.5, "right"), Answer("red", -1.0, "wrong"), Answer("off-beige", 0.5),
                          Answer("blue", -1.0)]),
        Question(QType.TRUEFALSE, "TF false", "42 is the answer.", category="$course$/Chính trị",
                 answers=[Answer("true", 0.0, "42 is the Ultimate Answer."), Answer("false", 1.0, "Right # you are")],
                 general_feedback="Hitchhiker's Guide"),
        Question(QType.TRUEFALSE, "TF true", "Hà Nội là thủ đô.", answers=[Answer("true", 1.0), Answer("false", 0.0)]),
        Question(QType.SHORTANSWER, "Short", "Viết tắt của {Ban Chấp hành} Trung ương?", TextFormat.PLAIN,
                 case_sensitive=True, ignore_diacritics=True,
                 answers=[Answer("BCH TW", 1.0, "Đúng"), Answer("BCH*", 0.5, "Gần đúng"), Answer("*", 0.0, "Sai")]),
        Question(QType.NUMERICAL, "Numerical", "What is a number from 1 to 5?", TextFormat.MARKDOWN,
                 answers=[Answer("3", 1.0, "", 2.0), Answer("3.1415", 0.5, "close: good", 0.0005),
                          Answer("-7.5", 0.25, tolerance=0.0), Answer("*", 0.0, "Completely wrong")]),
        Question(QType.MATCHING, "Matching", "Ghép <i>hoạt động</i> với mô tả", TextFormat.HTML,
                 subquestions=[Subquestion("Thảo luận = không đồng bộ", "Forum"), Subquestion("Câu hỏi {lựa chọn}", "Choice"),
                               Subquestion("Trang web ai cũng sửa được", "Wiki: trang"), Subquestion("", "Chat")]),
        Question(QType.ESSAY, "Essay", "Trình bày suy nghĩ của đồng chí.", general_feedback="Chấm theo thang 10.",
                 default_mark=10.0),
        Question(QType.DESCRIPTION, "Description", "Phần II: tự luận\nĐọc kỹ đề.", default_mark=0.0),
        Question(QType.SHORTANSWER, "Specials " + SPECIALS, SPECIALS, category="",
                 answers=[Answer(SPECIALS, 1.0, SPECIALS)], general_feedback=SPECIALS),
    ]


# --- GIFT: types and syntax ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "qtype"), [
    ("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}", QType.MULTICHOICE),
    ("Grant is buried in Grant's tomb.{FALSE}", QType.TRUEFALSE),
    ("Sun rises in the east.{T}", QType.TRUEFALSE),
    ("Sun rises in the east.{TRUE#no#yes}", QType.TRUEFALSE),
    ("Sun rises in the east.{true}", QType.TRUEFALSE),  # case-insensitive, unlike Moodle
    ("Who's buried in Grant's tomb?{=no one =nobody}", QType.SHORTANSWER),
    ("When was Grant born?{#1822:5}", QType.NUMERICAL),
    ("Match.{=Canada->Ottawa =Italy->Rome =Japan->Tokyo}", QType.MATCHING),
    ("How are you? {}", QType.ESSAY),
    ("Just some text to read.", QType.DESCRIPTION),
])
def test_gift_block_decides_the_type(text, qtype):
    assert gift_one(text).type == qtype


def test_gift_name_text_and_default_name():
    q = gift_one("::Q2:: What's between orange and green?{=yellow ~red}")
    assert (q.name, q.text) == ("Q2", "What's between orange and green?")
    unnamed = gift_one("<b>Bold</b> question without a name that is rather long and goes on and on and on and on?{T}")
    assert unnamed.name.startswith("Bold question without") and unnamed.name.endswith("…") and len(unnamed.name) <= 81
    escaped = gift_one("::Name \\: with \\:\\: colons::Text{T}")
    assert escaped.name == "Name : with :: colons"


def test_gift_multichoice_weights_single_and_multiple():
    q = gift_one("Difficult.{~wrong ~%50%half =full}")
    assert q.single and [a.fraction for a in q.answers] == [0, 0.5, 1]
    q = gift_one("::colours:: Which?{~%50%yellow # right ~%-100%red # [html]wrong ~%50%beige ~%-100%[plain]blue # no}")
    assert not q.single
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("yellow", 0.5, "right"), ("red", -1.0, "wrong"), ("beige", 0.5, ""), ("blue", -1.0, "no")]
    third = gift_one("Pick.{~%33.33333%a ~%33.33333%b ~%33.33334%c ~d}")
    assert [a.fraction for a in third.answers] == [0.3333333, 0.3333333, 0.3333334, 0]


def test_gift_per_answer_and_general_feedback_multiline():
    q = gift_one("::Numerical example::\nWhen was Grant born? {#\n     =1822:0      #Correct!\n"
                 "     =%50%1822:2  #He was born in 1822.\n                  You get 50% credit.\n####Born 1822.\n}")
    assert [(a.text, a.fraction, a.tolerance, a.feedback) for a in q.answers] == [
        ("1822", 1.0, 0.0, "Correct!"), ("1822", 0.5, 2.0, "He was born in 1822.\nYou get 50% credit.")]
    assert q.general_feedback == "Born 1822."


def test_gift_truefalse_feedback_goes_to_the_choice_the_learner_made():
    q = gift_one("::Q1:: 42 is the Absolute Answer.{\nFALSE#42 is the Ultimate Answer.#You gave the right answer.\n"
                 "####A Hitchhiker's Guide reference.}")
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("true", 0.0, "42 is the Ultimate Answer."), ("false", 1.0, "You gave the right answer.")]
    assert q.general_feedback == "A Hitchhiker's Guide reference."
    q = gift_one("Sky is blue.{T#Wrong!#Right!}")
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [("true", 1.0, "Right!"), ("false", 0.0, "Wrong!")]


def test_gift_shortanswer_weights_and_wildcard():
    q = gift_one("Best animal?{\n=Frog#Good!\n=%50%Cat#Cats...\n=%0%*#Completely wrong\n}")
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("Frog", 1.0, "Good!"), ("Cat", 0.5, "Cats..."), ("*", 0.0, "Completely wrong")]
    assert not q.case_sensitive


@pytest.mark.parametrize(("block", "expected"), [
    ("{#1822}", [("1822", 1.0, 0.0, "")]),
    ("{#3:2~#Completely wrong}", [("3", 1.0, 2.0, ""), ("*", 0.0, 0.0, "Completely wrong")]),
    ("{#3.141..3.142}", [("3.1415", 1.0, 0.0005, "")]),
    ("{#-5..5}", [("0", 1.0, 5.0, "")]),
    ("{#\n=1822:0\n=%50%1822:2}", [("1822", 1.0, 0.0, ""), ("1822", 0.5, 2.0, "")]),
    ("{#=%100%4#four =%-50%5:0.5#five}", [("4", 1.0, 0.0, "four"), ("5", -0.5, 0.5, "five")]),
])
def test_gift_numerical_tolerances_ranges_and_partial_credit(block, expected):
    q = gift_one("What number?" + block)
    assert [(a.text, a.fraction, pytest.approx(a.tolerance), a.feedback) for a in q.answers] == expected


def test_gift_matching_with_and_without_spaces_and_a_distractor():
    q = gift_one("::Moodle activities::[html]Match the <b>activity</b>.{\n"
                 "    =[html]An activity for discussions. -> Forum\n    =[plain]A bank of <records>. -> Database\n"
                 "    =Capital->Ottawa\n    = -> Chat\n}")
    assert [(s.text, s.answer) for s in q.subquestions] == [
        ("An activity for discussions.", "Forum"), ("A bank of &lt;records&gt;.", "Database"),
        ("Capital", "Ottawa"), ("", "Chat")]
    assert q.text_format == TextFormat.HTML and q.answers == []


def test_gift_missing_word_marks_the_blank():
    assert gift_one("Grant is {~buried =entombed ~living} in Grant's tomb.").text == "Grant is _____ in Grant's tomb."
    assert gift_one("Jesus was from {=Nazareth ~Rome}.").text == "Jesus was from _____."
    assert gift_one('He said "{=hello ~bye}".').text == 'He said "_____".'
    assert gift_one("Two plus two equals {=four =4}.").type == QType.SHORTANSWER


def test_gift_stray_text_after_the_brace_is_a_warning_and_the_question_stays():
    result = formats.parse("// c\n::Q5:: A number?\n{#3:2~#Completely wrong}\";\n\nNext?{T}", "gift")
    assert [q.name for q in result.questions] == ["Q5", "Next?"]
    assert result.questions[0].text == "A number?"
    (warning,) = result.problems
    assert warning.warning and warning.line == 3 and warning.params == {"text": '";'}
    assert warning.message == gift.TRAILING_TEXT


@pytest.mark.parametrize("marker", ["html", "plain", "moodle", "markdown"])
def test_gift_text_formats(marker):
    q = gift_one(f"[{marker}]Some **text**{{T}}")
    assert q.text_format == TextFormat(marker) and q.text == "Some **text**"


def test_gift_default_format_is_moodle_and_plain_answers_are_escaped_in_html():
    assert gift_one("Plain?{T}").text_format == TextFormat.MOODLE
    q = gift_one("[html]<p>Pick</p>{=[plain]a < b ~[html]<b>c</b>}")
    assert [a.text for a in q.answers] == ["a &lt; b", "<b>c</b>"]


def test_gift_escapes_everywhere_including_html():
    q = gift_one('::Greeting::[html]<a href\\="http\\://x.vn/a.mp3">Listen\\:</a> \\{x\\} \\~ \\# \\\\ \\n end{\n'
                 "~ \\= 2 + 2 # \\= no\n= \\= 2 + 3 # \\# yes\n~ \\\\ # back\\\\slash\n}")
    assert q.text == '<a href="http://x.vn/a.mp3">Listen:</a> {x} ~ # \\ \n end'
    assert [(a.text, a.feedback) for a in q.answers] == [("= 2 + 2", "= no"), ("= 2 + 3", "# yes"), ("\\", "back\\slash")]
    assert q.single


def test_gift_categories_switch_for_the_questions_that_follow():
    text = ("$CATEGORY: $course$/Top\n\nA?{T}\n\n// switch\n$CATEGORY: $course$/Top/Sub/Deep\n\nB?{T}\n\n"
            "$CATEGORY: $course$/Other\nC?{F}")
    result = formats.parse(text, "gift")
    assert [(q.text, q.category) for q in result.questions] == [
        ("A?", "$course$/Top"), ("B?", "$course$/Top/Sub/Deep"), ("C?", "$course$/Other")]


def test_gift_comments_blank_lines_and_line_numbers():
    text = ("// header\n// more\n\n// ===Multiple Choice===\nWho?{~Grant\n// inside\n=no one}\n\n\n"
            "::Kanji::Japanese characters originally\ncame from what country? {=China}\n"
            "\nhttp://not-a-comment.vn is a link?{T}")
    result = formats.parse(text, "gift")
    assert [(q.line, q.name) for q in result.questions] == [
        (5, "Who?"), (10, "Kanji"), (13, "http://not-a-comment.vn is a link?")]
    assert result.questions[1].text == "Japanese characters originally\ncame from what country?"
    assert [a.text for a in result.questions[0].answers] == ["Grant", "no one"]


def test_gift_description_and_essay():
    d = gift_one("::Intro::Read the text below.")
    assert (d.type, d.default_mark, d.answers) == (QType.DESCRIPTION, 0.0, [])
    e = gift_one("::Q8:: How are you? {####Any answer is fine.}")
    assert (e.type, e.general_feedback, e.default_mark) == (QType.ESSAY, "Any answer is fine.", 1.0)


def test_gift_tags_and_our_options_in_comment_lines():
    q = gift_one("// [id:abc] [tag:nghị quyết] [tag:a\\]b] [mark:2.5] [shuffle:0]\nPick{=a ~b}")
    assert (q.tags, q.default_mark, q.shuffle_answers) == (["nghị quyết", "a]b"], 2.5, False)
    s = gift_one("// [usecase:1] [ignorediacritics:1]\nWho?{=Nguyễn}")
    assert s.case_sensitive and s.ignore_diacritics


@pytest.mark.parametrize(("text", "line", "message"), [
    ("Line one\nWho? {~a =b", 2, gift.NO_CLOSING_BRACE),
    ("Who? ~a =b}", 1, gift.NO_OPENING_BRACE),
    ("Who? } {=a}", 1, gift.NO_OPENING_BRACE),
    ("Who? {=a ~b}\nand {=c ~d}", 2, gift.TWO_BLOCKS),
    ("Match.{=a -> 1 =b}", 1, gift.PAIR_SHAPE),
    ("Match.{=a -> 1}", 1, common.FEW_PAIRS),
    ("Pick {=}", 1, common.EMPTY_ANSWER),
    ("Pick {~a ~#feedback only =b}", 1, common.EMPTY_ANSWER),
    ("Pick {~only one}", 1, common.FEW_CHOICES),
    ("Pick {~a ~%50%b}", 1, common.POSITIVE_SUM),
    ("Pick {~%150%a ~b}", 1, common.WEIGHT_RANGE),
    ("Pick {=%50%a =%20%b}", 1, common.NO_FULL_ANSWER),
    ("Number {#abc}", 1, common.NOT_A_NUMBER),
    ("Number {#5..1}", 1, gift.BAD_RANGE),
    ("Number {#}", 1, common.NO_ANSWER),
])
def test_gift_bad_questions_are_reported_with_their_line_and_good_ones_kept(text, line, message):
    result = formats.parse(f"Good one?{{T}}\n\n// note\n{text}\n\nAnother good?{{=yes ~no}}", "gift")
    assert [q.text for q in result.questions] == ["Good one?", "Another good?"]
    assert messages(result) == [(line + 3, message)]
    assert result.problems[0].excerpt


# --- Aiken ---------------------------------------------------------------------------------------------------------


def test_aiken_questions_keep_raw_html_as_plain_text():
    result = formats.parse("The Moodle project was started by:\nA) Petr\nB. Martin\nC) Eloy\nANSWER: B\n\n"
                           "Input with <html class=\"x\"> & images:\nA) True\nB) False\nANSWER: A\n", "aiken")
    first, second = result.questions
    assert result.problems == []
    assert (first.type, first.single, first.line) == (QType.MULTICHOICE, True, 1)
    assert [(a.text, a.fraction) for a in first.answers] == [("Petr", 0), ("Martin", 1), ("Eloy", 0)]
    assert second.text == 'Input with <html class="x"> & images:' and second.text_format == TextFormat.PLAIN
    assert second.line == 7


def test_aiken_question_text_may_run_over_several_lines():
    (q,) = formats.parse("Đồng chí hãy cho biết\nnăm thành lập Đảng?\nA) 1930\nB) 1945\nANSWER: a", "aiken").questions
    assert q.text == "Đồng chí hãy cho biết\nnăm thành lập Đảng?" and q.answers[0].fraction == 1


@pytest.mark.parametrize(("bad", "line", "message"), [
    ("Too few\nA) Only\nANSWER: A", 5, common.FEW_CHOICES),
    ("A) Choice without question", 5, aiken.CHOICE_WITHOUT_QUESTION),
    ("ANSWER: A", 5, aiken.ANSWER_WITHOUT_QUESTION),
    ("Unfinished\nA) x\nB) y", 5, aiken.NO_ANSWER_LINE),
    ("Unknown letter\nA) x\nB) y\nANSWER: D", 5, aiken.UNKNOWN_LETTER),
    ("Bad answer line\nA) x\nB) y\nANSWER: the first", 5, aiken.BAD_ANSWER_LINE),
    ("Twice\nA) x\nA) y\nANSWER: A", 5, aiken.REPEATED_LETTER),
])
def test_aiken_bad_questions_are_reported_at_their_line(bad, line, message):
    text = f"Good?\nA) yes\nB) no\nANSWER: A\n{bad}\nAlso good?\nA) no\nB) yes\nANSWER: B\n"
    result = formats.parse(text, "aiken")
    assert [q.text for q in result.questions] == ["Good?", "Also good?"]
    assert messages(result) == [(line, message)]


def test_aiken_choices_without_a_space_are_read_with_a_warning():
    result = formats.parse("No space?\nA)Wrong\nB)Right\nANSWER: B", "aiken")
    (q,) = result.questions
    assert [(a.text, a.fraction) for a in q.answers] == [("Wrong", 0), ("Right", 1)]
    assert [(p.line, p.warning, p.params) for p in result.problems] == [(2, True, {"letter": "A"}),
                                                                       (3, True, {"letter": "B"})]


def test_aiken_a_question_text_that_looks_like_a_choice_without_space_is_text():
    (q,) = formats.parse("A.I. is used where?\nA) Phones\nB) Nowhere\nANSWER: A", "aiken").questions
    assert q.text == "A.I. is used where?"


# --- Moodle XML ----------------------------------------------------------------------------------------------------

XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/Top</text></category></question>
  <question type="multichoice">
    <name><text>MC</text></name>
    <questiontext format="html"><text><![CDATA[<p>Pick <b>one</b> & only</p>]]></text></questiontext>
    <generalfeedback format="html"><text>General</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>false</single><shuffleanswers>0</shuffleanswers><answernumbering>123</answernumbering>
    <answer fraction="50" format="html"><text>A</text><feedback format="html"><text>half</text></feedback></answer>
    <answer fraction="-100" format="plain_text"><text>x &lt; y</text><feedback><text></text></feedback></answer>
    <answer fraction="50"><text>C</text></answer>
    <tags><tag><text>nghị quyết</text></tag><tag><text>2024</text></tag></tags>
  </question>
  <question type="category"><category><text>$course$/Top/Sub</text></category></question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="moodle_auto_format"><text>Sky is green.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>No!</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Yes.</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>SA</text></name>
    <questiontext format="plain_text"><text>Who?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>Nguyễn</text></answer>
    <answer fraction="0"><text>*</text><feedback><text>No</text></feedback></answer>
  </question>
  <question type="numerical">
    <name><text>NUM</text></name>
    <questiontext format="markdown"><text>A number?</text></questiontext>
    <answer fraction="100"><text>3</text><tolerance>2</tolerance></answer>
    <answer fraction="0"><text>*</text><feedback><text>Completely wrong</text></feedback><tolerance>0</tolerance></answer>
  </question>
  <question type="matching">
    <name><text>MATCH</text></name>
    <questiontext><text>Match</text></questiontext>
    <subquestion format="html"><text><![CDATA[<p>Forum</p>]]></text><answer><text>discuss</text></answer></subquestion>
    <subquestion><text>Wiki</text><answer><text>edit</text></answer></subquestion>
    <subquestion><text></text><answer><text>Chat</text></answer></subquestion>
  </question>
  <question type="essay"><name><text>ES</text></name><questiontext><text>Write.</text></questiontext>
    <responseformat>editor</responseformat></question>
  <question type="description"><name><text>DE</text></name><questiontext><text>Read.</text></questiontext>
    <defaultgrade>0</defaultgrade></question>
</quiz>
"""


def test_moodlexml_reads_every_type():
    result = formats.parse(XML.encode(), "moodlexml")
    assert result.problems == []
    mc, tf, sa, num, match, essay, desc = result.questions
    assert (mc.name, mc.text, mc.text_format, mc.single, mc.shuffle_answers, mc.default_mark) == (
        "MC", "<p>Pick <b>one</b> & only</p>", TextFormat.HTML, False, False, 2.0)
    assert [(a.text, a.fraction, a.feedback) for a in mc.answers] == [
        ("A", 0.5, "half"), ("x &lt; y", -1.0, ""), ("C", 0.5, "")]
    assert (mc.general_feedback, mc.tags, mc.category, mc.line) == ("General", ["nghị quyết", "2024"], "$course$/Top", 4)
    assert [(a.text, a.fraction, a.feedback) for a in tf.answers] == [("true", 0, "No!"), ("false", 1, "Yes.")]
    assert tf.category == "$course$/Top/Sub" and tf.text_format == TextFormat.MOODLE
    assert sa.case_sensitive and sa.text_format == TextFormat.PLAIN and sa.answers[1].text == "*"
    assert [(a.text, a.fraction, a.tolerance, a.feedback) for a in num.answers] == [
        ("3", 1.0, 2.0, ""), ("*", 0.0, 0.0, "Completely wrong")]
    assert num.text_format == TextFormat.MARKDOWN
    assert [(s.text, s.answer) for s in match.subquestions] == [("<p>Forum</p>", "discuss"), ("Wiki", "edit"), ("", "Chat")]
    assert (essay.type, desc.type, desc.default_mark) == (QType.ESSAY, QType.DESCRIPTION, 0.0)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<quiz><question type="essay"><name><text>&lol2;</text></name></question></quiz>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&xxe;</text></name><questiontext><text>x</text></questiontext></question></quiz>"""
DTD_ONLY = b'<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://evil.example/q.dtd">\n<quiz></quiz>'


@pytest.mark.parametrize("data", [BOMB, XXE, DTD_ONLY], ids=["billion-laughs", "external-entity", "external-dtd"])
def test_moodlexml_entities_and_doctypes_are_refused(data):
    result = formats.parse(data, "moodlexml")
    assert result.questions == []
    assert messages(result) == [(None, moodlexml.UNSAFE_XML)]


def test_moodlexml_truncated_file_keeps_the_complete_questions():
    data = XML.encode()
    cut = data[:data.index(b'<question type="numerical">') + 40]
    result = formats.parse(cut, "moodlexml")
    assert [q.name for q in result.questions] == ["MC", "TF", "SA"]
    (p,) = result.problems
    assert p.message == moodlexml.MALFORMED_XML and p.line == p.params["line"] == cut.count(b"\n") + 1


def test_moodlexml_wrong_root_unsupported_type_bad_number_and_files():
    assert messages(formats.parse(b"<html><body/></html>", "moodlexml")) == [(1, moodlexml.NOT_QUIZ)]
    xml = ('<quiz>\n<question type="cloze"><name><text>Cloze</text></name></question>\n'
           '<question type="truefalse"><name><text>Bad</text></name><questiontext><text>q</text></questiontext>\n'
           '<answer fraction="lots"><text>true</text></answer></question>\n'
           '<question type="essay"><name><text>Pic</text></name><questiontext format="html"><text>'
           '<![CDATA[<img src="@@PLUGINFILE@@/a.png">]]></text><file name="a.png" encoding="base64">AAAA</file>'
           '</questiontext></question>\n</quiz>')
    result = formats.parse(xml, "moodlexml")
    assert [q.name for q in result.questions] == ["Pic"]
    assert [(p.line, p.message, p.warning) for p in result.problems] == [
        (2, moodlexml.UNSUPPORTED_TYPE, False), (3, moodlexml.BAD_NUMBER, False), (5, moodlexml.FILES_DROPPED, True)]
    assert result.problems[0].params == {"type": "cloze"}


def test_moodlexml_declared_encoding_is_respected():
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz><question type="essay"><name><text>Café</text></name>'
            "<questiontext><text>x</text></questiontext></question></quiz>").encode("latin-1")
    result = formats.parse(data, "moodlexml")
    assert [q.name for q in result.questions] == ["Café"] and result.problems == []


def test_moodlexml_export_uses_cdata_for_html_and_survives_cdata_end_marker():
    q = Question(QType.ESSAY, "n", "<p>a ]]> b & c</p>", TextFormat.HTML)
    out = formats.export([q], "moodlexml")
    assert "<![CDATA[<p>a ]]]]><![CDATA[> b & c</p>]]>" in out
    assert formats.parse(out, "moodlexml").questions[0].text == q.text


# --- JSON ----------------------------------------------------------------------------------------------------------


def test_json_export_is_the_documented_shape():
    data = json.loads(formats.export(every_type()[:2], "json"))
    first = data[0]
    for key in ("type", "name", "text", "category", "single", "answers", "subquestions", "general_feedback"):
        assert key in first
    assert first["answers"][0] == {"text": "Đúng ~ hoàn toàn", "fraction": 1.0, "feedback": "Chính xác #1"}


def test_json_items_get_line_numbers_and_bad_items_are_reported():
    good = Question(QType.TRUEFALSE, "ok", "q", answers=[Answer("true", 1.0), Answer("false", 0.0)]).to_json()
    text = ("[\n" + json.dumps(good) + ",\n" + json.dumps({"type": "nonsense", "name": "X"}) + ",\n"
            + json.dumps({**good, "name": 5}) + ",\n7,\n" + json.dumps({**good, "name": "ok2"}) + "\n]")
    result = formats.parse(text, "json")
    assert [(q.name, q.line) for q in result.questions] == [("ok", 2), ("ok2", 6)]
    assert [(p.line, p.message, p.params) for p in result.problems] == [
        (3, jsonfmt.BAD_ITEM, {"index": 2}), (4, jsonfmt.BAD_ITEM, {"index": 3}), (5, jsonfmt.BAD_ITEM, {"index": 4})]


@pytest.mark.parametrize(("text", "message"), [
    ('[{"type": "essay"', jsonfmt.MALFORMED_JSON), ('{"a": 1}', jsonfmt.NOT_A_LIST), ("42", jsonfmt.NOT_A_LIST),
    ('[{"type": "essay", "name": "a", "text": "b"}] trailing', jsonfmt.MALFORMED_JSON),
    ("[" * 100_000 + "]" * 100_000, jsonfmt.TOO_DEEP),
])
def test_json_malformed_files(text, message):
    result = formats.parse(text, "json")
    assert result.questions == [] and [p.message for p in result.problems] == [message]


def test_json_accepts_an_object_with_a_questions_list():
    text = json.dumps({"questions": [q.to_json() for q in every_type()]})
    assert canonical(formats.parse(text, "json").questions) == canonical(every_type())


# --- export and re-import ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_export_then_import_gives_the_same_questions(fmt):
    exported = formats.export(every_type(), fmt)
    result = formats.parse(exported.encode(), fmt)
    assert result.problems == []
    assert canonical(result.questions) == canonical(every_type())
    assert formats.export(result.questions, fmt) == exported  # stable: a second round changes nothing


def test_gift_export_escapes_every_special_character_and_writes_categories():
    out = formats.export(every_type(), "gift")
    assert "$CATEGORY: $course$/Chính trị/Nghị quyết\n" in out and "$CATEGORY: $course$/Chính trị\n" in out
    assert out.count("$CATEGORY:") == 3 and "\n$CATEGORY: \n" in out  # the third goes back to the top ("")
    assert "::Specials a \\~ b \\= c \\# d \\{ e \\} f \\: g \\\\ h \\\\n i // j -> k %50% l [html] m ]]> n::" in out
    assert "\n\t=%100%3:2\n" in out and "\t= -> Chat\n" in out and "// [tag:NQ 18] [tag:kho\\]a] [mark:2] [shuffle:0]" in out
    assert gift.escape("line1\nline2") == "line1\\nline2"


def test_imported_questions_export_to_gift_moodle_can_read():
    """The GIFT we write is plain Moodle GIFT: `=` for the right choice, `~%w%` weights, `{#` numerical blocks."""
    out = formats.export(every_type()[1:3], "gift")
    assert "\t~%50%yellow#right\n\t~%-100%red#wrong\n" in out
    assert "{FALSE#42 is the Ultimate Answer.#Right \\# you are####Hitchhiker's Guide}" in out


# --- robustness ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", formats.IMPORT_FORMATS)
@pytest.mark.parametrize("data", [b"", b"   \n\n\t ", "\ufeff".encode()], ids=["empty", "blank", "bom-only"])
def test_empty_files(fmt, data):
    result = formats.parse(data, fmt)
    assert result.questions == [] and [p.message for p in result.problems] == [common.EMPTY_FILE]


@pytest.mark.parametrize("fmt", formats.IMPORT_FORMATS)
def test_oversized_file_is_refused_unread(fmt):
    result = formats.parse(b"a" * (common.MAX_BYTES + 1), fmt)
    assert [(p.message, p.params) for p in result.problems] == [(common.TOO_LARGE, {"limit": 10})]


@pytest.mark.parametrize("fmt", formats.IMPORT_FORMATS)
def test_five_megabytes_of_random_bytes_is_a_clear_problem(fmt):
    data = random.Random(4).randbytes(5 * 1024 * 1024)
    result = formats.parse(data, fmt)
    assert result.questions == [] and [p.message for p in result.problems] == [common.BINARY]


@functools.cache
def _printable_garbage() -> bytes:
    rnd = random.Random(5)
    return "".join(rnd.choices("ab {}=~#:\\->%<>/[]\"ANSWER:)\n", k=5 * 1024 * 1024)).encode()


@pytest.mark.parametrize("fmt", formats.IMPORT_FORMATS)
def test_five_megabytes_of_printable_garbage_never_raises(fmt):
    result = formats.parse(_printable_garbage(), fmt)
    assert result.problems and len(result.problems) <= common.MAX_PROBLEMS + 1


@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_truncated_files_at_any_point_never_raise(fmt):
    data = formats.export(every_type(), fmt).encode()
    for cut in range(1, len(data), 17):
        result = formats.parse(data[:cut], fmt)
        assert all(isinstance(p.message, str) for p in result.problems)
        assert len(result.questions) <= len(every_type())


def test_truncated_gift_keeps_the_questions_before_the_cut():
    data = formats.export(every_type(), "gift")
    cut = data[:data.index("::Numerical::") + 60]
    result = formats.parse(cut, "gift")
    assert [q.name for q in result.questions][-1] == "Short"
    assert [p.message for p in result.problems] == [gift.NO_CLOSING_BRACE]


def _cp1258(text: str) -> bytes:
    """Vietnamese as legacy Windows-1258 writes it: base letters plus combining tone marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode("cp1258") + decomposed[-1].encode("cp1258")
    return out


@pytest.mark.parametrize(("data", "encoding"), [
    ("Thủ tướng là ai?{=Phạm Minh Chính ~Khác}".encode("utf-8-sig"), None),
    ("Thủ tướng là ai?{=Phạm Minh Chính ~Khác}".encode("utf-16"), None),
    (unicodedata.normalize("NFD", "Thủ tướng là ai?{=Phạm Minh Chính ~Khác}").encode(), None),
    (_cp1258("Thủ tướng là ai?{=Phạm Minh Chính ~Khác}"), "Windows-1258"),
], ids=["utf8-bom", "utf16", "nfd", "cp1258"])
def test_encodings_give_composed_vietnamese(data, encoding):
    result = formats.parse(data, "gift")
    (q,) = result.questions
    assert (q.text, q.answers[0].text) == ("Thủ tướng là ai?", "Phạm Minh Chính")
    assert [p.params.get("encoding") for p in result.problems] == ([encoding] if encoding else [])
    assert all(p.warning for p in result.problems)


def test_bytes_that_no_vietnamese_code_page_has_fall_back_to_latin1():
    result = formats.parse(b"Caf\xe9 \x81?{=oui ~non}", "gift")
    assert result.questions[0].text == "Café \x81?"
    assert [(p.params, p.warning) for p in result.problems] == [({"encoding": "Latin-1"}, True)]


def test_a_file_with_only_comments_says_no_questions_were_found():
    result = formats.parse("// nothing here\n// really\n\n$CATEGORY: x\n", "gift")
    assert [p.message for p in result.problems] == [common.NO_QUESTIONS]


def test_a_hopeless_file_lists_a_bounded_number_of_problems():
    result = formats.parse("\n\n".join("Bad {~x" for _ in range(common.MAX_PROBLEMS + 50)), "gift")
    assert len(result.problems) == common.MAX_PROBLEMS + 1
    assert result.problems[-1].params == {"count": 50}


# --- format detection ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("filename", "data", "fmt"), [
    ("bank.gift", b"Q{T}", "gift"), ("bank.XML", b"", "moodlexml"), ("q.json", b"", "json"),
    ("upload.txt", b'\xef\xbb\xbf<?xml version="1.0"?><quiz/>', "moodlexml"), ("", b"<quiz></quiz>", "moodlexml"),
    ("x.txt", b'[{"type": "essay"}]', "json"), ("x.txt", b"[]", "json"), ("x.txt", b"[html]Q?{T}", "gift"),
    ("x.txt", b"Question?\nA) a\nB) b\nANSWER: A\n", "aiken"),
    ("x.txt", b"Who?{=a ~b}\n\nWhat?{=c ~d}\nANSWER: A is nice?{T}", "gift"),
    ("x.txt", b"Who's buried in Grant's tomb?{~Grant =no one}", "gift"),
])
def test_detect_format(filename, data, fmt):
    assert formats.detect_format(filename, data) == fmt


def test_unknown_format_names_are_a_programming_error():
    with pytest.raises(ValueError):
        formats.parse(b"x", "docx")
    with pytest.raises(ValueError):
        formats.export([], "aiken")
    assert formats.parse(b"Q{T}", "GIFT").questions and formats.parse(b"<quiz/>", "xml").problems
