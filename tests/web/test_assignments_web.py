"""Assignments through the real pages: writing, submitting, grading, delegation, downloads, similarity, and each
"Bad input and attacks" line of the issue about assignments (another learner's submission, submitting after
the late window, a double submit, a learner grading, a unit head grading outside their unit, XSS in the text,
unsafe uploads)."""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from elearn.assignments import commitments, grading, services
from elearn.assignments.models import Assignment, Grade, SimilarityPair, Submission
from elearn.core import clock
from elearn.core.files import StoredFile, files_root, path_of
from elearn.core.notifications import Notification
from elearn.courses import completion
from elearn.courses import services as course_services
from elearn.extensions import db
from tests import course_factories as cf
from tests import file_samples as samples
from tests.conftest import csrf_token
from tests.xss_payloads import PAYLOADS, problems

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=7)
LATE = DUE + timedelta(days=2)
RUBRIC = "Hiểu nội dung | Tốt: 4 | Đạt: 2 | Chưa đạt: 0\nLiên hệ thực tiễn | Tốt: 3 | Đạt: 1 | Chưa đạt: 0\n" \
         "Cam kết | Tốt: 3 | Đạt: 1 | Chưa đạt: 0"
LEARNED = "<p>Qua học tập Nghị quyết 57-NQ/TW, tôi nhận thức rõ khoa học công nghệ là đột phá quan trọng hàng đầu.</p>"
APPLIED = "<p>Tại xã, tôi sẽ hướng dẫn người dân sử dụng dịch vụ công trực tuyến và số hóa hồ sơ một cửa.</p>"
COMMITS = "<ul><li>Số hóa 100% hồ sơ một cửa trước tháng 6.</li><li>Mở lớp hướng dẫn cho thôn bản.</li></ul>"


@pytest.fixture
def world(app, factory):
    """A published course with a reflection essay, its lecturer, two units with learners, and a unit head."""
    province = factory.province()
    commune = factory.unit("Xã Minh Quang", "commune", province)
    office = factory.unit("Văn phòng Đảng ủy", "department", commune)
    ward = factory.unit("Phường Hà Giang 1", "ward", province)
    lecturer = factory.lecturer(unit=province)
    course = cf.make_course(factory, lecturer, publish=True)
    section = cf.first_section(course)
    data = services.AssignmentData(title="Bài thu hoạch Nghị quyết 57", instructions="<p>Viết bài thu hoạch.</p>",
                                   due_at=DUE, late_until=LATE, min_words=5, max_words=2000,
                                   rubric=services.domain.parse_rubric_text(RUBRIC), pass_score=5)
    with clock.freeze(NOW - timedelta(days=1)):
        assignment = services.create_assignment(lecturer, section, data)
    people = {
        "a": factory.user(full_name="Lò Văn An", unit=office),
        "b": factory.user(full_name="Hoàng Thị Bình", unit=commune),
        "c": factory.user(full_name="Nguyễn Văn Cường", unit=ward),
        "head": factory.user(full_name="Ma Văn Trưởng", unit=commune, position="Bí thư Đảng ủy xã"),
    }
    for key in ("a", "b", "c"):
        course_services.enrol_person(lecturer, course, people[key])
    return {"course": course, "assignment": assignment, "lecturer": lecturer, "commune": commune, "ward": ward,
            **people}


def _client(app, user):
    return cf.signed_in(app, user)


def _save(client, assignment_id, *, submit=False, files=None, **fields):
    page = f"/assignments/{assignment_id}"
    data = {"csrf_token": csrf_token(client, page), "learned": LEARNED, "application": APPLIED,
            "commitments": COMMITS, **fields}
    if submit:
        data["submit"] = "1"
    if files:
        data["files"] = files
    return client.post(f"{page}/save", data=data, content_type="multipart/form-data")


def _submitted(app, world, key):
    with clock.freeze(NOW):
        response = _save(_client(app, world[key]), world["assignment"].id, submit=True)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalar(select(Submission).where(Submission.user_id == world[key].id))


# ---- writing and submitting ------------------------------------------------------------------------------------

def test_draft_then_submit_and_a_double_submit_is_one_submission(app, world):
    client = _client(app, world["a"])
    aid = world["assignment"].id
    with clock.freeze(NOW):
        assert _save(client, aid).status_code == 302
        draft = db.session.scalar(select(Submission))
        assert draft.state == "draft" and draft.submitted_at is None and draft.word_count > 20
        assert "Qua học tập" in client.get(f"/assignments/{aid}").get_data(as_text=True)
        token = csrf_token(client, f"/assignments/{aid}")
        first = client.post(f"/assignments/{aid}/submit", data={"csrf_token": token})
        second = client.post(f"/assignments/{aid}/submit", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    rows = db.session.scalars(select(Submission)).all()
    assert len(rows) == 1 and rows[0].state == "submitted" and rows[0].times_submitted == 1 and not rows[0].late


def test_resubmission_while_open_makes_a_draft_then_submits_again(app, world):
    sub = _submitted(app, world, "a")
    client = _client(app, world["a"])
    with clock.freeze(NOW + timedelta(days=1)):
        assert _save(client, world["assignment"].id, learned="<p>Bản sửa: " + "nội dung mới " * 5 + "</p>",
                     submit=True).status_code == 302
    db.session.refresh(sub)
    assert sub.state == "submitted" and sub.times_submitted == 2 and "Bản sửa" in sub.sections["learned"]


def test_late_window_marks_late_and_after_it_submission_is_refused_with_the_date(app, world):
    aid = world["assignment"].id
    with clock.freeze(DUE + timedelta(hours=5)):
        assert _save(_client(app, world["a"]), aid, submit=True).status_code == 302
    assert db.session.scalar(select(Submission).where(Submission.user_id == world["a"].id)).late
    client = _client(app, world["b"])
    with clock.freeze(LATE + timedelta(minutes=1)):
        response = _save(client, aid, submit=True)
        page = client.get(f"/assignments/{aid}").get_data(as_text=True)
    assert response.status_code == 400
    local = clock.to_local(LATE).strftime("%d/%m/%Y %H:%M")
    assert f"Submissions closed on {local}." in response.get_data(as_text=True)
    assert f"Submissions closed on {local}." in page
    assert db.session.scalar(select(func.count()).select_from(Submission)
                             .where(Submission.user_id == world["b"].id)) == 0


def test_word_limits_are_enforced_on_submit(app, world):
    world["assignment"].min_words = 500
    db.session.commit()
    with clock.freeze(NOW):
        response = _save(_client(app, world["a"]), world["assignment"].id, submit=True)
    assert response.status_code == 409
    assert "at least 500 are required" in response.get_data(as_text=True)
    assert db.session.scalar(select(Submission)).state == "draft"  # the draft is kept


# ---- who sees and who grades -----------------------------------------------------------------------------------

def test_another_learner_cannot_read_a_submission_or_its_files(app, world):
    aid = world["assignment"].id
    client_a = _client(app, world["a"])
    with clock.freeze(NOW):
        response = _save(client_a, aid, submit=True, files=[(io.BytesIO(samples.pdf("bai thu hoach")), "bai.pdf")])
    assert response.status_code == 302
    sub = db.session.scalar(select(Submission))
    link = sub.files[0]
    client_b = _client(app, world["b"])
    assert client_b.get(f"/assignments/{aid}/submissions/{sub.id}").status_code == 404
    assert client_b.get(f"/assignments/{aid}/submissions/{sub.id}/files/{link.id}").status_code == 404
    assert "Qua học tập" not in client_b.get(f"/assignments/{aid}").get_data(as_text=True)
    assert client_b.get(f"/assignments/{aid}/grading").status_code == 403
    assert client_b.get(f"/assignments/{aid}/submissions.zip").status_code == 403
    # its author and its grader do see it
    assert client_a.get(f"/assignments/{aid}/submissions/{sub.id}/files/{link.id}").status_code == 200
    lecturer = _client(app, world["lecturer"])
    assert "Qua học tập" in lecturer.get(f"/assignments/{aid}/submissions/{sub.id}").get_data(as_text=True)


def _grade_post(client, aid, sid, levels=(0, 0, 0), feedback="<p>Bài viết tốt.</p>"):
    page = f"/assignments/{aid}/submissions/{sid}"
    token = csrf_token(client, page) if client.get(page).status_code == 200 else csrf_token(client, f"/assignments/{aid}")
    data = {"csrf_token": token, "feedback": feedback, "next": "stay",
            **{f"level-{i}": str(v) for i, v in enumerate(levels)}}
    return client.post(page, data=data)


def test_a_learner_cannot_grade(app, world):
    sub = _submitted(app, world, "a")
    aid = world["assignment"].id
    response = _grade_post(_client(app, world["b"]), aid, sub.id)
    assert response.status_code == 404
    # nor grade their own work
    own = _grade_post(_client(app, world["a"]), aid, sub.id)
    assert own.status_code == 302 and own.headers["Location"].endswith(f"/assignments/{aid}")
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 0


def test_lecturer_grades_with_rubric_learner_sees_grade_and_completion_updates(app, world):
    course = world["course"]
    course_services.set_completion_rules(world["lecturer"], course, [completion.AssignmentPassed()])
    sub = _submitted(app, world, "a")
    aid = world["assignment"].id
    response = _grade_post(_client(app, world["lecturer"]), aid, sub.id, levels=(0, 1, 1),
                           feedback="<p>Cần cụ thể hơn về <strong>thời hạn</strong>.</p>")
    assert response.status_code == 302
    grade = db.session.scalar(select(Grade))
    assert grade.score == 6 and grade.max_score == 10 and grade.passed and grade.levels == [0, 1, 1]
    enrolment = course_services.enrolment_of(world["a"].id, course.id)
    assert enrolment.completed_at is not None
    page = _client(app, world["a"]).get(f"/assignments/{aid}").get_data(as_text=True)
    assert "6 of 10 points" in page and "<strong>thời hạn</strong>" in page and "Passed" in page
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == world["a"].id, Notification.kind == "assignment_graded")) == 1


def test_a_failing_rubric_grade_does_not_complete(app, world):
    course_services.set_completion_rules(world["lecturer"], world["course"], [completion.AssignmentPassed()])
    sub = _submitted(app, world, "a")
    assert _grade_post(_client(app, world["lecturer"]), world["assignment"].id, sub.id, levels=(2, 1, 2)).status_code == 302
    assert not db.session.scalar(select(Grade)).passed
    assert course_services.enrolment_of(world["a"].id, world["course"].id).completed_at is None


def test_missing_rubric_level_is_refused(app, world):
    sub = _submitted(app, world, "a")
    response = _grade_post(_client(app, world["lecturer"]), world["assignment"].id, sub.id, levels=(0, 1))
    assert response.status_code == 400 and "Choose one level for every criterion." in response.get_data(as_text=True)


def test_unit_head_grades_their_unit_and_below_but_not_outside(app, world):
    course = world["course"]
    grading.add_delegate(world["lecturer"], course, world["head"])
    in_unit_below = _submitted(app, world, "a")  # Văn phòng Đảng ủy, under the commune
    in_unit = _submitted(app, world, "b")
    outside = _submitted(app, world, "c")  # the ward
    aid = world["assignment"].id
    head = _client(app, world["head"])
    queue = head.get(f"/assignments/{aid}/grading").get_data(as_text=True)
    assert "Lò Văn An" in queue and "Hoàng Thị Bình" in queue and "Nguyễn Văn Cường" not in queue
    assert _grade_post(head, aid, in_unit_below.id).status_code == 302
    assert _grade_post(head, aid, in_unit.id).status_code == 302
    assert head.get(f"/assignments/{aid}/submissions/{outside.id}").status_code == 404
    assert _grade_post(head, aid, outside.id).status_code == 404
    graded = set(db.session.scalars(select(Submission.id).join(Grade)))
    assert graded == {in_unit_below.id, in_unit.id}
    # the ZIP of a unit head holds their unit's work only
    archive = zipfile.ZipFile(io.BytesIO(head.get(f"/assignments/{aid}/submissions.zip").data))
    folders = {name.split("/")[0] for name in archive.namelist()}
    assert folders == {f"{world['a'].username} - Lò Văn An", f"{world['b'].username} - Hoàng Thị Bình"}


def test_delegation_is_course_scoped_and_managed_by_lecturers(app, world, factory):
    other_course = cf.make_course(factory, publish=True)
    grading.add_delegate(cf.lecturer_of(other_course), other_course, world["head"])
    sub = _submitted(app, world, "b")
    head = _client(app, world["head"])
    assert _grade_post(head, world["assignment"].id, sub.id).status_code in (403, 404)
    # a learner cannot name graders
    page = f"/courses/{world['course'].id}/manage/graders"
    assert head.get(page).status_code == 403
    lecturer = _client(app, world["lecturer"])
    response = lecturer.post(page, data={"csrf_token": csrf_token(lecturer, page), "username": world["head"].username})
    assert response.status_code == 302
    assert grading.delegate_covers(world["head"].id, world["course"].id, world["b"].id)


def test_queue_filters_by_status_unit_and_lateness(app, world):
    _submitted(app, world, "a")
    with clock.freeze(DUE + timedelta(hours=1)):
        assert _save(_client(app, world["c"]), world["assignment"].id, submit=True).status_code == 302
    lecturer = _client(app, world["lecturer"])
    base = f"/assignments/{world['assignment'].id}/grading"
    assert "Not started: 1" in lecturer.get(base).get_data(as_text=True)  # Hoàng Thị Bình
    late_only = lecturer.get(base + "?late=1").get_data(as_text=True)
    assert "Nguyễn Văn Cường" in late_only and "Lò Văn An" not in late_only
    by_unit = lecturer.get(base + f"?unit_id={world['commune'].id}").get_data(as_text=True)
    assert "Lò Văn An" in by_unit and "Nguyễn Văn Cường" not in by_unit
    assert "Lò Văn An" not in lecturer.get(base + "?status=graded").get_data(as_text=True)


def test_zip_holds_text_and_files_of_each_submission(app, world):
    with clock.freeze(NOW):
        assert _save(_client(app, world["a"]), world["assignment"].id, submit=True,
                     files=[(io.BytesIO(samples.pdf("phu luc")), "phụ lục.pdf")]).status_code == 302
    response = _client(app, world["lecturer"]).get(f"/assignments/{world['assignment'].id}/submissions.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    folder = f"{world['a'].username} - Lò Văn An"
    assert f"{folder}/bai-lam.html" in names and f"{folder}/01 phụ lục.pdf" in names
    assert "Qua học tập Nghị quyết" in archive.read(f"{folder}/bai-lam.html").decode()


# ---- similarity ------------------------------------------------------------------------------------------------

def test_near_copies_are_flagged_for_graders_with_highlighted_passages(app, world):
    _submitted(app, world, "a")
    with clock.freeze(NOW):
        copied = APPLIED.replace("Tại xã", "Ở xã")
        assert _save(_client(app, world["b"]), world["assignment"].id, submit=True, application=copied).status_code == 302
        assert _save(_client(app, world["c"]), world["assignment"].id, submit=True,
                     learned="<p>" + "Công tác quốc phòng an ninh ở phường được tăng cường qua từng năm. " * 2 + "</p>",
                     application="<p>Tôi sẽ tham mưu xây dựng kế hoạch diễn tập khu vực phòng thủ của phường.</p>",
                     commitments="<p>Hoàn thành kế hoạch trước quý hai và báo cáo Đảng ủy phường.</p>").status_code == 302
    pairs = db.session.scalars(select(SimilarityPair)).all()
    users = {frozenset({p.first.user_id, p.second.user_id}) for p in pairs}
    assert users == {frozenset({world["a"].id, world["b"].id})}
    lecturer = _client(app, world["lecturer"])
    aid = world["assignment"].id
    listing = lecturer.get(f"/assignments/{aid}/similarity").get_data(as_text=True)
    assert "Lò Văn An" in listing and "Hoàng Thị Bình" in listing
    page = lecturer.get(f"/assignments/{aid}/similarity/{pairs[0].id}").get_data(as_text=True)
    assert "<mark>" in page and "Qua học tập Nghị quyết" in page
    assert _client(app, world["a"]).get(f"/assignments/{aid}/similarity/{pairs[0].id}").status_code == 403


# ---- XSS -------------------------------------------------------------------------------------------------------

RICH = "<p>Nội dung <strong>đậm</strong>.</p>" + "".join(PAYLOADS)
HARMLESS = "<p>Nội dung <strong>đậm</strong>.</p>" + "<p>x</p>" * len(PAYLOADS)


def _page_problems(html_text: str) -> Counter:
    html_text = re.sub(r'<script src="/static/[^"]*"( type="module")?></script>', "", html_text)
    return Counter(problems(html_text))


def test_xss_payloads_in_the_text_and_feedback_run_nothing(app, world):
    aid = world["assignment"].id
    subs = {}
    with clock.freeze(NOW):
        for key, text in (("a", RICH), ("b", HARMLESS)):
            response = _save(_client(app, world[key]), aid, submit=True, learned=text, application=text,
                             commitments=text)
            assert response.status_code == 302
            subs[key] = db.session.scalar(select(Submission).where(Submission.user_id == world[key].id))
    for value in subs["a"].sections.values():
        assert problems(value) == []
    lecturer = _client(app, world["lecturer"])
    for key, text in (("a", RICH), ("b", HARMLESS)):
        assert _grade_post(lecturer, aid, subs[key].id, feedback=text).status_code == 302
    assert problems(db.session.scalar(select(Grade).where(Grade.submission_id == subs["a"].id)).feedback) == []
    # The grader's page, the learner's page and the ZIP: the attacked ones show no more than their twins.
    grader_pages = [lecturer.get(f"/assignments/{aid}/submissions/{subs[k].id}").get_data(as_text=True) for k in "ab"]
    learner_pages = [_client(app, world[k]).get(f"/assignments/{aid}").get_data(as_text=True) for k in "ab"]
    for attacked, twin in (grader_pages, learner_pages):
        assert _page_problems(attacked) == _page_problems(twin)
    archive = zipfile.ZipFile(io.BytesIO(lecturer.get(f"/assignments/{aid}/submissions.zip").data))
    for name in archive.namelist():
        if name.endswith(".html"):
            assert [p for p in problems(archive.read(name).decode()) if p != "tag <meta>"] == []


def test_xss_in_the_instructions_is_removed(app, world):
    lecturer = _client(app, world["lecturer"])
    page = f"/assignments/{world['assignment'].id}/edit"
    form = {"csrf_token": csrf_token(lecturer, page), "title": "<script>alert(1)</script>Bài thu hoạch",
            "template": "reflection", "instructions": RICH, "allow_text": "y", "allow_files": "y", "max_files": "3",
            "allow_resubmit": "y", "grading": "rubric", "rubric": RUBRIC, "pass_score": "5",
            "similarity_percent": "50", "required": "y"}
    assert lecturer.post(page, data=form).status_code == 302
    assignment = db.session.get(Assignment, world["assignment"].id)
    assert problems(assignment.instructions) == []
    shown = _client(app, world["a"]).get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>Bài" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;Bài" in shown


# ---- uploads ---------------------------------------------------------------------------------------------------

def _files_on_disk() -> list:
    root = files_root()
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("data", "name"), [
    (samples.HTML, "bai-thu-hoach.pdf"),  # a renamed .html
    (samples.SVG, "hinh.svg"),
    (samples.xlsx(), "bang.docx"),  # an office file that is not a Word document
    (b"MZ\x90\x00" + b"\x00" * 200, "setup.exe"),
    (samples.plain_zip(), "bai.zip"),
    (samples.pdf(), "../../etc/passwd"),  # accepted, but under a safe name
])
def test_unsafe_uploads_are_refused_and_leave_nothing(app, world, data, name):
    before = _files_on_disk()
    with clock.freeze(NOW):
        response = _save(_client(app, world["a"]), world["assignment"].id, files=[(io.BytesIO(data), name)])
    if name == "../../etc/passwd":
        assert response.status_code == 302
        stored = db.session.scalar(select(StoredFile))
        assert stored.original_name == "passwd.pdf" and stored.attached_type == "submission"
        return
    assert response.status_code == 400
    assert "This type of file is not allowed here." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert sorted(_files_on_disk()) == sorted(before)


def test_pdf_docx_and_images_are_accepted_images_without_metadata(app, world):
    files = [(io.BytesIO(samples.pdf()), "bai.pdf"), (io.BytesIO(samples.docx()), "bai.docx"),
             (io.BytesIO(samples.jpeg_with_metadata(size=(400, 300))), "anh.jpg")]
    with clock.freeze(NOW):
        assert _save(_client(app, world["a"]), world["assignment"].id, files=files).status_code == 302
    stored = db.session.scalars(select(StoredFile).order_by(StoredFile.id)).all()
    assert [f.kind for f in stored] == ["document", "office", "image"]
    assert b"secret" not in path_of(stored[2]).read_bytes()


def test_too_many_files_are_refused(app, world):
    files = [(io.BytesIO(samples.pdf(f"tep {i}")), f"tep{i}.pdf") for i in range(4)]
    with clock.freeze(NOW):
        response = _save(_client(app, world["a"]), world["assignment"].id, files=files)
    assert response.status_code == 400 and "At most 3 files can be attached." in response.get_data(as_text=True)


def test_forms_need_the_csrf_token(app, world):
    client = _client(app, world["a"])
    response = client.post(f"/assignments/{world['assignment'].id}/save", data={"learned": "<p>x</p>"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


def _docx(text: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{part}</w:t></w:r></w:p>" for part in text.split(". "))
    xml = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>').encode()
    return samples.zip_of({"[Content_Types].xml": samples.CONTENT_TYPES, "_rels/.rels": b"<Relationships/>",
                           "word/document.xml": xml})


def test_essays_attached_as_docx_or_pdf_are_compared_too(app, world):
    essay = ("Qua học tập Nghị quyết tôi nhận thức rằng chuyển đổi số là cuộc cách mạng toàn diện. Mỗi cán bộ phải tự "
             "học và đổi mới phương pháp làm việc. Tôi sẽ lập kênh thông tin của Mặt trận xã trước tháng tám")
    with clock.freeze(NOW):
        for key, name, data in (("a", "bai.docx", _docx(essay)),
                                ("b", "bai.docx", _docx(essay.replace("tháng tám", "tháng chín"))),
                                ("c", "bai.pdf", samples.pdf("Bao cao ket qua dien tap khu vuc phong thu cua phuong "
                                                             "nam nay dat yeu cau de ra"))):
            response = _save(_client(app, world[key]), world["assignment"].id, submit=True, learned="",
                             application="", commitments="", files=[(io.BytesIO(data), name)])
            assert response.status_code == 302, response.get_data(as_text=True)[:300]
    pairs = db.session.scalars(select(SimilarityPair)).all()
    assert [{p.first.user_id, p.second.user_id} for p in pairs] == [{world["a"].id, world["b"].id}]
    texts = {link.text for s in db.session.scalars(select(Submission)) for link in s.files}
    assert "Bao cao ket qua dien tap khu vuc phong thu cua phuong nam nay dat yeu cau de ra" in texts


def test_grading_page_lists_what_a_unit_head_grades(app, world):
    _submitted(app, world, "b")
    assert _client(app, world["head"]).get("/my/grading").status_code == 403  # not a grader yet
    grading.add_delegate(world["lecturer"], world["course"], world["head"])
    head = _client(app, world["head"])
    page = head.get("/my/grading").get_data(as_text=True)
    assert "Bài thu hoạch Nghị quyết 57" in page and "To grade: 1" in page
    assert 'href="/my/grading"' in head.get("/").get_data(as_text=True)  # in the main navigation
    assert 'href="/my/grading"' not in _client(app, world["a"]).get("/").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == world["head"].id,
                                    Notification.kind == "grading_delegated")) == 1


def _assignment_form(**changes) -> dict:
    form = {"title": "Bài tập tình huống", "template": "free", "instructions": "<p>Giải quyết tình huống.</p>",
            "due_at": "2026-12-31T17:00", "late_until": "", "allow_text": "y", "max_files": "2",
            "allow_resubmit": "y", "grading": "score", "rubric": "", "max_score": "10", "pass_score": "5",
            "similarity_percent": "60", "required": "y"}
    form.update(changes)
    return form


def test_lecturer_adds_a_free_assignment_from_the_content_page(app, world):
    lecturer = _client(app, world["lecturer"])
    course = world["course"]
    structure = lecturer.get(f"/courses/{course.id}/manage/structure").get_data(as_text=True)
    section_id = course.sections[0].id
    new = f"/courses/{course.id}/manage/sections/{section_id}/assignments/new"
    assert f'href="{new}?template=free"' in structure
    assert lecturer.get(new + "?template=free").status_code == 200
    bad = lecturer.post(new, data={"csrf_token": csrf_token(lecturer, new),
                                   **_assignment_form(late_until="2026-12-01T08:00")})
    assert bad.status_code == 200 and "The end of the late window must be after the due date." in bad.get_data(as_text=True)
    bad_rubric = lecturer.post(new, data={"csrf_token": csrf_token(lecturer, new),
                                          **_assignment_form(grading="rubric", rubric="Tiêu chí | Tốt")})
    assert "write it as “Label: points”" in bad_rubric.get_data(as_text=True)
    ok = lecturer.post(new, data={"csrf_token": csrf_token(lecturer, new), **_assignment_form()})
    assert ok.status_code == 302
    made = db.session.scalar(select(Assignment).where(Assignment.title == "Bài tập tình huống"))
    assert made.grading == "score" and made.max_score == 10 and made.similarity_threshold == 0.6
    assert made.due_at == datetime(2026, 12, 31, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
    assert "Bài tập tình huống" in _client(app, world["a"]).get(f"/courses/{course.id}").get_data(as_text=True)
    # a learner may not add one
    assert _client(app, world["a"]).get(new).status_code == 403
    # score grading through the page
    with clock.freeze(NOW):
        page = f"/assignments/{made.id}"
        client = _client(app, world["a"])
        r = client.post(page + "/save", data={"csrf_token": csrf_token(client, page), "submit": "1",
                                              "text": "<p>Tôi sẽ tổ chức đối thoại với người dân trong tuần.</p>"})
        assert r.status_code == 302
    sub = db.session.scalar(select(Submission).where(Submission.assignment_id == made.id))
    grade_page = f"/assignments/{made.id}/submissions/{sub.id}"
    over = lecturer.post(grade_page, data={"csrf_token": csrf_token(lecturer, grade_page), "score": "11"})
    assert over.status_code == 400 and "The score must be between 0 and 10." in over.get_data(as_text=True)
    assert lecturer.post(grade_page, data={"csrf_token": csrf_token(lecturer, grade_page), "score": "4.5"}).status_code == 302
    grade = db.session.scalar(select(Grade).where(Grade.submission_id == sub.id))
    assert grade.score == 4.5 and not grade.passed


def test_pass_fail_grading(app, world):
    assignment = world["assignment"]
    assignment.grading, assignment.rubric, assignment.pass_score = "pass_fail", [], None
    db.session.commit()
    sub = _submitted(app, world, "a")
    lecturer = _client(app, world["lecturer"])
    page = f"/assignments/{assignment.id}/submissions/{sub.id}"
    assert lecturer.post(page, data={"csrf_token": csrf_token(lecturer, page)}).status_code == 400  # no choice
    assert lecturer.post(page, data={"csrf_token": csrf_token(lecturer, page), "passed": "1"}).status_code == 302
    assert db.session.scalar(select(Grade)).passed
    # graded work is final for the learner
    with clock.freeze(NOW):
        response = _save(_client(app, world["a"]), assignment.id, learned="<p>Sửa sau khi chấm</p>")
    assert response.status_code == 400
    assert "This submission has been graded and cannot be changed." in response.get_data(as_text=True)


def test_removing_the_assignment_from_the_course_removes_its_work_and_files(app, world):
    with clock.freeze(NOW):
        assert _save(_client(app, world["a"]), world["assignment"].id, submit=True,
                     files=[(io.BytesIO(samples.pdf("bai")), "bai.pdf")]).status_code == 302
    path = path_of(db.session.scalar(select(StoredFile)))
    assert path.exists()
    item = services.item_for(world["assignment"])
    course_services.delete_item(world["lecturer"], item)
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert not path.exists()


def test_commitments_are_kept_as_data_and_shown_to_the_cadre_and_their_graders(app, world):
    from elearn.assignments.models import Commitment

    sub = _submitted(app, world, "a")  # COMMITS: two list items
    rows = commitments.commitments_of(world["a"].id)
    assert [c.text for c in rows] == ["Số hóa 100% hồ sơ một cửa trước tháng 6.", "Mở lớp hướng dẫn cho thôn bản."]
    assert rows[0].course_id == world["course"].id and rows[0].submission_id == sub.id
    # a resubmission replaces them
    with clock.freeze(NOW + timedelta(days=1)):
        assert _save(_client(app, world["a"]), world["assignment"].id, submit=True,
                     commitments="<p>1. Hoàn thành số hóa trước tháng 5</p>").status_code == 302
    assert [c.text for c in commitments.commitments_of(world["a"].id)] == ["Hoàn thành số hóa trước tháng 5"]
    assert db.session.scalar(select(func.count()).select_from(Commitment)) == 1
    page = f"/people/{world['a'].id}/commitments"
    assert "Hoàn thành số hóa trước tháng 5" in _client(app, world["a"]).get(page).get_data(as_text=True)
    assert "Hoàn thành số hóa trước tháng 5" in _client(app, world["lecturer"]).get(page).get_data(as_text=True)
    assert _client(app, world["b"]).get(page).status_code == 404
    assert _client(app, world["head"]).get(page).status_code == 404  # not (yet) a grader of the commune
    grading.add_delegate(world["lecturer"], world["course"], world["head"])
    assert _client(app, world["head"]).get(page).status_code == 200
