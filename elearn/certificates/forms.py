"""Forms of the certificate pages. Rules are decided in services.py / domain.py; these only read input."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DecimalField, Form, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SearchField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from elearn.certificates import domain, services
from elearn.courses.forms import lenient_int

IMAGE_ACCEPT = {"accept": "image/png,image/jpeg"}


class TemplateForm(FlaskForm):
    name = StringField(_l("Name (for administrators)"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of certificate"))
    title = StringField(_l("Title printed on the certificate"), validators=[DataRequired(), Length(max=200)],
                        default="GIẤY CHỨNG NHẬN")
    wording = TextAreaField(_l("Wording above the course title"), validators=[Optional(), Length(max=1000)],
                            default="Đã hoàn thành chương trình bồi dưỡng")
    issuer_name = StringField(_l("Issuing unit"), validators=[DataRequired(), Length(max=300)])
    issuer_code = StringField(_l("Serial prefix (e.g. TQ)"), validators=[DataRequired(), Length(max=10)])
    place = StringField(_l("Place printed before the date"), validators=[Optional(), Length(max=100)])
    signer_name = StringField(_l("Signer's name"), validators=[Optional(), Length(max=200)])
    signer_title = StringField(_l("Signer's title"), validators=[Optional(), Length(max=200)])
    orientation = SelectField(_l("Layout"))
    valid_months = IntegerField(_l("Valid for (months; empty: no expiry)"),
                                validators=[Optional(), NumberRange(min=1, max=600)])
    course = SelectField(_l("Course"), validate_choice=False)
    category = SelectField(_l("Course category"), validate_choice=False)
    min_final_grade = DecimalField(_l("Minimum final grade (0–100; empty: none)"),
                                   validators=[Optional(), NumberRange(min=0, max=100)])
    auto_issue = BooleanField(_l("Issue automatically when a learner completes the course"))
    seal = FileField(_l("Seal image (PNG or JPEG)"), render_kw=IMAGE_ACCEPT)
    signature = FileField(_l("Signature image (PNG or JPEG)"), render_kw=IMAGE_ACCEPT)

    def __init__(self, *args, courses=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(str(k), _(label)) for k, label in domain.KIND_LABELS.items()]
        self.orientation.choices = [("L", _("A4 landscape")), ("P", _("A4 portrait"))]
        self.course.choices = [("", _("Any course (use the category or default)"))] + \
            [(str(c.id), f"{c.code} · {c.title}") for c in courses]
        self.category.choices = [("", _("Any category"))] + [(str(c.id), c.name) for c in categories]

    def data_object(self) -> services.TemplateData:
        grade = self.min_final_grade.data
        return services.TemplateData(
            name=self.name.data or "", title=self.title.data or "", issuer_name=self.issuer_name.data or "",
            issuer_code=(self.issuer_code.data or "").strip().upper(), kind=self.kind.data,
            wording=self.wording.data or "", signer_name=self.signer_name.data or "",
            signer_title=self.signer_title.data or "", place=self.place.data or "",
            orientation=self.orientation.data, valid_months=self.valid_months.data,
            course_id=lenient_int(self.course.data), category_id=lenient_int(self.category.data),
            auto_issue=bool(self.auto_issue.data), min_final_grade=float(grade) if grade is not None else None)


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ReissueForm(FlaskForm):
    reason = StringField(_l("Reason for re-issuing (e.g. a corrected name)"), validators=[Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    """Only the CSRF token: issue one, start a bulk issue or a ZIP."""


class RegistryForm(Form):
    """Registry filters from the query string (GET, no CSRF needed)."""

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), validate_choice=False)
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _("All"))] + [(str(s), _(label)) for s, label in domain.STATUS_LABELS.items()]
