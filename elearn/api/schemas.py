"""Turning models into the JSON the API answers with.

The shapes here are documented in openapi.py (components/schemas); tests check that every answer
has exactly the documented fields, so change both together.
"""
from __future__ import annotations

from datetime import UTC, datetime

from elearn.accounts.models import Profile, Unit, User


def timestamp(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a trailing Z, e.g. "2025-03-01T08:30:00Z"."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def unit_ref(unit: Unit) -> dict:
    return {"id": unit.id, "code": unit.code, "name": unit.name}


def unit(u: Unit) -> dict:
    return {"id": u.id, "code": u.code, "name": u.name, "kind": u.kind, "parent_id": u.parent_id}


def unit_detail(u: Unit, children_ids: list[int], people: dict | None) -> dict:
    data = unit(u)
    data["path"] = [unit_ref(node) for node in u.path()]
    data["children_ids"] = children_ids
    if people is not None:  # only for those allowed to see people (admins)
        data.update(people)
    return data


def profile(p: Profile) -> dict:
    return {
        "unit": unit_ref(p.unit),
        "position": p.position,
        "job_position": p.job_position,
        "gender": p.gender,
        "ethnicity": p.ethnicity,
        "birth_year": p.birth_year,
        "party_member": bool(p.party_member),
        "party_joined_year": p.party_joined_year,
        "theory_level": p.theory_level,
        "education_level": p.education_level,
        "categories": sorted(p.categories),
    }


def user(u: User) -> dict:
    return {
        "id": u.id,
        "username": u.username,
        "full_name": u.full_name,
        "email": u.email,
        "active": bool(u.active),
        "roles": sorted(u.role_names),
        "locale": u.locale,
        "created_at": timestamp(u.created_at),
        "last_login_at": timestamp(u.last_login_at),
        "profile": profile(u.profile) if u.profile is not None else None,
    }


def page(pagination, serialise) -> dict:
    """The envelope of every paginated list."""
    return {
        "items": [serialise(item) for item in pagination.items],
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total,
        "pages": pagination.pages,
    }
