"""Signing in and out: sessions live on the server, CSRF on every form, login rate limits."""
from __future__ import annotations

from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD


def test_login_page_is_vietnamese_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html


def test_login_and_logout_then_cookie_replay_is_refused(client, factory, login):
    user = factory.user("hocvien1", unit=factory.province())
    login(user)
    assert client.get("/").status_code == 200
    stolen = client.get_cookie("elearn_session").value

    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302  # signed out

    client.set_cookie("elearn_session", stolen)  # replay the copied cookie
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_new_session_identifier_at_login(client, factory):
    user = factory.user("hocvien2")
    client.get("/login")
    before = client.get_cookie("elearn_session").value
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD, "csrf_token": token})
    after = client.get_cookie("elearn_session").value
    assert before != after


def test_disabled_user_is_refused_on_next_request(client, factory, login):
    from elearn.accounts import services

    admin = factory.admin()
    user = factory.user("hocvien3")
    login(user)
    assert client.get("/").status_code == 200
    services.set_active(admin, user, False)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_disabled_user_cannot_sign_in(client, factory):
    user = factory.user("hocvien4", active=False)
    token = csrf_token(client)
    response = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 200
    assert "vô hiệu hóa" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_400(client, factory):
    user = factory.user("hocvien5")
    response = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400


def test_wrong_password_repeated_is_rate_limited_per_account(client, factory):
    user = factory.user("hocvien6")
    token = csrf_token(client)
    statuses = []
    for _ in range(6):
        r = client.post("/login", data={"username": user.username, "password": "sai-mat-khau", "csrf_token": token})
        statuses.append(r.status_code)
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    assert "Quá nhiều lần thử" in r.get_data(as_text=True)
    # Even the right password is refused while the account is locked out.
    r = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert r.status_code == 429


def test_rate_limit_per_address_across_accounts(app, client, factory):
    token = csrf_token(client)
    limit = int(app.config["LOGIN_LIMIT_PER_ADDRESS"].split()[0])
    last = None
    for i in range(limit + 1):
        last = client.post("/login", data={"username": f"khong-ton-tai-{i}", "password": "x", "csrf_token": token})
    assert last.status_code == 429


def test_cookie_flags(client, factory, login):
    user = factory.user("hocvien7")
    response = login(user)
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_open_redirect_after_login_is_ignored(client, factory):
    user = factory.user("hocvien8")
    token = csrf_token(client)
    r = client.post("/login?next=https://evil.example/", data={"username": user.username,
                                                               "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert r.headers["Location"] == "/"


def test_security_headers(client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_not_found_page_is_vietnamese(client):
    r = client.get("/khong-co-trang-nay")
    assert r.status_code == 404
    assert "Không tìm thấy trang" in r.get_data(as_text=True)


def test_forbidden_page_is_vietnamese(client, factory, login):
    login(factory.user("hocvien9"))
    r = client.get("/admin/people")
    assert r.status_code == 403
    assert "Không có quyền truy cập" in r.get_data(as_text=True)


def test_server_error_page_is_vietnamese(app, client, monkeypatch):
    from elearn.core import views

    def boom():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "core.health", boom)
    r = client.get("/healthz")
    assert r.status_code == 500
    assert "Đã xảy ra lỗi" in r.get_data(as_text=True)
    assert views  # the module whose view was replaced


def test_create_admin_command(app, factory):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--username", "quantri2", "--full-name", "Lê Văn Quản",
                                 "--password", "Quan-tri-2025!"])
    assert result.exit_code == 0, result.output
    from elearn.accounts.models import user_by_username

    user = user_by_username("quantri2")
    assert user.has_role("admin") and user.password_hash.startswith("$argon2id$")
    weak = runner.invoke(args=["create-admin", "--username", "quantri3", "--full-name", "X", "--password", "123"])
    assert weak.exit_code != 0


def test_static_files_are_versioned_and_cached(client):
    html = client.get("/login").get_data(as_text=True)
    import re

    href = re.search(r'href="(/static/css/app.css\?v=\d+)"', html).group(1)
    r = client.get(href)
    assert r.status_code == 200
    assert "max-age=31536000" in r.headers["Cache-Control"]
    assert r.headers.get("ETag")
