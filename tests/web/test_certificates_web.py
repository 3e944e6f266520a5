"""Certificate pages: issue (one, bulk, automatic), download, public verification, revoke / re-issue,
registry and export, templates — and every "bad input and attacks" line of the certificates issue."""
from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from elearn.certificates import domain, services
from elearn.certificates.models import Certificate
from elearn.core import clock
from elearn.core.audit import AuditEntry
from elearn.core.jobs import Job
from elearn.extensions import db
from tests.certificate_factories import VN_NAME, complete, completed_learner, course_with_template, enrol, issued
from tests.conftest import csrf_token
from tests.course_factories import signed_in
from tests.xss_payloads import PAYLOADS, problems


@pytest.fixture
def admin(factory):
    return factory.admin()


@pytest.fixture
def setup(factory, admin):
    course, template = course_with_template(factory, admin)
    return course, template


def _english(client) -> None:
    with client.session_transaction() as s:
        s["lang"] = "en"


def _count(model=Certificate, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _token(client, path: str) -> str:
    return csrf_token(client, path)


# ---- issue one, eligibility --------------------------------------------------------------------------

def test_admin_sees_eligibility_with_reasons_and_issues_one(app, factory, admin, setup):
    course, _t = setup
    done = completed_learner(factory, course, full_name="Lò Văn Pắng")
    not_done = enrol(factory, course, full_name="Hà Thị Mai")
    client = signed_in(app, admin)
    page = client.get(f"/certificates/courses/{course.id}").get_data(as_text=True)
    assert "Lò Văn Pắng" in page and "Hà Thị Mai" in page
    assert "Course not completed." in page and "0 of 1 required lessons completed" in page
    path = f"/certificates/courses/{course.id}/enrolments/{done.id}/issue"
    r = client.post(path, data={"csrf_token": _token(client, f"/certificates/courses/{course.id}")})
    assert r.status_code == 302
    cert = db.session.scalar(select(Certificate))
    assert cert.enrolment_id == done.id and cert.serial.startswith(f"TQ-{clock.today_local().year}-")
    assert cert.full_name == "Lò Văn Pắng" and cert.completed_on is not None and cert.started_on is not None
    assert len(cert.code) == 24 and cert.code not in cert.serial
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issue"))
    assert entry.actor_id == admin.id and entry.target_label == cert.serial
    # the learner who has not completed cannot be issued one
    r = client.post(f"/certificates/courses/{course.id}/enrolments/{not_done.id}/issue",
                    data={"csrf_token": _token(client, f"/certificates/courses/{course.id}")})
    assert r.status_code == 302
    assert 'flash-error">Course not completed.' in client.get(r.headers["Location"]).get_data(as_text=True)
    assert _count() == 1


def test_issuing_twice_for_the_same_enrolment_gives_one_certificate(app, factory, admin, setup):
    course, _t = setup
    enrolment = completed_learner(factory, course)
    client = signed_in(app, admin)
    for _ in range(3):
        client.post(f"/certificates/courses/{course.id}/enrolments/{enrolment.id}/issue",
                    data={"csrf_token": _token(client, f"/certificates/courses/{course.id}")})
    assert _count() == 1
    first, created = services.issue(admin, enrolment)
    assert not created and _count() == 1


def test_issue_is_a_post_with_csrf(app, factory, admin, setup):
    course, _t = setup
    enrolment = completed_learner(factory, course)
    client = signed_in(app, admin)
    path = f"/certificates/courses/{course.id}/enrolments/{enrolment.id}/issue"
    assert client.get(path).status_code == 405
    assert client.post(path).status_code == 400
    assert client.post(f"/certificates/courses/{course.id}/bulk").status_code == 400
    assert _count() == 0


def test_min_final_grade_rule_without_grade_is_not_eligible(app, factory, admin):
    course, _t = course_with_template(factory, admin, min_final_grade=70)
    enrolment = completed_learner(factory, course)
    result = services.check(enrolment)
    assert not result.eligible and [m.msgid for m in result.reasons] == ["no final grade yet"]
    from elearn.courses import services as course_services

    hook = lambda c, uid: {"final_grade": 82.5}  # noqa: E731  (what the quizzes feature provides)
    course_services.FACT_HOOKS.append(hook)
    try:
        assert services.check(enrolment).eligible
        cert, _ = services.issue(admin, enrolment)
        assert cert.final_grade == 82.5 and cert.result == "Giỏi (82.5/100)"
    finally:
        course_services.FACT_HOOKS.remove(hook)


def test_auto_issue_on_completion(factory, admin):
    course, _t = course_with_template(factory, admin, auto_issue=True)
    enrolment = enrol(factory, course)
    assert _count() == 0
    complete(enrolment)
    cert = db.session.scalar(select(Certificate))
    assert cert is not None and cert.enrolment_id == enrolment.id and cert.issued_by_id is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issue")).after["auto"] is True
    other, _t2 = course_with_template(factory, admin, auto_issue=False)
    complete(enrol(factory, other))
    assert _count() == 1


def test_course_without_template_cannot_issue(factory, admin):
    from tests.course_factories import make_course

    course = make_course(factory, publish=True)
    enrolment = completed_learner(factory, course)
    with pytest.raises(services.CertificateError):
        services.issue(admin, enrolment)


# ---- learners: my certificates, downloads ------------------------------------------------------------

def test_learner_sees_and_downloads_own_certificate(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course, full_name=VN_NAME)
    client = signed_in(app, cert.user)
    page = client.get("/certificates/mine").get_data(as_text=True)
    assert cert.serial in page and course.title in page
    r = client.get(f"/certificates/{cert.id}/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    again = client.get(f"/certificates/{cert.id}/pdf")
    assert again.data == r.data
    assert "private" in r.headers["Cache-Control"]


def test_another_learners_certificate_download_is_404(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course)
    other = factory.user()
    client = signed_in(app, other)
    assert client.get(f"/certificates/{cert.id}/pdf").status_code == 404
    assert client.get(f"/certificates/{cert.id + 999}/pdf").status_code == 404  # same answer as a missing one
    assert cert.serial not in client.get("/certificates/mine").get_data(as_text=True)
    anonymous = app.test_client()
    assert anonymous.get(f"/certificates/{cert.id}/pdf").status_code == 302  # to the login page


def test_a_learner_calling_issue_revoke_or_admin_pages_is_403(app, factory, admin, setup):
    course, template = setup
    cert = issued(factory, admin, course)
    enrolment = completed_learner(factory, course)
    learner = cert.user
    client = signed_in(app, learner)
    token = _token(client, "/certificates/mine")
    for path in (f"/certificates/courses/{course.id}/enrolments/{enrolment.id}/issue",
                 f"/certificates/courses/{course.id}/bulk", f"/certificates/courses/{course.id}/zip",
                 f"/certificates/{cert.id}/revoke", f"/certificates/{cert.id}/reissue"):
        assert client.post(path, data={"csrf_token": token, "reason": "x"}).status_code == 403, path
    for path in ("/certificates/registry", "/certificates/templates", "/certificates/templates/new",
                 f"/certificates/templates/{template.id}/preview", f"/certificates/courses/{course.id}",
                 f"/certificates/{cert.id}", "/certificates/courses", "/certificates/registry?format=csv"):
        assert client.get(path).status_code == 403, path
    db.session.refresh(cert)
    assert cert.revoked_at is None and _count() == 1
    lecturer_client = signed_in(app, course.lecturer_links[0].user)  # teaching the course is not enough
    lecturer_token = _token(lecturer_client, "/certificates/mine")
    assert lecturer_client.post(f"/certificates/{cert.id}/revoke",
                                data={"csrf_token": lecturer_token, "reason": "x"}).status_code == 403
    assert lecturer_client.post(f"/certificates/courses/{course.id}/bulk",
                                data={"csrf_token": lecturer_token}).status_code == 403


# ---- verification ---------------------------------------------------------------------------------------

def test_anonymous_visitor_verifies_valid_then_revoked(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course, full_name=VN_NAME)
    visitor = app.test_client()
    _english(visitor)
    r = visitor.get(f"/verify/{cert.code}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "verify-valid" in page
    for shown in (VN_NAME, course.title, "24", cert.serial, "Trường Chính trị tỉnh Tuyên Quang"):
        assert shown in page
    assert cert.user.username not in page and cert.user.email is None or cert.user.email not in page
    assert r.headers["Cache-Control"] == "no-store"
    # lower case and grouped with dashes work too
    assert visitor.get(f"/verify/{domain.grouped(cert.code).lower()}").status_code == 200

    client = signed_in(app, admin)
    r = client.post(f"/certificates/{cert.id}/revoke",
                    data={"csrf_token": _token(client, f"/certificates/{cert.id}"), "reason": "Cấp nhầm người"})
    assert r.status_code == 302
    page = visitor.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "verify-revoked" in page and clock.today_local().strftime("%d/%m/%Y") in page
    assert "Cấp nhầm người" not in page  # the reason stays with the training office
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoke")).after["reason"] \
        == "Cấp nhầm người"


def test_revoke_needs_a_reason_and_csrf(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course)
    client = signed_in(app, admin)
    assert client.post(f"/certificates/{cert.id}/revoke", data={"reason": "x"}).status_code == 400
    client.post(f"/certificates/{cert.id}/revoke", data={"csrf_token": _token(client, f"/certificates/{cert.id}"),
                                                          "reason": "  "})
    db.session.refresh(cert)
    assert cert.revoked_at is None


@pytest.mark.parametrize("code", [
    "AAAAAAAAAAAAAAAAAAAAAAAA",  # well-formed, random guess
    "not-a-code", "x", "A" * 5000, "' OR '1'='1", "1; DROP TABLE certificate; --",
    "<script>alert(1)", "<svg onload=alert(1)>", "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "%00%00", "..%5C..%5Cetc",
    "ẤÁÀẢÃẠ", "AAAAAAAAAAAAAAAAAAAAAAA1",
])
def test_unknown_and_malformed_codes_answer_unknown_without_a_hint(app, factory, admin, setup, code):
    course, _t = setup
    issued(factory, admin, course)
    visitor = app.test_client()
    _english(visitor)
    reference = visitor.get("/verify/BBBBBBBBBBBBBBBBBBBBBBBB")
    r = visitor.get(f"/verify/{code}")
    assert r.status_code == 404
    body = r.get_data(as_text=True)
    assert "verify-unknown" in body and "<script>alert(1)" not in body and "<img src=x" not in body and "<svg" not in body
    main = body.split("<main")[1].split("</main>")[0]
    assert main == reference.get_data(as_text=True).split("<main")[1].split("</main>")[0]  # same page whatever was sent
    assert not problems(main)


def test_a_burst_of_guesses_is_rate_limited(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course)
    visitor = app.test_client()
    statuses = [visitor.get(f"/verify/{domain.new_code()}").status_code for _ in range(30)]
    assert set(statuses) == {404}
    assert visitor.get(f"/verify/{domain.new_code()}").status_code == 429
    assert visitor.get(f"/verify/{cert.code}").status_code == 429  # even the right code, until the window passes
    # the JSON verification shares the budget
    assert visitor.get(f"/api/v1/certificates/verify/{cert.code}").status_code == 429


def test_a_code_with_a_slash_is_simply_not_found(app):
    assert app.test_client().get("/verify/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_no_other_route_takes_a_code(app):
    rules = [r.rule for r in app.url_map.iter_rules() if "<code>" in r.rule]
    assert sorted(rules) == ["/api/v1/certificates/verify/<code>", "/verify/<code>"]


# ---- re-issue, expiry -----------------------------------------------------------------------------------

def test_reissue_gives_a_new_code_and_marks_the_old_one_replaced(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course)
    client = signed_in(app, admin)
    r = client.post(f"/certificates/{cert.id}/reissue",
                    data={"csrf_token": _token(client, f"/certificates/{cert.id}"), "reason": "Sửa họ tên"})
    assert r.status_code == 302
    db.session.refresh(cert)
    new = db.session.get(Certificate, cert.replaced_by_id)
    assert new.code != cert.code and new.serial != cert.serial and new.replaces_id == cert.id
    assert new.enrolment_id == cert.enrolment_id and cert.current_enrolment_id is None
    assert cert.status() == domain.Status.REPLACED and new.status() == domain.Status.VALID
    visitor = app.test_client()
    assert "verify-replaced" in visitor.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "verify-valid" in visitor.get(f"/verify/{new.code}").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.reissue"))
    assert entry.after["replaces"] == cert.serial and entry.after["reason"] == "Sửa họ tên"
    # re-issuing the replaced one again is refused
    with pytest.raises(services.CertificateError):
        services.reissue(admin, cert)
    assert _count() == 2


def test_revoked_certificate_can_be_reissued_and_bulk_does_not_resurrect_it(factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course)
    services.revoke(admin, cert, "Sai thông tin")
    from elearn.certificates import bulk

    job = bulk.new_issue_job(admin, course)
    db.session.commit()
    bulk.issue_work(job.id)
    assert _count() == 1  # a revoked certificate still counts as the enrolment's certificate
    new = services.reissue(admin, cert, "Cấp lại")
    assert new.status() == domain.Status.VALID and cert.status() == domain.Status.REVOKED


def test_expiry_per_template(app, factory, admin):
    from datetime import UTC, datetime

    course, _t = course_with_template(factory, admin, valid_months=24)
    with clock.freeze(datetime(2025, 3, 10, 3, 0, tzinfo=UTC)):
        cert = issued(factory, admin, course)
    assert cert.expires_on.isoformat() == "2027-03-09"
    with clock.freeze(datetime(2027, 3, 9, 3, 0, tzinfo=UTC)):
        assert cert.status() == domain.Status.VALID
    with clock.freeze(datetime(2027, 3, 10, 3, 0, tzinfo=UTC)):
        assert cert.status() == domain.Status.EXPIRED
        visitor = app.test_client()
        assert "verify-expired" in visitor.get(f"/verify/{cert.code}").get_data(as_text=True)


# ---- bulk issue and ZIP -----------------------------------------------------------------------------------

def test_bulk_issue_with_progress_is_safe_to_rerun(app, factory, admin, setup):
    course, _t = setup
    for i in range(4):
        completed_learner(factory, course, full_name=f"Học viên {i}")
    enrol(factory, course, full_name="Chưa Xong")
    client = signed_in(app, admin)
    token = _token(client, f"/certificates/courses/{course.id}")
    r = client.post(f"/certificates/courses/{course.id}/bulk", data={"csrf_token": token})
    assert r.status_code == 302 and "/certificates/jobs/" in r.headers["Location"]
    status = client.get(r.headers["Location"] + "/status").get_json()
    assert status["state"] == "done" and status["percent"] == 100
    assert status["result"]["issued"] == 4 and status["result"]["refused"] == 1
    assert "Chưa Xong" in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post(f"/certificates/courses/{course.id}/bulk", data={"csrf_token": token})
    status = client.get(r.headers["Location"] + "/status").get_json()
    assert status["result"]["issued"] == 0 and _count() == 4
    serials = db.session.scalars(select(Certificate.number).order_by(Certificate.number)).all()
    assert serials == [1, 2, 3, 4]


def test_bulk_zip_of_a_class(app, factory, admin, setup):
    course, _t = setup
    certs = [issued(factory, admin, course, full_name=f"Người {i}") for i in range(2)]
    client = signed_in(app, admin)
    r = client.post(f"/certificates/courses/{course.id}/zip",
                    data={"csrf_token": _token(client, f"/certificates/courses/{course.id}")})
    job_url = r.headers["Location"]
    assert client.get(job_url + "/status").get_json()["state"] == "done"
    assert f'href="{job_url}/download"' in client.get(job_url).get_data(as_text=True)
    data = client.get(job_url + "/download")
    assert data.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(data.data)).namelist()
    assert sorted(names) == sorted(f"chung-nhan-{c.serial}.pdf" for c in certs)
    learner_client = signed_in(app, certs[0].user)
    assert learner_client.get(job_url + "/download").status_code == 403


@pytest.mark.slow
def test_bulk_issue_of_500_runs_in_the_background_and_reruns_issue_nothing(app, factory, admin, setup, monkeypatch):
    course, _t = setup
    from elearn.accounts.models import User
    from elearn.courses.models import Enrolment, LessonProgress

    lesson_ids = [i.ref_id for s in course.sections for i in s.items]
    now = clock.now()
    users = [User(username=f"bulk{i}", active=True) for i in range(500)]
    for i, u in enumerate(users):
        u.set_full_name(f"Nguyễn Văn Số {i}")
        u.set_roles({"learner"})
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all([Enrolment(course_id=course.id, user_id=u.id, method="manual", completed_at=now) for u in users])
    db.session.add_all([LessonProgress(lesson_id=lid, user_id=u.id, viewed_at=now, completed_at=now)
                        for u in users for lid in lesson_ids])
    db.session.commit()
    monkeypatch.setitem(app.config, "RUN_JOBS_INLINE", False)
    client = signed_in(app, admin)
    token = _token(client, f"/certificates/courses/{course.id}")
    started = time.monotonic()
    r = client.post(f"/certificates/courses/{course.id}/bulk", data={"csrf_token": token})
    assert time.monotonic() - started < 3, "the request must not wait for the work"
    status_url = r.headers["Location"] + "/status"
    seen = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        began = time.monotonic()
        status = client.get(status_url).get_json()
        assert time.monotonic() - began < 3
        seen.append(status["done"])
        if len(seen) == 2:
            assert client.get(r.headers["Location"]).status_code == 200  # the progress page, while it runs
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.3)
    assert status["state"] == "done", status
    assert status["result"]["issued"] == 500 and _count() == 500
    assert any(0 < n < 500 for n in seen) or len(seen) == 1  # progress was visible while it ran
    monkeypatch.setitem(app.config, "RUN_JOBS_INLINE", True)
    r = client.post(f"/certificates/courses/{course.id}/bulk", data={"csrf_token": token})
    assert client.get(r.headers["Location"] + "/status").get_json()["result"]["issued"] == 0
    assert _count() == 500
    assert len(set(db.session.scalars(select(Certificate.serial)))) == 500


# ---- registry, export -----------------------------------------------------------------------------------

def test_registry_search_without_diacritics_and_export(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course, full_name="Nguyễn Thị Hồng Nhung")
    other = issued(factory, admin, course, full_name="=HYPERLINK(\"http://evil\")")
    client = signed_in(app, admin)
    page = client.get("/certificates/registry?q=nguyen thi hong").get_data(as_text=True)
    assert cert.serial in page and other.serial not in page
    assert cert.serial in client.get(f"/certificates/registry?q={cert.serial.lower()}").get_data(as_text=True)
    services.revoke(admin, other, "Thu hồi")
    page = client.get("/certificates/registry?status=revoked").get_data(as_text=True)
    assert other.serial in page and cert.serial not in page
    r = client.get("/certificates/registry?format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.data.decode("utf-8-sig")
    assert "Nguyễn Thị Hồng Nhung" in text and cert.serial in text
    assert "'=HYPERLINK" in text  # never a formula
    r = client.get("/certificates/registry?format=xlsx&q=nguyen")
    ws = load_workbook(io.BytesIO(r.data)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert cert.serial in values and other.serial not in values
    assert client.get("/certificates/registry?format=pdf").status_code == 404


# ---- templates -------------------------------------------------------------------------------------------

def test_admin_creates_template_with_csrf_and_previews(app, factory, admin):
    from tests.course_factories import make_course

    course = make_course(factory, publish=True)
    client = signed_in(app, admin)
    form = {"name": "Mẫu bồi dưỡng", "kind": "giay_chung_nhan", "title": "GIẤY CHỨNG NHẬN", "wording": "Đã hoàn thành",
            "issuer_name": "Sở Nội vụ", "issuer_code": "snv", "place": "Tuyên Quang", "signer_name": "Lê Văn A",
            "signer_title": "Giám đốc", "orientation": "L", "valid_months": "", "course": str(course.id),
            "category": "", "min_final_grade": "60"}
    assert client.post("/certificates/templates/new", data=form).status_code == 400  # no CSRF token
    r = client.post("/certificates/templates/new", data={**form, "csrf_token": _token(client, "/certificates/templates/new")})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    template = services.template_for(course)
    assert template.issuer_code == "SNV" and services.template_min_grade(template) == 60
    preview = client.get(f"/certificates/templates/{template.id}/preview")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF") and _count() == 0
    bad = client.post("/certificates/templates/new", data={**form, "issuer_code": "1-BAD",
                                                           "csrf_token": _token(client, "/certificates/templates/new")})
    assert bad.status_code == 200 and "serial prefix" in bad.get_data(as_text=True)


def test_template_and_names_are_escaped_everywhere(app, factory, admin):
    payload = PAYLOADS[0] + PAYLOADS[2]
    course, template = course_with_template(factory, admin, title="Khoá " + payload)
    template.signer_name = payload
    db.session.commit()
    cert = issued(factory, admin, course, full_name="Người " + payload)
    client = signed_in(app, admin)
    learner = signed_in(app, cert.user)
    pages = [(client, p) for p in ("/certificates/templates", f"/certificates/courses/{course.id}",
                                   f"/certificates/{cert.id}", "/certificates/registry", f"/verify/{cert.code}")]
    for who, path in [*pages, (learner, "/certificates/mine")]:
        body = who.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body and "<img src=x onerror" not in body, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path


def test_audit_log_names_certificate_actions(app, factory, admin, setup):
    course, _t = setup
    cert = issued(factory, admin, course)
    services.revoke(admin, cert, "Lý do")
    client = signed_in(app, admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Certificate issued" in page and "Certificate revoked" in page and cert.serial in page


def test_job_pages_are_only_for_their_kind(app, factory, admin):
    other_job = Job(kind="people_import", created_by_id=admin.id, params={}, result={})
    db.session.add(other_job)
    db.session.commit()
    client = signed_in(app, admin)
    assert client.get(f"/certificates/jobs/{other_job.id}").status_code == 404


def test_seal_and_signature_images_are_printed_and_other_files_refused(app, factory, admin):
    from pypdf import PdfReader

    from tests import file_samples as samples

    course, template = course_with_template(factory, admin)
    client = signed_in(app, admin)
    path = f"/certificates/templates/{template.id}"
    form = {"name": template.name, "kind": template.kind, "title": template.title, "wording": template.wording,
            "issuer_name": template.issuer_name, "issuer_code": template.issuer_code, "place": template.place,
            "signer_name": template.signer_name, "signer_title": template.signer_title, "orientation": "L",
            "course": str(course.id), "category": ""}
    r = client.post(path, data={**form, "csrf_token": _token(client, path),
                                "seal": (io.BytesIO(samples.png((200, 200))), "dau.png"),
                                "signature": (io.BytesIO(samples.png((300, 120))), "chu-ky.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:1500]
    db.session.refresh(template)
    assert template.seal_file_id and template.signature_file_id
    preview = client.get(f"{path}/preview").data
    assert len(PdfReader(io.BytesIO(preview)).pages[0].images) == 3  # QR, seal, signature
    cert = issued(factory, admin, course)
    assert len(PdfReader(io.BytesIO(services.render_pdf(cert))).pages[0].images) == 3
    r = client.post(path, data={**form, "csrf_token": _token(client, path),
                                "seal": (io.BytesIO(b"<svg onload=alert(1)></svg>"), "dau.svg")},
                    content_type="multipart/form-data")
    assert r.status_code == 200  # refused with a message, nothing stored
    db.session.refresh(template)
    assert template.seal_file.original_name.startswith("dau")


def test_template_resolution_course_then_category_then_default(factory, admin):
    from elearn.courses.models import CourseCategory
    from tests.course_factories import make_course

    category = db.session.scalars(select(CourseCategory)).first()
    course = make_course(factory, publish=True, category_id=category.id)
    assert services.template_for(course) is None
    data = dict(title="GIẤY CHỨNG NHẬN", issuer_name="Sở Nội vụ", issuer_code="SNV")
    default = services.save_template(admin, None, services.TemplateData(name="Chung", **data))
    assert services.template_for(course) == default
    by_category = services.save_template(admin, None, services.TemplateData(name="Nhóm", category_id=category.id,
                                                                             **data))
    assert services.template_for(course) == by_category
    own = services.save_template(admin, None, services.TemplateData(name="Riêng", course_id=course.id, **data))
    assert services.template_for(course) == own
    with pytest.raises(services.CertificateError):
        services.save_template(admin, None, services.TemplateData(name="Sai", course_id=course.id,
                                                                  category_id=category.id, **data))


def test_issue_by_course_lists_completions_and_certificates(app, factory, admin, setup):
    course, _t = setup
    issued(factory, admin, course)
    completed_learner(factory, course)
    client = signed_in(app, admin)
    r = client.get("/certificates/courses")
    assert r.status_code == 200
    row = r.get_data(as_text=True).split(f"/certificates/courses/{course.id}")[1].split("</tr>")[0]
    assert "<td>2</td><td>1</td>" in row.replace("\n", "").replace(" ", "")
