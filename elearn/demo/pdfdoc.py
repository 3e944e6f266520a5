"""A small PDF writer for the demo's study documents (fpdf2, in memory).

The text comes as blocks (see course_texts.blocks): headings, paragraphs, bullet lists and tables.
The vendored DejaVu Sans font is embedded, so Vietnamese diacritics render in every PDF viewer.
No Flask, no database: render() returns the bytes; the caller stores them (core/uploads.py).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "fonts"
FONT = "DejaVuSans"
BODY_SIZE = 11
LINE = 5.6  # mm per body line
ACCENT = (160, 20, 20)  # headings: the dark red of Party documents
GREY = (90, 90, 90)


class _Document(FPDF):
    def __init__(self, header_text: str, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.header_text = header_text
        self.footer_text = footer_text

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.header_text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_draw_color(*GREY)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.footer_text}   ·   Trang {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def render(title: str, blocks: Sequence[tuple], *, subtitle: str = "", issuer: str = "", author: str = "",
           created: datetime | None = None) -> bytes:
    """The PDF bytes of a document: a title block, then each block in order.

    Blocks: ("h2", text), ("h3", text), ("p", text), ("ul", [item, ...]), ("table", [[cell, ...], ...])
    (the first table row is the header). "**bold**" marks bold text in paragraphs and list items.
    """
    doc = _Document(header_text=_nfc(title), footer_text=_nfc(issuer or title))
    doc.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    doc.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    doc.set_title(_nfc(title))
    doc.set_subject(_nfc(subtitle or title))
    doc.set_author(_nfc(author or issuer))
    doc.set_creator("elearn")
    doc.set_lang("vi-VN")
    if created is not None:
        doc.set_creation_date(created)
    doc.set_margins(left=20, top=18, right=18)
    doc.set_auto_page_break(auto=True, margin=20)
    doc.add_page()

    if issuer:
        doc.set_font(FONT, "B", 10)
        doc.set_text_color(*GREY)
        doc.multi_cell(0, 5, _nfc(issuer.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        doc.ln(6)
    doc.set_text_color(*ACCENT)
    doc.set_font(FONT, "B", 16)
    doc.multi_cell(0, 8, _nfc(title.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        doc.ln(2)
        doc.set_text_color(0, 0, 0)
        doc.set_font(FONT, "", 11)
        doc.multi_cell(0, 6, _nfc(subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    doc.ln(6)

    for block in blocks:
        kind, content = block[0], block[1]
        if kind in ("h2", "h3"):
            _heading(doc, _nfc(content), 13 if kind == "h2" else 11.5)
        elif kind == "p":
            doc.set_font(FONT, "", BODY_SIZE)
            doc.multi_cell(0, LINE, _nfc(content), align="J", markdown=True, new_x="LMARGIN", new_y="NEXT")
            doc.ln(2)
        elif kind == "ul":
            _bullets(doc, [_nfc(item) for item in content])
        elif kind == "table":
            _table(doc, [[_nfc(cell) for cell in row] for row in content])
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    return bytes(doc.output())


def _heading(doc: FPDF, text: str, size: float) -> None:
    if doc.get_y() > doc.h - doc.b_margin - 25:  # keep a heading with the text that follows it
        doc.add_page()
    doc.ln(2)
    doc.set_font(FONT, "B", size)
    doc.set_text_color(*ACCENT)
    doc.multi_cell(0, size * 0.55, text, align="L", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    doc.ln(1.5)


def _bullets(doc: FPDF, items: list[str]) -> None:
    doc.set_font(FONT, "", BODY_SIZE)
    indent, mark = 6, 5
    for item in items:
        doc.set_x(doc.l_margin + indent)
        doc.cell(mark, LINE, "•")
        doc.multi_cell(doc.w - doc.r_margin - doc.get_x(), LINE, item, align="J", markdown=True,
                       new_x="LMARGIN", new_y="NEXT")
        doc.ln(0.8)
    doc.ln(1.5)


def _table(doc: FPDF, rows: list[list[str]]) -> None:
    doc.set_font(FONT, "", 10)
    widths = (28, 72) if len(rows[0]) == 2 else None
    heading = FontFace(emphasis="BOLD", fill_color=(240, 228, 228))
    with doc.table(col_widths=widths, align="LEFT", text_align="LEFT", line_height=5.2, headings_style=heading,
                   padding=1.5, first_row_as_headings=True) as table:
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(text)
    doc.ln(3)
