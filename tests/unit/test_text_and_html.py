"""Diacritics-insensitive folding and the rich-text sanitiser."""
from __future__ import annotations

import pytest

from elearn.core import html
from elearn.core.text import fold, like_pattern


@pytest.mark.parametrize("raw, folded", [
    ("Nguyễn Văn Đức", "nguyen van duc"),
    ("  NGHỊ   QUYẾT  57-NQ/TW ", "nghi quyet 57-nq/tw"),
    ("Ơ Đu", "o du"),
    ("", ""),
    (None, ""),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_handles_decomposed_input():
    assert fold("Nguye\u0302\u0303n") == "nguyen"


def test_like_pattern_escapes_wildcards():
    assert like_pattern("50%_x") == "%50\\%\\_x%"


def test_sanitiser_keeps_formatting_and_drops_scripts():
    dirty = '<p onclick="x()">Xin <strong>chào</strong><script>alert(1)</script></p><a href="javascript:alert(1)">l</a>'
    clean = html.clean(dirty)
    assert "<strong>chào</strong>" in clean
    assert "script" not in clean.lower() or "&lt;" in clean
    assert "onclick" not in clean and "javascript:" not in clean
