"""Forms of the lecturer's grading pages: list filters (GET) and the essay mark (POST, CSRF-protected)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from elearn.accounts.domain import CATEGORY_LABELS
from elearn.admin.forms import choice, lenient_int, unit_choices
from elearn.admin.views import unit_tree

from .grading_services import People


class PeopleFilterForm(Form):
    """Unit (with its sub-units) and target group; used by every list of the grading pages."""

    unit = SelectField(_l("Unit"), validate_choice=False)
    sub = BooleanField(_l("Include sub-units"), default=True)
    category = SelectField(_l("Target group"), validate_choice=False)

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata, **kwargs)
        self.unit.choices = [choice("", _("All units"))] + unit_choices(unit_tree())
        self.category.choices = [choice("", _("All target groups"))] + [choice(str(k), _(v))
                                                                        for k, v in CATEGORY_LABELS.items()]
        if formdata is None or not formdata.get("unit"):
            self.sub.data = True  # no unit chosen yet: offer sub-units ticked (an unticked box is absent from a GET)

    def people(self) -> People:
        category = self.category.data if self.category.data in {str(k) for k in CATEGORY_LABELS} else ""
        return People(unit_id=lenient_int(self.unit.data), sub_units=bool(self.sub.data), category=category)

    def args(self) -> dict:
        """The filters as query arguments (for export links and the pager)."""
        people = self.people()
        out: dict = {}
        if people.unit_id:
            out["unit"] = people.unit_id
            if people.sub_units:
                out["sub"] = "y"
        if people.category:
            out["category"] = people.category
        return out


class EssayFilterForm(PeopleFilterForm):
    quiz = SelectField(_l("Quiz"), validate_choice=False)
    status = SelectField(_l("Show"), validate_choice=False)

    def __init__(self, formdata=None, quizzes=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.quiz.choices = [choice("", _("All quizzes"))] + [choice(str(q.id), q.title) for q in quizzes]
        self.status.choices = [choice("ungraded", _("Waiting for a grade")), choice("graded", _("Graded")),
                               choice("all", _("All essays"))]

    def quiz_id(self) -> int | None:
        return lenient_int(self.quiz.data)

    def status_value(self) -> str:
        return self.status.data if self.status.data in ("ungraded", "graded", "all") else "ungraded"

    def args(self) -> dict:
        out = super().args()
        if self.quiz_id():
            out["quiz"] = self.quiz_id()
        out["status"] = self.status_value()
        return out


class EssayGradeForm(FlaskForm):
    mark = StringField(_l("Mark"), validators=[DataRequired(message=_l("Enter a mark."))],
                       render_kw={"inputmode": "decimal", "autocomplete": "off"})
    comment = TextAreaField(_l("Comment for the learner"), validators=[Length(max=20_000)], render_kw={"rows": 5})
    submit = SubmitField(_l("Save the grade"))
