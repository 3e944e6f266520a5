"""Use cases for certificates: templates, eligibility, issue / revoke / re-issue, PDFs, verification, registry.

The acting user is always an argument; nothing here reads the request. Every issue, revoke and re-issue
is committed together with its audit entry before the caller answers.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from elearn.accounts.models import User
from elearn.certificates import domain, pdf
from elearn.certificates.models import Certificate, CertificateTemplate, SerialCounter
from elearn.core import audit, clock, notify
from elearn.core.files import StoredFile, path_of, track_new
from elearn.core.text import fold, like_pattern
from elearn.courses import domain as course_domain
from elearn.courses import services as course_services
from elearn.courses.messages import N_, Message, msg
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db


class CertificateError(Exception):
    """A rule refused the action; `messages` are translatable Messages, `field` names the form field."""

    def __init__(self, *messages: Message, field: str | None = None):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)
        self.field = field


def _fail(msgid: str, field: str | None = None, **params) -> CertificateError:
    return CertificateError(msg(msgid, **params), field=field)


# ---- templates --------------------------------------------------------------------------------------

@dataclass
class TemplateData:
    name: str
    title: str
    issuer_name: str
    issuer_code: str
    kind: str = domain.CertificateKind.COMPLETION
    wording: str = ""
    signer_name: str = ""
    signer_title: str = ""
    place: str = ""
    orientation: str = "L"
    valid_months: int | None = None
    course_id: int | None = None
    category_id: int | None = None
    auto_issue: bool = False
    min_final_grade: float | None = None


def _validate_template(data: TemplateData) -> list:
    if not data.name.strip():
        raise _fail(N_("A name is required."), "name")
    if not data.title.strip():
        raise _fail(N_("A title is required."), "title")
    if not data.issuer_name.strip():
        raise _fail(N_("The issuing unit is required."), "issuer_name")
    problem = domain.issuer_code_problem(data.issuer_code)
    if problem:
        raise _fail(problem, "issuer_code")
    if data.kind not in set(domain.CertificateKind):
        raise _fail(N_("Unknown certificate kind."), "kind")
    if data.orientation not in domain.ORIENTATIONS:
        raise _fail(N_("Unknown page layout."), "orientation")
    if data.valid_months is not None and not 1 <= data.valid_months <= 600:
        raise _fail(N_("The validity is 1 to 600 months, or empty for no expiry."), "valid_months")
    if data.course_id and data.category_id:
        raise _fail(N_("Choose a course or a category, not both."), "course_id")
    if data.course_id and db.session.get(Course, data.course_id) is None:
        raise _fail(N_("No such course."), "course_id")
    rules = []
    if data.min_final_grade is not None:
        try:
            rules.append(domain.MinFinalGrade(data.min_final_grade))
        except course_domain.RuleError as err:
            raise CertificateError(err.message, field="min_final_grade") from None
    return rules


def save_template(actor: User, template: CertificateTemplate | None, data: TemplateData, *,
                  seal: StoredFile | None = None, signature: StoredFile | None = None) -> CertificateTemplate:
    rules = _validate_template(data)
    created = template is None
    template = template or CertificateTemplate()
    before = {} if created else _template_snapshot(template)
    template.name = data.name.strip()[:200]
    template.title = data.title.strip()[:200]
    template.issuer_name = data.issuer_name.strip()[:300]
    template.issuer_code = data.issuer_code
    template.kind = data.kind
    template.wording = data.wording.strip()
    template.signer_name = data.signer_name.strip()[:200]
    template.signer_title = data.signer_title.strip()[:200]
    template.place = data.place.strip()[:100]
    template.orientation = data.orientation
    template.valid_months = data.valid_months
    template.course_id = data.course_id or None
    template.category_id = data.category_id or None
    template.auto_issue = bool(data.auto_issue)
    template.rules = domain.rules_to_json(rules)
    if seal is not None:
        template.seal_file = seal
    if signature is not None:
        template.signature_file = signature
    if created:
        db.session.add(template)
    db.session.flush()
    audit.record(actor, "certificate_template.create" if created else "certificate_template.update", template,
                 before=before or None, after=_template_snapshot(template), label=template.name)
    db.session.commit()
    return template


def _template_snapshot(t: CertificateTemplate) -> dict:
    return {"name": t.name, "title": t.title, "issuer_name": t.issuer_name, "issuer_code": t.issuer_code,
            "kind": t.kind, "course_id": t.course_id, "category_id": t.category_id, "auto_issue": bool(t.auto_issue),
            "valid_months": t.valid_months, "rules": t.rules}


def templates() -> list[CertificateTemplate]:
    return list(db.session.scalars(select(CertificateTemplate).order_by(CertificateTemplate.name)))


def template_for(course: Course) -> CertificateTemplate | None:
    """The course's own template, else its category's, else the default (neither course nor category)."""
    rows = db.session.scalars(select(CertificateTemplate).where(or_(
        CertificateTemplate.course_id == course.id,
        and_(CertificateTemplate.course_id.is_(None), CertificateTemplate.category_id == course.category_id)
        if course.category_id else False,
        and_(CertificateTemplate.course_id.is_(None), CertificateTemplate.category_id.is_(None)),
    )).order_by(CertificateTemplate.id)).all()
    for test in (lambda t: t.course_id == course.id, lambda t: t.category_id is not None, lambda t: True):
        for row in rows:
            if test(row):
                return row
    return None


def template_min_grade(template: CertificateTemplate) -> float | None:
    for rule in domain.rules_from_json(template.rules):
        if isinstance(rule, domain.MinFinalGrade):
            return rule.min_grade
    return None


# ---- eligibility --------------------------------------------------------------------------------------

def _facts_and_eligibility(enrolment: Enrolment, template: CertificateTemplate | None):
    course = enrolment.course
    facts = course_services.learner_facts(course, enrolment.user_id)
    completion = course_domain.evaluate_completion(course_domain.rules_from_json(course.completion_rules), facts)
    rules = domain.rules_from_json(template.rules) if template is not None else []
    result = domain.eligibility(enrolment_active=enrolment.state == "active", completed_at=enrolment.completed_at,
                                completion=completion, rules=rules, facts=facts)
    return facts, result


def check(enrolment: Enrolment, template: CertificateTemplate | None = None) -> domain.Eligibility:
    template = template or template_for(enrolment.course)
    return _facts_and_eligibility(enrolment, template)[1]


def current_certificate(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.current_enrolment_id == enrolment_id))


@dataclass(frozen=True)
class EligibilityRow:
    enrolment: Enrolment
    eligibility: domain.Eligibility
    certificate: Certificate | None


def eligibility_list(course: Course, enrolments: list[Enrolment]) -> list[EligibilityRow]:
    template = template_for(course)
    ids = [e.id for e in enrolments]
    certs = {c.current_enrolment_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.current_enrolment_id.in_(ids or [0])))}
    return [EligibilityRow(e, check(e, template), certs.get(e.id)) for e in enrolments]


# ---- issue --------------------------------------------------------------------------------------------

def _next_number(issuer_code: str, year: int) -> int:
    """The next serial number; the counter row stays locked (FOR UPDATE on PostgreSQL) until commit."""
    stmt = select(SerialCounter).where(SerialCounter.issuer_code == issuer_code, SerialCounter.year == year)
    counter = db.session.scalar(stmt.with_for_update())
    if counter is None:
        try:
            with db.session.begin_nested():
                db.session.add(SerialCounter(issuer_code=issuer_code, year=year, last_number=0))
        except IntegrityError:  # someone created it at the same moment: use theirs
            pass
        counter = db.session.scalar(stmt.with_for_update().execution_options(populate_existing=True))
    counter.last_number += 1
    return counter.last_number


def verify_url(code: str) -> str:
    return current_app.config.get("SITE_URL", "").rstrip("/") + "/verify/" + code


def _snapshot(cert: Certificate, template: CertificateTemplate, unit_name: str) -> dict:
    return {
        "title": template.title, "kind": template.kind, "issuer_name": cert.issuer_name, "wording": template.wording,
        "full_name": cert.full_name, "unit_name": unit_name, "course_title": cert.course_title,
        "course_code": cert.course_code, "hours": cert.hours,
        "started_on": cert.started_on.isoformat() if cert.started_on else None,
        "completed_on": cert.completed_on.isoformat() if cert.completed_on else None,
        "result": cert.result, "serial": cert.serial, "code": cert.code, "code_grouped": domain.grouped(cert.code),
        "verify_url": verify_url(cert.code), "issued_on": clock.to_local(cert.issued_at).date().isoformat(),
        "issued_at": cert.issued_at.isoformat(), "expires_on": cert.expires_on.isoformat() if cert.expires_on else None,
        "place": template.place, "signer_name": template.signer_name, "signer_title": template.signer_title,
        "orientation": template.orientation, "seal_file_id": template.seal_file_id,
        "signature_file_id": template.signature_file_id,
    }


def _local_date(value) -> date | None:
    return clock.to_local(value).date() if value is not None else None


def _build(enrolment: Enrolment, template: CertificateTemplate, facts, actor: User | None) -> Certificate:
    now = clock.now()
    year = clock.to_local(now).year
    number = _next_number(template.issuer_code, year)
    user, course = enrolment.user, enrolment.course
    grade = facts.extra.get("final_grade")
    grade = float(grade) if grade is not None else None
    code = domain.new_code()
    cert = Certificate(
        enrolment_id=enrolment.id, current_enrolment_id=enrolment.id, user_id=user.id, course_id=course.id,
        template_id=template.id, issuer_code=template.issuer_code, year=year, number=number,
        serial=domain.serial(template.issuer_code, year, number), code=code, kind=template.kind,
        full_name=user.full_name, course_title=course.title, course_code=course.code, hours=float(course.hours or 0),
        issuer_name=template.issuer_name, started_on=_local_date(enrolment.enrolled_at),
        completed_on=_local_date(enrolment.completed_at or now), final_grade=grade,
        attendance_share=facts.live_share(), result=domain.result_text(grade), issued_at=now,
        issued_by_id=actor.id if actor is not None else None,
        expires_on=domain.expiry(clock.to_local(now).date(), template.valid_months),
    )
    cert.search_text = fold(f"{cert.serial} {cert.full_name} {user.username} {cert.course_code} {cert.course_title} "
                            f"{cert.code}")
    unit_name = user.profile.unit.name if user.profile is not None else ""
    cert.snapshot = _snapshot(cert, template, unit_name)
    return cert


def issue(actor: User | None, enrolment: Enrolment, *, template: CertificateTemplate | None = None,
          ip: str = "", commit: bool = True, replaces: Certificate | None = None,
          reason: str = "") -> tuple[Certificate, bool]:
    """Issue the enrolment's certificate: (certificate, True), or (the existing one, False) when it has one.

    Safe to repeat and to run concurrently: the unique current_enrolment_id lets only one through.
    """
    existing = current_certificate(enrolment.id)
    if existing is not None:
        return existing, False
    template = template or template_for(enrolment.course)
    if template is None:
        raise _fail(N_("No certificate template applies to this course."))
    facts, result = _facts_and_eligibility(enrolment, template)
    if not result.eligible:
        raise CertificateError(*result.reasons)
    try:
        with db.session.begin_nested():
            cert = _build(enrolment, template, facts, actor)
            if replaces is not None:
                cert.replaces_id = replaces.id
            db.session.add(cert)
            db.session.flush()
    except IntegrityError:  # issued concurrently by someone else: theirs stands
        existing = current_certificate(enrolment.id)
        if existing is None:
            raise
        return existing, False
    after = {"serial": cert.serial, "enrolment_id": enrolment.id, "course": cert.course_code, "auto": actor is None}
    if replaces is not None:
        after.update(replaces=replaces.serial, reason=reason.strip()[:500])
    audit.record(actor, "certificate.reissue" if replaces is not None else "certificate.issue", cert, after=after,
                 label=cert.serial, ip=ip)
    notify.send([cert.user_id], kind="certificate.issued", title=f"{cert.course_title}: {cert.serial}",
                url="/certificates/mine")
    if commit:
        db.session.commit()
    return cert, True


def revoke(actor: User, cert: Certificate, reason: str, ip: str = "") -> None:
    reason = (reason or "").strip()
    if not reason:
        raise _fail(N_("Give the reason for revoking."), "reason")
    if cert.revoked_at is not None:
        raise _fail(N_("This certificate is already revoked."))
    cert.revoked_at = clock.now()
    cert.revoked_by_id = actor.id
    cert.revoke_reason = reason[:500]
    audit.record(actor, "certificate.revoke", cert, after={"serial": cert.serial, "reason": cert.revoke_reason},
                 label=cert.serial, ip=ip)
    db.session.commit()


def reissue(actor: User, cert: Certificate, reason: str = "", ip: str = "") -> Certificate:
    """A new certificate (new serial and code) for the same enrolment; the old one shows as replaced."""
    if cert.replaced_by_id is not None or cert.current_enrolment_id is None:
        raise _fail(N_("This certificate has already been replaced."))
    enrolment = cert.enrolment
    cert.current_enrolment_id = None
    db.session.flush()
    try:
        new, created = issue(actor, enrolment, ip=ip, commit=False, replaces=cert, reason=reason)
    except CertificateError:
        db.session.rollback()
        raise
    if not created:
        db.session.rollback()
        raise _fail(N_("This certificate has already been replaced."))
    cert.replaced_by_id = new.id
    db.session.commit()
    return new


def on_completion(enrolment: Enrolment) -> None:
    """courses COMPLETION_HOOKS: issue automatically when the course's template says so (never fails the caller)."""
    template = template_for(enrolment.course)
    if template is None or not template.auto_issue:
        return
    try:
        with db.session.begin_nested():
            issue(None, enrolment, template=template, commit=False)
    except CertificateError:
        pass
    except Exception:  # the learner's progress is saved whatever happens here
        current_app.logger.exception("automatic certificate issue failed for enrolment %s", enrolment.id)


# ---- PDFs ---------------------------------------------------------------------------------------------

def store_bytes(data: bytes, name: str, content_type: str, kind: str, *, attached_type: str,
                attached_id: int | None, owner: User | None = None) -> StoredFile:
    """Store generated bytes as a StoredFile (core/files.py: random key, removed again on rollback)."""
    file = StoredFile(storage_key=secrets.token_hex(20), original_name=name, content_type=content_type, kind=kind,
                      size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                      owner_id=owner.id if owner is not None else None, attached_type=attached_type,
                      attached_id=attached_id)
    final = path_of(file)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, final)
    track_new(db.session, final)
    db.session.add(file)
    return file


def _images(snapshot: dict) -> dict:
    images = {}
    for key in ("seal", "signature"):
        file_id = snapshot.get(f"{key}_file_id")
        file = db.session.get(StoredFile, file_id) if file_id else None
        if file is not None and file.kind == "image" and path_of(file).exists():
            images[key] = path_of(file)
    return images


def render_pdf(cert: Certificate) -> bytes:
    return pdf.render(cert.snapshot, _images(cert.snapshot))


def pdf_name(cert: Certificate) -> str:
    return f"chung-nhan-{cert.serial}.pdf"


def ensure_pdf(cert: Certificate) -> StoredFile:
    """The certificate's PDF, rendered from its frozen snapshot and stored the first time it is needed."""
    if cert.pdf_file is not None and path_of(cert.pdf_file).exists():
        return cert.pdf_file
    file = store_bytes(render_pdf(cert), pdf_name(cert), "application/pdf", "document",
                       attached_type="certificate", attached_id=cert.id)
    cert.pdf_file = file
    db.session.commit()
    return file


def preview_pdf(template: CertificateTemplate) -> bytes:
    """The template filled with sample data (nothing is stored or numbered)."""
    now = clock.now()
    code = "MAUXEMTRUOC" + "A" * 13
    expires = domain.expiry(clock.today_local(), template.valid_months)
    snapshot = {
        "title": template.title, "issuer_name": template.issuer_name, "wording": template.wording,
        "full_name": "Nguyễn Thị Hồng Nhung", "unit_name": "Xã Minh Xuân",
        "course_title": template.course.title if template.course else "Học tập, quán triệt Nghị quyết của Đảng",
        "hours": float(template.course.hours or 0) if template.course else 24,
        "started_on": now.date().isoformat(), "completed_on": now.date().isoformat(),
        "result": domain.result_text(86 if template.rules else None),
        "serial": domain.serial(template.issuer_code, now.year, 123), "code": code, "code_grouped": domain.grouped(code),
        "verify_url": verify_url(code), "issued_on": clock.today_local().isoformat(), "issued_at": now.isoformat(),
        "expires_on": expires.isoformat() if expires else None,
        "place": template.place, "signer_name": template.signer_name, "signer_title": template.signer_title,
        "orientation": template.orientation, "seal_file_id": template.seal_file_id,
        "signature_file_id": template.signature_file_id,
    }
    return pdf.render(snapshot, _images(snapshot))


# ---- reading ------------------------------------------------------------------------------------------

def verify(raw_code: str) -> Certificate | None:
    code = domain.normalise_code(raw_code)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def mine(user: User) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


STATUS_FILTERS = tuple(str(s) for s in domain.Status)


def registry_query(q: str = "", status: str = "", course_id: int | None = None, year: int | None = None):
    stmt = select(Certificate).options(selectinload(Certificate.course))
    if q:
        stmt = stmt.where(Certificate.search_text.like(like_pattern(q), escape="\\"))
    if course_id:
        stmt = stmt.where(Certificate.course_id == course_id)
    if year:
        stmt = stmt.where(Certificate.year == year)
    today = clock.today_local()
    not_expired = or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today)
    live = and_(Certificate.revoked_at.is_(None), Certificate.replaced_by_id.is_(None))
    if status == domain.Status.VALID:
        stmt = stmt.where(live, not_expired)
    elif status == domain.Status.EXPIRED:
        stmt = stmt.where(live, ~not_expired)
    elif status == domain.Status.REVOKED:
        stmt = stmt.where(Certificate.revoked_at.is_not(None))
    elif status == domain.Status.REPLACED:
        stmt = stmt.where(Certificate.revoked_at.is_(None), Certificate.replaced_by_id.is_not(None))
    return stmt.order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def course_counts(course: Course) -> dict:
    issued = db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.course_id == course.id, Certificate.current_enrolment_id.is_not(None))) or 0
    return {"issued": issued}


if on_completion not in course_services.COMPLETION_HOOKS:
    course_services.COMPLETION_HOOKS.append(on_completion)
