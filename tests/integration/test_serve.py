"""What `make run` does, end to end: build the database, seed the demo, serve HTTP and Socket.IO."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_embedded_profile_serves_vietnamese_login_and_socketio(tmp_path):
    env = {**os.environ, "ELEARN_CONFIG": "development", "ELEARN_INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/elearn.db"}
    for step in (["db", "upgrade"], ["seed-demo"]):
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *step], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    assert "admin" in result.stdout and "quantri@2025" in result.stdout  # the demo logins are printed

    port = _free_port()
    server = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env={**env, "PORT": str(port)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert 'lang="vi"' in page and "Đăng nhập" in page
        with urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling", timeout=5) as response:
            assert response.status == 200
            assert b'"sid"' in response.read()
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
