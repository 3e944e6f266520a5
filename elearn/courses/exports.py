"""Participants of a course with their progress: the filtered list and its CSV / XLSX export.

The files are official records for the training office, so their headers and values are always in
Vietnamese (the site's default language) whatever language the person uses; dates are local time
(Asia/Ho_Chi_Minh). The CSV starts with a UTF-8 BOM so that Excel reads the Vietnamese correctly.
Cells that a spreadsheet would run as a formula (=, +, -, @ ...) are kept as plain text.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from elearn.accounts.models import Profile, User
from elearn.accounts.services import unit_subtree_ids
from elearn.core.tables import FORMULA_START, MIME
from elearn.courses import catalog, services
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db

FORMATS = ("csv", "xlsx")
COMPLETION_FILTERS = ("completed", "in_progress")


def participants_query(course: Course, unit_id: int | None = None, completion: str = "") -> Select:
    """Active participants of the course, by name; optionally in a unit (with its sub-units) and by completion."""
    stmt = services.participants(course)
    if unit_id:
        units = unit_subtree_ids(unit_id)
        stmt = stmt.where(Enrolment.user_id.in_(select(Profile.user_id).where(Profile.unit_id.in_(units))))
    if completion == "completed":
        stmt = stmt.where(Enrolment.completed_at.is_not(None))
    elif completion == "in_progress":
        stmt = stmt.where(Enrolment.completed_at.is_(None))
    return stmt


@dataclass(frozen=True)
class Row:
    full_name: str
    username: str
    unit: str
    position: str
    method: str
    in_target: str
    reason: str
    progress: int  # percent
    completed_at: datetime | None  # local time, naive
    last_access_at: datetime | None
    enrolled_at: datetime | None


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.astimezone(zone).replace(tzinfo=None)


def headers() -> list[str]:
    return [_("Full name"), _("Username"), _("Unit"), _("Position"), _("Enrolment method"),
            _("In the target group"), _("Reason for enrolling outside the target group"), _("Progress (%)"),
            _("Completed on"), _("Last access"), _("Enrolled on")]


def participant_rows(stmt: Select) -> list[Row]:
    """The rows of the export, with labels in Vietnamese."""
    enrolments = db.session.scalars(stmt.options(selectinload(Enrolment.user).selectinload(User.profile))).all()
    rows = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yes, no = _("Yes"), _("No")
        for e in enrolments:
            profile = e.user.profile
            method = catalog.ENROL_METHOD_LABELS.get(e.method)
            rows.append(Row(
                full_name=e.user.full_name, username=e.user.username,
                unit=profile.unit.name if profile is not None else "",
                position=profile.position if profile is not None else "",
                method=_(method) if method else e.method, in_target=yes if e.in_target else no,
                reason=e.outside_reason or "", progress=int(round((e.progress or 0) * 100)),
                completed_at=_local(e.completed_at), last_access_at=_local(e.last_access_at),
                enrolled_at=_local(e.enrolled_at)))
    return rows


def _vietnamese_headers() -> list[str]:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return headers()


def _text(value: str) -> str:
    """A CSV cell that spreadsheets will not evaluate."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _date_text(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def to_csv(rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_vietnamese_headers())
    for r in rows:
        writer.writerow([_text(r.full_name), _text(r.username), _text(r.unit), _text(r.position), r.method,
                         r.in_target, _text(r.reason), r.progress, _date_text(r.completed_at),
                         _date_text(r.last_access_at), _date_text(r.enrolled_at)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[Row]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        ws = wb.create_sheet(_("Participants")[:31])
    ws.freeze_panes = "A2"
    for width, col in zip((28, 18, 32, 28, 26, 14, 36, 12, 18, 18, 18), "ABCDEFGHIJK", strict=True):
        ws.column_dimensions[col].width = width
    bold = Font(bold=True)

    def cell(value, *, text=False, date=False, font=None):
        c = WriteOnlyCell(ws, value=value)
        if text and isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        if date and value is not None:
            c.number_format = "dd/mm/yyyy hh:mm"
        if font is not None:
            c.font = font
        return c

    ws.append([cell(h, text=True, font=bold) for h in _vietnamese_headers()])
    for r in rows:
        ws.append([cell(r.full_name, text=True), cell(r.username, text=True), cell(r.unit, text=True),
                   cell(r.position, text=True), cell(r.method, text=True), cell(r.in_target, text=True),
                   cell(r.reason, text=True), cell(r.progress), cell(r.completed_at, date=True),
                   cell(r.last_access_at, date=True), cell(r.enrolled_at, date=True)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def file_response(body: bytes, fmt: str, stem: str):
    response = current_app.response_class(body, mimetype=MIME[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename={stem}.{fmt}"
    response.headers["Cache-Control"] = "private, no-store"  # personal data: not kept by any cache
    return response
