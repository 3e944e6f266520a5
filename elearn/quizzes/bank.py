"""Question-bank rules that need no database: category paths, search text, tags. Pure Python.

A category path is written as Moodle writes it: "$course$/top/Top/Sub" or "Top/Sub", names separated by "/"
and a "/" inside a name doubled ("A//B" is the one name "A/B"). The context prefix ("$course$", "$system$", ...)
and Moodle's hidden root "top" are dropped: a bank belongs to one course.
"""
from __future__ import annotations

import re

from elearn.core.text import fold
from elearn.quizzes.formats.common import plain_text
from elearn.quizzes.questions import Question

DEFAULT_CATEGORY = "Mặc định"  # where questions without a category go (a stored name, not a UI string)
NAME_LENGTH = 255
TAG_LENGTH = 100
_CONTEXT = re.compile(r"^\$[a-z]+\$$")
_SLASH = "\x00"


def category_parts(path: str | None) -> list[str]:
    """ "$course$/top/Luật/Chương 1" -> ["Luật", "Chương 1"]; an empty path -> [DEFAULT_CATEGORY]."""
    text = (path or "").strip().replace("//", _SLASH)
    parts = [p.replace(_SLASH, "/").strip()[:NAME_LENGTH] for p in text.split("/")]
    parts = [p for p in parts if p]
    if parts and _CONTEXT.match(parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts or [DEFAULT_CATEGORY]


def category_path(parts: list[str]) -> str:
    """The path a file carries: ["Luật", "A/B"] -> "$course$/Luật/A//B"."""
    return "$course$/" + "/".join(p.replace("/", "//") for p in parts)


def display_path(parts: list[str]) -> str:
    return " / ".join(parts)


def clean_tags(tags: list[str]) -> list[str]:
    """Stripped, shortened, without duplicates (first spelling kept), in their order."""
    seen: set[str] = set()
    kept = []
    for tag in tags:
        tag = " ".join(str(tag).split())[:TAG_LENGTH]
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            kept.append(tag)
    return kept


def search_text(q: Question) -> str:
    """What the bank's text filter searches: the name and the visible text, folded (no diacritics)."""
    return fold(f"{q.name} {plain_text(q.text, q.text_format)}")


def stored_data(q: Question) -> dict:
    """A version's data: the question as JSON, without the category (the bank row holds it)."""
    data = q.to_json()
    data["category"] = ""
    data["tags"] = clean_tags(q.tags)
    return data
