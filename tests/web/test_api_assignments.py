"""The assignments API: answers match the OpenAPI document, and the same rules hold as on the pages."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.assignments import grading
from elearn.assignments.models import Submission
from elearn.core import clock
from elearn.extensions import db
from tests.web import test_assignments_web as web
from tests.web.test_api import API, assert_error, bearer, conforms, token_for
from tests.web.test_assignments_web import APPLIED, COMMITS, LATE, LEARNED, NOW

world = web.world  # the same course, assignment and people as the page tests

SECTIONS = {"learned": LEARNED, "application": APPLIED, "commitments": COMMITS}


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


def call(client, method, path, user, json=None):
    return client.open(f"{API}{path}", method=method, headers=bearer(token_for(user)), json=json)


def test_learner_reads_saves_and_submits_once(client, world, spec):
    aid = world["assignment"].id
    r = call(client, "GET", f"/courses/{world['course'].id}/assignments", world["a"])
    assert r.status_code == 200
    conforms(spec, "AssignmentList", r.get_json())
    with clock.freeze(NOW):
        r = call(client, "PUT", f"/assignments/{aid}/submission", world["a"], {"sections": SECTIONS})
        assert r.status_code == 200 and r.get_json()["state"] == "draft"
        conforms(spec, "Submission", r.get_json())
        first = call(client, "PUT", f"/assignments/{aid}/submission", world["a"], {"submit": True})
        second = call(client, "PUT", f"/assignments/{aid}/submission", world["a"], {"submit": True})
    assert first.status_code == second.status_code == 200
    assert second.get_json()["state"] == "submitted" and second.get_json()["times_submitted"] == 1
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
    detail = call(client, "GET", f"/assignments/{aid}", world["a"])
    conforms(spec, "AssignmentDetail", detail.get_json())
    assert detail.get_json()["my_submission"]["id"] == first.get_json()["id"]


def test_submitting_after_the_late_window_is_refused_with_the_date(client, world):
    with clock.freeze(LATE + timedelta(hours=1)):
        r = call(client, "PUT", f"/assignments/{world['assignment'].id}/submission", world["a"],
                 {"sections": SECTIONS, "submit": True})
    body = assert_error(r, 409, "refused")
    assert clock.to_local(LATE).strftime("%d/%m/%Y %H:%M") in body["error"]["message"]


def test_other_learners_and_graders(client, world, spec):
    aid = world["assignment"].id
    with clock.freeze(NOW):
        sid = call(client, "PUT", f"/assignments/{aid}/submission", world["a"],
                   {"sections": SECTIONS, "submit": True}).get_json()["id"]
    assert_error(call(client, "GET", f"/submissions/{sid}", world["b"]), 404, "not_found")
    assert_error(call(client, "PUT", f"/submissions/{sid}/grade", world["b"], {"levels": [0, 0, 0]}), 404, "not_found")
    assert_error(call(client, "PUT", f"/submissions/{sid}/grade", world["a"], {"levels": [0, 0, 0]}), 403, "forbidden")
    assert_error(call(client, "GET", f"/assignments/{aid}/submissions", world["b"]), 403, "forbidden")
    # a unit head outside the author's unit
    grading.add_delegate(world["lecturer"], world["course"], world["head"])
    with clock.freeze(NOW):
        other = call(client, "PUT", f"/assignments/{aid}/submission", world["c"],
                     {"sections": SECTIONS, "submit": True}).get_json()["id"]
    assert_error(call(client, "PUT", f"/submissions/{other}/grade", world["head"], {"levels": [0, 0, 0]}),
                 404, "not_found")
    listing = call(client, "GET", f"/assignments/{aid}/submissions", world["head"]).get_json()
    conforms(spec, "SubmissionPage", listing)
    assert [s["id"] for s in listing["items"]] == [sid]
    # the lecturer grades; the learner reads the grade
    graded = call(client, "PUT", f"/submissions/{sid}/grade", world["lecturer"],
                  {"levels": [0, 0, 1], "feedback": "<p>Tốt</p><script>alert(1)</script>"})
    assert graded.status_code == 200
    conforms(spec, "Submission", graded.get_json())
    grade = call(client, "GET", f"/submissions/{sid}", world["a"]).get_json()["grade"]
    assert grade["score"] == 8 and grade["passed"] and "<script>" not in grade["feedback"]
    mine = call(client, "GET", "/me/submissions", world["a"]).get_json()
    conforms(spec, "SubmissionPage", mine)
    assert mine["items"][0]["grade"]["score"] == 8


def test_bad_bodies_are_422(client, world):
    aid = world["assignment"].id
    assert_error(call(client, "PUT", f"/assignments/{aid}/submission", world["a"], {"sections": {"x": "y"}}),
                 422, "invalid")
    assert_error(call(client, "PUT", f"/assignments/{aid}/submission", world["a"], {}), 422, "invalid")
    assert_error(call(client, "PUT", f"/assignments/{aid}/submission", world["a"], {"submit": "yes"}), 422, "invalid")


def test_commitments_of_a_cadre(client, world, spec):
    with clock.freeze(NOW):
        call(client, "PUT", f"/assignments/{world['assignment'].id}/submission", world["a"],
             {"sections": SECTIONS, "submit": True})
    mine = call(client, "GET", f"/users/{world['a'].id}/commitments", world["a"])
    assert mine.status_code == 200
    conforms(spec, "CommitmentList", mine.get_json())
    assert [c["text"] for c in mine.get_json()["items"]] == ["Số hóa 100% hồ sơ một cửa trước tháng 6.",
                                                              "Mở lớp hướng dẫn cho thôn bản."]
    assert call(client, "GET", f"/users/{world['a'].id}/commitments", world["lecturer"]).status_code == 200
    assert_error(call(client, "GET", f"/users/{world['a'].id}/commitments", world["b"]), 404, "not_found")
