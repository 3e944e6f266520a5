"""GIFT, Moodle's plain-text question format: reader and writer. Pure Python.

A question is a block of lines separated from the next by a blank line:

    // a comment line; `// [tag:x]` gives the question a tag (as Moodle 4 writes it)
    $CATEGORY: $course$/Top/Sub
    ::Name::[html]Question text {=right#feedback ~wrong ~%50%half ####general feedback}

The answer block decides the type: none -> description, `{}` -> essay, `{#...}` -> numerical, a `~` -> multiple
choice, `=a -> b` -> matching, `{T}`/`{FALSE}` -> true/false, only `=` answers -> short answer. Text after the block
makes a missing-word question (the blank is shown as "_____"). `\\~ \\= \\# \\{ \\} \\: \\\\ \\n` are escapes.
The behaviour follows Moodle's reader (question/format/gift) so files made for Moodle import the same way here.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from elearn.accounts.domain import N_
from elearn.quizzes.formats import common
from elearn.quizzes.formats.common import problem
from elearn.quizzes.questions import Answer, ImportResult, QType, Question, Subquestion, TextFormat

NO_CLOSING_BRACE = N_("An answer block opened with { is not closed with }.")
NO_OPENING_BRACE = N_("A closing brace } has no opening brace {.")
TWO_BLOCKS = N_("A question can have only one answer block; write other braces as \\{ and \\}.")
TRAILING_TEXT = N_("Text after the answer block was ignored: %(text)s")
PAIR_SHAPE = N_("A matching pair must be written as =question -> answer.")
BAD_RANGE = N_("Range %(answer)s is not valid: write it as minimum..maximum.")

# Escaped control characters are swapped for private-use characters while the block is taken apart.
_ESCAPES = {"\\": "\ue000", ":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004", "}": "\ue005",
            "~": "\ue006", "n": "\ue007"}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_PLACEHOLDER = re.compile("[\ue000-\ue007]")
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")
_FORMAT_RE = re.compile(r"^\[(html|plain|moodle|markdown)\]", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"^%\s*(-?\d+(?:\.\d*)?)\s*%")
_DIRECTIVE_RE = re.compile(r"\[(tag|mark|shuffle|usecase|ignorediacritics):((?:\\.|[^\]\\])*)\]", re.IGNORECASE)
_CATEGORY_RE = re.compile(r"^\$CATEGORY:", re.IGNORECASE)
_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CLOSING_PUNCTUATION = set(".,!?:)]…»”’")


def _protect(text: str) -> str:
    """Escapes to placeholders (private-use characters already in the text are dropped: they would be taken for one)."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(1)], _PLACEHOLDER.sub("", text))


def _restore(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: _RESTORE[m.group()], text)


class _Bad(Exception):
    """A question that cannot be read; caught per question."""

    def __init__(self, message: str, line: int | None = None, **params):
        super().__init__(message)
        self.message, self.line, self.params = message, line, params


# --- reading ---------------------------------------------------------------------------------------------------------


def parse(text: str) -> ImportResult:
    result = ImportResult()
    category = ""
    for block in _blocks(text.split("\n")):
        comments = [s for _, s in block if s.startswith("//")]
        content = [(no, s) for no, s in block if not s.startswith("//")]
        while content and _CATEGORY_RE.match(content[0][1]):
            category = _restore(_protect(content[0][1][len("$CATEGORY:"):])).strip()
            content = content[1:]
        if not content:
            continue
        _parse_block(content, comments, category, result)
    return result


def _blocks(lines: list[str]):
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if stripped:
            block.append((number, stripped))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _parse_block(content: list[tuple[int, str]], comments: list[str], category: str, result: ImportResult) -> None:
    first_line = content[0][0]
    text = _protect("\n".join(s for _, s in content))
    starts, offset = [], 0
    for _, s in content:
        starts.append(offset)
        offset += len(s) + 1

    def line_at(pos: int) -> int:
        return content[bisect_right(starts, pos) - 1][0]

    excerpt = _restore(content[0][1])
    try:
        question, warnings = _read(text, line_at)
    except _Bad as bad:
        result.problems.append(problem(bad.line or first_line, bad.message, excerpt, **bad.params))
        return
    question.line, question.category = first_line, category
    _apply_directives(question, comments)
    result.problems.extend(problem(line, msg, excerpt, warning=True, **params) for line, msg, params in warnings)
    common.finish(question, result.problems, result.questions, excerpt)


def _read(text: str, line_at) -> tuple[Question, list]:
    warnings: list = []
    pos, name = 0, None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            name, pos = _restore(text[2:end]).strip(), end + 2
        else:
            pos = 2
    opening, closing = text.find("{", pos), text.find("}", pos)
    if opening < 0 and closing < 0:
        block, question_text = None, text[pos:]
    elif closing < 0:
        raise _Bad(NO_CLOSING_BRACE, line_at(opening))
    elif opening < 0 or closing < opening:
        raise _Bad(NO_OPENING_BRACE, line_at(closing))
    else:
        block, before, after = text[opening + 1:closing], text[pos:opening], text[closing + 1:]
        if "{" in after or "}" in after:
            raise _Bad(TWO_BLOCKS, line_at(closing + 1 + min(i for i in (after.find("{"), after.find("}")) if i >= 0)))
        if not after.strip():
            question_text = before
        elif _stray(after.strip(), before):
            warnings.append((line_at(closing), TRAILING_TEXT, {"text": _restore(after.strip())[:40]}))
            question_text = before
        else:
            question_text = before + "_____" + after
    fmt, question_text = _split_format(question_text.strip(), TextFormat.MOODLE)
    question = Question(type=QType.DESCRIPTION, name=name or "", text=_restore(question_text).strip(), text_format=fmt)
    if block is None:
        question.default_mark = 0.0
        return question, warnings
    block = block.strip()
    separator = block.rfind("####")
    if separator >= 0:
        question.general_feedback = _piece(block[separator + 4:], fmt)
        block = block[:separator].strip()
    _fill(question, block)
    return question, warnings


def _stray(after: str, before: str) -> bool:
    """Trailing text that cannot be the rest of a missing-word sentence (e.g. a stray `";` after the brace)."""
    if any(ch.isalnum() for ch in after):
        return False
    for ch in after:
        if ch.isspace() or ch in _CLOSING_PUNCTUATION:
            continue
        if ch in "\"'" and before.count(ch) % 2 == 1:
            continue  # closes a quotation opened before the blank
        return True
    return False


def _split_format(text: str, default: TextFormat) -> tuple[TextFormat, str]:
    match = _FORMAT_RE.match(text)
    if not match:
        return default, text
    return common.FORMAT_NAMES[match.group(1).lower()], text[match.end():]


def _piece(text: str, question_format: TextFormat) -> str:
    """An answer, feedback or subquestion: its own [format] marker removed, escapes restored."""
    fmt, body = _split_format(text.strip(), question_format)
    return common.adapt(_restore(body).strip(), fmt, question_format)


def _weight(text: str, default: float) -> tuple[float, str]:
    match = _WEIGHT_RE.match(text)
    if not match:
        return default, text
    fraction = common.fraction_from_percent(match.group(1))
    if fraction is None or not -1 <= fraction <= 1:
        raise _Bad(common.WEIGHT_RANGE, weight=match.group(1))
    return fraction, text[match.end():].strip()


def _with_feedback(text: str, fmt: TextFormat) -> tuple[str, str]:
    body, _, feedback = text.partition("#")
    return body, _piece(feedback, fmt)


def _items(block: str, markers: str) -> list[str]:
    """The answers of a block, each starting with its marker; text before the first marker is kept too (Moodle)."""
    parts = [p.strip() for p in re.split(f"(?=[{markers}])", block)]
    return [p for p in parts if p]


def _is_matching(block: str) -> bool:
    """Moodle: an `=` and a `->`. Here also no `=%w%` weight (pairs have none), so a short answer written
    `=%100%a -> b` (as the writer below does) stays a short answer."""
    if "=" not in block or "->" not in block:
        return False
    return not any(_WEIGHT_RE.match(item.lstrip("=").strip()) for item in _items(block, "="))


def _fill(q: Question, block: str) -> None:
    fmt = q.text_format
    if not block:
        q.type = QType.ESSAY
    elif block.startswith("#"):
        q.type = QType.NUMERICAL
        _numerical(q, block[1:])
    elif "~" in block:
        q.type, q.single = QType.MULTICHOICE, "=" in block
        for item in _items(block, "~="):
            if item.startswith("="):
                fraction, item = 1.0, item[1:].strip()
            else:
                fraction, item = _weight(item.lstrip("~").strip(), 0.0)
            body, feedback = _with_feedback(item, fmt)
            q.answers.append(Answer(_piece(body, fmt), fraction, feedback))
    elif _is_matching(block):
        q.type = QType.MATCHING
        for item in _items(block, "="):
            body, arrow, answer = item.lstrip("=").partition("->")
            if not arrow:
                raise _Bad(PAIR_SHAPE)
            q.subquestions.append(Subquestion(_piece(body, fmt), _restore(answer).strip()))
    elif block.partition("#")[0].strip().upper() in _TRUEFALSE:
        q.type = QType.TRUEFALSE
        value, wrong, right = ([*block.split("#", 2), "", ""])[:3]
        correct = _TRUEFALSE[value.strip().upper()]
        wrong, right = _piece(wrong, fmt), _piece(right, fmt)
        q.answers = [Answer("true", 1.0 if correct else 0.0, right if correct else wrong),
                     Answer("false", 0.0 if correct else 1.0, wrong if correct else right)]
    else:
        q.type = QType.SHORTANSWER
        for item in _items(block, "="):
            fraction, item = _weight(item.lstrip("=").strip(), 1.0)
            body, feedback = _with_feedback(item, fmt)
            q.answers.append(Answer(_piece(body, fmt), fraction, feedback))


def _numerical(q: Question, block: str) -> None:
    fmt = q.text_format
    block, tilde, wrong = block.partition("~")
    for item in _items(block, "="):
        fraction, item = _weight(item.lstrip("=").strip(), 1.0)
        body, feedback = _with_feedback(item, fmt)
        value, tolerance = _number(_restore(body).strip())
        q.answers.append(Answer(value, fraction, feedback, tolerance))
    if tilde:
        q.answers.append(Answer("*", 0.0, _with_feedback(wrong, fmt)[1]))


def _number(text: str) -> tuple[str, float]:
    """ "3:2" -> ("3", 2.0); "3.141..3.142" -> ("3.1415", 0.0005); "*" -> ("*", 0.0)."""
    if text == "*":
        return text, 0.0
    if text.find("..") > 0:
        low, high = (common.to_decimal(part) for part in text.split("..", 1))
        if low is None or high is None or low > high:
            raise _Bad(BAD_RANGE, answer=text)
        middle = (low + high) / 2
        return common.decimal_text(middle), float(high - middle)
    value, colon, tolerance = text.partition(":")
    if colon and text.find(":") > 0:
        number, margin = common.to_decimal(value), common.to_decimal(tolerance)
        if number is None or margin is None:
            raise _Bad(common.NOT_A_NUMBER, answer=text)
        return value.strip(), abs(float(margin))
    if common.to_decimal(text) is None:
        raise _Bad(common.NOT_A_NUMBER, answer=text)
    return text, 0.0


def _unescape_directive(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value).strip()


def _apply_directives(q: Question, comments: list[str]) -> None:
    """`// [tag:x] [mark:2] [shuffle:0] [usecase:1] [ignorediacritics:1]` in the comment lines of the question."""
    for comment in comments:
        for key, raw in _DIRECTIVE_RE.findall(comment):
            key, value = key.lower(), _unescape_directive(raw)
            if key == "tag":
                if value and value not in q.tags:
                    q.tags.append(value)
            elif key == "mark":
                number = common.to_decimal(value)
                if number is not None and number >= 0:
                    q.default_mark = float(number)
            elif key == "shuffle":
                q.shuffle_answers = value != "0"
            elif key == "usecase":
                q.case_sensitive = value == "1"
            else:
                q.ignore_diacritics = value == "1"


# --- writing ---------------------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Every GIFT control character escaped, newlines as \\n: the text survives on one line."""
    text = text.replace("\\", "\\\\")
    for ch in "~=#{}:":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _out(text: str, fmt: TextFormat) -> str:
    """An answer or feedback; a leading "[html]"-like text gets the question's marker so it is not taken for one."""
    return (f"[{fmt}]" if _FORMAT_RE.match(text) else "") + escape(text)


def _feedback(text: str, fmt: TextFormat) -> str:
    return "#" + _out(text, fmt) if text else ""


def _escape_directive(value: str) -> str:
    return value.replace("\\", "\\\\").replace("]", "\\]")


def _directives(q: Question) -> str:
    parts = [f"[tag:{_escape_directive(t)}]" for t in q.tags]
    if q.default_mark != (0.0 if q.type == QType.DESCRIPTION else 1.0):
        parts.append(f"[mark:{common.number_text(q.default_mark)}]")
    if q.type in (QType.MULTICHOICE, QType.MATCHING) and not q.shuffle_answers:
        parts.append("[shuffle:0]")
    if q.type == QType.SHORTANSWER and q.case_sensitive:
        parts.append("[usecase:1]")
    if q.type == QType.SHORTANSWER and q.ignore_diacritics:
        parts.append("[ignorediacritics:1]")
    return "// " + " ".join(p.replace("\n", " ") for p in parts) + "\n" if parts else ""


def _answer_lines(q: Question) -> list[str]:
    fmt = q.text_format
    if q.type == QType.MULTICHOICE:
        lines = []
        for a in q.answers:
            if a.fraction == 1 and q.single:
                mark = "="
            elif a.fraction == 0 and not _WEIGHT_RE.match(a.text):
                mark = "~"
            else:
                mark = f"~%{common.percent_text(a.fraction)}%"
            lines.append(mark + _out(a.text, fmt) + _feedback(a.feedback, fmt))
        return lines
    if q.type == QType.SHORTANSWER:
        return [f"=%{common.percent_text(a.fraction)}%" + _out(a.text, fmt) + _feedback(a.feedback, fmt)
                for a in q.answers]
    if q.type == QType.NUMERICAL:
        lines = []
        for a in q.answers:
            value = a.text.strip()
            number = value if value == "*" else f"{escape(value)}:{common.number_text(a.tolerance)}"
            lines.append(f"=%{common.percent_text(a.fraction)}%{number}" + _feedback(a.feedback, fmt))
        return lines
    if q.type == QType.MATCHING:
        return [f"={_out(s.text, fmt)} -> {escape(s.answer)}" if s.text else f"= -> {escape(s.answer)}"
                for s in q.subquestions]
    return []


def _truefalse_block(q: Question) -> str:
    by_text = {a.text.lower(): a for a in q.answers}
    true, false = by_text.get("true", Answer("true")), by_text.get("false", Answer("false"))
    correct = true.fraction > false.fraction
    right, wrong = (true, false) if correct else (false, true)
    out = "TRUE" if correct else "FALSE"
    if wrong.feedback or right.feedback:
        out += _feedback(wrong.feedback, q.text_format) or "#"
    if right.feedback:
        out += _feedback(right.feedback, q.text_format)
    return out


def write_question(q: Question) -> str:
    fmt = q.text_format
    head = f"{_directives(q)}::{escape(q.name)}::[{fmt}]{escape(q.text)}"
    if q.type == QType.DESCRIPTION:
        return head + "\n"
    general = "####" + _out(q.general_feedback, fmt) if q.general_feedback else ""
    if q.type == QType.ESSAY:
        return head + "{" + general + "}\n"
    if q.type == QType.TRUEFALSE:
        return head + "{" + _truefalse_block(q) + general + "}\n"
    lines = _answer_lines(q) + ([general] if general else [])
    opening = "{#\n" if q.type == QType.NUMERICAL else "{\n"
    return head + opening + "".join(f"\t{line}\n" for line in lines) + "}\n"


def export(questions: list[Question]) -> str:
    parts, category = [], ""
    for q in questions:
        if q.category != category:
            category = q.category
            parts.append(f"$CATEGORY: {category.replace(chr(10), ' ')}\n")
        parts.append(write_question(q))
    return "\n".join(parts)
