"""Forum forms (Flask-WTF: every POST carries its CSRF token). Rules are decided by services.py and domain.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SearchField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from elearn.admin.forms import choice
from elearn.forums import domain

BODY_HINT = _l("Simple HTML is allowed (paragraphs, lists, links, quotes); scripts and styles are removed.")
FILE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx"


def _body_field(label=None):
    return TextAreaField(label or _l("Message"), validators=[DataRequired(message=_l("Write something before posting."))],
                         render_kw={"rows": 6})


class ThreadForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("A title is required.")),
                                                 Length(max=domain.TITLE_MAX)])
    body = _body_field()
    attachment = FileField(_l("Attachment (optional)"), render_kw={"accept": FILE_ACCEPT})


class ReplyForm(FlaskForm):
    body = _body_field(_l("Your reply"))
    parent_id = HiddenField()
    attachment = FileField(_l("Attachment (optional)"), render_kw={"accept": FILE_ACCEPT})


class EditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=domain.TITLE_MAX)])
    body = _body_field()
    attachment = FileField(_l("Add an attachment (optional)"), render_kw={"accept": FILE_ACCEPT})


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=domain.REASON_MAX)], render_kw={"rows": 3})


class FlagForm(FlaskForm):
    reason = TextAreaField(_l("What is wrong with this post?"),
                           validators=[DataRequired(message=_l("Give a reason.")), Length(max=domain.REASON_MAX)],
                           render_kw={"rows": 3})


class ResolveForm(FlaskForm):
    outcome = HiddenField(validators=[AnyOf(["keep", "remove"])])
    reason = TextAreaField(_l("Reason shown to the author (when removing)"),
                           validators=[Optional(), Length(max=domain.REASON_MAX)], render_kw={"rows": 2})


class ToggleForm(FlaskForm):
    """Pin, lock, subscribe, accept: one button, the value in a hidden field."""

    value = HiddenField(validators=[AnyOf(["0", "1"])])


class MoveForm(FlaskForm):
    forum_id = SelectField(_l("Move to forum"), validate_choice=False)


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search

    q = SearchField(_l("Search the discussions"), validators=[Optional(), Length(max=100)])


class ForumForm(FlaskForm):
    title = StringField(_l("Forum title"), validators=[DataRequired(message=_l("A title is required.")),
                                                       Length(max=domain.TITLE_MAX)])
    kind = SelectField(_l("Kind of forum"), choices=[choice(str(k), label) for k, label in (
        (domain.ForumKind.OPEN, _l("Open discussion")),
        (domain.ForumKind.QA, _l("Questions and answers")),
        (domain.ForumKind.ANNOUNCEMENTS, _l("Announcements")))])
    intro = TextAreaField(_l("Introduction"), validators=[Length(max=20_000)], render_kw={"rows": 4})
    min_posts = IntegerField(_l("Posts a learner writes to complete this forum"), default=1,
                             validators=[NumberRange(min=1, max=100, message=_l("Between 1 and 100."))])
    required = BooleanField(_l("Required step of the course"), default=True)
