"""Template filters and globals."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, has_request_context, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.accounts import domain
from elearn.core import authz, html


def register(app: Flask) -> None:
    _static_cache_busting(app)

    @app.template_filter("localtime")
    def localtime(value: datetime | None, fmt: str = "dd/MM/yyyy HH:mm") -> str:
        if value is None:
            return ""
        return format_datetime(value, fmt)  # Flask-Babel converts UTC to Asia/Ho_Chi_Minh

    @app.template_filter("rich")
    def rich(value: str | None):
        return html.render(value)

    @app.template_filter("msg")
    def render_message(message) -> str:
        """Render a domain Message (msgid + params) in the current language."""
        return message.render(_)

    @app.template_global()
    def url_with(**changes) -> str:
        """The current URL with some query arguments changed (pagination, filters)."""
        args = request.args.to_dict()
        args.update({k: v for k, v in changes.items()})
        args = {k: v for k, v in args.items() if v not in (None, "")}
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    @app.template_global()
    def admin_nav() -> list[tuple[str, str]]:
        items = [
            ("admin.people", _("People")),
            ("admin.units", _("Units")),
            ("admin.import_start", _("Import people")),
            ("admin.audit", _("Audit log")),
            ("courses.embed_hosts", _("Video sites")),
            ("certificates.registry", _("Certificates")),
        ]
        return [(endpoint, text) for endpoint, text in items if endpoint in app.view_functions]

    @app.context_processor
    def globals_():
        return {
            "can": authz.template_can,
            "LANGUAGES": app.config["LANGUAGES"],
            "label": label,
            "get_locale": get_locale,
        }

    @app.context_processor
    def notification_badge():
        """The header's unread-notifications count: one COUNT query, only for a signed-in person."""
        if not has_request_context() or not getattr(current_user, "is_authenticated", False):
            return {}
        from elearn.core.notify import unread_count

        return {"unread_notifications": unread_count(current_user.id)}


def label(kind: str, value: str | None) -> str:
    """Translated label of a domain value (role, unit kind, gender, ...)."""
    tables = {
        "role": domain.ROLE_LABELS,
        "unit_kind": domain.UNIT_KIND_LABELS,
        "gender": domain.GENDER_LABELS,
        "theory": domain.THEORY_LEVEL_LABELS,
        "education": domain.EDUCATION_LEVEL_LABELS,
        "category": domain.CATEGORY_LABELS,
    }
    if value is None or value == "":
        return ""
    text = tables[kind].get(value)
    return _(text) if text else value


def _static_cache_busting(app: Flask) -> None:
    """Static URLs carry the file's modification time (?v=...), so browsers may cache them for a year:
    a changed file gets a new URL. Unversioned static requests are cached for an hour."""
    import os

    versions: dict[str, int] = {}

    @app.url_defaults
    def _version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        filename = values["filename"]
        if filename not in versions or app.debug:
            try:
                versions[filename] = int(os.stat(os.path.join(app.static_folder, filename)).st_mtime)
            except OSError:
                return
        values["v"] = versions[filename]

    def max_age(filename: str | None) -> int:
        return 365 * 24 * 3600 if request.args.get("v") else 3600

    app.get_send_file_max_age = max_age
