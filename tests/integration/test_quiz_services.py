"""Quiz services against the database: start freezes versions and order, saves are idempotent by sequence number,
submit is idempotent and grades, the expiry rules close attempts on the server, results and course completion."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.core import clock
from elearn.courses import services as course_services
from elearn.extensions import db
from elearn.quizzes import quiz_services as qs
from elearn.quizzes import services as bank_services
from elearn.quizzes.quiz_models import Attempt, QuizResult
from elearn.quizzes.quiz_services import QuizError, QuizSettings
from tests.quiz_factories import make_quiz_setup


def by_type(attempt):
    return {a.qtype if a.qtype != "multichoice" else ("mc" if qs.question_of(a).single else "multi"): a
            for a in attempt.answers}


def right_responses(attempt) -> dict:
    out = {}
    for a in attempt.answers:
        q = qs.question_of(a)
        if a.qtype == "multichoice":
            out[a.slot] = a.choice_order.index(0) if q.single else [a.choice_order.index(0), a.choice_order.index(1)]
        elif a.qtype == "truefalse":
            out[a.slot] = True
        elif a.qtype == "shortanswer":
            out[a.slot] = "ubnd"
        elif a.qtype == "numerical":
            out[a.slot] = "5"
        elif a.qtype == "matching":
            out[a.slot] = {"0": "UBND tỉnh", "1": "UBND xã"}
        elif a.qtype == "essay":
            out[a.slot] = "Chuyển đổi số là ..."
    return out


def test_start_freezes_versions_and_resumes(factory):
    s = make_quiz_setup(factory)
    attempt = qs.start_attempt(s.learner, s.quiz)
    assert attempt.number == 1 and len(attempt.answers) == 7 and attempt.page_count == 7
    mc = by_type(attempt)["mc"]
    frozen_text = qs.question_of(mc).text
    bank_q = bank_services.question_of(s.course, mc.question_id)
    edited = bank_services.current_question(bank_q)
    edited.text = "Câu hỏi đã sửa"
    bank_services.update_question(s.lecturer, bank_q, edited)
    again = qs.start_attempt(s.learner, s.quiz)  # the open attempt is resumed, not a new one
    assert again.id == attempt.id
    assert qs.question_of(by_type(again)["mc"]).text == frozen_text


def test_save_is_idempotent_by_sequence(factory):
    s = make_quiz_setup(factory)
    attempt = qs.start_attempt(s.learner, s.quiz)
    sa = by_type(attempt)["shortanswer"]
    r = qs.save_answers(s.learner, attempt, {str(sa.slot): "mới"}, seq=5)
    assert r.seq == 5 and r.saved_slots == [sa.slot]
    late = qs.save_answers(s.learner, attempt, {str(sa.slot): "cũ"}, seq=4)  # an older request arriving late
    assert late.saved_slots == []
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).answers[sa.slot - 1].response == "mới"
    with pytest.raises(QuizError):
        qs.save_answers(s.learner, attempt, {"99": "x"}, seq=6)
    with pytest.raises(QuizError):
        qs.save_answers(s.learner, attempt, {str(sa.slot): "x"}, seq="abc")


def test_submit_grades_and_is_idempotent(factory):
    s = make_quiz_setup(factory, names=["MC1", "TF1", "SA1", "NUM1", "MATCH1", "MULTI1"])
    attempt = qs.start_attempt(s.learner, s.quiz)
    qs.save_answers(s.learner, attempt, right_responses(attempt), seq=1)
    done = qs.submit_attempt(s.learner, attempt)
    assert done.state == "finished" and done.sumgrades == 6.0 and done.grade == 10.0
    finished_at = done.finished_at
    with clock.freeze(clock.now() + timedelta(minutes=1)):
        again = qs.submit_attempt(s.learner, done)
    assert again.finished_at == finished_at
    assert db.session.scalar(select(func.count()).select_from(QuizResult)) == 1
    assert qs.result_of(s.quiz, s.learner.id).passed


def test_essay_makes_grade_pending_until_marked(factory):
    s = make_quiz_setup(factory)
    attempt = qs.start_attempt(s.learner, s.quiz)
    qs.save_answers(s.learner, attempt, right_responses(attempt), seq=1)
    done = qs.submit_attempt(s.learner, attempt)
    assert done.pending_essays == 1 and done.grade is None and done.sumgrades is None
    essay = by_type(done)["essay"]
    essay.manual_mark, essay.graded_by_id, essay.graded_at = 0.5, s.lecturer.id, clock.now()
    qs.refresh_totals(done)
    result = qs.update_result(s.quiz, s.learner.id)
    db.session.commit()
    assert done.sumgrades == 6.5 and done.grade == pytest.approx(10 * 6.5 / 7)
    assert result.grade == pytest.approx(10 * 6.5 / 7) and not result.pending


def test_autosubmit_at_deadline_by_sweep(factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", time_limit=600, attempts_allowed=0))
    attempt = qs.start_attempt(s.learner, s.quiz)
    qs.save_answers(s.learner, attempt, right_responses(attempt), seq=1)
    with clock.freeze(attempt.started_at + timedelta(minutes=11)):
        assert qs.close_overdue() == 1
        assert qs.close_overdue() == 0
    db.session.expire_all()
    closed = db.session.get(Attempt, attempt.id)
    assert closed.state == "finished" and closed.finish_reason == "timeout"
    assert closed.finished_at == closed.deadline and closed.pending_essays == 1


def test_not_counted_and_grace(factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", time_limit=600, attempts_allowed=0,
                                                       expiry_rule="not_counted"))
    attempt = qs.start_attempt(s.learner, s.quiz)
    with clock.freeze(attempt.started_at + timedelta(minutes=10)), pytest.raises(QuizError):
        qs.submit_attempt(s.learner, attempt)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == "abandoned"
    s2 = make_quiz_setup(factory, settings=QuizSettings(title="G", time_limit=600, attempts_allowed=0,
                                                        expiry_rule="grace", grace_seconds=300))
    a2 = qs.start_attempt(s2.learner, s2.quiz)
    with clock.freeze(a2.started_at + timedelta(minutes=12)):
        with pytest.raises(QuizError):  # answers cannot change in grace
            qs.save_answers(s2.learner, a2, {"1": 0}, seq=1)
        assert qs.submit_attempt(s2.learner, a2).state == "finished"


def test_override_gives_extra_time_and_attempt_limits(factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", time_limit=600, attempts_allowed=1))
    qs.set_override(s.lecturer, s.quiz, s.learner.id, extra_seconds=300, attempts_allowed=2)
    first = qs.start_attempt(s.learner, s.quiz)
    assert (first.deadline - first.started_at).total_seconds() == 900
    qs.submit_attempt(s.learner, first)
    second = qs.start_attempt(s.learner, s.quiz)
    assert second.number == 2
    qs.submit_attempt(s.learner, second)
    with pytest.raises(QuizError):
        qs.start_attempt(s.learner, s.quiz)


def test_another_learner_cannot_touch_the_attempt(factory):
    s = make_quiz_setup(factory)
    other = factory.user()
    attempt = qs.start_attempt(s.learner, s.quiz)
    with pytest.raises(QuizError):
        qs.save_answers(other, attempt, {"1": 0}, seq=1)
    with pytest.raises(QuizError):
        qs.submit_attempt(other, attempt)


def test_random_draw_from_category(factory):
    s = make_quiz_setup(factory)
    cat_id = bank_services.question_of(s.course, s.question_ids()["MC1"]).category_id
    qs.set_slots(s.lecturer, s.quiz, [qs.SlotSpec(category_id=cat_id, count=3, mark=2.0)])
    attempt = qs.start_attempt(s.learner, s.quiz)
    assert len({a.question_id for a in attempt.answers}) == 3 and attempt.max_sumgrades == 6.0
    with pytest.raises(QuizError):
        qs.set_slots(s.lecturer, s.quiz, [qs.SlotSpec(category_id=cat_id, count=50)])


def test_quiz_passed_feeds_completion(factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", attempts_allowed=0, pass_mark=5),
                        names=["TF1", "SA1"])
    facts = course_services.learner_facts(s.course, s.learner.id)
    assert facts.course_quiz_ids == {s.quiz.id} and not facts.quizzes_passed
    attempt = qs.start_attempt(s.learner, s.quiz)
    qs.save_answers(s.learner, attempt, right_responses(attempt), seq=1)
    qs.submit_attempt(s.learner, attempt)
    assert course_services.learner_facts(s.course, s.learner.id).quizzes_passed == {s.quiz.id}


def test_grading_methods_from_attempts(factory):
    s = make_quiz_setup(factory, settings=QuizSettings(title="Q", attempts_allowed=0, grading_method="last"),
                        names=["TF1", "SA1"])
    a1 = qs.start_attempt(s.learner, s.quiz)
    qs.save_answers(s.learner, a1, right_responses(a1), seq=1)
    qs.submit_attempt(s.learner, a1)
    a2 = qs.start_attempt(s.learner, s.quiz)
    qs.submit_attempt(s.learner, a2)  # nothing answered: 0
    assert qs.result_of(s.quiz, s.learner.id).grade == 0.0
    s.quiz.grading_method = "highest"
    assert qs.update_result(s.quiz, s.learner.id).grade == 10.0


def test_fixed_question_must_be_in_course_bank(factory):
    s = make_quiz_setup(factory)
    other = make_quiz_setup(factory)
    with pytest.raises(QuizError):
        qs.set_slots(s.lecturer, s.quiz, [qs.SlotSpec(question_id=other.question_ids()["MC1"])])


def test_settings_validation(factory):
    s = make_quiz_setup(factory)
    bad = QuizSettings.of(s.quiz)
    bad.pass_mark = 11
    with pytest.raises(QuizError):
        qs.update_quiz(s.lecturer, s.quiz, bad)
    good = QuizSettings.of(s.quiz)
    good.intro = '<p>Giới thiệu</p><script>alert(1)</script>'
    qs.update_quiz(s.lecturer, s.quiz, good)
    assert "<script" not in s.quiz.intro


def test_description_is_never_graded(factory):
    s = make_quiz_setup(factory, names=["TF1"])
    bank_services.import_confirm(s.lecturer, s.course, "::DESC:: Đọc kỹ đề bài.\n", "d.gift", "gift")
    ids = s.question_ids()
    qs.set_slots(s.lecturer, s.quiz, [qs.SlotSpec(question_id=ids["DESC"]), qs.SlotSpec(question_id=ids["TF1"])])
    attempt = qs.start_attempt(s.learner, s.quiz)
    assert attempt.max_sumgrades == 1.0
    qs.save_answers(s.learner, attempt, {"2": True}, seq=1)
    assert qs.submit_attempt(s.learner, attempt).grade == 10.0
