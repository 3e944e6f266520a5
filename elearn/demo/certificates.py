"""Demo certificates: a default template of the provincial Political School, a certificate for every demo
completion (issued by the demo administrator), and one of them revoked so that /verify shows both states.

Idempotent: once the demo template exists, nothing changes.
"""
from __future__ import annotations

from sqlalchemy import select

from elearn.accounts.models import User
from elearn.certificates import services
from elearn.certificates.models import Certificate, CertificateTemplate
from elearn.courses.models import Course, Enrolment
from elearn.demo.courses import DEMO_CODES
from elearn.extensions import db

TEMPLATE_NAME = "Giấy chứng nhận bồi dưỡng (mẫu chung)"
REVOKE_REASON = "Cấp nhầm: học viên được ghi nhận hoàn thành trước khi đủ thời lượng học trực tiếp."


def seed_certificates() -> str:
    if db.session.scalar(select(CertificateTemplate.id).where(CertificateTemplate.name == TEMPLATE_NAME)) is not None:
        return "Demo certificates already present; nothing changed."
    from elearn.demo import ADMIN_USERNAME  # not at the top: elearn.demo imports this module

    admin = db.session.scalar(select(User).where(User.username == ADMIN_USERNAME))
    if admin is None:
        return "Demo certificates not added: the demo administrator was not found."
    services.save_template(admin, None, services.TemplateData(
        name=TEMPLATE_NAME, title="GIẤY CHỨNG NHẬN", issuer_name="Trường Chính trị tỉnh Tuyên Quang",
        issuer_code="TQ", wording="Đã hoàn thành chương trình bồi dưỡng", signer_name="Nguyễn Văn Thành",
        signer_title="Hiệu trưởng", place="Tuyên Quang", auto_issue=True))
    enrolments = db.session.scalars(
        select(Enrolment).join(Course).where(Course.code.in_(DEMO_CODES), Enrolment.completed_at.is_not(None),
                                             Enrolment.state == "active")
        .order_by(Enrolment.completed_at, Enrolment.id)).all()
    issued = 0
    for enrolment in enrolments:
        try:
            _cert, created = services.issue(admin, enrolment, commit=False)
        except services.CertificateError:
            continue
        issued += created
    db.session.commit()
    revoked = db.session.scalar(select(Certificate).where(Certificate.revoked_at.is_(None))
                                .order_by(Certificate.id.desc()).limit(1))
    if revoked is not None:
        services.revoke(admin, revoked, REVOKE_REASON)
    return (f"Demo certificates: {issued} issued for the demo completions"
            + (f", {revoked.serial} revoked (verify it at /verify/{revoked.code})." if revoked is not None else "."))
