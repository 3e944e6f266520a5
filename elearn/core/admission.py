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

from flask import Flask

BUSY_BODY = b'{"error": {"code": "busy", "message": "The server is busy; retry in a moment."}}'


class Admission:
    def __init__(self, wsgi_app, limit: int, timeout: float) -> None:
        self.wsgi_app = wsgi_app
        self.limit = limit
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(limit)  # gevent's when the worker has patched threading

    def __call__(self, environ, start_response):
        if not self._slots.acquire(timeout=self.timeout):
            start_response("503 Service Unavailable", [("Content-Type", "application/json"),
                                                       ("Retry-After", "2"), ("Cache-Control", "no-store"),
                                                       ("Content-Length", str(len(BUSY_BODY)))])
            return [BUSY_BODY]
        try:
            # The request runs (database work included) inside this call; a streamed body (a video, a large
            # download) is sent afterwards without holding a place.
            return self.wsgi_app(environ, start_response)
        finally:
            self._slots.release()


def register(app: Flask) -> None:
    """Wrap the application when MAX_CONCURRENT_REQUESTS is set (the production profile sets it)."""
    limit = app.config.get("MAX_CONCURRENT_REQUESTS")
    if limit:
        app.wsgi_app = Admission(app.wsgi_app, int(limit), float(app.config.get("ADMISSION_TIMEOUT", 20)))
