"""The import pages over HTTP: template, upload -> report -> confirm -> job page, CSRF, permissions."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from elearn.accounts import importer
from elearn.accounts.models import User, user_by_username
from elearn.core.jobs import Job
from elearn.extensions import db
from tests import import_files
from tests.conftest import csrf_token

JOB_URL = re.compile(r"/admin/import/jobs/(\d+)$")


@pytest.fixture
def setting(factory):
    province = factory.province()
    factory.unit("Xã Minh Quang", "commune", province, code="XA-MQ")
    admin = factory.admin(unit=province)
    return admin


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.username.like("canbo%")))


def _upload(client, data: bytes, filename: str, token: str | None = None):
    token = token if token is not None else csrf_token(client, "/admin/import")
    return client.post("/admin/import", data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_upload_report_confirm_and_job_page(client, login, setting, fmt):
    login(setting)
    rows = [import_files.person(i, "XA-MQ") for i in range(1, 13)]
    rows[3]["unit_code"] = "KHONG-CO"  # line 5
    rows[7]["ethnicity"] = "Kinh Tày"  # line 9
    response = _upload(client, import_files.encode(import_files.table(rows), fmt), f"Danh sách.{fmt}")
    assert response.status_code == 302
    check_id = int(JOB_URL.search(response.headers["Location"]).group(1))

    # The report: counts, every bad row with its line, a confirm form; nothing written yet.
    page = client.get(f"/admin/import/jobs/{check_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<strong data-count="new">10</strong>' in html and '<strong data-count="errors">2</strong>' in html
    table = html.split('id="import-errors"')[1]
    assert re.findall(r'<th scope="row">(\d+)</th>', table) == ["5", "9"]
    assert "KHONG-CO" in table and "Kinh Tày" in table
    assert f'action="/admin/import/jobs/{check_id}/confirm"' in html
    assert _people() == 0

    # Confirming needs the CSRF token.
    assert client.post(f"/admin/import/jobs/{check_id}/confirm").status_code == 400
    assert _people() == 0
    token = csrf_token(client, f"/admin/import/jobs/{check_id}")
    response = client.post(f"/admin/import/jobs/{check_id}/confirm", data={"csrf_token": token})
    assert response.status_code == 302
    import_id = int(JOB_URL.search(response.headers["Location"]).group(1))
    assert import_id != check_id
    assert _people() == 10
    assert user_by_username("canbo001").password_hash is None

    page = client.get(f"/admin/import/jobs/{import_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<strong data-count="new">10</strong>' in html
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing
    status = client.get(f"/admin/import/jobs/{import_id}/status").get_json()
    assert status["state"] == "done" and status["percent"] == 100 and status["counts"]["new"] == 10

    # A second confirm of the same report does not start another import.
    again = client.post(f"/admin/import/jobs/{check_id}/confirm", data={"csrf_token": token})
    assert again.headers["Location"].endswith(f"/admin/import/jobs/{import_id}")
    assert db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == importer.IMPORT_KIND)) == 1


def test_running_job_page_refreshes_itself_and_shows_progress(client, login, setting):
    login(setting)
    job = Job(kind=importer.IMPORT_KIND, created_by_id=setting.id, state="running", total=1000, done=250,
              params={"original_name": "ds.xlsx"}, result={})
    db.session.add(job)
    db.session.commit()
    html = client.get(f"/admin/import/jobs/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="job-progress" max="100" value="25"' in html
    assert "250" in html and "1000" in html
    status = client.get(f"/admin/import/jobs/{job.id}/status").get_json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == ("running", 250, 1000, 25)


def test_upload_without_csrf_is_refused(client, login, setting):
    login(setting)
    data = import_files.to_csv(import_files.table([import_files.person(1, "XA-MQ")]))
    response = client.post("/admin/import", data={"file": (io.BytesIO(data), "a.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


@pytest.mark.parametrize(("data", "filename"), [
    (b"username,full_name\n", "people.txt"),
    (b"PK\x03\x04", "people.xls"),
    (b"username,full_name,unit_code\n", "people.xlsx"),  # not really a workbook
    ("Tên đăng nhập".encode("utf-16"), "people.csv"),  # not UTF-8
    (b"", "people.csv"),
])
def test_wrong_files_are_refused_with_a_message(client, login, setting, data, filename):
    login(setting)
    response = _upload(client, data, filename)
    assert response.status_code == 200
    assert 'role="alert"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_too_large_file_is_refused(client, login, setting, app, monkeypatch):
    login(setting)
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1024)
    data = import_files.to_csv(import_files.table([import_files.person(i, "XA-MQ") for i in range(1, 15)]))
    assert len(data) > 1024
    response = _upload(client, data, "big.csv")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "1 KB" in html  # the limit is stated
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_file_level_error_is_shown_without_a_confirm_button(client, login, setting):
    login(setting)
    response = _upload(client, import_files.to_csv([["Tên đăng nhập", "Giới tính"], ["an", "Nam"]]), "a.csv")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="alert"' in html and "Mã đơn vị" in html
    assert "/confirm" not in html


@pytest.mark.parametrize(("fmt", "mime"), [("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")])
def test_template_download(client, login, setting, fmt, mime, tmp_path):
    login(setting)
    response = client.get(f"/admin/import/template?format={fmt}")
    assert response.status_code == 200
    assert response.mimetype.startswith(mime)
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / f"t.{fmt}"
    path.write_bytes(response.data)
    table = importer.read_table(path, fmt)
    assert table.headers[:4] == ["Tên đăng nhập", "Họ và tên", "E-mail", "Mã đơn vị"]
    assert len(table.rows) == 1 and table.rows[0][1][3] == "XA-MQ"  # a real unit code in the example
    assert client.get("/admin/import/template?format=xls").status_code == 404


def test_upload_page_documents_the_columns_and_passwords(client, login, setting):
    login(setting)
    response = client.get("/admin/import")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
    for column in importer.COLUMNS:
        assert column.header in html and f"<code>{column.code}</code>" in html
    assert "/admin/import/template?format=xlsx" in html


def test_non_admin_gets_403_everywhere(client, login, factory, setting):
    job = Job(kind=importer.CHECK_KIND, created_by_id=setting.id, state="done", result={}, params={})
    db.session.add(job)
    db.session.commit()
    learner = factory.user("hocvien1", unit=factory.province())
    login(learner)
    token = csrf_token(client, "/")
    assert client.get("/admin/import").status_code == 403
    assert client.get("/admin/import/template?format=csv").status_code == 403
    assert client.get(f"/admin/import/jobs/{job.id}").status_code == 403
    assert client.get(f"/admin/import/jobs/{job.id}/status").status_code == 403
    data = import_files.to_csv(import_files.table([import_files.person(1, "XA-MQ")]))
    response = client.post("/admin/import", data={"csrf_token": token, "file": (io.BytesIO(data), "a.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert client.post(f"/admin/import/jobs/{job.id}/confirm", data={"csrf_token": token}).status_code == 403
    assert _people() == 0


def test_anonymous_is_sent_to_login(client, setting):
    response = client.get("/admin/import")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_other_kinds_of_job_are_not_shown_here(client, login, setting):
    login(setting)
    job = Job(kind="certificate_issue", created_by_id=setting.id, state="done", result={}, params={})
    db.session.add(job)
    db.session.commit()
    assert client.get(f"/admin/import/jobs/{job.id}").status_code == 404
    assert client.get("/admin/import/jobs/999999").status_code == 404


def test_report_is_in_vietnamese(client, login, setting, app):
    """Vietnamese text: runs once the lead has merged /tmp/i18n/import.json into the catalogs."""
    from flask_babel import force_locale, gettext

    msgid = "Required column(s) missing: %(columns)s."
    with app.test_request_context(), force_locale("vi"):
        if gettext(msgid) == msgid:
            pytest.skip("Vietnamese catalog for the import not merged yet")
    login(setting)
    response = _upload(client, import_files.to_csv([["Tên đăng nhập", "Giới tính"], ["an", "Nam"]]), "a.csv")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thiếu cột bắt buộc: Họ và tên, Mã đơn vị." in html
    assert "Kết quả kiểm tra tệp" in html


def test_long_error_list_is_paginated(client, login, setting):
    login(setting)
    rows = [import_files.person(i, "XA-MQ") for i in range(1, 41)]
    for row in rows[:30]:
        row["gender"] = "?"
    response = _upload(client, import_files.to_csv(import_files.table(rows)), "a.csv")
    url = response.headers["Location"]
    first = client.get(url).get_data(as_text=True).split('id="import-errors"')[1]
    second = client.get(url + "?page=2").get_data(as_text=True).split('id="import-errors"')[1]
    lines = [re.findall(r'<th scope="row">(\d+)</th>', page) for page in (first, second)]
    assert lines[0] == [str(n) for n in range(2, 27)]  # 25 a page
    assert lines[1] == [str(n) for n in range(27, 32)]
    assert 'rel="next"' in first and "page=2" in first


def test_the_import_shows_in_the_audit_log(client, login, setting, app):
    from flask_babel import force_locale

    from elearn.admin.views import action_label

    login(setting)
    data = import_files.to_csv(import_files.table([import_files.person(i, "XA-MQ") for i in range(1, 4)]))
    check_url = _upload(client, data, "Danh sách quý 1.csv").headers["Location"]
    token = csrf_token(client, check_url)
    client.post(check_url + "/confirm", data={"csrf_token": token})
    html = client.get("/admin/audit").get_data(as_text=True)
    with app.test_request_context(), force_locale("vi"):
        label = action_label("user.import")
    assert label != "user.import"
    assert html.count(f"<td>{label}<br>") == 1  # one entry for the whole import, with its label
    assert "Danh sách quý 1.csv" in html
