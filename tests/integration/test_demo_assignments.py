"""`seed-demo` adds a reflection essay (bài thu hoạch) to the Resolution 57 course: submitted essays, some graded
with the rubric, a unit head as grader, and two near-copies which the similarity check flags — and no other pair."""
from __future__ import annotations

from sqlalchemy import select

from elearn.assignments import commitments, services, similarity_check
from elearn.assignments.models import Assignment, Grade, GradingDelegate, SimilarityPair, Submission
from elearn.demo import assignments as demo
from elearn.demo import seed
from elearn.extensions import db


def test_demo_assignment_with_essays_grades_and_one_flagged_pair(demo_seeded):
    assert any(line.startswith("Demo assignment: ") for line in demo_seeded)
    assignment = db.session.scalar(select(Assignment).where(Assignment.title == demo.TITLE))
    assert assignment is not None and assignment.template == "reflection" and assignment.grading == "rubric"
    assert services.item_for(assignment) is not None
    rows = db.session.scalars(select(Submission).where(Submission.assignment_id == assignment.id)).all()
    states = sorted(s.state for s in rows)
    assert states.count("graded") == len(demo.GRADES) and states.count("draft") == 1
    assert states.count("submitted") == len(demo.ESSAYS) + 1 - len(demo.GRADES)
    assert db.session.scalar(select(GradingDelegate)) is not None
    grades = db.session.scalars(select(Grade)).all()
    assert any(g.passed for g in grades) and any(not g.passed for g in grades)
    # The stored pair, and a fresh check, flag exactly the two near-copies.
    pairs = db.session.scalars(select(SimilarityPair).where(SimilarityPair.assignment_id == assignment.id)).all()
    assert len(pairs) == 1
    texts = {pairs[0].first, pairs[0].second}
    essays = {services.plain_text(assignment, s).split("\n")[0] for s in texts}
    assert demo.ESSAYS[0][0] in essays and demo.COPY[0] in essays
    assert similarity_check.run_similarity(assignment.id) == 1
    # the action plans are kept as commitments, one per sentence of the demo's plan
    first = next(s for s in texts if demo.ESSAYS[0][0] in services.plain_text(assignment, s))
    lines = [c.text for c in commitments.commitments_of(first.user_id)]
    assert lines == ["Đến hết quý II số hóa toàn bộ hồ sơ một cửa còn tồn đọng",
                     "Mỗi tháng phối hợp Đoàn Thanh niên tổ chức một buổi hướng dẫn người dân ở các thôn cài đặt và sử "
                     "dụng ứng dụng định danh điện tử", "Tự học để hoàn thành chứng chỉ kỹ năng số cơ bản trước tháng 9"]


def test_seeding_again_changes_nothing(demo_seeded):
    before = db.session.scalar(select(db.func.count()).select_from(Submission))
    assert "Demo assignment already present; nothing changed." in seed()
    assert db.session.scalar(select(db.func.count()).select_from(Submission)) == before
