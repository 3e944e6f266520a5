"""JSON API under /api/v1, authenticated by personal access tokens.

Every answer under /api/ is JSON, errors included: {"error": {"code", "message"[, "details"]}} with the
stable codes of core/errors.API_CODES (see docs/api.md). Browser cookies are never looked at here, so the
blueprint needs no CSRF protection: a call is authorised only by its own `Authorization: Bearer` header.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from elearn.accounts import services
from elearn.accounts.models import User
from elearn.core import tokens
from elearn.core.errors import api_error
from elearn.extensions import csrf, db, limiter

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # no cookies: every call carries its own bearer token

DEFAULT_RATE_LIMIT = "300 per minute"
PUBLIC_ENDPOINTS = {"api.openapi"}
# Views whose own query checks the token (the busiest request of an exam: one query fewer). `authenticate` only
# requires the header; the view passes `g.api_token_hash` into its query and answers `invalid_token()` when the
# token turns out not to be valid.
TOKEN_CHECKED_IN_VIEW = {"api.api_save"}


class ApiError(Exception):
    """Raised by API views for an error answer with a stable code (e.g. 422 "invalid" with details)."""

    def __init__(self, status: int, message: str, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.details = details


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return api_error(exc.status, exc.message, exc.code, exc.details)


@bp.errorhandler(services.ServiceError)
def _service_error(exc: services.ServiceError):
    # A business rule refused the change: 422 with the rule's (English) message under its field.
    message = exc.message % exc.params if exc.params else exc.message
    errors = getattr(exc, "errors", None) or {exc.field or "_": exc.message}
    return api_error(422, message, "invalid", {k: v for k, v in errors.items()})


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT") or DEFAULT_RATE_LIMIT


def _rate_key() -> str:
    """One budget per token (a program), or per address for calls without one."""
    secret = bearer_token()
    if secret:
        return "api:token:" + tokens.digest(secret)[:32]
    return "api:addr:" + (request.remote_addr or "unknown")


limiter.limit(_rate_limit, key_func=_rate_key)(bp)


def api_user_id() -> int | None:
    """The id of the token's owner (set by `authenticate`, or looked up here in a view of TOKEN_CHECKED_IN_VIEW;
    None there for a token that is not valid); enough for a check of ownership."""
    if g.get("api_user_id") is None and g.get("api_token_hash"):
        g.api_user_id = services.token_digest_user_id(g.api_token_hash)
    return g.get("api_user_id")


def api_user():
    """The token's owner, loaded on first use: a call that only needs the id (saving an answer) never loads it."""
    if g.get("api_user") is None and api_user_id() is not None:
        g.api_user = db.session.get(User, g.api_user_id)
    return g.get("api_user")


@bp.before_request
def authenticate():
    g.api_user, g.api_user_id, g.api_token_hash = None, None, None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    secret = bearer_token()
    if secret is None:
        response = api_error(401, "A personal access token is required (Authorization: Bearer <token>).",
                             "unauthorized")
        response.headers["WWW-Authenticate"] = 'Bearer realm="elearn"'
        return response
    if request.endpoint in TOKEN_CHECKED_IN_VIEW:
        g.api_token_hash = tokens.digest(secret)
        return None
    user_id = services.api_token_user_id(secret)
    if user_id is None:  # unknown, revoked, or its owner is disabled: the same answer for all three
        return invalid_token()
    g.api_user_id = user_id
    return None


def invalid_token():
    response = api_error(401, "The token is not valid (unknown, revoked, or its account is disabled).",
                         "unauthorized")
    response.headers["WWW-Authenticate"] = 'Bearer realm="elearn", error="invalid_token"'
    return response


@bp.after_request
def _no_store(response):
    # Answers carry personal data and depend on the token: no shared or browser caching.
    if request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


from elearn.api import (  # noqa: E402,F401  (routes register on bp; courses: the course endpoints)
    assignments,  # noqa: E402,F401  (assignments, submissions and grades)
    certificates,  # noqa: E402,F401  (the certificate endpoints)
    courses,
    documents,  # noqa: E402,F401  (the document library)
    forums,  # noqa: E402,F401  (course discussions)
    live,  # noqa: E402,F401  (live sessions: schedule, join info, attendance)
    quizzes,  # noqa: E402,F401  (taking quizzes: start, pages, answers, submit, review)
    views,
)
