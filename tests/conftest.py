"""Shared fixtures: one app and schema per test session (built by the migrations), clean tables per test."""
from __future__ import annotations

import contextvars
import re

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from config import TestingConfig
from elearn import create_app
from elearn.extensions import db, limiter
from tests import services
from tests.factories import Factory


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("elearn")

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = services.database_url(str(tmp))
        INSTANCE_DIR = tmp / "instance"
        RATELIMIT_STORAGE_URI = services.redis_url() if services.BACKEND == "postgres" and services.redis_url() else "memory://"

    application = create_app(Config)
    with application.app_context():
        if services.BACKEND == "postgres":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        # Reference data the migrations seed; put back after each test's clean-up.
        application.reference_rows = {
            name: [dict(row._mapping) for row in db.session.execute(db.metadata.tables[name].select())]
            for name in REFERENCE_TABLES
        }
        db.session.remove()
    return application


REFERENCE_TABLES = ("course_category",)


@pytest.fixture(autouse=True)
def _clean(request):
    """Each test starts with empty tables and fresh rate-limit counters."""
    if "app" not in request.fixturenames and not _needs_app(request):
        yield
        return
    application = request.getfixturevalue("app")
    ctx = application.app_context()
    ctx.push()
    try:
        limiter.reset()
    except Exception:  # noqa: BLE001  (a storage without reset support)
        pass
    yield
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        for name, rows in application.reference_rows.items():
            if rows:
                conn.execute(db.metadata.tables[name].insert(), rows)
    ctx.pop()


def _needs_app(request) -> bool:
    return any(name in request.fixturenames for name in ("client", "factory", "db_session", "login"))


class IsolatedClient(FlaskClient):
    """Each request runs in its own context (own `g`, own database session), as on a real server.

    Afterwards the test's own session is rolled back so that it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.rollback()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def factory(app) -> Factory:
    return Factory()


_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """Fetch a page and read its CSRF token, as a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = _CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def login(client):
    """login(user, password) signs the test client in through the real form."""

    def do(user, password: str = "Mat-khau-2025!"):
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"username": user.username, "password": password,
                                               "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do
