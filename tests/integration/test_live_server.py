"""A real server and real python-socketio clients: one on WebSocket, one on long-polling only (as behind a proxy
that blocks WebSocket). Chat crosses between them; a client that drops and reconnects gets what it missed."""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import aiohttp
import pytest
import socketio

from tests import services
from tests.integration.test_serve import _free_port

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import json
from elearn import create_app
from elearn.extensions import db
from tests.factories import Factory
from tests.live_factories import make_live
app = create_app()
with app.app_context():
    setup = make_live(Factory())
    print(json.dumps({"session": setup.session.id, "lecturer": setup.lecturer.username,
                      "learner": setup.learner.username}))
"""


def _run(scenario) -> None:
    """asyncio.run in a thread of its own: an earlier browser test (Playwright's sync API) may have left an
    event loop running in this one."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as exc:  # noqa: BLE001  (re-raised in the test's thread)
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _prepare(tmp) -> tuple[dict, dict]:
    env = {**os.environ, "ELEARN_CONFIG": "development", "ELEARN_INSTANCE_DIR": str(tmp),
           "DATABASE_URL": f"sqlite:///{tmp}/elearn.db"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    made = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True,
                          timeout=120)
    return env, json.loads(made.stdout.strip().splitlines()[-1])


def _serve(env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env={**env, "PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5).read()
            return proc, base
        except OSError:
            if time.monotonic() > deadline:
                proc.terminate()
                raise AssertionError("the server did not start") from None
            time.sleep(0.3)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env, ids = _prepare(tmp_path_factory.mktemp("live-server"))
    proc, base = _serve(env)
    yield base, ids
    proc.terminate()
    proc.wait(timeout=10)


async def _cookie(base: str, username: str) -> str:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:  # an IP address host
        async with http.get(f"{base}/login") as page:
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', await page.text()).group(1)
        async with http.post(f"{base}/login", data={"username": username, "password": "Mat-khau-2025!",
                                                    "csrf_token": token}, allow_redirects=False) as response:
            assert response.status == 302
        return "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)


async def _client(base, cookie, transports, origin=None):
    sio = socketio.AsyncClient(reconnection=False)
    inbox: list = []
    sio.on("ev", lambda ev: inbox.append(ev), namespace="/live")
    headers = {"Cookie": cookie} if cookie else {}
    if origin:
        headers["Origin"] = origin
    await sio.connect(base, headers=headers, namespaces=["/live"], transports=transports, wait_timeout=10)
    return sio, inbox


def test_websocket_and_long_polling_clients_share_the_room_and_catch_up(server):
    base, ids = server

    async def scenario():
        lecturer, lecturer_inbox = await _client(base, await _cookie(base, ids["lecturer"]), ["websocket"])
        learner_cookie = await _cookie(base, ids["learner"])
        learner, learner_inbox = await _client(base, learner_cookie, ["polling"], origin=base)
        assert learner.transport() == "polling" and lecturer.transport() == "websocket"
        for sio in (lecturer, learner):
            ack = await sio.call("join", {"session_id": ids["session"]}, namespace="/live", timeout=10)
            assert ack["ok"], ack
        ack = await learner.call("chat", {"text": "Xin chào từ xã vùng cao", "cid": "p-1"}, namespace="/live")
        assert ack["ok"]
        ack = await lecturer.call("chat", {"text": "Chào đồng chí", "cid": "w-1"}, namespace="/live")
        for _ in range(50):
            if lecturer_inbox and learner_inbox:
                break
            await asyncio.sleep(0.1)
        assert "Xin chào từ xã vùng cao" in [e["data"]["text"] for e in lecturer_inbox]
        assert "Chào đồng chí" in [e["data"]["text"] for e in learner_inbox]
        last_seq = max(e["seq"] for e in learner_inbox)
        await learner.disconnect()  # the link drops
        for i in range(5):
            await lecturer.call("chat", {"text": f"khi vắng {i}", "cid": f"w-gap-{i}"}, namespace="/live")
        back, _ = await _client(base, learner_cookie, ["polling"])
        ack = await back.call("join", {"session_id": ids["session"], "last_seq": last_seq}, namespace="/live")
        assert [e["data"]["text"] for e in ack["missed"]] == [f"khi vắng {i}" for i in range(5)]
        await back.disconnect()
        await lecturer.disconnect()

    _run(scenario)


def test_real_server_refuses_anonymous_and_foreign_origin(server):
    base, ids = server

    async def scenario():
        with pytest.raises(socketio.exceptions.ConnectionError):
            await _client(base, None, ["polling"])
        cookie = await _cookie(base, ids["learner"])
        for transports in (["polling"], ["websocket"]):
            with pytest.raises(socketio.exceptions.ConnectionError):
                await _client(base, cookie, transports, origin="https://evil.example")

    _run(scenario)


def test_two_server_processes_share_a_room_through_redis(tmp_path):
    """Scale-out: with the Redis message queue, a line sent to one process reaches a client of the other."""
    redis_url = services.require_redis()
    env, ids = _prepare(tmp_path)
    # A channel of its own: another test run (the other database pass) may share this Redis server.
    env = {**env, "SOCKETIO_MESSAGE_QUEUE": redis_url, "SOCKETIO_CHANNEL": f"elearn-test-{uuid.uuid4().hex}"}
    first, first_base = _serve(env)
    second, second_base = _serve(env)
    try:
        async def scenario():
            lecturer, lecturer_inbox = await _client(first_base, await _cookie(first_base, ids["lecturer"]),
                                                     ["websocket"])
            learner, learner_inbox = await _client(second_base, await _cookie(second_base, ids["learner"]),
                                                   ["polling"])
            for sio in (lecturer, learner):
                assert (await sio.call("join", {"session_id": ids["session"]}, namespace="/live", timeout=10))["ok"]
            await learner.call("chat", {"text": "Từ máy chủ thứ hai"}, namespace="/live")
            await lecturer.call("chat", {"text": "Từ máy chủ thứ nhất"}, namespace="/live")
            for _ in range(100):
                if lecturer_inbox and learner_inbox:
                    break
                await asyncio.sleep(0.1)
            assert "Từ máy chủ thứ hai" in [e["data"]["text"] for e in lecturer_inbox]
            assert "Từ máy chủ thứ nhất" in [e["data"]["text"] for e in learner_inbox]
            await learner.disconnect()
            await lecturer.disconnect()

        _run(scenario)
    finally:
        for proc in (first, second):
            proc.terminate()
            proc.wait(timeout=10)


WITHDRAW = """
import sys
from elearn import create_app
from elearn.accounts.models import User
from elearn.courses import services as course_services
from elearn.extensions import db
from elearn.live.models import LiveSession
app = create_app()
with app.app_context(), app.test_request_context():
    session = db.session.get(LiveSession, int(sys.argv[1]))
    learner = db.session.scalar(db.select(User).where(User.username == sys.argv[2]))
    lecturer = db.session.scalar(db.select(User).where(User.username == sys.argv[3]))
    course_services.unenrol(lecturer, course_services.enrolment_of(learner.id, session.course_id))
"""


def test_a_withdrawal_in_another_process_removes_the_idle_learner_at_once(tmp_path):
    """Removal at once across processes: the learner sits idle on server two; the withdrawal happens in a third
    process (another worker); through Redis the learner gets `removed` and is disconnected, no heartbeat needed."""
    redis_url = services.require_redis()
    env, ids = _prepare(tmp_path)
    # A channel of its own: another test run (the other database pass) may share this Redis server.
    env = {**env, "SOCKETIO_MESSAGE_QUEUE": redis_url, "SOCKETIO_CHANNEL": f"elearn-test-{uuid.uuid4().hex}"}
    first, first_base = _serve(env)
    second, second_base = _serve(env)
    try:
        async def scenario():
            lecturer, _inbox = await _client(first_base, await _cookie(first_base, ids["lecturer"]), ["websocket"])
            learner, _inbox = await _client(second_base, await _cookie(second_base, ids["learner"]), ["websocket"])
            removed: list = []
            learner.on("removed", lambda data: removed.append(data), namespace="/live")
            gone: list = []
            lecturer.on("state", lambda st: gone.append(st) if st.get("kind") == "presence" and
                        st["data"].get("left") else None, namespace="/live")  # a digest naming who left
            for sio in (lecturer, learner):
                assert (await sio.call("join", {"session_id": ids["session"]}, namespace="/live", timeout=10))["ok"]
            done = await asyncio.create_subprocess_exec(sys.executable, "-c", WITHDRAW, str(ids["session"]),
                                                        ids["learner"], ids["lecturer"], cwd=ROOT, env=env)
            assert await asyncio.wait_for(done.wait(), 120) == 0
            for _ in range(100):
                if removed and not learner.connected and gone:
                    break
                await asyncio.sleep(0.1)
            assert removed == [{"reason": "forbidden"}]
            assert not learner.connected
            assert gone and gone[0]["data"]["count"] == 1 and len(gone[0]["data"]["left"]) == 1
            await lecturer.disconnect()

        _run(scenario)
    finally:
        for proc in (first, second):
            proc.terminate()
            proc.wait(timeout=10)
