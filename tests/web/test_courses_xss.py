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

import pytest
from markupsafe import escape

from elearn.accounts import services as accounts_services
from elearn.core.files import StoredFile
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
    "course_title": '"><script>alert(1)</script><img src=x onerror=alert(1)>',
    "section_title": "'><svg onload=alert(1)>",
    "page_title": "<img src=x onerror=alert(1)>",
    "document_title": '"><iframe src="javascript:alert(1)"></iframe>',
    "video_title": '<a href="javascript:alert(1)">x</a>',
    "link_title": "<details open ontoggle=alert(1)>",
    "reason": "</textarea><script>alert(1)</script>",
    "announcement_title": "</title><script>alert(1)</script>",
    "rich": RICH,
    "document_name": "<img src=x onerror=alert(1)>.pdf",
}
CLEAN = {
    "course_title": "Khoá học Nghị quyết 57", "section_title": "Phần 1. Quan điểm", "page_title": "Bài 1",
    "document_title": "Văn kiện", "video_title": "Bài giảng", "link_title": "Đọc thêm", "reason": "Theo phân công",
    "announcement_title": "Lịch học", "rich": "<h2>Mục tiêu</h2><p>Nắm vững <strong>Nghị quyết</strong>.</p>",
    "document_name": "van-kien.pdf",
}
PLAIN_FIELDS = ("course_title", "section_title", "page_title", "document_title", "video_title", "link_title",
                "reason", "announcement_title")

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
    token = csrf_token(client, path.split("?")[0] if "/lessons/new" not in path else path)
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


def build(app, factory, texts: dict, code: str) -> dict:
    """A course built through the lecturer's forms with `texts`; returns the pages and ids to check."""
    province = factory.province()
    lecturer = factory.lecturer()
    learner = factory.user(unit=province)  # a man: outside the course's target group (women)
    teacher = cf.signed_in(app, lecturer)
    pages = {}

    pages["after create"] = _form(teacher, "/courses/new", {
        "code": code, "title": texts["course_title"], "summary": texts["rich"], "category_id": "",
        "kind": "boi_duong", "hours": "8", "opens_on": "", "closes_on": "", "capacity": "", "self_enrol": "y",
        "enrol_key": ""}).get_data(as_text=True)
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
        texts["link_title"], texts["rich"], url="https://dangcongsan.vn/")).get_data(as_text=True)
    _form(teacher, f"{base}/audience", {"rules-0-gender": "female", "rules-0-include_sub_units": "y",
                                        "submit": "1"})
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
        "completion": f"{base}/completion", "teaching": "/teaching", "lecturer catalogue": f"/courses?q={code}",
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
        "catalogue": f"/courses?q={code}", "course": f"/courses/{course.id}", "my courses": "/my/courses",
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
        ("catalogue", f"/api/v1/courses?q={code}", learner_token), ("course", f"/api/v1/courses/{course.id}", learner_token),
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
        "plain": {"course_title": course.title, "section_title": section.title,
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
    from elearn.courses import services

    return services.item_for_lesson(lesson).id


@pytest.fixture(scope="module")
def twins(app):
    """The attacked course and its harmless twin, built by the same requests (once for the module: the
    results are plain strings and JSON; the rows are removed after the module's first test)."""
    with app.app_context():
        factory = Factory()
        try:
            return build(app, factory, ATTACK, "XSS-A"), build(app, factory, CLEAN, "XSS-B")
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
        "course_title": ["catalogue", "course", "lesson page", "my courses", "dashboard", "teaching", "settings",
                         "lecturer catalogue", "notifications", "participants"],
        "section_title": ["course", "structure", "section edit", "section delete", "edit page"],
        "page_title": ["course", "structure", "lesson page", "edit page", "delete page", "after page lesson"],
        "document_title": ["course", "structure", "lesson document", "edit document", "after document lesson"],
        "video_title": ["course", "structure", "lesson video", "edit video"],
        "link_title": ["course", "structure", "lesson link", "edit link"],
        "reason": ["enrolment", "participants"],
        "announcement_title": ["course", "announcements", "notifications"],
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
    assert ("course", "summary") in rich_seen
    assert {("lesson page", "body"), ("lesson document", "body"), ("lesson video", "body"),
            ("lesson link", "body")} <= rich_seen
    assert api["course"]["title"] == ATTACK["course_title"]
    participants = api["participants"]["items"]
    assert participants and participants[0]["outside_reason"] == ATTACK["reason"]
