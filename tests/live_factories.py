"""Live-session test data, built through the real services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from elearn.core import clock
from elearn.courses import services as course_services
from elearn.live import services
from elearn.live.services import SessionData
from tests.conftest import IsolatedClient, csrf_token
from tests.course_factories import add_document_lesson, first_section, make_course
from tests.file_samples import pdf


@dataclass
class LiveSetup:
    course: object
    lecturer: object
    learner: object
    session: object
    slides: object = None


def make_live(factory, *, starts_in: int = -10, minutes: int = 60, slides: bool = False, in_person: bool = False,
              threshold: int = 75, learner=None) -> LiveSetup:
    """A published course with a lecturer, one enrolled learner and a session (started 10 minutes ago by default)."""
    lecturer = factory.lecturer(full_name="Giảng Viên Lê Văn Giảng")
    course = make_course(factory, lecturer, publish=True, title="Bồi dưỡng chuyển đổi số")
    learner = learner or factory.user(full_name="Học Viên Phạm Thị Học")
    course_services.enrol_person(lecturer, course, learner)
    section = first_section(course)
    lesson = add_document_lesson(section, pdf(pad=2000)) if slides else None
    start = clock.now() + timedelta(minutes=starts_in)
    data = SessionData(title="Lớp trực tuyến: Nghị quyết 57", starts_at=start, ends_at=start + timedelta(minutes=minutes),
                       in_person=in_person, threshold_percent=threshold,
                       slide_lesson_id=lesson.id if lesson else None)
    session = services.create_session(lecturer, course, section, data)
    return LiveSetup(course, lecturer, learner, session, lesson)


def enrol(setup: LiveSetup, user) -> None:
    course_services.enrol_person(setup.lecturer, setup.course, user)


def signed_in(app, user, password: str = "Mat-khau-2025!"):
    """A fresh browser (Flask test client) signed in as `user` through the real login form."""
    app.test_client_class = IsolatedClient
    browser = app.test_client()
    token = csrf_token(browser, "/login")
    response = browser.post("/login", data={"username": user.username, "password": password, "csrf_token": token})
    assert response.status_code == 302
    return browser
