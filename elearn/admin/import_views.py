"""Bulk import of people: template download, upload and dry run, report, confirm, progress.

Registered on the admin blueprint (its before_request already requires "admin.access").
The work itself is in accounts/importer.py and runs as jobs (core/jobs.py).
"""
from __future__ import annotations

import os

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

from elearn.accounts import importer
from elearn.admin import views as admin_views
from elearn.admin.views import bp
from elearn.core import authz, jobs, pagination
from elearn.core.jobs import Job
from elearn.extensions import db

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# How the audit log names the one entry an import writes.
admin_views.ACTION_LABELS.setdefault("user.import", _l("People imported from a file"))
admin_views.TARGET_LABELS.setdefault("job", _l("Import job"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("File (.xlsx or .csv)"),
        validators=[FileRequired(_l("Choose a file to import.")),
                    FileAllowed(list(importer.FORMATS), _l("Only .xlsx or .csv (UTF-8) files can be imported."))],
        render_kw={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the report page is the confirmation."""

    submit = SubmitField(_l("Import these people"))


class ListPagination(Pagination):
    """Pagination over a list already in memory (the error rows of a report)."""

    def _query_items(self) -> list:
        items = self._query_args["items"]
        start = (self.page - 1) * self.per_page
        return items[start:start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def _max_size() -> str:
    limit = current_app.config["IMPORT_MAX_BYTES"]
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if limit >= size:
            return f"{limit / size:.3g} {unit}"
    return f"{limit} B"


@bp.route("/import/template")
def import_template():
    authz.require("users.import")
    fmt = request.args.get("format", "xlsx")
    if fmt not in importer.FORMATS:
        abort(404)
    code = importer.example_unit_code()
    body = importer.template_csv(code) if fmt == "csv" else importer.template_xlsx(code)
    response = current_app.response_class(body, mimetype=MIME[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename=mau-nhap-danh-sach.{fmt}"
    return response


@bp.route("/import", methods=["GET", "POST"])
def import_start():
    authz.require("users.import")
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        fmt = upload.filename.rsplit(".", 1)[-1].lower()
        stream = upload.stream
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        problem = None
        if size > current_app.config["IMPORT_MAX_BYTES"]:
            problem = _("The file is too large: at most %(size)s can be imported at once.", size=_max_size())
        else:
            msgid = importer.upload_problem(stream.read(8192), fmt)
            stream.seek(0)
            problem = _(msgid) if msgid else None
        if problem:
            form.file.errors.append(problem)
        else:
            importer.purge_old_uploads()
            path = importer.new_upload_path(fmt)
            upload.save(path)
            job = importer.new_check_job(current_user, path, upload.filename)
            jobs.start(job, importer.check_work)
            return redirect(url_for("admin.import_job", job_id=job.id))
    columns = [(c, c.key in importer.REQUIRED_COLUMNS) for c in importer.COLUMNS]
    return render_template("admin/import_start.html", form=form, columns=columns, max_size=_max_size())


def _job_or_404(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or job.kind not in importer.KINDS:
        abort(404)
    authz.require("jobs.view", job)
    authz.require("users.import")
    return job


def _reason_text(reason) -> str:
    msgid, params = reason
    return _(msgid, **params) if params else _(msgid)


@bp.route("/import/jobs/<int:job_id>")
def import_job(job_id: int):
    job = _job_or_404(job_id)
    result = job.result or {}
    if job.state in ("pending", "running"):
        return render_template("admin/import_job.html", job=job)
    if job.state == "failed" and not result.get("file_error"):
        return render_template("admin/import_job.html", job=job)
    file_error = _reason_text(result["file_error"]) if result.get("file_error") else None
    page, per_page = pagination.page_args()
    errors = ListPagination(page=page, per_page=per_page, error_out=False, items=result.get("errors", []))
    rows = [(e["line"], e["username"], [_reason_text(r) for r in e["reasons"]]) for e in errors.items]
    counts = result.get("counts", {})
    check = job if job.kind == importer.CHECK_KIND else db.session.get(Job, job.params.get("check_job_id") or 0)
    import_job_id = (job.result or {}).get("import_job_id") if job.kind == importer.CHECK_KIND else None
    can_confirm = (job.kind == importer.CHECK_KIND and not file_error and not import_job_id
                   and counts.get("new", 0) + counts.get("updated", 0) > 0
                   and importer.stored_path(job.params.get("file", "")) is not None)
    return render_template(
        "admin/import_report.html", job=job, check=check, result=result, counts=counts, file_error=file_error,
        errors=errors, rows=rows, can_confirm=can_confirm, import_job_id=import_job_id, form=ConfirmForm(),
        people_url=url_for("admin.people") if "admin.people" in current_app.view_functions else None,
        ignored=result.get("ignored_columns", []),
    )


@bp.route("/import/jobs/<int:job_id>/status")
def import_job_status(job_id: int):
    job = _job_or_404(job_id)
    result = job.result or {}
    file_error = _reason_text(result["file_error"]) if result.get("file_error") else None
    return jsonify(
        id=job.id, kind=job.kind, state=job.state, done=job.done, total=job.total, percent=job.percent,
        counts=result.get("counts"), file_error=file_error,
        url=url_for("admin.import_job", job_id=job.id),
    )


@bp.route("/import/jobs/<int:job_id>/confirm", methods=["POST"])
def import_confirm(job_id: int):
    check = _job_or_404(job_id)
    form = ConfirmForm()
    if check.kind != importer.CHECK_KIND or not form.validate_on_submit():
        abort(400)
    result = check.result or {}
    if result.get("import_job_id"):  # confirmed already (a double click, a retried request)
        return redirect(url_for("admin.import_job", job_id=result["import_job_id"]))
    counts = result.get("counts", {})
    if check.state != "done" or result.get("file_error") or counts.get("new", 0) + counts.get("updated", 0) == 0:
        flash(_("There is nothing to import from this file."), "warning")
        return redirect(url_for("admin.import_job", job_id=check.id))
    if importer.stored_path(check.params.get("file", "")) is None:
        flash(_("The uploaded file is no longer available; upload it again."), "error")
        return redirect(url_for("admin.import_start"))
    job = importer.new_import_job(current_user, check, ip=request.remote_addr or "")
    jobs.start(job, importer.import_work)
    return redirect(url_for("admin.import_job", job_id=job.id))
