"""API endpoints for certificates: the caller's own, the admin registry, one certificate, public verification.

Thin adapters over elearn/certificates/services.py, checked through core/authz.py with the token's user.
Someone else's certificate is a 404 (its existence not revealed). Verification needs no token, is
rate-limited together with the /verify/<code> page, and answers "unknown" (404) for a code that does not
exist and 400 for something that cannot be a code, the same whatever is stored. Every route here is
documented in openapi_certificates.py (a test fails otherwise).
"""
from __future__ import annotations

from flask import jsonify

from elearn.accounts.models import User
from elearn.api import PUBLIC_ENDPOINTS, ApiError, api_user, bp
from elearn.api.schemas import page as page_envelope
from elearn.api.schemas import timestamp
from elearn.api.views import Query
from elearn.certificates import domain, services
from elearn.certificates.models import Certificate
from elearn.certificates.views import public_view, verify_rate
from elearn.core import authz
from elearn.core.pagination import MAX_PER_PAGE
from elearn.courses.models import Course
from elearn.extensions import db

MAX_QUERY = 100
PUBLIC_ENDPOINTS.add("api.certificate_verify")


def _current() -> User:
    return api_user()


def _day(value) -> str | None:
    return value.isoformat() if value else None


def certificate(cert: Certificate) -> dict:
    return {
        "id": cert.id,
        "serial": cert.serial,
        "status": str(cert.status()),
        "user_id": cert.user_id,
        "full_name": cert.full_name,
        "course_id": cert.course_id,
        "course_code": cert.course_code,
        "course_title": cert.course_title,
        "enrolment_id": cert.enrolment_id,
        "hours": cert.hours,
        "result": cert.result,
        "final_grade": cert.final_grade,
        "attendance_share": cert.attendance_share,
        "started_on": _day(cert.started_on),
        "completed_on": _day(cert.completed_on),
        "issued_at": timestamp(cert.issued_at),
        "expires_on": _day(cert.expires_on),
        "revoked_at": timestamp(cert.revoked_at),
        "revoke_reason": cert.revoke_reason or None,
        "replaces_id": cert.replaces_id,
        "replaced_by_id": cert.replaced_by_id,
        "issuer_name": cert.issuer_name,
        "verification_code": cert.code,
        "verify_url": services.verify_url(cert.code),
        "pdf_url": f"/certificates/{cert.id}/pdf",
    }


@bp.get("/certificates/mine")
def my_certificates():
    rows = services.mine(_current())
    return jsonify({"items": [certificate(c) for c in rows], "total": len(rows)})


@bp.get("/certificates")
def certificate_registry():
    if not authz.can(_current(), "certificates.manage"):
        raise ApiError(403, "Only the training office (administrators) reads the certificate registry.", "forbidden")
    query = Query({"q", "status", "course_id", "year", "page", "per_page"})
    q = query.text("q") or ""
    if len(q) > MAX_QUERY:
        query.errors["q"] = f"At most {MAX_QUERY} characters."
    status = query.choice("status", services.STATUS_FILTERS) or ""
    course_id = query.integer("course_id")
    if course_id is not None and db.session.get(Course, course_id) is None:
        query.errors["course_id"] = "No course with this id."
    year = query.integer("year", low=2000, high=2100)
    page, per_page = query.page()
    query.done()
    stmt = services.registry_query(q=q, status=status, course_id=course_id, year=year)
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, max_per_page=MAX_PER_PAGE)
    return jsonify(page_envelope(result, certificate))


@bp.get("/certificates/<int:id>")
def certificate_detail(id: int):
    cert = db.session.get(Certificate, id)
    if cert is None or not authz.can(_current(), "certificate.download", cert):
        raise ApiError(404, "No certificate with this id.", "not_found")
    return jsonify(certificate(cert))


@bp.get("/certificates/verify/<code>")
@verify_rate
def certificate_verify(code: str):
    if domain.normalise_code(code) is None:
        response = jsonify({"error": {"code": "bad_request",
                                      "message": "Not a verification code (24 letters A-Z and digits 2-7)."}})
        response.status_code = 400
    else:
        info = public_view(services.verify(code))
        body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in info.items()}
        response = jsonify(body)
        response.status_code = 200 if info["status"] != "unknown" else 404
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response

