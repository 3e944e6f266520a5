"""Argon2id password hashing with parameters from the configuration."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

# A hash of a random password, verified when the account does not exist so that
# a wrong username costs as much time as a wrong password.
_DUMMY: dict[tuple, str] = {}


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["PASSWORD_TIME_COST"],
        memory_cost=cfg["PASSWORD_MEMORY_COST"],
        parallelism=cfg["PASSWORD_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Check a password; returns (ok, new_hash) where new_hash is set when the parameters changed."""
    hasher = _hasher()
    if not stored_hash:
        key = (hasher.time_cost, hasher.memory_cost)
        if key not in _DUMMY:
            _DUMMY[key] = hasher.hash("not-a-real-password-0x9f")
        try:
            hasher.verify(_DUMMY[key], password + "x")
        except VerificationError:
            pass
        return False, None
    try:
        hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored_hash) else None
