"""Live-class load: a python-socketio client swarm against elearn's /live namespace and a bare Flask-SocketIO app.

    .venv/bin/python -m bench.live_swarm [--learners 2000] [--ramp 60] [--minutes 2] [--chatters 20]
        [--targets one,two,bare] [--client-procs 2] [--out live_swarm.json]

The issue's scenario: N learners connect to one session within the ramp; then for the given minutes the lecturer
sends 1 message a second and `chatters` learners send one message each 10 s. Reported per target: connect
failures, delivery latency p50/p95/p99/max (send -> receive, same machine clock), messages lost (expected minus
received, summed over clients), the delivery rate, server CPU (share of one core) and memory (RSS), the CPU of
the PostgreSQL backends of the bench database, the load generator's CPU and how busy the machine was.
Targets, one run each: elearn with one gunicorn (gevent) process, elearn with two processes behind Redis
(clients split between them), and the bare app. The swarm runs in `--client-procs` processes (one asyncio
process becomes the bottleneck near 2,000 clients), all on one schedule. Needs PostgreSQL (BENCH_DATABASE_URL,
default database elearn_live_bench on 127.0.0.1) and, for the two-process run, Redis (BENCH_REDIS_URL). Writes
bench/results/<--out>.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
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
    """CPU seconds and peak RSS of the server processes (and their children) while the load runs, the CPU of the
    PostgreSQL backends serving the bench database, and how busy the whole machine was."""

    def __init__(self, procs):
        self.procs = [psutil.Process(p.pid) for p in procs]
        self.peak_rss = 0
        self.start_cpu = self._cpu()
        self.pg_start: dict[int, float] = {}
        self.pg_last: dict[int, float] = {}
        self._pg(first=True)
        psutil.cpu_percent(None)
        self.machine: list[float] = []
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

    def _pg(self, first: bool = False) -> None:
        """PostgreSQL backends of the bench database (their process title names it); new ones start from 0."""
        name = PG.rsplit("/", 1)[-1]
        for p in psutil.process_iter(["name", "cmdline"]):
            try:
                if p.info["name"] != "postgres" or name not in " ".join(p.info["cmdline"] or ()):
                    continue
                t = p.cpu_times()
                used = t.user + t.system
            except psutil.Error:
                continue
            if p.pid not in self.pg_start:
                self.pg_start[p.pid] = used if first else 0.0
            self.pg_last[p.pid] = used

    def sample(self) -> None:
        rss = 0
        for p in self._all():
            try:
                rss += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        self.peak_rss = max(self.peak_rss, rss)
        self._pg()
        self.machine.append(psutil.cpu_percent(None))

    def result(self) -> dict:
        elapsed = time.monotonic() - self.start
        pg = sum(self.pg_last[pid] - self.pg_start[pid] for pid in self.pg_last)
        return {"cpu_share_of_one_core": round((self._cpu() - self.start_cpu) / elapsed, 3),
                "peak_rss_mb": round(self.peak_rss / 2**20, 1),
                "postgres_cpu_share_of_one_core": round(pg / elapsed, 3),
                "machine_cpu_busy_percent": round(statistics.fmean(self.machine), 1) if self.machine else None,
                "machine_cpus": psutil.cpu_count()}


async def swarm_part(part: int, parts: int, urls: list[str], session_id: int, tokens: list[str], learners: int,
                     ramp: float, minutes: float, chatters: int, t0: float, barrier) -> dict:
    """One client process: the learners i with i % parts == part (index 0, the lecturer, is in part 0), connected
    on the common schedule (client i at t0 + i * ramp / (learners + 1)); then, once every part is connected, the
    chat minutes; returns what this part sent and received."""
    cpu0 = time.process_time()
    mine = [i for i in range(learners + 1) if i % parts == part]
    latencies: list[float] = []
    received = dict.fromkeys(mine, 0)
    clients: dict = {}
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
            with contextlib.suppress(Exception):
                await sio.disconnect()

    step = ramp / (learners + 1)
    tasks = []
    for i in mine:
        await asyncio.sleep(max(0.0, t0 + i * step - time.time()))
        tasks.append(asyncio.create_task(connect(i)))
    await asyncio.gather(*tasks)
    connect_seconds = time.time() - t0
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, barrier.wait, 600)  # every part connected: the class starts
    sent = refused = 0
    share = chatters // parts + (1 if part < chatters % parts else 0)
    chatter_ids = [i for i in mine if i != 0 and i in clients][:share]
    order = {index: part + n * parts for n, index in enumerate(chatter_ids)}  # spread over the 10-s cycle
    end = time.monotonic() + minutes * 60
    tick = 0

    async def say(index: int, text: str) -> None:
        nonlocal sent, refused
        try:
            ack = await clients[index].call("chat", {"text": text}, namespace="/live", timeout=30)
            if ack.get("ok"):
                sent += 1
            else:
                refused += 1
        except Exception:  # noqa: BLE001
            refused += 1

    pending = []
    while time.monotonic() < end:
        tick += 1
        senders = [0] if 0 in clients else []
        senders += [c for c in chatter_ids if tick % 10 == order[c] % 10]
        pending += [asyncio.create_task(say(index, f"{time.time()}|{index}|{tick}")) for index in senders]
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() % 1.0)))
    await asyncio.gather(*pending)
    await asyncio.sleep(10)  # drain
    connected = list(clients)
    still = sum(1 for i in connected if clients[i].connected)
    for i in connected:
        with contextlib.suppress(Exception):
            await clients[i].disconnect()
    return {"failures": failures, "errors": errors, "connect_seconds": connect_seconds, "sent": sent,
            "refused": refused, "received": {i: received[i] for i in connected}, "still_connected": still,
            "latencies": latencies, "cpu_seconds": time.process_time() - cpu0}


def _part_main(part, parts, urls, session_id, tokens, args, t0, barrier, queue) -> None:
    try:
        queue.put((part, asyncio.run(swarm_part(part, parts, urls, session_id, tokens, args.learners, args.ramp,
                                                args.minutes, args.chatters, t0, barrier))))
    except BaseException as exc:  # noqa: BLE001  (reported by the parent)
        barrier.abort()
        queue.put((part, {"crash": repr(exc)}))


def swarm(urls: list[str], session_id: int, tokens: list[str], args, usage: Usage) -> dict:
    """Run the client processes; sample the servers every second meanwhile; merge what the parts saw."""
    parts = max(1, args.client_procs)
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(parts)
    queue = ctx.Queue()
    t0 = time.time() + 2
    procs = [ctx.Process(target=_part_main, args=(k, parts, urls, session_id, tokens, args, t0, barrier, queue))
             for k in range(parts)]
    for proc in procs:
        proc.start()
    results: dict[int, dict] = {}
    started = time.monotonic()
    while len(results) < parts:
        usage.sample()
        with contextlib.suppress(Exception):
            while True:
                part, got = queue.get(timeout=1)
                results[part] = got
        if time.monotonic() - started > 3600:
            raise RuntimeError("the swarm did not finish")
    for proc in procs:
        proc.join(timeout=30)
    elapsed = time.monotonic() - started
    crashed = [r["crash"] for r in results.values() if "crash" in r]
    if crashed:
        raise RuntimeError(crashed)
    sent = sum(r["sent"] for r in results.values())
    received = {i: n for r in results.values() for i, n in r["received"].items()}
    lat = sorted(x for r in results.values() for x in r["latencies"])
    errors: dict[str, int] = {}
    for r in results.values():
        for key, n in r["errors"].items():
            errors[key] = errors.get(key, 0) + n

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p * len(lat)))], 3) if lat else None
    lost_by_client = {i: max(0, sent - n) for i, n in received.items()}
    return {"learners": args.learners, "connect_failures": sum(r["failures"] for r in results.values()),
            "connect_errors": errors, "connect_seconds": round(max(r["connect_seconds"] for r in results.values()), 1),
            "messages_sent": sent, "sends_refused": sum(r["refused"] for r in results.values()),
            "deliveries": len(lat), "expected_deliveries": sent * len(received), "lost": sum(lost_by_client.values()),
            "clients_missing_messages": sum(1 for n in lost_by_client.values() if n),
            "clients_still_connected_at_end": sum(r["still_connected"] for r in results.values()),
            "latency_p50_s": pct(0.5), "latency_p95_s": pct(0.95), "latency_p99_s": pct(0.99),
            "latency_max_s": round(lat[-1], 3) if lat else None,
            "mean_latency_s": round(statistics.fmean(lat), 3) if lat else None,
            "delivery_rate_per_s": round(len(lat) / (args.minutes * 60), 1),
            "client_procs": parts,
            "load_generator_cpu_share_of_one_core": round(sum(r["cpu_seconds"] for r in results.values()) / elapsed, 3)}


def run_target(name: str, app: str, ports: list[int], extra: dict, session_id: int, tokens: list[str],
               args) -> dict:
    procs = [start_server(app, port, extra) for port in ports]
    usage = Usage(procs)
    try:
        result = swarm([f"http://127.0.0.1:{p}" for p in ports], session_id, tokens, args, usage)
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
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--ramp", type=float, default=60)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--chatters", type=int, default=20)
    parser.add_argument("--targets", default="one,two,bare")
    parser.add_argument("--client-procs", type=int, default=2, help="client processes of the swarm")
    parser.add_argument("--out", default="live_swarm.json", help="file name under bench/results/")
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
    out = ROOT / "bench" / "results" / args.out
    out.write_text(json.dumps({"args": vars(args), "at": time.strftime("%Y-%m-%d %H:%M"), "results": results},
                              ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
