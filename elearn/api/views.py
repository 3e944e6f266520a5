"""API endpoints for the current user, units and (admin) users."""
from __future__ import annotations

from flask import jsonify

from elearn.api import bp
from elearn.api.openapi import document


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
