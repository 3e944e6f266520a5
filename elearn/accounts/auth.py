"""Login sessions kept on the server: logout and disabling a person end them at once."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from elearn.accounts.models import AuthSession, User
from elearn.core import clock, tokens
from elearn.extensions import db, login_manager

login_manager.login_view = "accounts.login"
login_manager.session_protection = None  # the server-side session replaces it
login_manager.login_message = None


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Resolve the cookie's session token to its live server-side session and active user."""
    if not token:
        return None
    row = db.session.scalar(select(AuthSession).where(AuthSession.token_hash == tokens.digest(token)))
    if row is None or row.ended_at is not None:
        return None
    now = clock.now()
    idle = timedelta(seconds=current_app.config["AUTH_SESSION_IDLE_SECONDS"])
    if now - row.last_seen_at > idle:
        row.ended_at = now
        db.session.commit()
        return None
    user = row.user
    if not user.active:
        return None
    if now - row.last_seen_at > timedelta(minutes=5):  # avoid a write on every request
        row.last_seen_at = now
        db.session.commit()
    user._session_token = token
    return user


def start_session(user: User, ip: str, user_agent: str) -> None:
    """Log in with a fresh session identifier (the old cookie session is discarded)."""
    keep = {k: session[k] for k in ("lang",) if k in session}
    session.clear()
    session.update(keep)
    token = tokens.new_token()
    db.session.add(AuthSession(user_id=user.id, token_hash=tokens.digest(token), ip=ip[:64],
                               user_agent=user_agent[:255]))
    user.last_login_at = clock.now()
    db.session.commit()
    user._session_token = token
    login_user(user)


def end_session(user: User) -> None:
    token = getattr(user, "_session_token", None)
    if token:
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == tokens.digest(token), AuthSession.ended_at.is_(None))
            .values(ended_at=clock.now())
        )
        db.session.commit()
    locale = user.locale or session.get("lang")
    logout_user()
    session.clear()
    if locale:
        session["lang"] = locale  # the sign-in page stays in the language the person chose


def end_all_sessions(user: User) -> None:
    """End every login of a person (disable, password reset); the caller commits."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )
