"""Forms of the assignment pages. Rules are decided by services/domain; forms check only what a form can."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DecimalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from elearn.admin.forms import choice
from elearn.assignments import domain
from elearn.assignments.services import AssignmentData
from elearn.core.clock import LOCAL_TZ, to_local

_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def _aware(value: datetime | None) -> datetime | None:
    """A local date-time typed in the form (Asia/Ho_Chi_Minh) -> aware datetime."""
    return value.replace(tzinfo=LOCAL_TZ) if value is not None else None


class AssignmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    template = SelectField(_l("Kind"), choices=[choice(str(k), _l(v)) for k, v in domain.TEMPLATE_LABELS.items()])
    instructions = TextAreaField(_l("Instructions"), validators=[Length(max=200_000)], render_kw={"rows": 8})
    due_at = DateTimeLocalField(_l("Due date"), format=_FORMATS, validators=[Optional()])
    late_until = DateTimeLocalField(_l("Late submissions accepted until"), format=_FORMATS, validators=[Optional()])
    allow_text = BooleanField(_l("Online text"), default=True)
    allow_files = BooleanField(_l("File attachments (PDF, DOCX, images)"), default=True)
    max_files = IntegerField(_l("Files at most"), default=3, validators=[Optional(), NumberRange(1, 10)])
    min_words = IntegerField(_l("Words at least"), validators=[Optional(), NumberRange(0, 100_000)])
    max_words = IntegerField(_l("Words at most"), validators=[Optional(), NumberRange(1, 100_000)])
    allow_resubmit = BooleanField(_l("Learners may change and submit again while it is open"), default=True)
    grading = SelectField(_l("Grading"), choices=[choice(str(k), _l(v)) for k, v in domain.GRADING_LABELS.items()])
    rubric = TextAreaField(_l("Rubric"), validators=[Length(max=20_000)], render_kw={"rows": 5})
    max_score = DecimalField(_l("Maximum score"), places=None, validators=[Optional(), NumberRange(0, 1000)])
    pass_score = DecimalField(_l("Pass mark"), places=None, validators=[Optional(), NumberRange(0, 1000)])
    similarity_percent = IntegerField(_l("Flag pairs of texts overlapping at least (%)"), default=50,
                                      validators=[Optional(), NumberRange(10, 100)])
    required = BooleanField(_l("Required for completing the course"), default=True)

    def validate_rubric(self, field) -> None:
        if self.grading.data == domain.Grading.RUBRIC:
            try:
                domain.parse_rubric_text(field.data or "")
            except domain.RubricError as err:
                raise ValidationError(err.message.render(_)) from None

    def data_object(self) -> AssignmentData:
        crit = domain.parse_rubric_text(self.rubric.data or "") if self.grading.data == domain.Grading.RUBRIC else ()
        return AssignmentData(
            title=self.title.data or "", template=self.template.data, instructions=self.instructions.data or "",
            due_at=_aware(self.due_at.data), late_until=_aware(self.late_until.data),
            allow_text=self.allow_text.data, allow_files=self.allow_files.data, max_files=self.max_files.data or 3,
            min_words=self.min_words.data, max_words=self.max_words.data, allow_resubmit=self.allow_resubmit.data,
            grading=self.grading.data, rubric=crit,
            max_score=float(self.max_score.data) if self.max_score.data is not None else None,
            pass_score=float(self.pass_score.data) if self.pass_score.data is not None else None,
            similarity_percent=float(self.similarity_percent.data or 50), required=self.required.data)


def form_data(assignment, item) -> dict:
    def local(value):
        return to_local(value).replace(tzinfo=None) if value is not None else None

    return {"title": assignment.title, "template": assignment.template, "instructions": assignment.instructions,
            "due_at": local(assignment.due_at), "late_until": local(assignment.late_until),
            "allow_text": assignment.allow_text, "allow_files": assignment.allow_files,
            "max_files": assignment.max_files, "min_words": assignment.min_words, "max_words": assignment.max_words,
            "allow_resubmit": assignment.allow_resubmit, "grading": assignment.grading,
            "rubric": domain.rubric_text(domain.rubric_from_json(assignment.rubric)) if assignment.rubric else "",
            "max_score": assignment.max_score, "pass_score": assignment.pass_score,
            "similarity_percent": round(assignment.similarity_threshold * 100),
            "required": item.required if item is not None else True}


class SubmissionForm(FlaskForm):
    """The learner's work: one text (free assignment) or the three sections of a reflection essay."""

    text = TextAreaField(_l("Your text"), validators=[Length(max=200_000)], render_kw={"rows": 14})
    learned = TextAreaField(_l(domain.REFLECTION_SECTIONS[0][1]), validators=[Length(max=200_000)],
                            render_kw={"rows": 8})
    application = TextAreaField(_l(domain.REFLECTION_SECTIONS[1][1]), validators=[Length(max=200_000)],
                                render_kw={"rows": 8})
    commitments = TextAreaField(_l(domain.REFLECTION_SECTIONS[2][1]), validators=[Length(max=200_000)],
                                render_kw={"rows": 8})
    files = MultipleFileField(_l("Attach files"))


class ActionForm(FlaskForm):
    """A button with only the CSRF token (submit, run a check, remove a file)."""


class GradeForm(FlaskForm):
    score = DecimalField(_l("Score"), places=None, validators=[Optional()])
    passed = RadioField(_l("Result"), choices=[choice("1", _l("Pass")), choice("0", _l("Fail"))], validators=[Optional()])
    feedback = TextAreaField(_l("Feedback for the learner"), validators=[Length(max=100_000)], render_kw={"rows": 6})


class DelegateForm(FlaskForm):
    username = StringField(_l("Username of the unit head"), validators=[DataRequired(), Length(max=64)])
