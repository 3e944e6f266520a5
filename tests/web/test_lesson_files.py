"""The lesson file route: permission first (404 for a course one may not study), then Range/ETag/cache headers."""
from __future__ import annotations

import pytest

from elearn.courses import services
from elearn.courses.catalog import CourseState
from elearn.courses.models import SectionItem
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.conftest import IsolatedClient, csrf_token
from tests.factories import DEFAULT_PASSWORD

VIDEO = samples.mp4_header() + bytes(range(256)) * 64  # 16 KB of recognisable bytes


@pytest.fixture
def sign_in(app):
    def do(user):
        app.test_client_class = IsolatedClient
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302
        return client

    return do


@pytest.fixture
def course_with_files(factory):
    """A published course with a PDF lesson and a video lesson, and an enrolled learner."""
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer)
    section = cf.add_section(course, lecturer)
    pdf = samples.pdf(pad=3000)
    document = cf.add_document_lesson(section, pdf, lecturer)
    video = cf.add_video_lesson(section, VIDEO, lecturer)
    cf.publish(course)
    learner = factory.user(unit=factory.province())
    services.self_enrol(learner, course)
    return {"course": course, "document": document, "video": video, "pdf": pdf, "lecturer": lecturer,
            "learner": learner}


def file_url(course, lesson) -> str:
    return f"/courses/{course.id}/lessons/{lesson.id}/file"


def test_video_range_request_returns_206_with_the_right_bytes(course_with_files, sign_in):
    c = course_with_files
    client = sign_in(c["learner"])
    url = file_url(c["course"], c["video"])
    response = client.get(url, headers={"Range": "bytes=1000-1999"})
    assert response.status_code == 206
    assert response.data == VIDEO[1000:2000]
    assert response.headers["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.mimetype == "video/mp4"

    tail = client.get(url, headers={"Range": f"bytes={len(VIDEO) - 100}-"})
    assert tail.status_code == 206 and tail.data == VIDEO[-100:]
    whole = client.get(url)
    assert whole.status_code == 200 and whole.data == VIDEO
    assert client.get(url, headers={"Range": f"bytes={len(VIDEO) + 5}-"}).status_code == 416


def test_pdf_inline_or_as_a_download_with_private_cache_headers(course_with_files, sign_in):
    c = course_with_files
    client = sign_in(c["learner"])
    url = file_url(c["course"], c["document"])
    inline = client.get(url)
    assert inline.status_code == 200 and inline.data == c["pdf"]
    assert inline.mimetype == "application/pdf"
    assert inline.headers["Content-Disposition"].startswith("inline;")
    assert inline.headers["X-Content-Type-Options"] == "nosniff"
    cache = inline.headers["Cache-Control"]
    assert "private" in cache and "max-age=" in cache and "public" not in cache
    etag = inline.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    download = client.get(url + "?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.data == c["pdf"]


@pytest.mark.parametrize("who", ["stranger", "other_lecturer"])
def test_file_of_a_course_one_does_not_study_is_404(course_with_files, sign_in, factory, who):
    c = course_with_files
    person = factory.user(unit=factory.province()) if who == "stranger" else factory.lecturer()
    client = sign_in(person)
    for lesson in (c["document"], c["video"]):
        response = client.get(file_url(c["course"], lesson), headers={"Range": "bytes=0-10"})
        assert response.status_code == 404
        assert c["pdf"][:10] not in response.data


def test_anonymous_is_sent_to_login(course_with_files, client):
    c = course_with_files
    response = client.get(file_url(c["course"], c["document"]))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_lecturer_and_admin_preview_the_files(course_with_files, sign_in, factory):
    c = course_with_files
    for person in (c["lecturer"], factory.admin()):
        assert sign_in(person).get(file_url(c["course"], c["document"])).status_code == 200


def test_file_of_a_draft_course_is_404_for_learners_even_enrolled(course_with_files, sign_in):
    c = course_with_files
    services.set_state(c["lecturer"], c["course"], CourseState.DRAFT)
    assert sign_in(c["learner"]).get(file_url(c["course"], c["document"])).status_code == 404
    assert sign_in(c["lecturer"]).get(file_url(c["course"], c["document"])).status_code == 200


def test_file_of_an_archived_course_stays_open_to_its_learners(course_with_files, sign_in):
    c = course_with_files
    services.set_state(c["lecturer"], c["course"], CourseState.ARCHIVED)
    assert sign_in(c["learner"]).get(file_url(c["course"], c["document"])).status_code == 200


def test_withdrawn_learner_loses_the_files(course_with_files, sign_in):
    c = course_with_files
    services.unenrol(c["lecturer"], services.enrolment_of(c["learner"].id, c["course"].id))
    assert sign_in(c["learner"]).get(file_url(c["course"], c["document"])).status_code == 404


def test_lesson_of_another_course_through_this_course_is_404(course_with_files, sign_in, factory):
    c = course_with_files
    mine = cf.make_course(factory, publish=True)
    services.self_enrol(c["learner"], mine)
    client = sign_in(c["learner"])
    # The learner studies `mine`, but the lesson belongs to a course reached through the wrong id.
    assert client.get(f"/courses/{mine.id}/lessons/{c['document'].id}/file").status_code == 404
    assert client.get(f"/courses/{c['course'].id}/lessons/999999/file").status_code == 404


def test_hidden_lesson_file_is_404_for_learners(course_with_files, sign_in):
    c = course_with_files
    item = db.session.scalar(db.select(SectionItem).where(SectionItem.ref_id == c["document"].id,
                                                          SectionItem.kind == "lesson"))
    item.visible = False
    db.session.commit()
    assert sign_in(c["learner"]).get(file_url(c["course"], c["document"])).status_code == 404
    assert sign_in(c["lecturer"]).get(file_url(c["course"], c["document"])).status_code == 200


def test_lesson_without_a_file_is_404(course_with_files, sign_in):
    c = course_with_files
    page = cf.add_page_lesson(cf.first_section(c["course"]))
    assert sign_in(c["learner"]).get(file_url(c["course"], page)).status_code == 404
