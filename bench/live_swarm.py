"""Live-class load: a python-socketio client swarm against elearn's /live namespace and a bare Flask-SocketIO app.

    .venv/bin/python -m bench.live_swarm [--learners 2000] [--ramp 60] [--minutes 2] [--chatters 20]

The issue's scenario: N learners connect to one session within the ramp; then for the given minutes the lecturer
sends 1 message a second and `chatters` learners send one message each 10 s. Reported per target: connect
failures, delivery latency p50/p95/max (send -> receive, same machine clock), messages lost (expected minus
received, summed over clients), the delivery rate, and server CPU (share of one core) and memory (RSS).
Targets, one run each: elearn with one gunicorn (gevent) process, elearn with two processes behind Redis
(clients split between them), and the bare app. Needs PostgreSQL (BENCH_DATABASE_URL, default database
elearn_live_bench on 127.0.0.1) and, for the two-process run, Redis (BENCH_REDIS_URL). Writes
bench/results/live_swarm.json.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import socketio

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/elearn_live_bench")
INSTANCE = Path(tempfile.gettempdir()) / "elearn-live-bench"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

SETUP = """
import json, sys
from datetime import timedelta
from sqlalchemy import text
from elearn import create_app
from elearn.extensions import db
from elearn.accounts.models import User
from elearn.accounts import services as accounts
from elearn.core import clock, tokens
from elearn.accounts.models import ApiToken
from elearn.courses import services as courses
from elearn.courses.models import Enrolment
from elearn.live import services as live
n = int(sys.argv[1])
app = create_app()
with app.app_context():
    from flask_migrate import upgrade
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade()
    lecturer = User(username="gv.bench", active=True); lecturer.set_full_name("Giảng Viên Đo Tải")
    lecturer.set_roles({"lecturer"}); db.session.add(lecturer); db.session.commit()
    course = courses.create_course(lecturer, courses.CourseData(code="BENCH-LIVE", title="Lớp đo tải"))
    section = courses.add_section(lecturer, course, "Phần 1")
    courses.add_lesson(lecturer, section, courses.LessonData(title="Bài", kind="page", body="<p>x</p>"))
    courses.set_state(lecturer, course, "published")
    start = clock.now() - timedelta(minutes=5)
    session = live.create_session(lecturer, course, section, live.SessionData(
        title="Buổi đo tải", starts_at=start, ends_at=start + timedelta(hours=3)))
    secrets = []
    users = []
    for i in range(n + 1):
        user = lecturer if i == 0 else User(username=f"hv.bench{i}", active=True)
        if i:
            user.set_full_name(f"Học Viên {i}"); user.set_roles({"learner"}); users.append(user)
            db.session.add(user)
    db.session.flush()
    for user in [lecturer] + users:
        secret = tokens.new_token("elt_")
        db.session.add(ApiToken(user_id=user.id, name="bench", prefix=secret[:10], token_hash=tokens.digest(secret)))
        if user is not lecturer:
            db.session.add(Enrolment(course_id=course.id, user_id=user.id, method="manual"))
        secrets.append(secret)
    db.session.commit()
    print(json.dumps({"session": session.id, "tokens": secrets}))
"""


def _env(extra: dict) -> dict:
    return {**os.environ, "ELEARN_CONFIG": "development", "DATABASE_URL": PG, "ELEARN_INSTANCE_DIR": str(INSTANCE),
            **extra}


def start_server(app: str, port: int, extra: dict) -> subprocess.Popen:
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "-k", "gevent", "-w", "1", "--worker-connections", "5000",
           "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(extra), stdout=subprocess.DEVNULL,  # noqa: S603  (our own command)
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"{app} did not start on {port}")


class Usage:
    """CPU seconds and peak RSS of the server processes (and their children) while the load runs."""

    def __init__(self, procs):
        self.procs = [psutil.Process(p.pid) for p in procs]
        self.peak_rss = 0
        self.start_cpu = self._cpu()
        self.start = time.monotonic()

    def _all(self):
        found = []
        for p in self.procs:
            try:
                found += [p, *p.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        return found

    def _cpu(self) -> float:
        total = 0.0
        for p in self._all():
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total

    def sample(self) -> None:
        rss = 0
        for p in self._all():
            try:
                rss += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        self.peak_rss = max(self.peak_rss, rss)

    def result(self) -> dict:
        elapsed = time.monotonic() - self.start
        return {"cpu_share_of_one_core": round((self._cpu() - self.start_cpu) / elapsed, 3),
                "peak_rss_mb": round(self.peak_rss / 2**20, 1)}


async def swarm(urls: list[str], session_id: int, tokens: list[str], learners: int, ramp: float, minutes: float,
                chatters: int) -> dict:
    latencies: list[float] = []
    received = [0] * (learners + 1)
    clients: list = [None] * (learners + 1)
    failures = 0
    errors: dict[str, int] = {}

    def on_ev(index):
        def handler(ev):
            text = ev.get("data", {}).get("text", "")
            if "|" in text:
                received[index] += 1
                latencies.append(time.time() - float(text.split("|", 1)[0]))
        return handler

    async def connect(index: int) -> None:
        nonlocal failures
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("ev", on_ev(index), namespace="/live")
        try:
            await sio.connect(urls[index % len(urls)], auth={"token": tokens[index]}, namespaces=["/live"],
                              transports=["websocket"], wait_timeout=30)
            ack = await sio.call("join", {"session_id": session_id}, namespace="/live", timeout=60)
            if not ack.get("ok"):
                raise RuntimeError(ack)
            clients[index] = sio
        except Exception as exc:  # noqa: BLE001  (counted, reported)
            failures += 1
            key = f"{type(exc).__name__}: {exc}"[:120]
            errors[key] = errors.get(key, 0) + 1

    started = time.monotonic()
    tasks = []
    for i in range(learners + 1):  # index 0: the lecturer
        tasks.append(asyncio.create_task(connect(i)))
        await asyncio.sleep(ramp / (learners + 1))
    await asyncio.gather(*tasks)
    connect_seconds = time.monotonic() - started
    sent = 0
    chatter_ids = [i for i in range(1, learners + 1) if clients[i] is not None][:chatters]
    end = time.monotonic() + minutes * 60
    tick = 0
    refused = 0
    while time.monotonic() < end:
        tick += 1
        senders = [0] if clients[0] else []
        senders += [c for n, c in enumerate(chatter_ids) if tick % 10 == n % 10]
        for index in senders:
            try:
                ack = await clients[index].call("chat", {"text": f"{time.time()}|{index}|{tick}"}, namespace="/live",
                                                timeout=30)
                if ack.get("ok"):
                    sent += 1
                else:
                    refused += 1
            except Exception:  # noqa: BLE001
                refused += 1
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() % 1.0)))
    await asyncio.sleep(10)  # drain
    connected = [i for i in range(learners + 1) if clients[i] is not None]
    lost = sum(max(0, sent - received[i]) for i in connected)
    for i in connected:
        with contextlib.suppress(Exception):
            await clients[i].disconnect()
    lat = sorted(latencies)

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p * len(lat)))], 3) if lat else None
    return {"learners": learners, "connect_failures": failures, "connect_errors": errors,
            "connect_seconds": round(connect_seconds, 1),
            "messages_sent": sent, "sends_refused": refused, "deliveries": len(lat),
            "expected_deliveries": sent * len(connected), "lost": lost,
            "latency_p50_s": pct(0.5), "latency_p95_s": pct(0.95), "latency_max_s": round(lat[-1], 3) if lat else None,
            "mean_latency_s": round(statistics.fmean(lat), 3) if lat else None}


def run_target(name: str, app: str, ports: list[int], extra: dict, session_id: int, tokens: list[str],
               args) -> dict:
    procs = [start_server(app, port, extra) for port in ports]
    usage = Usage(procs)
    try:
        async def with_sampling():
            async def sampler():
                while True:
                    usage.sample()
                    await asyncio.sleep(1)
            task = asyncio.create_task(sampler())
            try:
                return await swarm([f"http://127.0.0.1:{p}" for p in ports], session_id, tokens, args.learners,
                                   args.ramp, args.minutes, args.chatters)
            finally:
                task.cancel()
        result = asyncio.run(with_sampling())
        result.update(usage.result())  # before the servers stop
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=40)  # gunicorn waits for open connections up to its graceful timeout
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    result["target"] = name
    print(json.dumps(result, ensure_ascii=False))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--ramp", type=float, default=60)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--chatters", type=int, default=20)
    parser.add_argument("--targets", default="one,two,bare")
    args = parser.parse_args()
    made = subprocess.run([sys.executable, "-c", SETUP, str(args.learners)], cwd=ROOT, env=_env({}),  # noqa: S603
                          check=True,
                          capture_output=True, text=True)
    data = json.loads(made.stdout.strip().splitlines()[-1])
    results = []
    targets = args.targets.split(",")
    if "one" in targets:
        results.append(run_target("elearn, 1 process", "wsgi:app", [5201], {}, data["session"], data["tokens"], args))
    if "two" in targets:
        results.append(run_target("elearn, 2 processes + Redis", "wsgi:app", [5202, 5203],
                                  {"SOCKETIO_MESSAGE_QUEUE": REDIS}, data["session"], data["tokens"], args))
    if "bare" in targets:
        results.append(run_target("bare Flask-SocketIO, 1 process", "bench.live_bare:app", [5204], {}, 1,
                                  data["tokens"], args))
    out = ROOT / "bench" / "results" / "live_swarm.json"
    out.write_text(json.dumps({"args": vars(args), "at": time.strftime("%Y-%m-%d %H:%M"), "results": results},
                              ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
