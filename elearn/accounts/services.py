"""Use cases for people and units. The acting user is always an argument."""
from __future__ import annotations

import functools
from dataclasses import asdict

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import selectinload

from elearn.accounts import auth, domain
from elearn.accounts.domain import ProfileData
from elearn.accounts.models import ApiToken, AuthSession, Profile, ProfileCategory, Unit, User, UserRole
from elearn.accounts.passwords import hash_password
from elearn.core import audit, clock, tokens
from elearn.core.text import like_pattern
from elearn.extensions import db


class ServiceError(Exception):
    """A rule refused the change; `message` is a translatable msgid, `field` the form field."""

    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


def _raise_first(errors: dict[str, str]) -> None:
    if errors:
        field, message = next(iter(errors.items()))
        err = ServiceError(message, field)
        err.errors = errors
        raise err


# --- snapshots for the audit log --------------------------------------------------------------

def user_snapshot(user: User) -> dict:
    snap = {
        "username": user.username, "email": user.email, "full_name": user.full_name,
        "active": user.active, "roles": sorted(user.role_names),
    }
    if user.profile is not None:
        snap.update(profile_snapshot(user.profile))
    return snap


def profile_snapshot(p: Profile) -> dict:
    return {
        "unit_id": p.unit_id, "position": p.position, "job_position": p.job_position,
        "gender": p.gender, "ethnicity": p.ethnicity, "birth_year": p.birth_year,
        "party_member": p.party_member, "party_joined_year": p.party_joined_year,
        "theory_level": p.theory_level, "education_level": p.education_level,
        "categories": sorted(p.categories),
    }


# --- people ---------------------------------------------------------------------------------

def people_query(*, unit_ids: list[int] | None = None, role: str | None = None, category: str | None = None,
                 active: bool | None = None, q: str | None = None):
    """People matching the filters, ordered by (folded) name then id: the admin page and the API share it.

    `q` matches the folded full name or the username, ignoring diacritics ("nguyen van" finds "Nguyễn Văn").
    """
    stmt = (select(User).options(selectinload(User.profile).selectinload(Profile.category_rows))
            .order_by(User.search_name, User.id))
    if unit_ids is not None:
        stmt = stmt.where(User.id.in_(select(Profile.user_id).where(Profile.unit_id.in_(unit_ids))))
    if role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if category:
        stmt = stmt.where(User.id.in_(select(ProfileCategory.user_id).where(ProfileCategory.category == category)))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if q and q.strip():
        pattern = like_pattern(q.strip()[:100])
        stmt = stmt.where(or_(User.search_name.like(pattern, escape="\\"), User.username.like(pattern, escape="\\")))
    return stmt


def validate_account(username: str, email: str | None, roles: set[str], user_id: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = domain.validate_username(username)
    if problem:
        errors["username"] = problem
    elif db.session.scalar(select(User.id).where(User.username == username, User.id != (user_id or 0))):
        errors["username"] = domain.N_("This username is already taken.")
    if email:
        problem = domain.validate_email(email)
        if problem:
            errors["email"] = problem
        elif db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower(),
                                                     User.id != (user_id or 0))):
            errors["email"] = domain.N_("This e-mail address is already used by another account.")
    if not roles:
        errors["roles"] = domain.N_("Choose at least one role.")
    elif not roles <= set(domain.Role):
        errors["roles"] = domain.N_("Unknown role.")
    return errors


def apply_profile(user: User, data: ProfileData) -> None:
    if db.session.get(Unit, data.unit_id) is None:
        raise ServiceError(domain.N_("The unit does not exist."), "unit_id")
    fields = asdict(data)
    categories = fields.pop("categories")
    if user.profile is None:
        user.profile = Profile(**{k: v for k, v in fields.items()})
    else:
        for key, value in fields.items():
            setattr(user.profile, key, value)
    user.profile.set_categories(set(categories))


def create_user(actor: User | None, *, username: str, full_name: str, email: str | None, roles: set[str],
                profile: ProfileData | None, password: str | None = None, ip: str = "") -> User:
    username = username.strip().lower()
    email = (email or "").strip() or None
    errors = validate_account(username, email, roles)
    if not full_name.strip():
        errors["full_name"] = domain.N_("Full name is required.")
    if profile is not None:
        errors.update(domain.validate_profile(profile, clock.today_local().year))
    _raise_first(errors)
    user = User(username=username, email=email, active=True)
    user.set_full_name(full_name)
    user.set_roles(roles)
    if password:
        user.password_hash = hash_password(password)
    if profile is not None:
        apply_profile(user, profile)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, after=user_snapshot(user), ip=ip)
    db.session.commit()
    return user


def update_user(actor: User, user: User, *, full_name: str, email: str | None, roles: set[str],
                profile: ProfileData | None, ip: str = "") -> User:
    email = (email or "").strip() or None
    errors = validate_account(user.username, email, roles, user.id)
    if not full_name.strip():
        errors["full_name"] = domain.N_("Full name is required.")
    if actor.id == user.id and domain.Role.ADMIN not in roles:
        errors["roles"] = domain.N_("You cannot remove your own administrator role.")
    if profile is not None:
        errors.update(domain.validate_profile(profile, clock.today_local().year))
    _raise_first(errors)
    before = user_snapshot(user)
    user.set_full_name(full_name)
    user.email = email
    user.set_roles(roles)
    if profile is not None:
        apply_profile(user, profile)
    db.session.flush()
    old, new = audit.diff(before, user_snapshot(user))
    if new:
        audit.record(actor, "user.update", user, before=old, after=new, ip=ip)
    db.session.commit()
    return user


def set_active(actor: User, user: User, active: bool, ip: str = "") -> None:
    if not active and actor.id == user.id:
        raise ServiceError(domain.N_("You cannot disable your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        auth.end_all_sessions(user)
        _revoke_tokens(user)
    audit.record(actor, "user.enable" if active else "user.disable", user,
                 before={"active": not active}, after={"active": active}, ip=ip)
    db.session.commit()
    if not active:
        _run_hooks(DISABLE_HOOKS, user)


DISABLE_HOOKS: list = []  # hook(user), called after a user is disabled (committed): e.g. live rooms drop them at once


def _run_hooks(hooks: list, *args) -> None:
    """A failing hook is logged; the change it reacts to is already committed."""
    import logging

    for hook in hooks:
        try:
            hook(*args)
        except Exception:  # noqa: BLE001  (one feature's failure must not undo or hide another's change)
            logging.getLogger(__name__).exception("hook %r failed", hook)


def _revoke_tokens(user: User) -> None:
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.revoked_at.is_(None))):
        token.revoked_at = clock.now()


def admin_reset_password(actor: User, user: User, new_password: str, min_length: int, ip: str = "") -> None:
    problem = domain.password_problem(new_password, min_length, user.username, user.full_name)
    if problem:
        raise ServiceError(problem, "password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    auth.end_all_sessions(user)
    audit.record(actor, "user.password_reset", user, ip=ip)
    db.session.commit()


def change_own_password(user: User, new_password: str, min_length: int) -> None:
    problem = domain.password_problem(new_password, min_length, user.username, user.full_name)
    if problem:
        raise ServiceError(problem, "new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    # Other devices are signed out; the current session stays.
    current = tokens.digest(user._session_token) if user._session_token else None
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.ended_at.is_(None),
               AuthSession.token_hash != (current or ""))
        .values(ended_at=clock.now())
    )
    audit.record(user, "user.password_change", user)
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


# --- units ----------------------------------------------------------------------------------

def _parent_map() -> dict[int, int | None]:
    return dict(db.session.execute(select(Unit.id, Unit.parent_id)).all())


def create_unit(actor: User, *, code: str, name: str, kind: str, parent_id: int | None, ip: str = "") -> Unit:
    code = code.strip().upper()
    if not code or len(code) > 40:
        raise ServiceError(domain.N_("A unit code of 1-40 characters is required."), "code")
    if not name.strip():
        raise ServiceError(domain.N_("A unit name is required."), "name")
    if db.session.scalar(select(Unit.id).where(Unit.code == code)):
        raise ServiceError(domain.N_("This unit code is already used."), "code")
    parent = db.session.get(Unit, parent_id) if parent_id else None
    if parent_id and parent is None:
        raise ServiceError(domain.N_("The parent unit does not exist."), "parent_id")
    problem = domain.check_unit_kind(parent.kind if parent else None, kind)
    if problem:
        raise ServiceError(problem, "kind")
    unit = Unit(code=code, kind=kind, parent_id=parent_id)
    unit.set_name(name)
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "unit.create", unit, after={"code": code, "name": unit.name, "kind": kind,
                                                    "parent_id": parent_id}, ip=ip)
    db.session.commit()
    return unit


def rename_unit(actor: User, unit: Unit, name: str, ip: str = "") -> None:
    if not name.strip():
        raise ServiceError(domain.N_("A unit name is required."), "name")
    before = unit.name
    unit.set_name(name)
    if before != unit.name:
        audit.record(actor, "unit.rename", unit, before={"name": before}, after={"name": unit.name}, ip=ip)
    db.session.commit()


def move_unit(actor: User, unit: Unit, new_parent_id: int | None, ip: str = "") -> None:
    problem = domain.check_unit_move(unit.id, new_parent_id, _parent_map())
    if problem:
        raise ServiceError(problem, "parent_id")
    parent = db.session.get(Unit, new_parent_id) if new_parent_id else None
    if new_parent_id and parent is None:
        raise ServiceError(domain.N_("The parent unit does not exist."), "parent_id")
    problem = domain.check_unit_kind(parent.kind if parent else None, unit.kind)
    if problem:
        raise ServiceError(problem, "parent_id")
    before = unit.parent_id
    unit.parent_id = new_parent_id
    audit.record(actor, "unit.move", unit, before={"parent_id": before}, after={"parent_id": new_parent_id}, ip=ip)
    db.session.commit()


def delete_unit(actor: User, unit: Unit, ip: str = "") -> None:
    people = db.session.scalar(select(func.count()).select_from(Profile).where(Profile.unit_id == unit.id))
    if people:
        raise ServiceError(domain.N_("This unit still has %(n)s people; move them to another unit first."),
                           n=people)
    if db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id)):
        raise ServiceError(domain.N_("This unit still has sub-units; move or delete them first."))
    audit.record(actor, "unit.delete", unit, before={"code": unit.code, "name": unit.name,
                                                     "parent_id": unit.parent_id}, ip=ip)
    db.session.delete(unit)
    db.session.commit()


def unit_subtree_ids(unit_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for uid, parent in _parent_map().items():
        children.setdefault(parent, []).append(uid)
    return [unit_id, *domain.descendants(unit_id, children)]


# --- API tokens -----------------------------------------------------------------------------

def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, shown to the owner once."""
    name = name.strip()[:100] or "token"
    secret = tokens.new_token("elt_")
    row = ApiToken(user_id=user.id, name=name, prefix=secret[:10], token_hash=tokens.digest(secret))
    db.session.add(row)
    db.session.flush()
    audit.record(user, "token.create", row, label=name)
    db.session.commit()
    return row, secret


def revoke_api_token(user: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        audit.record(user, "token.revoke", token, label=token.name)
        db.session.commit()


def api_token_user_id(secret: str) -> int | None:
    """The id of the token's owner; None for an unknown or revoked token or a disabled owner. One narrow joined
    read (every API call starts here); last_used_at is written at most every 5 minutes, so a call normally
    writes nothing."""
    return token_digest_user_id(tokens.digest(secret))


def token_digest_user_id(token_hash: str) -> int | None:
    """`api_token_user_id` for a token already digested (`tokens.digest`)."""
    row = db.session.execute(_token_owner_statement(), {"token_hash": token_hash}).one_or_none()
    if row is None:
        return None
    now = clock.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
        t = ApiToken.__table__
        db.session.execute(update(t).where(t.c.id == row.id).values(last_used_at=now))
        db.session.commit()
    return row.user_id


def _valid_token(*columns):
    """SELECT `columns` of the token whose digest is the bind parameter `token_hash`, if it is valid: not revoked,
    its owner active. The one statement of that rule."""
    t, u = ApiToken.__table__, User.__table__
    return (select(*columns).join(u, u.c.id == t.c.user_id)
            .where(t.c.token_hash == bindparam("token_hash"), t.c.revoked_at.is_(None), u.c.active.is_(True)))


@functools.cache
def _token_owner_statement():
    t = ApiToken.__table__
    return _valid_token(t.c.id, t.c.user_id, t.c.last_used_at)


def token_owner_subquery():
    """The owner's id of a valid token (bind parameter `token_hash`: `tokens.digest` of the secret) as a scalar
    subquery: the same rule as `api_token_user_id`, for a hot statement that checks the token inside its own
    condition instead of in a query of its own (an exam's save). It does not refresh `last_used_at`."""
    return _valid_token(ApiToken.__table__.c.user_id).scalar_subquery()


def user_for_api_token(secret: str) -> User | None:
    user_id = api_token_user_id(secret)
    return db.session.get(User, user_id) if user_id is not None else None
