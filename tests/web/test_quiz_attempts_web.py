"""Quiz attempt pages and their JSON calls through the HTTP client: the issue's "bad input and attacks" lines about
attempts (another learner's attempt, submit after close + grace, a page beyond the current one in sequential mode,
an answer for a question not in the attempt, score/user_id fields ignored, double submit), the per-attempt token
that replaces the CSRF token, nothing about right answers in the page before review allows it, lecturer pages."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from elearn.core import clock
from elearn.extensions import db
from elearn.quizzes import quiz_services as qs
from elearn.quizzes.quiz_models import Attempt, AttemptAnswer, Quiz, QuizOverride, QuizResult
from elearn.quizzes.quiz_services import QuizSettings
from tests.conftest import csrf_token
from tests.course_factories import first_section, signed_in
from tests.quiz_factories import make_quiz_setup


def start(client, quiz) -> Attempt:
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    response = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    return db.session.get(Attempt, attempt_id)


def save(client, attempt, body, token=None):
    return client.post(f"/attempts/{attempt.id}/save.json", json=body,
                       headers={"X-Attempt-Token": token if token is not None else attempt.token})


def snapshot(attempt_id):
    db.session.expire_all()
    a = db.session.get(Attempt, attempt_id)
    return a.state, a.last_seq, [(x.slot, x.response, x.seq) for x in a.answers]


def test_learner_takes_the_quiz_through_the_pages(app, factory):
    s = make_quiz_setup(factory, names=["TF1", "SA1"])
    client = signed_in(app, s.learner)
    assert "Start the attempt" in client.get(f"/quizzes/{s.quiz.id}").get_data(as_text=True)
    attempt = start(client, s.quiz)
    page = client.get(f"/attempts/{attempt.id}?page=0").get_data(as_text=True)
    assert 'data-slot="1"' in page and attempt.token in page
    r = save(client, attempt, {"seq": 1, "answers": {"1": True}, "page": 0})
    assert r.status_code == 200 and r.json["seq"] == 1 and r.json["saved_at_local"]
    r = save(client, attempt, {"seq": 2, "answers": {"2": "UBND"}, "page": 1})
    assert r.status_code == 200
    assert client.get(f"/attempts/{attempt.id}/summary").status_code == 200
    r = client.post(f"/attempts/{attempt.id}/submit.json", json={}, headers={"X-Attempt-Token": attempt.token})
    assert r.status_code == 200 and r.json["state"] == "finished"
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "10.00 / 10" in review
    assert db.session.scalar(select(QuizResult.grade)) == 10.0


def test_another_learners_attempt_is_refused_and_unchanged(app, factory):
    s = make_quiz_setup(factory, names=["TF1", "SA1"])
    owner = signed_in(app, s.learner)
    attempt = start(owner, s.quiz)
    save(owner, attempt, {"seq": 1, "answers": {"1": True}})
    before = snapshot(attempt.id)
    intruder_user = factory.user()
    from tests.quiz_factories import enrol
    enrol(s, intruder_user)
    intruder = signed_in(app, intruder_user)
    assert intruder.get(f"/attempts/{attempt.id}").status_code == 404
    assert intruder.get(f"/attempts/{attempt.id}/review").status_code == 404
    assert intruder.get(f"/attempts/{attempt.id}/state.json").status_code == 404
    assert save(intruder, attempt, {"seq": 9, "answers": {"1": False}}).status_code == 404  # even with the token
    assert intruder.post(f"/attempts/{attempt.id}/submit.json", json={},
                         headers={"X-Attempt-Token": attempt.token}).status_code == 404
    assert intruder.post(f"/attempts/{attempt.id}/submit", data={"attempt_token": attempt.token}).status_code == 404
    assert snapshot(attempt.id) == before


def test_submit_after_close_and_grace_is_refused(app, factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", time_limit=600, attempts_allowed=0,
                                                       expiry_rule="grace", grace_seconds=300), names=["TF1", "SA1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    save(client, attempt, {"seq": 1, "answers": {"1": True}})
    before_answers = snapshot(attempt.id)[2]
    with clock.freeze(attempt.started_at + timedelta(seconds=600 + 300)):
        r = client.post(f"/attempts/{attempt.id}/submit.json", json={"seq": 2, "answers": {"2": "UBND"}},
                        headers={"X-Attempt-Token": attempt.token})
        assert r.status_code == 409 and r.json["state"] == "abandoned"
        form = client.post(f"/attempts/{attempt.id}/submit", data={"attempt_token": attempt.token})
        assert form.status_code == 302
    state, _seq, answers = snapshot(attempt.id)
    assert state == "abandoned" and answers == before_answers
    assert db.session.get(Attempt, attempt.id).grade is None
    assert db.session.scalar(select(QuizResult.grade)) is None


def test_save_after_the_deadline_is_refused(app, factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", time_limit=60, attempts_allowed=0), names=["TF1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    with clock.freeze(attempt.started_at + timedelta(seconds=61)):
        r = save(client, attempt, {"seq": 1, "answers": {"1": True}})
    assert r.status_code == 409 and r.json["state"] == "finished"
    assert snapshot(attempt.id)[2] == [(1, None, 0)]


def test_sequential_page_beyond_current_is_refused(app, factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", attempts_allowed=0, navigation="sequential",
                                                       questions_per_page=1), names=["TF1", "SA1", "NUM1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    before = snapshot(attempt.id)
    r = save(client, attempt, {"seq": 1, "answers": {"3": "5"}})  # slot 3 is on page 2, the learner is on page 0
    assert r.status_code == 409
    assert snapshot(attempt.id) == before
    # opening page 2 directly is refused: the page shown stays the current one
    r = client.post(f"/attempts/{attempt.id}/goto", data={"attempt_token": attempt.token, "page": 2})
    assert r.status_code == 302 and r.headers["Location"].endswith("page=0")
    assert client.get(f"/attempts/{attempt.id}?page=2").headers["Location"].endswith("page=0")
    assert db.session.get(Attempt, attempt.id).current_page == 0
    # moving on to the next page works, and going back is refused afterwards
    r = client.post(f"/attempts/{attempt.id}/goto", data={"attempt_token": attempt.token, "page": 1})
    assert r.headers["Location"].endswith("page=1")
    assert save(client, attempt, {"seq": 2, "answers": {"1": False}}).status_code == 409
    assert save(client, attempt, {"seq": 3, "answers": {"2": "UBND"}}).status_code == 200


def test_answer_for_a_question_not_in_the_attempt_is_refused(app, factory):
    s = make_quiz_setup(factory, names=["TF1", "SA1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    before = snapshot(attempt.id)
    other_question = s.question_ids()["NUM1"]
    for answers in ({"3": "5"}, {str(other_question): "5"}, {"abc": "x"}, {"1": True, "99": "x"}):
        r = save(client, attempt, {"seq": 5, "answers": answers})
        assert r.status_code == 400, answers
    assert snapshot(attempt.id) == before  # nothing written, not even the valid part


def test_score_and_user_fields_are_ignored(app, factory):
    s = make_quiz_setup(factory, names=["TF1", "SA1"])
    other = factory.user()
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    r = save(client, attempt, {"seq": 1, "answers": {"1": False}, "score": 100, "fraction": 1, "grade": 10,
                               "user_id": other.id, "state": "finished", "sumgrades": 99})
    assert r.status_code == 200
    a = db.session.get(Attempt, attempt.id)
    assert a.user_id == s.learner.id and a.state == "in_progress" and a.sumgrades is None
    r = client.post(f"/attempts/{attempt.id}/submit.json", json={"grade": 10, "user_id": other.id, "score": 100},
                    headers={"X-Attempt-Token": attempt.token})
    db.session.expire_all()
    a = db.session.get(Attempt, attempt.id)
    assert a.grade == 0.0 and a.user_id == s.learner.id  # false was wrong, SA1 unanswered
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == other.id)) == 0


def test_double_submit_changes_the_attempt_once(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    save(client, attempt, {"seq": 1, "answers": {"1": True}})
    first = client.post(f"/attempts/{attempt.id}/submit", data={"attempt_token": attempt.token})
    assert first.status_code == 302 and "/review" in first.headers["Location"]
    finished = snapshot(attempt.id)
    finished_at = db.session.get(Attempt, attempt.id).finished_at
    with clock.freeze(clock.now() + timedelta(minutes=3)):
        again = client.post(f"/attempts/{attempt.id}/submit", data={"attempt_token": attempt.token})
        json_again = client.post(f"/attempts/{attempt.id}/submit.json", json={"seq": 9, "answers": {"1": False}},
                                 headers={"X-Attempt-Token": attempt.token})
    assert again.status_code == 302 and json_again.status_code == 200 and json_again.json["state"] == "finished"
    assert snapshot(attempt.id) == finished
    assert db.session.get(Attempt, attempt.id).finished_at == finished_at
    assert db.session.scalar(select(func.count()).select_from(QuizResult)) == 1


def test_retried_save_is_idempotent(app, factory):
    s = make_quiz_setup(factory, names=["TF1", "SA1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    body = {"seq": 4, "answers": {"2": "UBND"}}
    assert save(client, attempt, body).json["seq"] == 4
    assert save(client, attempt, {"seq": 5, "answers": {"2": "khác"}}).status_code == 200
    assert save(client, attempt, body).status_code == 200  # the retry arrives late: acknowledged, not applied
    assert db.session.get(AttemptAnswer, attempt.answers[1].id).response == "khác"


def test_attempt_token_is_required_and_csrf_token_not(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    assert save(client, attempt, {"seq": 1, "answers": {"1": True}}, token="").status_code == 400
    assert save(client, attempt, {"seq": 1, "answers": {"1": True}}, token="x" * 43).status_code == 400
    assert client.post(f"/attempts/{attempt.id}/submit", data={}).status_code == 400
    assert snapshot(attempt.id)[2] == [(1, None, 0)]
    # 90 minutes later the same page still saves: the attempt token does not expire
    with clock.freeze(clock.now() + timedelta(minutes=90)):
        assert save(client, attempt, {"seq": 2, "answers": {"1": True}}).status_code == 200


def test_no_right_answer_reaches_the_browser_during_the_attempt(app, factory):
    s = make_quiz_setup(factory, names=["MC1", "MULTI1", "SA1", "NUM1", "MATCH1", "TF1"])
    client = signed_in(app, s.learner)
    s.quiz.questions_per_page = 0
    db.session.commit()
    attempt = start(client, s.quiz)
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    for secret in ("fraction", "Đúng vậy", "Sai rồi", "feedback", "Đúng<", "right"):
        assert secret not in page, secret  # per-answer feedback ("#Đúng", "Đúng vậy") and credits stay on the server
    short = re.search(r'data-slot="(\d+)" data-type="shortanswer".*?</fieldset>', page, re.S).group(0)
    assert "UBND" not in short  # the accepted short answers are not in the page
    numerical = re.search(r'data-type="numerical".*?</fieldset>', page, re.S).group(0)
    assert 'value=""' in numerical
    state = client.get(f"/attempts/{attempt.id}/state.json").json
    assert set(state) <= {"state", "seconds_left", "last_seq", "current_page", "review_url", "summary_url"}


def test_review_respects_the_settings(app, factory):
    options = {"immediately_after": ["attempt"], "later_while_open": ["attempt"], "after_close": ["attempt", "marks",
               "right_answer", "correctness"]}
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", attempts_allowed=0, review_options=options,
                                                       close_at=clock.now() + timedelta(hours=1)), names=["SA1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    save(client, attempt, {"seq": 1, "answers": {"1": "sai"}})
    client.post(f"/attempts/{attempt.id}/submit", data={"attempt_token": attempt.token})
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "The right answer" not in review and "UBND" not in review and "Incorrect" not in review
    assert "data-grade" not in review
    with clock.freeze(clock.now() + timedelta(hours=2)):
        later = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "The right answer" in later and "UBND" in later and "data-grade" in later


def test_overdue_attempt_closed_on_access_and_by_cli(app, factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", time_limit=60, attempts_allowed=0), names=["TF1"])
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    save(client, attempt, {"seq": 1, "answers": {"1": True}})
    with clock.freeze(attempt.started_at + timedelta(minutes=5)):
        r = client.get(f"/attempts/{attempt.id}")
        assert r.status_code == 302 and r.headers["Location"].endswith("/review")
    assert db.session.get(Attempt, attempt.id).state == "finished"
    other = start(client, s.quiz)
    runner = app.test_cli_runner()
    with clock.freeze(other.started_at + timedelta(minutes=5)):
        result = runner.invoke(args=["quizzes", "close-overdue"])
    assert "Closed 1" in result.output
    db.session.expire_all()
    assert db.session.get(Attempt, other.id).state == "finished"


def test_learner_cannot_open_lecturer_pages_and_outsider_cannot_start(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    learner = signed_in(app, s.learner)
    for path in (f"/quizzes/{s.quiz.id}/edit", f"/quizzes/{s.quiz.id}/questions", f"/quizzes/{s.quiz.id}/overrides"):
        assert learner.get(path).status_code == 403
    outsider = signed_in(app, factory.user())
    assert outsider.get(f"/quizzes/{s.quiz.id}").status_code == 403
    token = csrf_token(outsider, "/courses")
    assert outsider.post(f"/quizzes/{s.quiz.id}/start", data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_lecturer_creates_quiz_adds_questions_and_override(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    client = signed_in(app, s.lecturer)
    section = first_section(s.course)
    url = f"/courses/{s.course.id}/sections/{section.id}/quizzes/new"
    form = {"csrf_token": csrf_token(client, url), "title": "Bài kiểm tra đầu vào", "role": "pretest",
            "time_limit": "45", "expiry_rule": "autosubmit", "grace_minutes": "0", "attempts_allowed": "1",
            "delay_minutes": "0", "grading_method": "highest", "max_grade": "10", "pass_mark": "5",
            "questions_per_page": "5", "navigation": "free", "autosave_seconds": "15", "shuffle_answers": "y",
            "review-after_close-attempt": "1", "review-after_close-marks": "1",
            "band-min-0": "8", "band-text-0": "<b>Giỏi</b><script>x</script>"}
    r = client.post(url, data=form)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    quiz = db.session.scalar(select(Quiz).where(Quiz.title == "Bài kiểm tra đầu vào"))
    assert quiz.role == "pretest" and quiz.time_limit == 2700 and quiz.pass_mark == 5
    assert quiz.review_options["after_close"] == ["attempt", "marks"] and quiz.review_options["during"] == []
    assert "<script" not in quiz.feedback_bands[0]["text"]
    qurl = f"/quizzes/{quiz.id}/questions"
    page = client.get(qurl)
    assert page.status_code == 200
    ids = s.question_ids()
    r = client.post(qurl, data={"csrf_token": csrf_token(client, qurl), "action": "fixed",
                                "fixed-question_ids": [str(ids["TF1"]), str(ids["SA1"])], "fixed-mark": "2",
                                "fixed-csrf_token": csrf_token(client, qurl)})
    db.session.expire_all()
    quiz = db.session.get(Quiz, quiz.id)
    assert [sl.question_id for sl in quiz.slots] == [ids["TF1"], ids["SA1"]], r.get_data(as_text=True)[:500]
    ourl = f"/quizzes/{quiz.id}/overrides"
    r = client.post(ourl, data={"csrf_token": csrf_token(client, ourl), "user_id": str(s.learner.id),
                                "extra_minutes": "15", "attempts_allowed": "2"})
    assert r.status_code == 302
    row = db.session.scalar(select(QuizOverride))
    assert row.extra_seconds == 900 and row.attempts_allowed == 2
    assert client.get(f"/quizzes/{quiz.id}/edit").status_code == 200
    assert f"/quizzes/{quiz.id}/edit" in client.get(f"/courses/{s.course.id}/manage/structure").get_data(as_text=True)


def test_course_page_lists_the_quiz(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    client = signed_in(app, s.learner)
    page = client.get(f"/courses/{s.course.id}").get_data(as_text=True)
    assert f"/quizzes/{s.quiz.id}" in page
    qs.close_overdue()


def test_question_and_answer_html_is_sanitised_on_the_attempt_and_review_pages(app, factory):
    from elearn.quizzes import services as bank_services
    from elearn.quizzes.questions import TextFormat
    from tests.xss_payloads import PAYLOADS, problems

    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", attempts_allowed=0, questions_per_page=0),
                        names=["MC1", "ESSAY1"])
    bank_q = bank_services.question_of(s.course, s.question_ids()["MC1"])
    edited = bank_services.current_question(bank_q)
    edited.text_format = TextFormat.HTML
    edited.text = "<p>Câu hỏi</p>" + "".join(PAYLOADS)
    for answer, payload in zip(edited.answers, PAYLOADS, strict=False):
        answer.text = f"Phương án {payload}"
    bank_services.update_question(s.lecturer, bank_q, edited)
    client = signed_in(app, s.learner)
    attempt = start(client, s.quiz)
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    fragments = re.findall(r'<div class="rich qtext">(.*?)</div>\s*(?=<label|<textarea|<input|</fieldset)', page, re.S)
    choices = re.findall(r"<span>(Phương án.*?)</span></label>", page, re.S)
    assert fragments and choices
    for fragment in fragments + choices:
        assert problems(fragment) == [], fragment[:300]
    essay_slot = next(a.slot for a in attempt.answers if a.qtype == "essay")
    save(client, attempt, {"seq": 1, "answers": {str(essay_slot): PAYLOADS[0] + PAYLOADS[2]}})
    client.post(f"/attempts/{attempt.id}/submit", data={"attempt_token": attempt.token})
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    essay = re.search(r'<div class="essay-text">(.*?)</div>', review, re.S).group(1)
    assert "<script" not in essay and "&lt;script&gt;" in essay
    for fragment in re.findall(r'<div class="rich qtext">(.*?)</div>\s*<div class="your-answer">', review, re.S):
        assert problems(fragment) == []


def test_lecturer_preview_is_not_counted(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    client = signed_in(app, s.lecturer)
    token = csrf_token(client, f"/quizzes/{s.quiz.id}")
    r = client.post(f"/quizzes/{s.quiz.id}/start", data={"csrf_token": token, "preview": "1"})
    attempt = db.session.get(Attempt, int(re.search(r"/attempts/(\d+)", r.headers["Location"]).group(1)))
    assert attempt.preview and attempt.user_id == s.lecturer.id
    save(client, attempt, {"seq": 1, "answers": {"1": True}})
    client.post(f"/attempts/{attempt.id}/submit", data={"attempt_token": attempt.token})
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "The right answer" in review  # a preview shows everything
    assert db.session.scalar(select(func.count()).select_from(QuizResult)) == 0
    learner = signed_in(app, s.learner)
    assert learner.get(f"/attempts/{attempt.id}/review").status_code == 404
