"""The certificate registry as CSV / XLSX: official records, so headers and values are in Vietnamese.

Written by elearn/core/tables.py: UTF-8 BOM in the CSV, local dates, and no cell a spreadsheet would run as a
formula.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from elearn.certificates import domain
from elearn.certificates.models import Certificate
from elearn.core import clock
from elearn.core.tables import Table


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


def table(certs: list[Certificate]) -> Table:
    headers, data = rows(certs)
    return Table("So chung nhan", headers, data)
