"""Certificate rules (certificates/domain.py): eligibility, certificate-only rules, serials, codes, expiry, status."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from elearn.certificates import domain as d
from elearn.courses import domain as cd
from elearn.courses.domain import LearnerFacts, LessonFact

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def facts(done: int = 1, total: int = 1, **extra) -> LearnerFacts:
    lessons = {i: LessonFact(required=True, completed_at=NOW if i < done else None) for i in range(total)}
    return LearnerFacts(lessons=lessons, extra=extra)


def elig(f: LearnerFacts, rules=(), *, active: bool = True, completed_at=None, course_rules=()):
    completion = cd.evaluate_completion(list(course_rules), f)
    return d.eligibility(enrolment_active=active, completed_at=completed_at, completion=completion, rules=list(rules),
                         facts=f)


# ---- eligibility ------------------------------------------------------------------------------------

def test_completed_course_without_certificate_rules_is_eligible():
    result = elig(facts(1, 1))
    assert result.eligible and result.reasons == ()


def test_incomplete_course_is_not_eligible_and_says_why():
    result = elig(facts(1, 3))
    assert not result.eligible
    assert result.reasons[0].msgid == "Course not completed."
    assert any("required lessons" in m.msgid and m.depth == 1 for m in result.reasons[1:])


def test_completion_recorded_once_counts_even_if_facts_changed_later():
    assert elig(facts(0, 2), completed_at=NOW).eligible


def test_manual_only_course_needs_recorded_completion():
    result = elig(LearnerFacts())
    assert not result.eligible and "by hand" in result.reasons[0].msgid
    assert elig(LearnerFacts(), completed_at=NOW).eligible


def test_withdrawn_enrolment_never_qualifies():
    result = elig(facts(1, 1), active=False)
    assert not result.eligible and result.reasons[0].msgid == "The enrolment was withdrawn."


def test_min_final_grade_missing_grade_is_unmet_with_reason():
    result = elig(facts(1, 1), [d.MinFinalGrade(60)])
    assert not result.eligible
    assert [m.msgid for m in result.reasons] == ["no final grade yet"]


@pytest.mark.parametrize(("grade", "ok"), [(59.9, False), (60, True), (60.0000000001, True), (100, True), (0, False)])
def test_min_final_grade_threshold(grade, ok):
    assert elig(facts(1, 1, final_grade=grade), [d.MinFinalGrade(60)]).eligible is ok


def test_both_course_completion_and_certificate_rules_are_reported():
    result = elig(facts(0, 1, final_grade=10), [d.MinFinalGrade(50)])
    ids = [m.msgid for m in result.reasons]
    assert "Course not completed." in ids and any("Final grade" in i for i in ids)


def test_course_completion_rules_are_used_not_only_lessons():
    rules = [cd.ForumPosts(min_posts=2)]
    f = LearnerFacts(lessons={1: LessonFact(completed_at=NOW)}, forum_posts=1)
    assert not elig(f, course_rules=rules).eligible
    assert elig(LearnerFacts(lessons={1: LessonFact(completed_at=NOW)}, forum_posts=2), course_rules=rules).eligible


@pytest.mark.parametrize("value", [-1, 100.5, "abc", None])
def test_min_final_grade_refuses_bad_settings(value):
    with pytest.raises(cd.RuleError):
        d.MinFinalGrade(value)


def test_rules_round_trip_and_unknown_kind():
    rules = [d.MinFinalGrade(75)]
    assert d.rules_from_json(d.rules_to_json(rules)) == rules
    with pytest.raises(cd.RuleError):
        d.rules_from_json([{"kind": "nope"}])
    with pytest.raises(cd.RuleError):
        d.rules_from_json([{"kind": "min_final_grade", "unknown": 1}])


def test_more_certificate_rule_kinds_plug_in():
    from dataclasses import dataclass

    @d.register_certificate_rule("survey_done_test")
    @dataclass(frozen=True)
    class SurveyDone(d.CertificateRule):
        def evaluate(self, facts):
            return cd.RuleResult(bool(facts.survey_submitted), 0.0, cd.msg("survey"))

        def describe(self):
            return cd.msg("survey")

    try:
        assert not elig(facts(1, 1), d.rules_from_json([{"kind": "survey_done_test"}])).eligible
    finally:
        d._RULES.pop("survey_done_test")


# ---- serials, codes -----------------------------------------------------------------------------------

def test_serial_format():
    assert d.serial("TQ", 2025, 123) == "TQ-2025-000123"
    assert d.serial("TQ", 2025, 1_234_567) == "TQ-2025-1234567"
    for bad in ("", "tq", "1TQ", "TQ-1", "ABCDEFGHIJK"):
        assert d.issuer_code_problem(bad)
        with pytest.raises(ValueError):
            d.serial(bad, 2025, 1)
    with pytest.raises(ValueError):
        d.serial("TQ", 2025, 0)


def test_codes_have_at_least_80_bits_and_are_unique():
    codes = {d.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert d.CODE_BYTES * 8 >= 80
    for code in list(codes)[:50]:
        assert len(code) == d.CODE_LENGTH and d.normalise_code(code) == code


@pytest.mark.parametrize("raw", ["", "x", "A" * 23, "A" * 25, "A" * 100000, "' OR 1=1 --", "<script>alert(1)</script>",
                                 "AAAAAAAAAAAAAAAAAAAAAAA1", "ÀAAAAAAAAAAAAAAAAAAAAAAA", None, 12, "A\x00" * 12])
def test_malformed_codes_normalise_to_none(raw):
    assert d.normalise_code(raw) is None


def test_codes_tolerate_case_dashes_and_spaces():
    code = d.new_code()
    assert d.normalise_code(d.grouped(code).lower()) == code
    assert d.normalise_code(" " + code + " ") == code
    assert d.grouped("ABCDEFGHIJKLMNOPQRSTUVWX") == "ABCD-EFGH-IJKL-MNOP-QRST-UVWX"


# ---- expiry and status ----------------------------------------------------------------------------------

def test_expiry():
    assert d.expiry(date(2025, 3, 1), None) is None
    assert d.expiry(date(2025, 3, 1), 12) == date(2026, 2, 28)
    assert d.expiry(date(2024, 1, 31), 1) == date(2024, 2, 28)  # 29 Feb 2024 minus a day
    assert d.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert d.add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_status_precedence():
    today = date(2025, 6, 1)
    assert d.status(revoked_at=None, replaced=False, expires_on=None, today=today) == d.Status.VALID
    assert d.status(revoked_at=None, replaced=False, expires_on=date(2025, 6, 1), today=today) == d.Status.VALID
    assert d.status(revoked_at=None, replaced=False, expires_on=date(2025, 5, 31), today=today) == d.Status.EXPIRED
    assert d.status(revoked_at=None, replaced=True, expires_on=date(2025, 5, 31), today=today) == d.Status.REPLACED
    assert d.status(revoked_at=NOW, replaced=True, expires_on=None, today=today) == d.Status.REVOKED


def test_result_text():
    assert d.result_text(None) == "Hoàn thành"
    assert d.result_text(92) == "Xuất sắc (92/100)"
    assert d.result_text(78.25) == "Khá (78.2/100)" or d.result_text(78.25) == "Khá (78.3/100)"
    assert d.result_text(50) == "Trung bình (50/100)"
