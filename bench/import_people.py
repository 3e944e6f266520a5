"""Time the bulk import of people: dry run and confirmed write of N rows, CSV and XLSX.

    python -m bench.import_people                 # 10,000 rows, 3 runs, embedded SQLite profile
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/scratch python -m bench.import_people

Each run starts from a database holding only the units and one admin, then times, through the same job
functions the web pages start:
  check   - the dry run of the file (every row read and validated, nothing written),
  write   - the confirmed import (plans again, then writes all rows in one transaction),
  recheck - a dry run of the same file again (every row "unchanged").
Medians go to stdout and bench/results/import_people.json. On PostgreSQL everything happens in a
schema of its own (bench_import), dropped at the end; nothing else in that database is touched.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import gen_people

RESULTS = Path(__file__).resolve().parent / "results" / "import_people.json"
PG_SCHEMA = "bench_import"
TARGET_SECONDS = 60


def _app(url: str | None, tmp: Path):
    from config import TestingConfig, _normalise_pg_url
    from elearn import create_app

    class BenchConfig(TestingConfig):
        TESTING = False
        INSTANCE_DIR = tmp / "instance"
        SQLALCHEMY_DATABASE_URI = _normalise_pg_url(url) if url else f"sqlite:///{tmp}/bench.db"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"options": f"-csearch_path={PG_SCHEMA}"}} if url else {}
        RUN_JOBS_INLINE = True  # the job runs in this thread, so its duration is what we time
        IMPORT_MAX_ROWS = 1_000_000

    return create_app(BenchConfig)


def _prepare_schema(app, postgres: bool) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from elearn.extensions import db

    with app.app_context():
        if postgres:
            with db.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        upgrade()


def _drop_schema(app) -> None:
    from sqlalchemy import text

    from elearn.extensions import db

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        db.engine.dispose()


def _seed(app) -> None:
    from elearn.accounts.models import Unit, User
    from elearn.extensions import db

    with app.app_context():
        ids: dict[str, int] = {}
        for code, name, kind, parent in gen_people.units():
            unit = Unit(code=code, kind=kind, parent_id=ids.get(parent) if parent else None)
            unit.set_name(name)
            db.session.add(unit)
            db.session.flush()
            ids[code] = unit.id
        admin = User(username="bench.admin", active=True)
        admin.set_full_name("Quản trị Đo tải")
        admin.set_roles({"admin"})
        db.session.add(admin)
        db.session.commit()


def _reset_people(app) -> None:
    from sqlalchemy import delete

    from elearn.accounts.models import User
    from elearn.core.audit import AuditEntry
    from elearn.core.jobs import Job
    from elearn.extensions import db

    with app.app_context():
        db.session.execute(delete(AuditEntry))
        db.session.execute(delete(Job))
        db.session.execute(delete(User).where(User.username != "bench.admin"))  # cascades to profiles, roles
        db.session.commit()


def _timed_job(app, data: bytes, fmt: str, check_id: int | None = None) -> tuple[float, int, dict]:
    from elearn.accounts import importer
    from elearn.accounts.models import user_by_username
    from elearn.core import jobs
    from elearn.core.jobs import Job
    from elearn.extensions import db

    with app.app_context():
        admin = user_by_username("bench.admin")
        if check_id is None:
            path = importer.new_upload_path(fmt)
            path.write_bytes(data)
            job = importer.new_check_job(admin, path, f"people.{fmt}")
            work = importer.check_work
        else:
            job = importer.new_import_job(admin, db.session.get(Job, check_id))
            work = importer.import_work
        db.session.commit()
        started = time.perf_counter()
        jobs.start(job, work)
        elapsed = time.perf_counter() - started
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        if job.state != "done":
            raise RuntimeError(f"job {job.kind} ended {job.state}: {job.error}")
        return elapsed, job.id, job.result.get("counts", {})


def run_backend(name: str, url: str | None, n: int, repeat: int, formats: list[str]) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="elearn-bench-"))
    app = _app(url, tmp)
    try:
        _prepare_schema(app, postgres=url is not None)
        _seed(app)
        rows = gen_people.generate(n)
        out: dict = {}
        for fmt in formats:
            data = gen_people.to_xlsx(rows) if fmt == "xlsx" else gen_people.to_csv(rows)
            times: dict[str, list[float]] = {"check": [], "write": [], "recheck": []}
            for _ in range(repeat):
                _reset_people(app)
                check, check_id, counts = _timed_job(app, data, fmt)
                assert counts == {"new": n, "updated": 0, "unchanged": 0, "errors": 0}, counts
                write, _, counts = _timed_job(app, data, fmt, check_id)
                assert counts["new"] == n, counts
                recheck, _, counts = _timed_job(app, data, fmt)
                assert counts["unchanged"] == n, counts
                for key, value in (("check", check), ("write", write), ("recheck", recheck)):
                    times[key].append(round(value, 3))
            medians = {key: round(statistics.median(values), 3) for key, values in times.items()}
            medians["check_plus_write"] = round(medians["check"] + medians["write"], 3)
            out[fmt] = {"file_bytes": len(data), "runs": times, "median_seconds": medians,
                        "within_target": medians["check_plus_write"] < TARGET_SECONDS}
            print(f"{name:10} {fmt:4}  {n} rows  check {medians['check']:6.2f} s  write {medians['write']:6.2f} s  "
                  f"re-check {medians['recheck']:6.2f} s  (check+write {medians['check_plus_write']:.2f} s, "
                  f"target < {TARGET_SECONDS} s)", flush=True)
        return out
    finally:
        if url is not None:
            _drop_schema(app)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the bulk import of people.")
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]

    results = {
        "benchmark": "import_people",
        "rows": args.n,
        "repeat": args.repeat,
        "target_seconds": TARGET_SECONDS,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "backends": {},
    }
    results["backends"]["sqlite"] = run_backend("sqlite", None, args.n, args.repeat, formats)
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    if pg_url:
        results["backends"]["postgresql"] = run_backend("postgresql", pg_url, args.n, args.repeat, formats)
    else:
        print("BENCH_DATABASE_URL not set: PostgreSQL run skipped")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
