"""Lecturer pages: authoring, structure, copy, audience and completion editors, participants and their
export, announcements, lesson images, the embed allow-list, and who may open any of it.

Visible-text assertions use English (the signed-in person's locale is set to "en"), so they do not
depend on the Vietnamese catalogue; the one test that checks Vietnamese export headers says so.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from elearn.accounts.domain import Gender, TheoryLevel
from elearn.core.files import StoredFile, path_of
from elearn.core.notifications import Notification
from elearn.courses import domain, services
from elearn.courses.catalog import CompletionMode, CourseState, LessonKind
from elearn.courses.models import Course, EmbedHost, Enrolment, Lesson, Section, SectionItem
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests import xss_payloads
from tests.conftest import csrf_token

# ---- helpers -------------------------------------------------------------------------------------

@pytest.fixture
def sign_in(client, login):
    """sign_in(user) -> the CSRF token of the signed-in session (English UI for text assertions)."""

    def do(user, locale: str = "en") -> str:
        user.locale = locale
        db.session.commit()
        login(user)
        return csrf_token(client, "/")

    return do


def post(client, token: str, path: str, data: dict | None = None, **kw):
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


def upload(client, token: str, path: str, data: dict, **kw):
    return client.post(path, data={"csrf_token": token, **data}, content_type="multipart/form-data", **kw)


def course_form(**changes) -> dict:
    data = {"code": "NQ57-2025", "title": "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ",
            "summary": "<p>Quán triệt <strong>Nghị quyết 57</strong></p>", "category_id": "", "kind": "boi_duong",
            "hours": "8", "opens_on": "", "closes_on": "", "capacity": "", "self_enrol": "y", "enrol_key": ""}
    data.update(changes)
    return data


def lesson_form(title: str, **changes) -> dict:
    data = {"title": title, "body": "", "url": "", "completion_mode": "on_view", "video_percent": "90",
            "required": "y", "minutes": "15"}
    data.update(changes)
    return data


def reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def lesson_titled(course: Course, title: str) -> Lesson | None:
    return db.session.scalar(db.select(Lesson).where(Lesson.course_id == course.id, Lesson.title == title))


def stored_files() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(StoredFile))


def disk_files(app) -> set[Path]:
    root = Path(app.config["INSTANCE_DIR"]) / "files"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def section_ids(course: Course) -> list[int]:
    return list(db.session.scalars(db.select(Section.id).where(Section.course_id == course.id)
                                   .order_by(Section.position)))


def item_refs(section: Section) -> list[int]:
    return list(db.session.scalars(db.select(SectionItem.ref_id).where(SectionItem.section_id == section.id)
                                   .order_by(SectionItem.position)))


def enrol(course, user, **kw):
    return services.enrol_person(cf.lecturer_of(course), course, user, **kw)


# ---- authoring: create, lessons of every kind, publish ------------------------------------------------

def test_lecturer_builds_a_course_with_every_lesson_kind_and_publishes_it(app, client, factory, sign_in):
    lecturer = factory.lecturer()
    services.add_embed_host(factory.admin(), "video.tinh.gov.vn")
    token = sign_in(lecturer)

    response = post(client, token, "/courses/new",
                    course_form(summary="<p>Tóm tắt</p><script>alert(1)</script><img src=x onerror=alert(1)>"))
    assert response.status_code == 302
    course = db.session.scalar(db.select(Course).where(Course.code == "NQ57-2025"))
    assert course is not None and course.state == CourseState.DRAFT
    assert course.lecturer_ids == {lecturer.id}
    assert "Tóm tắt" in course.summary and xss_payloads.problems(course.summary) == []
    base = f"/courses/{course.id}/manage"

    # Publishing an empty course is refused with a message; the course stays a draft.
    assert post(client, token, f"{base}/state", {"state": "published"}).status_code == 302
    assert "Add at least one lesson before publishing the course." in client.get(base).get_data(as_text=True)
    assert reload(course).state == CourseState.DRAFT

    assert post(client, token, f"{base}/sections", {"title": "Phần 1. Nội dung cơ bản"}).status_code == 302
    section = db.session.scalar(db.select(Section).where(Section.course_id == course.id))
    assert section.title == "Phần 1. Nội dung cơ bản"
    new_lesson = f"{base}/sections/{section.id}/lessons/new"
    assert client.get(f"{new_lesson}?kind=page").status_code == 200

    # A page lesson: every XSS payload is stripped, the text stays.
    body = "<h2>Mục tiêu</h2><p>Nắm vững quan điểm chỉ đạo.</p>" + "".join(xss_payloads.PAYLOADS)
    response = post(client, token, f"{new_lesson}?kind=page", lesson_form("Bài 1. Quan điểm chỉ đạo", body=body))
    assert response.status_code == 302
    page = lesson_titled(course, "Bài 1. Quan điểm chỉ đạo")
    assert page.kind == LessonKind.PAGE and "Nắm vững quan điểm chỉ đạo." in page.body
    assert xss_payloads.problems(page.body) == []

    # A document lesson with a PDF; an HTML page renamed .pdf is refused and nothing is stored.
    before, on_disk = stored_files(), disk_files(app)
    response = upload(client, token, f"{new_lesson}?kind=document",
                      lesson_form("Văn kiện giả", file=(io.BytesIO(samples.HTML), "nghi-quyet.pdf")))
    assert response.status_code == 200 and "This type of file is not allowed here." in response.get_data(as_text=True)
    assert lesson_titled(course, "Văn kiện giả") is None
    assert stored_files() == before and disk_files(app) == on_disk
    response = upload(client, token, f"{new_lesson}?kind=document",
                      lesson_form("Văn kiện Nghị quyết", file=(io.BytesIO(samples.pdf()), "Nghị quyết 57.pdf")))
    assert response.status_code == 302
    document = lesson_titled(course, "Văn kiện Nghị quyết")
    assert document.file.content_type == "application/pdf"
    assert (document.file.attached_type, document.file.attached_id) == ("lesson", document.id)
    assert path_of(document.file).exists()

    # A video lesson from an MP4 upload, done after 80 % watched; a PDF is not a video.
    response = upload(client, token, f"{new_lesson}?kind=video",
                      lesson_form("Video sai", file=(io.BytesIO(samples.pdf()), "bai-giang.mp4")))
    assert response.status_code == 200 and lesson_titled(course, "Video sai") is None
    response = upload(client, token, f"{new_lesson}?kind=video",
                      lesson_form("Bài giảng video", completion_mode="video_share", video_percent="80",
                                  file=(io.BytesIO(samples.mp4_header() + b"\0" * 4096), "bai-giang.mp4")))
    assert response.status_code == 302
    response = upload(client, token, f"{new_lesson}?kind=video",
                      lesson_form("Video 5%", completion_mode="video_share", video_percent="5",
                                  file=(io.BytesIO(samples.webm_header()), "bai-giang.webm")))
    assert response.status_code == 200 and 'id="video_percent-err"' in response.get_data(as_text=True)
    assert lesson_titled(course, "Video 5%") is None
    video = lesson_titled(course, "Bài giảng video")
    assert video.file.content_type == "video/mp4"
    assert (video.completion_mode, video.video_threshold) == (CompletionMode.VIDEO_SHARE, 0.8)

    # An embedded video: an allowed host is accepted, another host is refused.
    response = post(client, token, f"{new_lesson}?kind=video",
                    lesson_form("Video từ YouTube", url="https://www.youtube.com/embed/abc"))
    assert response.status_code == 200
    assert "This video address is not on the list of allowed video sites." in response.get_data(as_text=True)
    assert lesson_titled(course, "Video từ YouTube") is None
    response = post(client, token, f"{new_lesson}?kind=video",
                    lesson_form("Video của tỉnh", url="https://video.tinh.gov.vn/embed/42"))
    assert response.status_code == 302
    assert lesson_titled(course, "Video của tỉnh").url == "https://video.tinh.gov.vn/embed/42"

    # An external link needs an http(s) address.
    response = post(client, token, f"{new_lesson}?kind=link", lesson_form("Liên kết", url="javascript:alert(1)"))
    assert response.status_code == 200 and lesson_titled(course, "Liên kết") is None
    assert post(client, token, f"{new_lesson}?kind=link",
                lesson_form("Liên kết", url="https://dangcongsan.vn/")).status_code == 302

    structure = client.get(f"{base}/structure").get_data(as_text=True)
    for title in ("Bài 1. Quan điểm chỉ đạo", "Văn kiện Nghị quyết", "Bài giảng video", "Video của tỉnh", "Liên kết"):
        assert title in structure

    response = post(client, token, f"{base}/state", {"state": "published"})
    assert response.status_code == 302
    assert reload(course).state == CourseState.PUBLISHED
    dashboard = client.get(base).get_data(as_text=True)
    assert f'href="/courses/{course.id}"' in dashboard  # preview as learner


def test_new_course_errors_are_shown_on_their_fields(client, factory, sign_in):
    cf.make_course(factory, code="TRUNG-MA")
    token = sign_in(factory.lecturer())
    response = post(client, token, "/courses/new",
                    course_form(code="trung-ma", opens_on="2025-09-10", closes_on="2025-09-01", capacity="0"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="code-err"[^>]*>[^<]*This course code is already used.', html)
    assert re.search(r'id="closes_on-err"[^>]*>[^<]*The course closes before it opens.', html)
    assert re.search(r'id="capacity-err"[^>]*>[^<]*Capacity must be at least 1', html)
    assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 1


def test_settings_change_details_lecturers_and_cover(app, client, factory, sign_in):
    lecturer = factory.lecturer()
    colleague = factory.lecturer(full_name="Lê Thị Giảng")
    course = cf.make_course(factory, lecturer, title="Kỹ năng lãnh đạo")
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/settings"
    page = client.get(path).get_data(as_text=True)
    assert "Lê Thị Giảng" in page and 'value="Kỹ năng lãnh đạo"' in page

    response = upload(client, token, path, {**course_form(code=course.code, title="Kỹ năng lãnh đạo, quản lý",
                                                          capacity="40"),
                                             "lecturers": [str(lecturer.id), str(colleague.id)],
                                             "cover": (io.BytesIO(samples.png((800, 400))), "bia.png")})
    assert response.status_code == 302
    course = reload(course)
    assert course.title == "Kỹ năng lãnh đạo, quản lý" and course.capacity == 40
    assert course.lecturer_ids == {lecturer.id, colleague.id}
    cover = db.session.get(StoredFile, course.cover_file_id)
    assert cover.kind == "image" and cover.attached_type == "course_cover"
    image = client.get(f"/courses/{course.id}/images/{cover.id}")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert "private" in image.headers["Cache-Control"] and "max-age=" in image.headers["Cache-Control"]

    # An SVG cover is refused on the field; the old cover stays.
    response = upload(client, token, path, {**course_form(code=course.code, title=course.title),
                                            "lecturers": [str(lecturer.id)],
                                            "cover": (io.BytesIO(samples.SVG), "bia.png")})
    assert response.status_code == 200 and 'id="cover-err"' in response.get_data(as_text=True)
    assert reload(course).cover_file_id == cover.id

    # No lecturer at all is refused.
    response = post(client, token, path, course_form(code=course.code, title=course.title))
    assert 'id="lecturers-err"' in response.get_data(as_text=True)
    assert reload(course).lecturer_ids == {lecturer.id, colleague.id}


# ---- structure ---------------------------------------------------------------------------------------

def test_sections_and_items_are_reordered_moved_renamed_and_deleted_with_confirmation(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer)
    one = cf.add_section(course, lecturer, "Phần một")
    two = cf.add_section(course, lecturer, "Phần hai")
    a = cf.add_page_lesson(one, lecturer, title="Bài A")
    b = cf.add_page_lesson(one, lecturer, title="Bài B")
    a_id, b_id = a.id, b.id
    token = sign_in(lecturer)
    base = f"/courses/{course.id}/manage"

    assert post(client, token, f"{base}/sections/{one.id}/move", {"direction": "down"}).status_code == 302
    assert section_ids(course) == [two.id, one.id]
    assert post(client, token, f"{base}/sections/{one.id}/move", {"direction": "up"}).status_code == 302
    assert section_ids(course) == [one.id, two.id]

    item_b = services.item_for_lesson(b)
    assert post(client, token, f"{base}/items/{item_b.id}/move", {"direction": "up"}).status_code == 302
    assert item_refs(one) == [b.id, a.id]
    assert post(client, token, f"{base}/items/{item_b.id}/move", {"section_id": str(two.id)}).status_code == 302
    assert item_refs(one) == [a.id] and item_refs(two) == [b.id]
    assert post(client, token, f"{base}/items/{item_b.id}/move", {"direction": "sideways"}).status_code == 400

    assert post(client, token, f"{base}/sections/{two.id}/edit", {"title": "Phần hai (sửa)"}).status_code == 302
    assert reload(two).title == "Phần hai (sửa)"

    # Deleting asks first (GET shows a confirmation page; nothing is deleted), then POST deletes.
    item_a = services.item_for_lesson(a)
    confirm = client.get(f"{base}/items/{item_a.id}/delete")
    assert confirm.status_code == 200 and "Bài A" in confirm.get_data(as_text=True)
    assert db.session.get(Lesson, a.id) is not None
    assert post(client, token, f"{base}/items/{item_a.id}/delete").status_code == 302
    assert db.session.get(Lesson, a_id) is None and item_refs(one) == []

    confirm = client.get(f"{base}/sections/{two.id}/delete")
    assert confirm.status_code == 200 and "Bài B" in confirm.get_data(as_text=True)
    assert post(client, token, f"{base}/sections/{two.id}/delete").status_code == 302
    assert section_ids(course) == [one.id] and db.session.get(Lesson, b_id) is None


def test_lesson_edit_keeps_the_kind_and_checks_the_rules(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1)
    lesson = db.session.scalar(db.select(Lesson).where(Lesson.course_id == course.id))
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/lessons/{lesson.id}/edit"
    assert lesson.title in client.get(path).get_data(as_text=True)

    response = post(client, token, path, lesson_form("Bài đọc (sửa)", body="<p>Mới</p><script>x()</script>",
                                                     completion_mode="manual", required=""))
    assert response.status_code == 302
    lesson = reload(lesson)
    assert (lesson.title, lesson.body, lesson.kind, lesson.completion_mode) == (
        "Bài đọc (sửa)", "<p>Mới</p>x()", LessonKind.PAGE, CompletionMode.MANUAL)
    assert services.item_for_lesson(lesson).required is False

    # A page lesson cannot be completed by the share of a video watched.
    response = post(client, token, path, lesson_form("Bài đọc", completion_mode="video_share"))
    assert response.status_code == 200 and reload(lesson).title == "Bài đọc (sửa)"
    # A lesson of another course is not reachable through this course.
    other = cf.make_course(factory, lecturer, lessons=1)
    other_lesson = db.session.scalar(db.select(Lesson).where(Lesson.course_id == other.id))
    assert client.get(f"/courses/{course.id}/manage/lessons/{other_lesson.id}/edit").status_code == 404


def test_copy_course_copies_settings_and_structure_into_a_new_draft(client, factory, sign_in):
    lecturer = factory.lecturer()
    rules = [domain.AudienceRule(party_member=True)]
    course = cf.make_course(factory, lecturer, title="Lớp bồi dưỡng đảng viên mới", audience=rules, publish=True)
    cf.add_link_lesson(cf.add_section(course, lecturer, "Phần 2"), actor=lecturer, title="Tham khảo")
    services.set_completion_rules(lecturer, course, [domain.RequiredLessonsDone()])
    token = sign_in(lecturer)
    form = client.get(f"/courses/{course.id}/manage/copy").get_data(as_text=True)
    assert f'value="{course.code}-2"' in form

    response = post(client, token, f"/courses/{course.id}/manage/copy",
                    {"code": "DVM-2026", "title": "Lớp bồi dưỡng đảng viên mới 2026"})
    copy = db.session.scalar(db.select(Course).where(Course.code == "DVM-2026"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/courses/{copy.id}/manage")
    assert copy.state == CourseState.DRAFT and copy.copied_from_id == course.id
    assert copy.audience == course.audience and copy.completion_rules == course.completion_rules
    assert [s.title for s in copy.sections] == [s.title for s in course.sections]
    titles = lambda c: sorted(db.session.scalars(db.select(Lesson.title).where(Lesson.course_id == c.id)))  # noqa: E731
    assert titles(copy) == titles(course) and len(titles(copy)) == 2
    assert not set(db.session.scalars(db.select(Lesson.id).where(Lesson.course_id == copy.id))) & set(
        db.session.scalars(db.select(Lesson.id).where(Lesson.course_id == course.id)))

    # A code already used is refused on the field.
    response = post(client, token, f"/courses/{course.id}/manage/copy", {"code": "DVM-2026", "title": "X"})
    assert 'id="code-err"' in response.get_data(as_text=True)


# ---- lesson images -----------------------------------------------------------------------------------

def test_lesson_images_are_uploaded_listed_and_served_to_who_may_see_the_course(client, factory, sign_in, login):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1)
    section = cf.first_section(course)
    token = sign_in(lecturer)
    editor = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new?kind=page"

    response = upload(client, token, f"/courses/{course.id}/manage/images",
                      {"next": editor, "image": (io.BytesIO(samples.png((2000, 1000))), "so-do.png")})
    assert response.status_code == 302 and response.headers["Location"].endswith(editor + "#images")
    image = db.session.scalar(db.select(StoredFile).where(StoredFile.attached_type == "course_image"))
    assert image.attached_id == course.id and image.kind == "image"
    url = f"/courses/{course.id}/images/{image.id}"
    html = client.get(editor).get_data(as_text=True)
    assert f'src="{url}"' in html and "&lt;img src=&#34;" + url in html  # the code to paste

    # JSON for a script; an SVG is refused; an outside "next" does not redirect away.
    response = upload(client, token, f"/courses/{course.id}/manage/images",
                      {"image": (io.BytesIO(samples.png()), "a.png")}, headers={"Accept": "application/json"})
    assert response.status_code == 201 and response.json["url"].startswith(f"/courses/{course.id}/images/")
    response = upload(client, token, f"/courses/{course.id}/manage/images",
                      {"next": "https://evil.example/", "image": (io.BytesIO(samples.SVG), "x.png")})
    assert response.status_code == 302 and response.headers["Location"].startswith(
        f"/courses/{course.id}/manage/structure")
    assert db.session.scalar(db.select(db.func.count()).select_from(StoredFile)) == 2

    served = client.get(url)
    assert served.status_code == 200 and served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers.get("ETag")
    # The image of a draft is hidden from learners; an image through another course is 404.
    other = cf.make_course(factory, lecturer, publish=True)
    assert client.get(f"/courses/{other.id}/images/{image.id}").status_code == 404
    learner = factory.user(unit=factory.province())
    client.post("/logout", data={"csrf_token": token})
    login(learner)
    assert client.get(url).status_code == 404


def test_copied_course_shows_the_images_of_its_source(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1)
    token = sign_in(lecturer)
    upload(client, token, f"/courses/{course.id}/manage/images", {"image": (io.BytesIO(samples.png()), "a.png")})
    image = db.session.scalar(db.select(StoredFile).where(StoredFile.attached_type == "course_image"))
    lesson = db.session.scalar(db.select(Lesson).where(Lesson.course_id == course.id))
    services.update_lesson(lecturer, lesson, services.item_for_lesson(lesson), services.LessonData(
        title=lesson.title, kind=lesson.kind, body=f'<p><img src="/courses/{course.id}/images/{image.id}" alt=""></p>'))
    copy = services.copy_course(lecturer, course, "BAN-SAO", "Bản sao")
    copied = db.session.scalar(db.select(Lesson).where(Lesson.course_id == copy.id))
    assert f"/courses/{copy.id}/images/{image.id}" in copied.body
    assert client.get(f"/courses/{copy.id}/images/{image.id}").status_code == 200


# ---- who may open the lecturer pages -------------------------------------------------------------------

def manage_paths(course: Course) -> tuple[list[str], list[tuple[str, dict]]]:
    section = course.sections[0]
    item = section.items[0]
    base = f"/courses/{course.id}/manage"
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.course_id == course.id))
    gets = [base, f"{base}/settings", f"{base}/structure", f"{base}/audience", f"{base}/completion",
            f"{base}/enrolment", f"{base}/enrolment/matching", f"{base}/participants",
            f"{base}/participants/export?format=csv", f"{base}/participants/export?format=xlsx",
            f"{base}/announcements", f"{base}/copy", f"{base}/sections/{section.id}/edit",
            f"{base}/sections/{section.id}/delete", f"{base}/sections/{section.id}/lessons/new?kind=page",
            f"{base}/lessons/{item.ref_id}/edit", f"{base}/items/{item.id}/delete",
            f"{base}/enrolment/{enrolment.id}/withdraw"]
    posts = [(f"{base}/state", {"state": "archived"}), (f"{base}/sections", {"title": "X"}),
             (f"{base}/sections/{section.id}/move", {"direction": "down"}),
             (f"{base}/sections/{section.id}/delete", {}), (f"{base}/items/{item.id}/move", {"direction": "down"}),
             (f"{base}/items/{item.id}/delete", {}), (f"{base}/settings", course_form(code=course.code)),
             (f"{base}/audience", {"submit": "1"}), (f"{base}/completion", {"rule-required_lessons": "1"}),
             (f"{base}/enrolment/person", {"user_id": "1", "reason": "x"}),
             (f"{base}/enrolment/matching", {}), (f"{base}/enrolment/{enrolment.id}/withdraw", {}),
             (f"{base}/announcements", {"title": "X"}), (f"{base}/copy", {"code": "C2", "title": "X"}),
             (f"{base}/images", {}), (f"{base}/lessons/{item.ref_id}/edit", lesson_form("X"))]
    return gets, posts


@pytest.fixture
def taught_course(factory):
    owner = factory.lecturer()
    course = cf.make_course(factory, owner, lessons=2, publish=True)
    cf.add_section(course, owner, "Phần 2")
    learner = factory.user(unit=factory.province())
    services.enrol_person(owner, course, learner)
    return course, owner, learner


@pytest.mark.parametrize("who", ["other_lecturer", "enrolled_learner", "learner"])
def test_people_who_do_not_teach_the_course_get_403_on_every_manage_route(client, factory, sign_in, taught_course, who):
    course, _owner, enrolled = taught_course
    person = {"other_lecturer": lambda: factory.lecturer(), "enrolled_learner": lambda: enrolled,
              "learner": lambda: factory.user(unit=factory.province())}[who]()
    if who == "other_lecturer":
        cf.make_course(factory, person)
    state_before = course.state
    gets, posts = manage_paths(course)
    token = sign_in(person)
    for path in gets:
        assert client.get(path).status_code == 403, path
    for path, data in posts:
        assert post(client, token, path, data).status_code == 403, path
    assert reload(course).state == state_before and len(reload(course).sections) == 2


@pytest.mark.parametrize("who", ["other_lecturer", "learner"])
def test_a_draft_course_is_404_on_every_manage_route_for_people_who_do_not_teach_it(client, factory, sign_in,
                                                                                  taught_course, who):
    course, owner, _learner = taught_course
    services.set_state(owner, course, CourseState.DRAFT)
    person = factory.lecturer() if who == "other_lecturer" else factory.user(unit=factory.province())
    gets, posts = manage_paths(course)
    token = sign_in(person)
    for path in gets:
        assert client.get(path).status_code == 404, path
    for path, data in posts:
        assert post(client, token, path, data).status_code == 404, path


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_course_lecturer_and_admin_open_every_manage_page(client, factory, sign_in, login, taught_course, locale):
    course, owner, _learner = taught_course
    gets, _posts = manage_paths(course)
    sign_in(owner, locale=locale)
    for path in gets:
        assert client.get(path).status_code == 200, path
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(factory.admin(), locale=locale)
    for path in gets:
        assert client.get(path).status_code == 200, path


def test_anonymous_is_sent_to_login_and_learners_cannot_create_courses(client, factory, sign_in, taught_course):
    course, _owner, learner = taught_course
    gets, _posts = manage_paths(course)
    for path in [*gets, "/teaching", "/courses/new", "/admin/embed-hosts"]:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    token = sign_in(learner)
    assert client.get("/teaching").status_code == 403
    assert client.get("/courses/new").status_code == 403
    assert post(client, token, "/courses/new", course_form()).status_code == 403
    assert 'href="/teaching"' not in client.get("/").get_data(as_text=True)


def test_posts_without_a_csrf_token_are_refused(client, factory, sign_in, taught_course):
    course, owner, _learner = taught_course
    sign_in(owner)
    response = client.post(f"/courses/{course.id}/manage/state", data={"state": "archived"})
    assert response.status_code == 400 and reload(course).state == CourseState.PUBLISHED


def test_teaching_lists_the_courses_i_teach(client, factory, sign_in):
    me = factory.lecturer()
    mine = cf.make_course(factory, me, title="Khoá của tôi")
    other = cf.make_course(factory, title="Khoá của người khác")
    sign_in(me)
    html = client.get("/teaching").get_data(as_text=True)
    assert mine.title in html and other.title not in html
    assert 'href="/courses/new"' in html
    assert 'href="/teaching"' in client.get("/").get_data(as_text=True)  # the "Teaching" navigation item


# ---- audience and completion rules -----------------------------------------------------------------------

def test_audience_editor_saves_rules_and_counts_who_matches(client, factory, sign_in):
    province = factory.province()
    commune = factory.unit("Xã Minh Thanh", "commune", parent=province)
    elsewhere = factory.unit("Tỉnh khác", "province")
    chairs = [factory.user(unit=commune, position="Chủ tịch UBND xã") for _ in range(2)]
    factory.user(unit=commune, position="Văn thư")
    factory.user(unit=elsewhere, position="Chủ tịch UBND xã")
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer)
    services.enrol_person(lecturer, course, chairs[0])
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/audience"

    page = client.get(path).get_data(as_text=True)
    assert page.count("<details") == 3  # three rule blocks to start with

    response = post(client, token, path, {"rules-0-unit_ids": [str(province.id)], "rules-0-include_sub_units": "y",
                                          "rules-0-positions": "chu tich ubnd xa\n\n", "rules-0-party_member": "",
                                          "rules-1-min_age": "", "submit": "1"})
    assert response.status_code == 302
    assert reload(course).audience == [{"unit_ids": [province.id], "include_sub_units": True,
                                        "positions": ["chu tich ubnd xa"]}]
    html = client.get(path).get_data(as_text=True)
    assert "Units: Tỉnh Tuyên Quang, including their sub-units" in html
    assert "Positions: chu tich ubnd xa" in html
    assert '<span class="big-number">2</span>' in html  # one enrolled + one not yet, both matching
    assert 'name="rules-0-positions"' in html and "chu tich ubnd xa</textarea>" in html

    # A contradictory rule is refused on its field, nothing saved; "add another rule" adds a block only.
    response = post(client, token, path, {"rules-0-min_age": "50", "rules-0-max_age": "30", "submit": "1"})
    assert response.status_code == 200 and 'id="rules-0-max_age-err"' in response.get_data(as_text=True)
    assert reload(course).audience[0]["positions"] == ["chu tich ubnd xa"]
    response = post(client, token, path, {f"rules-{i}-party_member": "" for i in range(3)} | {"add_rule": "1"})
    assert response.get_data(as_text=True).count("<details") == 4
    assert reload(course).audience[0]["positions"] == ["chu tich ubnd xa"]

    # Several groups, and clearing every block opens the course to everyone.
    response = post(client, token, path, {"rules-0-party_member": "yes", "rules-1-gender": Gender.FEMALE.value,
                                          "rules-1-min_theory_level": TheoryLevel.INTERMEDIATE.value,
                                          "submit": "1"})
    assert response.status_code == 302
    assert reload(course).audience == [{"party_member": True},
                                       {"min_theory_level": TheoryLevel.INTERMEDIATE.value, "gender": "female"}]
    assert post(client, token, path, {"submit": "1"}).status_code == 302
    assert reload(course).audience == []


def test_completion_rules_editor(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1)
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/completion"
    html = client.get(path).get_data(as_text=True)
    for kind in domain.rule_kinds():
        assert f'name="rule-{kind}"' in html

    response = post(client, token, path, {"rule-required_lessons": "1", "rule-live_attendance": "1",
                                          "live_attendance-percent": "80", "rule-forum_posts": "1",
                                          "forum_posts-min_posts": "3"})
    assert response.status_code == 302
    assert reload(course).completion_rules == [{"kind": "required_lessons"},
                                               {"kind": "live_attendance", "percent": 80.0},
                                               {"kind": "forum_posts", "min_posts": 3}]
    html = client.get(path).get_data(as_text=True)
    assert 'id="rule-live_attendance" checked' in html and 'value="80.0"' in html

    response = post(client, token, path, {"rule-live_attendance": "1", "live_attendance-percent": "150"})
    assert response.status_code == 200 and 'id="rule-live_attendance-err"' in response.get_data(as_text=True)
    response = post(client, token, path, {"rule-forum_posts": "1", "forum_posts-min_posts": "many"})
    assert response.status_code == 200 and 'id="rule-forum_posts-err"' in response.get_data(as_text=True)
    assert len(reload(course).completion_rules) == 3
    assert post(client, token, path, {}).status_code == 302
    assert reload(course).completion_rules == []


# ---- participants and their export ------------------------------------------------------------------------

@pytest.fixture
def course_with_participants(factory):
    province = factory.province()
    commune = factory.unit("Phường Tân Hà", "ward", parent=province)
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=2, publish=True,
                            audience=[domain.AudienceRule(unit_ids=frozenset({commune.id}))])
    inside = factory.user(full_name="Nguyễn Thị Hoà", unit=commune, position="Chủ tịch UBND phường")
    outside = factory.user(full_name="=HYPERLINK(\"http://evil\")", unit=province, position="Chuyên viên")
    services.enrol_person(lecturer, course, inside)
    services.enrol_person(lecturer, course, outside, reason="Cán bộ dự nguồn")
    enrolment = services.enrolment_of(inside.id, course.id)
    for lesson in db.session.scalars(db.select(Lesson).where(Lesson.course_id == course.id)):
        services.record_view(inside, enrolment, lesson, services.item_for_lesson(lesson))
    withdrawn = factory.user(full_name="Đã rút tên", unit=commune)
    services.unenrol(lecturer, services.enrol_person(lecturer, course, withdrawn))
    return course, lecturer, inside, outside, commune


def test_participants_table_with_filters(client, factory, sign_in, course_with_participants):
    course, lecturer, inside, outside, commune = course_with_participants
    sign_in(lecturer)
    path = f"/courses/{course.id}/manage/participants"
    html = client.get(path).get_data(as_text=True)
    assert "Nguyễn Thị Hoà" in html and "HYPERLINK" in html and "Đã rút tên" not in html
    assert "Cán bộ dự nguồn" in html and '<progress value="100" max="100"' in html
    assert "Chủ tịch UBND phường" in html
    only_unit = client.get(f"{path}?unit={commune.id}").get_data(as_text=True)
    assert "Nguyễn Thị Hoà" in only_unit and "HYPERLINK" not in only_unit
    not_done = client.get(f"{path}?completion=in_progress").get_data(as_text=True)
    assert "Nguyễn Thị Hoà" not in not_done and "HYPERLINK" in not_done


def test_participants_export_csv_and_xlsx(client, factory, sign_in, course_with_participants):
    course, lecturer, inside, outside, _commune = course_with_participants
    sign_in(lecturer)
    base = f"/courses/{course.id}/manage/participants/export"

    response = client.get(f"{base}?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so that Excel reads Vietnamese
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3 and len(rows[0]) == 11
    by_name = {row[0]: row for row in rows[1:]}
    hoa = by_name["Nguyễn Thị Hoà"]
    assert hoa[1] == inside.username and hoa[2] == "Phường Tân Hà" and hoa[7] == "100"
    completed = services.enrolment_of(inside.id, course.id).completed_at
    local = completed.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert hoa[8] == local.strftime("%d/%m/%Y %H:%M")  # local time, not UTC
    # A name a spreadsheet would run as a formula is kept as text.
    assert "'=HYPERLINK(\"http://evil\")" in by_name and by_name["'=HYPERLINK(\"http://evil\")"][6] == "Cán bộ dự nguồn"

    response = client.get(f"{base}?format=xlsx&completion=completed")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][0] == "Nguyễn Thị Hoà" and values[1][7] == 100
    assert values[0] == rows[0]  # same headers as the CSV
    assert values[1][8] == local.replace(tzinfo=None, microsecond=0) or \
        abs((values[1][8] - local.replace(tzinfo=None)).total_seconds()) < 1  # local time, no time zone
    full = load_workbook(io.BytesIO(client.get(f"{base}?format=xlsx").data)).active
    formula = [row for row in full.iter_rows() if row[0].value and "HYPERLINK" in row[0].value][0][0]
    assert formula.data_type == "s"

    assert client.get(f"{base}?format=pdf").status_code == 404


def test_export_headers_are_in_vietnamese(client, factory, sign_in, course_with_participants):
    """NEEDS THE MERGED VIETNAMESE CATALOGUE (/tmp/i18n/courses_manage.json): headers are always Vietnamese,
    even for a person using the English UI."""
    course, lecturer, *_rest = course_with_participants
    sign_in(lecturer, locale="en")
    raw = client.get(f"/courses/{course.id}/manage/participants/export?format=csv").data
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header == ["Họ và tên", "Tên đăng nhập", "Đơn vị", "Chức danh", "Hình thức ghi danh",
                      "Đúng đối tượng", "Lý do ghi danh ngoài đối tượng", "Tiến độ (%)", "Ngày hoàn thành",
                      "Truy cập gần nhất", "Ngày ghi danh"]
    body = raw.decode("utf-8-sig")
    assert "Cán bộ dự nguồn" in body and ",Không," in body and ",Có," in body


# ---- announcements -----------------------------------------------------------------------------------

def test_announcement_notifies_every_enrolled_learner(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1, publish=True)
    learners = [factory.user(unit=factory.province()) for _ in range(3)]
    for person in learners:
        services.enrol_person(lecturer, course, person)
    services.unenrol(lecturer, services.enrolment_of(learners[2].id, course.id))
    bystander = factory.user(unit=factory.province())
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/announcements"

    response = post(client, token, path, {"title": "Lịch học trực tuyến",
                                          "body": "<p>Thứ Bảy, 8 giờ.</p><script>alert(1)</script>"})
    assert response.status_code == 302
    notified = set(db.session.scalars(db.select(Notification.user_id)
                                      .where(Notification.kind == "course.announcement")))
    assert notified == {learners[0].id, learners[1].id}
    assert bystander.id not in notified
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == learners[0].id))
    assert "Lịch học trực tuyến" in note.title and "<script>" not in note.body
    html = client.get(path).get_data(as_text=True)
    assert "Lịch học trực tuyến" in html and "<script>alert(1)</script>" not in html

    assert post(client, token, path, {"title": "  ", "body": "x"}).status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 2


# ---- embed allow-list ------------------------------------------------------------------------------------

def test_admin_manages_the_embed_allow_list(client, factory, sign_in):
    token = sign_in(factory.admin())
    assert post(client, token, "/admin/embed-hosts", {"host": "Video.Tinh.Gov.VN"}).status_code == 302
    row = db.session.scalar(db.select(EmbedHost))
    assert row.host == "video.tinh.gov.vn"
    for bad in ("https://video.tinh.gov.vn/", "video.tinh.gov.vn:8443", "10.0.0.1", "localhost", "*.gov.vn",
                "video.tinh.gov.vn/path", "video.tinh.gov.vn"):
        response = post(client, token, "/admin/embed-hosts", {"host": bad})
        assert response.status_code == 200 and 'id="host-err"' in response.get_data(as_text=True), bad
    assert db.session.scalar(db.select(db.func.count()).select_from(EmbedHost)) == 1
    assert 'href="/admin/embed-hosts"' in client.get("/").get_data(as_text=True)

    confirm = client.get(f"/admin/embed-hosts/{row.id}/delete")
    assert confirm.status_code == 200 and "video.tinh.gov.vn" in confirm.get_data(as_text=True)
    assert db.session.get(EmbedHost, row.id) is not None
    assert post(client, token, f"/admin/embed-hosts/{row.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(EmbedHost)) == 0


def test_lecturers_cannot_manage_the_embed_allow_list(client, factory, sign_in):
    row = services.add_embed_host(factory.admin(), "video.tinh.gov.vn")
    token = sign_in(factory.lecturer())
    assert client.get("/admin/embed-hosts").status_code == 403
    assert post(client, token, "/admin/embed-hosts", {"host": "evil.example"}).status_code == 403
    assert post(client, token, f"/admin/embed-hosts/{row.id}/delete").status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(EmbedHost)) == 1
