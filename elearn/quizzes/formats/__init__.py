"""Question files in and out: GIFT, Aiken, Moodle XML and JSON. Pure Python (no Flask, no database).

    result = parse(data, "gift")            # ImportResult: the good questions and every problem with its line
    text = export(questions, "moodlexml")   # str
    fmt = detect_format("bank.txt", data)   # "gift" | "aiken" | "moodlexml" | "json"

parse() never raises on bad input: a file that is too large, empty, binary, in another encoding, truncated or
malformed gives an ImportResult whose problems say so (a warning problem leaves the question or the file in).
"""
from __future__ import annotations

import re
from pathlib import PurePath

from elearn.quizzes.formats import aiken, common, gift, jsonfmt, moodlexml
from elearn.quizzes.formats.common import problem
from elearn.quizzes.questions import ImportResult, Question

IMPORT_FORMATS = ("gift", "aiken", "moodlexml", "json")
EXPORT_FORMATS = ("gift", "moodlexml", "json")
EXTENSIONS = {"gift": ".gift.txt", "moodlexml": ".xml", "json": ".json"}
_ALIASES = {"xml": "moodlexml", "moodle_xml": "moodlexml", "txt": "gift"}
_READERS = {"gift": gift.parse, "aiken": aiken.parse, "json": jsonfmt.parse, "moodlexml": moodlexml.parse}
_WRITERS = {"gift": gift.export, "moodlexml": moodlexml.export, "json": jsonfmt.export}


def _name(fmt: str, known: tuple[str, ...]) -> str:
    name = _ALIASES.get(fmt.lower(), fmt.lower())
    if name not in known:
        raise ValueError(f"unknown question format {fmt!r}")
    return name


def parse(data: bytes | str, fmt: str | None = None) -> ImportResult:
    """Read a question file. `fmt` is one of IMPORT_FORMATS; None guesses it from the content."""
    fmt = _name(fmt, IMPORT_FORMATS) if fmt else detect_format("", data)
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > common.MAX_BYTES:
        return ImportResult(problems=[problem(None, common.TOO_LARGE, limit=common.MAX_BYTES // (1024 * 1024))])
    text, problems = (moodlexml.decode if fmt == "moodlexml" else common.decode)(data)
    if text is None:
        return ImportResult(problems=problems)
    result = _READERS[fmt](text)
    result.problems[:0] = problems
    if not result.questions and not any(not p.warning for p in result.problems):
        result.problems.append(problem(None, common.NO_QUESTIONS))
    if len(result.problems) > common.MAX_PROBLEMS:
        hidden = len(result.problems) - common.MAX_PROBLEMS
        del result.problems[common.MAX_PROBLEMS:]
        result.problems.append(problem(None, common.MORE_PROBLEMS, count=hidden))
    return result


def export(questions: list[Question], fmt: str) -> str:
    """Write questions in one of EXPORT_FORMATS; categories are written as the format does (GIFT: $CATEGORY:)."""
    return _WRITERS[_name(fmt, EXPORT_FORMATS)](list(questions))


_AIKEN_ANSWER = re.compile(r"^[ \t]*ANSWER[ \t]*:[ \t]*[A-Za-z]", re.MULTILINE)
_AIKEN_CHOICE = re.compile(r"^[ \t]*[A-Z][).]", re.MULTILINE)
_GIFT_BLOCK = re.compile(r"(?<!\\)\{[^{}]*(?<!\\)\}")


def detect_format(filename: str, data: bytes | str) -> str:
    """The format of a question file, from its name (.gift, .xml, .json) or else from what it contains."""
    name = PurePath(filename or "").name.lower()
    for ending, fmt in ((".gift", "gift"), (".gift.txt", "gift"), (".xml", "moodlexml"), (".json", "json"),
                        (".aiken", "aiken"), (".aiken.txt", "aiken")):
        if name.endswith(ending):
            return fmt
    head = data[:65536]
    if isinstance(head, bytes):
        head = head.decode("utf-8", errors="replace")
    head = head.lstrip("\ufeff \t\r\n")
    if head.startswith("<?xml") or head.startswith("<quiz"):
        return "moodlexml"
    if re.match(r"\[\s*[{\]]|\{\s*\"", head):
        return "json"
    answers = len(_AIKEN_ANSWER.findall(head))
    if answers and len(_AIKEN_CHOICE.findall(head)) >= answers and answers > len(_GIFT_BLOCK.findall(head)):
        return "aiken"
    return "gift"
