"""Error pages in the person's language, and JSON errors with stable codes under /api/."""
from __future__ import annotations

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from elearn.extensions import db

# Stable machine-readable codes for the API.
API_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
    429: "rate_limited", 500: "server_error",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, message: str, code: str | None = None, details: dict | None = None):
    body = {"error": {"code": code or API_CODES.get(status, "error"), "message": message}}
    if details:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        401: (_("Please sign in"), _("You need to sign in to see this page.")),
        403: (_("Access denied"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("The page you asked for does not exist or has been moved.")),
        405: (_("Not allowed"), _("This action is not allowed here.")),
        413: (_("File too large"), _("The file you sent is larger than allowed.")),
        429: (_("Too many attempts"), _("Too many attempts. Please wait a few minutes and try again.")),
        500: (_("Something went wrong"), _("An unexpected error happened. It has been recorded; please try again later.")),
    }


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if wants_json():
            return api_error(400, exc.description, "csrf_failed")
        message = _("The form has expired or was not sent from this site. Reload the page and try again.")
        return render_template("errors/error.html", status=400, title=_("Form expired"), message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            response = api_error(status, exc.description or "")
            for name, value in exc.get_headers():  # keep Allow (405), WWW-Authenticate, Retry-After
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        if status == 401:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        title, message = _messages().get(status, (exc.name, exc.description or ""))
        if status == 429:
            message = _("Too many attempts. Please wait %(wait)s and try again.", wait=_retry_text(exc))
        return render_template("errors/error.html", status=status, title=title, message=message), status

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s", request.path)
        if wants_json():
            return api_error(500, "Internal server error")
        title, message = _messages()[500]
        return render_template("errors/error.html", status=500, title=title, message=message), 500


def _retry_text(exc) -> str:
    description = str(getattr(exc, "description", "") or "")
    # Flask-Limiter describes the limit ("5 per 15 minute"); tell the person the window.
    if "minute" in description:
        number = "".join(ch for ch in description.split("per")[-1] if ch.isdigit()) or "1"
        return _("%(n)s minutes", n=number)
    return _("a moment")
