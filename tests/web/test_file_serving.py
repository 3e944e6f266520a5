"""Serving stored files over HTTP (send_stored) and streaming a large upload through a real server.

Routes cannot be added to the session app, so a tiny Flask app sharing its instance folder serves the
files (the security headers registered on it as on the real app); permission checks belong to each
feature's own route and are not tested here.
"""
from __future__ import annotations

import hashlib
import http.client
import io
import threading
import time
import tracemalloc
from urllib.parse import quote

import pytest
from flask import Flask, request
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server

from elearn.core import security
from elearn.core.files import PDF_INLINE_CSP, SANDBOX_CSP, StoredFile, path_of, send_stored
from elearn.core.uploads import UploadError, save_upload
from elearn.extensions import db
from tests import file_samples as s

ALL_KINDS = {"document", "image", "video", "office", "archive"}


@pytest.fixture
def files(app):
    """files.add(data, name) stores a file (committed) and returns its URL on the serving app."""
    server = Flask("file_serving_test")
    server.config["INSTANCE_DIR"] = app.config["INSTANCE_DIR"]
    security.register(server)
    registry: dict[int, StoredFile] = {}

    @server.get("/files/<int:file_id>")
    def serve(file_id):
        return send_stored(registry[file_id], as_attachment=request.args.get("download") == "1")

    class Files:
        client = server.test_client()

        def add(self, data: bytes, name: str, kinds=ALL_KINDS) -> tuple[str, StoredFile]:
            stored = save_upload(FileStorage(stream=io.BytesIO(data), filename=name), allowed_kinds=kinds,
                                 owner=None)
            db.session.commit()
            db.session.refresh(stored)
            db.session.expunge(stored)  # keeps its loaded values; the serving app has no database
            registry[stored.id] = stored
            return f"/files/{stored.id}", stored

    return Files()


def test_pdf_is_served_inline_with_its_vietnamese_name(files):
    data = s.pdf(pad=5000)
    url, stored = files.add(data, "Nghị quyết 57-NQ-TW.pdf")
    response = files.client.get(url)
    assert response.status_code == 200
    assert response.data == data
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=UTF-8''" + quote("Nghị quyết 57-NQ-TW.pdf", safe="!#$&+-.^_`|~") in disposition
    assert response.headers["ETag"] == f'"{stored.sha256}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == PDF_INLINE_CSP
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"  # the lesson page may frame it
    cache = response.headers["Cache-Control"]
    assert "private" in cache and "public" not in cache and "max-age=3600" in cache


@pytest.mark.parametrize("data, name, content_type, inline", [
    (s.png(), "anh.png", "image/png", True),
    (s.mp4_header() + bytes(1000), "video.mp4", "video/mp4", True),
    (s.docx(), "Kế hoạch.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    (s.plain_zip(), "tai-lieu.zip", "application/zip", False),
])
def test_inline_only_for_pdf_images_and_video_and_always_sandboxed(files, data, name, content_type, inline):
    url, _ = files.add(data, name)
    response = files.client.get(url)
    assert response.status_code == 200
    assert response.mimetype == content_type
    assert response.headers["Content-Disposition"].startswith("inline;" if inline else "attachment;")
    assert response.headers["Content-Security-Policy"] == SANDBOX_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_as_attachment_forces_a_download(files):
    url, _ = files.add(s.pdf(), "a.pdf")
    response = files.client.get(url + "?download=1")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == SANDBOX_CSP


def test_download_name_has_the_detected_extension(files):
    url, _ = files.add(s.png(), "bao-cao.pdf")
    response = files.client.get(url + "?download=1")
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == "attachment; filename=bao-cao.png"


def test_range_from_the_start(files):
    data = s.pdf(pad=5000)
    url, _ = files.add(data, "a.pdf")
    response = files.client.get(url, headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response.data == data[:100]
    assert response.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert response.headers["Content-Length"] == "100"


def test_open_ended_range(files):
    data = s.mp4_header() + bytes(range(256)) * 40
    url, _ = files.add(data, "v.mp4")
    response = files.client.get(url, headers={"Range": "bytes=100-"})
    assert response.status_code == 206
    assert response.data == data[100:]
    assert response.headers["Content-Range"] == f"bytes 100-{len(data) - 1}/{len(data)}"


def test_unsatisfiable_range(files):
    data = s.pdf()
    url, _ = files.add(data, "a.pdf")
    response = files.client.get(url, headers={"Range": f"bytes={len(data) + 10}-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(data)}"


def test_if_none_match_gives_304(files):
    url, stored = files.add(s.pdf(), "a.pdf")
    response = files.client.get(url, headers={"If-None-Match": f'"{stored.sha256}"'})
    assert response.status_code == 304
    assert response.data == b""
    assert files.client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_real_apps_global_headers_keep_the_file_policy(app, files):
    """On the real app the global after_request hook must not replace the file response's CSP or caching."""
    _, stored = files.add(s.png(), "a.png")
    with app.test_request_context("/anything", headers={"Range": "bytes=0-9"}):
        response = app.process_response(send_stored(stored))
        response.direct_passthrough = False
        body = response.get_data()
    assert response.status_code == 206
    assert body == path_of(stored).read_bytes()[:10]
    assert response.headers["Content-Security-Policy"] == SANDBOX_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]


# --- a 200 MB upload through a real HTTP server ---------------------------------------------------------

BOUNDARY = "elearn-test-boundary-7f3a9c"
UPLOAD_SIZE = 200 * 1024 * 1024


@pytest.fixture
def upload_server(app, monkeypatch):
    """A real threaded HTTP server whose one route stores the uploaded video with save_upload."""
    monkeypatch.setitem(app.config["UPLOAD_LIMITS"], "video", 300 * 1024 * 1024)
    front = Flask("upload_test")
    front.config["MAX_CONTENT_LENGTH"] = 320 * 1024 * 1024
    results: dict = {}

    @front.post("/upload")
    def receive():
        with app.app_context():  # the elearn app: its database and instance folder
            try:
                stored = save_upload(request.files["file"], allowed_kinds={"video"}, owner=None)
                db.session.commit()
            except UploadError as err:
                return err.msgid, 400
            results["id"] = stored.id
            return str(stored.id)

    server = make_server("127.0.0.1", 0, front, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, results
    server.shutdown()
    thread.join(5)


@pytest.mark.slow
def test_a_200_mb_upload_streams_without_being_loaded_into_memory(app, upload_server):
    port, results = upload_server
    header = s.mp4_header()
    zeros = bytes(1024 * 1024)
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Bài giảng.mp4\"\r\n"
            f"Content-Type: video/mp4\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    digest = hashlib.sha256(header)
    rest = UPLOAD_SIZE - len(header)
    full, part = divmod(rest, len(zeros))
    for _ in range(full):
        digest.update(zeros)
    digest.update(zeros[:part])

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.putrequest("POST", "/upload")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
        conn.putheader("Content-Length", str(len(head) + UPLOAD_SIZE + len(tail)))
        conn.endheaders()
        conn.send(head + header)
        for _ in range(full):
            conn.send(zeros)
        conn.send(zeros[:part] + tail)
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert response.status == 200, body
    stored = db.session.get(StoredFile, results["id"])
    assert (stored.size, stored.kind, stored.content_type) == (UPLOAD_SIZE, "video", "video/mp4")
    assert stored.original_name == "Bài giảng.mp4"
    assert stored.sha256 == digest.hexdigest()
    assert path_of(stored).stat().st_size == UPLOAD_SIZE
    print(f"\n200 MB upload: {elapsed:.1f} s, peak traced memory {peak / 1024 / 1024:.1f} MB")
    assert peak < 40 * 1024 * 1024, f"peak traced memory {peak / 1024 / 1024:.1f} MB"
    path_of(stored).unlink()  # 200 MB is too much to leave in the test instance folder
