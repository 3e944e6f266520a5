"""Aiken, the simplest multiple-choice format: reader only. Pure Python.

    Question text (one line, or several before the first choice)
    A) Choice one            (or "A. Choice one")
    B) Choice two
    ANSWER: B

Text is kept exactly as written (plain text: `<html>` in a question is shown as those characters). Each bad question
is reported at the line where it starts and the reader carries on with the next one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.accounts.domain import N_
from elearn.quizzes.formats import common
from elearn.quizzes.formats.common import problem
from elearn.quizzes.questions import Answer, ImportResult, QType, Question, TextFormat

CHOICE_WITHOUT_QUESTION = N_("A choice line appears before any question text.")
ANSWER_WITHOUT_QUESTION = N_("An ANSWER line appears before any question.")
NO_ANSWER_LINE = N_("The question has no ANSWER line.")
NO_SPACE = N_("Choice %(letter)s has no space after the letter; it was read anyway.")
BAD_ANSWER_LINE = N_("The ANSWER line must name one choice letter, for example ANSWER: B.")
UNKNOWN_LETTER = N_("ANSWER %(letter)s does not match any choice.")
REPEATED_LETTER = N_("Choice letter %(letter)s is used twice.")

_CHOICE = re.compile(r"^([A-Z])[).]([ \t]*)(.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
_LETTER = re.compile(r"^([A-Za-z])(?![A-Za-z])\W*$")


@dataclass
class _Draft:
    line: int
    text: list[str]
    choices: list[tuple[str, str]] = field(default_factory=list)
    repeated: str = ""


def parse(text: str) -> ImportResult:
    result = ImportResult()
    draft: _Draft | None = None

    def fail(line: int, message: str, excerpt: str, **params) -> None:
        result.problems.append(problem(line, message, excerpt, **params))

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        choice = _CHOICE.match(line)
        if answer:
            if draft is None:
                fail(number, ANSWER_WITHOUT_QUESTION, line)
            else:
                _finish(draft, answer.group(1).strip(), result)
                draft = None
        elif choice and choice.group(2) and draft is None:
            fail(number, CHOICE_WITHOUT_QUESTION, line)
        elif choice and draft is not None and (choice.group(2) or _next_letter(draft) == choice.group(1)):
            letter = choice.group(1)
            if not choice.group(2):
                result.problems.append(problem(number, NO_SPACE, line, warning=True, letter=letter))
            if any(letter == known for known, _ in draft.choices):
                draft.repeated = draft.repeated or letter
            draft.choices.append((letter, choice.group(3).strip()))
        elif draft is not None and not draft.choices:
            draft.text.append(line)  # the question text goes on over several lines
        else:
            if draft is not None:
                fail(draft.line, NO_ANSWER_LINE, draft.text[0])
            draft = _Draft(number, [line])
    if draft is not None:
        fail(draft.line, NO_ANSWER_LINE, draft.text[0])
    return result


def _next_letter(draft: _Draft) -> str:
    return chr(ord("A") + len(draft.choices)) if len(draft.choices) < 26 else ""


def _finish(draft: _Draft, answer: str, result: ImportResult) -> None:
    excerpt = draft.text[0]
    letters = [letter for letter, _ in draft.choices]
    match = _LETTER.match(answer)
    if len(draft.choices) < 2:
        message, params = common.FEW_CHOICES, {}
    elif draft.repeated:
        message, params = REPEATED_LETTER, {"letter": draft.repeated}
    elif not match:
        message, params = BAD_ANSWER_LINE, {}
    elif match.group(1).upper() not in letters:
        message, params = UNKNOWN_LETTER, {"letter": match.group(1).upper()}
    else:
        right = match.group(1).upper()
        text = "\n".join(draft.text)
        question = Question(
            type=QType.MULTICHOICE, name="", text=text, text_format=TextFormat.PLAIN, single=True, line=draft.line,
            answers=[Answer(choice, 1.0 if letter == right else 0.0) for letter, choice in draft.choices],
        )
        common.finish(question, result.problems, result.questions, excerpt)
        return
    result.problems.append(problem(draft.line, message, excerpt, **params))
