"""Home page and health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from elearn.accounts.models import Unit, User
from elearn.core import authz
from elearn.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
@login_required
def home():
    stats = None
    if authz.can(current_user, "admin.access"):
        stats = {
            "people": db.session.scalar(select(func.count()).select_from(User)),
            "active": db.session.scalar(select(func.count()).select_from(User).where(User.active.is_(True))),
            "units": db.session.scalar(select(func.count()).select_from(Unit)),
        }
    return render_template("home.html", stats=stats)


@bp.route("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
