"""Pagination of long lists, the same everywhere."""
from __future__ import annotations

from flask import current_app, request
from sqlalchemy import Select

from elearn.extensions import db

MAX_PER_PAGE = 200


def page_args() -> tuple[int, int]:
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    default = current_app.config["PER_PAGE"]
    try:
        per_page = min(MAX_PER_PAGE, max(1, int(request.args.get("per_page", default))))
    except ValueError:
        per_page = default
    return page, per_page


def paginate(stmt: Select):
    page, per_page = page_args()
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
