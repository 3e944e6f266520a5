"""Forms of the administration pages: people, units and the audit-log filters.

Choices whose meaning is a business rule (roles, ethnicity, levels, categories, unit kinds) are not
checked here (`validate_choice=False`): accounts/domain.py and services.py decide, and their
messages are shown on the field. The forms check what only a form can: required input, lengths,
numbers that are not numbers, matching passwords.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields import DateField, EmailField, SearchField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.accounts import domain
from elearn.accounts.domain import ProfileData

INDENT = "\u00a0\u00a0\u00a0"  # non-breaking: browsers keep it at the start of an <option>

# Labels of person and unit fields, shared by the forms and the audit log's before/after view.
FIELD_LABELS = {
    "username": _l("Username"),
    "email": _l("E-mail"),
    "full_name": _l("Full name"),
    "active": _l("Active"),
    "roles": _l("Roles"),
    "unit_id": _l("Unit"),
    "position": _l("Position"),
    "job_position": _l("Job position"),
    "gender": _l("Gender"),
    "ethnicity": _l("Ethnicity"),
    "birth_year": _l("Year of birth"),
    "party_member": _l("Party member"),
    "party_joined_year": _l("Year admitted to the Party"),
    "theory_level": _l("Political-theory level"),
    "education_level": _l("Education level"),
    "categories": _l("Management categories"),
    "code": _l("Code"),
    "name": _l("Name"),
    "kind": _l("Kind of unit"),
    "parent_id": _l("Parent unit"),
}
PROFILE_FIELDS = ("unit_id", "position", "job_position", "gender", "ethnicity", "birth_year", "party_member",
                  "party_joined_year", "theory_level", "education_level", "categories")


def _too_long():
    return Length(max=200, message=_l("At most %(max)d characters."))


def optional_int(value) -> int | None:
    """Coerce a select's value: "" (nothing chosen) is None."""
    if value is None or value == "":
        return None
    return int(value)


def lenient_int(value) -> int | None:
    """Like optional_int, but a value that is not a number is treated as nothing chosen."""
    try:
        return optional_int(value)
    except (TypeError, ValueError):
        return None


def choice(value: str, label=None) -> SelectChoice:
    return SelectChoice(value, label)


def unit_choices(tree) -> list[SelectChoice]:
    """Options for a unit select: the tree in order, indented by depth. `tree` is [(unit, depth)]."""
    return [choice(str(unit.id), INDENT * depth + unit.name) for unit, depth in tree]


def _labelled(labels: dict) -> list[SelectChoice]:
    return [choice(str(value), _l(text)) for value, text in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as check boxes (works without JavaScript, easy on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class YearField(IntegerField):
    """A four-digit year; empty is None; anything else is an error in the person's language."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "") or ""
        raw = raw.strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(_("Enter the year as a number, for example 1985.")) from None


# --- people ---------------------------------------------------------------------------------

class PeopleFilterForm(Form):
    """Filters of the people list; read from the query string (GET, no CSRF needed)."""

    q = SearchField(_l("Name or username"), validators=[Optional(), Length(max=100)])
    unit = SelectField(_l("Unit"), validate_choice=False)
    sub = BooleanField(_l("Include sub-units"))
    role = SelectField(_l("Role"), validate_choice=False)
    category = SelectField(_l("Management category"), validate_choice=False)
    state = SelectField(_l("State"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [choice("", _("All roles"))] + _labelled(domain.ROLE_LABELS)
        self.category.choices = [choice("", _("All categories"))] + _labelled(domain.CATEGORY_LABELS)
        self.state.choices = [choice("", _("All")), choice("active", _("Active")), choice("disabled", _("Disabled"))]


class PersonForm(FlaskForm):
    """An account and, for a cadre, the profile the training office reports on."""

    username = StringField(FIELD_LABELS["username"],
                           validators=[DataRequired(message=_l("Enter a username.")), Length(max=64)],
                           render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    full_name = StringField(FIELD_LABELS["full_name"],
                            validators=[DataRequired(message=_l("Full name is required.")), _too_long()])
    email = EmailField(FIELD_LABELS["email"],
                       validators=[Optional(), Length(max=254, message=_l("At most %(max)d characters."))])
    roles = MultiCheckboxField(FIELD_LABELS["roles"], choices=_labelled(domain.ROLE_LABELS),
                               validate_choice=False, default=[domain.Role.LEARNER.value])

    has_profile = BooleanField(_l("This person is a cadre and has a cadre profile"), default=True)
    unit_id = SelectField(FIELD_LABELS["unit_id"], coerce=lenient_int, validate_choice=False)
    position = StringField(FIELD_LABELS["position"], validators=[_too_long()])
    job_position = StringField(FIELD_LABELS["job_position"], validators=[_too_long()])
    gender = SelectField(FIELD_LABELS["gender"], validate_choice=False,
                         choices=[choice("", "—")] + _labelled(domain.GENDER_LABELS))
    ethnicity = SelectField(FIELD_LABELS["ethnicity"], validate_choice=False,
                            choices=[choice("", "—")] + [choice(name) for name in domain.ETHNICITIES])
    birth_year = YearField(FIELD_LABELS["birth_year"], render_kw={"inputmode": "numeric"})
    party_member = BooleanField(FIELD_LABELS["party_member"])
    party_joined_year = YearField(
        FIELD_LABELS["party_joined_year"], render_kw={"inputmode": "numeric"},
        validators=[Optional(), NumberRange(min=domain.MIN_BIRTH_YEAR,
                                            message=_l("Year of admission to the Party is out of range."))])
    theory_level = SelectField(FIELD_LABELS["theory_level"], validate_choice=False,
                               choices=_labelled(domain.THEORY_LEVEL_LABELS), default=domain.TheoryLevel.NONE.value)
    education_level = SelectField(FIELD_LABELS["education_level"], validate_choice=False,
                                  choices=[choice("", "—")] + _labelled(domain.EDUCATION_LEVEL_LABELS))
    categories = MultiCheckboxField(FIELD_LABELS["categories"], choices=_labelled(domain.CATEGORY_LABELS),
                                    validate_choice=False)
    submit = SubmitField(_l("Save"))

    def wants_profile(self) -> bool:
        # On the edit page of a person who already has a profile, the choice is not offered.
        field = self._fields.get("has_profile")
        return True if field is None else bool(field.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok and not self.wants_profile():
            # The profile part is ignored for a person without one: so are its errors.
            for name in PROFILE_FIELDS:
                self._fields[name].errors = []
            ok = not any(f.errors for f in self._fields.values())
        return ok

    def profile_data(self) -> ProfileData | None:
        if not self.wants_profile():
            return None
        return ProfileData(
            unit_id=self.unit_id.data,
            position=(self.position.data or "").strip(),
            job_position=(self.job_position.data or "").strip(),
            gender=self.gender.data or None,
            ethnicity=self.ethnicity.data or None,
            birth_year=self.birth_year.data,
            party_member=bool(self.party_member.data),
            party_joined_year=self.party_joined_year.data,
            theory_level=self.theory_level.data or domain.TheoryLevel.NONE.value,
            education_level=self.education_level.data or None,
            categories=set(self.categories.data or ()),
        )


def person_form_data(user) -> dict:
    """Initial values of PersonForm for an existing person."""
    data = {"full_name": user.full_name, "email": user.email or "", "roles": sorted(user.role_names),
            "has_profile": user.profile is not None}
    p = user.profile
    if p is not None:
        data.update(unit_id=p.unit_id, position=p.position, job_position=p.job_position, gender=p.gender or "",
                    ethnicity=p.ethnicity or "", birth_year=p.birth_year, party_member=p.party_member,
                    party_joined_year=p.party_joined_year, theory_level=p.theory_level,
                    education_level=p.education_level or "", categories=sorted(p.categories))
    return data


class ActiveForm(FlaskForm):
    """Enable (active=1) or disable (active=0) an account."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


class AdminPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"),
                             validators=[DataRequired(message=_l("Enter the new password.")), Length(max=256)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(message=_l("Repeat the new password.")),
                                        EqualTo("password", message=_l("The passwords do not match."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Set the password"))


# --- units ----------------------------------------------------------------------------------

class UnitCreateForm(FlaskForm):
    code = StringField(FIELD_LABELS["code"],
                       validators=[DataRequired(message=_l("A unit code of 1-40 characters is required.")),
                                   Length(max=40, message=_l("At most %(max)d characters."))],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    name = StringField(FIELD_LABELS["name"],
                       validators=[DataRequired(message=_l("A unit name is required.")), _too_long()])
    kind = SelectField(FIELD_LABELS["kind"], validate_choice=False, choices=_labelled(domain.UNIT_KIND_LABELS))
    parent_id = SelectField(FIELD_LABELS["parent_id"], coerce=optional_int, validate_choice=False)
    submit = SubmitField(_l("Create unit"))


class UnitRenameForm(FlaskForm):
    name = StringField(_l("New name"),
                       validators=[DataRequired(message=_l("A unit name is required.")), _too_long()])
    submit = SubmitField(_l("Rename"))


class UnitMoveForm(FlaskForm):
    parent_id = SelectField(_l("New parent unit"), coerce=optional_int, validate_choice=False)
    submit = SubmitField(_l("Move"))


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the confirmation button of a destructive action."""


# --- audit log --------------------------------------------------------------------------------

class AuditFilterForm(Form):
    """Filters of the audit log; read from the query string (GET). Dates are local (Vietnam) dates."""

    actor = SearchField(_l("Done by (username or name)"), validators=[Optional(), Length(max=100)])
    action = SelectField(_l("Action"), validate_choice=False)
    target_type = SelectField(_l("Target type"), validate_choice=False)
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date)"), validators=[Optional()])

    def date_errors(self) -> None:
        """Mark dates that could not be read (the filter is then not applied)."""
        for f in (self.date_from, self.date_to):
            if f.raw_data and f.raw_data[0].strip() and f.data is None:
                f.errors = [_("Enter a valid date.")]
