"""Course test data, built through the real services (function style: make_course(factory, lecturer, ...))."""
from __future__ import annotations

import io
import itertools

from werkzeug.datastructures import FileStorage

from elearn.core.uploads import save_upload
from elearn.courses import domain, services
from elearn.courses.catalog import CompletionMode, CourseState, LessonKind
from elearn.courses.models import Course, EmbedHost, Lesson, Section
from elearn.extensions import db

_seq = itertools.count(1)


def make_course(factory, lecturer=None, *, title: str | None = None, summary: str = "", publish: bool = False,
                audience: list[domain.AudienceRule] | None = None, lessons: int = 0, **fields) -> Course:
    """A course taught by `lecturer` (a new lecturer when None), in draft unless `publish`.

    `lessons` adds that many page lessons to a first section (publishing needs at least one)."""
    lecturer = lecturer or factory.lecturer()
    n = next(_seq)
    data = services.CourseData(code=fields.pop("code", f"KH{n:04d}"), title=title or f"Khoá học {n}",
                               summary=summary, **fields)
    course = services.create_course(lecturer, data)
    if audience is not None:
        services.set_audience(lecturer, course, audience)
    if lessons or publish:
        section = add_section(course, lecturer)
        for i in range(max(lessons, 1)):
            add_page_lesson(section, lecturer, title=f"Bài {i + 1} của khoá {n}")
    if publish:
        services.set_state(lecturer, course, CourseState.PUBLISHED)
    return course


def lecturer_of(course: Course):
    return course.lecturer_links[0].user


def add_section(course: Course, actor=None, title: str = "Phần 1") -> Section:
    return services.add_section(actor or lecturer_of(course), course, title)


def first_section(course: Course) -> Section:
    db.session.refresh(course)
    return course.sections[0] if course.sections else add_section(course)


def add_page_lesson(section: Section, actor=None, *, title: str = "Bài đọc", body: str = "<p>Nội dung bài học.</p>",
                    mode: str = CompletionMode.ON_VIEW, required: bool = True) -> Lesson:
    data = services.LessonData(title=title, kind=LessonKind.PAGE, body=body, completion_mode=mode, required=required)
    return services.add_lesson(actor or lecturer_of(section.course), section, data)


def stored_upload(data: bytes, name: str, kinds=("document", "video", "image"), owner=None):
    """Store bytes as an uploaded file (through core/uploads.py), not yet committed."""
    return save_upload(FileStorage(stream=io.BytesIO(data), filename=name), allowed_kinds=set(kinds), owner=owner)


def add_document_lesson(section: Section, pdf_bytes: bytes, actor=None, *, title: str = "Văn kiện",
                        mode: str = CompletionMode.ON_VIEW) -> Lesson:
    actor = actor or lecturer_of(section.course)
    file = stored_upload(pdf_bytes, "van-kien.pdf", kinds=("document",), owner=actor)
    db.session.flush()
    data = services.LessonData(title=title, kind=LessonKind.DOCUMENT, completion_mode=mode)
    return services.add_lesson(actor, section, data, file=file)


def add_video_lesson(section: Section, video_bytes: bytes, actor=None, *, title: str = "Bài giảng video",
                     threshold: float = 0.9, mode: str = CompletionMode.VIDEO_SHARE, name: str = "bai-giang.mp4"
                     ) -> Lesson:
    actor = actor or lecturer_of(section.course)
    file = stored_upload(video_bytes, name, kinds=("video",), owner=actor)
    db.session.flush()
    data = services.LessonData(title=title, kind=LessonKind.VIDEO, completion_mode=mode, video_threshold=threshold)
    return services.add_lesson(actor, section, data, file=file)


def add_embed_lesson(section: Section, url: str, host: str, actor=None, *, title: str = "Video nhúng") -> Lesson:
    actor = actor or lecturer_of(section.course)
    if not db.session.scalar(db.select(EmbedHost).where(EmbedHost.host == host)):
        db.session.add(EmbedHost(host=host))
        db.session.flush()
    data = services.LessonData(title=title, kind=LessonKind.VIDEO, url=url, completion_mode=CompletionMode.ON_VIEW)
    return services.add_lesson(actor, section, data, embed_hosts={host})


def add_link_lesson(section: Section, url: str = "https://dangcongsan.vn/", actor=None, *,
                    title: str = "Tài liệu tham khảo") -> Lesson:
    data = services.LessonData(title=title, kind=LessonKind.LINK, url=url, body="<p>Đọc thêm trên trang này.</p>")
    return services.add_lesson(actor or lecturer_of(section.course), section, data)


def publish(course: Course) -> Course:
    services.set_state(lecturer_of(course), course, CourseState.PUBLISHED)
    return course


# ---- shared by the web tests of the "bad input and attacks" list ----------------------------------

def signed_in(app, user, locale: str | None = "en"):
    """A test client of its own (each request isolated, as on a server), signed in as `user` through the
    real login form; `locale` "en" makes visible texts English so assertions do not need the catalogue."""
    from tests.conftest import IsolatedClient, csrf_token
    from tests.factories import DEFAULT_PASSWORD

    if locale is not None:
        user.locale = locale
        db.session.commit()
    app.test_client_class = IsolatedClient
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def files_on_disk(app) -> set:
    """Every file under <instance>/files (temporary uploads included)."""
    from pathlib import Path

    root = Path(app.config["INSTANCE_DIR"]) / "files"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def set_cover_image(course: Course, image_bytes: bytes, actor=None):
    """Give the course a cover image (re-encoded through core/uploads.save_image)."""
    from elearn.core.uploads import save_image

    actor = actor or lecturer_of(course)
    file = save_image(FileStorage(stream=io.BytesIO(image_bytes), filename="bia.png"), owner=actor)
    services.set_cover(actor, course, file)
    return file
