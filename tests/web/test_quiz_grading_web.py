"""Lecturer grading pages: who may see them, the essay queue, regrade, gradebooks and report exports,
and the course's quiz-based final grade."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from elearn.core.notifications import Notification
from elearn.courses import services as course_services
from elearn.extensions import db
from elearn.quizzes import quiz_services as qs
from elearn.quizzes import services as bank_services
from elearn.quizzes.quiz_models import Attempt, AttemptAnswer, QuizResult
from elearn.quizzes.quiz_services import QuizSettings
from tests.conftest import csrf_token
from tests.course_factories import make_course
from tests.quiz_factories import enrol, make_quiz_setup
from tests.xss_payloads import PAYLOADS


def right(answer):
    if answer.qtype == "multichoice":
        order = answer.choice_order
        return order.index(0) if qs.question_of(answer).single else [order.index(0), order.index(1)]
    return {"truefalse": True, "shortanswer": "ubnd", "numerical": "5", "matching": {"0": "UBND tỉnh", "1": "UBND xã"},
            "essay": "Chuyển đổi số giúp phục vụ người dân tốt hơn."}[answer.qtype]


def finish(setup, learner, wrong: tuple[str, ...] = (), essay: str | None = None):
    """A finished attempt: right answers except the question types in `wrong` (left unanswered)."""
    attempt = qs.start_attempt(learner, setup.quiz)
    answers = {}
    for a in attempt.answers:
        if a.qtype in wrong:
            continue
        answers[a.slot] = essay if a.qtype == "essay" and essay is not None else right(a)
    qs.save_answers(learner, attempt, answers, seq=1)
    return qs.submit_attempt(learner, db.session.get(Attempt, attempt.id))


def essay_answer(attempt) -> AttemptAnswer:
    return db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id,
                                                         AttemptAnswer.qtype == "essay"))


@pytest.fixture
def setup(factory):
    unit = factory.unit("Xã Minh Quang", "commune")
    learner = factory.user(full_name="Lò Văn Thắng", unit=unit)
    s = make_quiz_setup(factory, learner=learner,
                        settings=QuizSettings(title="Kiểm tra cuối khoá", attempts_allowed=0, pass_mark=5.0))
    return s


def pages(s, answer_id=None):
    c, q = s.course.id, s.quiz.id
    out = [f"/courses/{c}/grading", f"/courses/{c}/grading/essays", f"/courses/{c}/gradebook",
           f"/courses/{c}/gradebook/export?format=csv", f"/courses/{c}/quizzes/{q}/gradebook",
           f"/courses/{c}/quizzes/{q}/gradebook/export?format=xlsx", f"/courses/{c}/quizzes/{q}/results",
           f"/courses/{c}/quizzes/{q}/results/export?format=csv", f"/courses/{c}/quizzes/{q}/analysis",
           f"/courses/{c}/quizzes/{q}/analysis/export?format=csv", f"/courses/{c}/quizzes/{q}/regrade"]
    if answer_id:
        out.append(f"/courses/{c}/grading/essays/{answer_id}")
    return out


def test_learner_and_other_lecturer_get_403_lecturer_and_admin_200(setup, factory, client, login):
    attempt = finish(setup, setup.learner)
    answer_id = essay_answer(attempt).id
    login(setup.learner)
    for path in pages(setup, answer_id):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/courses/{setup.course.id}/grading/essays/{answer_id}",
                       data={"mark": "1", "csrf_token": csrf_token(client, "/")}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    other = factory.lecturer()
    make_course(factory, other, publish=True)
    login(other)
    for path in pages(setup, answer_id):
        assert client.get(path).status_code == 403, path
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    login(setup.lecturer)
    for path in pages(setup, answer_id):
        assert client.get(path).status_code == 200, path
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(factory.admin())
    assert client.get(pages(setup)[0]).status_code == 200


def test_anonymous_is_sent_to_login_and_unknown_quiz_is_404(setup, client, login):
    response = client.get(f"/courses/{setup.course.id}/gradebook")
    assert response.status_code in (302, 401)
    login(setup.lecturer)
    assert client.get(f"/courses/{setup.course.id}/quizzes/999999/results").status_code == 404
    assert client.get(f"/courses/{setup.course.id}/grading/essays/999999").status_code == 404
    assert client.get(f"/courses/{setup.course.id}/gradebook/export?format=pdf").status_code == 404


def test_quiz_of_another_course_is_404(setup, factory, client, login):
    other = make_quiz_setup(factory, learner=factory.user())
    login(setup.lecturer)
    assert client.get(f"/courses/{setup.course.id}/quizzes/{other.quiz.id}/results").status_code == 404
    attempt = finish(other, other.learner)
    assert client.get(f"/courses/{setup.course.id}/grading/essays/{essay_answer(attempt).id}").status_code == 404


def test_essay_queue_and_grading_updates_the_attempt_and_the_grade(setup, client, login):
    attempt = finish(setup, setup.learner)
    assert attempt.grade is None and attempt.pending_essays == 1
    result = db.session.scalar(select(QuizResult).where(QuizResult.quiz_id == setup.quiz.id))
    assert result.grade is None and result.pending
    answer = essay_answer(attempt)

    login(setup.lecturer)
    queue = client.get(f"/courses/{setup.course.id}/grading/essays").get_data(as_text=True)
    assert "Lò Văn Thắng" in queue
    page = client.get(f"/courses/{setup.course.id}/grading/essays/{answer.id}").get_data(as_text=True)
    assert "Chuyển đổi số giúp phục vụ người dân tốt hơn." in page

    path = f"/courses/{setup.course.id}/grading/essays/{answer.id}"
    token = csrf_token(client, path)
    refused = client.post(path, data={"mark": "3", "comment": "", "csrf_token": token})
    assert refused.status_code == 200  # out of range (max 1): the form again, nothing saved
    db.session.expire_all()
    assert db.session.get(AttemptAnswer, answer.id).manual_mark is None

    response = client.post(path, data={"mark": "0,5", "comment": "Khá tốt <script>alert(1)</script>",
                                       "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    graded = db.session.get(AttemptAnswer, answer.id)
    assert graded.manual_mark == 0.5
    assert "<script>" not in graded.comment and "Khá tốt" in graded.comment
    done = db.session.get(Attempt, attempt.id)
    assert done.pending_essays == 0
    assert done.grade == pytest.approx(10 * 6.5 / 7)
    result = db.session.scalar(select(QuizResult).where(QuizResult.quiz_id == setup.quiz.id))
    assert result.grade == pytest.approx(10 * 6.5 / 7) and result.passed and not result.pending

    note = db.session.scalar(select(Notification).where(Notification.user_id == setup.learner.id,
                                                        Notification.kind == "quiz_essay_graded"))
    assert note is not None and note.url == f"/attempts/{attempt.id}/review" and "0.5/1" in note.body

    empty = client.get(f"/courses/{setup.course.id}/grading/essays?status=ungraded").get_data(as_text=True)
    assert "Lò Văn Thắng" not in empty
    graded_list = client.get(f"/courses/{setup.course.id}/grading/essays?status=graded").get_data(as_text=True)
    assert "Lò Văn Thắng" in graded_list


def test_grading_without_csrf_is_refused(setup, client, login):
    answer = essay_answer(finish(setup, setup.learner))
    login(setup.lecturer)
    response = client.post(f"/courses/{setup.course.id}/grading/essays/{answer.id}", data={"mark": "1"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(AttemptAnswer, answer.id).manual_mark is None


def test_essay_queue_filters_by_unit(setup, factory, client, login):
    elsewhere = factory.unit("Phường Hà Giang 1", "ward")
    other = factory.user(full_name="Hoàng Thị Mai", unit=elsewhere)
    enrol(setup, other)
    finish(setup, setup.learner)
    finish(setup, other)
    unit_id = setup.learner.profile.unit_id
    login(setup.lecturer)
    page = client.get(f"/courses/{setup.course.id}/grading/essays?unit={unit_id}&sub=y").get_data(as_text=True)
    assert "Lò Văn Thắng" in page and "Hoàng Thị Mai" not in page


def test_xss_in_learner_essay_and_names_is_escaped(setup, factory, client, login):
    payload = PAYLOADS[0]
    answer = essay_answer(finish(setup, setup.learner, essay=payload))
    login(setup.lecturer)
    page = client.get(f"/courses/{setup.course.id}/grading/essays/{answer.id}").get_data(as_text=True)
    assert payload not in page


def test_course_and_quiz_gradebook_exports(setup, factory, client, login):
    elsewhere = factory.unit("Phường Hà Giang 2", "ward")
    other = factory.user(full_name="Hoàng Văn Nam", unit=elsewhere)
    enrol(setup, other)
    finish(setup, setup.learner, wrong=("essay",))  # 6 of 7 right, the empty essay counts 0
    login(setup.lecturer)
    c, q = setup.course.id, setup.quiz.id

    body = client.get(f"/courses/{c}/gradebook/export?format=csv")
    assert body.headers["Content-Disposition"].startswith("attachment; filename=bang-diem-")
    rows = list(csv.reader(io.StringIO(body.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Họ và tên", "Tên đăng nhập", "Đơn vị"]  # Vietnamese whatever the page language
    assert rows[0][3] == "Kiểm tra cuối khoá (/10)"
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"Lò Văn Thắng", "Hoàng Văn Nam"}
    assert by_name["Lò Văn Thắng"][3] == "8.57"  # 6/7 of 10
    assert by_name["Lò Văn Thắng"][4] == "85.71"  # course total in %
    assert by_name["Hoàng Văn Nam"][3] == ""

    xlsx = client.get(f"/courses/{c}/quizzes/{q}/gradebook/export?format=xlsx&unit={elsewhere.id}&sub=y")
    ws = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert [r[0] for r in values[1:]] == ["Hoàng Văn Nam"]  # the unit filter applies to the export

    results = client.get(f"/courses/{c}/quizzes/{q}/results/export?format=csv").get_data().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(results)))
    assert len(table) == 2 and table[1][0] == "Lò Văn Thắng"
    assert table[1][8] == "8.57" and table[1][9:16] == ["1", "1", "1", "1", "1", "1", "0"]

    page = client.get(f"/courses/{c}/quizzes/{q}/results").get_data(as_text=True)
    assert "Lò Văn Thắng" in page and "8,57" in page


def test_item_analysis_page_and_export(setup, factory, client, login):
    for i in range(3):
        learner = factory.user(full_name=f"Học viên {i}", unit=setup.learner.profile.unit)
        enrol(setup, learner)
        finish(setup, learner, wrong=("truefalse",) if i else ())
    login(setup.lecturer)
    c, q = setup.course.id, setup.quiz.id
    page = client.get(f"/courses/{c}/quizzes/{q}/analysis").get_data(as_text=True)
    assert "MC1" in page and "TF1" in page
    body = client.get(f"/courses/{c}/quizzes/{q}/analysis/export?format=csv").get_data().decode("utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(body))}
    assert rows["MC1"][4] == "100"  # everyone right
    assert rows["TF1"][4] == "33.33"  # one of three
    assert "Đại hội đại biểu toàn quốc của Đảng: 3" in rows["MC1"][7]


def test_regrade_dry_run_then_apply_with_a_fixed_question(setup, client, login):
    attempt = finish(setup, setup.learner, wrong=("essay",))
    assert attempt.grade == pytest.approx(60 / 7)
    mc_id = setup.question_ids()["MC1"]
    bank_q = bank_services.question_of(setup.course, mc_id)
    fixed = bank_services.current_question(bank_q)
    fixed.answers[0].fraction, fixed.answers[1].fraction = 0.0, 1.0  # the key was wrong
    bank_services.update_question(setup.lecturer, bank_q, fixed)

    login(setup.lecturer)
    path = f"/courses/{setup.course.id}/quizzes/{setup.quiz.id}/regrade"
    page = client.get(path).get_data(as_text=True)
    assert "MC1" in page
    token = csrf_token(client, path)
    dry = client.post(path, data={f"q{mc_id}": "2", "action": "dry_run", "csrf_token": token})
    assert dry.status_code == 200 and "Lò Văn Thắng" in dry.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).grade == pytest.approx(60 / 7)  # nothing written

    applied = client.post(path, data={f"q{mc_id}": "2", "action": "apply", "csrf_token": token})
    assert applied.status_code == 200
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).grade == pytest.approx(50 / 7)
    result = db.session.scalar(select(QuizResult).where(QuizResult.quiz_id == setup.quiz.id))
    assert result.grade == pytest.approx(50 / 7)


def test_regrade_refuses_a_version_with_other_answers(setup, client, login):
    attempt = finish(setup, setup.learner, wrong=("essay",))
    mc_id = setup.question_ids()["MC1"]
    bank_q = bank_services.question_of(setup.course, mc_id)
    changed = bank_services.current_question(bank_q)
    changed.answers = changed.answers[:2]
    bank_services.update_question(setup.lecturer, bank_q, changed)
    login(setup.lecturer)
    path = f"/courses/{setup.course.id}/quizzes/{setup.quiz.id}/regrade"
    response = client.post(path, data={f"q{mc_id}": "2", "action": "apply", "csrf_token": csrf_token(client, path)})
    assert response.status_code == 200
    db.session.expire_all()
    answer = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id,
                                                           AttemptAnswer.question_id == mc_id))
    assert answer.version.number == 1  # kept
    assert db.session.get(Attempt, attempt.id).grade == pytest.approx(60 / 7)


def test_final_grade_fact_for_certificates(setup):
    facts = course_services.learner_facts(setup.course, setup.learner.id)
    assert facts.extra["final_grade"] is None
    finish(setup, setup.learner, wrong=("essay",))
    facts = course_services.learner_facts(setup.course, setup.learner.id)
    assert facts.extra["final_grade"] == pytest.approx(85.71)


def test_results_filter_by_unit_subtree_and_target_group(setup, factory, client, login):
    parent = setup.learner.profile.unit
    child = factory.unit("Thôn Bản Lầu", "commune", parent=parent)
    secretary = factory.user(full_name="Vàng Văn Sử", unit=child, categories={"commune_secretary"})
    enrol(setup, secretary)
    finish(setup, setup.learner)
    finish(setup, secretary)
    login(setup.lecturer)
    base = f"/courses/{setup.course.id}/quizzes/{setup.quiz.id}/results"
    with_children = client.get(f"{base}?unit={parent.id}&sub=y").get_data(as_text=True)
    assert "Lò Văn Thắng" in with_children and "Vàng Văn Sử" in with_children
    only_unit = client.get(f"{base}?unit={parent.id}").get_data(as_text=True)
    assert "Lò Văn Thắng" in only_unit and "Vàng Văn Sử" not in only_unit
    group = client.get(f"{base}?category=commune_secretary").get_data(as_text=True)
    assert "Lò Văn Thắng" not in group and "Vàng Văn Sử" in group
    export = client.get(f"{base}/export?format=csv&category=commune_secretary").get_data().decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(export))][1:] == ["Vàng Văn Sử"]
