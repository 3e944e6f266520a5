"""JSON question files: a list of Question.to_json() objects. Reader and writer. Pure Python."""
from __future__ import annotations

import json
import math

from elearn.accounts.domain import N_
from elearn.quizzes.formats import common
from elearn.quizzes.formats.common import problem
from elearn.quizzes.questions import ImportResult, Question

MALFORMED_JSON = N_("The JSON is malformed at line %(line)s, column %(column)s.")
NOT_A_LIST = N_("A JSON question file must be a list of questions.")
BAD_ITEM = N_("Item %(index)s is not a valid question.")
TOO_DEEP = N_("The JSON is nested too deeply to be a question file.")

_decoder = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _items(text: str) -> list[tuple[object, int]]:
    """The elements of the top-level list with the line each starts on (json.loads gives no positions)."""
    pos = _skip(text, 0)
    if text[pos:pos + 1] != "[":
        data = json.loads(text)  # a malformed file raises here with its position
        if isinstance(data, dict) and isinstance(data.get("questions"), list):
            return [(item, None) for item in data["questions"]]
        raise TypeError
    items, pos = [], _skip(text, pos + 1)
    line, counted = 1, 0  # lines counted incrementally: counting from the start each time is quadratic
    if text[pos:pos + 1] == "]":
        pos += 1
    else:
        while True:
            value, end = _decoder.raw_decode(text, pos)
            line, counted = line + text.count("\n", counted, pos), pos
            items.append((value, line))
            pos = _skip(text, end)
            if text[pos:pos + 1] == ",":
                pos = _skip(text, pos + 1)
                continue
            if text[pos:pos + 1] != "]":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos += 1
            break
    if _skip(text, pos) != len(text):
        raise json.JSONDecodeError("Extra data", text, _skip(text, pos))
    return items


def parse(text: str) -> ImportResult:
    result = ImportResult()
    try:
        items = _items(text)
    except json.JSONDecodeError as err:
        return ImportResult(problems=[problem(err.lineno, MALFORMED_JSON, line=err.lineno, column=err.colno)])
    except RecursionError:
        return ImportResult(problems=[problem(None, TOO_DEEP)])
    except TypeError:
        return ImportResult(problems=[problem(None, NOT_A_LIST)])
    for index, (item, line) in enumerate(items, 1):
        try:
            if not isinstance(item, dict):
                raise TypeError("not an object")
            question = Question.from_json(item)
            _check_types(question)
        except (KeyError, ValueError, TypeError, AttributeError) as err:
            excerpt = str(item.get("name", "")) if isinstance(item, dict) else ""
            result.problems.append(problem(line, BAD_ITEM, excerpt or str(err), index=index))
            continue
        question.line = line
        common.finish(question, result.problems, result.questions)
    return result


def _check_types(q: Question) -> None:
    """from_json trusts its input; a file does not deserve that."""
    strings = [q.name, q.text, q.category, q.general_feedback, *q.tags]
    strings += [s for a in q.answers for s in (a.text, a.feedback)]
    strings += [s for sub in q.subquestions for s in (sub.text, sub.answer)]
    if not all(isinstance(s, str) for s in strings):
        raise TypeError("a text field is not a string")
    if not all(isinstance(f, bool) for f in (q.single, q.shuffle_answers, q.case_sensitive, q.ignore_diacritics)):
        raise TypeError("a yes/no field is not true or false")
    numbers = [q.default_mark, *(n for a in q.answers for n in (a.fraction, a.tolerance))]
    if not all(math.isfinite(n) for n in numbers) or q.default_mark < 0:
        raise ValueError("a number is not finite, or the mark is negative")


def export(questions: list[Question]) -> str:
    return json.dumps([q.to_json() for q in questions], ensure_ascii=False, indent=2) + "\n"
