"""Learner pages: catalogue, course page and self-enrolment, lessons, progress, my courses, notifications.

Visible-text assertions use the English locale (the person's locale set to "en"), so they do not
depend on the Vietnamese catalogue being merged.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from elearn.accounts.domain import TheoryLevel
from elearn.core import clock, notify
from elearn.core.notifications import Notification
from elearn.courses import domain, services
from elearn.courses.catalog import CompletionMode, CourseKind, CourseState
from elearn.courses.models import Enrolment, LessonProgress
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.conftest import IsolatedClient, csrf_token
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def sign_in(app):
    """sign_in(user, locale="en") -> a test client of its own, signed in as `user`."""

    def do(user, locale: str | None = "en"):
        if locale is not None:
            user.locale = locale
            db.session.commit()
        app.test_client_class = IsolatedClient  # each request in its own context, as on a server
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302
        return client

    return do


def learner(factory, **profile):
    profile.setdefault("unit", factory.province())
    return factory.user(**profile)


def enrolment(user, course) -> Enrolment | None:
    return db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == user.id,
                                                        Enrolment.course_id == course.id))


def post_form(client, path: str, data: dict | None = None, page: str | None = None):
    token = csrf_token(client, page or path.rsplit("/", 1)[0])
    return client.post(path, data={"csrf_token": token, **(data or {})})


def results(html: str) -> str:
    """The catalogue's list of course cards (not the filter options)."""
    start = html.find('<ul class="course-list">')
    return html[start:html.index("</ul>", start)] if start >= 0 else ""


def lesson_url(course, lesson) -> str:
    return f"/courses/{course.id}/lessons/{lesson.id}"


# ---- catalogue -----------------------------------------------------------------------------------

def test_catalogue_search_ignores_diacritics_and_looks_at_lesson_titles(factory, sign_in):
    by_title = cf.make_course(factory, title="Nghị quyết 57-NQ/TW về khoa học và chuyển đổi số", publish=True)
    by_lesson = cf.make_course(factory, title="Bồi dưỡng cán bộ cơ sở", publish=True)
    cf.add_page_lesson(cf.first_section(by_lesson), title="Quán triệt Nghị quyết Đại hội XIV")
    other = cf.make_course(factory, title="Kỹ năng thuyết trình", publish=True)
    client = sign_in(learner(factory))

    html = results(client.get("/courses?q=nghi+quyet").get_data(as_text=True))
    assert by_title.title in html
    assert by_lesson.title in html
    assert other.title not in html

    everything = results(client.get("/courses").get_data(as_text=True))
    assert other.title in everything and by_title.title in everything


def test_catalogue_filters_by_category_and_kind(factory, sign_in):
    categories = services.categories()
    workshop = cf.make_course(factory, title="Tập huấn chuyển đổi số", publish=True, kind=CourseKind.WORKSHOP,
                              category_id=categories[0].id)
    refresher = cf.make_course(factory, title="Bồi dưỡng lý luận chính trị", publish=True,
                               kind=CourseKind.REFRESHER, category_id=categories[1].id)
    client = sign_in(learner(factory))

    html = results(client.get(f"/courses?kind={CourseKind.WORKSHOP}").get_data(as_text=True))
    assert workshop.title in html and refresher.title not in html
    html = results(client.get(f"/courses?category={categories[1].id}").get_data(as_text=True))
    assert refresher.title in html and workshop.title not in html
    # Nonsense filters are ignored rather than failing the page.
    assert client.get("/courses?category=abc&kind=<script>&page=x").status_code == 200


def test_catalogue_is_paginated(factory, sign_in, app):
    lecturer = factory.lecturer()
    for n in range(3):
        cf.make_course(factory, lecturer, title=f"Khoá phân trang {n}", publish=True)
    client = sign_in(learner(factory))
    first = client.get("/courses?per_page=2").get_data(as_text=True)
    second = client.get("/courses?per_page=2&page=2").get_data(as_text=True)
    assert first.count("Khoá phân trang") == 2 and second.count("Khoá phân trang") == 1
    assert 'rel="next"' in first


def test_catalogue_card_shows_enrolled_and_target_group(factory, sign_in):
    member_only = [domain.AudienceRule(party_member=True)]
    for_members = cf.make_course(factory, title="Dành cho đảng viên", publish=True, audience=member_only)
    mine = cf.make_course(factory, title="Khoá đã ghi danh", publish=True)
    person = learner(factory, party_member=False)
    services.self_enrol(person, mine)
    client = sign_in(person)
    html = client.get("/courses").get_data(as_text=True)
    card = html[html.index(for_members.title):]
    assert "For another target group" in card[:800]
    card = html[html.index(mine.title):]
    assert "Enrolled" in card[:800]


def test_courses_and_my_courses_are_in_the_main_navigation(factory, sign_in):
    html = sign_in(learner(factory)).get("/").get_data(as_text=True)
    nav = html[html.index('class="main-nav"'):html.index("</nav>")]
    assert 'href="/courses"' in nav and 'href="/my/courses"' in nav
    assert '<meta name="csrf-token" content="' in html


# ---- drafts --------------------------------------------------------------------------------------

def test_drafts_are_hidden_from_learners_but_visible_to_their_lecturer(factory, sign_in):
    lecturer = factory.lecturer()
    draft = cf.make_course(factory, lecturer, title="Bản nháp bí mật", lessons=1)
    lesson_id = cf.first_section(draft).items[0].ref_id
    person = sign_in(learner(factory))
    assert draft.title not in results(person.get("/courses").get_data(as_text=True))
    assert person.get(f"/courses/{draft.id}").status_code == 404
    assert person.get(f"/courses/{draft.id}/lessons/{lesson_id}").status_code == 404
    assert "Bản nháp" not in person.get("/courses?q=ban+nhap").get_data(as_text=True)

    teacher = sign_in(lecturer)
    assert draft.title in results(teacher.get("/courses").get_data(as_text=True))
    page = teacher.get(f"/courses/{draft.id}")
    assert page.status_code == 200 and draft.title in page.get_data(as_text=True)
    assert f'href="/courses/{draft.id}/manage"' in page.get_data(as_text=True)
    assert teacher.get(f"/courses/{draft.id}/lessons/{lesson_id}").status_code == 200

    other_lecturer = sign_in(factory.lecturer())
    assert other_lecturer.get(f"/courses/{draft.id}").status_code == 404


def test_unknown_course_is_404_and_anonymous_is_sent_to_login(factory, client):
    course = cf.make_course(factory, publish=True)
    response = client.get(f"/courses/{course.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/courses").status_code == 302


# ---- enrolment -----------------------------------------------------------------------------------

def test_self_enrolment_succeeds_and_shows_progress(factory, sign_in):
    course = cf.make_course(factory, publish=True, lessons=2)
    person = learner(factory)
    client = sign_in(person)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert f'action="/courses/{course.id}/enrol"' in page
    assert 'name="key"' not in page  # no key needed

    response = post_form(client, f"/courses/{course.id}/enrol", page=f"/courses/{course.id}")
    assert response.status_code == 302
    row = enrolment(person, course)
    assert row is not None and row.method == "self" and row.in_target and row.state == "active"

    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert '<progress value="0" max="100"' in page
    assert "Continue where I left off" in page
    assert f'action="/courses/{course.id}/enrol"' not in page


def test_non_matching_learner_is_refused_with_the_reason(factory, sign_in):
    course = cf.make_course(factory, publish=True, audience=[domain.AudienceRule(party_member=True)])
    person = learner(factory, party_member=False)
    client = sign_in(person)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "This course is for Party members." in page
    assert "meant for another target group" not in page  # the specific reason replaces the generic line
    assert "Party members only" in page  # the audience described
    assert f'action="/courses/{course.id}/enrol"' not in page

    response = post_form(client, f"/courses/{course.id}/enrol", page=f"/courses/{course.id}")
    assert response.status_code == 200
    assert "This course is for Party members." in response.get_data(as_text=True)
    assert enrolment(person, course) is None


def test_non_matching_learner_sees_the_reason_in_vietnamese(factory, sign_in, app):
    """Vietnamese text: runs once the lead has merged /tmp/i18n/courses_learner.json into the catalogs."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("vi"):
        if gettext("You cannot enrol yourself in this course:") == "You cannot enrol yourself in this course:":
            pytest.skip("Vietnamese catalog for the learner pages not merged yet")
        reason = gettext("This course is for Party members.")
    course = cf.make_course(factory, publish=True, audience=[domain.AudienceRule(party_member=True)])
    client = sign_in(learner(factory, party_member=False), locale=None)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Bạn không thể tự ghi danh vào khóa học này:" in page
    assert reason in page and reason != "This course is for Party members."


def test_matching_learner_sees_that_the_course_is_meant_for_them(factory, sign_in):
    course = cf.make_course(factory, publish=True, audience=[
        domain.AudienceRule(min_theory_level=TheoryLevel.ELEMENTARY, party_member=True)])
    client = sign_in(learner(factory, party_member=True))
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Your profile matches this target group." in page
    assert f'action="/courses/{course.id}/enrol"' in page


def test_enrolment_key_wrong_then_right(factory, sign_in):
    course = cf.make_course(factory, publish=True, enrol_key="NQ57-2025")
    person = learner(factory)
    client = sign_in(person)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'name="key"' in page

    wrong = post_form(client, f"/courses/{course.id}/enrol", {"key": "sai-khoa"}, page=f"/courses/{course.id}")
    assert wrong.status_code == 200
    assert "The enrolment key is wrong." in wrong.get_data(as_text=True)
    assert enrolment(person, course) is None

    right = post_form(client, f"/courses/{course.id}/enrol", {"key": " NQ57-2025 "}, page=f"/courses/{course.id}")
    assert right.status_code == 302
    assert enrolment(person, course).state == "active"


def test_full_course_refuses_with_the_reason(factory, sign_in):
    course = cf.make_course(factory, publish=True, capacity=1)
    services.self_enrol(learner(factory), course)
    person = learner(factory)
    client = sign_in(person)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "This course is full (1 places)." in page
    assert f'action="/courses/{course.id}/enrol"' not in page
    assert post_form(client, f"/courses/{course.id}/enrol", page=f"/courses/{course.id}").status_code == 200
    assert enrolment(person, course) is None


def test_enrol_needs_csrf(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    person = learner(factory)
    response = sign_in(person).post(f"/courses/{course.id}/enrol", data={})
    assert response.status_code == 400
    assert enrolment(person, course) is None


def test_enrolling_in_a_draft_is_404(factory, sign_in):
    course = cf.make_course(factory, lessons=1)
    person = learner(factory)
    client = sign_in(person)
    token = csrf_token(client, "/courses")
    assert client.post(f"/courses/{course.id}/enrol", data={"csrf_token": token}).status_code == 404
    assert enrolment(person, course) is None


# ---- lessons, progress and completion ------------------------------------------------------------

def test_lesson_page_needs_enrolment(factory, sign_in):
    course = cf.make_course(factory, publish=True, lessons=1)
    lesson_id = cf.first_section(course).items[0].ref_id
    client = sign_in(learner(factory))
    assert client.get(f"/courses/{course.id}/lessons/{lesson_id}").status_code == 403
    # The outline names the lessons but does not link them before enrolment.
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert f"/courses/{course.id}/lessons/{lesson_id}" not in page


def test_viewing_lessons_records_progress_and_completion_once(factory, sign_in):
    course = cf.make_course(factory, publish=True, lessons=2)
    first, second = [item.ref_id for item in cf.first_section(course).items]
    person = learner(factory)
    services.self_enrol(person, course)
    client = sign_in(person)

    t1 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
    with clock.freeze(t1):
        assert client.get(f"/courses/{course.id}/lessons/{first}").status_code == 200
    row = enrolment(person, course)
    assert row.progress == pytest.approx(0.5)
    assert row.completed_at is None
    assert row.last_access_at == t1
    progress = db.session.scalar(db.select(LessonProgress).where(LessonProgress.lesson_id == first))
    assert progress.completed_at == t1

    t2 = datetime(2025, 3, 2, 2, 0, tzinfo=UTC)
    with clock.freeze(t2):
        page = client.get(f"/courses/{course.id}/lessons/{second}").get_data(as_text=True)
    assert "Course progress: 100%" in page
    row = enrolment(person, course)
    assert row.progress == pytest.approx(1.0) and row.completed_at == t2

    # A lesson added later lowers the progress, but the completion date stays.
    new = cf.add_page_lesson(cf.first_section(course), title="Bài bổ sung")
    t3 = datetime(2025, 4, 1, 2, 0, tzinfo=UTC)
    with clock.freeze(t3):
        client.get(f"/courses/{course.id}/lessons/{new.id}")
    row = enrolment(person, course)
    assert row.completed_at == t2

    my = client.get("/my/courses").get_data(as_text=True)
    assert '<progress value="100" max="100"' in my
    assert "02/03/2025" in my  # completion date, local time


def test_lecturer_preview_records_nothing(factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, publish=True, lessons=1)
    lesson_id = cf.first_section(course).items[0].ref_id
    page = sign_in(lecturer).get(f"/courses/{course.id}/lessons/{lesson_id}")
    assert page.status_code == 200 and "Preview" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(LessonProgress)) == 0


def test_mark_done_for_a_manual_lesson(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    lesson = cf.add_page_lesson(cf.first_section(course), title="Tự đánh dấu", mode=CompletionMode.MANUAL)
    person = learner(factory)
    services.self_enrol(person, course)
    client = sign_in(person)
    url = lesson_url(course, lesson)

    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/done"' in page and "Mark as done" in page
    row = db.session.scalar(db.select(LessonProgress).where(LessonProgress.lesson_id == lesson.id))
    assert row.viewed_at is not None and row.completed_at is None  # viewing is not enough

    response = post_form(client, f"{url}/done", {"done": "1"}, page=url)
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.scalar(db.select(LessonProgress).where(LessonProgress.lesson_id == lesson.id))
    assert row.completed_at is not None
    page = client.get(url).get_data(as_text=True)
    assert "Mark as not done" in page

    post_form(client, f"{url}/done", {"done": "0"}, page=url)
    db.session.expire_all()
    row = db.session.scalar(db.select(LessonProgress).where(LessonProgress.lesson_id == lesson.id))
    assert row.completed_at is None


def test_mark_done_needs_csrf_and_enrolment(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    lesson = cf.add_page_lesson(cf.first_section(course), mode=CompletionMode.MANUAL)
    person = learner(factory)
    client = sign_in(person)
    url = lesson_url(course, lesson)
    token = csrf_token(client, "/courses")
    assert client.post(f"{url}/done", data={"csrf_token": token}).status_code == 403
    services.self_enrol(person, course)
    assert client.post(f"{url}/done", data={}).status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(LessonProgress)) == 0


def test_previous_and_next_links_follow_the_outline(factory, sign_in):
    course = cf.make_course(factory, publish=True, lessons=3)
    ids = [item.ref_id for item in cf.first_section(course).items]
    person = learner(factory)
    services.self_enrol(person, course)
    html = sign_in(person).get(lesson_url(course, type("L", (), {"id": ids[1]}))).get_data(as_text=True)
    assert re.search(rf'rel="prev" href="/courses/{course.id}/lessons/{ids[0]}"', html)
    assert re.search(rf'rel="next" href="/courses/{course.id}/lessons/{ids[2]}"', html)


def test_resume_link_goes_to_the_last_lesson_opened(factory, sign_in):
    course = cf.make_course(factory, publish=True, lessons=3)
    ids = [item.ref_id for item in cf.first_section(course).items]
    person = learner(factory)
    services.self_enrol(person, course)
    client = sign_in(person)
    client.get(f"/courses/{course.id}/lessons/{ids[1]}")
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert re.search(rf'href="/courses/{course.id}/lessons/{ids[1]}">Continue where I left off', page)
    my = client.get("/my/courses").get_data(as_text=True)
    assert f'href="/courses/{course.id}/lessons/{ids[1]}">Continue' in my


def test_page_lesson_images_are_lazy_and_scripts_do_not_survive(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    body = '<p>Sơ đồ</p><img src="/static/img/favicon.svg" alt="Sơ đồ"><script>alert(1)</script>'
    lesson = cf.add_page_lesson(cf.first_section(course), body=body)
    person = learner(factory)
    services.self_enrol(person, course)
    html = sign_in(person).get(lesson_url(course, lesson)).get_data(as_text=True)
    assert re.search(r'<img [^>]*loading="lazy"', html)
    assert "<script>alert(1)" not in html


def test_document_lesson_has_the_viewer_and_no_javascript_links(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    lesson = cf.add_document_lesson(cf.first_section(course), samples.pdf())
    person = learner(factory)
    services.self_enrol(person, course)
    html = sign_in(person).get(lesson_url(course, lesson)).get_data(as_text=True)
    url = lesson_url(course, lesson) + "/file"
    assert f'data-pdf="{url}"' in html
    assert f'<a class="button" href="{url}">Open the PDF</a>' in html
    assert f'href="{url}?download=1" download>Download for offline reading' in html
    assert 'src="/static/js/pdf-viewer.js' in html and 'type="module"' in html
    assert "vendor/pdfjs/pdf.worker.min.mjs" in html


def test_video_lesson_streams_from_the_file_route(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    lesson = cf.add_video_lesson(cf.first_section(course), samples.mp4_header() + bytes(2000))
    person = learner(factory)
    services.self_enrol(person, course)
    html = sign_in(person).get(lesson_url(course, lesson)).get_data(as_text=True)
    assert re.search(r'<video class="lesson-video" controls preload="metadata"', html)
    assert f'<source src="{lesson_url(course, lesson)}/file" type="video/mp4">' in html
    assert f'data-progress-url="{lesson_url(course, lesson)}/progress"' in html
    assert 'src="/static/js/video-progress.js' in html


def test_embedded_video_gets_a_sandboxed_iframe_and_its_own_frame_src(factory, sign_in, client):
    course = cf.make_course(factory, publish=True)
    lesson = cf.add_embed_lesson(cf.first_section(course), "https://video.hoclieu.vn/embed/123", "hoclieu.vn")
    person = learner(factory)
    services.self_enrol(person, course)
    c = sign_in(person)
    response = c.get(lesson_url(course, lesson))
    html = response.get_data(as_text=True)
    assert 'src="https://video.hoclieu.vn/embed/123"' in html
    assert 'sandbox="allow-scripts allow-same-origin allow-presentation"' in html
    csp = response.headers["Content-Security-Policy"]
    assert "frame-src https://video.hoclieu.vn" in csp and "script-src 'self'" in csp
    # Other pages keep the strict policy.
    assert "frame-src" not in c.get(f"/courses/{course.id}").headers["Content-Security-Policy"]


def test_link_lesson_opens_in_a_new_tab_and_counts_as_viewed(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    lesson = cf.add_link_lesson(cf.first_section(course), "https://tulieuvankien.dangcongsan.vn/")
    person = learner(factory)
    services.self_enrol(person, course)
    html = sign_in(person).get(lesson_url(course, lesson)).get_data(as_text=True)
    assert re.search(r'href="https://tulieuvankien.dangcongsan.vn/" target="_blank" rel="noopener noreferrer"', html)
    row = db.session.scalar(db.select(LessonProgress).where(LessonProgress.lesson_id == lesson.id))
    assert row.completed_at is not None


# ---- video progress ------------------------------------------------------------------------------

@pytest.fixture
def video_setup(factory, sign_in):
    course = cf.make_course(factory)
    lesson = cf.add_video_lesson(cf.add_section(course), samples.mp4_header() + bytes(2000), threshold=0.8)
    cf.publish(course)
    person = learner(factory)
    services.self_enrol(person, course)
    client = sign_in(person)
    token = csrf_token(client, lesson_url(course, lesson))

    def report(share, position=10.0, **kw):
        return client.post(lesson_url(course, lesson) + "/progress", json={"share": share, "position": position},
                           headers={"X-CSRFToken": token}, **kw)

    return course, lesson, person, client, report


def _video_row(lesson, user=None) -> LessonProgress:
    db.session.expire_all()
    stmt = db.select(LessonProgress).where(LessonProgress.lesson_id == lesson.id)
    if user is not None:
        stmt = stmt.where(LessonProgress.user_id == user.id)
    return db.session.scalar(stmt)


def test_video_progress_is_idempotent_and_completes_at_the_threshold(video_setup):
    course, lesson, person, _client, report = video_setup
    first = report(0.5, 120)
    assert first.status_code == 200 and first.get_json()["recorded"] is True
    assert first.get_json()["completed"] is False
    assert _video_row(lesson).watched_share == pytest.approx(0.5)

    for share in (0.5, 0.3, 0.0):  # the same or a lower share changes nothing
        body = report(share, 60).get_json()
        assert body["share"] == pytest.approx(0.5) and body["completed"] is False
    row = _video_row(lesson)
    assert row.watched_share == pytest.approx(0.5) and row.completed_at is None
    assert row.position_seconds == pytest.approx(60)  # where the learner left off, for resuming

    done = report(0.8, 300).get_json()
    assert done["completed"] is True and done["course_completed"] is True
    completed_at = _video_row(lesson).completed_at
    assert completed_at is not None
    assert report(0.95, 310).get_json()["completed"] is True
    assert _video_row(lesson).completed_at == completed_at
    assert enrolment(person, course).completed_at is not None


def test_video_page_resumes_at_the_stored_position(video_setup):
    course, lesson, _person, client, report = video_setup
    report(0.4, 125.5)
    html = client.get(lesson_url(course, lesson)).get_data(as_text=True)
    assert 'data-position="125.5"' in html and 'data-share="0.4"' in html


@pytest.mark.parametrize("payload", [
    {"share": 1.5, "position": 1}, {"share": -0.1, "position": 1}, {"share": "abc", "position": 1},
    {"share": 0.5, "position": -3}, {"share": None}, {"position": 3}, [0.5, 1], "0.5",
    {"share": float("nan"), "position": 1},
])
def test_video_progress_refuses_nonsense(video_setup, payload):
    course, lesson, _person, client, _report = video_setup
    token = csrf_token(client, lesson_url(course, lesson))
    import json
    raw = json.dumps(payload, allow_nan=True)
    response = client.post(lesson_url(course, lesson) + "/progress", data=raw, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 400
    row = _video_row(lesson)
    assert row is None or row.watched_share == 0


def test_video_progress_needs_csrf(video_setup):
    course, lesson, _person, client, _report = video_setup
    response = client.post(lesson_url(course, lesson) + "/progress", json={"share": 1, "position": 1})
    assert response.status_code == 400
    row = _video_row(lesson)
    assert row is None or row.watched_share == 0


def test_video_progress_of_a_course_one_does_not_study_is_404(video_setup, factory, sign_in):
    course, lesson, _person, _client, _report = video_setup
    stranger = sign_in(learner(factory))
    token = csrf_token(stranger, "/courses")
    response = stranger.post(lesson_url(course, lesson) + "/progress", json={"share": 1, "position": 1},
                             headers={"X-CSRFToken": token})
    assert response.status_code == 404


def test_video_progress_from_a_previewing_lecturer_records_nothing(video_setup, sign_in):
    course, lesson, _person, _client, _report = video_setup
    teacher = sign_in(cf.lecturer_of(course))
    token = csrf_token(teacher, "/courses")
    response = teacher.post(lesson_url(course, lesson) + "/progress", json={"share": 1, "position": 1},
                            headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json() == {"recorded": False}
    assert _video_row(lesson, cf.lecturer_of(course)) is None


# ---- my courses ----------------------------------------------------------------------------------

def test_my_courses_lists_enrolments_with_progress(factory, sign_in):
    course = cf.make_course(factory, title="Học tập và làm theo tư tưởng Hồ Chí Minh", publish=True, lessons=4)
    not_mine = cf.make_course(factory, title="Khoá của người khác", publish=True)
    person = learner(factory)
    services.self_enrol(person, course)
    client = sign_in(person)
    client.get(f"/courses/{course.id}/lessons/{cf.first_section(course).items[0].ref_id}")
    html = client.get("/my/courses").get_data(as_text=True)
    assert course.title in html and not_mine.title not in html
    assert '<progress value="25" max="100"' in html
    assert "Last studied" in html


def test_my_courses_hides_courses_back_in_draft(factory, sign_in):
    course = cf.make_course(factory, title="Khoá rút về nháp", publish=True)
    person = learner(factory)
    services.self_enrol(person, course)
    services.set_state(cf.lecturer_of(course), course, CourseState.DRAFT)
    assert course.title not in sign_in(person).get("/my/courses").get_data(as_text=True)


# ---- notifications -------------------------------------------------------------------------------

def test_notifications_list_badge_and_mark_all_read(factory, sign_in):
    person = learner(factory)
    other = learner(factory)
    with clock.freeze(datetime(2025, 5, 1, tzinfo=UTC)):
        notify.send([person.id], kind="course.announcement", title="Thông báo cũ", url="/my/courses")
    with clock.freeze(datetime(2025, 5, 2, tzinfo=UTC)):
        notify.send([person.id, other.id], kind="course.announcement", title="Thông báo mới", body="Lịch học")
    db.session.commit()
    client = sign_in(person)

    html = client.get("/notifications").get_data(as_text=True)
    assert html.index("Thông báo mới") < html.index("Thông báo cũ")  # newest first
    assert html.count("notification unread") == 2
    assert re.search(r'class="badge">2<', html)

    response = post_form(client, "/notifications/read", page="/notifications")
    assert response.status_code == 302
    rows = db.session.scalars(db.select(Notification).where(Notification.user_id == person.id)).all()
    assert all(row.read_at is not None for row in rows)
    html = client.get("/notifications").get_data(as_text=True)
    assert "notification unread" not in html and 'class="badge"' not in html
    # Someone else's notifications are untouched.
    assert db.session.scalar(db.select(Notification).where(Notification.user_id == other.id)).read_at is None


def test_opening_a_notification_marks_it_read_and_stays_on_the_site(factory, sign_in):
    person = learner(factory)
    notify.send([person.id], kind="x", title="Trong trang", url="/my/courses")
    notify.send([person.id], kind="x", title="Ngoài trang", url="//evil.example/")
    db.session.commit()
    inside, outside = db.session.scalars(db.select(Notification).order_by(Notification.id)).all()
    client = sign_in(person)
    response = post_form(client, f"/notifications/{inside.id}/open", page="/notifications")
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/courses")
    response = post_form(client, f"/notifications/{outside.id}/open", page="/notifications")
    assert response.headers["Location"].endswith("/notifications")
    db.session.expire_all()
    assert inside.read_at is not None


def test_someone_elses_notification_is_404(factory, sign_in):
    owner = learner(factory)
    notify.send([owner.id], kind="x", title="Riêng tư", url="/my/courses")
    db.session.commit()
    note = db.session.scalar(db.select(Notification))
    client = sign_in(learner(factory))
    assert post_form(client, f"/notifications/{note.id}/open", page="/notifications").status_code == 404
    assert "Riêng tư" not in client.get("/notifications").get_data(as_text=True)


def test_announcements_show_newest_first_on_the_course_page(factory, sign_in):
    course = cf.make_course(factory, publish=True)
    person = learner(factory)
    services.self_enrol(person, course)
    lecturer = cf.lecturer_of(course)
    for n in range(7):
        with clock.freeze(datetime(2025, 6, 1 + n, tzinfo=UTC)):
            services.post_announcement(lecturer, course, f"Thông báo số {n}", "<p>Nội dung</p>")
    html = sign_in(person).get(f"/courses/{course.id}").get_data(as_text=True)
    assert html.index("Thông báo số 6") < html.index("Thông báo số 5")
    assert "Thông báo số 1" not in html and "Thông báo số 2" in html  # the newest five
