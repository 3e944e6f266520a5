"""CPU and SQL statements per quiz API request, in-process (Flask test client), no network and no gunicorn.

`DATABASE_URL=... .venv/bin/python -m bench.quiz_inproc [--learners 200] [--fresh]`: migrates the database to head
(`--fresh`: SQLite file removed / PostgreSQL database dropped and created first), seeds learners with API tokens
and a 20-question quiz (bench/quiz_seed.py), then for every learner: start, one save, submit. Prints, per request
kind, the median and mean process CPU (ms) and the median number of SQL statements, as JSON.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path


def _fresh(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base.replace('postgresql+psycopg', 'postgresql')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--trace", action="store_true", help="print the SQL of the first learner's requests")
    parser.add_argument("--profile", choices=("start", "save", "submit"), help="cProfile (CPU time) this request kind")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    parser.add_argument("--top", type=int, default=30, help="lines of the profile to print")
    parser.add_argument("--callees", help="also print what the functions matching this pattern call")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if args.fresh:
        _fresh(url)
    os.environ.setdefault("ELEARN_CONFIG", "development")
    os.environ.setdefault("ELEARN_INSTANCE_DIR", str(Path(tempfile.gettempdir()) / "elearn_quizperf_instance"))
    from flask_migrate import upgrade
    from sqlalchemy import event

    from elearn import create_app
    from elearn.extensions import db

    from . import quiz_seed
    from .quiz_api import parse_start, save_body

    app = create_app()
    app.config["RATELIMIT_ENABLED"] = False
    from elearn.extensions import limiter

    limiter.enabled = False
    with app.app_context():
        upgrade()
        tokens = quiz_seed._learners(args.learners)
        lecturer, course = quiz_seed._course(tokens)
        quiz_seed._questions(lecturer, course)
        quiz_id, _ = quiz_seed._quizzes(lecturer, course, 3600)
        db.session.remove()
        count, trace = [0], [args.trace]

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, *_a):
            count[0] += 1
            if trace[0]:
                print("   ", " ".join(statement.split())[:160])

    client = app.test_client()
    stats: dict[str, dict[str, list]] = {k: {"cpu": [], "sql": []} for k in ("start", "save", "submit")}

    def call(kind: str, path: str, token: str, body: dict | None = None) -> dict:
        count[0] = 0
        t0 = time.process_time()
        if kind == args.profile:
            profiler.enable()
        resp = client.post(path, json=body or {}, headers={"Authorization": f"Bearer {token}"})
        profiler.disable()
        stats[kind]["cpu"].append((time.process_time() - t0) * 1000)
        stats[kind]["sql"].append(count[0])
        assert resp.status_code == 200, (kind, resp.status_code, resp.get_data(as_text=True)[:300])
        return resp.get_json()

    profiler = cProfile.Profile(time.process_time)  # CPU time: waits on the database do not count
    for token in tokens:
        if trace[0]:
            print("start / save / submit of the first learner:")
        started = parse_start(call("start", f"/api/v1/quizzes/{quiz_id}/attempts", token))
        call("save", f"/api/v1/attempts/{started.attempt_id}/answers", token, save_body(started.slots[3], 1, 1))
        call("submit", f"/api/v1/attempts/{started.attempt_id}/submit", token)
        trace[0] = False
    out = {kind: {"cpu_ms_median": round(statistics.median(s["cpu"]), 1), "cpu_ms_mean": round(statistics.mean(s["cpu"]), 1),
                  "statements_median": statistics.median(s["sql"]), "n": len(s["cpu"])} for kind, s in stats.items()}
    if args.profile:
        stats_ = pstats.Stats(profiler).sort_stats(args.sort)
        stats_.print_stats(args.top)
        if args.callees:
            stats_.print_callees(args.callees)
    print(json.dumps({"database": url.split(":")[0], "learners": args.learners, **out}))


if __name__ == "__main__":
    main()
