"""Load test of a province-wide exam: N learners start the same 20-question quiz, save answers, all submit.

    .venv/bin/python -m bench.quiz_load                              # 5,000 learners (the issue's scenario)
    .venv/bin/python -m bench.quiz_load --learners 200 --hold 30     # a short smoke run

What it does, on this machine's production topology (gunicorn + PostgreSQL + Redis):
1. (Re)creates its own PostgreSQL database (default elearn_bench), migrates it to head, seeds N learners with
   API tokens, a course, 20 questions and two quizzes (bench/quiz_seed.py), and the bare endpoint's tables.
2. Starts the application under gunicorn (gevent worker by default, production profile, Redis for rate
   limits and the Socket.IO queue on its own Redis database number, flushed first).
3. The exam: every learner starts the quiz at a random moment within --ramp seconds (POST start), then saves an
   answer every --interval seconds on average (exponential gaps, so about N / interval saves per second), until
   --ramp + --hold seconds; then all submit within --submit-window seconds. Timings are measured per request
   from the moment it is sent; every non-2xx answer, timeout or connection error counts as an error.
4. Lost answers: for every acknowledged save, the database must hold that answer (or a later one of the same
   learner) once the run is over.
5. Saturation: a closed loop of --sat-clients clients saving as fast as they can, for --sat-seconds, first
   against the real save endpoint (fresh attempts of the second quiz), then against a bare Flask + SQLAlchemy
   endpoint (bench/bare_app.py: one indexed read + one upsert) under the same gunicorn settings. Driven by wrk
   (bench/wrk_driver.py; `apt-get install wrk`) when it is installed: the Python client cannot saturate a fast
   endpoint on two shared cores.
Server CPU and memory are sampled every second from /proc through psutil: the gunicorn processes, and all
PostgreSQL backends; the load generator's own CPU is reported too (it shares the two cores).
Figures go to stdout and bench/results/quiz_load.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil

from bench import quiz_api, wrk_driver

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "quiz_load.json"
PG = "postgresql://postgres@127.0.0.1:5432"
PY = sys.executable


# ---- measurements ------------------------------------------------------------------------------------

@dataclass
class Series:
    times: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def ok(self, seconds: float) -> None:
        self.times.append(seconds)

    def fail(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def summary(self) -> dict:
        t = sorted(self.times)

        def pct(p: float) -> float | None:
            return round(1000 * t[min(len(t) - 1, int(p * len(t)))], 1) if t else None

        return {"count": len(t), "errors": self.errors, "error_kinds": self.error_kinds, "p50_ms": pct(0.5),
                "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": round(1000 * t[-1], 1) if t else None}


class Sampler(threading.Thread):
    """CPU (% of one core, summed over processes) and resident memory of gunicorn and PostgreSQL, every second."""

    def __init__(self):
        super().__init__(daemon=True)
        self.roots: list[int] = []
        self.samples: list[dict] = []
        self.phase = ""
        self._stop = threading.Event()
        self._last: dict[int, float] = {}

    def _procs(self) -> tuple[list[psutil.Process], list[psutil.Process]]:
        app = []
        for pid in list(self.roots):
            try:
                root = psutil.Process(pid)
                app.extend([root, *root.children(recursive=True)])
            except psutil.NoSuchProcess:
                continue
        db = [p for p in psutil.process_iter(["name"]) if p.info["name"] and p.info["name"].startswith("postgres")]
        return app, db

    def _cpu(self, procs, dt: float) -> float:
        total = 0.0
        for p in procs:
            try:
                t = p.cpu_times()
                used = t.user + t.system
            except psutil.Error:
                continue
            before = self._last.get(p.pid)
            self._last[p.pid] = used
            if before is not None:
                total += (used - before) / dt * 100
        return total

    @staticmethod
    def _rss(procs) -> float:
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20

    def run(self) -> None:
        me = psutil.Process()
        last = time.monotonic()
        while not self._stop.wait(1.0):
            now = time.monotonic()
            dt, last = now - last, now
            app, db = self._procs()
            row = {"phase": self.phase, "app_cpu": self._cpu(app, dt), "app_rss_mb": self._rss(app),
                   "db_cpu": self._cpu(db, dt), "db_rss_mb": self._rss(db), "client_cpu": self._cpu([me], dt),
                   "machine_cpu": psutil.cpu_percent() * (psutil.cpu_count() or 1)}
            # whatever else runs on the machine (other work sharing the cores skews every figure)
            row["other_cpu"] = max(0.0, row["machine_cpu"] - row["app_cpu"] - row["db_cpu"] - row["client_cpu"])
            self.samples.append(row)

    def stop(self) -> None:
        self._stop.set()

    def summary(self, phase: str) -> dict:
        rows = [s for s in self.samples[1:] if s["phase"] == phase]
        if not rows:
            return {}
        out = {}
        for key in ("app_cpu", "db_cpu", "client_cpu", "other_cpu", "machine_cpu", "app_rss_mb", "db_rss_mb"):
            values = [r[key] for r in rows]
            out[key] = {"mean": round(statistics.fmean(values), 1), "max": round(max(values), 1)}
        return out


# ---- set-up ------------------------------------------------------------------------------------------

def _env(db_url: str, redis_db: int, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({"ELEARN_CONFIG": "production", "DATABASE_URL": db_url, "SECRET_KEY": "bench-only-secret",
                "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}", "API_RATE_LIMIT": "100000 per minute",
                "ELEARN_INSTANCE_DIR": str(Path(tempfile.gettempdir()) / "elearn_bench_instance")})
    env.update(extra or {})
    return env


def prepare_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def run_checked(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def flush_redis(redis_db: int) -> None:
    import redis

    redis.Redis.from_url(f"redis://127.0.0.1:6379/{redis_db}").flushdb()


def start_gunicorn(app: str, port: int, env: dict, args) -> subprocess.Popen:
    cmd = [str(Path(PY).parent / "gunicorn"), "-k", args.worker_class, "-w", str(args.workers), "-b",
           f"127.0.0.1:{port}", "--backlog", "4096", "--timeout", "120", "--keep-alive", "75",
           "--log-level", "warning"]
    if args.worker_class == "gevent":
        cmd += ["--worker-connections", str(args.worker_connections)]
    else:
        cmd += ["--threads", str(args.threads)]
    cmd.append(app)
    log = open(Path(tempfile.gettempdir()) / f"bench_gunicorn_{port}.log", "a")  # noqa: SIM115 - kept for the server
    log.write(f"==== {time.strftime('%H:%M:%S')} {app}\n")
    log.flush()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                            start_new_session=True)
    deadline = time.time() + 60
    import urllib.request

    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return proc
        except Exception as exc:  # noqa: BLE001 - not up yet (404 from the bare app also means up)
            if getattr(exc, "code", None):
                return proc
            time.sleep(0.5)
    stop(proc)
    raise SystemExit(f"gunicorn {app} did not start; see {log.name}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# ---- the exam ------------------------------------------------------------------------------------------

@dataclass
class Learner:
    token: str
    attempt_id: int | None = None
    slots: list[int] = field(default_factory=list)
    seq: int = 0
    acked: dict[int, tuple[int, int]] = field(default_factory=dict)  # slot -> (position, seq) last acknowledged


async def _request(session: aiohttp.ClientSession, method: str, url: str, token: str, body: dict | None,
                   series: Series, timeout: float) -> dict | None:
    started = time.perf_counter()
    try:
        async with session.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"},
                                   timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            data = await response.json(content_type=None)
            if response.status >= 300:
                series.fail(f"http {response.status}")
                return None
    except TimeoutError:
        series.fail("timeout")
        return None
    except aiohttp.ClientError as exc:
        series.fail(type(exc).__name__)
        return None
    except ValueError:
        series.fail("bad json")
        return None
    series.ok(time.perf_counter() - started)
    return data


async def learner_run(learner: Learner, base: str, quiz_id: int, session, t0: float, args, stats: dict) -> None:
    rng = random.Random(learner.token)  # noqa: S311 - load pattern, not secrecy
    await asyncio.sleep(max(0.0, t0 + rng.uniform(0, args.ramp) - time.monotonic()))
    body = await _request(session, "POST", base + quiz_api.start_path(quiz_id), learner.token, None, stats["start"],
                          args.timeout)
    if body is None:
        return
    started = quiz_api.parse_start(body)
    learner.attempt_id, learner.slots = started.attempt_id, started.slots
    end = t0 + args.ramp + args.hold
    while True:
        await asyncio.sleep(rng.expovariate(1 / args.interval))
        if time.monotonic() >= end:
            break
        slot = rng.choice(learner.slots)
        position = rng.randrange(quiz_api.CHOICES)
        learner.seq += 1
        seq = learner.seq
        body = await _request(session, "POST", base + quiz_api.save_path(learner.attempt_id), learner.token,
                              quiz_api.save_body(slot, position, seq), stats["save"], args.timeout)
        if body is not None and quiz_api.save_acknowledged(body, seq):
            learner.acked[slot] = (position, seq)
        elif body is not None:
            stats["save"].fail("not acknowledged")
    await asyncio.sleep(max(0.0, end + rng.uniform(0, args.submit_window) - time.monotonic()))
    await _request(session, "POST", base + quiz_api.submit_path(learner.attempt_id), learner.token, {},
                   stats["submit"], args.timeout)


async def exam(base: str, quiz_id: int, tokens: list[str], args) -> tuple[dict, list[Learner], float]:
    stats = {"start": Series(), "save": Series(), "submit": Series()}
    learners = [Learner(t) for t in tokens]
    connector = aiohttp.TCPConnector(limit=args.client_connections, ttl_dns_cache=3600)
    t0 = time.monotonic() + 1
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(learner_run(le, base, quiz_id, session, t0, args, stats) for le in learners))
    return stats, learners, time.monotonic() - t0


def check_lost(db_url: str, learners: list[Learner]) -> dict:
    """Every acknowledged save must be in the database: the same answer under the same sequence number, or a
    later save of that question (a request acknowledged after a later one was committed is not a loss)."""
    import psycopg

    wanted = {(le.attempt_id, slot): (pos, seq) for le in learners if le.attempt_id for slot, (pos, seq) in le.acked.items()}
    acked_saves = len(wanted)
    lost = []
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT attempt_id, slot, response, seq, choice_order FROM quiz_attempt_answer "
                            "WHERE attempt_id = ANY(%s)", ([le.attempt_id for le in learners if le.attempt_id],)).fetchall()
        states = dict(conn.execute("SELECT state, count(*) FROM quiz_attempt WHERE id = ANY(%s) GROUP BY state",
                                   ([le.attempt_id for le in learners if le.attempt_id],)).fetchall())
    stored = {(a, s): (r, q, o) for a, s, r, q, o in rows}
    for key, (position, seq) in wanted.items():
        response, stored_seq, order = stored.get(key, (None, 0, []))
        if stored_seq > seq:
            continue
        if stored_seq < seq or response != order[position]:
            lost.append({"attempt": key[0], "slot": key[1], "seq": seq, "stored_seq": stored_seq})
    return {"acknowledged_answers_checked": acked_saves, "lost": len(lost), "lost_examples": lost[:10],
            "attempt_states": states}


# ---- saturation -----------------------------------------------------------------------------------------

async def saturate(make_request, clients: int, seconds: float, warmup: float = 2.0) -> dict:
    series = Series()
    stop_at = time.monotonic() + warmup + seconds
    measure_from = time.monotonic() + warmup
    done = 0
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def client(i: int):
            nonlocal done
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                s = series if time.monotonic() >= measure_from else Series()
                before = len(s.times)
                await make_request(session, i, n, s)
                if s is series and len(s.times) > before:
                    done += 1
        await asyncio.gather(*(client(i) for i in range(clients)))
    out = series.summary()
    out["throughput_per_s"] = round(done / seconds, 1)
    return out


async def saturate_app(base: str, quiz_id: int, tokens: list[str], args) -> dict:
    attempts = []
    connector = aiohttp.TCPConnector(limit=50)
    async with aiohttp.ClientSession(connector=connector) as session:
        sink = Series()
        bodies = await asyncio.gather(*(_request(session, "POST", base + quiz_api.start_path(quiz_id), t, None, sink, 120)
                                        for t in tokens))
    for token, body in zip(tokens, bodies, strict=True):
        if body is not None:
            attempts.append((token, quiz_api.parse_start(body)))
    if not attempts:
        return {"count": 0, "errors": sink.errors, "error_kinds": sink.error_kinds, "throughput_per_s": 0.0,
                "note": "no attempt could be started for the saturation run"}

    async def one(session, i: int, n: int, series: Series):
        token, started = attempts[i % len(attempts)]
        slot = started.slots[n % len(started.slots)]
        await _request(session, "POST", base + quiz_api.save_path(started.attempt_id), token,
                       quiz_api.save_body(slot, n % quiz_api.CHOICES, n), series, args.timeout)

    if args.sat_driver == "wrk":
        targets = [("Authorization", f"Bearer {token}", quiz_api.save_path(started.attempt_id))
                   for token, started in attempts]
        body = (f"'{{\"answers\": {{\"' .. ((n % {quiz_api.QUESTIONS}) + 1) .. '\": ' .. (n % {quiz_api.CHOICES}) .. "
                "'}, \"seq\": ' .. n .. '}'")
        return wrk_driver.saturate(base, targets, body, min(args.sat_clients, len(attempts)), args.sat_seconds,
                                   args.timeout)
    return await saturate(one, min(args.sat_clients, len(attempts)), args.sat_seconds)


async def saturate_bare(base: str, args) -> dict:
    async def one(session, i: int, n: int, series: Series):
        attempt = i + 1
        started = time.perf_counter()
        try:
            async with session.post(f"{base}/bare/attempts/{attempt}/answers", headers={"X-User": f"u{attempt}"},
                                    json={"slot": n % 20, "response": str(n % 4), "seq": n},
                                    timeout=aiohttp.ClientTimeout(total=args.timeout)) as response:
                await response.read()
                if response.status >= 300:
                    series.fail(f"http {response.status}")
                    return
        except (TimeoutError, aiohttp.ClientError) as exc:
            series.fail(type(exc).__name__)
            return
        series.ok(time.perf_counter() - started)

    if args.sat_driver == "wrk":
        targets = [("X-User", f"u{i}", f"/bare/attempts/{i}/answers") for i in range(1, args.sat_clients + 1)]
        body = (f"'{{\"slot\": ' .. (n % {quiz_api.QUESTIONS}) .. ', \"response\": \"' .. (n % {quiz_api.CHOICES}) .. "
                "'\", \"seq\": ' .. n .. '}'")
        return wrk_driver.saturate(base, targets, body, args.sat_clients, args.sat_seconds, args.timeout)
    return await saturate(one, args.sat_clients, args.sat_seconds)


# ---- main ------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--ramp", type=float, default=60, help="everyone starts within this many seconds")
    parser.add_argument("--hold", type=float, default=120, help="seconds of saving after the ramp")
    parser.add_argument("--interval", type=float, default=10, help="mean seconds between a learner's saves")
    parser.add_argument("--submit-window", type=float, default=60, help="everyone submits within this many seconds")
    parser.add_argument("--timeout", type=float, default=30, help="client timeout per request (s)")
    parser.add_argument("--client-connections", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gevent", choices=["gevent", "gthread"])
    parser.add_argument("--worker-connections", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=50, help="gthread only")
    parser.add_argument("--sat-clients", type=int, default=100)
    parser.add_argument("--sat-seconds", type=float, default=20)
    parser.add_argument("--sat-driver", choices=["auto", "wrk", "python"], default="auto",
                        help="who drives the saturation runs: wrk (C, a few %% of a core) when installed, else the "
                             "Python client (which cannot saturate a fast endpoint on two cores)")
    parser.add_argument("--skip-saturation", action="store_true")
    parser.add_argument("--database", default="elearn_bench")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--port", type=int, default=8741)
    parser.add_argument("--bare-port", type=int, default=8742)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    if args.sat_driver == "auto":
        args.sat_driver = "wrk" if wrk_driver.available() else "python"

    print(f"preparing database {args.database} ...", flush=True)
    db_url = prepare_database(args.database)
    env = _env(db_url, args.redis_db)
    flush_redis(args.redis_db)
    run_checked([str(Path(PY).parent / "flask"), "--app", "wsgi", "db", "upgrade"], env)
    seed_file = Path(tempfile.gettempdir()) / "elearn_bench_seed.json"
    sat_learners = min(args.sat_clients, args.learners)
    t = time.monotonic()
    run_checked([PY, "-m", "bench.quiz_seed", "--learners", str(args.learners + sat_learners), "--out", str(seed_file)],
                env)
    seed = json.loads(seed_file.read_text())
    exam_tokens, sat_tokens = seed["tokens"][:args.learners], seed["tokens"][args.learners:]
    print(f"seeded {len(seed['tokens'])} learners in {time.monotonic() - t:.0f} s", flush=True)
    from bench import bare_app

    bare_app.prepare(db_url.replace("postgresql://", "postgresql+psycopg://"), args.sat_clients)

    sampler = Sampler()
    sampler.start()
    result: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                                "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
                    "settings": {k: v for k, v in vars(args).items() if k != "out"}}
    app = start_gunicorn("wsgi:app", args.port, env, args)
    base = f"http://127.0.0.1:{args.port}"
    try:
        sampler.roots = [app.pid]
        print(f"exam: {args.learners} learners, ramp {args.ramp:.0f} s, hold {args.hold:.0f} s ...", flush=True)
        sampler.phase = "exam"
        stats, learners, elapsed = asyncio.run(exam(base, seed["quiz_id"], exam_tokens, args))
        sampler.phase = ""
        result["exam"] = {name: s.summary() for name, s in stats.items()}
        result["exam"]["seconds"] = round(elapsed, 1)
        result["exam"]["save_rate_per_s"] = round(len(stats["save"].times) / max(1.0, args.hold + args.ramp), 1)
        result["exam"]["resources"] = sampler.summary("exam")
    finally:
        sampler.phase = ""
        stop(app)  # requests the clients gave up on must not run into the next phase
    result["exam"]["answers"] = check_lost(db_url, learners)
    print(json.dumps(result["exam"], indent=1), flush=True)
    if not args.skip_saturation:
        flush_redis(args.redis_db)
        app = start_gunicorn("wsgi:app", args.port, env, args)
        try:
            sampler.roots = [app.pid]
            print("saturation: application save endpoint ...", flush=True)
            sampler.phase = "sat_app"
            result["saturation_app"] = asyncio.run(saturate_app(base, seed["saturation_quiz_id"], sat_tokens, args))
            result["saturation_app"]["resources"] = sampler.summary("sat_app")
        finally:
            sampler.phase = ""
            stop(app)
    if not args.skip_saturation:
        bare_env = dict(env, BARE_DATABASE_URL=db_url.replace("postgresql://", "postgresql+psycopg://"))
        bare = start_gunicorn("bench.bare_app:app", args.bare_port, bare_env, args)
        try:
            sampler.roots = [bare.pid]
            print("saturation: bare Flask + SQLAlchemy endpoint ...", flush=True)
            sampler.phase = "sat_bare"
            result["saturation_bare"] = asyncio.run(saturate_bare(f"http://127.0.0.1:{args.bare_port}", args))
            result["saturation_bare"]["resources"] = sampler.summary("sat_bare")
        finally:
            sampler.phase = ""
            stop(bare)
        app_tp = result["saturation_app"]["throughput_per_s"]
        bare_tp = result["saturation_bare"]["throughput_per_s"]
        result["save_share_of_bare"] = round(app_tp / bare_tp, 3) if bare_tp else None
        # the same per core-second of server CPU: fair when other work on the machine leaves the phases unequal CPU
        app_cpu = result["saturation_app"].get("resources", {}).get("app_cpu", {}).get("mean")
        bare_cpu = result["saturation_bare"].get("resources", {}).get("app_cpu", {}).get("mean")
        if app_cpu and bare_cpu and bare_tp:
            result["save_share_of_bare_per_cpu"] = round((app_tp / app_cpu) / (bare_tp / bare_cpu), 3)
    sampler.stop()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k.startswith(("saturation", "save_share"))}, indent=1))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
