"""Vietnamese-aware text helpers: search that ignores diacritics."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ -> d), collapse white space.

    "Nguyễn  Văn Đức" -> "nguyen van duc"; used for every search column and query.
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def like_pattern(query: str) -> str:
    """A LIKE pattern matching the folded query anywhere, with wildcards escaped."""
    folded = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"
