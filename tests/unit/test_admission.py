"""Admission control: at most N requests run at once, the rest wait their turn, and one that waited too long gets
503 with Retry-After (the quiz page and API clients retry it); Socket.IO does not pass through it."""
from __future__ import annotations

import threading
import time

from elearn.core.admission import Admission


def _slow_app(started: threading.Event, release: threading.Event):
    def app(environ, start_response):
        started.set()
        release.wait(5)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    return app


def _hold_a_place(limit: int, timeout: float):
    """An admission of `limit` places whose first request is running (blocked until `release` is set)."""
    started, release = threading.Event(), threading.Event()
    app = Admission(_slow_app(started, release), limit=limit, timeout=timeout)
    first: list = []
    thread = threading.Thread(target=_call, args=(app, first))
    thread.start()
    assert started.wait(2)
    started.clear()
    return app, started, release, first, thread


def _call(app, out: list) -> None:
    status = []
    body = b"".join(app({"PATH_INFO": "/"}, lambda s, h: status.append((s, dict(h)))))
    out.append((status[0][0], status[0][1], body))


def test_a_second_request_waits_for_the_first_and_then_runs():
    app, started, release, first, t1 = _hold_a_place(limit=1, timeout=5)
    second: list = []
    t2 = threading.Thread(target=_call, args=(app, second))
    t2.start()
    time.sleep(0.2)
    assert not started.is_set() and not second  # waiting, not running
    release.set()
    t1.join(5)
    t2.join(5)
    assert first[0][0] == "200 OK" and second[0][0] == "200 OK"


def test_a_request_that_waited_too_long_gets_503_with_retry_after():
    app, _started, release, first, t1 = _hold_a_place(limit=1, timeout=0.2)
    second: list = []
    _call(app, second)
    status, headers, body = second[0]
    assert status.startswith("503") and headers["Retry-After"] == "2" and b'"busy"' in body
    release.set()
    t1.join(5)
    assert first[0][0] == "200 OK"
    _call(app, second)  # the place was given back
    assert second[1][0] == "200 OK"


def test_an_error_in_the_app_gives_the_place_back():
    def failing(environ, start_response):
        raise RuntimeError("boom")

    app = Admission(failing, limit=1, timeout=0.1)
    for _ in range(3):
        try:
            app({}, lambda *a: None)
        except RuntimeError:
            pass
    assert app._slots.acquire(timeout=0.1)


def test_the_production_profile_limits_to_the_pool_and_socketio_is_outside(monkeypatch):
    import config

    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("REDIS_URL", "redis://h/0")
    monkeypatch.setenv("DB_POOL_SIZE", "8")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "4")
    monkeypatch.delenv("MAX_CONCURRENT_REQUESTS", raising=False)
    saved = {k: getattr(config.ProductionConfig, k) for k in ("SQLALCHEMY_ENGINE_OPTIONS", "MAX_CONCURRENT_REQUESTS",
                                                             "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "REDIS_URL",
                                                             "RATELIMIT_STORAGE_URI", "SOCKETIO_MESSAGE_QUEUE")
             if hasattr(config.ProductionConfig, k)}
    try:
        config.ProductionConfig.load_environment()
        assert config.ProductionConfig.MAX_CONCURRENT_REQUESTS == 12
        assert config.ProductionConfig.SQLALCHEMY_ENGINE_OPTIONS["pool_size"] == 8
    finally:
        for k, v in saved.items():
            setattr(config.ProductionConfig, k, v)


def test_the_app_is_wrapped_inside_socketio(tmp_path):
    from config import TestingConfig
    from elearn import create_app

    class Limited(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'a.db'}"
        INSTANCE_DIR = tmp_path / "instance"
        MAX_CONCURRENT_REQUESTS = 3

    app = create_app(Limited)
    outer = app.wsgi_app  # Socket.IO's middleware: /socket.io/ is answered there, the rest goes inside
    assert isinstance(outer.wsgi_app, Admission) and outer.wsgi_app.limit == 3


def test_a_browser_gets_a_page_in_vietnamese_and_a_sent_form_is_said_not_received(app):
    """The API and scripts keep the JSON answer; a browser page gets the site's page: after a GET it reloads
    itself, after a form it says the form was not received (reloading would not send it again)."""
    started, release = threading.Event(), threading.Event()
    admission = Admission(_slow_app(started, release), limit=1, timeout=0.1, app=app)
    first: list = []
    thread = threading.Thread(target=lambda: first.append(b"".join(admission({"PATH_INFO": "/"}, lambda *a: None))))
    thread.start()
    assert started.wait(2)

    def call(method: str, path: str, accept: str):
        seen = []
        body = b"".join(admission({"PATH_INFO": path, "REQUEST_METHOD": method, "HTTP_ACCEPT": accept},
                                  lambda s, h: seen.append((s, dict(h)))))
        return seen[0][0], seen[0][1], body.decode()

    html = "text/html,application/xhtml+xml,*/*;q=0.8"
    status, headers, page = call("GET", "/courses", html)
    assert status.startswith("503") and headers["Retry-After"] == "2"
    assert headers["Content-Type"].startswith("text/html") and "default-src 'self'" in headers["Content-Security-Policy"]
    assert "Máy chủ đang bận" in page and 'http-equiv="refresh"' in page
    _status, _headers, form = call("POST", "/courses/1/enrol", html)
    assert "chưa được nhận" in form and 'http-equiv="refresh"' not in form
    _status, headers, api = call("GET", "/api/v1/courses", html)
    assert headers["Content-Type"] == "application/json" and '"busy"' in api
    _status, headers, script = call("POST", "/quizzes/attempts/1/save", "application/json")
    assert headers["Content-Type"] == "application/json"
    release.set()
    thread.join(5)
