"""The certificate registry as CSV / XLSX: official records, so headers and values are in Vietnamese.

Same conventions as courses/exports.py: UTF-8 BOM in the CSV, local dates, and no cell a spreadsheet
would run as a formula.
"""
from __future__ import annotations

import csv
import io

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from elearn.certificates import domain
from elearn.certificates.models import Certificate
from elearn.core import clock
from elearn.courses.exports import MIME, file_response  # noqa: F401  (re-exported for the views)

FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _headers() -> list[str]:
    return [_("Serial"), _("Full name"), _("Course code"), _("Course"), _("Hours"), _("Result"), _("Final grade"),
            _("Attendance (%)"), _("Completed on"), _("Issued on"), _("Valid until"), _("Status"), _("Revoked on"),
            _("Reason for revoking"), _("Issuing unit")]


def rows(certs: list[Certificate]) -> tuple[list[str], list[list]]:
    today = clock.today_local()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        headers = _headers()
        out = []
        for c in certs:
            out.append([
                c.serial, c.full_name, c.course_code, c.course_title, c.hours, c.result,
                c.final_grade, round(c.attendance_share * 100, 1) if c.attendance_share is not None else None,
                c.completed_on, clock.to_local(c.issued_at).date(), c.expires_on,
                _(domain.STATUS_LABELS[c.status(today)]),
                clock.to_local(c.revoked_at).date() if c.revoked_at else None, c.revoke_reason, c.issuer_name,
            ])
    return headers, out


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def to_csv(certs: list[Certificate]) -> bytes:
    headers, data = rows(certs)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in data:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(certs: list[Certificate]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    headers, data = rows(certs)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("So chung nhan")
    ws.freeze_panes = "A2"

    def cell(value, font=None):
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula
        elif hasattr(value, "strftime"):
            c.number_format = "dd/mm/yyyy"
        if font is not None:
            c.font = font
        return c

    bold = Font(bold=True)
    ws.append([cell(h, bold) for h in headers])
    for row in data:
        ws.append([cell(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
