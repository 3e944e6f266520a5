"""Forms of the learner pages: catalogue filters and self-enrolment.

Lecturer forms live in manage_forms.py. Rules (who may enrol, which key is right) are decided by
services.py; these forms only read the input.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, SelectField
from wtforms.fields import SearchField
from wtforms.validators import Length, Optional

from elearn.courses.catalog import COURSE_KIND_LABELS


def lenient_int(value) -> int | None:
    """A select's value as an int; nothing chosen or not a number is None."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class CatalogueForm(Form):
    """Catalogue filters, read from the query string (GET, no CSRF needed)."""

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    category = SelectField(_l("Category"), validate_choice=False)
    kind = SelectField(_l("Kind of course"), validate_choice=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _("All categories"))] + [(str(c.id), c.name) for c in categories]
        self.kind.choices = [("", _("All kinds"))] + [(str(k), _(label)) for k, label in COURSE_KIND_LABELS.items()]


class EnrolForm(FlaskForm):
    """Self-enrolment; the key field is removed when the course needs no key."""

    key = PasswordField(_l("Enrolment key"), validators=[Optional(), Length(max=100)],
                        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
