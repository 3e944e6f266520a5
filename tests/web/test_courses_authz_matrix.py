"""Authorization matrix over every course page and course API endpoint ("Bad input and attacks").

The routes are read from app.url_map: every endpoint "courses.*" and every API rule under
/api/v1/courses, /api/v1/me/courses and /api/v1/categories must have an entry in EXPECTED (a route
added later without one fails `test_every_course_route_has_an_expectation`). Each entry says, per
persona and per course state (published / draft / archived), the exact status code:

- anonymous: pages redirect to /login, the API answers 401 JSON;
- a draft (and its files) for people who may not see it: 404, existence not revealed; likewise an
  archived course for people who were not enrolled in it;
- lecturer pages of a visible course for people who may not manage it: 403;
- lessons of a visible course for people not enrolled: 403 for the page, 404 for its file (and for the
  page's JSON progress endpoint, like a file);
- the course's lecturer and admins: 200 (POST routes: the code of the harmless request sent).

POST routes get a CSRF-valid request. People expected to be refused send the request that WOULD change
something (`attack`); the others send harmless or invalid data (`data`), so that the world stays the
same. For every refused persona the test compares a snapshot of the database and of the files on disk
before and after: nothing may change (the enrolled learner's own progress and notification reads aside).
Two more tests keep this honest: the `attack` requests, sent by an admin, do change something; and every
page POST without a CSRF token is refused.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from flask import url_for

from elearn.accounts import services as accounts_services
from elearn.courses import services
from elearn.courses.catalog import CompletionMode, CourseState
from elearn.courses.models import EmbedHost, Enrolment, Section, SectionItem
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.conftest import IsolatedClient, csrf_token

STATES = ("published", "draft", "archived")
PERSONAS = ("anonymous", "enrolled", "learner", "other_lecturer", "lecturer", "admin")
API_PREFIXES = ("/api/v1/courses", "/api/v1/me/courses", "/api/v1/categories")
KEY = "khoa-dung"  # the enrolment key of the world's courses


# ---- the expectation table ------------------------------------------------------------------------

def per(enrolled: int, learner: int, other_lecturer: int, lecturer: int, admin: int) -> dict[str, int]:
    """Expected status per signed-in persona (anonymous is always login redirect / 401)."""
    return {"enrolled": enrolled, "learner": learner, "other_lecturer": other_lecturer, "lecturer": lecturer,
            "admin": admin}


@dataclass
class Row:
    """Expectations of one (endpoint, method).

    `published` / `draft` / `archived`: per-persona codes for a course-scoped route in each course state; `any`:
    the codes of a route that belongs to no course. `data` is sent by people expected to succeed (or
    be refused by validation), `attack` (default: `data`) by people expected to get 403/404/401.
    A callable gets (world, course) and returns the dict. `json`: send the data as a JSON body.
    `lesson` / `target`: which lesson, section, item or enrolment fills the URL (see World.params)."""

    published: dict | None = None
    draft: dict | None = None
    archived: dict | None = None
    any: dict | None = None
    data: Any = None
    attack: Any = None
    json: bool = False
    lesson: str = "page"
    target: str = "main"


# The usual profiles. An archived course stays open to its learners only ("enrolled" is enrolled in all three).
VIEW = dict(published=per(200, 200, 200, 200, 200), draft=per(404, 404, 404, 200, 200),
            archived=per(200, 404, 404, 200, 200))
STUDY_PAGE = dict(published=per(200, 403, 403, 200, 200), draft=per(404, 404, 404, 200, 200),
                  archived=per(200, 404, 404, 200, 200))
STUDY_FILE = dict(published=per(200, 404, 404, 200, 200), draft=per(404, 404, 404, 200, 200),
                  archived=per(200, 404, 404, 200, 200))
MANAGE = dict(published=per(403, 403, 403, 200, 200), draft=per(404, 404, 404, 200, 200),
              archived=per(403, 404, 404, 200, 200))


def manage_post(ok: int, **kw) -> Row:
    """A lecturer POST: refused (403 if one sees the course, else 404) unless one teaches it or is admin."""
    return Row(published=per(403, 403, 403, ok, ok), draft=per(404, 404, 404, ok, ok),
               archived=per(403, 404, 404, ok, ok), **kw)


def _course_form(world, course) -> dict:
    """Valid course settings: a new course, or the course renamed (its lecturer kept)."""
    data = {"code": "CHEN-VAO", "title": "Tên bị đổi", "summary": "", "category_id": "", "kind": "boi_duong",
            "hours": "8", "opens_on": "", "closes_on": "", "capacity": "", "self_enrol": "y", "enrol_key": ""}
    if course is not None:
        data.update(code=course.code, lecturers=str(world.users["lecturer"].id))
    return data


def _lesson_form(title: str) -> dict:
    return {"title": title, "body": "<p>Nội dung chen vào</p>", "url": "", "completion_mode": "on_view",
            "video_percent": "90", "required": "y", "minutes": "5"}


EXPECTED: dict[tuple[str, str], Row] = {
    # -- learner pages ---------------------------------------------------------------------------------
    ("courses.catalogue", "GET"): Row(any=per(200, 200, 200, 200, 200)),
    ("courses.course", "GET"): Row(**VIEW),
    ("courses.enrol", "POST"): Row(  # a wrong key: refused with the reason on the page (200)
        published=per(302, 200, 200, 200, 200), draft=per(404, 404, 404, 200, 200),
        archived=per(302, 404, 404, 200, 200), data={"key": "sai-khoa"}, attack={"key": KEY}),
    ("courses.course_image", "GET"): Row(**VIEW),
    ("courses.lesson", "GET"): Row(**STUDY_PAGE),
    ("courses.lesson_file", "GET"): Row(**STUDY_FILE, lesson="document"),
    ("courses.lesson_done", "POST"): Row(  # lecturers preview: "only enrolled learners record", redirect
        published=per(302, 403, 403, 302, 302), draft=per(404, 404, 404, 302, 302),
        archived=per(302, 404, 404, 302, 302), data={"done": "0"}, attack={"done": "1"}),
    ("courses.lesson_progress", "POST"): Row(  # JSON for the video player: a file-like 404 when refused
        published=per(400, 404, 404, 400, 400), draft=per(404, 404, 404, 400, 400),
        archived=per(400, 404, 404, 400, 400), data={"share": 2}, attack={"share": 1.0, "position": 30}, json=True,
        lesson="video"),
    ("courses.my", "GET"): Row(any=per(200, 200, 200, 200, 200)),
    ("courses.notifications", "GET"): Row(any=per(200, 200, 200, 200, 200)),
    ("courses.notifications_read", "POST"): Row(any=per(302, 302, 302, 302, 302), data={}),
    ("courses.notification_open", "POST"): Row(any=per(302, 404, 404, 404, 404), data={}),
    # -- lecturer pages ----------------------------------------------------------------------------------
    ("courses.teaching", "GET"): Row(any=per(403, 403, 200, 200, 200)),
    ("courses.new", "GET"): Row(any=per(403, 403, 200, 200, 200)),
    ("courses.new", "POST"): Row(any=per(403, 403, 200, 200, 200), data={"code": "", "title": ""},
                                 attack=_course_form),
    ("courses.manage", "GET"): Row(**MANAGE),
    ("courses.edit", "GET"): Row(**MANAGE),
    ("courses.edit", "POST"): manage_post(200, data={"code": "", "title": ""}, attack=_course_form),
    ("courses.state", "POST"): manage_post(400, data={"state": "bogus"}, attack={"state": "archived"}),
    ("courses.copy", "GET"): Row(**MANAGE),
    ("courses.copy", "POST"): manage_post(200, data={"code": "", "title": ""},
                                          attack={"code": "BAN-SAO", "title": "Bản sao"}),
    ("courses.structure", "GET"): Row(**MANAGE),
    ("courses.section_new", "POST"): manage_post(302, data={"title": ""}, attack={"title": "Phần chen vào"}),
    ("courses.section_edit", "GET"): Row(**MANAGE),
    ("courses.section_edit", "POST"): manage_post(200, data={"title": ""},
                                                  attack={"title": "Phần bị đổi tên", "summary": ""}),
    ("courses.section_delete", "GET"): Row(**MANAGE, target="decoy"),
    ("courses.section_delete", "POST"): manage_post(302, data={}, target="decoy"),  # deletes the decoy
    ("courses.section_move", "POST"): manage_post(400, data={"direction": "sideways"},
                                                  attack={"direction": "down"}),
    ("courses.item_move", "POST"): manage_post(400, data={"direction": "sideways"}, attack={"direction": "down"}),
    ("courses.item_delete", "GET"): Row(**MANAGE, target="decoy"),
    ("courses.item_delete", "POST"): manage_post(302, data={}, target="decoy"),
    ("courses.lesson_new", "GET"): Row(**MANAGE),
    ("courses.lesson_new", "POST"): manage_post(200, data={"title": ""}, attack=_lesson_form("Bài chen vào")),
    ("courses.lesson_edit", "GET"): Row(**MANAGE),
    ("courses.lesson_edit", "POST"): manage_post(200, data={"title": ""}, attack=_lesson_form("Bài bị đổi tên")),
    ("courses.lesson_image", "POST"): manage_post(  # no file: "choose a file", back to the editor
        302, data={}, attack=lambda w, c: {"image": (io.BytesIO(samples.png()), "anh.png")}),
    ("courses.audience", "GET"): Row(**MANAGE),
    ("courses.audience", "POST"): manage_post(200, data={"add_rule": "1"},
                                              attack={"rules-0-min_age": "30", "submit": "1"}),
    ("courses.completion", "GET"): Row(**MANAGE),
    ("courses.completion", "POST"): manage_post(200, data={"rule-forum_posts": "1", "forum_posts-min_posts": "x"},
                                                attack={"rule-required_lessons": "1"}),
    ("courses.enrolment", "GET"): Row(**MANAGE),
    ("courses.enrol_person", "POST"): manage_post(400, data={"user_id": ""},
                                                  attack=lambda w, c: {"user_id": str(w.users["learner"].id),
                                                                       "reason": "chen vào"}),
    ("courses.enrol_matching", "GET"): Row(**MANAGE),
    ("courses.enrol_matching", "POST"): manage_post(302, data={}),  # enrols everyone who matches
    ("courses.enrol_list", "POST"): manage_post(200, data={}, attack=lambda w, c: {
        "file": (io.BytesIO(w.users["learner"].username.encode() + b"\n"), "danh-sach.csv")}),
    ("courses.withdraw", "GET"): Row(**MANAGE, target="decoy"),
    ("courses.withdraw", "POST"): manage_post(302, data={}, target="decoy"),  # withdraws the decoy learner
    ("courses.participants", "GET"): Row(**MANAGE),
    ("courses.participants_export", "GET"): Row(**MANAGE),
    ("courses.announce", "GET"): Row(**MANAGE),
    ("courses.announce", "POST"): manage_post(200, data={"title": ""},
                                              attack={"title": "Thông báo giả", "body": "<p>x</p>"}),
    ("courses.embed_hosts", "GET"): Row(any=per(403, 403, 403, 403, 200)),
    ("courses.embed_hosts", "POST"): Row(any=per(403, 403, 403, 403, 200), data={"host": ""},
                                         attack={"host": "evil.example.com"}),
    ("courses.embed_host_delete", "GET"): Row(any=per(403, 403, 403, 403, 200)),
    ("courses.embed_host_delete", "POST"): Row(any=per(403, 403, 403, 403, 302), data={}),
    # -- API (bearer tokens) ------------------------------------------------------------------------------
    ("api.course_categories", "GET"): Row(any=per(200, 200, 200, 200, 200)),
    ("api.courses", "GET"): Row(any=per(200, 200, 200, 200, 200)),
    ("api.my_courses", "GET"): Row(any=per(200, 200, 200, 200, 200)),
    ("api.course", "GET"): Row(**VIEW),
    ("api.course_sections", "GET"): Row(**STUDY_PAGE),
    ("api.course_assignments", "GET"): Row(**STUDY_PAGE),
    ("api.course_forums", "GET"): Row(**STUDY_PAGE),
    ("api.course_live_sessions", "GET"): Row(**STUDY_PAGE),
    ("api.course_lesson", "GET"): Row(**STUDY_PAGE),
    ("api.self_enrolment", "POST"): Row(  # a wrong key: 422 with the reasons; already enrolled: 200
        published=per(200, 422, 422, 422, 422), draft=per(404, 404, 404, 422, 422),
        archived=per(200, 404, 404, 422, 422), data={"key": "sai-khoa"}, attack={"key": KEY}, json=True),
    ("api.course_enrolments", "GET"): Row(**MANAGE),
    ("api.course_enrolments", "POST"): manage_post(422, data={"user_id": "x"}, json=True,
                                               attack=lambda w, c: {"user_id": w.users["outsider"].id}),
    ("api.my_progress", "GET"): Row(published=per(200, 404, 404, 404, 404), draft=per(404, 404, 404, 404, 404),
                                    archived=per(200, 404, 404, 404, 404)),
    ("api.lesson_progress", "POST"): Row(  # {} is invalid (422); the lecturer would get 409 for a real report
        published=per(422, 403, 403, 422, 422), draft=per(404, 404, 404, 422, 422),
        archived=per(422, 404, 404, 422, 422), data={}, attack={"share": 1.0, "position": 30}, json=True, lesson="video"),
}


# ---- the world -------------------------------------------------------------------------------------

@dataclass
class CourseWorld:
    course: Any
    section: Any
    decoy_section: Any
    lessons: dict[str, Any]
    decoy_item: Any
    enrolment: Any
    decoy_enrolment: Any
    cover: Any


@dataclass
class World:
    users: dict[str, Any]
    courses: dict[str, CourseWorld]  # by state: "published", "draft", "archived"
    notification: Any
    host: Any

    def params(self, rule, row: Row, state: str | None) -> dict[str, int]:
        """Fill the URL parameters of a rule from the world."""
        cw = self.courses[state] if state else None
        values = {}
        for name in rule.arguments:
            if name in ("course_id", "id"):
                values[name] = cw.course.id
            elif name == "lesson_id":
                values[name] = cw.lessons[row.lesson].id
            elif name == "section_id":
                values[name] = (cw.decoy_section if row.target == "decoy" else cw.section).id
            elif name == "item_id":
                item = cw.decoy_item if row.target == "decoy" else services.item_for_lesson(cw.lessons["page"])
                values[name] = item.id
            elif name == "enrolment_id":
                values[name] = (cw.decoy_enrolment if row.target == "decoy" else cw.enrolment).id
            elif name == "file_id":
                values[name] = cw.cover.id
            elif name == "notification_id":
                values[name] = self.notification.id
            elif name == "host_id":
                values[name] = self.host.id
            else:
                raise AssertionError(f"{rule.rule}: no value for the URL parameter {name!r}; extend World.params")
        return values


def _course(factory, lecturer, enrolled, decoy, state: str) -> CourseWorld:
    course = cf.make_course(factory, lecturer, title=f"Khoá {state}", enrol_key=KEY)
    section = cf.add_section(course, lecturer, "Phần 1")
    page = cf.add_page_lesson(section, lecturer, title="Bài đọc", mode=CompletionMode.MANUAL)
    document = cf.add_document_lesson(section, samples.pdf(), lecturer)
    video = cf.add_video_lesson(section, samples.mp4_header() + bytes(2000), lecturer)
    extra = cf.add_page_lesson(section, lecturer, title="Bài phụ")
    decoy_section = cf.add_section(course, lecturer, "Phần trống")
    cover = cf.set_cover_image(course, samples.png(), lecturer)
    cf.publish(course)
    enrolment = services.enrol_person(lecturer, course, enrolled)
    decoy_enrolment = services.enrol_person(lecturer, course, decoy)
    if state == "draft":  # back in draft after learners enrolled: they must not see it any more
        services.set_state(lecturer, course, CourseState.DRAFT)
    elif state == "archived":  # archived: open to its learners only
        services.set_state(lecturer, course, CourseState.ARCHIVED)
    return CourseWorld(course, section, decoy_section, {"page": page, "document": document, "video": video},
                       services.item_for_lesson(extra), enrolment, decoy_enrolment, cover)


@pytest.fixture
def world(factory) -> World:
    province = factory.province()
    users = {
        "enrolled": factory.user(unit=province),
        "learner": factory.user(unit=province),
        "other_lecturer": factory.lecturer(),
        "lecturer": factory.lecturer(),
        "admin": factory.admin(),
        "outsider": factory.user(unit=province),  # enrolled by the API attack (the pages' one: "learner")
    }
    decoy = factory.user(unit=province)
    cf.make_course(factory, users["other_lecturer"], publish=True)  # "another course's lecturer"
    courses = {state: _course(factory, users["lecturer"], users["enrolled"], decoy, state)
               for state in STATES}
    services.post_announcement(users["lecturer"], courses["published"].course, "Lịch học", "<p>Thứ Hai</p>")
    from elearn.core.notifications import Notification

    notification = db.session.scalar(db.select(Notification).where(Notification.user_id == users["enrolled"].id))
    host = services.add_embed_host(users["admin"], "video.tinh.gov.vn")
    return World(users, courses, notification, host)


# ---- routes ------------------------------------------------------------------------------------------

def course_routes(app) -> dict[tuple[str, str], Any]:
    """(endpoint, method) -> rule, for every course page and course API route in the url_map."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("courses.") or rule.rule.startswith(API_PREFIXES):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                assert (rule.endpoint, method) not in found, f"{rule.endpoint} {method} has two rules"
                found[(rule.endpoint, method)] = rule
    return found


def test_every_course_route_has_an_expectation(app):
    routes = set(course_routes(app))
    assert routes - set(EXPECTED) == set(), "course routes without an entry in EXPECTED: add one"
    assert set(EXPECTED) - routes == set(), "EXPECTED names routes that no longer exist"
    for (endpoint, method), row in EXPECTED.items():
        assert (row.any is None) != (row.published is None), (endpoint, method)
        assert (row.published is None) == (row.draft is None) == (row.archived is None), (endpoint, method)
        assert method == "GET" or row.data is not None, f"{endpoint} {method}: give the data to send"


def test_the_api_part_is_there(app):
    """The API endpoints of the issue exist (a guard that the table above really covers them)."""
    endpoints = {endpoint for endpoint, _m in course_routes(app) if endpoint.startswith("api.")}
    assert {"api.courses", "api.course", "api.course_sections", "api.course_lesson", "api.self_enrolment",
            "api.course_enrolments", "api.my_courses", "api.my_progress", "api.lesson_progress"} <= endpoints


# ---- snapshots: nothing may change for refused people --------------------------------------------------

IGNORED_TABLES = {"auth_session"}  # sign-in bookkeeping


def snapshot(app, persona: str) -> dict:
    """Every row of every table (minus bookkeeping), plus the files on disk."""
    ignored_columns = {"api_token": {"last_used_at"}, "user": {"last_login_at"}, "notification": {"read_at"}}
    if persona == "enrolled":  # their own reading is recorded: progress, last access, resume point
        ignored_columns["enrolment"] = {"last_access_at", "last_item_id", "progress", "completed_at"}
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        # An enrolled learner's visits record their reading, and the first visit opens the course's general forum.
        if table.name in IGNORED_TABLES or (persona == "enrolled" and table.name in ("lesson_progress", "forum")):
            continue
        columns = [c for c in table.columns if c.name not in ignored_columns.get(table.name, set())]
        rows = db.session.execute(db.select(*columns).order_by(*table.primary_key.columns)).all()
        state[table.name] = [tuple(row) for row in rows]
    state["files on disk"] = sorted(str(p) for p in cf.files_on_disk(app))
    return state


def diff(before: dict, after: dict) -> dict:
    return {name: {"before": [r for r in rows if r not in after.get(name, [])],
                   "after": [r for r in after.get(name, []) if r not in rows]}
            for name, rows in before.items() if rows != after.get(name)}


# ---- running the matrix ------------------------------------------------------------------------------

def _client(app, world: World, persona: str):
    if persona == "anonymous":
        app.test_client_class = IsolatedClient
        client = app.test_client()
        return client, csrf_token(client, "/login")
    client = cf.signed_in(app, world.users[persona])
    return client, csrf_token(client, "/")


def _payload(row: Row, world: World, course, refused: bool):
    value = row.attack if refused and row.attack is not None else row.data
    if callable(value):
        value = value(world, course)
    return dict(value) if value is not None else None


def _request(client, method: str, path: str, row: Row, payload, *, token: str, bearer: str | None):
    headers = {}
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    if method == "GET":
        return client.get(path, headers=headers)
    if row.json:
        if bearer is None:  # the page's JSON endpoint takes the CSRF token as a header, like its script
            headers["X-CSRFToken"] = token
        return client.post(path, json=payload, headers=headers)
    return client.post(path, data={"csrf_token": token, **(payload or {})}, headers=headers)


def _outcome(response, api: bool):
    if response.status_code == 302 and "/login" in response.headers.get("Location", "").split("?")[0]:
        return "login"
    if api and response.status_code >= 400:
        body = response.get_json(silent=True)
        assert isinstance(body, dict) and "error" in body, f"API error without a JSON body: {response.data[:200]}"
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_authorization_matrix(app, factory, world, persona):
    routes = course_routes(app)
    client, token = _client(app, world, persona)
    bearer = None
    if persona != "anonymous":
        _row, bearer = accounts_services.create_api_token(world.users[persona], "ma trận quyền")
    refused_here = persona not in ("lecturer", "admin")
    before = snapshot(app, persona) if refused_here else None
    decoys = [(cw.decoy_section.id, cw.decoy_item.id, cw.decoy_enrolment.id) for cw in world.courses.values()]
    host_id = world.host.id

    failures = []
    for (endpoint, method), row in EXPECTED.items():
        rule = routes[(endpoint, method)]
        api = endpoint.startswith("api.")
        states = STATES if row.any is None else [None]
        for state in states:
            if persona == "anonymous":
                expected = 401 if api else "login"
            else:
                expected = (row.any if state is None else getattr(row, state))[persona]
            refused = expected in (401, 403, 404, "login")
            course = world.courses[state].course if state else None
            with app.test_request_context():
                path = url_for(endpoint, **world.params(rule, row, state))
            payload = _payload(row, world, course, refused) if method == "POST" else None
            response = _request(client, method, path, row, payload, token=token,
                                bearer=bearer if api else None)
            got = _outcome(response, api)
            if got != expected:
                failures.append(f"{method} {path} ({endpoint}, {state or '-'}): expected {expected}, got {got}")
    assert failures == [], f"{persona}:\n" + "\n".join(failures)

    if refused_here:
        after = snapshot(app, persona)
        assert diff(before, after) == {}, f"{persona} changed something"
    else:  # the same requests did what they say for the people allowed to: the decoys are gone
        db.session.expire_all()
        for section_id, item_id, enrolment_id in decoys:
            assert db.session.get(Section, section_id) is None
            assert db.session.get(SectionItem, item_id) is None
            assert db.session.get(Enrolment, enrolment_id).state == "withdrawn"
        assert (db.session.get(EmbedHost, host_id) is None) == (persona == "admin")


def test_an_api_call_without_or_with_a_wrong_token_is_401_even_for_a_session(app, factory, world):
    """A signed-in browser session does not authenticate the course API; a wrong token is refused too."""
    routes = course_routes(app)
    client = cf.signed_in(app, world.users["admin"])
    for (endpoint, method), row in EXPECTED.items():
        if not endpoint.startswith("api."):
            continue
        state = None if row.any is not None else "published"
        with app.test_request_context():
            path = url_for(endpoint, **world.params(routes[(endpoint, method)], row, state))
        for headers in ({}, {"Authorization": "Bearer elt_khong-dung"}):
            response = client.open(path, method=method, headers=headers, json={} if method == "POST" else None)
            assert response.status_code == 401, (method, path, headers)
            assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_lecturer_cannot_reach_another_courses_rows_through_their_own_course(app, factory, world):
    """Ids of another course's lesson, section, item, enrolment or image under one's own course: 404."""
    mine = cf.make_course(factory, world.users["other_lecturer"], lessons=1)
    theirs = world.courses["published"]
    client = cf.signed_in(app, world.users["other_lecturer"])
    token = csrf_token(client, "/")
    base = f"/courses/{mine.id}"
    page_item = services.item_for_lesson(theirs.lessons["page"])
    before = snapshot(app, "other_lecturer")
    for path in [f"{base}/lessons/{theirs.lessons['page'].id}", f"{base}/lessons/{theirs.lessons['document'].id}/file",
                 f"{base}/images/{theirs.cover.id}", f"{base}/manage/lessons/{theirs.lessons['page'].id}/edit",
                 f"{base}/manage/sections/{theirs.section.id}/edit", f"{base}/manage/items/{page_item.id}/delete",
                 f"{base}/manage/enrolment/{theirs.enrolment.id}/withdraw"]:
        assert client.get(path).status_code == 404, path
    for path, data in [(f"{base}/manage/sections/{theirs.section.id}/delete", {}),
                       (f"{base}/manage/items/{page_item.id}/delete", {}),
                       (f"{base}/manage/items/{page_item.id}/move", {"direction": "down"}),
                       (f"{base}/manage/enrolment/{theirs.enrolment.id}/withdraw", {}),
                       (f"{base}/manage/lessons/{theirs.lessons['page'].id}/edit", _lesson_form("Đổi tên"))]:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    # Moving one's own item into the other course's section is refused as well.
    own_item = cf.first_section(mine).items[0]
    response = client.post(f"{base}/manage/items/{own_item.id}/move",
                           data={"csrf_token": token, "section_id": str(theirs.section.id)})
    assert response.status_code == 404
    assert diff(before, snapshot(app, "other_lecturer")) == {}



def test_the_refused_requests_would_change_something(app, factory, world):
    """The `attack` requests of the matrix are real: sent by an admin (who may do everything), each POST
    changes the database or the files (so "nothing changed" for refused people means something)."""
    routes = course_routes(app)
    client = cf.signed_in(app, world.users["admin"])
    token = csrf_token(client, "/")
    # Another admin for the API, not enrolled by the page requests (self-enrolment, then progress).
    _row, bearer = accounts_services.create_api_token(factory.admin("admin2"), "kiểm tra")
    harmless_for_all = {("courses.notifications_read", "POST"), ("courses.notification_open", "POST")}
    unchanged = []
    api_first = sorted(EXPECTED.items(), key=lambda entry: not entry[0][0].startswith("api."))  # before archiving
    for (endpoint, method), row in api_first:
        if method != "POST" or (endpoint, method) in harmless_for_all:
            continue
        api = endpoint.startswith("api.")
        state = None if row.any is not None else "published"
        course = world.courses[state].course if state else None
        with app.test_request_context():
            path = url_for(endpoint, **world.params(routes[(endpoint, method)], row, state))
        before = snapshot(app, "admin")
        response = _request(client, method, path, row, _payload(row, world, course, refused=True), token=token,
                            bearer=bearer if api else None)
        assert response.status_code < 400, (endpoint, response.status_code, response.get_data(as_text=True)[:300])
        if diff(before, snapshot(app, "admin")) == {}:
            unchanged.append(endpoint)
    assert unchanged == [], unchanged


def test_every_page_post_without_a_csrf_token_is_refused(app, factory, world):
    """CSRF on every POST route of the pages: the admin's requests that would succeed (the `attack` data)
    are refused with 400 when the token is missing, and nothing changes."""
    routes = course_routes(app)
    client = cf.signed_in(app, world.users["admin"])
    before = snapshot(app, "admin")
    for (endpoint, method), row in EXPECTED.items():
        if method != "POST" or endpoint.startswith("api."):
            continue
        state = None if row.any is not None else "published"
        course = world.courses[state].course if state else None
        with app.test_request_context():
            path = url_for(endpoint, **world.params(routes[(endpoint, method)], row, state))
        payload = _payload(row, world, course, refused=True)
        response = client.post(path, json=payload) if row.json else client.post(path, data=payload)
        assert response.status_code == 400, (endpoint, response.status_code)
    assert diff(before, snapshot(app, "admin")) == {}
