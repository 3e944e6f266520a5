"""Forms of the lecturer's quiz pages: settings, the question list (fixed and random slots) and overrides.

Times are typed in Vietnam's time zone and stored in UTC; durations are typed in minutes and stored in seconds.
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from elearn.admin.forms import choice
from elearn.core import clock
from elearn.quizzes.attempts import EXPIRY_RULE_LABELS, GRADING_METHOD_LABELS
from elearn.quizzes.quiz_rules import NAVIGATION_LABELS, ROLE_LABELS
from elearn.quizzes.quiz_services import QuizSettings

DT = "%Y-%m-%dT%H:%M"


def to_utc(local: datetime | None) -> datetime | None:
    if local is None:
        return None
    return local.replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)


def to_local_naive(value: datetime | None) -> datetime | None:
    return None if value is None else clock.to_local(value).replace(tzinfo=None)


class MultiCheckbox(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _minutes(seconds: int | None) -> int:
    return int((seconds or 0) // 60)


class QuizSettingsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    intro = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=20000)])
    role = SelectField(_l("Role in the course"), choices=[choice(k, _l(v)) for k, v in ROLE_LABELS.items()], default="")
    open_at = DateTimeLocalField(_l("Opens at"), format=DT, validators=[Optional()])
    close_at = DateTimeLocalField(_l("Closes at"), format=DT, validators=[Optional()])
    time_limit = IntegerField(_l("Time limit (minutes, 0 = none)"), default=0, validators=[NumberRange(0, 24 * 60)])
    expiry_rule = SelectField(_l("When time expires"), choices=[choice(str(k), _l(v)) for k, v in EXPIRY_RULE_LABELS.items()])
    grace_minutes = IntegerField(_l("Grace period (minutes)"), default=0, validators=[NumberRange(0, 24 * 60)])
    attempts_allowed = IntegerField(_l("Attempts allowed (0 = unlimited)"), default=1, validators=[NumberRange(0, 100)])
    delay_minutes = IntegerField(_l("Wait between attempts (minutes)"), default=0, validators=[NumberRange(0, 60 * 24 * 30)])
    grading_method = SelectField(_l("Grading method"),
                                 choices=[choice(str(k), _l(v)) for k, v in GRADING_METHOD_LABELS.items()])
    max_grade = DecimalField(_l("Maximum grade"), default=10, places=2, validators=[NumberRange(0.01, 1000)])
    pass_mark = DecimalField(_l("Pass mark (empty = any grade passes)"), places=2, validators=[Optional(), NumberRange(0, 1000)])
    shuffle_questions = BooleanField(_l("Shuffle the questions"))
    shuffle_answers = BooleanField(_l("Shuffle the answers within questions"), default=True)
    questions_per_page = IntegerField(_l("Questions per page (0 = all on one page)"), default=1,
                                      validators=[NumberRange(0, 200)])
    navigation = SelectField(_l("Navigation"), choices=[choice(k, _l(v)) for k, v in NAVIGATION_LABELS.items()])
    autosave_seconds = IntegerField(_l("Autosave every (seconds)"), default=20, validators=[NumberRange(5, 600)])
    submit = SubmitField(_l("Save"))

    def load(self, s: QuizSettings) -> None:
        self.title.data, self.intro.data, self.role.data = s.title, s.intro, s.role
        self.open_at.data, self.close_at.data = to_local_naive(s.open_at), to_local_naive(s.close_at)
        self.time_limit.data = _minutes(s.time_limit)
        self.expiry_rule.data, self.grace_minutes.data = s.expiry_rule, _minutes(s.grace_seconds)
        self.attempts_allowed.data, self.delay_minutes.data = s.attempts_allowed, _minutes(s.delay_seconds)
        self.grading_method.data, self.max_grade.data, self.pass_mark.data = s.grading_method, s.max_grade, s.pass_mark
        self.shuffle_questions.data, self.shuffle_answers.data = s.shuffle_questions, s.shuffle_answers
        self.questions_per_page.data, self.navigation.data = s.questions_per_page, s.navigation
        self.autosave_seconds.data = s.autosave_seconds

    def settings(self, review_options: dict, base: QuizSettings | None = None) -> QuizSettings:
        s = base or QuizSettings()
        s.title, s.intro, s.role = self.title.data or "", self.intro.data or "", self.role.data
        s.open_at, s.close_at = to_utc(self.open_at.data), to_utc(self.close_at.data)
        s.time_limit = int(self.time_limit.data or 0) * 60
        s.expiry_rule, s.grace_seconds = self.expiry_rule.data, int(self.grace_minutes.data or 0) * 60
        s.attempts_allowed, s.delay_seconds = int(self.attempts_allowed.data or 0), int(self.delay_minutes.data or 0) * 60
        s.grading_method = self.grading_method.data
        s.max_grade = float(self.max_grade.data or 0)
        s.pass_mark = None if self.pass_mark.data is None else float(self.pass_mark.data)
        s.shuffle_questions, s.shuffle_answers = bool(self.shuffle_questions.data), bool(self.shuffle_answers.data)
        s.questions_per_page, s.navigation = int(self.questions_per_page.data or 0), self.navigation.data
        s.autosave_seconds = int(self.autosave_seconds.data or 20)
        s.review_options = review_options
        return s


class OverrideForm(FlaskForm):
    user_id = SelectField(_l("Learner"), coerce=int, validators=[DataRequired()])
    open_at = DateTimeLocalField(_l("Opens at"), format=DT, validators=[Optional()])
    close_at = DateTimeLocalField(_l("Closes at"), format=DT, validators=[Optional()])
    time_limit = IntegerField(_l("Time limit (minutes, empty = the quiz's)"), validators=[Optional(), NumberRange(0, 24 * 60)])
    extra_minutes = IntegerField(_l("Extra time (minutes)"), default=0, validators=[Optional(), NumberRange(0, 24 * 60)])
    attempts_allowed = IntegerField(_l("Attempts allowed (empty = the quiz's, 0 = unlimited)"),
                                    validators=[Optional(), NumberRange(0, 100)])
    submit = SubmitField(_l("Save override"))


class RandomSlotForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int)
    include_subcategories = BooleanField(_l("Include subcategories"))
    count = IntegerField(_l("Number of questions"), default=1, validators=[NumberRange(1, 500)])
    mark = DecimalField(_l("Marks per question"), default=1, places=2, validators=[NumberRange(0, 100)])
    submit = SubmitField(_l("Add random questions"))


class FixedSlotsForm(FlaskForm):
    question_ids = MultiCheckbox(_l("Questions"), coerce=int)
    mark = DecimalField(_l("Marks per question"), default=1, places=2, validators=[NumberRange(0, 100)])
    submit = SubmitField(_l("Add the selected questions"))
