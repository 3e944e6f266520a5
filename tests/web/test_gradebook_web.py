"""The course gradebook with every graded activity: quizzes and assignments (rubric, score, pass/fail) in the
page and in both exports, ungraded / late / not submitted shown, the course total and the `final_grade` fact
counting scored assignments by their maximum, and who may see it (learners and other lecturers get 403)."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from openpyxl import load_workbook

from elearn.assignments import services as asg
from elearn.assignments.domain import Grading, parse_rubric_text
from elearn.core import clock
from elearn.courses import services as course_services
from elearn.extensions import db
from elearn.quizzes.quiz_services import QuizSettings
from tests.conftest import csrf_token
from tests.course_factories import first_section, make_course
from tests.quiz_factories import enrol, make_quiz_setup
from tests.web.test_quiz_grading_web import finish

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=7)
RUBRIC = "Hiểu nội dung | Tốt: 4 | Đạt: 2 | Chưa đạt: 0\nLiên hệ thực tiễn | Tốt: 3 | Đạt: 1 | Chưa đạt: 0\n" \
         "Cam kết | Tốt: 3 | Đạt: 1 | Chưa đạt: 0"
TEXT = "<p>Tôi sẽ số hóa hồ sơ một cửa và hướng dẫn người dân dùng dịch vụ công trực tuyến.</p>"


def _assignment(setup, title, **kw):
    data = asg.AssignmentData(title=title, template="free", due_at=DUE, late_until=DUE + timedelta(days=3),
                              allow_files=False, **kw)
    with clock.freeze(NOW - timedelta(days=1)):
        return asg.create_assignment(setup.lecturer, first_section(setup.course), data)


def _submit(user, assignment, when=NOW, submit=True):
    with clock.freeze(when):
        asg.save_draft(user, assignment, text=TEXT)
        if submit:
            asg.submit(user, assignment, check_similarity=False)
    return asg.submission_of(assignment, user.id)


@pytest.fixture
def world(factory):
    """A course with a quiz /10, a rubric assignment /10, a scored assignment /30 and a pass/fail one.

    Thắng: quiz 6/7 right (8.57), rubric 6/10 (passed), score 12/30 (failed), pass/fail passed.
    Nam: rubric submitted late and waiting, pass/fail only a draft, nothing else."""
    unit = factory.unit("Xã Minh Quang", "commune")
    thang = factory.user(full_name="Lò Văn Thắng", unit=unit)
    s = make_quiz_setup(factory, learner=thang,
                        settings=QuizSettings(title="Kiểm tra cuối khoá", attempts_allowed=0, pass_mark=5.0))
    nam = factory.user(full_name="Hoàng Văn Nam", unit=unit)
    enrol(s, nam)
    rubric = _assignment(s, "Bài thu hoạch Nghị quyết 57", rubric=parse_rubric_text(RUBRIC), pass_score=5)
    score = _assignment(s, "Bài tập tình huống", grading=Grading.SCORE, max_score=30, pass_score=15)
    pass_fail = _assignment(s, "Kế hoạch hành động", grading=Grading.PASS_FAIL)
    finish(s, thang, wrong=("essay",))
    asg.grade(s.lecturer, _submit(thang, rubric), levels=[0, 1, 1])  # 4 + 1 + 1
    asg.grade(s.lecturer, _submit(thang, score), score=12)
    asg.grade(s.lecturer, _submit(thang, pass_fail), pass_flag=True)
    _submit(nam, rubric, when=DUE + timedelta(days=1))  # late, waiting
    _submit(nam, pass_fail, submit=False)  # a draft only
    return {"setup": s, "course": s.course, "thang": thang, "nam": nam, "rubric": rubric, "score": score,
            "pass_fail": pass_fail}


def test_page_shows_quizzes_and_assignments_with_statuses(world, client, login):
    world["setup"].lecturer.locale = "en"
    db.session.commit()
    login(world["setup"].lecturer)
    page = client.get(f"/courses/{world['course'].id}/gradebook").get_data(as_text=True)
    for title in ("Kiểm tra cuối khoá", "Bài thu hoạch Nghị quyết 57", "Bài tập tình huống", "Kế hoạch hành động"):
        assert title in page
    assert page.index("Kiểm tra cuối khoá") < page.index("Bài thu hoạch Nghị quyết 57")  # quizzes first
    assert f"/assignments/{world['rubric'].id}/grading" in page  # the header links to the assignment's grading
    assert "Waiting for a grade" in page and "late" in page and "Not submitted" in page
    assert "pass/fail" in page
    assert "53.14" in page or "53,14" in page  # (8.57 + 6 + 12) / (10 + 10 + 30)


def vi(app, msgid: str) -> str:
    """The Vietnamese of a label, as the exports write it (whatever the state of the translation catalogue)."""
    with app.test_request_context(), force_locale("vi"):
        return gettext(msgid)


def test_csv_export_has_a_grade_and_a_status_column_per_assignment(app, world, client, login):
    login(world["setup"].lecturer)
    body = client.get(f"/courses/{world['course'].id}/gradebook/export?format=csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    status = vi(app, "status")
    assert header[3:12] == [
        "Kiểm tra cuối khoá (/10)",
        "Bài thu hoạch Nghị quyết 57 (/10)", f"Bài thu hoạch Nghị quyết 57 – {status}",
        "Bài tập tình huống (/30)", f"Bài tập tình huống – {status}",
        f"Kế hoạch hành động ({vi(app, 'pass/fail')})", f"Kế hoạch hành động – {status}",
        f"{vi(app, 'Course total')} (%)", vi(app, "Activities passed"),
    ]
    by_name = {r[0]: r for r in rows[1:]}
    thang, nam = by_name["Lò Văn Thắng"], by_name["Hoàng Văn Nam"]
    graded, missing = "Đã chấm", vi(app, "Not submitted")
    assert thang[3:12] == ["8.57", "6", graded, "12", graded, "Đạt", graded, "53.14", "3/4"]
    assert nam[3:12] == ["", "", "Chờ chấm điểm · muộn", "", missing, "", missing, "", "0/4"]


def test_xlsx_export_keeps_numbers_as_numbers_and_pass_fail_as_text(world, client, login):
    login(world["setup"].lecturer)
    xlsx = client.get(f"/courses/{world['course'].id}/gradebook/export?format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = {row[0]: row for row in ([c.value for c in r] for r in ws.iter_rows())}
    thang = values["Lò Văn Thắng"]
    assert thang[4] == 6 and thang[6] == 12 and thang[8] == "Đạt"
    assert thang[10] == pytest.approx(53.14)
    assert values["Họ và tên"][4] == "Bài thu hoạch Nghị quyết 57 (/10)"


def test_a_grade_given_under_another_maximum_is_rescaled(world, client, login):
    world["score"].max_score = 60  # the lecturer doubled the scale after grading 12/30
    db.session.commit()
    login(world["setup"].lecturer)
    body = client.get(f"/courses/{world['course'].id}/gradebook/export?format=csv").get_data().decode("utf-8-sig")
    thang = next(r for r in csv.reader(io.StringIO(body)) if r[0] == "Lò Văn Thắng")
    assert thang[6] == "24"  # 12/30 is 24/60


def test_final_grade_counts_scored_assignments_not_pass_fail(world):
    facts = course_services.learner_facts(world["course"], world["thang"].id)
    assert facts.extra["final_grade"] == pytest.approx(53.14)
    nam = course_services.learner_facts(world["course"], world["nam"].id)
    assert nam.extra["final_grade"] is None  # nothing weighted is graded


def test_learner_and_another_lecturer_get_403_anonymous_goes_to_login(world, factory, client, login):
    c = world["course"].id
    urls = [f"/courses/{c}/gradebook", f"/courses/{c}/gradebook/export?format=csv",
            f"/courses/{c}/gradebook/export?format=xlsx"]
    for url in urls:
        assert client.get(url).status_code == 302
    login(world["thang"])
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    other = factory.lecturer()
    make_course(factory, other, publish=True)
    login(other)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(factory.admin())
    assert all(client.get(url).status_code == 200 for url in urls)


def test_assignment_title_is_escaped(world, client, login):
    world["score"].title = '<script>alert("x")</script>'
    db.session.commit()
    login(world["setup"].lecturer)
    page = client.get(f"/courses/{world['course'].id}/gradebook").get_data(as_text=True)
    assert '<script>alert("x")' not in page and "&lt;script&gt;" in page

