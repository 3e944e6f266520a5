"""The text of a submission's attached files (PDF, DOCX), for the similarity check. No Flask, no database.

Essays are often written in Word and attached: their text must be compared too. A file whose text cannot be
read (a scan, a damaged file, a picture) gives "" and is simply not compared.
"""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000  # of one attachment (an essay is a few thousand)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 20 * 1024 * 1024  # word/document.xml larger than this is not read


def docx_text(path: Path) -> str:
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                return ""
            root = ElementTree.fromstring(archive.read(info))
    except Exception:  # noqa: BLE001  (damaged, hostile or odd files: not compared)
        logger.warning("could not read the DOCX %s", path, exc_info=True)
        return ""
    paragraphs = []
    for para in root.iter(f"{_W}p"):
        paragraphs.append("".join(node.text or "" for node in para.iter(f"{_W}t")))
    return "\n".join(p for p in paragraphs if p.strip())[:MAX_CHARS]


def pdf_text(path: Path) -> str:
    from elearn.documents.extract import extract

    return extract(path, MAX_CHARS).text


def file_text(path: Path, content_type: str) -> str:
    if content_type == "application/pdf":
        return pdf_text(path)
    if content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        return docx_text(path)
    return ""
