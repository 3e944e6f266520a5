"""People, roles, units, cadre profiles, login sessions and API tokens."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.accounts.domain import Role
from elearn.core import clock
from elearn.core.db import TimestampMixin, UTCDateTime
from elearn.core.text import fold
from elearn.extensions import db


class Unit(TimestampMixin, db.Model):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable key used by imports
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200), index=True)  # fold(name)
    kind: Mapped[str] = mapped_column(String(20))  # domain.UnitKind
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")

    def set_name(self, name: str) -> None:
        self.name = name.strip()
        self.search_name = fold(self.name)

    def path(self) -> list[Unit]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200), index=True)  # fold(full_name) for search
    # Argon2id hash; None means the account has no password yet (imported, waiting for a reset).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))  # None: follow the site default
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    profile: Mapped[Profile | None] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                   uselist=False)

    # Set by the login machinery: the server-side session this request runs under.
    _session_token = None  # str | None; not a column

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)

    def get_id(self) -> str | None:  # Flask-Login stores the session token, never the user id
        return self._session_token

    # Flask-Login's UserMixin compares users by get_id(), which here is the session token (None for anyone
    # not signed in on this request): compare by database identity instead.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = object.__hash__

    def set_full_name(self, name: str) -> None:
        self.full_name = " ".join(name.split())
        self.search_name = fold(self.full_name)

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names

    def set_roles(self, roles: set[str]) -> None:
        current = {r.role: r for r in self.roles}
        for name in set(current) - roles:
            self.roles.remove(current[name])
        for name in sorted(roles - set(current)):
            self.roles.append(UserRole(role=name))

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)  # domain.Role


class Profile(db.Model):
    """The cadre profile the training office reports on."""

    __tablename__ = "profile"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    position: Mapped[str] = mapped_column(String(200), default="")  # chức danh
    job_position: Mapped[str] = mapped_column(String(200), default="")  # vị trí việc làm
    gender: Mapped[str | None] = mapped_column(String(10))
    ethnicity: Mapped[str | None] = mapped_column(String(40))  # official name of one of the 54 groups
    birth_year: Mapped[int | None] = mapped_column(Integer)
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    party_joined_year: Mapped[int | None] = mapped_column(Integer)
    theory_level: Mapped[str] = mapped_column(String(20), default="none")  # lý luận chính trị
    education_level: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="profile")
    unit: Mapped[Unit] = relationship(lazy="joined")
    category_rows: Mapped[list[ProfileCategory]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def categories(self) -> set[str]:
        return {c.category for c in self.category_rows}

    def set_categories(self, categories: set[str]) -> None:
        current = {c.category: c for c in self.category_rows}
        for name in set(current) - categories:
            self.category_rows.remove(current[name])
        for name in sorted(categories - set(current)):
            self.category_rows.append(ProfileCategory(category=name))


class ProfileCategory(db.Model):
    __tablename__ = "profile_category"

    user_id: Mapped[int] = mapped_column(ForeignKey("profile.user_id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)  # domain.Category


class AuthSession(db.Model):
    """A server-side login session. The cookie carries only the random token; its hash is stored."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A personal access token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, shown so the owner can tell tokens apart
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))
