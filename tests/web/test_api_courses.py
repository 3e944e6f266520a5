"""The courses part of the JSON API: catalogue, course, outline, lessons, enrolment, participants, progress.

Answers are checked against the OpenAPI component schemas (exactly the documented fields), and every
endpoint against the authorization matrix: anonymous, learner (enrolled and not), another course's
lecturer, the course's lecturer, admin.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from elearn.accounts.domain import Gender
from elearn.courses import domain, services
from elearn.courses.catalog import CompletionMode, CourseKind
from elearn.courses.models import Enrolment, LessonProgress
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.web.test_api import API, assert_error, bearer, conforms, token_for


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()



# Tokens, not passwords, authenticate the API: people here have none (hashing one is slow on purpose).

def call(client, method: str, path: str, who=None, json=None):
    headers = bearer(token_for(who)) if who is not None else {}
    return client.open(f"{API}{path}", method=method, headers=headers, json=json)


@pytest.fixture
def world(factory):
    """A published course A taught by `lecturer` with a page, a manual page and a hidden lesson; course B of
    another lecturer; a draft D of `lecturer`; an enrolled learner, a learner who is not enrolled."""
    province = factory.unit("Tỉnh Tuyên Quang", "province")
    commune = factory.unit("Xã Minh Quang", "commune", province)
    lecturer = factory.lecturer("giangvien", password=None, unit=province)
    other_lecturer = factory.lecturer("giangvienkhac", password=None, unit=province)
    admin = factory.admin(password=None)
    enrolled = factory.user("hocvien", password=None, full_name="Nguyễn Văn An", unit=commune)
    outsider = factory.user("chuaghidanh", password=None, full_name="Lê Thị Bình", unit=commune)
    course = cf.make_course(factory, lecturer, title="Nghị quyết Đại hội XIII của Đảng", code="NQ13",
                            summary='<p>Học tập <b>nghị quyết</b><script>alert(1)</script></p>',
                            kind=CourseKind.REFRESHER, hours=8)
    section = cf.add_section(course, lecturer, "Phần 1: Tổng quan")
    page = cf.add_page_lesson(section, lecturer, title="Bài 1: Bối cảnh", body="<p>Bối cảnh</p>")
    manual = cf.add_page_lesson(section, lecturer, title="Bài 2: Tự đánh dấu", mode=CompletionMode.MANUAL)
    hidden = cf.add_page_lesson(section, lecturer, title="Bài ẩn")
    hidden_item = services.item_for_lesson(hidden)
    hidden_item.visible = False
    db.session.commit()
    cf.publish(course)
    services.self_enrol(enrolled, course)
    other = cf.make_course(factory, other_lecturer, title="Chuyển đổi số", code="CDS1", publish=True,
                           kind=CourseKind.WORKSHOP)
    draft = cf.make_course(factory, lecturer, title="Bản nháp", code="NHAP1", lessons=1)
    return {"province": province, "commune": commune, "lecturer": lecturer, "other_lecturer": other_lecturer,
            "admin": admin, "enrolled": enrolled, "outsider": outsider, "course": course, "section": section,
            "page": page, "manual": manual, "hidden": hidden, "other": other, "draft": draft}


# --- catalogue ------------------------------------------------------------------------------------

def test_categories_are_listed(client, factory, spec):
    r = call(client, "GET", "/categories", factory.user(password=None))
    body = r.get_json()
    conforms(spec, "CourseCategoryList", body)
    assert body["total"] == len(services.categories()) == 9
    assert body["items"][0]["name"] == services.categories()[0].name


def test_catalogue_search_filters_and_drafts(client, world, spec):
    learner = world["enrolled"]
    body = call(client, "GET", "/courses", learner).get_json()
    conforms(spec, "CoursePage", body)
    for item in body["items"]:
        conforms(spec, "CourseSummary", item)
    codes = {c["code"]: c for c in body["items"]}
    assert set(codes) == {"NQ13", "CDS1"}  # no draft
    assert codes["NQ13"]["enrolled"] is True and codes["CDS1"]["enrolled"] is False
    assert codes["NQ13"]["in_audience"] is None  # open to everyone
    assert codes["NQ13"]["hours"] == 8.0 and codes["NQ13"]["kind"] == "boi_duong"

    def found(who, query):
        r = call(client, "GET", f"/courses?{query}", who)
        assert r.status_code == 200, r.get_data(as_text=True)
        return [c["code"] for c in r.get_json()["items"]]

    assert found(learner, "q=" + quote("nghi quyet dai hoi")) == ["NQ13"]  # diacritics folded
    assert found(learner, "q=" + quote("BỐI CẢNH")) == ["NQ13"]  # lesson titles are searched ...
    assert found(learner, "q=" + quote("tong quan")) == []  # ... section titles are not
    assert found(learner, "kind=tap_huan") == ["CDS1"]
    assert found(learner, "q=%25") == []  # a literal "%"
    assert "NHAP1" in found(world["lecturer"], "")  # one's own draft
    assert "NHAP1" not in found(world["other_lecturer"], "")
    assert "NHAP1" not in found(world["admin"], "")  # the catalogue, as on the page: drafts one teaches
    paged = call(client, "GET", "/courses?per_page=1&page=2", learner).get_json()
    assert (paged["page"], paged["per_page"], paged["total"], paged["pages"]) == (2, 1, 2, 2)


def test_catalogue_search_folds_diacritics_in_lesson_titles(client, world):
    r = call(client, "GET", "/courses?q=" + quote("boi canh"), world["outsider"])
    assert [c["code"] for c in r.get_json()["items"]] == ["NQ13"]


def test_catalogue_category_filter_and_bad_parameters(client, world):
    category = services.categories()[2]
    course = world["other"]
    services.update_course(world["other_lecturer"], course, services.CourseData(
        code=course.code, title=course.title, category_id=category.id, kind=course.kind))
    r = call(client, "GET", f"/courses?category_id={category.id}", world["outsider"])
    assert [c["code"] for c in r.get_json()["items"]] == ["CDS1"]
    assert r.get_json()["items"][0]["category"] == {"id": category.id, "code": category.code, "name": category.name}
    r = call(client, "GET", "/courses?category_id=999999&kind=vip&per_page=0&colour=red&q=" + "x" * 101,
             world["outsider"])
    assert set(assert_error(r, 422, "invalid")["error"]["details"]) == {"category_id", "kind", "per_page", "colour", "q"}


# --- one course -----------------------------------------------------------------------------------

def test_course_detail_for_an_enrolled_learner(client, world, spec):
    course = world["course"]
    body = call(client, "GET", f"/courses/{course.id}", world["enrolled"]).get_json()
    conforms(spec, "CourseDetail", body)
    assert body["code"] == "NQ13" and body["state"] == "published"
    assert "<script" not in body["summary"] and "<b>nghị quyết</b>" in body["summary"]
    assert body["lecturers"] == [{"id": world["lecturer"].id, "username": "giangvien",
                                  "full_name": world["lecturer"].full_name}]
    assert body["audience"] == [{"msgid": "Open to everyone.", "params": {}, "text": "Open to everyone.", "depth": 0}]
    assert body["my_enrolment"]["method"] == "self" and body["my_enrolment"]["user_id"] == world["enrolled"].id
    assert body["self_enrol_problems"] is None and body["enrolled"] is True
    assert body["can_study"] is True and body["can_edit"] is False
    assert body["places_taken"] == 1 and body["capacity"] is None


def test_course_detail_explains_why_self_enrolment_is_refused(client, factory, world, spec):
    lecturer = world["lecturer"]
    rules = [domain.AudienceRule(unit_ids=frozenset({world["commune"].id}), gender=Gender.FEMALE)]
    course = cf.make_course(factory, lecturer, code="NUCB", publish=True, audience=rules, enrol_key="bimat")
    man = factory.user("namgioi", password=None, unit=world["province"], gender=Gender.MALE)
    body = call(client, "GET", f"/courses/{course.id}", man).get_json()
    conforms(spec, "CourseDetail", body)
    assert body["in_audience"] is False and body["my_enrolment"] is None and body["enrol_key_required"] is True
    msgids = [m["msgid"] for m in body["self_enrol_problems"]]
    assert "This course is for women cadres." in msgids
    assert "The enrolment key is wrong." not in msgids  # the key is not checked before it is sent
    units_line = next(m for m in body["audience"] if m["msgid"].startswith("Units:"))
    assert units_line["params"] == {"units": ["Xã Minh Quang"]}
    assert "Xã Minh Quang" in units_line["text"]

    woman = factory.user("nugioi", password=None, unit=world["commune"], gender=Gender.FEMALE)
    body = call(client, "GET", f"/courses/{course.id}", woman).get_json()
    assert body["in_audience"] is True and body["self_enrol_problems"] == []


def test_drafts_are_404_to_those_who_may_not_see_them(client, world, spec):
    draft = world["draft"]
    for who in (world["enrolled"], world["outsider"], world["other_lecturer"]):
        for path in (f"/courses/{draft.id}", f"/courses/{draft.id}/sections", f"/me/courses/{draft.id}/progress",
                     f"/courses/{draft.id}/enrolments"):
            body = assert_error(call(client, "GET", path, who), 404, "not_found")
            conforms(spec, "Error", body)
        assert_error(call(client, "POST", f"/courses/{draft.id}/enrolment", who), 404, "not_found")
    assert_error(call(client, "GET", "/courses/999999", world["admin"]), 404, "not_found")
    for who in (world["lecturer"], world["admin"]):
        body = call(client, "GET", f"/courses/{draft.id}", who).get_json()
        assert body["state"] == "draft" and body["can_edit"] is True


# --- outline and lessons --------------------------------------------------------------------------

def test_sections_with_completion_for_the_enrolled_learner(client, world, spec):
    course, learner = world["course"], world["enrolled"]
    enrolment = services.enrolment_of(learner.id, course.id)
    services.record_view(learner, enrolment, world["page"], services.item_for_lesson(world["page"]))
    body = call(client, "GET", f"/courses/{course.id}/sections", learner).get_json()
    conforms(spec, "SectionList", body)
    assert body["total"] == 1
    section = body["items"][0]
    assert section["title"] == "Phần 1: Tổng quan" and section["position"] == 1
    for item in section["items"]:
        conforms(spec, "OutlineItem", item)
    assert [(i["title"], i["completed"]) for i in section["items"]] == [("Bài 1: Bối cảnh", True),
                                                                       ("Bài 2: Tự đánh dấu", False)]
    first = section["items"][0]
    assert first["kind"] == "lesson" and first["ref_id"] == world["page"].id and first["required"] is True
    assert first["url"] == f"/courses/{course.id}/lessons/{world['page'].id}"

    lecturer_view = call(client, "GET", f"/courses/{course.id}/sections", world["lecturer"]).get_json()
    titles = [i["title"] for s in lecturer_view["items"] for i in s["items"]]
    assert "Bài ẩn" in titles  # lecturers see hidden items, marked
    assert call(client, "GET", f"/courses/{course.id}/sections", world["admin"]).status_code == 200


def test_study_endpoints_are_403_for_those_who_may_not_study(client, world):
    course, page = world["course"], world["page"]
    for who in (world["outsider"], world["other_lecturer"]):
        assert_error(call(client, "GET", f"/courses/{course.id}/sections", who), 403, "forbidden")
        assert_error(call(client, "GET", f"/courses/{course.id}/lessons/{page.id}", who), 403, "forbidden")
        assert_error(call(client, "POST", f"/courses/{course.id}/lessons/{page.id}/progress", who,
                          json={"done": True}), 403, "forbidden")
        assert_error(call(client, "GET", f"/me/courses/{course.id}/progress", who), 404, "not_found")


def test_lesson_detail_records_no_view(client, world, spec):
    course, learner, page = world["course"], world["enrolled"], world["page"]
    r = call(client, "GET", f"/courses/{course.id}/lessons/{page.id}", learner)
    body = r.get_json()
    conforms(spec, "Lesson", body)
    assert body["kind"] == "page" and body["title"] == "Bài 1: Bối cảnh" and body["body"] == "<p>Bối cảnh</p>"
    assert body["completion_mode"] == "on_view" and body["file"] is None and body["url"] is None
    assert body["item_id"] == services.item_for_lesson(page).id and body["section_id"] == world["section"].id
    conforms(spec, "LessonProgress", body["my_progress"])
    assert body["my_progress"]["completed"] is False and body["my_progress"]["viewed_at"] is None
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 0
    enrolment = services.enrolment_of(learner.id, course.id)
    assert enrolment.last_access_at is None

    # Lecturers preview: no progress of their own; the hidden lesson is theirs to see, not the learner's.
    body = call(client, "GET", f"/courses/{course.id}/lessons/{world['hidden'].id}", world["lecturer"]).get_json()
    assert body["my_progress"] is None and body["title"] == "Bài ẩn"
    assert_error(call(client, "GET", f"/courses/{course.id}/lessons/{world['hidden'].id}", learner), 404, "not_found")
    other_lesson = world["other"].sections[0].items[0].ref_id
    assert_error(call(client, "GET", f"/courses/{course.id}/lessons/{other_lesson}", learner), 404, "not_found")
    assert_error(call(client, "GET", f"/courses/{course.id}/lessons/999999", learner), 404, "not_found")


def test_document_and_link_lessons_give_the_file_route_and_address(client, world, spec):
    course, learner = world["course"], world["enrolled"]
    document = cf.add_document_lesson(world["section"], samples.pdf(), world["lecturer"], title="Văn kiện")
    link = cf.add_link_lesson(world["section"], "https://dangcongsan.vn/", world["lecturer"])
    body = call(client, "GET", f"/courses/{course.id}/lessons/{document.id}", learner).get_json()
    conforms(spec, "Lesson", body)
    conforms(spec, "LessonFile", body["file"])
    assert body["file"]["url"] == f"/courses/{course.id}/lessons/{document.id}/file"
    assert body["file"]["download_url"] == f"/courses/{course.id}/lessons/{document.id}/file?download=1"
    assert body["file"]["content_type"] == "application/pdf" and body["file"]["size"] == len(samples.pdf())
    body = call(client, "GET", f"/courses/{course.id}/lessons/{link.id}", learner).get_json()
    assert body["kind"] == "link" and body["url"] == "https://dangcongsan.vn/"


# --- self-enrolment -------------------------------------------------------------------------------

def test_self_enrolment_creates_then_returns_the_enrolment(client, world, spec):
    course, learner = world["course"], world["outsider"]
    r = call(client, "POST", f"/courses/{course.id}/enrolment", learner)
    assert r.status_code == 201, r.get_data(as_text=True)
    conforms(spec, "Enrolment", r.get_json())
    assert r.get_json()["method"] == "self" and r.get_json()["in_target"] is True
    again = call(client, "POST", f"/courses/{course.id}/enrolment", learner, json={})
    assert again.status_code == 200 and again.get_json()["id"] == r.get_json()["id"]
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.course_id == course.id)) == 2


def test_self_enrolment_refused_with_reasons(client, factory, world, spec):
    rules = [domain.AudienceRule(gender=Gender.FEMALE)]
    course = cf.make_course(factory, world["lecturer"], code="KEY1", publish=True, audience=rules, enrol_key="bimat")
    man = factory.user("nam", password=None, unit=world["province"], gender=Gender.MALE)
    r = call(client, "POST", f"/courses/{course.id}/enrolment", man, json={"key": "sai"})
    body = assert_error(r, 422, "enrolment_refused")
    conforms(spec, "Error", body)
    reasons = body["error"]["details"]["reasons"]
    assert "The enrolment key is wrong." in reasons and "This course is for women cadres." in reasons
    assert services.enrolment_of(man.id, course.id) is None

    woman = factory.user("nu", password=None, unit=world["province"], gender=Gender.FEMALE)
    refused = assert_error(call(client, "POST", f"/courses/{course.id}/enrolment", woman), 422, "enrolment_refused")
    assert refused["error"]["details"]["reasons"] == ["The enrolment key is wrong."]
    assert call(client, "POST", f"/courses/{course.id}/enrolment", woman, json={"key": "bimat"}).status_code == 201


def test_self_enrolment_bad_bodies(client, world):
    course, learner = world["course"], world["outsider"]
    path = f"{API}/courses/{course.id}/enrolment"
    headers = bearer(token_for(learner))
    r = client.post(path, headers=headers, data="not json", content_type="application/json")
    assert "body" in assert_error(r, 422, "invalid")["error"]["details"]
    r = client.post(path, headers=headers, json=["key"])
    assert_error(r, 422, "invalid")
    r = client.post(path, headers=headers, json={"key": 5, "colour": "red"})
    assert set(assert_error(r, 422, "invalid")["error"]["details"]) == {"key", "colour"}
    assert services.enrolment_of(learner.id, course.id) is None


# --- participants and manual enrolment ------------------------------------------------------------

def test_participants_for_the_course_lecturer_and_admin_only(client, world, spec):
    course = world["course"]
    path = f"/courses/{course.id}/enrolments"
    for who in (world["enrolled"], world["outsider"], world["other_lecturer"]):
        assert_error(call(client, "GET", path, who), 403, "forbidden")
    for who in (world["lecturer"], world["admin"]):
        body = call(client, "GET", path, who).get_json()
        conforms(spec, "ParticipantPage", body)
        for item in body["items"]:
            conforms(spec, "Participant", item)
        assert [p["user"]["username"] for p in body["items"]] == ["hocvien"]
        assert body["items"][0]["user"]["unit"]["name"] == "Xã Minh Quang"
        assert body["items"][0]["progress"] == 0 and body["items"][0]["last_access_at"] is None
    lecturer = world["lecturer"]
    assert call(client, "GET", f"{path}?completion=completed", lecturer).get_json()["total"] == 0
    assert call(client, "GET", f"{path}?completion=in_progress", lecturer).get_json()["total"] == 1
    assert call(client, "GET", f"{path}?unit_id={world['province'].id}", lecturer).get_json()["total"] == 1
    details = assert_error(call(client, "GET", f"{path}?unit_id=999999&completion=maybe", lecturer),
                           422, "invalid")["error"]["details"]
    assert set(details) == {"unit_id", "completion"}


def test_manual_enrolment_by_the_lecturer(client, factory, world, spec):
    lecturer = world["lecturer"]
    rules = [domain.AudienceRule(unit_ids=frozenset({world["commune"].id}))]
    course = cf.make_course(factory, lecturer, code="TARGET", publish=True, audience=rules)
    path = f"/courses/{course.id}/enrolments"
    inside = world["enrolled"]
    outside = factory.user("ngoai", password=None, unit=world["province"])

    r = call(client, "POST", path, lecturer, json={"user_id": inside.id})
    assert r.status_code == 201, r.get_data(as_text=True)
    conforms(spec, "Enrolment", r.get_json())
    assert r.get_json()["method"] == "manual" and r.get_json()["in_target"] is True
    assert call(client, "POST", path, lecturer, json={"user_id": inside.id}).status_code == 200

    body = assert_error(call(client, "POST", path, lecturer, json={"user_id": outside.id}), 422, "invalid")
    conforms(spec, "Error", body)
    assert "outside this course's target group" in body["error"]["details"]["reason"]
    assert services.enrolment_of(outside.id, course.id) is None

    r = call(client, "POST", path, world["admin"], json={"user_id": outside.id, "reason": "Cán bộ biệt phái"})
    assert r.status_code == 201
    assert r.get_json()["in_target"] is False and r.get_json()["outside_reason"] == "Cán bộ biệt phái"

    details = assert_error(call(client, "POST", path, lecturer, json={"user_id": 999999, "reason": 7}),
                           422, "invalid")["error"]["details"]
    assert set(details) == {"user_id", "reason"}
    assert_error(call(client, "POST", path, lecturer, json={"user_id": "1"}), 422, "invalid")


def test_manual_enrolment_is_403_for_others(client, world):
    course = world["course"]
    path = f"/courses/{course.id}/enrolments"
    for who in (world["enrolled"], world["outsider"], world["other_lecturer"]):
        assert_error(call(client, "POST", path, who, json={"user_id": world["outsider"].id}), 403, "forbidden")
    assert services.enrolment_of(world["outsider"].id, course.id) is None


# --- my courses and progress ----------------------------------------------------------------------

def test_my_courses_with_progress_and_resume(client, world, spec):
    course, learner = world["course"], world["enrolled"]
    body = call(client, "GET", "/me/courses", learner).get_json()
    conforms(spec, "MyCoursePage", body)
    assert body["total"] == 1
    entry = body["items"][0]
    conforms(spec, "MyCourse", entry)
    assert entry["course"] == {"id": course.id, "code": "NQ13", "title": course.title, "state": "published"}
    assert entry["resume"]["ref_id"] == world["page"].id and entry["enrolment"]["progress"] == 0

    call(client, "POST", f"/courses/{course.id}/lessons/{world['manual'].id}/progress", learner, json={"done": True})
    services.record_view(learner, services.enrolment_of(learner.id, course.id), world["page"],
                         services.item_for_lesson(world["page"]))
    entry = call(client, "GET", "/me/courses", learner).get_json()["items"][0]
    assert entry["enrolment"]["progress"] == 1.0 and entry["enrolment"]["completed_at"] is not None
    assert entry["resume"]["ref_id"] == world["page"].id  # where the learner left off
    assert entry["enrolment"]["last_access_at"] is not None

    empty = call(client, "GET", "/me/courses", world["outsider"]).get_json()
    assert empty == {"items": [], "page": 1, "per_page": 25, "total": 0, "pages": 0}
    assert_error(call(client, "GET", "/me/courses?page=0", learner), 422, "invalid")


def test_my_progress_per_lesson_and_rules(client, world, spec):
    course, learner = world["course"], world["enrolled"]
    path = f"/me/courses/{course.id}/progress"
    body = call(client, "GET", path, learner).get_json()
    conforms(spec, "MyProgress", body)
    for line in body["lessons"]:
        conforms(spec, "MyLessonProgress", line)
    for rule in body["rules"]:
        conforms(spec, "RuleOutcome", rule)
    assert [line["title"] for line in body["lessons"]] == ["Bài 1: Bối cảnh", "Bài 2: Tự đánh dấu"]  # not the hidden one
    assert body["complete"] is False and body["progress"] == 0 and body["manual_only"] is False
    assert [r["kind"] for r in body["rules"]] == ["required_lessons"]  # the default rule
    assert body["rules"][0]["detail"]["params"] == {"done": 0, "total": 2}

    call(client, "POST", f"/courses/{course.id}/lessons/{world['page'].id}/progress", learner, json={"done": True})
    body = call(client, "GET", path, learner).get_json()
    assert body["progress"] == 0.5 and body["lessons"][0]["completed"] is True
    assert body["rules"][0]["detail"]["text"] == "1 of 2 required lessons completed"

    for who in (world["lecturer"], world["admin"], world["outsider"]):  # no enrolment: nothing of "mine"
        assert_error(call(client, "GET", path, who), 404, "not_found")


def test_mark_done_and_undone(client, world, spec):
    course, learner, manual = world["course"], world["enrolled"], world["manual"]
    path = f"/courses/{course.id}/lessons/{manual.id}/progress"
    r = call(client, "POST", path, learner, json={"done": True})
    body = r.get_json()
    conforms(spec, "ProgressRecorded", body)
    assert body["lesson_progress"]["completed"] is True and body["enrolment"]["progress"] == 0.5
    again = call(client, "POST", path, learner, json={"done": True}).get_json()
    assert again["lesson_progress"]["marked_done_at"] == body["lesson_progress"]["marked_done_at"]
    undone = call(client, "POST", path, learner, json={"done": False}).get_json()
    assert undone["lesson_progress"]["completed"] is False and undone["enrolment"]["progress"] == 0


def test_video_progress_is_idempotent(client, world, spec):
    course, learner = world["course"], world["enrolled"]
    video = cf.add_video_lesson(world["section"], samples.mp4_header() + b"\0" * 2000, world["lecturer"], threshold=0.9)
    path = f"/courses/{course.id}/lessons/{video.id}/progress"
    first = call(client, "POST", path, learner, json={"share": 0.5, "position": 120})
    assert first.status_code == 200, first.get_data(as_text=True)
    conforms(spec, "ProgressRecorded", first.get_json())
    repeated = call(client, "POST", path, learner, json={"share": 0.5, "position": 120}).get_json()
    assert repeated == first.get_json()
    late = call(client, "POST", path, learner, json={"share": 0.3, "position": 60}).get_json()
    assert late["lesson_progress"]["watched_share"] == 0.5 and late["lesson_progress"]["completed"] is False
    done = call(client, "POST", path, learner, json={"share": 0.95, "position": 400}).get_json()
    assert done["lesson_progress"]["completed"] is True
    completed_at = done["lesson_progress"]["completed_at"]
    after = call(client, "POST", path, learner, json={"share": 0.2}).get_json()
    assert after["lesson_progress"]["completed_at"] == completed_at and after["lesson_progress"]["position"] == 0
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)
                             .where(LessonProgress.lesson_id == video.id)) == 1

    # A video completed by the share watched cannot be ticked done by hand.
    refused = assert_error(call(client, "POST", path, learner, json={"done": True}), 422, "invalid")
    assert "watching" in refused["error"]["message"]


def test_progress_bad_bodies_and_previews(client, world):
    course, learner, page = world["course"], world["enrolled"], world["page"]
    path = f"/courses/{course.id}/lessons/{page.id}/progress"
    assert "share" in assert_error(call(client, "POST", path, learner, json={"share": 0.5}),
                                   422, "invalid")["error"]["details"]  # not a video
    for bad in ({}, {"done": True, "share": 0.5}, {"done": "yes"}, {"share": 2}, {"share": "half"},
                {"share": True}, {"colour": 1}, {"share": 0.5, "position": -1}):
        assert_error(call(client, "POST", path, learner, json=bad), 422, "invalid")
    for raw in ("NaN", '{"share": NaN}', '{"share": Infinity}', "{"):
        r = client.post(f"{API}{path}", headers=bearer(token_for(learner)), data=raw, content_type="application/json")
        assert_error(r, 422, "invalid")
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 0
    for who in (world["lecturer"], world["admin"]):  # previewing: nothing to record
        body = assert_error(call(client, "POST", path, who, json={"done": True}), 409, "not_enrolled")
        assert body["error"]["message"]
    assert_error(call(client, "POST", f"/courses/{course.id}/lessons/{world['hidden'].id}/progress", learner,
                      json={"done": True}), 404, "not_found")


# --- authorization matrix -------------------------------------------------------------------------

def test_authorization_matrix(client, factory, world):
    """Each route for: anonymous, enrolled learner, learner not enrolled, another course's lecturer, the course's
    lecturer, admin. Routes that change something come last, in an order whose effects the table expects."""
    c, page = world["course"].id, world["page"].id
    target = factory.user("duocghidanh", password=None, unit=world["province"])
    matrix = [
        ("GET", "/categories", None, (401, 200, 200, 200, 200, 200)),
        ("GET", "/courses", None, (401, 200, 200, 200, 200, 200)),
        ("GET", f"/courses/{c}", None, (401, 200, 200, 200, 200, 200)),
        ("GET", f"/courses/{c}/sections", None, (401, 200, 403, 403, 200, 200)),
        ("GET", f"/courses/{c}/lessons/{page}", None, (401, 200, 403, 403, 200, 200)),
        ("GET", f"/courses/{c}/enrolments", None, (401, 403, 403, 403, 200, 200)),
        ("GET", "/me/courses", None, (401, 200, 200, 200, 200, 200)),
        ("GET", f"/me/courses/{c}/progress", None, (401, 200, 404, 404, 404, 404)),
        ("POST", f"/courses/{c}/lessons/{page}/progress", {"done": True}, (401, 200, 403, 403, 409, 409)),
        # The lecturer enrols `target`; the admin then finds them enrolled (200).
        ("POST", f"/courses/{c}/enrolments", {"user_id": target.id}, (401, 403, 403, 403, 201, 200)),
        # Anyone who may see a published course open to everyone may enrol in it (as on the page).
        ("POST", f"/courses/{c}/enrolment", None, (401, 200, 201, 201, 201, 201)),
    ]
    people = [None, world["enrolled"], world["outsider"], world["other_lecturer"], world["lecturer"], world["admin"]]
    tokens = [token_for(p) if p is not None else None for p in people]
    for method, path, body, expected in matrix:
        for who, secret in enumerate(tokens):
            headers = bearer(secret) if secret else {}
            r = client.open(f"{API}{path}", method=method, headers=headers, json=body)
            assert r.status_code == expected[who], (method, path, who, r.get_data(as_text=True)[:200])
            assert r.mimetype == "application/json"


def test_disabled_or_revoked_token_is_401_on_course_routes(client, world):
    learner = world["enrolled"]
    secret = token_for(learner)
    learner.active = False
    db.session.commit()
    assert_error(client.get(f"{API}/courses", headers=bearer(secret)), 401, "unauthorized")
    assert_error(client.post(f"{API}/courses/{world['course'].id}/enrolment", headers=bearer(secret)),
                 401, "unauthorized")
