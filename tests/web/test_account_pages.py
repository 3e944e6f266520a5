"""One's own account: password change, profile page, language choice."""
from __future__ import annotations

from argon2 import PasswordHasher

from elearn.accounts.models import AuthSession, User
from elearn.extensions import db
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD


def test_password_change_signs_out_other_devices(app, client, factory, login):
    user = factory.user("doimatkhau")
    other = app.test_client()  # a second device
    token = csrf_token(other, "/login")
    other.post("/login", data={"username": "doimatkhau", "password": DEFAULT_PASSWORD, "csrf_token": token})
    login(user)

    token = csrf_token(client, "/profile/password")
    r = client.post("/profile/password", data={"current_password": DEFAULT_PASSWORD, "new_password": "Mot-mat-khau-moi-9",
                                               "confirm": "Mot-mat-khau-moi-9", "csrf_token": token})
    assert r.status_code == 302
    assert client.get("/").status_code == 200  # this device stays signed in
    assert other.get("/").status_code == 302  # the other one is signed out
    live = db.session.query(AuthSession).filter_by(user_id=user.id, ended_at=None).count()
    assert live == 1


def test_password_change_rejects_wrong_current_and_weak_new(client, factory, login):
    user = factory.user("doimatkhau2")
    login(user)
    token = csrf_token(client, "/profile/password")
    r = client.post("/profile/password", data={"current_password": "sai", "new_password": "Mot-mat-khau-moi-9",
                                               "confirm": "Mot-mat-khau-moi-9", "csrf_token": token})
    assert r.status_code == 200 and "Mật khẩu hiện tại không đúng" in r.get_data(as_text=True)
    r = client.post("/profile/password", data={"current_password": DEFAULT_PASSWORD, "new_password": "ngan",
                                               "confirm": "ngan", "csrf_token": token})
    assert "Mật khẩu quá ngắn" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_forced_change_after_admin_reset(client, factory):
    from elearn.accounts import services

    admin = factory.admin()
    user = factory.user("datlai")
    services.admin_reset_password(admin, user, "Tam-thoi-2025!", 8)
    token = csrf_token(client)
    r = client.post("/login", data={"username": "datlai", "password": "Tam-thoi-2025!", "csrf_token": token})
    assert r.headers["Location"].endswith("/profile/password")


def test_production_password_hash_is_argon2id_at_owasp_parameters(app):
    from config import ProductionConfig

    hasher = PasswordHasher(time_cost=ProductionConfig.PASSWORD_TIME_COST,
                            memory_cost=ProductionConfig.PASSWORD_MEMORY_COST,
                            parallelism=ProductionConfig.PASSWORD_PARALLELISM)
    encoded = hasher.hash("Mat-khau-2025!")
    assert encoded.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in encoded


def test_language_choice_is_saved_for_the_account(client, factory, login):
    user = factory.user("ngonngu")
    login(user)
    token = csrf_token(client, "/")
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": token})
    assert db.session.get(User, user.id).locale == "en"
    html = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in html and "Hello," in html


def test_language_switch_ignores_unknown_language_and_foreign_next(client):
    token = csrf_token(client)
    r = client.post("/language", data={"lang": "fr", "next": "https://evil.example", "csrf_token": token})
    assert r.headers["Location"] == "/"
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)


def test_times_are_shown_in_vietnam_time(app):
    from datetime import UTC, datetime

    with app.test_request_context("/"):
        rendered = app.jinja_env.from_string("{{ t|localtime }}").render(t=datetime(2025, 1, 1, 17, 30, tzinfo=UTC))
    assert rendered == "02/01/2025 00:30"


def test_forced_change_blocks_other_pages_until_done(client, factory):
    from elearn.accounts import services

    admin = factory.admin()
    factory.user("datlai2")
    user = db.session.scalar(db.select(User).filter_by(username="datlai2"))
    services.admin_reset_password(admin, user, "Tam-thoi-2025!", 8)
    token = csrf_token(client)
    client.post("/login", data={"username": "datlai2", "password": "Tam-thoi-2025!", "csrf_token": token})
    assert client.get("/").headers["Location"].endswith("/profile/password")
    token = csrf_token(client, "/profile/password")
    r = client.post("/profile/password", data={"current_password": "Tam-thoi-2025!", "new_password": "Cua-toi-2025!!",
                                               "confirm": "Cua-toi-2025!!", "csrf_token": token})
    assert r.status_code == 302
    assert client.get("/").status_code == 200
