"""The certificate API: the learner's certificates, the admin registry, one certificate, public verification."""
from __future__ import annotations

import pytest

from elearn.certificates import domain, services
from tests.certificate_factories import VN_NAME, course_with_template, issued
from tests.web.test_api import API, assert_error, bearer, conforms, token_for


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


@pytest.fixture
def admin(factory):
    return factory.admin()


@pytest.fixture
def course(factory, admin):
    return course_with_template(factory, admin)[0]


def test_learner_lists_own_certificates(client, factory, admin, course, spec):
    cert = issued(factory, admin, course, full_name=VN_NAME)
    issued(factory, admin, course)  # someone else's
    r = client.get(f"{API}/certificates/mine", headers=bearer(token_for(cert.user)))
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    conforms(spec, "CertificateList", body)
    assert [c["serial"] for c in body["items"]] == [cert.serial] and body["items"][0]["full_name"] == VN_NAME
    assert body["items"][0]["status"] == "valid" and body["items"][0]["enrolment_id"] == cert.enrolment_id


def test_another_learners_certificate_is_404(client, factory, admin, course, spec):
    cert = issued(factory, admin, course)
    other = token_for(factory.user())
    assert_error(client.get(f"{API}/certificates/{cert.id}", headers=bearer(other)), 404, "not_found")
    assert_error(client.get(f"{API}/certificates/{cert.id + 50}", headers=bearer(other)), 404, "not_found")
    r = client.get(f"{API}/certificates/{cert.id}", headers=bearer(token_for(cert.user)))
    assert r.status_code == 200
    conforms(spec, "Certificate", r.get_json())
    assert client.get(f"{API}/certificates/{cert.id}", headers=bearer(token_for(admin))).status_code == 200


def test_registry_is_for_admins_and_filters(client, factory, admin, course, spec):
    cert = issued(factory, admin, course, full_name="Đặng Thị Thuỷ")
    revoked = issued(factory, admin, course)
    services.revoke(admin, revoked, "Sai")
    assert_error(client.get(f"{API}/certificates", headers=bearer(token_for(cert.user))), 403, "forbidden")
    assert_error(client.get(f"{API}/certificates"), 401, "unauthorized")
    secret = token_for(admin)
    body = client.get(f"{API}/certificates?q=dang thi thuy", headers=bearer(secret)).get_json()
    conforms(spec, "CertificatePage", body)
    assert [c["serial"] for c in body["items"]] == [cert.serial]
    body = client.get(f"{API}/certificates?status=revoked&course_id={course.id}", headers=bearer(secret)).get_json()
    assert [c["serial"] for c in body["items"]] == [revoked.serial] and body["items"][0]["revoke_reason"] == "Sai"
    bad = assert_error(client.get(f"{API}/certificates?status=x&year=1&course_id=999999&page=0&zzz=1",
                                  headers=bearer(secret)), 422, "invalid")
    assert set(bad["error"]["details"]) == {"status", "year", "course_id", "page", "zzz"}
    conforms(spec, "Error", bad)


def test_public_verification_json(client, factory, admin, course, spec):
    cert = issued(factory, admin, course, full_name=VN_NAME)
    r = client.get(f"{API}/certificates/verify/{cert.code}")  # no token needed
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    conforms(spec, "CertificateVerification", body)
    assert body["status"] == "valid" and body["full_name"] == VN_NAME and body["serial"] == cert.serial
    assert set(body) == {"status", "serial", "full_name", "course_title", "hours", "issued_on", "completed_on",
                         "issuer_name", "expires_on", "revoked_on"}  # nothing else personal
    services.revoke(admin, cert, "Thu hồi")
    body = client.get(f"{API}/certificates/verify/{domain.grouped(cert.code).lower()}").get_json()
    assert body["status"] == "revoked" and body["revoked_on"]


@pytest.mark.parametrize("code", ["A" * 24, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"])
def test_unknown_codes_are_404_unknown(client, factory, admin, course, spec, code):
    issued(factory, admin, course)
    r = client.get(f"{API}/certificates/verify/{code}")
    assert r.status_code == 404 and r.get_json() == {"status": "unknown"}
    conforms(spec, "CertificateVerification", r.get_json())


@pytest.mark.parametrize("code", ["x", "A" * 5000, "' OR 1=1 --", "<script>alert(1)", "%00", "1;DROP TABLE x",
                                  "AAAAAAAAAAAAAAAAAAAAAAA0"])
def test_malformed_codes_are_400_never_a_crash(client, code):
    r = client.get(f"{API}/certificates/verify/{code}")
    body = assert_error(r, 400, "bad_request")
    assert "<script" not in r.get_data(as_text=True) and "OR 1=1" not in body["error"]["message"]


def test_verification_burst_is_rate_limited(client):
    statuses = [client.get(f"{API}/certificates/verify/{domain.new_code()}").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    assert_error(client.get(f"{API}/certificates/verify/{domain.new_code()}"), 429, "rate_limited")
