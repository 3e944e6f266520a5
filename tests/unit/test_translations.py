"""Every user-facing string is in the committed catalogs and translated into Vietnamese."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "elearn" / "translations"


def _catalog(lang: str):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


def test_every_vietnamese_message_is_translated():
    untranslated = [m.id for m in _catalog("vi") if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_catalogs_hold_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "N_", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as fh:
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    for lang in ("vi", "en"):
        in_catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(lang) if m.id}
        missing = sorted(in_code - in_catalog)
        assert missing == [], f"run `make extract-messages` and translate ({lang}): {missing[:10]}"


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\((\w+)\)s")
    for m in _catalog("vi"):
        if m.id and m.string and isinstance(m.id, str):
            assert set(pattern.findall(m.id)) == set(pattern.findall(m.string)), m.id
