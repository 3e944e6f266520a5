"""Moodle XML question files: reader and writer. Pure Python.

The reader uses defusedxml and refuses any DOCTYPE, so external entities and entity-expansion bombs are rejected
before a single question is read. A file cut off in the middle keeps the questions completed before the break.
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import TreeBuilder  # noqa: S405  (only the tree builder; parsing is defusedxml's)
from xml.sax.saxutils import escape as xml_escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from elearn.accounts.domain import N_
from elearn.quizzes.formats import common
from elearn.quizzes.formats.common import problem
from elearn.quizzes.questions import Answer, ImportResult, QType, Question, Subquestion, TextFormat

UNSAFE_XML = N_("The XML file contains a document type declaration or entities, which are refused for safety; "
                "Moodle XML files do not need them.")
MALFORMED_XML = N_("The XML is malformed at line %(line)s, column %(column)s; questions after that point were not read.")
NOT_QUIZ = N_("This is not a Moodle XML question file: the root element must be <quiz>.")
UNSUPPORTED_TYPE = N_("Question type %(type)s is not supported; the question was skipped.")
FILES_DROPPED = N_("Files embedded in this question (such as images) were not imported.")
BAD_NUMBER = N_("Value %(value)s is not a number.")

_TYPES = {"multichoice": QType.MULTICHOICE, "truefalse": QType.TRUEFALSE, "shortanswer": QType.SHORTANSWER,
          "numerical": QType.NUMERICAL, "matching": QType.MATCHING, "essay": QType.ESSAY,
          "description": QType.DESCRIPTION}
_XML_TYPE = {v: k for k, v in _TYPES.items()}
_FORMATS = {"html": TextFormat.HTML, "moodle_auto_format": TextFormat.MOODLE, "plain_text": TextFormat.PLAIN,
            "markdown": TextFormat.MARKDOWN}
_XML_FORMAT = {v: k for k, v in _FORMATS.items()}
_DECLARED = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Bad(Exception):
    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message, self.params = message, params


class _Collector(TreeBuilder):
    """Builds the tree and remembers each <question> with the line it starts on, as soon as it is complete."""

    def __init__(self):
        super().__init__()
        self.expat = None
        self.depth = 0
        self.root_tag = ""
        self.starts: list[int] = []
        self.done: list[tuple[object, int]] = []

    def start(self, tag, attrs):
        if self.depth == 0:
            self.root_tag = tag
        self.depth += 1
        if tag == "question":
            self.starts.append(self.expat.CurrentLineNumber)
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        element = super().end(tag)
        if tag == "question" and self.starts:
            self.done.append((element, self.starts.pop()))
        return element


# --- reading ---------------------------------------------------------------------------------------------------------


def decode(data: bytes | str):
    """Text of the file: the declared encoding when there is one, else as every other format (UTF-8 first)."""
    if isinstance(data, bytes):
        declared = _DECLARED.match(data[:200].lstrip(b"\xef\xbb\xbf"))
        name = declared.group(1).decode("ascii").lower() if declared else ""
        if name and name.replace("-", "").replace("_", "") not in ("utf8", "utf16"):
            try:
                data = data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
    return common.decode(data)


def parse(text: str) -> ImportResult:
    result = ImportResult()
    collector = _Collector()
    parser = DefusedXMLParser(target=collector, forbid_dtd=True)
    collector.expat = parser.parser
    try:
        parser.feed(text)  # a str is read as UTF-8 whatever the declaration says: it was decoded already
        parser.close()
    except DefusedXmlException:
        return ImportResult(problems=[problem(None, UNSAFE_XML)])
    except ParseError as err:
        line, column = getattr(err, "position", (None, None))
        result.problems.append(problem(line, MALFORMED_XML, line=line, column=column))
    if collector.root_tag and collector.root_tag != "quiz":
        return ImportResult(problems=[problem(1, NOT_QUIZ)])
    category = ""
    for element, line in collector.done:
        kind = element.get("type", "")
        if kind == "category":
            category = _text(element, "category")
            continue
        name = _text(element, "name")
        try:
            question = _question(element, kind)
        except _Bad as bad:
            result.problems.append(problem(line, bad.message, name, **bad.params))
            continue
        question.line, question.category = line, category
        if element.find(".//file") is not None:
            result.problems.append(problem(line, FILES_DROPPED, question.name or name, warning=True))
        common.finish(question, result.problems, result.questions, name)
    return result


def _text(element, path: str) -> str:
    found = element.find(f"{path}/text")
    return (found.text or "").strip() if found is not None else ""


def _format(element, path: str, default: TextFormat = TextFormat.MOODLE) -> TextFormat:
    found = element.find(path)
    return _FORMATS.get(found.get("format", ""), default) if found is not None else default


def _number(text: str | None, default: float = 0.0) -> float:
    if text is None or not text.strip():
        return default
    value = common.to_decimal(text)
    if value is None:
        raise _Bad(BAD_NUMBER, value=text.strip()[:40])
    return float(value)


def _flag(element, path: str, default: bool) -> bool:
    found = element.find(path)
    if found is None or found.text is None:
        return default
    return found.text.strip().lower() in ("1", "true", "yes")


def _question(element, kind: str) -> Question:
    if kind not in _TYPES:
        raise _Bad(UNSUPPORTED_TYPE, type=kind or "?")
    qtype = _TYPES[kind]
    fmt = _format(element, "questiontext")
    q = Question(type=qtype, name=_text(element, "name"), text=_text(element, "questiontext"), text_format=fmt,
                 general_feedback=_text(element, "generalfeedback"),
                 default_mark=_number(element.findtext("defaultgrade"), 0.0 if qtype == QType.DESCRIPTION else 1.0))
    q.tags = [t for t in (_text(tag, ".") for tag in element.findall("tags/tag")) if t]
    q.single = _flag(element, "single", True)
    q.shuffle_answers = _flag(element, "shuffleanswers", True)
    q.case_sensitive = _flag(element, "usecase", False)
    q.ignore_diacritics = _flag(element, "ignorediacritics", False)
    for answer in element.findall("answer"):
        fraction = common.fraction_from_percent(answer.get("fraction", "0") or "0")
        if fraction is None:
            raise _Bad(BAD_NUMBER, value=answer.get("fraction", "")[:40])
        text = common.adapt(_text(answer, "."), _format(answer, ".", fmt), fmt)
        q.answers.append(Answer(text, fraction, _text(answer, "feedback"), _number(answer.findtext("tolerance"))))
    if qtype == QType.TRUEFALSE:
        true = [a for a in q.answers if a.text.lower() == "true"]
        false = [a for a in q.answers if a.text.lower() != "true"]
        q.answers = [Answer("true", a.fraction, a.feedback) for a in true[:1]] + \
                    [Answer("false", a.fraction, a.feedback) for a in false[:1]]
    elif qtype == QType.MATCHING:
        for sub in element.findall("subquestion"):
            text = common.adapt(_text(sub, "."), _format(sub, ".", fmt), fmt)
            q.subquestions.append(Subquestion(text, _text(sub, "answer")))
    elif qtype in (QType.ESSAY, QType.DESCRIPTION):
        q.answers = []
    if qtype != QType.NUMERICAL:
        for a in q.answers:
            a.tolerance = 0.0
    return q


# --- writing ---------------------------------------------------------------------------------------------------------


def _cdata(text: str) -> str:
    text = _INVALID_XML_CHARS.sub("", text)
    if not re.search(r"[<>&]", text):
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text_element(tag: str, text: str, fmt: TextFormat | None = None, indent: str = "    ") -> str:
    attribute = f' format="{_XML_FORMAT[fmt]}"' if fmt else ""
    return f"{indent}<{tag}{attribute}>\n{indent}  <text>{_cdata(text)}</text>\n{indent}</{tag}>\n"


def _simple(tag: str, value: str, indent: str = "    ") -> str:
    return f"{indent}<{tag}>{xml_escape(value)}</{tag}>\n"


def _answer(a: Answer, q: Question) -> str:
    fmt = q.text_format
    out = f'    <answer fraction="{common.percent_text(a.fraction)}" format="{_XML_FORMAT[fmt]}">\n'
    out += f"      <text>{_cdata(a.text)}</text>\n"
    out += _text_element("feedback", a.feedback, fmt, "      ")
    if q.type == QType.NUMERICAL:
        out += _simple("tolerance", common.number_text(a.tolerance), "      ")
    return out + "    </answer>\n"


def _options(q: Question) -> str:
    out = ""
    if q.type == QType.MULTICHOICE:
        out += _simple("single", "true" if q.single else "false")
        out += _simple("shuffleanswers", "true" if q.shuffle_answers else "false")
        out += _simple("answernumbering", "abc")
    elif q.type == QType.SHORTANSWER:
        out += _simple("usecase", "1" if q.case_sensitive else "0")
        if q.ignore_diacritics:
            out += _simple("ignorediacritics", "1")  # ours; Moodle skips elements it does not know
    elif q.type == QType.MATCHING:
        out += _simple("shuffleanswers", "true" if q.shuffle_answers else "false")
    elif q.type == QType.ESSAY:
        out += _simple("responseformat", "editor") + _simple("responserequired", "1")
        out += _simple("responsefieldlines", "15") + _simple("attachments", "0")
    return out


def write_question(q: Question) -> str:
    fmt = q.text_format
    out = f'  <question type="{_XML_TYPE[q.type]}">\n'
    out += _text_element("name", q.name)
    out += _text_element("questiontext", q.text, fmt)
    out += _text_element("generalfeedback", q.general_feedback, fmt)
    out += _simple("defaultgrade", common.number_text(q.default_mark))
    out += _simple("penalty", "1" if q.type == QType.TRUEFALSE else "0.3333333")
    out += _simple("hidden", "0")
    out += _options(q)
    answers = q.answers
    if q.type == QType.TRUEFALSE:
        answers = sorted(answers, key=lambda a: a.text.lower() != "true")
    if q.type not in (QType.ESSAY, QType.DESCRIPTION, QType.MATCHING):
        out += "".join(_answer(a, q) for a in answers)
    for sub in q.subquestions if q.type == QType.MATCHING else []:
        out += f'    <subquestion format="{_XML_FORMAT[fmt]}">\n      <text>{_cdata(sub.text)}</text>\n'
        out += f"      <answer>\n        <text>{_cdata(sub.answer)}</text>\n      </answer>\n    </subquestion>\n"
    if q.tags:
        out += "    <tags>\n" + "".join(f"      <tag><text>{_cdata(t)}</text></tag>\n" for t in q.tags) + "    </tags>\n"
    return out + "  </question>\n"


def export(questions: list[Question]) -> str:
    parts, category = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'], ""
    for q in questions:
        if q.category != category:
            category = q.category
            parts.append('  <question type="category">\n' + _text_element("category", category) + "  </question>\n")
        parts.append(write_question(q))
    parts.append("</quiz>\n")
    return "".join(parts)
