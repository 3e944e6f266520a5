"""Marking one response to one question. Pure Python: no Flask, no database.

`mark(question, response)` follows Moodle's question types:

| type        | response                                   | fraction                                                   |
| ----------- | ------------------------------------------ | ---------------------------------------------------------- |
| multichoice | an answer index (single) or a list of them | single: the chosen answer's; multiple: the sum of the      |
|             | (indexes into `question.answers`, the      | chosen answers' (negative weights penalise wrong choices)  |
|             | authored order, never the shuffled one)    |                                                            |
| truefalse   | True / False                               | the fraction of the "true" or "false" answer               |
| shortanswer | text                                       | the first answer (in order) whose pattern matches          |
| numerical   | text: "3,5" (decimal comma) or "3.5"       | the first answer within its tolerance; `*` catches the rest |
| matching    | {subquestion index: chosen answer text}    | right pairs / pairs (distractors are not pairs)            |
| essay       | text                                       | None until a lecturer grades it (`grade_manually`)         |
| description | anything                                   | None: no grade                                             |

Every fraction is clamped to 0..1, as Moodle clamps a question's mark: a learner never loses marks
earned on other questions. An empty response is "not answered" with fraction 0 (an empty essay too:
nothing waits for a lecturer). Responses that do not fit the question (an index that does not exist,
two answers to a one-answer question) never raise: the invalid parts are ignored; services refuse
them before saving with `response_problem()`.

`Mark.feedback` holds the author's per-answer feedback for what was chosen (shown only when the review
settings allow it); `Mark.notice` is a translatable note from the system (e.g. "not a number").
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from elearn.core.text import fold
from elearn.courses.messages import N_, Message, msg

from .questions import Answer, QType, Question

__all__ = [
    "MARK_STATE_LABELS", "Mark", "MarkState", "grade_manually", "is_answered", "mark", "normalise_text",
    "parse_number", "response_problem", "score", "state_for",
]

EPSILON = 1e-6  # Moodle's question_state::graded_state_for_fraction uses the same margin


class MarkState(StrEnum):
    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    NEEDS_GRADING = "needs_grading"
    NOT_ANSWERED = "not_answered"
    NO_GRADE = "no_grade"


MARK_STATE_LABELS = {
    MarkState.CORRECT: N_("Correct"),
    MarkState.PARTIAL: N_("Partially correct"),
    MarkState.WRONG: N_("Incorrect"),
    MarkState.NEEDS_GRADING: N_("Requires grading"),
    MarkState.NOT_ANSWERED: N_("Not answered"),
    MarkState.NO_GRADE: N_("Not graded"),
}

NOT_A_NUMBER = N_("\"%(value)s\" is not a number: write digits, with a comma or a dot for decimals (3,5 or 3.5).")


@dataclass(frozen=True)
class Mark:
    """The outcome of marking one response. `fraction` is None while an essay waits, and for a description."""

    fraction: float | None
    state: MarkState
    feedback: list[str] = field(default_factory=list, hash=False)
    notice: Message | None = None

    @property
    def graded(self) -> bool:
        return self.fraction is not None

    def to_json(self) -> dict:
        data: dict[str, Any] = {"fraction": self.fraction, "state": str(self.state), "feedback": list(self.feedback)}
        if self.notice is not None:
            data["notice"] = {"msgid": self.notice.msgid, "params": dict(self.notice.params)}
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Mark:
        notice = data.get("notice")
        fraction = data.get("fraction")
        return cls(None if fraction is None else float(fraction), MarkState(data["state"]),
                   list(data.get("feedback", [])),
                   Message(notice["msgid"], dict(notice.get("params", {}))) if notice else None)


def state_for(fraction: float) -> MarkState:
    """correct / partial / wrong for a clamped fraction."""
    if fraction >= 1 - EPSILON:
        return MarkState.CORRECT
    if fraction <= EPSILON:
        return MarkState.WRONG
    return MarkState.PARTIAL


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _graded(fraction: float, feedback: Iterable[str] = (), notice: Message | None = None) -> Mark:
    value = _clamp(fraction)
    if value <= EPSILON:
        value = 0.0
    elif value >= 1 - EPSILON:
        value = 1.0
    return Mark(value, state_for(value), [f for f in feedback if f], notice)


def _not_answered() -> Mark:
    return Mark(0.0, MarkState.NOT_ANSWERED)


def score(mark: Mark, max_mark: float) -> float | None:
    """The mark scaled to the question's maximum in the quiz; None while ungraded (or for a description)."""
    if mark.fraction is None:
        return None
    return round(mark.fraction * max_mark, 7)


def grade_manually(fraction: float, feedback: Iterable[str] = ()) -> Mark:
    """A lecturer's grade (essays, or an override): fraction 0..1, outside that range is refused."""
    if fraction is None or not math.isfinite(fraction) or not 0 <= fraction <= 1:
        raise ValueError(f"a manual grade must be a fraction from 0 to 1, got {fraction!r}")
    return _graded(fraction, feedback)


# ---- text helpers ---------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise_text(text: Any) -> str:
    """NFC (phones send Vietnamese decomposed or composed), trimmed, runs of white space made one space."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def _strip_marks_keep_case(text: str) -> str:
    """Remove diacritics (đ -> d) but keep upper/lower case, for case-sensitive diacritics-free matching."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if ch.isspace():
            out.append(ch)
            continue
        folded = fold(ch)
        out.append(folded.upper() if ch.isupper() else folded)
    return "".join(out)


def _comparable(text: str, question: Question) -> str:
    text = normalise_text(text)
    if question.ignore_diacritics:
        text = _strip_marks_keep_case(text) if question.case_sensitive else fold(text)
    if not question.case_sensitive:
        text = text.casefold()
    return text


_UNESCAPED_STARS = re.compile(r"(?<!\\)\*+")


def _wildcard_match(pattern: str, text: str) -> bool:
    """Moodle's compare_string_with_wildcard: `*` matches any run of characters, `\\*` a literal star.

    Matched piece by piece with str.find (no regular expression), so a long response cannot make a
    pattern with many stars backtrack for ever.
    """
    bits = [bit.replace("\\*", "*") for bit in _UNESCAPED_STARS.split(pattern)]
    if len(bits) == 1:
        return text == bits[0]
    first, *middle, last = bits
    start, end = len(first), len(text) - len(last)
    if end < start or not text.startswith(first) or not text.endswith(last):
        return False
    for bit in middle:
        found = text.find(bit, start, end)
        if found < 0:
            return False
        start = found + len(bit)
    return True


# ---- numbers --------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?", re.ASCII)
_GROUPED = re.compile(r"[+-]?\d{1,3}((\.\d{3})+|(,\d{3})+)", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


def parse_number(text: Any) -> float | None:
    """A number as a person types it, or None.

    Accepts "3.5", "3,5" (Vietnamese decimal comma), "-2", "+1e3", "1 234,5" and "1.234,5" / "1,234.5"
    (when both separators appear, the last one is the decimal mark). One separator alone is always the
    decimal mark ("1,234" is 1.234); the same one repeated groups thousands ("1.234.567").
    Unicode minus signs and non-breaking spaces are accepted.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text) if math.isfinite(text) else None
    value = normalise_text(text).replace("\u2212", "-").replace("\u2013", "-")
    value = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d)", "", value).lower()
    if _GROUPED.fullmatch(value) and (value.count(".") > 1 or value.count(",") > 1):
        value = value.replace(".", "").replace(",", "")
    elif "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        value = value.replace(thousands, "").replace(decimal, ".")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# ---- responses ------------------------------------------------------------------------------------

def _indexes(response: Any) -> list[int] | None:
    """The answer indexes in a multichoice response, or None when it is not one (bools are not indexes)."""
    items = list(response) if isinstance(response, list | tuple | set | frozenset) else [response]
    out: list[int] = []
    for item in items:
        if isinstance(item, bool):
            return None
        if isinstance(item, int):
            out.append(item)
        elif isinstance(item, str) and _DIGITS.fullmatch(item.strip()):
            out.append(int(item.strip()))
        else:
            return None
    return out


def _bool(response: Any) -> bool | None:
    if isinstance(response, bool):
        return response
    if isinstance(response, str):
        return {"true": True, "1": True, "false": False, "0": False}.get(response.strip().lower())
    return None


def _pairs(response: Any) -> dict[int, str] | None:
    if not isinstance(response, Mapping):
        return None
    out: dict[int, str] = {}
    for key, value in response.items():
        if isinstance(key, bool):
            return None
        if isinstance(key, str) and _DIGITS.fullmatch(key.strip()):
            key = int(key.strip())
        if not isinstance(key, int) or (value is not None and not isinstance(value, str)):
            return None
        if value is not None and normalise_text(value):
            out[key] = normalise_text(value)
    return out


_TAGS = re.compile(r"<[^>]*>")


def _is_empty(response: Any) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not normalise_text(response)
    if isinstance(response, list | tuple | set | frozenset | Mapping):
        return len(response) == 0
    return False


def is_answered(question: Question, response: Any) -> bool:
    """Whether the response says anything at all (an empty text, list or mapping does not)."""
    if _is_empty(response):
        return False
    qtype = question.type
    if qtype == QType.MULTICHOICE:
        return isinstance(response, int | str | list | tuple | set | frozenset) and not isinstance(response, bool)
    if qtype == QType.TRUEFALSE:
        return _bool(response) is not None
    if qtype == QType.MATCHING:
        return bool(_pairs(response))
    if qtype == QType.ESSAY and isinstance(response, str):
        # a rich-text editor sends "<p><br></p>" for an empty essay
        return bool(normalise_text(_TAGS.sub(" ", response).replace("&nbsp;", " ")))
    return isinstance(response, str | int | float) and not isinstance(response, bool)


def _stems(question: Question) -> list[int]:
    """Indexes of the matching subquestions that are real pairs (a distractor has no text)."""
    return [i for i, sub in enumerate(question.subquestions) if normalise_text(sub.text)]


def _choices(question: Question) -> set[str]:
    return {normalise_text(sub.answer) for sub in question.subquestions if normalise_text(sub.answer)}


def response_problem(question: Question, response: Any) -> Message | None:
    """Why a response cannot be saved for this question (None when it can). An empty response is fine."""
    if _is_empty(response) or question.type == QType.DESCRIPTION:
        return None
    qtype = question.type
    if qtype == QType.MULTICHOICE:
        indexes = _indexes(response)
        if indexes is None or any(not 0 <= i < len(question.answers) for i in indexes):
            return msg(N_("This answer is not one of the choices."))
        if question.single and len(set(indexes)) > 1:
            return msg(N_("Choose only one answer."))
        return None
    if qtype == QType.TRUEFALSE:
        return None if _bool(response) is not None else msg(N_("Answer true or false."))
    if qtype == QType.MATCHING:
        pairs = _pairs(response)
        if pairs is None:
            return msg(N_("This answer is not one of the choices."))
        stems, choices = set(_stems(question)), _choices(question)
        if any(key not in stems or value not in choices for key, value in pairs.items()):
            return msg(N_("This answer is not one of the choices."))
        return None
    if not isinstance(response, str | int | float) or isinstance(response, bool):
        return msg(N_("This answer cannot be read."))
    return None


# ---- marking each type ----------------------------------------------------------------------------

def _mark_multichoice(question: Question, response: Any) -> Mark:
    indexes = _indexes(response)
    chosen = sorted({i for i in indexes or [] if 0 <= i < len(question.answers)})
    if not chosen:
        return _not_answered()
    if question.single and len(chosen) > 1:
        return _graded(0.0)  # two answers to a one-answer question earn nothing
    answers = [question.answers[i] for i in chosen]
    return _graded(sum(a.fraction for a in answers), (a.feedback for a in answers))


def _truefalse_answer(question: Question, value: bool) -> Answer | None:
    wanted = "true" if value else "false"
    for answer in question.answers:
        if normalise_text(answer.text).casefold() == wanted:
            return answer
    if len(question.answers) == 2:  # Moodle's order: the "true" answer first, then "false"
        return question.answers[0 if value else 1]
    return None


def _mark_truefalse(question: Question, response: Any) -> Mark:
    value = _bool(response)
    if value is None:
        return _not_answered()
    answer = _truefalse_answer(question, value)
    if answer is None:
        return _graded(0.0)
    return _graded(answer.fraction, [answer.feedback])


def _mark_shortanswer(question: Question, response: Any) -> Mark:
    text = _comparable(response, question)
    for answer in question.answers:
        pattern = _comparable(answer.text, question)
        if pattern and _wildcard_match(pattern, text):
            return _graded(answer.fraction, [answer.feedback])
    return _graded(0.0)


def _mark_numerical(question: Question, response: Any) -> Mark:
    value = parse_number(response)
    if value is None:
        return _graded(0.0, notice=msg(NOT_A_NUMBER, value=normalise_text(response)[:40]))
    for answer in question.answers:
        if normalise_text(answer.text) == "*":
            return _graded(answer.fraction, [answer.feedback])
        target = parse_number(answer.text)
        if target is None:
            continue
        tolerance = abs(answer.tolerance or 0.0)
        # a little slack for binary floating point (0.1 + 0.2), as Moodle adds to its tolerance
        slack = 1e-9 * max(1.0, abs(target), tolerance)
        if abs(value - target) <= tolerance + slack:
            return _graded(answer.fraction, [answer.feedback])
    return _graded(0.0)


def _mark_matching(question: Question, response: Any) -> Mark:
    pairs = _pairs(response) or {}
    stems = _stems(question)
    answered = {i: pairs[i] for i in stems if i in pairs}
    if not answered:
        return _not_answered()
    if not stems:
        return _graded(0.0)
    right = sum(1 for i, chosen in answered.items() if chosen == normalise_text(question.subquestions[i].answer))
    return _graded(right / len(stems))


def mark(question: Question, response: Any) -> Mark:
    """Mark one response to one question (see the module's table)."""
    if question.type == QType.DESCRIPTION:
        return Mark(None, MarkState.NO_GRADE)
    if not is_answered(question, response):
        return _not_answered()
    if question.type == QType.ESSAY:
        return Mark(None, MarkState.NEEDS_GRADING)
    if question.type == QType.MULTICHOICE:
        return _mark_multichoice(question, response)
    if question.type == QType.TRUEFALSE:
        return _mark_truefalse(question, response)
    if question.type == QType.SHORTANSWER:
        return _mark_shortanswer(question, response)
    if question.type == QType.NUMERICAL:
        return _mark_numerical(question, response)
    if question.type == QType.MATCHING:
        return _mark_matching(question, response)
    raise ValueError(f"no marking rule for question type {question.type!r}")
