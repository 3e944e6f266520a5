"""XSS through every text field of a course, and upload attacks through the real lesson forms
("Bad input and attacks" of the Courses issue).

XSS: a lecturer fills every field through the real forms (test client + CSRF): the rich-text fields
(course summary, section summary, page lesson body, notes of document / video / link lessons,
announcement body) get all the payloads of tests/xss_payloads.py at once; the plain-text fields that
are shown (course, section and lesson titles, the reason of an enrolment outside the target group,
announcement title) get one payload each. Then:

(a) the stored rich text runs nothing and the plain text is stored as typed (it is escaped on output);
(b) every page that shows the fields — catalogue, course page, lesson pages, lecturer pages,
    participants, notifications, my courses — contains no dangerous markup, and the plain text
    appears escaped, never raw; the API JSON carries only sanitised rich text.

Whole pages contain the site's own <form>, <input>, <button>, <meta>, <link>, <video> markup, which the
checker flags too. So each page of the attacked course is compared with the same page of a twin course
built by the same requests with harmless text: the problems found must be exactly the same (the twin's
are the site's own markup), after dropping the site's own <script src="/static/..."></script> tags.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from markupsafe import escape

from elearn.accounts import services as accounts_services
from elearn.core.files import StoredFile, path_of
from elearn.courses import services
from elearn.courses.models import Announcement, Course, Enrolment, Lesson, Section
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.conftest import csrf_token
from tests.factories import Factory
from tests.xss_payloads import PAYLOADS, problems

RICH = "<h2>Mục tiêu</h2><p>Nắm vững <strong>Nghị quyết</strong>.</p>" + "".join(PAYLOADS)

# One payload per plain-text field (each at most 300 characters, the length of a title).
ATTACK = {
    "code": '"><SCRIPT>ALERT(1)</SCRIPT>',  # codes are stored in capitals: tags are case-blind
    "course_title": '"><script>alert(1)</script><img src=x onerror=alert(1)>',
    "section_title": "'><svg onload=alert(1)>",
    "page_title": "<img src=y onerror=alert('bài')>",
    "document_title": '"><iframe src="javascript:alert(1)"></iframe>',
    "video_title": '<a href="javascript:alert(1)">x</a>',
    "link_title": "<details open ontoggle=alert(1)>",
    "reason": "</textarea><script>alert(1)</script>",
    "announcement_title": "</title><script>alert(1)</script>",
    "position": "<img src=z onerror=alert(3)>Bí thư",  # a line of the target-group rules
    "link_url": 'https://dangcongsan.vn/?a="><script>alert(1)</script>',
    "rich": RICH,
    "document_name": "<img src=x onerror=alert(1)>.pdf",
}
CLEAN = {
    "code": "XSS-SACH", "position": "Bí thư", "link_url": "https://dangcongsan.vn/?a=1",
    "course_title": "Khoá học Nghị quyết 57", "section_title": "Phần 1. Quan điểm", "page_title": "Bài 1",
    "document_title": "Văn kiện", "video_title": "Bài giảng", "link_title": "Đọc thêm", "reason": "Theo phân công",
    "announcement_title": "Lịch học", "rich": "<h2>Mục tiêu</h2><p>Nắm vững <strong>Nghị quyết</strong>.</p>",
    "document_name": "van-kien.pdf",
}
PLAIN_FIELDS = ("code", "position", "link_url", "course_title", "section_title", "page_title", "document_title",
                "video_title", "link_title", "reason", "announcement_title")

_STATIC_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="/static/[^"]*"[^>]*>\s*</script>', re.I)


def page_problems(html: str) -> Counter:
    """problems() of a whole page, without the site's own external scripts (no inline content)."""
    return Counter(problems(_STATIC_SCRIPT.sub("", html)))


def test_the_static_script_filter_drops_only_external_site_scripts():
    page = ('<script type="module" src="/static/js/a.js?v=1"></script><script src="/static/x.js">alert(1)</script>'
            '<script src="https://evil.example/x.js"></script><script>alert(1)</script>')
    assert page_problems(page) == Counter({"tag <script>": 3})


def _form(client, path: str, data: dict, *, files: bool = False):
    """POST a form of the page at `path` with its CSRF token; follow the redirect (its page is checked)."""
    token = csrf_token(client, path)
    kw = {"content_type": "multipart/form-data"} if files else {}
    return _follow(client, client.post(path, data={"csrf_token": token, **data}, **kw))


def _follow(client, response):
    """The page a successful POST redirects to (IsolatedClient cannot follow redirects itself)."""
    assert response.status_code == 302, re.findall(r'role="alert">([^<]*)', response.get_data(as_text=True))
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page


def _lesson(title: str, body: str, **extra) -> dict:
    return {"title": title, "body": body, "url": "", "completion_mode": "on_view", "video_percent": "90",
            "required": "y", "minutes": "10", **extra}


def build(app, factory, texts: dict) -> dict:
    """A course built through the lecturer's forms with `texts`; returns what was stored (plain values),
    every page that shows the fields (HTML) and the API answers (JSON)."""
    province = factory.province()
    lecturer = factory.lecturer()
    learner = factory.user(unit=province)  # a man: outside the course's target group (women)
    teacher = cf.signed_in(app, lecturer)
    pages = {}

    pages["after create"] = _form(teacher, "/courses/new", {
        "code": texts["code"], "title": texts["course_title"], "summary": texts["rich"], "category_id": "",
        "kind": "boi_duong", "hours": "8", "opens_on": "", "closes_on": "", "capacity": "", "self_enrol": "y",
        "enrol_key": ""}).get_data(as_text=True)
    code = texts["code"]
    course = db.session.scalar(db.select(Course).where(Course.code == code))
    base = f"/courses/{course.id}/manage"
    pages["after section"] = _form_post(teacher, f"{base}/sections", f"{base}/structure",
                                        {"title": texts["section_title"], "summary": texts["rich"]})
    section = db.session.scalar(db.select(Section).where(Section.course_id == course.id))
    new = f"{base}/sections/{section.id}/lessons/new"
    pages["after page lesson"] = _form(teacher, f"{new}?kind=page", _lesson(texts["page_title"], texts["rich"])
                                       ).get_data(as_text=True)
    pages["after document lesson"] = _form(teacher, f"{new}?kind=document", _lesson(
        texts["document_title"], texts["rich"], file=(io.BytesIO(samples.pdf()), texts["document_name"])),
        files=True).get_data(as_text=True)
    pages["after video lesson"] = _form(teacher, f"{new}?kind=video", _lesson(
        texts["video_title"], texts["rich"], file=(io.BytesIO(samples.mp4_header() + bytes(512)), "video.mp4")),
        files=True).get_data(as_text=True)
    pages["after link lesson"] = _form(teacher, f"{new}?kind=link", _lesson(
        texts["link_title"], texts["rich"], url=texts["link_url"])).get_data(as_text=True)
    pages["after audience"] = _form(teacher, f"{base}/audience", {
        "rules-0-gender": "female", "rules-0-positions": texts["position"], "rules-0-include_sub_units": "y",
        "submit": "1"}).get_data(as_text=True)
    pages["after publish"] = _form_post(teacher, f"{base}/state", base, {"state": "published"})
    pages["after enrol"] = _form_post(teacher, f"{base}/enrolment/person", f"{base}/enrolment",
                                      {"user_id": str(learner.id), "reason": texts["reason"], "q": ""})
    pages["after announcement"] = _form(teacher, f"{base}/announcements", {
        "title": texts["announcement_title"], "body": texts["rich"]}).get_data(as_text=True)

    db.session.expire_all()
    course = db.session.get(Course, course.id)
    lessons = {lesson.kind: lesson for lesson in db.session.scalars(
        db.select(Lesson).where(Lesson.course_id == course.id))}
    assert set(lessons) == {"page", "document", "video", "link"}, "a lesson form was refused"
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.course_id == course.id,
                                                             Enrolment.user_id == learner.id))
    assert enrolment is not None and not enrolment.in_target and enrolment.outside_reason == texts["reason"].strip()

    # The lecturer's pages.
    item = {kind: _item_id(lesson) for kind, lesson in lessons.items()}
    lecturer_paths = {
        "dashboard": base, "settings": f"{base}/settings", "structure": f"{base}/structure",
        "section edit": f"{base}/sections/{section.id}/edit", "section delete": f"{base}/sections/{section.id}/delete",
        "participants": f"{base}/participants", "enrolment": f"{base}/enrolment",
        "enrolment search": f"{base}/enrolment?q={learner.username}", "withdraw": f"{base}/enrolment/{enrolment.id}/withdraw",
        "announcements": f"{base}/announcements", "copy": f"{base}/copy", "audience": f"{base}/audience",
        "completion": f"{base}/completion", "teaching": "/teaching", "lecturer catalogue": f"/courses?{urlencode({'q': code})}",
        "preview course": f"/courses/{course.id}",
        **{f"edit {kind}": f"{base}/lessons/{lesson.id}/edit" for kind, lesson in lessons.items()},
        **{f"delete {kind}": f"{base}/items/{item[kind]}/delete" for kind in lessons},
        **{f"preview {kind}": f"/courses/{course.id}/lessons/{lesson.id}" for kind, lesson in lessons.items()},
    }
    for name, path in lecturer_paths.items():
        response = teacher.get(path)
        assert response.status_code == 200, (name, path)
        pages[name] = response.get_data(as_text=True)

    # The learner's pages.
    reader = cf.signed_in(app, learner)
    learner_paths = {
        "catalogue": f"/courses?{urlencode({'q': code})}", "course": f"/courses/{course.id}", "my courses": "/my/courses",
        "notifications": "/notifications",
        **{f"lesson {kind}": f"/courses/{course.id}/lessons/{lesson.id}" for kind, lesson in lessons.items()},
    }
    for name, path in learner_paths.items():
        response = reader.get(path)
        assert response.status_code == 200, (name, path)
        pages[name] = response.get_data(as_text=True)
    pages["my courses (after reading)"] = reader.get("/my/courses").get_data(as_text=True)  # with "Continue"

    # The API, with the learner's and the lecturer's tokens.
    _row, learner_token = accounts_services.create_api_token(learner, "xss")
    _row, lecturer_token = accounts_services.create_api_token(lecturer, "xss")
    api = {}
    for name, path, token in [
        ("catalogue", f"/api/v1/courses?{urlencode({'q': code})}", learner_token),
        ("course", f"/api/v1/courses/{course.id}", learner_token),
        ("sections", f"/api/v1/courses/{course.id}/sections", learner_token),
        ("my courses", "/api/v1/me/courses", learner_token),
        ("my progress", f"/api/v1/me/courses/{course.id}/progress", learner_token),
        ("participants", f"/api/v1/courses/{course.id}/enrolments", lecturer_token),
        *[(f"lesson {kind}", f"/api/v1/courses/{course.id}/lessons/{lesson.id}", learner_token)
          for kind, lesson in lessons.items()],
    ]:
        response = reader.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, (name, path, response.get_data(as_text=True)[:300])
        assert response.mimetype == "application/json"
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        api[name] = response.get_json()
    announcement = db.session.scalar(db.select(Announcement).where(Announcement.course_id == course.id))
    stored = {  # plain values: the rows are gone after the first test of the module
        "rich": {"course summary": course.summary, "section summary": section.summary,
                 "announcement body": announcement.body,
                 **{f"{kind} lesson body": lesson.body for kind, lesson in lessons.items()}},
        "plain": {"code": course.code, "position": course.audience[0]["positions"][0],
                  "link_url": lessons["link"].url, "course_title": course.title, "section_title": section.title,
                  "announcement_title": announcement.title, "reason": enrolment.outside_reason,
                  **{f"{kind}_title": lesson.title for kind, lesson in lessons.items()}},
        "document_name": db.session.get(StoredFile, lessons["document"].file_id).original_name,
    }
    return {"stored": stored, "pages": pages, "api": api}


def _form_post(client, path: str, page: str, data: dict) -> str:
    """POST to an action route whose form lives on `page`; the page it redirects to (with its flash)."""
    token = csrf_token(client, page)
    return _follow(client, client.post(path, data={"csrf_token": token, **data})).get_data(as_text=True)


def _item_id(lesson) -> int:
    return services.item_for_lesson(lesson).id


@pytest.fixture(scope="module")
def twins(app):
    """The attacked course and its harmless twin, built by the same requests (once for the module: the
    results are plain strings and JSON; the rows are removed after the module's first test)."""
    with app.app_context():
        factory = Factory()
        try:
            return build(app, factory, ATTACK), build(app, factory, CLEAN)
        finally:
            db.session.remove()
            with db.engine.begin() as conn:  # as tests/conftest.py does after each test
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
                for name, rows in app.reference_rows.items():
                    if rows:
                        conn.execute(db.metadata.tables[name].insert(), rows)


def test_stored_rich_text_runs_nothing_and_plain_text_is_stored_as_typed(twins):
    stored = twins[0]["stored"]
    for name, value in stored["rich"].items():
        assert "Nắm vững" in value, name  # the text survives
        assert problems(value) == [], (name, value)
    assert stored["plain"] == {field: ATTACK[field] for field in PLAIN_FIELDS}
    # The uploaded document's name lost its markup characters.
    assert not set("<>\"") & set(stored["document_name"]) and stored["document_name"].endswith(".pdf")


def test_no_page_that_shows_the_fields_contains_dangerous_markup(twins):
    attacked, clean = twins
    assert set(attacked["pages"]) == set(clean["pages"])
    failures = {}
    for name, html in attacked["pages"].items():
        extra = page_problems(html) - page_problems(clean["pages"][name])
        missing = page_problems(clean["pages"][name]) - page_problems(html)
        if extra or missing:
            failures[name] = {"injected": dict(extra), "site markup gone": dict(missing)}
    assert failures == {}


def test_every_payload_field_is_shown_escaped_and_never_raw(twins):
    attacked, _clean = twins
    pages = attacked["pages"]
    for name, html in pages.items():
        for field in PLAIN_FIELDS:
            assert ATTACK[field] not in html, f"{field} raw on the page {name!r}"
    # Where each plain-text field must be visible (escaped exactly as Jinja does).
    shown = {
        "code": ["catalogue", "course", "dashboard", "teaching", "settings", "participants", "enrolment"],
        "position": ["course", "dashboard", "audience"],
        "link_url": ["lesson link", "edit link"],
        "course_title": ["catalogue", "course", "lesson page", "my courses", "dashboard", "teaching", "settings",
                         "lecturer catalogue", "notifications", "participants", "after create"],
        "section_title": ["course", "structure", "section edit", "section delete", "edit page"],
        "page_title": ["course", "structure", "lesson page", "edit page", "delete page", "after page lesson"],
        "document_title": ["course", "structure", "lesson document", "edit document", "after document lesson"],
        "video_title": ["course", "structure", "lesson video", "edit video", "after video lesson"],
        "link_title": ["course", "structure", "lesson link", "edit link", "after link lesson"],
        "reason": ["enrolment", "participants", "after enrol"],
        "announcement_title": ["course", "announcements", "notifications", "after announcement"],
    }
    for field, names in shown.items():
        for name in names:
            assert str(escape(ATTACK[field])) in pages[name], f"{field} not shown escaped on {name!r}"
    # Rich text is shown (sanitised) on the pages of its field.
    for name in ("course", "lesson page", "lesson document", "lesson video", "lesson link", "announcements",
                 "structure"):
        assert "Nắm vững <strong>Nghị quyết</strong>." in pages[name], name


def _strings(value, path=""):
    """Every (path, string) in a JSON document."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _strings(inner, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


RICH_KEYS = {"summary", "body"}


def test_the_api_carries_only_sanitised_rich_text(twins):
    """JSON is data, not HTML: plain-text fields come back as typed (a client escapes them, and the
    answers are application/json with nosniff, so a browser never renders them); the rich-text fields,
    which clients insert as HTML, are sanitised."""
    attacked, _clean = twins
    api = attacked["api"]
    rich_seen = set()
    for name, body in api.items():
        for path, text in _strings(body):
            key = path.rsplit(".", 1)[-1].split("[")[0]
            if key in RICH_KEYS and text:
                rich_seen.add((name, key))
                assert problems(text) == [], (name, path, text[:300])
            elif problems(text):  # markup in a plain-text field: only what the lecturer typed there
                assert any(ATTACK[f] in text for f in PLAIN_FIELDS), (name, path, text[:300])
    assert {("course", "summary"), ("sections", "summary")} <= rich_seen
    assert {("lesson page", "body"), ("lesson document", "body"), ("lesson video", "body"),
            ("lesson link", "body")} <= rich_seen
    assert api["course"]["title"] == ATTACK["course_title"]
    participants = api["participants"]["items"]
    assert participants and participants[0]["outside_reason"] == ATTACK["reason"]


# ---- upload attacks through the real lesson and course forms -----------------------------------------

NOT_ALLOWED = "This type of file is not allowed here."
PASSWD = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


@pytest.fixture
def authoring(app, factory):
    """A lecturer signed in (English UI) on a draft course with one section."""
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, code="TAI-LEN")
    section = cf.add_section(course, lecturer)
    client = cf.signed_in(app, lecturer)
    return client, course, section


def _stored_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(StoredFile))


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-err" role="alert">([^<]*)</p>', html)
    return match.group(1) if match else ""


def _refused(app, client, path: str, data: dict, field: str = "file") -> str:
    """POST a multipart form; it must come back (200) with an error on `field`, storing nothing."""
    on_disk, rows = cf.files_on_disk(app), _stored_count()
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, **data}, content_type="multipart/form-data")
    assert response.status_code == 200, response.status_code
    message = _field_error(response.get_data(as_text=True), field)
    assert message, f"no error shown on the {field} field"
    assert cf.files_on_disk(app) == on_disk, "something was written under instance/files"
    assert _stored_count() == rows
    return message


def _lessons(course) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Lesson).where(Lesson.course_id == course.id))


@pytest.mark.parametrize("kind,data,name,content_type,expected", [
    # a web page renamed .pdf (and declared a PDF)
    ("document", samples.HTML, "nghi-quyet.pdf", "application/pdf", NOT_ALLOWED + " Allowed types: .pdf."),
    # `../../etc/passwd` as the name: the content is what counts, and it is not a PDF
    ("document", PASSWD, "../../etc/passwd", "application/pdf", NOT_ALLOWED),
    ("document", PASSWD, "..\\..\\etc\\passwd.pdf", "application/pdf", NOT_ALLOWED),
    # false content types: a shell script declared a PDF, a PDF declared an MP4 video, an SVG declared MP4
    ("document", samples.SHELL, "bai-giang.pdf", "application/pdf", NOT_ALLOWED),
    ("video", samples.pdf(), "bai-giang.mp4", "video/mp4", NOT_ALLOWED + " Allowed types: .mp4, .webm."),
    ("video", samples.SVG, "bai-giang.mp4", "video/mp4", NOT_ALLOWED),
    # an executable renamed as a document
    ("document", samples.ELF, "van-kien.pdf", "application/pdf", NOT_ALLOWED),
], ids=["renamed-html", "passwd-traversal", "passwd-backslashes", "script-as-pdf", "pdf-as-mp4", "svg-as-mp4",
        "elf-as-pdf"])
def test_hostile_lesson_files_are_refused_and_nothing_is_written(app, authoring, kind, data, name, content_type,
                                                                  expected):
    client, course, section = authoring
    path = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new?kind={kind}"
    message = _refused(app, client, path, _lesson("Tệp độc", "", file=(io.BytesIO(data), name, content_type)))
    assert message.startswith(expected)
    assert _lessons(course) == 0


def test_a_file_over_the_limit_is_refused_with_the_limit(app, authoring, monkeypatch):
    client, course, section = authoring
    monkeypatch.setitem(app.config, "UPLOAD_LIMITS", {**app.config["UPLOAD_LIMITS"], "document": 4096,
                                                      "video": 4096})
    new = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new"
    big_pdf = samples.pdf(pad=20_000)
    message = _refused(app, client, f"{new}?kind=document",
                       _lesson("Văn kiện lớn", "", file=(io.BytesIO(big_pdf), "lon.pdf", "application/pdf")))
    assert message == "The file is larger than 4 KB, the limit for this type of file."
    message = _refused(app, client, f"{new}?kind=video", _lesson(
        "Video lớn", "", file=(io.BytesIO(samples.mp4_header() + bytes(50_000)), "lon.mp4", "video/mp4")))
    assert message == "The file is larger than 4 KB, the limit for this type of file."
    assert _lessons(course) == 0
    # Just under the limit is fine (the limit is the configured one, not a fixed number).
    small = samples.pdf()
    assert len(small) < 4096
    token = csrf_token(client, f"{new}?kind=document")
    response = client.post(f"{new}?kind=document", content_type="multipart/form-data", data={
        "csrf_token": token, **_lesson("Văn kiện nhỏ", "", file=(io.BytesIO(small), "nho.pdf"))})
    assert response.status_code == 302 and _lessons(course) == 1


def test_a_pdf_named_like_a_path_is_stored_under_a_generated_name_inside_the_files_folder(app, authoring):
    """A real PDF with a traversal name is a real PDF: kept, but only under a generated name in
    instance/files, shown as "passwd.pdf"; nothing appears outside the files folder."""
    client, course, section = authoring
    instance = Path(app.config["INSTANCE_DIR"])
    before = {p for p in instance.parent.rglob("*") if p.is_file() and "files" not in p.relative_to(instance.parent).parts}
    path = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new?kind=document"
    token = csrf_token(client, path)
    response = client.post(path, content_type="multipart/form-data", data={
        "csrf_token": token, **_lesson("Văn kiện", "", file=(io.BytesIO(samples.pdf()), "../../etc/passwd"))})
    assert response.status_code == 302
    lesson = db.session.scalar(db.select(Lesson).where(Lesson.course_id == course.id))
    stored = db.session.get(StoredFile, lesson.file_id)
    assert stored.original_name == "passwd.pdf"
    on_disk = path_of(stored).resolve()
    assert on_disk.is_relative_to((instance / "files").resolve()) and stored.storage_key in on_disk.name
    after = {p for p in instance.parent.rglob("*") if p.is_file() and "files" not in p.relative_to(instance.parent).parts}
    assert after - before == set()


@pytest.mark.parametrize("data,name,content_type", [
    (samples.SVG, "bia.svg", "image/svg+xml"),  # an SVG with a script
    (samples.SVG_BARE, "bia.png", "image/png"),  # an SVG with onload, renamed and declared a PNG
    (samples.HTML, "bia.jpg", "image/jpeg"),
    (samples.PHP, "bia.gif", "image/gif"),
], ids=["svg-script", "svg-as-png", "html-as-jpeg", "php-as-gif"])
def test_hostile_cover_images_are_refused_and_nothing_is_written(app, authoring, data, name, content_type):
    client, course, _section = authoring
    settings = {"code": course.code, "title": course.title, "summary": "", "category_id": "", "kind": "boi_duong",
                "hours": "8", "opens_on": "", "closes_on": "", "capacity": "", "self_enrol": "y",
                "enrol_key": "", "lecturers": str(cf.lecturer_of(course).id)}
    message = _refused(app, client, f"/courses/{course.id}/manage/settings",
                       {**settings, "title": "Tên mới", "cover": (io.BytesIO(data), name, content_type)}, "cover")
    assert message.startswith(NOT_ALLOWED + " Allowed types: .png, .jpg, .gif, .webp.")
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert course.cover_file_id is None and course.title != "Tên mới"
    # The same file as the cover of a new course: refused, no course created.
    message = _refused(app, client, "/courses/new", {**settings, "code": "MOI-1", "lecturers": "",
                                                     "cover": (io.BytesIO(data), name, content_type)}, "cover")
    assert message.startswith(NOT_ALLOWED)
    assert db.session.scalar(db.select(Course).where(Course.code == "MOI-1")) is None


def test_hostile_images_for_the_page_text_are_refused_with_a_message(app, authoring):
    """The editor's image upload (no form field to show the error on: a flash message on the editor)."""
    client, course, section = authoring
    editor = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new?kind=page"
    for data, name, content_type in [(samples.SVG, "hinh.svg", "image/svg+xml"),
                                     (samples.HTML, "hinh.png", "image/png")]:
        on_disk, rows = cf.files_on_disk(app), _stored_count()
        token = csrf_token(client, editor)
        response = client.post(f"/courses/{course.id}/manage/images", content_type="multipart/form-data", data={
            "csrf_token": token, "next": editor, "image": (io.BytesIO(data), name, content_type)})
        assert response.status_code == 302 and response.headers["Location"].endswith(editor + "#images")
        page = client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
        assert 'class="flash flash-error">' + NOT_ALLOWED in page
        assert cf.files_on_disk(app) == on_disk and _stored_count() == rows
        # A script asking for JSON gets the message as JSON.
        response = client.post(f"/courses/{course.id}/manage/images", content_type="multipart/form-data",
                               headers={"Accept": "application/json"},
                               data={"csrf_token": token, "image": (io.BytesIO(data), name, content_type)})
        assert response.status_code == 400 and response.get_json()["error"].startswith(NOT_ALLOWED)
        assert cf.files_on_disk(app) == on_disk and _stored_count() == rows


def test_replacing_a_lesson_document_with_a_hostile_file_keeps_the_old_one(app, authoring):
    client, course, section = authoring
    lesson = cf.add_document_lesson(section, samples.pdf())
    old_file = lesson.file_id
    path = f"/courses/{course.id}/manage/lessons/{lesson.id}/edit"
    message = _refused(app, client, path, _lesson("Văn kiện", "", file=(io.BytesIO(samples.HTML), "moi.pdf",
                                                                         "application/pdf")))
    assert message.startswith(NOT_ALLOWED)
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).file_id == old_file


@pytest.mark.parametrize("case", ["lesson refused by a rule", "course refused by a rule"])
def test_a_good_file_sent_with_a_refused_form_leaves_nothing_on_disk(app, authoring, factory, case):
    """The file is fine but the rest of the form is refused after the upload was received: the stored
    file is removed again with the rolled-back row."""
    client, course, section = authoring
    if case == "lesson refused by a rule":  # "done by the share watched" is for videos only
        path = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new?kind=document"
        data = _lesson("Văn kiện", "", completion_mode="video_share", file=(io.BytesIO(samples.pdf()), "vk.pdf"))
        field = "completion_mode"
    else:  # the code is taken: refused by the service after the cover image was stored
        path = "/courses/new"
        data = {"code": course.code, "title": "Khoá mới", "summary": "", "category_id": "", "kind": "boi_duong",
                "hours": "8", "opens_on": "", "closes_on": "", "capacity": "", "self_enrol": "y", "enrol_key": "",
                "cover": (io.BytesIO(samples.png()), "bia.png")}
        field = "code"
    _refused(app, client, path, data, field)


# ---- video embed addresses that only look like an allowed site ---------------------------------------

DISGUISED_EMBEDS = [
    "https://evil.example\\@video.tinh.gov.vn/embed/1",  # browsers read "\" as "/": the host is evil.example
    "https://evil.example\\.video.tinh.gov.vn/embed/1",  # same: host evil.example, path /.video.tinh...
    "https://evil.example%5C@video.tinh.gov.vn/embed/1",  # credentials in the address
    "https://user:mat-khau@video.tinh.gov.vn/embed/1",
    "https://x;script-src * .video.tinh.gov.vn/embed/1",  # would be copied into the page's CSP header
    "https://video.tinh.gov.vn:abc/embed/1",  # not a port
]


@pytest.mark.parametrize("url", DISGUISED_EMBEDS)
def test_a_disguised_video_address_is_refused_by_the_lesson_form(app, factory, authoring, url):
    client, course, section = authoring
    services.add_embed_host(factory.admin(), "video.tinh.gov.vn")
    path = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new?kind=video"
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, **_lesson("Video nhúng", "", url=url)})
    assert response.status_code == 200
    assert _field_error(response.get_data(as_text=True), "url") == \
        "This video address is not on the list of allowed video sites."
    assert _lessons(course) == 0
    # Real addresses of the site (and of its sub-domains) are still accepted.
    for good in ("https://video.tinh.gov.vn/embed/42", "https://hue.video.tinh.gov.vn/embed/7"):
        response = client.post(path, data={"csrf_token": token, **_lesson(f"Video {good[-2:]}", "", url=good)})
        assert response.status_code == 302, good


def test_a_disguised_address_stored_earlier_is_neither_framed_nor_given_to_api_clients(app, factory):
    """A lesson whose address was stored before the check was tightened: no iframe, no frame-src, no url."""
    admin = factory.admin()
    services.add_embed_host(admin, "video.tinh.gov.vn")
    course = cf.make_course(factory)
    lesson = cf.add_embed_lesson(cf.add_section(course), "https://video.tinh.gov.vn/embed/1", "video.tinh.gov.vn")
    cf.publish(course)
    lesson.url = DISGUISED_EMBEDS[0]
    db.session.commit()
    learner = factory.user(unit=factory.province())
    services.enrol_person(cf.lecturer_of(course), course, learner)
    response = cf.signed_in(app, learner).get(f"/courses/{course.id}/lessons/{lesson.id}")
    assert response.status_code == 200
    assert "<iframe" not in response.get_data(as_text=True)
    assert "frame-src" not in response.headers["Content-Security-Policy"]
    _row, token = accounts_services.create_api_token(learner, "video")
    body = app.test_client().get(f"/api/v1/courses/{course.id}/lessons/{lesson.id}",
                                 headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["url"] is None


def test_a_request_over_the_size_cap_is_refused_before_anything_is_read(app, authoring, monkeypatch):
    """Above MAX_CONTENT_LENGTH the whole request is refused (413, a clear page) without reading the body."""
    client, course, section = authoring
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 16 * 1024)
    path = f"/courses/{course.id}/manage/sections/{section.id}/lessons/new?kind=document"
    on_disk, rows = cf.files_on_disk(app), _stored_count()
    token = csrf_token(client, path)
    response = client.post(path, content_type="multipart/form-data", data={
        "csrf_token": token, **_lesson("Văn kiện", "", file=(io.BytesIO(samples.pdf(pad=64 * 1024)), "lon.pdf"))})
    assert response.status_code == 413
    assert "The file you sent is larger than allowed." in response.get_data(as_text=True)
    assert cf.files_on_disk(app) == on_disk and _stored_count() == rows and _lessons(course) == 0


# ---- words typed in searches are shown back escaped ----------------------------------------------------

@pytest.mark.parametrize("payload", ['"><script>alert(1)</script>', "'><img src=x onerror=alert(1)>",
                                     "<svg onload=alert(1)>", "javascript:alert(1)"])
def test_search_words_are_shown_back_escaped(app, factory, payload):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, publish=True)
    client = cf.signed_in(app, lecturer)
    for path in ("/courses", f"/courses/{course.id}/manage/enrolment"):
        attacked = client.get(f"{path}?{urlencode({'q': payload})}")
        clean = client.get(f"{path}?{urlencode({'q': 'nghi quyet'})}")
        assert attacked.status_code == clean.status_code == 200
        html = attacked.get_data(as_text=True)
        assert "<" not in payload or payload not in html
        assert page_problems(html) == page_problems(clean.get_data(as_text=True)), path
