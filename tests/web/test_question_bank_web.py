"""Question-bank pages: who may open them, the import flow (upload -> preview -> confirm with CSRF, nothing
written before confirmation), question preview (sanitised), export, delete with confirmation.

Visible-text assertions use English (the signed-in person's locale is set to "en")."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.quizzes import services
from elearn.quizzes.models import BankQuestion, QuestionCategory
from tests import course_factories as cf
from tests.conftest import csrf_token
from tests.integration.test_question_bank import GIFT

XSS_GIFT = "::X:: [html]<p>Chọn</p><script>alert(1)</script><img src=x onerror=alert(2)> {=<b>Đúng</b> ~Sai}\n"


@pytest.fixture
def sign_in(client, login):
    def do(user) -> str:
        user.locale = "en"
        db.session.commit()
        login(user)
        return csrf_token(client, "/")

    return do


@pytest.fixture
def course(factory):
    return cf.make_course(factory, publish=True)


def bank_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(BankQuestion))


def upload(client, token, course, data: bytes, name="bank.gift.txt", fmt=""):
    return client.post(f"/courses/{course.id}/questions/import",
                       data={"csrf_token": token, "format": fmt, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def import_file(client, token, course, data: bytes = GIFT.encode()):
    response = upload(client, token, course, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    preview_url = response.headers["Location"]
    return client.post(preview_url, data={"csrf_token": token})


# --- who may open the bank ------------------------------------------------------------------------------------------

PAGES = ["/courses/{id}/questions", "/courses/{id}/questions/import", "/courses/{id}/questions/export?format=gift"]


@pytest.mark.parametrize("page", PAGES)
def test_learner_of_a_published_course_gets_403(client, factory, sign_in, course, page):
    sign_in(factory.user())
    assert client.get(page.format(id=course.id)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_other_lecturer_gets_404_on_a_draft_and_403_on_a_published_course(client, factory, sign_in, course, page):
    draft = cf.make_course(factory)
    sign_in(factory.lecturer())
    assert client.get(page.format(id=draft.id)).status_code == 404
    assert client.get(page.format(id=course.id)).status_code == 403


def test_anonymous_is_sent_to_login(client, course):
    response = client.get(f"/courses/{course.id}/questions")
    assert response.status_code in (302, 401)


def test_lecturer_and_admin_open_the_bank_and_the_manage_nav_links_it(client, factory, sign_in, course):
    sign_in(cf.lecturer_of(course))
    assert client.get(f"/courses/{course.id}/questions").status_code == 200
    manage = client.get(f"/courses/{course.id}/manage").get_data(as_text=True)
    assert f'href="/courses/{course.id}/questions"' in manage


def test_admin_opens_the_bank(client, factory, sign_in, course):
    sign_in(factory.admin())
    assert client.get(f"/courses/{course.id}/questions").status_code == 200


def test_learner_sees_no_bank_link_on_the_course_page(client, factory, sign_in, course):
    sign_in(factory.user())
    assert f"/courses/{course.id}/questions" not in client.get(f"/courses/{course.id}").get_data(as_text=True)


def test_other_lecturer_cannot_confirm_or_delete(client, factory, sign_in, course):
    lecturer = cf.lecturer_of(course)
    upload_token = services.stash_upload(lecturer, course, GIFT.encode(), "a.gift", "gift")
    preview_url = f"/courses/{course.id}/questions/import/{upload_token}"
    services.import_confirm(lecturer, course, GIFT.encode(), "x.gift")
    question_id = db.session.scalar(select(BankQuestion.id))
    token = sign_in(factory.lecturer())
    assert client.post(preview_url, data={"csrf_token": token}).status_code == 403
    assert client.post(f"/courses/{course.id}/questions/{question_id}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert bank_count() == 4


# --- import flow ----------------------------------------------------------------------------------------------------

def test_preview_shows_problems_with_lines_and_writes_nothing_then_confirm_imports(client, sign_in, course):
    token = sign_in(cf.lecturer_of(course))
    response = upload(client, token, course, GIFT.encode())
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert re.search(r"/questions/import/[0-9a-f]{32}$", preview_url)
    page = client.get(preview_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<dd id="count-ok">4</dd>' in html and '<dd id="count-errors">1</dd>' in html
    assert "<td>12</td>" in html  # the bad question's line
    assert "Luật / Chương 1" in html
    assert bank_count() == 0 and db.session.scalar(select(func.count()).select_from(QuestionCategory)) == 0
    # the confirmation needs the CSRF token
    assert client.post(preview_url, data={}).status_code == 400
    assert bank_count() == 0
    response = client.post(preview_url, data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/courses/{course.id}/questions")
    assert bank_count() == 4
    # the kept upload is gone: a second submit imports nothing more
    again = client.post(preview_url, data={"csrf_token": token})
    assert again.status_code == 302 and again.headers["Location"].endswith("/questions/import")
    assert bank_count() == 4
    assert not Path(client.application.instance_path, "question_imports", preview_url.rsplit("/", 1)[1]).exists()


def test_upload_without_csrf_is_refused(client, sign_in, course):
    sign_in(cf.lecturer_of(course))
    response = client.post(f"/courses/{course.id}/questions/import",
                           data={"file": (io.BytesIO(GIFT.encode()), "a.gift")}, content_type="multipart/form-data")
    assert response.status_code == 400


def test_a_hopeless_file_shows_the_problem_and_offers_no_confirmation(client, sign_in, course):
    token = sign_in(cf.lecturer_of(course))
    response = upload(client, token, course, b"\x00\x01garbage" * 1000, name="junk.txt")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="alert"' in html and '<dd id="count-ok">0</dd>' in html
    assert "Import 0 questions" not in html


def test_someone_elses_upload_token_is_not_usable(client, factory, sign_in, course):
    other_course = cf.make_course(factory, lecturer=cf.lecturer_of(course))
    token = sign_in(cf.lecturer_of(course))
    preview_url = upload(client, token, course, GIFT.encode()).headers["Location"]
    # the same token under another course of the same lecturer does not open the upload
    wrong = preview_url.replace(f"/courses/{course.id}/", f"/courses/{other_course.id}/")
    assert client.post(wrong, data={"csrf_token": token}).status_code == 302
    assert client.get(f"/courses/{course.id}/questions/import/../../etc").status_code in (302, 404)
    assert bank_count() == 0


# --- bank, question, export, delete ---------------------------------------------------------------------------------

def test_bank_lists_filters_and_previews_sanitised_question(client, sign_in, course):
    token = sign_in(cf.lecturer_of(course))
    import_file(client, token, course, (GIFT + "\n" + XSS_GIFT).encode())
    html = client.get(f"/courses/{course.id}/questions?q=thu+do").get_data(as_text=True)
    assert ">Q2</a>" in html and ">Q1</a>" not in html
    html = client.get(f"/courses/{course.id}/questions?type=numerical").get_data(as_text=True)
    assert ">Q3</a>" in html and ">Q2</a>" not in html
    xid = db.session.scalar(select(BankQuestion.id).where(BankQuestion.name == "X"))
    page = client.get(f"/courses/{course.id}/questions/{xid}").get_data(as_text=True)
    assert "<p>Chọn</p>" in page and "<b>Đúng</b>" in page
    assert "<script>alert" not in page and "onerror" not in page


def test_export_downloads_each_format(client, sign_in, course):
    token = sign_in(cf.lecturer_of(course))
    import_file(client, token, course)
    response = client.get(f"/courses/{course.id}/questions/export?format=json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert [q["name"] for q in json.loads(response.data)] == ["Q1", "Q2", "Q3", "Q4"]
    gift = client.get(f"/courses/{course.id}/questions/export?format=gift").get_data(as_text=True)
    assert "$CATEGORY: $course$/Luật/Chương 2" in gift
    assert client.get(f"/courses/{course.id}/questions/export?format=moodlexml").status_code == 200
    assert client.get(f"/courses/{course.id}/questions/export?format=exe").status_code == 404


def test_delete_asks_for_confirmation_then_soft_deletes(client, sign_in, course):
    token = sign_in(cf.lecturer_of(course))
    import_file(client, token, course)
    qid = db.session.scalar(select(BankQuestion.id).where(BankQuestion.name == "Q1"))
    page = client.get(f"/courses/{course.id}/questions/{qid}/delete")
    assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)
    assert not db.session.get(BankQuestion, qid).deleted
    assert client.post(f"/courses/{course.id}/questions/{qid}/delete", data={}).status_code == 400
    response = client.post(f"/courses/{course.id}/questions/{qid}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(BankQuestion, qid).deleted
    assert client.get(f"/courses/{course.id}/questions/{qid}").status_code == 404


def test_a_question_of_another_course_is_404(client, factory, sign_in, course):
    lecturer = cf.lecturer_of(course)
    other = cf.make_course(factory, lecturer=lecturer)
    services.import_confirm(lecturer, other, GIFT.encode(), "x.gift")
    qid = db.session.scalar(select(BankQuestion.id))
    sign_in(lecturer)
    assert client.get(f"/courses/{course.id}/questions/{qid}").status_code == 404
    assert client.get(f"/courses/{other.id}/questions/{qid}").status_code == 200

