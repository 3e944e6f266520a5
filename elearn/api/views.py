"""API endpoints for the current user, units and (admin) users.

Thin adapters like the HTML views: parse and check the query, ask core/authz, read through the same
models and services, serialise with api/schemas.py. Every route here is documented in openapi.py
(a test fails otherwise).
"""
from __future__ import annotations

from flask import current_app, jsonify, request
from sqlalchemy import func, select

from elearn.accounts import domain, services
from elearn.accounts.models import Profile, Unit, User
from elearn.api import ApiError, api_user, bp, schemas
from elearn.api.openapi import document
from elearn.core import authz
from elearn.core.pagination import MAX_PER_PAGE
from elearn.extensions import db

TRUE_WORDS = {"1", "true", "yes"}
FALSE_WORDS = {"0", "false", "no"}


# --- query parameters -----------------------------------------------------------------------

class Query:
    """Reads query parameters, collecting every problem; `done()` raises one 422 listing them all."""

    def __init__(self, allowed: set[str]):
        self.errors: dict[str, str] = {}
        unknown = sorted(set(request.args) - allowed)
        for name in unknown:
            self.errors[name] = "Unknown parameter."

    def text(self, name: str) -> str | None:
        value = request.args.get(name, "").strip()
        return value or None

    def integer(self, name: str, default: int | None = None, low: int = 1, high: int | None = None) -> int | None:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            self.errors[name] = f"Must be an integer {bounds}."
            return default
        return value

    def boolean(self, name: str) -> bool | None:
        raw = self.text(name)
        if raw is None:
            return None
        if raw.lower() in TRUE_WORDS:
            return True
        if raw.lower() in FALSE_WORDS:
            return False
        self.errors[name] = "Must be 1/true or 0/false."
        return None

    def choice(self, name: str, choices) -> str | None:
        raw = self.text(name)
        if raw is not None and raw not in {str(c) for c in choices}:
            self.errors[name] = "Must be one of: " + ", ".join(sorted(str(c) for c in choices)) + "."
            return None
        return raw

    def page(self) -> tuple[int, int]:
        page = self.integer("page", 1)
        per_page = self.integer("per_page", current_app.config["PER_PAGE"], high=MAX_PER_PAGE)
        return page, per_page

    def done(self) -> None:
        if self.errors:
            raise ApiError(422, "Invalid query parameters.", "invalid", self.errors)


def _current() -> User:
    return api_user()


def _require(action: str, obj=None) -> None:
    authz.require(action, obj, user=_current())


def _not_found(kind: str):
    raise ApiError(404, f"No {kind} with this id.", "not_found")


# --- the API document -----------------------------------------------------------------------

@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


# --- me -------------------------------------------------------------------------------------

@bp.get("/me")
def me():
    user = _current()
    _require("profile.view", user)
    return jsonify(schemas.user(user))


# --- units ----------------------------------------------------------------------------------

def _tree_order(units: list[Unit]) -> list[Unit]:
    """Parents before children, siblings by name: a client can build the tree in one pass."""
    ids = {u.id for u in units}
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        parent = u.parent_id if u.parent_id in ids else None
        children.setdefault(parent, []).append(u)
    ordered: list[Unit] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.id, [])))
    return ordered


@bp.get("/units")
def units():
    _require("units.view")
    query = Query({"parent_id"})
    raw_parent = query.text("parent_id")
    stmt = select(Unit).order_by(Unit.search_name, Unit.id)
    if raw_parent is not None:
        if raw_parent.lower() == "none":
            stmt = stmt.where(Unit.parent_id.is_(None))
        else:
            parent_id = query.integer("parent_id")
            if parent_id is not None:
                if db.session.get(Unit, parent_id) is None:
                    query.errors["parent_id"] = "No unit with this id."
                stmt = stmt.where(Unit.parent_id == parent_id)
    query.done()
    rows = db.session.scalars(stmt).all()
    ordered = rows if raw_parent is not None else _tree_order(list(rows))
    return jsonify({"items": [schemas.unit(u) for u in ordered], "total": len(ordered)})


@bp.get("/units/<int:id>")
def unit(id: int):
    _require("units.view")
    found = db.session.get(Unit, id)
    if found is None:
        _not_found("unit")
    children_ids = list(db.session.scalars(
        select(Unit.id).where(Unit.parent_id == found.id).order_by(Unit.search_name, Unit.id)))
    people = None
    if authz.can(_current(), "users.list"):
        count = select(func.count()).select_from(Profile)
        people = {
            "people_count": db.session.scalar(count.where(Profile.unit_id == found.id)),
            "people_count_with_sub_units": db.session.scalar(
                count.where(Profile.unit_id.in_(services.unit_subtree_ids(found.id)))),
        }
    return jsonify(schemas.unit_detail(found, children_ids, people))


# --- users ----------------------------------------------------------------------------------

@bp.get("/users")
def users():
    _require("users.list")
    query = Query({"unit_id", "include_sub", "role", "category", "active", "q", "page", "per_page"})
    unit_id = query.integer("unit_id")
    include_sub = query.boolean("include_sub")
    role = query.choice("role", domain.Role)
    category = query.choice("category", domain.Category)
    active = query.boolean("active")
    q = query.text("q")
    page, per_page = query.page()
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        query.errors["unit_id"] = "No unit with this id."
    query.done()
    unit_ids = None
    if unit_id is not None:
        unit_ids = services.unit_subtree_ids(unit_id) if include_sub else [unit_id]
    stmt = services.people_query(unit_ids=unit_ids, role=role, category=category, active=active, q=q)
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, max_per_page=MAX_PER_PAGE)
    return jsonify(schemas.page(result, schemas.user))


@bp.get("/users/<int:id>")
def user(id: int):
    found = db.session.get(User, id)
    if found is None:
        _require("users.list")  # others learn nothing about which ids exist
        _not_found("user")
    _require("profile.view", found)  # oneself, or an admin
    return jsonify(schemas.user(found))

