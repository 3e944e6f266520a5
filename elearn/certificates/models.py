"""Certificate templates, issued certificates and the serial-number counters."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import TimestampMixin, UTCDateTime
from elearn.extensions import db


class CertificateTemplate(TimestampMixin, db.Model):
    """How a certificate looks and who issues it: for one course, a course category, or (neither) the default."""

    __tablename__ = "certificate_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("course_category.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="giay_chung_nhan")  # domain.CertificateKind
    title: Mapped[str] = mapped_column(String(200))  # e.g. GIẤY CHỨNG NHẬN
    wording: Mapped[str] = mapped_column(Text, default="")  # plain text printed above the course title
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    issuer_name: Mapped[str] = mapped_column(String(300))  # the issuing unit, printed at the top
    issuer_code: Mapped[str] = mapped_column(String(10))  # serial prefix: TQ -> TQ-2025-000123
    place: Mapped[str] = mapped_column(String(100), default="")  # printed before the date: "Tuyên Quang, ngày ..."
    orientation: Mapped[str] = mapped_column(String(1), default="L")  # L: A4 landscape, P: portrait
    valid_months: Mapped[int | None] = mapped_column(Integer)  # None: never expires
    rules: Mapped[list] = mapped_column(JSON, default=list)  # certificate-only rules (domain.rules_to_json)
    auto_issue: Mapped[bool] = mapped_column(Boolean, default=False)  # issue on completion
    seal_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    signature_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    course = relationship("Course")
    category = relationship("CourseCategory")
    seal_file = relationship("StoredFile", foreign_keys=[seal_file_id])
    signature_file = relationship("StoredFile", foreign_keys=[signature_file_id])


class SerialCounter(db.Model):
    """The last serial number used per issuer and year; locked (SELECT ... FOR UPDATE) while issuing."""

    __tablename__ = "certificate_serial"

    issuer_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Certificate(db.Model):
    """One issued certificate. What it says is frozen at issue (the columns below and `snapshot`)."""

    __tablename__ = "certificate"
    __table_args__ = (UniqueConstraint("issuer_code", "year", "number", name="uq_certificate_issuer_year_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="RESTRICT"), index=True)
    # The enrolment's id while this is its current certificate, NULL once replaced by a re-issue:
    # unique, so a course can never give one person two current certificates (even under concurrency).
    current_enrolment_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_template.id", ondelete="SET NULL"))
    issuer_code: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    serial: Mapped[str] = mapped_column(String(40), unique=True)  # TQ-2025-000123
    code: Mapped[str] = mapped_column(String(32), unique=True)  # verification code, 120 random bits
    kind: Mapped[str] = mapped_column(String(20))
    # Frozen at issue: who, what, result and attendance (the quality evaluation reads these).
    full_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    course_code: Mapped[str] = mapped_column(String(40))
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    issuer_name: Mapped[str] = mapped_column(String(300))
    started_on: Mapped[date | None] = mapped_column(Date)  # enrolment date
    completed_on: Mapped[date | None] = mapped_column(Date)
    final_grade: Mapped[float | None] = mapped_column(Float)  # 0..100, None when the course has none
    attendance_share: Mapped[float | None] = mapped_column(Float)  # live-session time attended, 0..1
    result: Mapped[str] = mapped_column(String(100), default="")  # as printed
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)  # everything the PDF prints (pdf.render)
    search_text: Mapped[str] = mapped_column(Text, default="")  # fold(serial, name, course, code)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(String(500), default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id", ondelete="SET NULL"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id", ondelete="SET NULL"))
    pdf_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])
    course = relationship("Course")
    enrolment = relationship("Enrolment")
    template = relationship(CertificateTemplate)
    pdf_file = relationship("StoredFile", foreign_keys=[pdf_file_id])
    replaced_by = relationship("Certificate", foreign_keys=[replaced_by_id], remote_side=[id])
    replaces = relationship("Certificate", foreign_keys=[replaces_id], remote_side=[id])

    def status(self, today: date | None = None):
        from elearn.certificates import domain

        return domain.status(revoked_at=self.revoked_at, replaced=self.replaced_by_id is not None,
                             expires_on=self.expires_on, today=today or clock.today_local())
