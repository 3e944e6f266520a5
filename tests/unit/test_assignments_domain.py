"""Rules of assignments: deadlines and the late window, word counts and limits, rubric scoring, the pass rule,
and the similarity check between submissions."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from elearn.assignments import domain, similarity
from elearn.assignments.domain import Grading, State, Window

DUE = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
LATE = DUE + timedelta(days=3)


# ---- deadlines -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "late_until", "expected"), [
    (DUE - timedelta(days=1), None, Window.OPEN),
    (DUE, None, Window.OPEN),  # the due moment itself is still on time
    (DUE + timedelta(seconds=1), None, Window.CLOSED),
    (DUE + timedelta(seconds=1), LATE, Window.LATE),
    (LATE, LATE, Window.LATE),
    (LATE + timedelta(seconds=1), LATE, Window.CLOSED),
])
def test_window(now, late_until, expected):
    assert domain.window(now, DUE, late_until) == expected


def test_no_due_date_is_always_open():
    assert domain.window(datetime(2099, 1, 1, tzinfo=UTC), None, None) == Window.OPEN


def test_deadline_problems():
    assert domain.deadline_problem(DUE, LATE) is None
    assert domain.deadline_problem(None, LATE) == "A late window needs a due date."
    assert domain.deadline_problem(DUE, DUE) is not None
    assert domain.deadline_problem(DUE, DUE - timedelta(hours=1)) is not None


def _check(now, **kw):
    args = {"due_at": DUE, "late_until": LATE, "state": State.DRAFT, "allow_resubmit": True, "has_content": True,
            "count": 300, "min_words": None, "max_words": None}
    args.update(kw)
    return domain.submit_check(now=now, **args)


def test_submit_on_time_late_and_closed_with_the_date():
    assert _check(DUE - timedelta(hours=1)) == domain.SubmitCheck(True, late=False)
    assert _check(DUE + timedelta(hours=1)) == domain.SubmitCheck(True, late=True)
    closed = _check(LATE + timedelta(minutes=1))
    assert not closed.ok
    # 2026-12-03 10:00 UTC is 17:00 in Hà Nội
    assert closed.problem.render() == "Submissions closed on 03/12/2026 17:00."


def test_submit_closed_without_late_window_names_the_due_date():
    result = _check(DUE + timedelta(minutes=1), late_until=None)
    assert not result.ok and "30/11/2026 17:00" in result.problem.render()


def test_submit_needs_content_and_respects_word_limits():
    now = DUE - timedelta(days=1)
    assert not _check(now, has_content=False, count=0).ok
    short = _check(now, count=120, min_words=300)
    assert not short.ok and "120" in short.problem.render() and "300" in short.problem.render()
    assert not _check(now, count=2001, max_words=2000).ok
    assert _check(now, count=2000, min_words=300, max_words=2000).ok
    # work handed in as files only is not counted; a short typed text next to files is
    assert _check(now, count=0, has_files=True, min_words=300).ok
    assert not _check(now, count=20, has_files=True, min_words=300).ok


def test_graded_work_cannot_be_submitted_again():
    assert not _check(DUE - timedelta(days=1), state=State.GRADED).ok
    assert not _check(DUE - timedelta(days=1), resubmitting=True, allow_resubmit=False).ok


@pytest.mark.parametrize(("state", "allow", "when", "expected"), [
    (State.DRAFT, False, Window.OPEN, True),
    (State.SUBMITTED, True, Window.OPEN, True),
    (State.SUBMITTED, False, Window.OPEN, False),
    (State.SUBMITTED, True, Window.LATE, True),
    (State.DRAFT, True, Window.CLOSED, False),
    (State.GRADED, True, Window.OPEN, False),
])
def test_editable(state, allow, when, expected):
    assert domain.editable(state, allow, when) is expected


# ---- words -----------------------------------------------------------------------------------------------------

def test_word_count_counts_vietnamese_syllables_and_document_numbers():
    assert domain.word_count("Nghị quyết số 57-NQ/TW của Bộ Chính trị") == 9
    assert domain.word_count("") == 0
    assert domain.word_count("  Đảng   viên,\n cán bộ. ") == 4


def test_limits_problem():
    assert domain.limits_problem(None, None) is None
    assert domain.limits_problem(500, 300) is not None
    assert domain.limits_problem(None, 0) is not None
    assert domain.limits_problem(300, 2000) is None


# ---- rubric ----------------------------------------------------------------------------------------------------

RUBRIC_TEXT = ("Hiểu đúng nội dung | Tốt: 4 | Đạt: 2 | Chưa đạt: 0\n"
               "Liên hệ thực tiễn | Tốt: 3 | Đạt: 1,5 | Chưa đạt: 0\n"
               "Cam kết cụ thể | Tốt: 3 | Chưa đạt: 0\n")


def test_rubric_text_round_trip_and_scoring():
    criteria = domain.parse_rubric_text(RUBRIC_TEXT)
    assert [c.title for c in criteria] == ["Hiểu đúng nội dung", "Liên hệ thực tiễn", "Cam kết cụ thể"]
    assert criteria[1].levels[1] == domain.Level("Đạt", 1.5)
    assert domain.rubric_max(criteria) == 10
    assert domain.rubric_score(criteria, [0, 1, 1]) == 5.5
    assert domain.parse_rubric_text(domain.rubric_text(criteria)) == criteria
    assert domain.rubric_from_json(domain.rubric_to_json(criteria)) == criteria


@pytest.mark.parametrize("choices", [[0, 1], [0, 1, 2], [0, -1, 0], [0, True, 0], ["0", 0, 0]])
def test_rubric_score_refuses_missing_or_wrong_levels(choices):
    with pytest.raises(ValueError):
        domain.rubric_score(domain.parse_rubric_text(RUBRIC_TEXT), choices)


@pytest.mark.parametrize("bad", ["", "Tiêu chí không có mức", "Tiêu chí | Tốt", "Tiêu chí | Tốt: nhiều",
                                 "Tiêu chí | Tốt: -1", " | Tốt: 1"])
def test_bad_rubric_text_is_refused(bad):
    with pytest.raises(domain.RubricError):
        domain.parse_rubric_text(bad)


# ---- the pass rule ---------------------------------------------------------------------------------------------

def test_pass_rule():
    assert domain.passed(Grading.RUBRIC, score=5, pass_score=5)
    assert not domain.passed(Grading.RUBRIC, score=4.5, pass_score=5)
    assert domain.passed(Grading.SCORE, score=7, pass_score=5)
    assert not domain.passed(Grading.SCORE, score=None, pass_score=5)
    assert domain.passed(Grading.PASS_FAIL, pass_flag=True)
    assert not domain.passed(Grading.PASS_FAIL, pass_flag=False)
    assert not domain.passed(Grading.PASS_FAIL, score=10, pass_score=0, pass_flag=None)


def test_grading_problems():
    criteria = domain.parse_rubric_text(RUBRIC_TEXT)
    assert domain.grading_problem(Grading.RUBRIC, criteria, None, 5) is None
    assert domain.grading_problem(Grading.RUBRIC, criteria, None, 11) is not None
    assert domain.grading_problem(Grading.SCORE, (), None, 5) is not None
    assert domain.grading_problem(Grading.SCORE, (), 10, 5) is None
    assert domain.grading_problem("stars", (), None, None) is not None


# ---- similarity ------------------------------------------------------------------------------------------------

ESSAY = ("Qua học tập Nghị quyết, tôi nhận thức sâu sắc rằng khoa học công nghệ, đổi mới sáng tạo và chuyển đổi số "
         "là đột phá quan trọng hàng đầu. Tại xã, tôi sẽ hướng dẫn người dân sử dụng dịch vụ công trực tuyến, "
         "số hóa hồ sơ một cửa và cập nhật dữ liệu dân cư đúng hạn. Tôi cam kết hoàn thành trước tháng sáu.")
OTHER = ("Bản thân tôi là công chức địa chính, việc áp dụng nằm ở khâu đo đạc và cấp giấy chứng nhận. "
         "Tôi sẽ đề xuất với Ủy ban xây dựng bản đồ số đất đai của xã và công khai quy hoạch trên cổng thông tin. "
         "Đến cuối năm, toàn bộ hồ sơ đất đai của thôn Nà Làng được quét và lưu trữ điện tử.")


def test_near_copy_is_flagged_with_its_passage_and_others_are_not():
    copy = ESSAY.replace("Tại xã, tôi sẽ", "Ở phường, tôi sẽ").replace("tháng sáu", "tháng bảy") + " Xin cảm ơn."
    found = similarity.similar_pairs({1: ESSAY, 2: OTHER, 3: copy}, threshold=0.5)
    assert [(a, b) for a, b, _r in found] == [(1, 3)]
    result = found[0][2]
    assert result.containment > 0.7 and 0 < result.jaccard <= result.containment
    words = similarity.tokens(ESSAY)
    texts = [" ".join(words[p.a_start:p.a_start + p.length]) for p in result.passages]
    assert len(texts) == 2  # the two copied stretches around the edit
    assert any(t.startswith("Qua học tập Nghị quyết") for t in texts)
    assert any(t.startswith("tôi sẽ hướng dẫn người dân") for t in texts)
    assert not any("Tại xã" in t for t in texts)
    copy_words = similarity.tokens(copy)
    for p in result.passages:  # the same words on the other side
        assert [w.lower() for w in copy_words[p.b_start:p.b_start + p.length]] == \
            [w.lower() for w in words[p.a_start:p.a_start + p.length]]


def test_similarity_ignores_diacritics():
    plain = "qua hoc tap nghi quyet, toi nhan thuc sau sac rang khoa hoc cong nghe, doi moi sang tao va chuyen doi so " \
            "la dot pha quan trong hang dau"
    a = similarity.prepare(ESSAY)
    b = similarity.prepare(plain)
    assert similarity.compare(a, b).containment == 1.0


def test_shared_instruction_text_does_not_count():
    heading = "Liên hệ việc vận dụng Nghị quyết số 57-NQ/TW vào thực tiễn công tác của bản thân"
    a = heading + ". " + ESSAY
    b = heading + ". " + OTHER
    assert similarity.similar_pairs({1: a, 2: b}, threshold=0.1) != []  # the quoted heading overlaps
    assert similarity.similar_pairs({1: a, 2: b}, threshold=0.1, ignore_texts=[heading]) == []


def test_short_texts_are_never_compared():
    assert similarity.similar_pairs({1: "Đồng ý.", 2: "Đồng ý."}, threshold=0.1) == []


def test_segments_mark_the_ranges():
    words = "a b c d e f".split()
    assert similarity.segments(words, [(1, 2), (4, 1)]) == [("a", False), ("b c", True), ("d", False), ("e", True),
                                                            ("f", False)]


# ---- commitments -----------------------------------------------------------------------------------------------

def test_commitment_lines_drop_bullets_numbering_and_empty_lines():
    blocks = ["1. số hóa hồ sơ một cửa trước tháng 6", "", "- Mở lớp hướng dẫn ở thôn\n  \n• Báo cáo Đảng ủy hằng quý",
              "Thứ nhất, tự học kỹ năng số", "a) Vận động gia đình tham gia", "Năm 2026 hoàn thành 100% hồ sơ"]
    assert domain.commitment_lines(blocks) == [
        "Số hóa hồ sơ một cửa trước tháng 6", "Mở lớp hướng dẫn ở thôn", "Báo cáo Đảng ủy hằng quý",
        "Tự học kỹ năng số", "Vận động gia đình tham gia", "Năm 2026 hoàn thành 100% hồ sơ"]


def test_commitment_lines_are_bounded():
    lines = domain.commitment_lines([f"Cam kết {i}" for i in range(100)] + ["x" * 5000])
    assert len(lines) == domain.MAX_COMMITMENTS
    assert len(domain.commitment_lines(["x" * 5000])[0]) == domain.COMMITMENT_LENGTH
