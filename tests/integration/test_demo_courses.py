"""`seed-demo` also adds the demo courses: published courses in Vietnamese with real lesson text, a
generated PDF, learners at every stage of progress, a draft, and a course only commune Party secretaries
may join. Seeding again changes nothing."""
from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from datetime import timedelta

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from elearn.accounts.domain import Category
from elearn.accounts.models import User
from elearn.core import clock, html
from elearn.core.audit import AuditEntry
from elearn.core.files import StoredFile, path_of
from elearn.core.text import fold
from elearn.courses import catalog, services
from elearn.courses.catalog import CourseState, LessonKind
from elearn.courses.models import Course, Enrolment, Lesson, LessonProgress, SectionItem
from elearn.demo import PASSWORDS, pdfdoc, seed
from elearn.demo import course_texts as texts
from elearn.demo import courses as demo_courses
from elearn.extensions import db
from tests.conftest import csrf_token

VIETNAMESE_LETTERS = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


@pytest.fixture
def seeded(demo_seeded):
    """The demo as seed() left it: seeded once per test session (tests/integration/conftest.py)."""
    return demo_seeded


def _demo_courses() -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.code.in_(demo_courses.DEMO_CODES)).order_by(Course.id)))


def _row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def _sign_in(client, user: User, password: str) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": user.username, "password": password, "csrf_token": token})
    assert response.status_code == 302, user.username


# --- a PDF reader for the test (fpdf2's output: plain objects, FlateDecode streams, Identity-H fonts) ----

def _pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """{object number: (dictionary, decoded stream or None)}."""
    objects = {}
    for match in re.finditer(rb"(?m)^(\d+) 0 obj\s*", data):
        start = match.end()
        body, stream = data[start:data.find(b"endobj", start)], None
        opened = re.search(rb">>\s*stream\r?\n", body)
        if opened:
            head = body[:opened.start()]
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            raw = data[start + opened.end():start + opened.end() + length]
            stream = zlib.decompress(raw) if b"/FlateDecode" in head else raw
            body = head
        objects[int(match.group(1))] = (body, stream)
    return objects


def _ref(body: bytes, key: bytes) -> int:
    return int(re.search(rb"/" + key + rb" (\d+) 0 R", body).group(1))


def _to_unicode(cmap: bytes) -> dict[int, str]:
    pairs = re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,})>", cmap.split(b"endcodespacerange", 1)[1])
    return {int(glyph, 16): bytes.fromhex(text.decode()).decode("utf-16-be") for glyph, text in pairs}


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _pdf_pages_text(data: bytes) -> list[str]:
    """The text of each page, through each font's ToUnicode map (white space collapsed)."""
    objects = _pdf_objects(data)
    catalog_ = next(body for body, _stream in objects.values() if b"/Type /Catalog" in body)
    kids_list = objects[_ref(catalog_, b"Pages")][0].split(b"/Kids", 1)[1].split(b"]", 1)[0]
    pages = []
    for kid in (int(n) for n in re.findall(rb"(\d+) 0 R", kids_list)):
        page = objects[kid][0]
        resources = objects[_ref(page, b"Resources")][0]
        fonts = {name: _to_unicode(objects[_ref(objects[int(number)][0], b"ToUnicode")][1])
                 for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", resources)}
        font, words = {}, []
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)", objects[_ref(page, b"Contents")][1], re.S):
            if token.group(1):
                font = fonts[token.group(1)]
                continue
            raw = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3})",
                         lambda m: _ESCAPES.get(m.group(1)) or bytes([int(m.group(1), 8) & 0xFF]), token.group(2))
            words.append("".join(font.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd")
                                 for i in range(0, len(raw) - 1, 2)))
        pages.append(" ".join(" ".join(words).split()))
    return pages


# --- tests ----------------------------------------------------------------------------------------

def test_texts_are_real_vietnamese_in_the_allowed_html():
    """Pure: every lesson text is 150-600 words of Vietnamese and survives the sanitiser unchanged."""
    for course in texts.COURSES:
        for text in (course.summary, *(lesson.text for s in course.sections for lesson in s.lessons)):
            markup = texts.to_html(text)
            assert html.clean(markup) == markup, course.code
            assert "lorem" not in markup.lower() and "ipsum" not in markup.lower()
        for lesson in (lesson for s in course.sections for lesson in s.lessons if lesson.kind == LessonKind.PAGE):
            assert 150 <= texts.plain_words(lesson.text) <= 600, lesson.title
            assert VIETNAMESE_LETTERS & set(lesson.text.lower()), lesson.title


def test_published_courses_across_categories_with_real_lessons(seeded, client):
    assert any(line.startswith("Demo courses created: 7 published and 1 draft") for line in seeded)
    courses = _demo_courses()
    published = [c for c in courses if c.state == CourseState.PUBLISHED]
    assert len(published) >= 6
    assert len({c.category_id for c in published}) >= 5
    today = clock.today_local()
    for course in published:
        assert course.lecturer_ids and course.hours > 0 and course.summary
        assert course.opens_on < today < course.closes_on
        assert course.completion_rules == [{"kind": "required_lessons"}]
        assert course.sections and all(section.items for section in course.sections)
    kinds = Counter()
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id.in_([c.id for c in courses]))):
        kinds[lesson.kind] += 1
        if lesson.kind == LessonKind.PAGE:
            words = html.text_only(lesson.body).split()
            assert len(words) >= 150, lesson.title
            assert len(lesson.body.encode()) < 60 * 1024 and not catalog.page_too_heavy(lesson.body)
            assert fold(lesson.body) != lesson.body.lower(), lesson.title  # diacritics: Vietnamese text
            assert "lorem" not in lesson.body.lower()
            assert lesson.body.startswith("<h2>") and "<p>" in lesson.body
    assert kinds[LessonKind.PAGE] >= 25 and kinds[LessonKind.DOCUMENT] == 1 and kinds[LessonKind.LINK] == 1
    link = db.session.scalar(select(Lesson).where(Lesson.kind == LessonKind.LINK))
    assert link.url == "https://chinhphu.vn"

    # The catalogue finds them without diacritics; the lecturer's draft stays out of it.
    found = db.session.scalars(services.catalogue_query(None, q="nghi quyet 57")).all()
    assert [c.code for c in found] == ["BD-NQ57"]
    assert len(db.session.scalars(services.catalogue_query(None)).all()) == len(published)
    drafts = [c for c in courses if c.state == CourseState.DRAFT]
    assert len(drafts) == 1
    author = db.session.get(User, drafts[0].created_by_id)
    assert author.has_role("lecturer") and drafts[0].lecturer_ids == {author.id}
    assert drafts[0].sections[0].items


def test_the_generated_pdf_is_stored_and_served(seeded, client):
    lesson = db.session.scalar(select(Lesson).where(Lesson.kind == LessonKind.DOCUMENT))
    stored = db.session.get(StoredFile, lesson.file_id)
    assert stored.kind == "document" and stored.content_type == "application/pdf"
    assert (stored.attached_type, stored.attached_id) == ("lesson", lesson.id)
    data = path_of(stored).read_bytes()
    assert stored.size == len(data) and stored.sha256 == hashlib.sha256(data).hexdigest()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 2
    assert b"/FontFile2" in data and b"DejaVuSans" in data  # the font is embedded
    pages = _pdf_pages_text(data)
    assert len(pages) >= 2
    assert "TÓM TẮT NGHỊ QUYẾT 57-NQ/TW" in pages[0]
    whole = " ".join(pages)
    for phrase in ("đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
                   "Quy mô tối thiểu 30% GDP", "Ban Chỉ đạo Trung ương", "Tổng Bí thư"):
        assert phrase in whole
    assert "\ufffd" not in whole

    # An enrolled learner opens it through the permission-checked route.
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == lesson.course_id)
                                  .order_by(Enrolment.id))
    _sign_in(client, db.session.get(User, enrolment.user_id), PASSWORDS["learner"])
    response = client.get(f"/courses/{lesson.course_id}/lessons/{lesson.id}/file")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.get_data() == data


def test_pdf_writer_renders_every_block_kind():
    data = pdfdoc.render("Tiêu đề thử", [("h2", "Mục một"), ("h3", "Mục nhỏ"), ("p", "Đoạn **đậm** và thường."),
                                         ("ul", ["Ý thứ nhất", "Ý thứ hai"]), ("table", [["Cột", "Giá trị"], ["a", "b"]])],
                         subtitle="Phụ đề", issuer="Trường Chính trị tỉnh")
    text = _pdf_pages_text(data)[0]
    for expected in ("TIÊU ĐỀ THỬ", "Phụ đề", "Mục một", "Mục nhỏ", "Đoạn", "đậm", "Ý thứ hai", "Giá trị"):
        assert expected in text
    with pytest.raises(ValueError):
        pdfdoc.render("x", [("video", "y")])


def test_learners_at_every_stage_of_progress(seeded):
    courses = {c.id: c for c in _demo_courses()}
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.course_id.in_(list(courses)))).all()
    learners = {e.user_id for e in enrolments}
    assert 100 <= len(learners) <= 140
    assert all(db.session.get(User, uid).has_role("learner") for uid in learners)
    now = clock.now()

    def lesson_rows(e):
        ids = [item.ref_id for s in courses[e.course_id].sections for item in s.items if item.kind == "lesson"]
        rows = db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == e.user_id,
                                                               LessonProgress.lesson_id.in_(ids))).all()
        return ids, rows

    completed = [e for e in enrolments if e.completed_at is not None]
    in_progress = [e for e in enrolments if e.completed_at is None and 0 < e.progress < 1]
    not_started = [e for e in enrolments if e.progress == 0]
    assert len(completed) >= 20 and len(in_progress) >= 20 and len(not_started) >= 10
    assert len(completed) + len(in_progress) + len(not_started) == len(enrolments)
    for e in completed:
        ids, rows = lesson_rows(e)
        assert e.progress == 1 and len(rows) == len(ids) and all(r.completed_at for r in rows)
        assert e.completed_at == max(r.completed_at for r in rows)  # recorded when the last lesson was done
        assert e.enrolled_at < e.completed_at < now and e.last_access_at == e.completed_at
    for e in in_progress:
        ids, rows = lesson_rows(e)
        assert 0 < len(rows) < len(ids) and e.last_access_at is not None and e.last_item_id
        assert all(e.enrolled_at <= r.viewed_at < now for r in rows)
    for e in not_started:
        assert lesson_rows(e)[1] == [] and e.last_access_at is None
    # Dates spread over the past months, none in the future.
    completion_days = {e.completed_at.date() for e in completed}
    assert len(completion_days) >= 10
    assert max(e.completed_at for e in completed) - min(e.completed_at for e in completed) > timedelta(days=30)
    assert min(e.enrolled_at for e in enrolments) < now - timedelta(days=90)
    # Enrolled by themselves, by the training office and by rule; in target except two recorded exceptions.
    assert {"self", "manual", "rule"} <= {e.method for e in enrolments}
    outside = [e for e in enrolments if not e.in_target]
    assert len(outside) == 2 and all(e.outside_reason for e in outside)
    for e in enrolments:
        if e.in_target:
            assert services.audience_match(db.session.get(User, e.user_id), courses[e.course_id]).ok
    # The manual lesson is done only by those who marked it.
    manual = db.session.scalar(select(Lesson).where(Lesson.completion_mode == catalog.CompletionMode.MANUAL))
    done = db.session.scalars(select(LessonProgress).where(LessonProgress.lesson_id == manual.id)).all()
    assert done and all(r.marked_done_at and r.completed_at for r in done)

    # The audit log reads like real work: lecturers author, the office enrols, at past moments.
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("course.%")
                                                          | AuditEntry.action.like("enrolment.%"))).all()
    actions = Counter(e.action for e in entries)
    assert actions["course.create"] == len(courses) and actions["course.state"] == len(courses) - 1
    assert actions["enrolment.by_rule"] == 1 and actions["enrolment.create"] >= 50
    creators = {e.actor_id for e in entries if e.action == "course.create"}
    assert all(db.session.get(User, uid).has_role("lecturer") for uid in creators) and len(creators) == 3
    assert all(e.at < now for e in entries) and min(e.at for e in entries) < now - timedelta(days=150)


def test_the_demo_learner_sees_each_state_in_my_courses(seeded, client):
    from elearn.demo import people

    spec = people.demo_learner(people.learners())
    learner = demo_courses._find(spec)
    mine = {e.course.code: e for e in services.my_enrolments(learner)}
    assert mine["BD-NQ57"].completed_at is not None
    assert mine["TH-AI-CBCC"].completed_at is None and 0 < mine["TH-AI-CBCC"].progress < 1
    assert mine["BD-CDS-XA"].progress == 0
    assert mine["BD-BTDU-XA"].method == "rule"
    _sign_in(client, learner, PASSWORDS["learner"])
    page = client.get("/my/courses").get_data(as_text=True)
    assert all(e.course.title in page for e in mine.values())


def test_the_secretaries_course_refuses_others_with_reasons(seeded, client):
    course = db.session.scalar(select(Course).where(Course.code == texts.SECRETARIES.code))
    assert course.audience == [{"categories": [Category.COMMUNE_SECRETARY.value]}]
    enrolled = set(db.session.scalars(select(Enrolment.user_id).where(Enrolment.course_id == course.id)))
    learners = [u for u in db.session.scalars(select(User).order_by(User.id)) if u.has_role("learner")]
    secretaries = {u.id for u in learners if Category.COMMUNE_SECRETARY in u.profile.categories}
    assert enrolled == secretaries and len(secretaries) >= 20

    other = next(u for u in learners if u.id not in secretaries)
    match = services.audience_match(other, course)
    assert not match.ok and match.reasons
    problems = services.self_enrol_check(other, course)
    assert problems and all(reason in problems for reason in match.reasons)
    with pytest.raises(services.CourseError):
        services.self_enrol(other, course)
    db.session.rollback()

    # On the course page the person reads why, and no enrolment form is offered.
    _sign_in(client, other, PASSWORDS["learner"])
    page = client.get(f"/courses/{course.id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    with client.application.test_request_context():
        reasons = [reason.render(gettext) for reason in match.reasons]
    assert all(html_escape(reason) in body for reason in reasons)
    assert f'action="/courses/{course.id}/enrol"' not in body
    client.post(f"/courses/{course.id}/enrol", data={"csrf_token": csrf_token(client, f"/courses/{course.id}")})
    assert services.enrolment_of(other.id, course.id) is None


def html_escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_seeding_again_changes_nothing(seeded, app):
    before = _row_counts()
    files = sorted(p.name for p in (app.config["INSTANCE_DIR"] / "files").rglob("*") if p.is_file())
    assert before["course"] == len(demo_courses.DEMO_CODES) and before["enrolment"] >= 150
    again = seed()
    assert "already" in again[0]
    assert demo_courses.seed_courses().startswith("Demo courses already present")
    assert _row_counts() == before
    assert sorted(p.name for p in (app.config["INSTANCE_DIR"] / "files").rglob("*") if p.is_file()) == files
    assert db.session.scalar(select(func.count()).select_from(SectionItem)) == before["section_item"]
