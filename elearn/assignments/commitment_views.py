"""A cadre's commitments: the action plans of their reflection essays, kept as data (one line each)."""
from __future__ import annotations

from itertools import groupby

from flask import abort, render_template
from flask_login import current_user, login_required

from elearn.accounts.models import User
from elearn.assignments.commitments import commitments_of
from elearn.assignments.views import bp
from elearn.core import authz
from elearn.extensions import db


@bp.route("/people/<int:user_id>/commitments")
@login_required
def commitments(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or not authz.can(current_user, "commitments.view", person):
        abort(404)
    rows = commitments_of(person.id)
    groups = [(submission, list(items)) for submission, items in groupby(rows, key=lambda c: c.submission)]
    return render_template("assignments/commitments.html", person=person, groups=groups,
                           own=person.id == current_user.id)
