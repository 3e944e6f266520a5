"""Text of a stored PDF, for the full-text search (pypdf; no Flask, no database).

A PDF without a text layer (a scan) gives "empty"; one pypdf cannot read gives "failed". Neither is an
error for the person uploading: the document is kept and flagged.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000  # text kept per document (a 300-page resolution has about 1 million)


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int | None
    status: str  # ok / empty / failed


def page_count(path: Path) -> int | None:
    """The number of pages, read from the PDF's page tree (fast); None when unreadable."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        return len(reader.pages)
    except Exception:  # noqa: BLE001  (pypdf raises many kinds of errors on damaged files)
        return None


def extract(path: Path, max_chars: int = MAX_CHARS) -> Extracted:
    try:
        from pypdf import PdfReader

        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return Extracted("", None, "failed")
        pages = len(reader.pages)
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            try:
                text = page.extract_text() or ""
            except Exception:  # noqa: BLE001  (one bad page does not lose the others)
                logger.warning("could not extract the text of a page of %s", path, exc_info=True)
                text = ""
            parts.append(text)
            size += len(text)
            if size >= max_chars:
                break
    except Exception:  # noqa: BLE001
        logger.warning("could not read the PDF %s", path, exc_info=True)
        return Extracted("", None, "failed")
    text = unicodedata.normalize("NFC", "\n".join(parts)[:max_chars].replace("\x00", ""))
    return Extracted(text, pages, "ok" if text.strip() else "empty")
