"""Administration pages: people, units, imports, audit log."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from elearn.accounts import domain, services
from elearn.accounts.models import Profile, Unit, User
from elearn.admin import forms
from elearn.core import authz, clock
from elearn.core.audit import AuditEntry
from elearn.core.pagination import paginate
from elearn.core.templating import label
from elearn.core.text import like_pattern
from elearn.extensions import db

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def _admins_only():
    authz.require("admin.access", user=current_user)


# --- helpers ----------------------------------------------------------------------------------

def _actor() -> User:
    return current_user._get_current_object()


def _ip() -> str:
    return request.remote_addr or ""


def _show_errors(form, err: services.ServiceError) -> None:
    """Put a service's refusal(s) on the form fields they concern; the rest become a flash."""
    db.session.rollback()  # a refused change leaves nothing half-done in the unit of work
    errors = getattr(err, "errors", None) or {err.field: err.message}
    for name, message in errors.items():
        text = _(message, **err.params) if message == err.message else _(message)
        field = form._fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, text]
        else:
            flash(text, "error")


def unit_tree() -> list[tuple[Unit, int]]:
    """Every unit in tree order (siblings by name, ignoring diacritics) with its depth."""
    units = db.session.scalars(select(Unit)).all()
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in sorted(units, key=lambda u: (u.search_name, u.name)):
        children[unit.parent_id].append(unit)
    out: list[tuple[Unit, int]] = []
    stack = [(unit, 0) for unit in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        out.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    return out


def _top_level_choice() -> list:
    return [forms.choice("", _("None (top level)"))]


# --- people -----------------------------------------------------------------------------------

@bp.route("/people")
def people():
    authz.require("users.list")
    form = forms.PeopleFilterForm(request.args)
    form.unit.choices = [forms.choice("", _("All units"))] + forms.unit_choices(unit_tree())

    unit_id = forms.lenient_int(form.unit.data)
    unit_ids = (services.unit_subtree_ids(unit_id) if form.sub.data else [unit_id]) if unit_id else None
    states = {"active": True, "disabled": False}
    stmt = services.people_query(
        unit_ids=unit_ids,
        role=form.role.data if form.role.data in set(domain.Role) else None,
        category=form.category.data if form.category.data in set(domain.Category) else None,
        active=states.get(form.state.data),
        q=form.q.data or "",
    )
    page = paginate(stmt)
    return render_template("admin/people.html", form=form, page=page)


def _person_form(user: User | None = None) -> forms.PersonForm:
    form = forms.PersonForm() if user is None else forms.PersonForm(data=forms.person_form_data(user))
    form.unit_id.choices = [forms.choice("", _("Choose a unit"))] + forms.unit_choices(unit_tree())
    if user is not None:
        del form.username  # the username never changes: imports and reports key on it
        if user.profile is not None:
            del form.has_profile  # a cadre profile, once made, stays (reports refer to it)
    return form


@bp.route("/people/new", methods=["GET", "POST"])
def person_new():
    authz.require("users.manage")
    form = _person_form()
    if form.validate_on_submit():
        try:
            user = services.create_user(_actor(), username=form.username.data, full_name=form.full_name.data,
                                        email=form.email.data, roles=set(form.roles.data or ()),
                                        profile=form.profile_data(), ip=_ip())
        except services.ServiceError as err:
            _show_errors(form, err)
        else:
            flash(_("%(name)s has been added. Set a first password for the account now.", name=user.full_name),
                  "success")
            return redirect(url_for("admin.person_password", user_id=user.id))
    return render_template("admin/person_form.html", form=form, person=None)


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
def person_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    authz.require("users.manage", user)
    form = _person_form(user)
    if form.validate_on_submit():
        try:
            services.update_user(_actor(), user, full_name=form.full_name.data, email=form.email.data,
                                 roles=set(form.roles.data or ()), profile=form.profile_data(), ip=_ip())
        except services.ServiceError as err:
            _show_errors(form, err)
            user = db.session.get(User, user_id)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.person_edit", user_id=user.id))
    return render_template("admin/person_form.html", form=form, person=user, active_form=forms.ActiveForm())


@bp.route("/people/<int:user_id>/active", methods=["GET", "POST"])
def person_toggle(user_id: int):
    """GET: the confirmation page for disabling. POST active=0 disables, active=1 enables."""
    user = db.get_or_404(User, user_id)
    authz.require("users.manage", user)
    form = forms.ActiveForm()
    back = url_for("admin.person_edit", user_id=user.id)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        enable = form.active.data == "1"
        if not enable and not authz.can(current_user, "users.disable", user):
            flash(_("You cannot disable your own account."), "error")
            return redirect(back)
        try:
            services.set_active(_actor(), user, enable, ip=_ip())
        except services.ServiceError as err:
            db.session.rollback()
            flash(_(err.message, **err.params), "error")
            return redirect(back)
        if enable:
            flash(_("The account of %(name)s has been enabled.", name=user.full_name), "success")
        else:
            flash(_("The account of %(name)s has been disabled and signed out everywhere.", name=user.full_name),
                  "success")
        return redirect(back)
    if not user.active:
        return redirect(back)
    if not authz.can(current_user, "users.disable", user):
        flash(_("You cannot disable your own account."), "error")
        return redirect(back)
    return render_template("admin/person_disable.html", person=user, form=form)


@bp.route("/people/<int:user_id>/password", methods=["GET", "POST"])
def person_password(user_id: int):
    user = db.get_or_404(User, user_id)
    authz.require("users.manage", user)
    if user.id == current_user.id:
        flash(_("Change your own password in your account settings."), "info")
        return redirect(url_for("accounts.password"))
    form = forms.AdminPasswordForm()
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if form.validate_on_submit():
        try:
            services.admin_reset_password(_actor(), user, form.password.data, min_length, ip=_ip())
        except services.ServiceError as err:
            db.session.rollback()
            form.password.errors.append(_(err.message, **err.params))
        else:
            flash(_("The password of %(name)s has been set. They must choose a new one at their next sign-in.",
                    name=user.full_name), "success")
            return redirect(url_for("admin.person_edit", user_id=user.id))
    return render_template("admin/person_password.html", form=form, person=user, min_length=min_length)


# --- units ------------------------------------------------------------------------------------

def _tree_nodes(tree: list[tuple[Unit, int]]) -> list[dict]:
    """Nested nodes for the tree page, each with its own head count and the count of its subtree."""
    counts = dict(db.session.execute(select(Profile.unit_id, func.count()).group_by(Profile.unit_id)).all())
    roots: list[dict] = []
    stack: list[dict] = []
    for unit, depth in tree:
        node = {"unit": unit, "children": [], "count": counts.get(unit.id, 0), "total": 0}
        del stack[depth:]
        (stack[-1]["children"] if stack else roots).append(node)
        stack.append(node)

    def total(node: dict) -> int:
        node["total"] = node["count"] + sum(total(child) for child in node["children"])
        return node["total"]

    for node in roots:
        total(node)
    return roots


@bp.route("/units", methods=["GET", "POST"])
def units():
    authz.require("units.manage")
    tree = unit_tree()
    form = forms.UnitCreateForm()
    form.parent_id.choices = _top_level_choice() + forms.unit_choices(tree)
    if request.method == "GET" and request.args.get("parent"):
        form.parent_id.data = forms.lenient_int(request.args["parent"])
    if form.validate_on_submit():
        try:
            unit = services.create_unit(_actor(), code=form.code.data, name=form.name.data, kind=form.kind.data,
                                        parent_id=form.parent_id.data, ip=_ip())
        except services.ServiceError as err:
            _show_errors(form, err)
            tree = unit_tree()
        else:
            flash(_("The unit %(name)s has been created.", name=unit.name), "success")
            return redirect(url_for("admin.units") + f"#unit-{unit.id}")
    return render_template("admin/units.html", form=form, nodes=_tree_nodes(tree), unit_count=len(tree))


def _unit_edit_page(unit: Unit, rename: forms.UnitRenameForm, move: forms.UnitMoveForm, status: int = 200):
    return render_template("admin/unit_edit.html", unit=unit, rename=rename, move=move), status


def _move_form(unit: Unit) -> forms.UnitMoveForm:
    move = forms.UnitMoveForm(data={"parent_id": unit.parent_id})
    own = set(services.unit_subtree_ids(unit.id))  # a unit cannot go under itself or its sub-units
    move.parent_id.choices = _top_level_choice() + forms.unit_choices(
        [(u, depth) for u, depth in unit_tree() if u.id not in own])
    return move


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    """Rename (POST here) and move (POST to unit_move) a unit."""
    unit = db.get_or_404(Unit, unit_id)
    authz.require("units.manage", unit)
    rename = forms.UnitRenameForm(data={"name": unit.name})
    if rename.validate_on_submit():
        try:
            services.rename_unit(_actor(), unit, rename.name.data, ip=_ip())
        except services.ServiceError as err:
            _show_errors(rename, err)
            unit = db.session.get(Unit, unit_id)
        else:
            flash(_("The unit has been renamed."), "success")
            return redirect(url_for("admin.units") + f"#unit-{unit.id}")
    return _unit_edit_page(unit, rename, _move_form(unit))


@bp.route("/units/<int:unit_id>/move", methods=["POST"])
def unit_move(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    authz.require("units.manage", unit)
    move = _move_form(unit)
    if move.validate_on_submit():
        try:
            services.move_unit(_actor(), unit, move.parent_id.data, ip=_ip())
        except services.ServiceError as err:
            _show_errors(move, err)
            unit = db.session.get(Unit, unit_id)
        else:
            flash(_("The unit has been moved."), "success")
            return redirect(url_for("admin.units") + f"#unit-{unit.id}")
    return _unit_edit_page(unit, forms.UnitRenameForm(data={"name": unit.name}, formdata=None), move)


@bp.route("/units/<int:unit_id>/delete", methods=["GET", "POST"])
def unit_delete(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    authz.require("units.manage", unit)
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        name = unit.name
        try:
            services.delete_unit(_actor(), unit, ip=_ip())
        except services.ServiceError as err:
            db.session.rollback()
            flash(_(err.message, **err.params), "error")
            return redirect(url_for("admin.units") + f"#unit-{unit_id}")
        flash(_("The unit %(name)s has been deleted.", name=name), "success")
        return redirect(url_for("admin.units"))
    people_count = db.session.scalar(select(func.count()).select_from(Profile).where(Profile.unit_id == unit.id))
    sub_count = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id))
    return render_template("admin/unit_delete.html", unit=unit, form=form, people_count=people_count,
                           sub_count=sub_count)


# --- audit log --------------------------------------------------------------------------------

ACTION_LABELS = {
    "user.create": _l("Person added"),
    "user.update": _l("Person edited"),
    "user.enable": _l("Account enabled"),
    "user.disable": _l("Account disabled"),
    "user.password_reset": _l("Password set by an administrator"),
    "user.password_change": _l("Own password changed"),
    "unit.create": _l("Unit created"),
    "unit.rename": _l("Unit renamed"),
    "unit.move": _l("Unit moved"),
    "unit.delete": _l("Unit deleted"),
    "token.create": _l("API token created"),
    "token.revoke": _l("API token revoked"),
}
TARGET_LABELS = {"user": _l("Person"), "unit": _l("Unit"), "apitoken": _l("API token")}
_VALUE_LABELS = {"roles": "role", "categories": "category", "kind": "unit_kind", "gender": "gender",
                 "theory_level": "theory", "education_level": "education"}


def action_label(action: str) -> str:
    text = ACTION_LABELS.get(action)
    return str(text) if text else action


def _local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which a local (Asia/Ho_Chi_Minh) calendar day starts."""
    return datetime.combine(day, time.min, tzinfo=clock.LOCAL_TZ).astimezone(UTC)


def _show_value(key: str, value, unit_names: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in ("unit_id", "parent_id") and isinstance(value, int):
        return unit_names.get(value, f"#{value}")
    kind = _VALUE_LABELS.get(key)
    if isinstance(value, list):
        return ", ".join(label(kind, str(v)) if kind else str(v) for v in value)
    if kind:
        return label(kind, str(value))
    return str(value)


def audit_changes(entry: AuditEntry, unit_names: dict[int, str]) -> list[dict]:
    """The before/after values of an entry as readable lines: field, old value, new value."""
    before, after = entry.before or {}, entry.after or {}
    both = entry.before is not None and entry.after is not None
    lines = []
    for key in dict.fromkeys([*before, *after]):
        lines.append({
            "field": str(forms.FIELD_LABELS.get(key, key)),
            "old": _show_value(key, before.get(key), unit_names) if (both or key in before) else None,
            "new": _show_value(key, after.get(key), unit_names) if (both or key in after) else None,
        })
    return lines


def _unit_names(entries) -> dict[int, str]:
    ids = {value for e in entries for side in (e.before or {}, e.after or {})
           for key, value in side.items() if key in ("unit_id", "parent_id") and isinstance(value, int)}
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


@bp.route("/audit")
def audit():
    authz.require("audit.read")
    form = forms.AuditFilterForm(request.args)
    form.date_errors()
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    form.action.choices = [forms.choice("", _("All actions"))] + [forms.choice(a, action_label(a)) for a in actions]
    types = db.session.scalars(select(AuditEntry.target_type).where(AuditEntry.target_type != "")
                               .distinct().order_by(AuditEntry.target_type)).all()
    form.target_type.choices = [forms.choice("", _("All"))] + [forms.choice(t, str(TARGET_LABELS.get(t, t)))
                                                             for t in types]

    stmt = select(AuditEntry).options(selectinload(AuditEntry.actor))
    who = (form.actor.data or "").strip()[:100]
    if who:
        pattern = like_pattern(who)
        stmt = stmt.where(AuditEntry.actor_id.in_(
            select(User.id).where(or_(User.username.like(pattern, escape="\\"),
                                      User.search_name.like(pattern, escape="\\")))))
    if form.action.data:
        stmt = stmt.where(AuditEntry.action == form.action.data)
    if form.target_type.data:
        stmt = stmt.where(AuditEntry.target_type == form.target_type.data)
    if form.date_from.data:
        stmt = stmt.where(AuditEntry.at >= _local_midnight_utc(form.date_from.data))
    if form.date_to.data:
        stmt = stmt.where(AuditEntry.at < _local_midnight_utc(form.date_to.data + timedelta(days=1)))
    page = paginate(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    names = _unit_names(page.items)
    rows = [(entry, audit_changes(entry, names)) for entry in page.items]
    return render_template("admin/audit.html", form=form, page=page, rows=rows, action_label=action_label,
                           target_labels=TARGET_LABELS)


from elearn.admin import import_views  # noqa
