"""Long work on a whole class, as jobs with progress (core/jobs.py): bulk issue, and the ZIP of PDFs.

Bulk issue is safe to re-run: each enrolment gets at most one current certificate (services.issue), and
each certificate is committed on its own, so a job stopped half-way keeps what it issued.
"""
from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from elearn.accounts.models import User
from elearn.certificates import services
from elearn.certificates.models import Certificate
from elearn.core import audit, clock
from elearn.core.files import StoredFile, path_of
from elearn.core.jobs import Job
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db

ISSUE_KIND = "certificate_bulk_issue"
ZIP_KIND = "certificate_zip"
KINDS = (ISSUE_KIND, ZIP_KIND)
MAX_REASONS = 200  # not-eligible lines kept in the job's result
BATCH = 20  # certificates committed together with the progress that counts them


def new_issue_job(actor: User, course: Course, ip: str = "") -> Job:
    job = Job(kind=ISSUE_KIND, created_by_id=actor.id, params={"course_id": course.id, "ip": ip}, result={})
    db.session.add(job)
    return job


def new_zip_job(actor: User, course: Course) -> Job:
    job = Job(kind=ZIP_KIND, created_by_id=actor.id, params={"course_id": course.id}, result={})
    db.session.add(job)
    return job


def _pending_enrolments(course_id: int) -> list[int]:
    have = select(Certificate.current_enrolment_id).where(Certificate.current_enrolment_id.is_not(None))
    return list(db.session.scalars(select(Enrolment.id).where(
        Enrolment.course_id == course_id, Enrolment.state == "active", Enrolment.id.not_in(have))
        .order_by(Enrolment.id)))


def issue_work(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    course = db.session.get(Course, job.params["course_id"])
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    ids = _pending_enrolments(course.id)
    job.state, job.total, job.done = "running", len(ids), 0
    db.session.commit()
    template = services.template_for(course)
    issued = existing = refused = 0
    refused_rows: list[dict] = []
    for n, enrolment_id in enumerate(ids, 1):
        enrolment = db.session.get(Enrolment, enrolment_id)
        try:
            _cert, created = services.issue(actor, enrolment, template=template, ip=job.params.get("ip", ""),
                                            commit=False)
            issued += created
            existing += not created
        except services.CertificateError as err:  # refused before anything was written
            refused += 1
            if len(refused_rows) < MAX_REASONS:
                refused_rows.append({"name": enrolment.user.full_name,
                                     "reasons": [[m.msgid, dict(m.params)] for m in err.messages]})
        if n % BATCH == 0 or n == len(ids):
            job = db.session.get(Job, job_id)
            job.done = n
            db.session.commit()  # the certificates are committed with the progress that counts them
    job = db.session.get(Job, job_id)
    job.result = {"issued": issued, "existing": existing, "refused": refused, "refused_rows": refused_rows}
    job.state, job.finished_at = "done", clock.now()
    audit.record(actor, "certificate.bulk_issue", course, after={"issued": issued, "refused": refused},
                 label=course.code)
    db.session.commit()


def zip_work(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    course_id = job.params["course_id"]
    ids = list(db.session.scalars(select(Certificate.id).where(
        Certificate.course_id == course_id, Certificate.current_enrolment_id.is_not(None)).order_by(Certificate.serial)))
    job.state, job.total, job.done = "running", len(ids), 0
    db.session.commit()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, cert_id in enumerate(ids, 1):
            cert = db.session.get(Certificate, cert_id)
            file = services.ensure_pdf(cert)
            info = zipfile.ZipInfo(services.pdf_name(cert), date_time=clock.to_local(cert.issued_at).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path_of(file).read_bytes())
            job = db.session.get(Job, job_id)
            job.done = n
            db.session.commit()
    course = db.session.get(Course, course_id)
    stored = services.store_bytes(buffer.getvalue(), f"chung-nhan-{course.code}.zip", "application/zip", "archive",
                                  attached_type="certificate_zip", attached_id=job_id)
    db.session.flush()
    job = db.session.get(Job, job_id)
    job.result = {"file_id": stored.id, "count": len(ids)}
    job.state, job.finished_at = "done", clock.now()
    db.session.commit()


def zip_file(job: Job) -> StoredFile | None:
    file_id = (job.result or {}).get("file_id")
    file = db.session.get(StoredFile, file_id) if file_id else None
    if file is None or file.attached_type != "certificate_zip" or file.attached_id != job.id:
        return None
    return file
