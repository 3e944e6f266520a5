"""Forms of the live-session pages (scheduling, attendance marks). Rules are decided in domain/services."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from elearn.core import clock
from elearn.courses.forms import lenient_int
from elearn.live.services import SessionData


def to_utc(local: datetime | None) -> datetime | None:
    """A date and time typed in Vietnam's time zone, as UTC."""
    if local is None:
        return None
    return local.replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    section_id = SelectField(_l("Section"), coerce=lenient_int, validate_choice=False)
    starts_at = DateTimeLocalField(_l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends at"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    join_opens_minutes = IntegerField(_l("The room opens (minutes before the start)"), default=15,
                                      validators=[NumberRange(0, 240)])
    threshold_percent = IntegerField(_l("Attendance threshold (percent of the session)"), default=75,
                                     validators=[NumberRange(0, 100)])
    late_after_minutes = IntegerField(_l("Late after (minutes from the start)"), default=10,
                                      validators=[NumberRange(0, 720)])
    in_person = BooleanField(_l("In person (attendance by QR code in the hall)"))
    location = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    stream_url = StringField(_l("Video stream address (optional, from an allowed video host)"),
                             validators=[Optional(), Length(max=1000)])
    slide_lesson_id = SelectField(_l("Slides (a PDF document of the course)"), coerce=lenient_int, validate_choice=False)
    recording_url = StringField(_l("Recording link (after the session)"), validators=[Optional(), Length(max=1000)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    required = BooleanField(_l("Counts toward completion"), default=True)

    def data_object(self) -> SessionData:
        return SessionData(title=self.title.data or "", starts_at=to_utc(self.starts_at.data),
                           ends_at=to_utc(self.ends_at.data), description=self.description.data or "",
                           join_opens_minutes=self.join_opens_minutes.data or 0,
                           late_after_minutes=self.late_after_minutes.data or 0,
                           threshold_percent=self.threshold_percent.data if self.threshold_percent.data is not None else 75,
                           in_person=bool(self.in_person.data), location=self.location.data or "",
                           stream_url=self.stream_url.data or "", recording_url=self.recording_url.data or "",
                           slide_lesson_id=self.slide_lesson_id.data, required=bool(self.required.data))

    def fill(self, session, required: bool) -> None:
        self.title.data = session.title
        self.starts_at.data = clock.to_local(session.starts_at).replace(tzinfo=None)
        self.ends_at.data = clock.to_local(session.ends_at).replace(tzinfo=None)
        self.join_opens_minutes.data = session.join_opens_minutes
        self.threshold_percent.data = session.threshold_percent
        self.late_after_minutes.data = session.late_after_minutes
        self.in_person.data = session.in_person
        self.location.data = session.location
        self.stream_url.data = session.stream_url
        self.slide_lesson_id.data = session.slide_lesson_id
        self.recording_url.data = session.recording_url
        self.description.data = session.description
        self.required.data = required


class MarkForm(FlaskForm):
    user_id = IntegerField(validators=[DataRequired()])
    status = SelectField(choices=[("", ""), ("present", "present"), ("late", "late"), ("absent", "absent")])


class CheckInForm(FlaskForm):
    """Only the CSRF token: the scanned code is in the address."""
