"""Learner and public pages: my certificates, the PDF download, public verification by code.

Verification is rate-limited (one budget per address, shared with the JSON verification) and answers
the same "unknown" for a code that is malformed and one that does not exist. No other route takes a
code, so nothing else reveals whether a code exists.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, render_template
from flask_login import current_user, login_required

from elearn.certificates import domain, services
from elearn.certificates.models import Certificate
from elearn.core import authz, clock
from elearn.core.files import send_stored
from elearn.extensions import _client_address, db, limiter

bp = Blueprint("certificates", __name__)

DEFAULT_VERIFY_LIMIT = "30 per minute"


def verify_limit() -> str:
    return current_app.config.get("CERT_VERIFY_LIMIT") or DEFAULT_VERIFY_LIMIT


def verify_key() -> str:
    return "cert-verify:" + _client_address()


# One budget for /verify/<code> and /api/v1/certificates/verify/<code>.
verify_rate = limiter.shared_limit(verify_limit, scope="certificate-verify", key_func=verify_key)


def public_view(cert: Certificate | None) -> dict:
    """What anyone holding the code may see: enough to spot an edited PDF, nothing else personal."""
    if cert is None:
        return {"status": "unknown"}
    status = cert.status()
    return {
        "status": str(status),
        "serial": cert.serial,
        "full_name": cert.full_name,
        "course_title": cert.course_title,
        "hours": cert.hours,
        "issued_on": clock.to_local(cert.issued_at).date(),
        "completed_on": cert.completed_on,
        "issuer_name": cert.issuer_name,
        "expires_on": cert.expires_on,
        "revoked_on": clock.to_local(cert.revoked_at).date() if cert.revoked_at else None,
    }


@bp.route("/verify/<code>")
@verify_rate
def verify(code: str):
    cert = services.verify(code)
    info = public_view(cert)
    response = make_response(render_template("certificates/verify.html", info=info, Status=domain.Status,
                                             status_labels=domain.STATUS_LABELS),
                             200 if cert is not None else 404)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/certificates/mine")
@login_required
def mine():
    rows = services.mine(current_user)
    return render_template("certificates/mine.html", rows=rows, Status=domain.Status,
                           status_labels=domain.STATUS_LABELS)


@bp.route("/certificates/<int:cert_id>/pdf")
@login_required
def download(cert_id: int):
    cert = db.session.get(Certificate, cert_id)
    if cert is None or not authz.can(current_user, "certificate.download", cert):
        abort(404)  # someone else's certificate: not even its existence is revealed
    file = services.ensure_pdf(cert)
    return send_stored(file, as_attachment=False)


from elearn.certificates import admin_views  # noqa: E402,F401  (the training office's pages, same blueprint)
