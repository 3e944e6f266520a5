"""Forms of the lecturer pages: course settings, structure, lessons, audience, completion rules,
enrolment, announcements and the embed allow-list.

As in the admin forms, business rules are not repeated here: services.py and domain.py decide and
their messages (CourseError) are shown on the field they concern (`field_for`). Forms check only
what a form can: required input, lengths, numbers that are not numbers.
"""
from __future__ import annotations

from dataclasses import fields as dc_fields
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import DateField, SearchField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from elearn.accounts import domain as accounts_domain
from elearn.admin.forms import MultiCheckboxField, choice, lenient_int
from elearn.courses import catalog, domain
from elearn.courses.services import CourseData, LessonData

MAX_RULES = 10  # target-audience rule blocks on one page
LIST_MAX_BYTES = 2 * 1024 * 1024  # an enrolment list (usernames / e-mails) is small


def _labelled(labels: dict) -> list:
    return [choice(str(value), _l(text)) for value, text in labels.items()]


def _lines(text: str | None) -> list[str]:
    """A textarea of one value per line -> the non-empty lines, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- which form field a service message is about ------------------------------------------------
# CourseError carries one `field` for the whole error; course validation reports several problems at
# once without one, so the settings form places them by msgid.
_MESSAGE_FIELDS = {
    "A course code of 1-40 characters is required.": "code",
    "This course code is already used.": "code",
    "A title is required.": "title",
    "Unknown course kind.": "kind",
    "Hours must be between 0 and 5000.": "hours",
    "The course closes before it opens.": "closes_on",
    "Capacity must be at least 1, or left empty for no limit.": "capacity",
    "Unknown category.": "category_id",
    "The share of the video to watch must be between 10% and 100%.": "video_percent",
    "The page text is over 60 KB; split it into several lessons or attach a document.": "body",
    "An external link needs an address starting with http:// or https://.": "url",
    "Upload the PDF document of this lesson.": "file",
    "This video address is not on the list of allowed video sites.": "url",
    "Upload an MP4 or WebM video, or give the address of an allowed video site.": "file",
    "Only a video lesson can be completed by the share watched.": "completion_mode",
    "Unknown completion mode.": "completion_mode",
}


def show_course_error(form, err, gettext=_) -> list[str]:
    """Put each message of a CourseError on its field; returns the texts that belong to no field."""
    rest = []
    for number, message in enumerate(err.messages):
        name = _MESSAGE_FIELDS.get(message.msgid) or (err.field if number == 0 else None)
        field = form._fields.get(name) if name else None
        text = message.render(gettext)
        if field is not None:
            field.errors = [*field.errors, text]
        else:
            rest.append(text)
    return rest


# --- course settings ----------------------------------------------------------------------------

class CourseForm(FlaskForm):
    code = StringField(_l("Course code"),
                       validators=[DataRequired(message=_l("A course code of 1-40 characters is required.")),
                                   Length(max=40, message=_l("At most %(max)d characters."))],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("A title is required.")),
                                                 Length(max=300, message=_l("At most %(max)d characters."))])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=100_000)], render_kw={"rows": 8})
    category_id = SelectField(_l("Category"), validate_choice=False)
    kind = SelectField(_l("Kind of course"), validate_choice=False, choices=_labelled(catalog.COURSE_KIND_LABELS),
                       default=catalog.CourseKind.REFRESHER.value)
    hours = DecimalField(_l("Hours"), places=1, default=Decimal("0"),
                         validators=[Optional(), NumberRange(min=0, max=5000,
                                                             message=_l("Hours must be between 0 and 5000."))],
                         render_kw={"inputmode": "decimal"})
    opens_on = DateField(_l("Opens on"), validators=[Optional()])
    closes_on = DateField(_l("Closes on"), validators=[Optional()])
    capacity = IntegerField(_l("Capacity (places)"), validators=[Optional()], render_kw={"inputmode": "numeric"})
    self_enrol = BooleanField(_l("People in the target group may enrol themselves"), default=True)
    enrol_key = StringField(_l("Enrolment key"), validators=[Length(max=100)],
                            render_kw={"autocomplete": "off", "spellcheck": "false"})
    cover = FileField(_l("Cover image"), render_kw={"accept": "image/png,image/jpeg,image/webp,image/gif"})
    remove_cover = BooleanField(_l("Remove the cover image"))
    lecturers = SelectMultipleField(_l("Lecturers"), coerce=lenient_int, validate_choice=False)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category_id.choices = [choice("", "—")] + [choice(str(c.id), c.name) for c in categories]

    def course_data(self) -> CourseData:
        return CourseData(
            code=self.code.data or "", title=self.title.data or "", summary=self.summary.data or "",
            category_id=lenient_int(self.category_id.data), kind=self.kind.data or "",
            hours=float(self.hours.data or 0), opens_on=self.opens_on.data, closes_on=self.closes_on.data,
            capacity=self.capacity.data, self_enrol=bool(self.self_enrol.data),
            enrol_key=self.enrol_key.data or "",
        )


def course_form_data(course) -> dict:
    return {"code": course.code, "title": course.title, "summary": course.summary,
            "category_id": str(course.category_id or ""), "kind": course.kind,
            "hours": Decimal(str(course.hours or 0)), "opens_on": course.opens_on, "closes_on": course.closes_on,
            "capacity": course.capacity, "self_enrol": course.self_enrol, "enrol_key": course.enrol_key,
            "lecturers": sorted(course.lecturer_ids)}


class CopyForm(FlaskForm):
    code = StringField(_l("Code of the new course"),
                       validators=[DataRequired(message=_l("A course code of 1-40 characters is required.")),
                                   Length(max=40, message=_l("At most %(max)d characters."))],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    title = StringField(_l("Title of the new course"),
                        validators=[DataRequired(message=_l("A title is required.")),
                                    Length(max=300, message=_l("At most %(max)d characters."))])
    submit = SubmitField(_l("Copy the course"))


class StateForm(FlaskForm):
    state = HiddenField(validators=[AnyOf([s.value for s in catalog.CourseState])])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the confirmation button of an action."""


# --- structure ----------------------------------------------------------------------------------

class SectionForm(FlaskForm):
    title = StringField(_l("Section title"), validators=[DataRequired(message=_l("A title is required.")),
                                                         Length(max=300, message=_l("At most %(max)d characters."))])
    summary = TextAreaField(_l("Section summary"), validators=[Length(max=20_000)], render_kw={"rows": 3})
    submit = SubmitField(_l("Save"))


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class MoveToSectionForm(FlaskForm):
    section_id = SelectField(_l("Move to section"), validate_choice=False)


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("A title is required.")),
                                                 Length(max=300, message=_l("At most %(max)d characters."))])
    body = TextAreaField(_l("Text"), validators=[Length(max=400_000)], render_kw={"rows": 16})
    file = FileField(_l("File"))
    url = StringField(_l("Address (URL)"), validators=[Length(max=1000, message=_l("At most %(max)d characters."))],
                      render_kw={"inputmode": "url", "spellcheck": "false", "autocapitalize": "none"})
    completion_mode = SelectField(_l("When is the lesson done?"), validate_choice=False)
    # The range (10-100 %) is checked by the service, whose message lands on this field.
    video_percent = IntegerField(_l("Share of the video to watch (%)"), default=90, validators=[Optional()],
                                 render_kw={"inputmode": "numeric", "min": 10, "max": 100})
    required = BooleanField(_l("Required for completing the course"), default=True)
    minutes = IntegerField(_l("Estimated study time (minutes)"),
                           validators=[Optional(), NumberRange(min=1, max=10_000,
                                                               message=_l("Enter a number of minutes from 1."))],
                           render_kw={"inputmode": "numeric"})
    submit = SubmitField(_l("Save the lesson"))

    def __init__(self, *args, kind: str = catalog.LessonKind.PAGE, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        modes = [catalog.CompletionMode.ON_VIEW, catalog.CompletionMode.MANUAL]
        if kind == catalog.LessonKind.VIDEO:
            modes.append(catalog.CompletionMode.VIDEO_SHARE)
        self.completion_mode.choices = [choice(m.value, _l(catalog.COMPLETION_MODE_LABELS[m])) for m in modes]
        if kind == catalog.LessonKind.DOCUMENT:
            self.file.label.text = _("PDF document")
            self.file.render_kw = {"accept": "application/pdf,.pdf"}
        elif kind == catalog.LessonKind.VIDEO:
            self.file.label.text = _("Video file (MP4 or WebM)")
            self.file.render_kw = {"accept": "video/mp4,video/webm,.mp4,.webm"}
            self.url.label.text = _("Or the address of a video on an allowed site")
        elif kind == catalog.LessonKind.LINK:
            self.url.label.text = _("Address of the external page")

    def lesson_data(self) -> LessonData:
        percent = self.video_percent.data if self.video_percent.data is not None else 90
        with_url = self.kind in (catalog.LessonKind.LINK, catalog.LessonKind.VIDEO)
        return LessonData(
            title=self.title.data or "", kind=self.kind, body=self.body.data or "",
            url=(self.url.data or "").strip() if with_url else "",
            completion_mode=self.completion_mode.data or catalog.CompletionMode.ON_VIEW,
            video_threshold=percent / 100, minutes=self.minutes.data, required=bool(self.required.data),
        )


def lesson_form_data(lesson, item) -> dict:
    return {"title": lesson.title, "body": lesson.body, "url": lesson.url, "completion_mode": lesson.completion_mode,
            "video_percent": round((lesson.video_threshold or 0.9) * 100), "minutes": lesson.minutes,
            "required": item.required if item is not None else True}


class ImageForm(FlaskForm):
    image = FileField(_l("Image (PNG, JPEG, WebP or GIF)"),
                      render_kw={"accept": "image/png,image/jpeg,image/webp,image/gif"})
    next = HiddenField()
    submit = SubmitField(_l("Upload the image"))


# --- target audience ----------------------------------------------------------------------------

PARTY_CHOICES = (("", _l("Either")), ("yes", _l("Party members only")), ("no", _l("Not Party members only")))


class AudienceRuleForm(Form):
    """One target group (a rule block). Every field left empty is not checked."""

    unit_ids = SelectMultipleField(_l("Units"), coerce=lenient_int, validate_choice=False)
    include_sub_units = BooleanField(_l("Include their sub-units"), default=True)
    positions = TextAreaField(_l("Positions (one per line)"), validators=[Length(max=5000)], render_kw={"rows": 3})
    job_positions = TextAreaField(_l("Job positions (one per line)"), validators=[Length(max=5000)],
                                  render_kw={"rows": 3})
    categories = MultiCheckboxField(_l("Management categories"),
                                    choices=_labelled(accounts_domain.CATEGORY_LABELS))
    min_theory_level = SelectField(_l("Lowest political-theory level"), default="",
                                   choices=[choice("", "—")] + _labelled(accounts_domain.THEORY_LEVEL_LABELS))
    max_theory_level = SelectField(_l("Highest political-theory level"), default="",
                                   choices=[choice("", "—")] + _labelled(accounts_domain.THEORY_LEVEL_LABELS))
    party_member = SelectField(_l("Party membership"), choices=[choice(v, t) for v, t in PARTY_CHOICES], default="")
    min_age = IntegerField(_l("Minimum age"), validators=[Optional(), NumberRange(
        min=0, max=120, message=_l("The age must be between 0 and 120."))], render_kw={"inputmode": "numeric"})
    max_age = IntegerField(_l("Maximum age"), validators=[Optional(), NumberRange(
        min=0, max=120, message=_l("The age must be between 0 and 120."))], render_kw={"inputmode": "numeric"})
    gender = SelectField(_l("Gender"), choices=[choice("", _l("Any"))] + _labelled(accounts_domain.GENDER_LABELS),
                         default="")
    ethnic_minority = BooleanField(_l("Ethnic-minority cadres only"))

    def rule(self) -> domain.AudienceRule:
        party = {"yes": True, "no": False}.get(self.party_member.data or "")
        return domain.AudienceRule(
            unit_ids=frozenset(u for u in (self.unit_ids.data or ()) if u),
            include_sub_units=bool(self.include_sub_units.data),
            positions=tuple(_lines(self.positions.data)),
            job_positions=tuple(_lines(self.job_positions.data)),
            categories=frozenset(self.categories.data or ()),
            min_theory_level=self.min_theory_level.data or None,
            max_theory_level=self.max_theory_level.data or None,
            party_member=party, min_age=self.min_age.data, max_age=self.max_age.data,
            gender=self.gender.data or None, ethnic_minority=bool(self.ethnic_minority.data),
        )


def rule_form_data(rule: domain.AudienceRule) -> dict:
    return {"unit_ids": sorted(rule.unit_ids), "include_sub_units": rule.include_sub_units,
            "positions": "\n".join(rule.positions), "job_positions": "\n".join(rule.job_positions),
            "categories": sorted(rule.categories), "min_theory_level": rule.min_theory_level or "",
            "max_theory_level": rule.max_theory_level or "",
            "party_member": {True: "yes", False: "no"}.get(rule.party_member, ""),
            "min_age": rule.min_age, "max_age": rule.max_age, "gender": rule.gender or "",
            "ethnic_minority": rule.ethnic_minority}


class AudienceForm(FlaskForm):
    rules = FieldList(FormField(AudienceRuleForm), min_entries=1, max_entries=MAX_RULES)
    add_rule = SubmitField(_l("Add another rule"))
    submit = SubmitField(_l("Save the target group"))

    def set_unit_choices(self, unit_choices: list) -> None:
        for entry in self.rules:
            entry.form.unit_ids.choices = unit_choices


# --- completion rules ---------------------------------------------------------------------------

# Labels of the numeric settings of completion rule kinds; a plug-in kind's unknown setting shows its name.
PARAM_LABELS = {
    "percent": _l("At least this share of the live-session time (%)"),
    "min_posts": _l("At least this number of posts"),
}
PARAM_TYPES = {"int": int, "float": float}


def rule_params(cls) -> list[tuple[str, type, object]]:
    """The numeric settings of a rule kind a form can offer: (name, type, default)."""
    out = []
    for f in dc_fields(cls):
        kind = PARAM_TYPES.get(f.type if isinstance(f.type, str) else getattr(f.type, "__name__", ""))
        if kind is not None:
            out.append((f.name, kind, f.default))
    return out


def completion_rules_from_form(formdata, kinds) -> tuple[list, dict[str, str]]:
    """Read the completion editor: a checkbox `rule-<kind>` per kind and `<kind>-<setting>` inputs.

    Returns (rules, {kind: error text}). Settings that are not numbers are refused here; the rule
    classes check their ranges (RuleError).
    """
    rules, errors = [], {}
    for name, cls in kinds.items():
        if not formdata.get(f"rule-{name}"):
            continue
        settings = {}
        for param, kind, _default in rule_params(cls):
            raw = (formdata.get(f"{name}-{param}") or "").strip().replace(",", ".")
            if not raw:
                continue
            try:
                settings[param] = kind(float(raw)) if kind is int else kind(raw)
            except ValueError:
                errors[name] = _("Enter a number.")
                break
        if name in errors:
            continue
        try:
            rules.append(cls(**settings))
        except domain.RuleError as err:
            errors[name] = err.message.render(_)
        except (TypeError, ValueError):
            errors[name] = _("Invalid settings for this rule.")
    return rules, errors


# --- enrolment ----------------------------------------------------------------------------------

class PersonSearchForm(Form):
    """Search of people to enrol (GET, no CSRF)."""

    q = SearchField(_l("Name, username or e-mail"), validators=[Optional(), Length(max=100)])


class EnrolPersonForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason for enrolling outside the target group"), validators=[Length(max=500)],
                           render_kw={"rows": 2})
    q = HiddenField()


class EnrolListForm(FlaskForm):
    file = FileField(_l("List of usernames or e-mail addresses (.csv or .txt, one per line)"),
                     render_kw={"accept": ".csv,.txt,text/csv,text/plain"})
    reason = TextAreaField(_l("Reason for enrolling people outside the target group"),
                           validators=[Length(max=500)], render_kw={"rows": 2})
    submit = SubmitField(_l("Enrol the people on the list"))


# --- participants -------------------------------------------------------------------------------

class ParticipantsFilterForm(Form):
    """Filters of the participants table (GET)."""

    unit = SelectField(_l("Unit"), validate_choice=False)
    completion = SelectField(_l("Completion"), validate_choice=False)

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = [choice("", _("All units"))] + list(unit_choices)
        self.completion.choices = [choice("", _("All")), choice("completed", _("Completed")),
                                   choice("in_progress", _("Not completed yet"))]


# --- announcements and the embed allow-list -------------------------------------------------------

class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("A title is required.")),
                                                 Length(max=300, message=_l("At most %(max)d characters."))])
    body = TextAreaField(_l("Message"), validators=[Length(max=100_000)], render_kw={"rows": 8})
    submit = SubmitField(_l("Send the announcement"))


class EmbedHostForm(FlaskForm):
    host = StringField(_l("Host name"), validators=[DataRequired(message=_l(
        "Enter a host name, for example video.tinh.gov.vn.")), Length(max=253)],
        render_kw={"spellcheck": "false", "autocapitalize": "none", "placeholder": "video.tinh.gov.vn"})
    submit = SubmitField(_l("Add the host"))
