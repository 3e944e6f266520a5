"""The training office's certificate pages: templates and preview, eligibility per course, issue (one,
bulk as a job), ZIP of a class, revoke / re-issue, and the searchable registry with CSV / XLSX export.

Every page asks core/authz.py for "certificates.manage"; every change is a POST with a CSRF token.
"""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from elearn.accounts.models import User
from elearn.admin import views as admin_views
from elearn.certificates import bulk, domain, exports, forms, services
from elearn.certificates.models import Certificate, CertificateTemplate
from elearn.certificates.views import bp
from elearn.core import authz, jobs, tables
from elearn.core.files import send_stored
from elearn.core.jobs import Job
from elearn.core.pagination import paginate
from elearn.core.uploads import UploadError, save_image
from elearn.courses.models import Course, CourseCategory, Enrolment
from elearn.extensions import db

admin_views.ACTION_LABELS.setdefault("certificate.issue", _l("Certificate issued"))
admin_views.ACTION_LABELS.setdefault("certificate.revoke", _l("Certificate revoked"))
admin_views.ACTION_LABELS.setdefault("certificate.reissue", _l("Certificate re-issued"))
admin_views.ACTION_LABELS.setdefault("certificate.bulk_issue", _l("Certificates issued for a class"))
admin_views.ACTION_LABELS.setdefault("certificate_template.create", _l("Certificate template created"))
admin_views.ACTION_LABELS.setdefault("certificate_template.update", _l("Certificate template edited"))
admin_views.TARGET_LABELS.setdefault("certificate", _l("Certificate"))
admin_views.TARGET_LABELS.setdefault("certificatetemplate", _l("Certificate template"))


def _actor() -> User:
    return current_user._get_current_object()


def _ip() -> str:
    return request.remote_addr or ""


def _manager() -> None:
    authz.require("certificates.manage")


def _messages(err: services.CertificateError) -> list[str]:
    return [m.render(_) for m in err.messages]


# --- templates ------------------------------------------------------------------------------------

@bp.route("/certificates/templates")
@login_required
def templates():
    _manager()
    return render_template("certificates/templates.html", rows=services.templates(), kind_labels=domain.KIND_LABELS)


def _template_form(template: CertificateTemplate | None) -> forms.TemplateForm:
    courses = db.session.scalars(select(Course).order_by(Course.code)).all()
    categories = db.session.scalars(select(CourseCategory).order_by(CourseCategory.position)).all()
    form = forms.TemplateForm(obj=template, courses=courses, categories=categories)
    if template is not None and request.method == "GET":
        form.course.data = str(template.course_id or "")
        form.category.data = str(template.category_id or "")
        form.min_final_grade.data = services.template_min_grade(template)
    return form


def _image(field) -> object | None:
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return save_image(data, owner=_actor(), attached_type="certificate_template", max_width=1200)


@bp.route("/certificates/templates/new", methods=["GET", "POST"])
@bp.route("/certificates/templates/<int:template_id>", methods=["GET", "POST"])
@login_required
def template_edit(template_id: int | None = None):
    _manager()
    template = db.session.get(CertificateTemplate, template_id) if template_id else None
    if template_id and template is None:
        abort(404)
    form = _template_form(template)
    if form.validate_on_submit():
        try:
            seal, signature = _image(form.seal), _image(form.signature)
            template = services.save_template(_actor(), template, form.data_object(), seal=seal, signature=signature)
            flash(_("The certificate template was saved."), "success")
            return redirect(url_for("certificates.template_edit", template_id=template.id))
        except UploadError as err:
            db.session.rollback()
            flash(_(err.msgid, **err.params), "error")
        except services.CertificateError as err:
            db.session.rollback()
            field = form._fields.get(err.field or "")
            for text in _messages(err):
                if field is not None:
                    field.errors = [*field.errors, text]
                else:
                    flash(text, "error")
    return render_template("certificates/template_form.html", form=form, template=template)


@bp.route("/certificates/templates/<int:template_id>/preview")
@login_required
def template_preview(template_id: int):
    _manager()
    template = db.get_or_404(CertificateTemplate, template_id)
    response = bulk_response(services.preview_pdf(template), "application/pdf")
    response.headers["Content-Disposition"] = "inline; filename=xem-truoc.pdf"
    return response


def bulk_response(body: bytes, mimetype: str):
    from flask import current_app

    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- courses and eligibility ----------------------------------------------------------------------

@bp.route("/certificates/courses")
@login_required
def courses():
    _manager()
    page = paginate(select(Course).where(Course.state != "draft").order_by(Course.code))
    ids = [course.id for course in page.items] or [0]
    completed = dict(db.session.execute(
        select(Enrolment.course_id, func.count()).where(Enrolment.course_id.in_(ids), Enrolment.state == "active",
                                                        Enrolment.completed_at.is_not(None))
        .group_by(Enrolment.course_id)).all())
    issued = dict(db.session.execute(
        select(Certificate.course_id, func.count()).where(Certificate.course_id.in_(ids),
                                                          Certificate.current_enrolment_id.is_not(None))
        .group_by(Certificate.course_id)).all())
    rows = [(course, completed.get(course.id, 0), issued.get(course.id, 0)) for course in page.items]
    return render_template("certificates/courses.html", page=page, rows=rows)


@bp.route("/certificates/courses/<int:course_id>")
@login_required
def course(course_id: int):
    _manager()
    course = db.get_or_404(Course, course_id)
    stmt = (select(Enrolment).join(User, User.id == Enrolment.user_id)
            .where(Enrolment.course_id == course.id, Enrolment.state == "active")
            .options(selectinload(Enrolment.user)).order_by(User.search_name))
    page = paginate(stmt)
    rows = services.eligibility_list(course, list(page.items))
    return render_template("certificates/course.html", course=course, page=page, rows=rows,
                           template=services.template_for(course), form=forms.ActionForm(),
                           counts=services.course_counts(course))


@bp.route("/certificates/courses/<int:course_id>/enrolments/<int:enrolment_id>/issue", methods=["POST"])
@login_required
def issue_one(course_id: int, enrolment_id: int):
    _manager()
    course = db.get_or_404(Course, course_id)
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.course_id != course.id:
        abort(404)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        cert, created = services.issue(_actor(), enrolment, ip=_ip())
    except services.CertificateError as err:
        db.session.rollback()
        for text in _messages(err):
            flash(text, "error")
        return redirect(url_for("certificates.course", course_id=course.id))
    if created:
        flash(_("Certificate %(serial)s issued.", serial=cert.serial), "success")
    else:
        flash(_("This learner already has certificate %(serial)s.", serial=cert.serial), "info")
    return redirect(url_for("certificates.course", course_id=course.id))


@bp.route("/certificates/courses/<int:course_id>/bulk", methods=["POST"])
@login_required
def bulk_issue(course_id: int):
    _manager()
    course = db.get_or_404(Course, course_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    if services.template_for(course) is None:
        flash(_("No certificate template applies to this course."), "error")
        return redirect(url_for("certificates.course", course_id=course.id))
    job = bulk.new_issue_job(_actor(), course, ip=_ip())
    jobs.start(job, bulk.issue_work)
    return redirect(url_for("certificates.job", job_id=job.id))


@bp.route("/certificates/courses/<int:course_id>/zip", methods=["POST"])
@login_required
def bulk_zip(course_id: int):
    _manager()
    course = db.get_or_404(Course, course_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    job = bulk.new_zip_job(_actor(), course)
    jobs.start(job, bulk.zip_work)
    return redirect(url_for("certificates.job", job_id=job.id))


def _job(job_id: int) -> Job:
    _manager()
    job = db.session.get(Job, job_id)
    if job is None or job.kind not in bulk.KINDS:
        abort(404)
    authz.require("jobs.view", job)
    return job


@bp.route("/certificates/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    job = _job(job_id)
    course = db.session.get(Course, job.params.get("course_id"))
    refused = [(row["name"], [_(m, **p) if p else _(m) for m, p in row["reasons"]])
               for row in (job.result or {}).get("refused_rows", [])]
    return render_template("certificates/job.html", job=job, course=course, refused=refused,
                           zip_ready=bulk.zip_file(job) is not None)


@bp.route("/certificates/jobs/<int:job_id>/status")
@login_required
def job_status(job_id: int):
    job = _job(job_id)
    return jsonify(id=job.id, kind=job.kind, state=job.state, done=job.done, total=job.total, percent=job.percent,
                   result={k: v for k, v in (job.result or {}).items() if k != "refused_rows"},
                   url=url_for("certificates.job", job_id=job.id))


@bp.route("/certificates/jobs/<int:job_id>/download")
@login_required
def job_download(job_id: int):
    job = _job(job_id)
    file = bulk.zip_file(job)
    if file is None:
        abort(404)
    return send_stored(file, as_attachment=True)


# --- one certificate: detail, revoke, re-issue ----------------------------------------------------

def _certificate(cert_id: int) -> Certificate:
    _manager()
    return db.get_or_404(Certificate, cert_id)


@bp.route("/certificates/<int:cert_id>")
@login_required
def detail(cert_id: int):
    cert = _certificate(cert_id)
    return render_template("certificates/detail.html", cert=cert, revoke_form=forms.RevokeForm(),
                           reissue_form=forms.ReissueForm(), Status=domain.Status, status_labels=domain.STATUS_LABELS,
                           grouped=domain.grouped)


@bp.route("/certificates/<int:cert_id>/revoke", methods=["POST"])
@login_required
def revoke(cert_id: int):
    cert = _certificate(cert_id)
    form = forms.RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for revoking."), "error")
        return redirect(url_for("certificates.detail", cert_id=cert.id))
    try:
        services.revoke(_actor(), cert, form.reason.data, ip=_ip())
        flash(_("Certificate %(serial)s was revoked.", serial=cert.serial), "success")
    except services.CertificateError as err:
        db.session.rollback()
        for text in _messages(err):
            flash(text, "error")
    return redirect(url_for("certificates.detail", cert_id=cert.id))


@bp.route("/certificates/<int:cert_id>/reissue", methods=["POST"])
@login_required
def reissue(cert_id: int):
    cert = _certificate(cert_id)
    form = forms.ReissueForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        new = services.reissue(_actor(), cert, form.reason.data or "", ip=_ip())
    except services.CertificateError as err:
        db.session.rollback()
        for text in _messages(err):
            flash(text, "error")
        return redirect(url_for("certificates.detail", cert_id=cert_id))
    flash(_("Certificate %(serial)s replaces %(old)s.", serial=new.serial, old=cert.serial), "success")
    return redirect(url_for("certificates.detail", cert_id=new.id))


# --- registry -------------------------------------------------------------------------------------

@bp.route("/certificates/registry")
@login_required
def registry():
    _manager()
    form = forms.RegistryForm(request.args)
    valid = form.validate()
    q = (form.q.data or "").strip() if valid else ""
    status = form.status.data if form.status.data in services.STATUS_FILTERS else ""
    year = form.year.data if valid else None
    stmt = services.registry_query(q=q, status=status, year=year)
    fmt = request.args.get("format", "")
    if fmt:
        certs = db.session.scalars(stmt).all()
        return tables.response(exports.table(certs), fmt, "so-chung-nhan" + (f"-{year}" if year else ""))
    page = paginate(stmt)
    return render_template("certificates/registry.html", form=form, page=page, Status=domain.Status,
                           status_labels=domain.STATUS_LABELS)
