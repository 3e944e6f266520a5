"""Signing in and out, one's own profile, password and API tokens."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts import auth, services
from elearn.accounts.forms import EmptyForm, LoginForm, PasswordChangeForm, TokenForm
from elearn.accounts.models import ApiToken, AuthSession, user_by_username
from elearn.accounts.passwords import verify_password
from elearn.core import authz
from elearn.core.text import fold
from elearn.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _account_key() -> str:
    return "login:" + fold(request.form.get("username", ""))[:64]


def _failed(response) -> bool:
    return response.status_code != 302


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if not target:
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("core.home")
    return target


_ALLOWED_WHILE_CHANGING = {"accounts.password", "accounts.logout", "accounts.language", "static", "core.health"}


@bp.before_app_request
def _force_password_change():
    """Someone whose password was reset must choose their own before doing anything else."""
    if request.path.startswith("/api/"):  # token calls: no login session to look up
        return None
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in _ALLOWED_WHILE_CHANGING):
        return redirect(url_for("accounts.password"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = user_by_username(form.username.data)
        ok, new_hash = verify_password(user.password_hash if user else None, form.password.data)
        if ok and user is not None and user.active:
            if new_hash:
                user.password_hash = new_hash
            auth.start_session(user, request.remote_addr or "", request.user_agent.string or "")
            if user.must_change_password:
                flash(_("Please choose a new password before you continue."), "warning")
                return redirect(url_for("accounts.password"))
            return redirect(safe_next(request.args.get("next")))
        if ok and user is not None and not user.active:
            form.username.errors.append(_("This account is disabled. Contact the training office."))
        else:
            form.password.errors.append(_("Wrong username or password."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    auth.end_session(current_user._get_current_object())
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/language", methods=["POST"])
def language():
    form = EmptyForm()
    lang = request.form.get("lang", "")
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            services.set_locale(current_user, lang)
    return redirect(safe_next(request.form.get("next")))


@bp.route("/profile")
@login_required
def profile():
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    sessions = db.session.scalars(
        select(AuthSession).where(AuthSession.user_id == current_user.id, AuthSession.ended_at.is_(None))
        .order_by(AuthSession.last_seen_at.desc())
    ).all()
    return render_template("accounts/profile.html", user=current_user, tokens=tokens, sessions=sessions,
                           token_form=TokenForm(), empty_form=EmptyForm(),
                           new_token=session.pop("new_token", None))


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        ok, _unused = verify_password(current_user.password_hash, form.current_password.data)
        if not ok:
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            try:
                services.change_own_password(current_user, form.new_password.data,
                                             current_app.config["PASSWORD_MIN_LENGTH"])
            except services.ServiceError as err:
                form.new_password.errors.append(_(err.message, **err.params))
            else:
                flash(_("Your password has been changed. Other devices have been signed out."), "success")
                return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form,
                           min_length=current_app.config["PASSWORD_MIN_LENGTH"])


@bp.route("/profile/tokens", methods=["POST"])
@login_required
def create_token():
    authz.require("tokens.manage")
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name."), "error")
        return redirect(url_for("accounts.profile"))
    _row, secret = services.create_api_token(current_user, form.name.data)
    # Shown once on the next page; never stored in clear on the server.
    session["new_token"] = secret
    return redirect(url_for("accounts.profile") + "#tokens")


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or not authz.can(current_user, "tokens.manage", token):
        abort(404)
    if EmptyForm().validate_on_submit():
        services.revoke_api_token(current_user, token)
        flash(_("The token has been revoked."), "success")
    return redirect(url_for("accounts.profile") + "#tokens")

