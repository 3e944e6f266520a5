"""The schema only changes through migrations: they match the models and run both ways, on both databases."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests import services

ROOT = Path(__file__).resolve().parents[2]


def _flask(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _cycle(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "ELEARN_CONFIG": "development",
           "ELEARN_INSTANCE_DIR": str(tmp_path)}
    for step in (["db", "upgrade"], ["db", "check"], ["db", "downgrade", "base"], ["db", "upgrade"], ["db", "check"]):
        result = _flask(step, env)
        assert result.returncode == 0, f"flask {' '.join(step)} failed:\n{result.stdout}\n{result.stderr}"
        if step[1] == "check":
            assert "No new upgrade operations detected" in result.stdout + result.stderr


def test_migrations_match_models_and_round_trip_on_sqlite(tmp_path):
    _cycle(f"sqlite:///{tmp_path}/migr.db", tmp_path)


def test_migrations_match_models_and_round_trip_on_postgresql(tmp_path):
    url = services.require_postgres_url()
    psycopg = pytest.importorskip("psycopg")
    admin_url = url.replace("postgresql+psycopg://", "postgresql://")
    base, _, _name = admin_url.rpartition("/")
    scratch = f"elearn_migr_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        _cycle(f"{base}/{scratch}", tmp_path)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
