"""The production profile refuses to start without its settings, with a clear message."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_setting(monkeypatch, missing):
    env = {"ELEARN_CONFIG": "production", "SECRET_KEY": "s" * 40,
           "DATABASE_URL": "postgresql://u@127.0.0.1/db", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    env.pop(missing)
    for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(config.ConfigError, match=missing):
        config.config_from_env()


def test_production_refuses_sqlite(monkeypatch):
    monkeypatch.setenv("ELEARN_CONFIG", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    with pytest.raises(config.ConfigError, match="PostgreSQL"):
        config.config_from_env()


def test_production_server_start_prints_the_reason():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    env["ELEARN_CONFIG"] = "production"
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY, DATABASE_URL, REDIS_URL" in result.stderr


def test_postgres_urls_use_psycopg3():
    assert config._normalise_pg_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config._normalise_pg_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_production_cookies_are_secure():
    assert config.ProductionConfig.SESSION_COOKIE_SECURE is True
    assert config.Config.SESSION_COOKIE_HTTPONLY is True
    assert config.Config.SESSION_COOKIE_SAMESITE == "Lax"
