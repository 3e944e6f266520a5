"""Administration pages: people, units, imports, audit log."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required

from elearn.core import authz

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def _admins_only():
    authz.require("admin.access", user=current_user)
