"""The certificate as a PDF (fpdf2, in memory), with the vendored DejaVu fonts and a QR code (segno).

No Flask, no database: `render(snapshot, images)` turns the snapshot frozen at issue into bytes.
The output depends on nothing else (the creation date is the issue date, the QR image is drawn
from the URL alone), so the same certificate renders byte-for-byte the same PDF every time.
"""
from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import segno
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "fonts"
SERIF = "DejaVuSerif"
SANS = "DejaVuSans"
RED = (160, 20, 20)
DARK = (30, 30, 30)
GREY = (90, 90, 90)
GOLD = (176, 141, 60)


def _t(text) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


def vn_date(value: str | date | None) -> str:
    """"ngày 05 tháng 03 năm 2025" from a date or an ISO string."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def short_date(value: str | date | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d/%m/%Y")


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules (True = dark), without the quiet zone: what the PDF draws."""
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m", micro=False).matrix]


def qr_png(url: str, scale: int = 6) -> bytes:
    """The QR code as an 8-bit greyscale PNG (1-bit palettes are not drawn by every PDF viewer)."""
    from PIL import Image

    raw = io.BytesIO()
    segno.make(url, error="m", micro=False).save(raw, kind="png", scale=scale, border=2)
    raw.seek(0)
    out = io.BytesIO()
    with Image.open(raw) as img:
        img.convert("L").save(out, "PNG")
    return out.getvalue()


def _fit(doc: FPDF, text: str, width: float, size: float, smallest: float = 5.5) -> None:
    """Set the font size so that `text` fits on one line of `width` (down to `smallest`)."""
    while size > smallest and doc.get_string_width(text) > width - 2:
        size -= 0.25
        doc.set_font_size(size)


def _hours(value) -> str:
    number = float(value or 0)
    return str(int(number)) if number == int(number) else f"{number:g}".replace(".", ",")


class _Certificate(FPDF):
    pass


def render(snapshot: dict, images: dict[str, Path] | None = None) -> bytes:
    """The PDF bytes. `images` may hold "seal" and "signature" paths (PNG/JPEG) to print."""
    images = images or {}
    orientation = "P" if snapshot.get("orientation") == "P" else "L"
    doc = _Certificate(orientation=orientation, unit="mm", format="A4")
    doc.add_font(SERIF, "", FONT_DIR / "DejaVuSerif.ttf")
    doc.add_font(SERIF, "B", FONT_DIR / "DejaVuSerif-Bold.ttf")
    doc.add_font(SANS, "", FONT_DIR / "DejaVuSans.ttf")
    doc.add_font(SANS, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    title = _t(snapshot.get("title") or "GIẤY CHỨNG NHẬN")
    doc.set_title(f"{title} {snapshot.get('serial', '')}".strip())
    doc.set_subject(_t(snapshot.get("course_title")))
    doc.set_author(_t(snapshot.get("issuer_name")))
    doc.set_creator("elearn")
    doc.set_lang("vi-VN")
    issued_at = snapshot.get("issued_at")
    created = datetime.fromisoformat(issued_at) if issued_at else datetime(2000, 1, 1, tzinfo=UTC)
    doc.set_creation_date(created if created.tzinfo else created.replace(tzinfo=UTC))
    doc.set_auto_page_break(False)
    doc.set_margins(18, 14, 18)
    doc.add_page()
    w, h = doc.w, doc.h

    # frame
    doc.set_draw_color(*GOLD)
    doc.set_line_width(1.2)
    doc.rect(8, 8, w - 16, h - 16)
    doc.set_line_width(0.3)
    doc.rect(11, 11, w - 22, h - 22)

    # heading: issuer (left), national motto (right)
    col = (w - 36) / 2
    doc.set_text_color(*DARK)
    doc.set_xy(18, 16)
    doc.set_font(SANS, "B", 10)
    doc.multi_cell(col, 5, _t(snapshot.get("issuer_name")).upper(), align="C")
    doc.set_xy(18 + col, 16)
    doc.multi_cell(col, 5, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    doc.set_x(18 + col)
    doc.set_font(SANS, "B", 10)
    doc.multi_cell(col, 5, "Độc lập - Tự do - Hạnh phúc", align="C")

    top = 42 if orientation == "L" else 62
    doc.set_xy(18, top)
    doc.set_text_color(*RED)
    doc.set_font(SERIF, "B", 28 if orientation == "L" else 24)
    doc.multi_cell(w - 36, 13, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(*DARK)
    doc.ln(2)
    doc.set_font(SERIF, "", 13)
    doc.multi_cell(w - 36, 7, "Chứng nhận Ông (Bà):", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(SERIF, "B", 22)
    doc.set_text_color(*RED)
    doc.multi_cell(w - 36, 11, _t(snapshot.get("full_name")), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(*DARK)
    if snapshot.get("unit_name"):
        doc.set_font(SERIF, "", 11)
        doc.multi_cell(w - 36, 6, "Đơn vị: " + _t(snapshot["unit_name"]), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(1)
    doc.set_font(SERIF, "", 12.5)
    doc.multi_cell(w - 36, 6.5, _t(snapshot.get("wording") or "Đã hoàn thành khoá học"), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    course_title = _t(snapshot.get("course_title"))
    size = 15 if len(course_title) <= 90 else 13 if len(course_title) <= 180 else 11  # keeps clear of the seal
    doc.set_font(SERIF, "B", size)
    doc.multi_cell(w - 36, size * 0.53, course_title, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(SERIF, "", 11.5)
    period = f"Thời lượng: {_hours(snapshot.get('hours'))} giờ"
    if snapshot.get("started_on") and snapshot.get("completed_on"):
        period += f"; từ {short_date(snapshot['started_on'])} đến {short_date(snapshot['completed_on'])}"
    doc.multi_cell(w - 36, 6, period, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(w - 36, 6, "Kết quả: " + _t(snapshot.get("result") or "Hoàn thành"), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    if snapshot.get("expires_on"):
        doc.multi_cell(w - 36, 6, "Có giá trị đến: " + short_date(snapshot["expires_on"]), align="C",
                       new_x="LMARGIN", new_y="NEXT")

    # bottom left: QR, then serial, code and address (beside it in landscape, under it in portrait)
    qr_size = 34
    base_y = h - 18 - qr_size - (14 if orientation == "L" else 26)
    url = snapshot.get("verify_url") or ""
    if url:
        doc.image(io.BytesIO(qr_png(url)), x=20, y=base_y, w=qr_size, h=qr_size)
    doc.set_text_color(*GREY)
    if orientation == "L":
        text_x, text_y, text_w = 20 + qr_size + 3, base_y + 4, col - qr_size - 6
    else:
        text_x, text_y, text_w = 20, base_y + qr_size + 2, col - 4
    doc.set_xy(text_x, text_y)
    lines = ["Số hiệu: " + _t(snapshot.get("serial")),
             "Mã xác thực: " + _t(snapshot.get("code_grouped") or snapshot.get("code")), "Kiểm tra tại:", url]
    for line in lines:
        doc.set_font(SANS, "", 8.5)
        _fit(doc, line, text_w, 8.5)
        doc.cell(text_w, 4.6, line, align="L", new_x="LEFT", new_y="NEXT")

    # bottom right: place and date, signer, signature and seal
    right_x = 18 + col
    doc.set_text_color(*DARK)
    doc.set_xy(right_x, base_y - 8)
    doc.set_font(SERIF, "", 11)
    place = _t(snapshot.get("place"))
    issued = vn_date(snapshot.get("issued_on"))
    doc.multi_cell(col, 6, f"{place}, {issued}" if place else issued.capitalize(), align="C",
                   new_x="LEFT", new_y="NEXT")
    doc.set_font(SERIF, "B", 11.5)
    doc.multi_cell(col, 6, _t(snapshot.get("signer_title")).upper(), align="C", new_x="LEFT", new_y="NEXT")
    sign_y = doc.get_y() + 1
    centre = right_x + col / 2
    if images.get("seal"):
        doc.image(str(images["seal"]), x=centre - 30, y=sign_y, h=26)
    if images.get("signature"):
        doc.image(str(images["signature"]), x=centre - 18, y=sign_y + 3, h=18)
    doc.set_xy(right_x, sign_y + 27)
    doc.set_font(SERIF, "B", 12)
    doc.multi_cell(col, 6, _t(snapshot.get("signer_name")), align="C")
    return bytes(doc.output())
