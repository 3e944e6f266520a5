"""JSON API under /api/v1, authenticated by personal access tokens."""
from __future__ import annotations

from flask import Blueprint, g, request
from werkzeug.exceptions import Unauthorized

from elearn.accounts import services
from elearn.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # no cookies: every call carries its own bearer token


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


@bp.before_request
def authenticate():
    g.api_user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    secret = bearer_token()
    user = services.user_for_api_token(secret) if secret else None
    if user is None:
        raise Unauthorized("A valid personal access token is required (Authorization: Bearer <token>).")
    g.api_user = user
    return None


PUBLIC_ENDPOINTS = {"api.openapi"}

from elearn.api import views  # noqa: E402,F401  (routes register on bp)
