"""The attempt paths stay free of per-question queries (the quiz load benchmark depends on it): a start inserts
the answer rows with one statement, a save reads only the answers it saves, a submit loads the frozen question
versions with one query, and the behaviour is the same as before (frozen versions, idempotent saves, grades)."""
from __future__ import annotations

import contextlib

from sqlalchemy import event

from elearn.extensions import db
from elearn.quizzes import quiz_services as qs
from tests.quiz_factories import make_quiz_setup

NAMES = ["MC1", "TF1", "SA1", "NUM1", "MATCH1", "MULTI1"]


@contextlib.contextmanager
def statements():
    seen: list[str] = []

    def _count(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()).lower())

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _like(seen: list[str], start: str) -> int:
    return sum(1 for s in seen if s.startswith(start))


def test_start_inserts_answers_in_one_statement_and_freezes_versions(factory):
    s = make_quiz_setup(factory, names=NAMES)
    with statements() as seen:
        attempt = qs.start_attempt(s.learner, s.quiz)
    assert _like(seen, "insert into quiz_attempt_answer") == 1
    assert _like(seen, "select question_version") == 1
    assert len(attempt.answers) == len(NAMES)
    assert attempt.max_sumgrades == sum(a.max_mark for a in attempt.answers)
    assert [a.slot for a in attempt.answers] == list(range(1, len(NAMES) + 1))
    assert all(a.seq == 0 and a.response is None and a.version.question_id == a.question_id for a in attempt.answers)


def test_save_reads_only_the_saved_answer_and_stays_idempotent(factory):
    s = make_quiz_setup(factory, names=NAMES)
    attempt = qs.start_attempt(s.learner, s.quiz)
    slot = next(a.slot for a in attempt.answers if a.qtype == "truefalse")
    assert s.learner.id  # loaded again after the start's commit, as the API's token lookup loads it per request
    with statements() as seen:
        result = qs.save_answers(s.learner, attempt, {slot: True}, seq=2)
    assert result.saved_slots == [slot] and result.seq == 2 and result.state == "in_progress"
    # the attempt under lock read together with the one answer and its version, two updates: nothing per question
    assert len(seen) <= 3, [x[:70] for x in seen]
    reads = [x for x in seen if x.startswith("select")]
    assert len(reads) == 1 and "quiz_attempt_answer.slot in (" in reads[0] and "question_version.data" in reads[0]
    late = qs.save_answers(s.learner, attempt, {slot: False}, seq=1)  # an older request arriving late
    assert late.saved_slots == []
    db.session.expire_all()
    saved = next(a for a in qs.open_attempt(s.quiz, s.learner.id).answers if a.slot == slot)
    assert saved.seq == 2 and saved.response is not None


def test_submit_loads_versions_once_and_grades(factory):
    s = make_quiz_setup(factory, names=NAMES)
    attempt = qs.start_attempt(s.learner, s.quiz)
    tf = next(a for a in attempt.answers if a.qtype == "truefalse")
    qs.save_answers(s.learner, attempt, {tf.slot: True}, seq=1)
    db.session.expire_all()
    with statements() as seen:
        done = qs.submit_attempt(s.learner, attempt)
    assert done.state == "finished" and done.sumgrades == 1.0
    assert _like(seen, "select question_version") == 1
    assert _like(seen, "update quiz_attempt set state") == 1  # the conditional update only, no second write
    assert qs.result_of(s.quiz, s.learner.id).attempts == 1


def test_api_requests_of_an_exam_stay_narrow(client, factory):
    """Whole API requests, token lookup included: a start in 16 statements (course checks, the learner's attempts
    read once, one insert of the answers, no read-back after the commit), a save in 3 (the own attempt locked,
    found through the token, with the answer and its version; two updates), and another learner's attempt id is a
    404 that changes nothing."""
    from tests.web.test_api import API, bearer, token_for

    s = make_quiz_setup(factory, names=NAMES)
    other = factory.user()
    from tests.quiz_factories import enrol

    enrol(s, other)
    h, h_other = bearer(token_for(s.learner)), bearer(token_for(other))
    url = f"{API}/quizzes/{s.quiz.id}/attempts"
    client.post(url, headers=h_other)
    assert client.get(f"{API}/quizzes/{s.quiz.id}", headers=h).status_code == 200  # the token's first use is written
    with statements() as seen:
        started = client.post(url, headers=h)
    assert started.status_code == 200 and started.json["questions"] == len(NAMES)
    assert len(seen) <= 16, "\n".join(x[:90] for x in seen)
    attempt_id = started.json["id"]
    page = client.get(f"{API}/attempts/{attempt_id}/pages/0", headers=h).json
    slot, other_id = page["items"][0]["slot"], other.id
    with statements() as seen:
        saved = client.post(f"{API}/attempts/{attempt_id}/answers", headers=h,
                            json={"answers": {str(slot): 0}, "seq": 1, "user_id": other_id, "score": 100})
    assert saved.status_code == 200 and saved.json["saved_slots"] == [slot], saved.json
    assert len(seen) <= 3, "\n".join(x[:90] for x in seen)
    assert not any(x.startswith("select \"user\"") for x in seen)  # the owner's id is enough for a save
    with statements() as seen:
        refused = client.post(f"{API}/attempts/{attempt_id}/answers", headers=h_other,
                              json={"answers": {str(slot): 1}, "seq": 5})
    assert refused.status_code == 404 and refused.json["error"]["code"] == "not_found"
    assert not any(x.startswith("update") for x in seen)
    db.session.expire_all()
    answer = next(a for a in qs.open_attempt(s.quiz, s.learner.id).answers if a.slot == slot)
    assert answer.seq == 1


def test_submit_with_last_answers_grades_them_even_when_the_answers_were_loaded_before(factory):
    """The last answers of a submit are written as rows; answer objects the request had loaded (a page does) must
    not hide them from the grading."""
    s = make_quiz_setup(factory, names=NAMES)
    attempt = qs.start_attempt(s.learner, s.quiz)
    db.session.expire_all()
    tf = next(a for a in attempt.answers if a.qtype == "truefalse")  # the answers are loaded now
    assert tf.response is None
    done = qs.submit_attempt(s.learner, attempt, {tf.slot: True}, seq=3)
    assert done.state == "finished" and done.sumgrades == 1.0
    saved = next(a for a in done.answers if a.slot == tf.slot)
    assert saved.seq == 3 and saved.response is not None and saved.fraction == 1.0


def test_api_save_tells_a_token_that_is_not_valid_from_another_learners_attempt(client, factory):
    """The save checks the token inside its own query; a refusal must still say 401 for a token that is unknown,
    revoked or whose owner is disabled (whatever the body), and 404 only for a valid token on someone else's
    attempt."""
    from elearn.accounts import services as account_services
    from tests.web.test_api import API, bearer

    s = make_quiz_setup(factory, names=NAMES)
    row, secret = account_services.create_api_token(s.learner, "exam")
    h = bearer(secret)
    attempt_id = client.post(f"{API}/quizzes/{s.quiz.id}/attempts", headers=h).json["id"]
    url = f"{API}/attempts/{attempt_id}/answers"
    for body in ({"answers": {"1": 0}, "seq": 1}, {"answers": {"1": 0}}, []):
        unknown = client.post(url, headers=bearer("not-a-token"), json=body)
        assert unknown.status_code == 401 and unknown.json["error"]["code"] == "unauthorized"
        assert "invalid_token" in unknown.headers["WWW-Authenticate"]
    assert client.post(url, json={"answers": {"1": 0}, "seq": 1}).status_code == 401  # no header at all
    assert client.post(url, headers=h, json={"answers": {"1": 0}, "seq": 1}).status_code == 200
    assert client.post(url, headers=h, json={"answers": {"99": 0}, "seq": 2}).status_code == 400
    account_services.revoke_api_token(s.learner, row)
    revoked = client.post(url, headers=h, json={"answers": {"1": 1}, "seq": 3})
    assert revoked.status_code == 401
    db.session.expire_all()
    answer = next(a for a in qs.open_attempt(s.quiz, s.learner.id).answers if a.slot == 1)
    assert answer.seq == 1  # nothing written with the revoked token


def test_a_submit_gathers_only_the_completion_facts_the_course_rules_read(factory):
    """Completion after a submit runs the fact hooks its rules read (here: quizzes passed), not the forum, live,
    assignment or final-grade ones, and the course still completes on the quiz."""
    from elearn.courses import domain
    from elearn.courses import services as course_services
    from tests.integration.test_quiz_services import right_responses

    s = make_quiz_setup(factory, settings=qs.QuizSettings(title="Q", attempts_allowed=0, pass_mark=5),
                        names=["TF1", "SA1"])
    course_services.set_completion_rules(s.lecturer, s.course, [domain.QuizzesPassed()])
    attempt = qs.start_attempt(s.learner, s.quiz)
    qs.save_answers(s.learner, attempt, right_responses(attempt), seq=1)
    with statements() as seen:
        qs.submit_attempt(s.learner, attempt)
    for table in ("forum", "live_session", "assignment", "submission"):
        assert not any(f"from {table} " in x or f"from {table}\n" in x for x in seen), table
    enrolment = course_services.enrolment_of(s.learner.id, s.course.id)
    assert enrolment.completed_at is not None and enrolment.progress == 1.0
