"""Admission control: at most N requests of one server process run at a time; the others wait their turn.

Under gunicorn's gevent worker a process accepts thousands of connections, and every request that starts takes a
database connection from the pool. When more requests run than the CPU can finish, each holds its connection
longer, the pool runs dry and requests fail after the pool timeout, while the CPU switches between thousands of
half-done requests (at 8:00, when a province's exam starts, that is exactly what happens). Letting only
`MAX_CONCURRENT_REQUESTS` run (about the pool size) and queueing the rest keeps the work per request short and the
throughput at its maximum; a request that waited `ADMISSION_TIMEOUT` seconds gets 503 with Retry-After, which the
quiz page's offline queue and the API clients retry. Socket.IO traffic does not pass here (long-lived connections
would hold a place); the middleware wraps the Flask application inside the Socket.IO one.
"""
from __future__ import annotations

import threading

from flask import Flask, render_template

from elearn.core.security import CSP

BUSY_BODY = b'{"error": {"code": "busy", "message": "The server is busy; retry in a moment."}}'
RETRY_SECONDS = 2
PAGE_RELOAD_SECONDS = 5  # the browser page reloads itself after this many seconds


class Admission:
    def __init__(self, wsgi_app, limit: int, timeout: float, app: Flask | None = None) -> None:
        self.wsgi_app = wsgi_app
        self.limit = limit
        self.timeout = timeout
        self.app = app
        self._pages: dict[str, bytes] = {}
        self._slots = threading.BoundedSemaphore(limit)  # gevent's when the worker has patched threading

    def __call__(self, environ, start_response):
        if not self._slots.acquire(timeout=self.timeout):
            return self._busy(environ, start_response)
        try:
            # The request runs (database work included) inside this call; a streamed body (a video, a large
            # download) is sent afterwards without holding a place.
            return self.wsgi_app(environ, start_response)
        finally:
            self._slots.release()

    def _busy(self, environ, start_response):
        """503 + Retry-After: JSON for the API and scripts (the quiz page's offline queue retries it); for a browser
        page, a page in the site's language that reloads itself after a GET and, after a form was sent, says that
        it was not received (reloading would not send it again)."""
        headers = [("Retry-After", str(RETRY_SECONDS)), ("Cache-Control", "no-store")]
        browser = "text/html" in environ.get("HTTP_ACCEPT", "") and not environ.get("PATH_INFO", "").startswith("/api/")
        if browser and self.app is not None:
            body = self._page("page" if environ.get("REQUEST_METHOD") in ("GET", "HEAD") else "form")
            headers += [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", CSP),
                        ("X-Content-Type-Options", "nosniff")]
        else:
            body = BUSY_BODY
            headers.append(("Content-Type", "application/json"))
        start_response("503 Service Unavailable", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _page(self, kind: str) -> bytes:
        """Rendered once per process (in the default language: no session is read while the server is busy)."""
        if kind not in self._pages:
            with self.app.test_request_context("/"):
                self._pages[kind] = render_template("errors/busy.html", form=kind == "form",
                                                    reload_seconds=PAGE_RELOAD_SECONDS).encode()
        return self._pages[kind]


def register(app: Flask) -> None:
    """Wrap the application when MAX_CONCURRENT_REQUESTS is set (the production profile sets it)."""
    limit = app.config.get("MAX_CONCURRENT_REQUESTS")
    if limit:
        app.wsgi_app = Admission(app.wsgi_app, int(limit), float(app.config.get("ADMISSION_TIMEOUT", 20)), app)
