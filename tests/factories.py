"""Factories build the data each test needs; no test depends on another's data."""
from __future__ import annotations

import itertools

from elearn.accounts import domain
from elearn.accounts.models import Profile, Unit, User
from elearn.accounts.passwords import hash_password
from elearn.extensions import db

DEFAULT_PASSWORD = "Mat-khau-2025!"
_seq = itertools.count(1)


class Factory:
    def unit(self, name: str | None = None, kind: str = "province", parent: Unit | None = None,
             code: str | None = None) -> Unit:
        n = next(_seq)
        unit = Unit(code=code or f"U{n:05d}", kind=kind, parent_id=parent.id if parent else None)
        unit.set_name(name or f"Đơn vị {n}")
        db.session.add(unit)
        db.session.commit()
        return unit

    def province(self) -> Unit:
        return self.unit("Tỉnh Tuyên Quang", "province")

    def user(self, username: str | None = None, *, full_name: str | None = None, roles=("learner",),
             password: str | None = DEFAULT_PASSWORD, unit: Unit | None = None, active: bool = True,
             email: str | None = None, **profile) -> User:
        n = next(_seq)
        user = User(username=username or f"user{n}", email=email, active=active)
        user.set_full_name(full_name or f"Nguyễn Văn Học {n}")
        user.set_roles(set(roles))
        if password:
            user.password_hash = hash_password(password)
        if unit is not None or profile:
            unit = unit or self.province()
            defaults = {"gender": domain.Gender.MALE, "ethnicity": "Kinh", "birth_year": 1985,
                        "theory_level": domain.TheoryLevel.ELEMENTARY}
            defaults.update(profile)
            categories = set(defaults.pop("categories", ()))
            user.profile = Profile(unit_id=unit.id, **defaults)
            user.profile.set_categories(categories)
        db.session.add(user)
        db.session.commit()
        return user

    def admin(self, username: str = "admin", **kw) -> User:
        return self.user(username, roles=("admin",), full_name=kw.pop("full_name", "Trần Thị Quản Trị"), **kw)

    def lecturer(self, username: str | None = None, **kw) -> User:
        return self.user(username, roles=("lecturer",), **kw)
