"""The certificates issue's acceptance test in a real browser, at a phone's and a desktop's width:
an admin issues for a class, a learner downloads, an anonymous visitor verifies, the admin revokes,
the visitor sees "revoked". Controls are found by id / name so the test holds in either language."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from elearn.certificates.models import Certificate
from elearn.extensions import db
from tests.certificate_factories import VN_NAME, completed_learner, course_with_template
from tests.e2e.test_course_flow import fits, sign_in


def test_issue_download_verify_revoke(browser, page, live_server, factory):
    base = live_server
    viewport = page.viewport_size
    admin = factory.admin("quantri.e2e")
    course, _t = course_with_template(factory, admin)
    learner = completed_learner(factory, course, username="hocvien.e2e", full_name=VN_NAME).user
    for i in range(2):
        completed_learner(factory, course, full_name=f"Học viên lớp {i}")

    office = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
    sign_in(office, base, "quantri.e2e")
    office.goto(f"{base}/certificates/courses/{course.id}")
    fits(office)
    office.locator("#bulk-issue").click()
    office.wait_for_url(re.compile(r"/certificates/jobs/\d+$"))
    expect(office.locator("#job-state")).to_contain_text("3")
    db.session.rollback()
    cert = db.session.query(Certificate).filter_by(user_id=learner.id).one()

    student = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
    sign_in(student, base, "hocvien.e2e")
    student.goto(f"{base}/certificates/mine")
    fits(student)
    expect(student.get_by_text(cert.serial)).to_be_visible()
    href = student.locator(f"a[href$='/certificates/{cert.id}/pdf']").get_attribute("href")
    pdf = student.context.request.get(base + href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    page.goto(f"{base}/verify/{cert.code}")  # the anonymous visitor, who scanned the QR code
    fits(page)
    expect(page.locator(".verify-valid")).to_be_visible()
    expect(page.get_by_text(VN_NAME)).to_be_visible()

    office.goto(f"{base}/certificates/{cert.id}")
    office.locator("textarea[name=reason]").fill("Cấp nhầm người")
    office.locator("#revoke").click()
    office.wait_for_url(f"{base}/certificates/{cert.id}")
    expect(office.locator(".cert-revoked").first).to_be_visible()

    page.reload()
    expect(page.locator(".verify-revoked")).to_be_visible()
    expect(page.locator(".verify-valid")).to_have_count(0)
    office.context.close()
    student.context.close()
