"""Faults from the issue: two concurrent submits of one attempt (on PostgreSQL: SELECT ... FOR UPDATE) finish it
once with one grade; every acknowledged answer is still there after the application restarts."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from elearn import create_app
from elearn.extensions import db
from elearn.quizzes import quiz_services as qs
from elearn.quizzes.quiz_models import Attempt, AttemptAnswer, QuizResult
from tests import services
from tests.course_factories import signed_in
from tests.quiz_factories import make_quiz_setup


def test_two_concurrent_submits_finish_once(app, factory, monkeypatch):
    s = make_quiz_setup(factory, names=["TF1", "SA1"])
    attempt = qs.start_attempt(s.learner, s.quiz)
    qs.save_answers(s.learner, attempt, {"1": True, "2": "UBND"}, seq=1)
    attempt_id, user_id = attempt.id, s.learner.id
    db.session.remove()

    graded = []
    real_grade = qs.grade_attempt

    def slow_grade(a):  # widen the window in which the second submit arrives
        graded.append(a.id)
        time.sleep(0.3)
        real_grade(a)

    monkeypatch.setattr(qs, "grade_attempt", slow_grade)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit():
        with app.app_context():
            try:
                from elearn.accounts.models import User

                user = db.session.get(User, user_id)
                mine = db.session.get(Attempt, attempt_id)
                barrier.wait(timeout=10)
                done = qs.submit_attempt(user, mine)
                outcomes.append((done.state, done.finished_at))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert len(outcomes) == 2 and {o[0] for o in outcomes} == {"finished"}
    assert outcomes[0][1] == outcomes[1][1]  # both see the one finish time
    assert graded == [attempt_id]  # graded once
    finished = db.session.get(Attempt, attempt_id)
    assert finished.state == "finished" and finished.grade == 10.0
    assert db.session.scalar(select(func.count()).select_from(QuizResult)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_concurrent_starts_make_one_attempt(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    user_id, quiz_id = s.learner.id, s.quiz.id
    db.session.remove()
    barrier = threading.Barrier(3)
    ids, errors = [], []

    def start():
        with app.app_context():
            try:
                from elearn.accounts.models import User
                from elearn.quizzes.quiz_models import Quiz

                user, quiz = db.session.get(User, user_id), db.session.get(Quiz, quiz_id)
                barrier.wait(timeout=10)
                ids.append(qs.start_attempt(user, quiz).id)
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    open_count = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.state == "in_progress"))
    if services.BACKEND == "postgres":
        assert not errors, errors
    assert open_count == 1 and len(set(ids)) == 1


def test_acknowledged_answers_survive_a_restart(app, factory):
    s = make_quiz_setup(factory, names=["TF1", "SA1", "ESSAY1"])
    client = signed_in(app, s.learner)
    attempt = qs.start_attempt(s.learner, s.quiz)
    acknowledged = {}
    for seq, (slot, value) in enumerate([("1", True), ("2", "UBND"), ("3", "Bài luận dài " * 50), ("2", "ubnd")], 1):
        r = client.post(f"/attempts/{attempt.id}/save.json", json={"seq": seq, "answers": {slot: value}},
                        headers={"X-Attempt-Token": attempt.token})
        assert r.status_code == 200 and r.json["seq"] == seq
        acknowledged[int(slot)] = value
    attempt_id = attempt.id
    db.session.remove()
    db.engine.dispose()  # the old process's connections are gone

    restarted = create_app(_config_of(app))
    with restarted.app_context():
        rows = {a.slot: a.response for a in db.session.scalars(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id))}
        db.session.remove()
    assert rows == acknowledged


def _config_of(app):
    values = {k: v for k, v in app.config.items() if k.isupper()}
    return type("RestartedConfig", (), values)


@pytest.mark.skipif(services.BACKEND != "postgres", reason="FOR UPDATE is a PostgreSQL lock")
def test_submit_locks_the_row_on_postgres(app, factory):
    s = make_quiz_setup(factory, names=["TF1"])
    attempt = qs.start_attempt(s.learner, s.quiz)
    statements = []
    from sqlalchemy import event

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        qs.submit_attempt(s.learner, attempt)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert any("FOR UPDATE" in st for st in statements)
