"""What every question importer shares: decoding bytes, default names, weights, numbers and the checks a question
must pass before it is imported. Pure Python."""
from __future__ import annotations

import codecs
import html
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from elearn.accounts.domain import N_
from elearn.quizzes.questions import ImportProblem, QType, Question, TextFormat

MAX_BYTES = 10 * 1024 * 1024  # a bigger file is refused unread
MAX_PROBLEMS = 1000  # a hopeless file is summarised, not listed in full
NAME_LENGTH = 255
DEFAULT_NAME = N_("Untitled question")

EMPTY_FILE = N_("The file is empty.")
TOO_LARGE = N_("The file is larger than %(limit)s MB and was not read.")
NOT_UTF8 = N_("The file is not valid UTF-8 and was read as %(encoding)s; check that the Vietnamese letters look "
              "right, or save the file as UTF-8.")
BINARY = N_("The file is not a text file (it looks like binary data). Save the questions as plain text (UTF-8) "
            "and try again.")
NO_QUESTIONS = N_("No questions were found in the file.")
MORE_PROBLEMS = N_("%(count)s more problems are not shown.")
NOT_A_NUMBER = N_("Answer %(answer)s is not a number.")
WEIGHT_RANGE = N_("Weight %(weight)s is not between -100 and 100.")
FEW_CHOICES = N_("A multiple-choice question needs at least two choices.")
NO_FULL_CHOICE = N_("One of the choices must give full marks.")
POSITIVE_SUM = N_("The positive weights of the choices must add up to 100 percent.")
NO_ANSWER = N_("The question needs at least one answer.")
EMPTY_ANSWER = N_("An answer has no text.")
NO_FULL_ANSWER = N_("At least one answer must give full marks.")
FEW_PAIRS = N_("A matching question needs at least two pairs.")
EMPTY_PAIR_ANSWER = N_("Every matching pair needs an answer after ->.")
TRUEFALSE_SHAPE = N_("A true/false question needs one true and one false answer.")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
FORMAT_NAMES = {"html": TextFormat.HTML, "plain": TextFormat.PLAIN, "moodle": TextFormat.MOODLE,
                "markdown": TextFormat.MARKDOWN}


def problem(line: int | None, message: str, /, excerpt: str = "", warning: bool = False, **params) -> ImportProblem:
    return ImportProblem(line=line, message=message, params=params, excerpt=excerpt[:120], warning=warning)


# --- text ------------------------------------------------------------------------------------------------------------


def _decode_bytes(data: bytes) -> tuple[str, str | None]:
    """The text and, when it was not UTF-8, the name of the encoding it was read with."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("cp1258"), "Windows-1258"
    except UnicodeDecodeError:
        return body.decode("latin-1"), "Latin-1"


def looks_binary(text: str) -> bool:
    """NUL characters, or more control characters than a hand-written text file ever has."""
    if "\x00" in text:
        return True
    sample = text[:1_000_000]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 200)


def clean_text(text: str) -> str:
    """Unix newlines, no stray control characters, composed Unicode (Vietnamese typed with combining marks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def decode(data: bytes | str) -> tuple[str | None, list[ImportProblem]]:
    """Bytes to clean text (UTF-8, with or without BOM; UTF-16 with BOM; else Windows-1258/Latin-1 with a warning).

    None instead of text when the file cannot hold questions (binary or empty), with the problem saying why.
    """
    problems: list[ImportProblem] = []
    if isinstance(data, str):
        text = data
    else:
        text, fallback = _decode_bytes(data)
        if fallback:
            problems.append(problem(None, NOT_UTF8, warning=True, encoding=fallback))
    if looks_binary(text):
        return None, [problem(None, BINARY)]
    text = clean_text(text)
    if not text.strip():
        return None, [problem(None, EMPTY_FILE)]
    return text, problems


def plain_text(text: str, fmt: TextFormat) -> str:
    """The visible text (tags removed for HTML), on one line."""
    if fmt in (TextFormat.HTML, TextFormat.MOODLE):
        text = html.unescape(_TAGS.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def default_name(text: str, fmt: TextFormat) -> str:
    """A name made from the start of the text, as Moodle does for questions without one."""
    visible = plain_text(text, fmt)
    if not visible:
        return DEFAULT_NAME
    if len(visible) <= 80:
        return visible
    cut = visible[:80].rsplit(" ", 1)[0] or visible[:80]
    return cut + "…"


def adapt(text: str, piece_format: TextFormat, question_format: TextFormat) -> str:
    """An answer written in another format than its question, in the question's format (plain inside HTML: escaped)."""
    if piece_format == TextFormat.PLAIN and question_format == TextFormat.HTML:
        return html.escape(text, quote=False)
    return text


# --- numbers ---------------------------------------------------------------------------------------------------------


def to_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def decimal_text(value: Decimal) -> str:
    """1822.0 -> "1822", 3.14150 -> "3.1415" (no exponent)."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def fraction_from_percent(text: str) -> float | None:
    """ "50" -> 0.5, "-100" -> -1.0; None when it is not a number. Rounded to 7 places as Moodle stores it."""
    value = to_decimal(text)
    return None if value is None else round(float(value) / 100, 7)


def percent_text(fraction: float) -> str:
    """0.5 -> "50", -1 -> "-100", 0.3333333 -> "33.33333"."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number_text(value: float) -> str:
    """A tolerance or a mark written back: 2.0 -> "2", 0.0005 -> "0.0005"."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


# --- checks ----------------------------------------------------------------------------------------------------------


def _multichoice(q: Question) -> list[tuple[str, dict]]:
    if len(q.answers) < 2:
        return [(FEW_CHOICES, {})]
    if any(not a.text.strip() for a in q.answers):
        return [(EMPTY_ANSWER, {})]
    if q.single:
        return [] if max(a.fraction for a in q.answers) >= 0.9999999 else [(NO_FULL_CHOICE, {})]
    positive = sum(a.fraction for a in q.answers if a.fraction > 0)
    return [] if abs(positive - 1) < 0.0001 else [(POSITIVE_SUM, {})]


def _graded_answers(q: Question) -> list[tuple[str, dict]]:
    if not q.answers:
        return [(NO_ANSWER, {})]
    if any(not a.text.strip() for a in q.answers):
        return [(EMPTY_ANSWER, {})]
    if q.type == QType.NUMERICAL:
        for a in q.answers:
            if a.text.strip() != "*" and to_decimal(a.text) is None:
                return [(NOT_A_NUMBER, {"answer": a.text})]
    return [] if max(a.fraction for a in q.answers) >= 0.9999999 else [(NO_FULL_ANSWER, {})]


def _matching(q: Question) -> list[tuple[str, dict]]:
    if any(not s.answer.strip() for s in q.subquestions):
        return [(EMPTY_PAIR_ANSWER, {})]
    if sum(1 for s in q.subquestions if s.text.strip()) < 2:
        return [(FEW_PAIRS, {})]
    return []


def _truefalse(q: Question) -> list[tuple[str, dict]]:
    texts = sorted(a.text.lower() for a in q.answers)
    return [] if texts == ["false", "true"] else [(TRUEFALSE_SHAPE, {})]


_CHECKS = {
    QType.MULTICHOICE: _multichoice,
    QType.SHORTANSWER: _graded_answers,
    QType.NUMERICAL: _graded_answers,
    QType.MATCHING: _matching,
    QType.TRUEFALSE: _truefalse,
}


def validate(q: Question) -> list[tuple[str, dict]]:
    """What makes the question unusable, as (msgid, params); empty when it can be imported."""
    for a in q.answers:
        if not -1 <= a.fraction <= 1:
            return [(WEIGHT_RANGE, {"weight": percent_text(a.fraction)})]
    check = _CHECKS.get(q.type)
    return check(q) if check else []


def finish(q: Question, problems: list[ImportProblem], questions: list[Question], excerpt: str = "") -> None:
    """Name the question if it has no name, check it, and keep it or report why not."""
    q.name = (q.name or "").strip()[:NAME_LENGTH] or default_name(q.text, q.text_format)
    failures = validate(q)
    if failures:
        message, params = failures[0]
        problems.append(problem(q.line, message, excerpt or q.name, **params))
    else:
        questions.append(q)
