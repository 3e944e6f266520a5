"""The quiz API for mobile clients: start, page, save (idempotent), submit (idempotent), review; the same refusals
as the pages; answers match the OpenAPI document."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from elearn.core import clock
from elearn.extensions import db
from elearn.quizzes.quiz_models import Attempt
from elearn.quizzes.quiz_services import QuizSettings
from tests.quiz_factories import enrol, make_quiz_setup
from tests.web.test_api import API, assert_error, bearer, conforms, spec, token_for  # noqa: F401 (spec: fixture)


def test_take_a_quiz_through_the_api(client, factory, spec):  # noqa: F811
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", attempts_allowed=0, questions_per_page=2,
                                                       time_limit=1800), names=["MC1", "TF1", "SA1", "MATCH1"])
    h = bearer(token_for(s.learner))
    quiz = client.get(f"{API}/quizzes/{s.quiz.id}", headers=h)
    assert quiz.status_code == 200 and quiz.json["can_start"]
    conforms(spec, "Quiz", quiz.json)
    started = client.post(f"{API}/quizzes/{s.quiz.id}/attempts", headers=h)
    conforms(spec, "QuizAttempt", started.json)
    attempt_id = started.json["id"]
    assert 1790 <= started.json["seconds_left"] <= 1800 and started.json["page_count"] == 2
    again = client.post(f"{API}/quizzes/{s.quiz.id}/attempts", headers=h)
    assert again.json["id"] == attempt_id  # resumed, not a second attempt
    page = client.get(f"{API}/attempts/{attempt_id}/pages/0", headers=h)
    conforms(spec, "QuizPage", page.json)
    text = page.get_data(as_text=True)
    assert "fraction" not in text and "feedback" not in text
    answers = {}
    for p in (0, 1):
        for item in client.get(f"{API}/attempts/{attempt_id}/pages/{p}", headers=h).json["items"]:
            q = item["question"]
            if q["type"] == "multichoice":
                answers[str(item["slot"])] = next(i for i, c in enumerate(q["choices"]) if "Đại hội" in c)
            elif q["type"] == "truefalse":
                answers[str(item["slot"])] = True
            elif q["type"] == "shortanswer":
                answers[str(item["slot"])] = "UBND"
            elif q["type"] == "matching":
                answers[str(item["slot"])] = {"0": "UBND tỉnh", "1": "UBND xã"}
    ack = client.post(f"{API}/attempts/{attempt_id}/answers", headers=h,
                      json={"seq": 1, "answers": answers, "score": 100, "user_id": 1})
    assert ack.status_code == 200 and ack.json["seq"] == 1
    conforms(spec, "QuizSaveAck", ack.json)
    done = client.post(f"{API}/attempts/{attempt_id}/submit", headers=h, json={})
    assert done.status_code == 200 and done.json["state"] == "finished"
    twice = client.post(f"{API}/attempts/{attempt_id}/submit", headers=h, json={})
    assert twice.json["finished_at"] == done.json["finished_at"]
    review = client.get(f"{API}/attempts/{attempt_id}/review", headers=h)
    conforms(spec, "QuizReview", review.json)
    assert review.json["grade"] == 10.0 and len(review.json["items"]) == 4


def test_api_refusals(client, factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", attempts_allowed=0, navigation="sequential",
                                                       time_limit=600), names=["TF1", "SA1"])
    h = bearer(token_for(s.learner))
    attempt_id = client.post(f"{API}/quizzes/{s.quiz.id}/attempts", headers=h).json["id"]
    other = factory.user()
    enrol(s, other)
    ho = bearer(token_for(other))
    assert_error(client.get(f"{API}/attempts/{attempt_id}", headers=ho), 404, "not_found")
    assert_error(client.post(f"{API}/attempts/{attempt_id}/answers", headers=ho, json={"seq": 1, "answers": {"1": True}}),
                 404, "not_found")
    assert_error(client.post(f"{API}/attempts/{attempt_id}/answers", headers=h, json={"seq": 1, "answers": {"7": True}}),
                 400, "bad_request")
    body = assert_error(client.post(f"{API}/attempts/{attempt_id}/answers", headers=h,
                                    json={"seq": 1, "answers": {"1": "maybe"}}), 400, "bad_request")
    assert body["error"]["details"] == {"slot": "1"}
    assert_error(client.post(f"{API}/attempts/{attempt_id}/answers", headers=h, json={"seq": 1, "answers": {"2": "x"}}),
                 409, "conflict")  # page 1 while on page 0
    assert_error(client.get(f"{API}/attempts/{attempt_id}/pages/5", headers=h), 409, "conflict")
    assert_error(client.get(f"{API}/attempts/{attempt_id}/review", headers=h), 409, "conflict")
    assert client.get(f"{API}/attempts/{attempt_id}/pages/1", headers=h).status_code == 200  # moves on
    assert_error(client.get(f"{API}/attempts/{attempt_id}/pages/0", headers=h), 409, "conflict")  # no way back
    outsider = bearer(token_for(factory.user()))
    assert_error(client.post(f"{API}/quizzes/{s.quiz.id}/attempts", headers=outsider), 403, "forbidden")
    with clock.freeze(clock.now() + timedelta(minutes=11)):
        r = client.post(f"{API}/attempts/{attempt_id}/answers", headers=h, json={"seq": 3, "answers": {"2": "UBND"}})
        assert_error(r, 409, "conflict")
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert db.session.get(Attempt, attempt_id).state == "finished"
