"""Export tables as CSV or XLSX, the same way everywhere: UTF-8 with a BOM and CRLF in the CSV (Excel reads the
Vietnamese correctly), a bold frozen header in the XLSX, dates as dd/mm/yyyy, and no cell that a spreadsheet would
run as a formula. Used by the gradebooks, the results reports and the certificate registry."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import abort, current_app

FORMATS = ("csv", "xlsx")
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """Headers, then rows of plain values (str, int, float, date, datetime, None)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    widths: list[int] = field(default_factory=list)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # never a formula in a spreadsheet
    return value


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """One sheet named after the table; text cells are always stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    name = "".join(ch for ch in table.title if ch not in "[]:*?/\\")[:31] or "Sheet1"
    ws = wb.create_sheet(name)
    ws.freeze_panes = "A2"
    for index, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)

    def cell(value: Any, font: Font | None = None) -> WriteOnlyCell:
        if isinstance(value, bool):
            value = int(value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"
        elif isinstance(value, float):
            c.number_format = "0.00"
        elif isinstance(value, datetime):
            c.number_format = "dd/mm/yyyy hh:mm"
        elif isinstance(value, date):
            c.number_format = "dd/mm/yyyy"
        if font is not None:
            c.font = font
        return c

    ws.append([cell(h, bold) for h in table.headers])
    for row in table.rows:
        ws.append([cell(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def response(table: Table, fmt: str, stem: str):
    """The table as a download (404 for an unknown format); never kept by a cache: it holds personal data."""
    if fmt not in FORMATS:
        abort(404)
    body = table_csv(table) if fmt == "csv" else table_xlsx(table)
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "export"
    resp = current_app.response_class(body, mimetype=MIME[fmt])
    resp.headers["Content-Disposition"] = f"attachment; filename={name}.{fmt}"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
