"""Which outside services the tests run against, and what to do when one is missing.

`make test` runs the suite on SQLite; with TEST_DATABASE_URL (and TEST_REDIS_URL) set, it runs
again with ELEARN_TEST_BACKEND=postgres. Under CI=true a test that needs a missing service fails.
"""
from __future__ import annotations

import os
import shutil

import pytest

BACKEND = os.environ.get("ELEARN_TEST_BACKEND", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def database_url(tmp_dir: str) -> str:
    if BACKEND == "postgres":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.exit("ELEARN_TEST_BACKEND=postgres needs TEST_DATABASE_URL", returncode=2)
        from config import _normalise_pg_url

        return _normalise_pg_url(url)
    return f"sqlite:///{tmp_dir}/test.db"


def redis_url() -> str | None:
    return os.environ.get("TEST_REDIS_URL") or None


def missing(what: str, why: str) -> None:
    """Skip locally, fail under CI: CI must exercise every service."""
    message = f"{what} not available: {why}"
    if IN_CI:
        pytest.fail(message + " (CI=true: services must be present)")
    pytest.skip(message)


def require_postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        missing("PostgreSQL", "TEST_DATABASE_URL is not set")
    from config import _normalise_pg_url

    return _normalise_pg_url(url)


def require_redis() -> str:
    url = redis_url()
    if not url:
        missing("Redis", "TEST_REDIS_URL is not set")
    return url


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing("Chromium", f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing("Playwright", "the playwright package is not installed")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
