"""Course rules (courses/domain.py): target audience, lesson completion, completion rules and dates."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest

from elearn.courses import domain as d
from elearn.courses.domain import (
    AudienceRule,
    CadreFacts,
    LearnerFacts,
    LessonFact,
    SessionAttendance,
)

YEAR = 2026
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

# Unit tree used below: province 1 > commune 10 > department 100; province 1 > agency 20.
COMMUNE_DEPT = (100, 10, 1)


def cadre(**kw) -> CadreFacts:
    base = dict(unit_id=100, unit_ancestor_ids=COMMUNE_DEPT, position="Bí thư Đảng ủy xã",
                job_position="Lãnh đạo, quản lý", categories=frozenset({"commune_secretary"}),
                theory_level="intermediate", party_member=True, birth_year=1986, gender="female",
                ethnicity="Tày")
    base.update(kw)
    return CadreFacts(**base)


def reasons(match: d.Match) -> list[str]:
    return [r.msgid for r in match.reasons]


# ---- audience: every condition ------------------------------------------------------------------

def test_empty_audience_is_open_to_everyone():
    match = d.match_audience(cadre(unit_id=None, unit_ancestor_ids=()), [], YEAR)
    assert match.ok and match.reasons == []
    assert [m.msgid for m in d.describe_audience([])] == ["Open to everyone."]


def test_rule_without_conditions_matches_everyone():
    assert d.match_audience(cadre(), [AudienceRule()], YEAR).ok
    assert AudienceRule().is_empty
    assert [m.msgid for m in d.describe_audience([AudienceRule(party_member=True), AudienceRule()])] == \
        ["Open to everyone."]


@pytest.mark.parametrize("unit_ids, include_sub_units, ok", [
    ({100}, False, True),   # the person's own unit
    ({10}, True, True),     # a parent unit, sub-units included
    ({1}, True, True),      # the province, sub-units included
    ({10}, False, False),   # a parent unit, sub-units not included
    ({20}, True, False),    # a sibling branch
    ({20, 10}, True, True), # any of the listed units
])
def test_units_and_sub_units(unit_ids, include_sub_units, ok):
    match = d.match_audience(cadre(), [AudienceRule(unit_ids=unit_ids, include_sub_units=include_sub_units)], YEAR)
    assert match.ok is ok
    if not ok:
        assert reasons(match) == ["Your unit is not among the units this course is for."]


def test_sub_units_count_even_when_ancestors_omit_the_unit_itself():
    facts = cadre(unit_id=100, unit_ancestor_ids=(10, 1))
    assert d.match_audience(facts, [AudienceRule(unit_ids={100}, include_sub_units=True)], YEAR).ok


def test_person_without_a_unit_fails_a_unit_condition():
    match = d.match_audience(cadre(unit_id=None, unit_ancestor_ids=()), [AudienceRule(unit_ids={1})], YEAR)
    assert not match.ok
    assert "unit" in reasons(match)[0]


@pytest.mark.parametrize("typed", ["bi thu dang uy xa", "BÍ THƯ ĐẢNG ỦY XÃ", "  Bí  thư Đảng ủy xã ",
                                   "Bi Thu Dang Uy Xa"])
def test_positions_ignore_case_and_diacritics(typed):
    assert d.match_audience(cadre(), [AudienceRule(positions=(typed,))], YEAR).ok


def test_positions_match_exactly_after_folding():
    rule = AudienceRule(positions=("Bí thư",))  # a prefix of the person's position is not enough
    match = d.match_audience(cadre(), [rule], YEAR)
    assert not match.ok
    assert reasons(match) == ["This course is for these positions: %(positions)s."]
    assert match.reasons[0].render() == "This course is for these positions: Bí thư."
    assert not d.match_audience(cadre(position=""), [AudienceRule(positions=("Bí thư",))], YEAR).ok


def test_job_positions_ignore_diacritics_and_list_any_of():
    rule = AudienceRule(job_positions=("Chuyên viên", "lanh dao, quan ly"))
    assert d.match_audience(cadre(), [rule], YEAR).ok
    match = d.match_audience(cadre(job_position="Kế toán"), [rule], YEAR)
    assert reasons(match) == ["This course is for these job positions: %(job_positions)s."]


def test_categories_any_of():
    rule = AudienceRule(categories={"standing_committee", "commune_secretary"})
    assert d.match_audience(cadre(), [rule], YEAR).ok
    match = d.match_audience(cadre(categories=frozenset()), [rule], YEAR)
    assert not match.ok
    # labels are translated when rendered
    text = match.reasons[0].render(lambda s: s.upper() if "%" not in s else s)
    assert "COMMUNE PARTY SECRETARY" in text and "MANAGED BY THE PROVINCIAL STANDING COMMITTEE" in text


@pytest.mark.parametrize("level, lo, hi, ok", [
    ("intermediate", "intermediate", None, True),
    ("elementary", "intermediate", None, False),
    ("none", "elementary", None, False),
    (None, "elementary", None, False),          # no level recorded counts as none
    ("advanced", None, "intermediate", False),
    ("intermediate", None, "intermediate", True),
    ("elementary", "elementary", "intermediate", True),
    ("bachelor", "elementary", "advanced", False),
    ("expert", "elementary", None, False),      # an unknown stored value counts as none, no crash
])
def test_theory_level_range(level, lo, hi, ok):
    rule = AudienceRule(min_theory_level=lo, max_theory_level=hi)
    assert d.match_audience(cadre(theory_level=level), [rule], YEAR).ok is ok


def test_theory_level_reason_names_the_level():
    match = d.match_audience(cadre(theory_level="elementary"), [AudienceRule(min_theory_level="advanced")], YEAR)
    assert reasons(match) == ["This course requires at least the %(level)s political-theory level."]
    assert match.reasons[0].render() == "This course requires at least the Advanced political-theory level."
    too_high = d.match_audience(cadre(theory_level="bachelor"), [AudienceRule(max_theory_level="elementary")], YEAR)
    assert reasons(too_high) == ["This course is for cadres with at most the %(level)s political-theory level."]


def test_unknown_theory_level_in_a_rule_is_refused():
    with pytest.raises(ValueError):
        AudienceRule(min_theory_level="expert")


@pytest.mark.parametrize("wanted, member, ok, reason", [
    (True, True, True, None),
    (True, False, False, "This course is for Party members."),
    (False, False, True, None),
    (False, True, False, "This course is for people who are not Party members."),
    (None, True, True, None),
    (None, False, True, None),
])
def test_party_membership(wanted, member, ok, reason):
    match = d.match_audience(cadre(party_member=member), [AudienceRule(party_member=wanted)], YEAR)
    assert match.ok is ok
    assert reasons(match) == ([reason] if reason else [])


@pytest.mark.parametrize("birth_year, lo, hi, ok", [
    (1991, None, 35, True),    # exactly 35 in 2026
    (1990, None, 35, False),   # 36
    (2000, 26, None, True),    # exactly 26
    (2001, 26, None, False),
    (1986, 30, 45, True),
    (1970, 30, 45, False),
])
def test_age_range(birth_year, lo, hi, ok):
    assert d.match_audience(cadre(birth_year=birth_year), [AudienceRule(min_age=lo, max_age=hi)], YEAR).ok is ok


@pytest.mark.parametrize("birth_year, lo, hi, expected", [
    (1940, 30, 45, "This course is for cadres aged 30 to 45."),
    (2000, 30, None, "This course is for cadres aged 30 or over."),
    (1990, None, 25, "This course is for cadres aged 25 or under."),
])
def test_age_reason_text(birth_year, lo, hi, expected):
    match = d.match_audience(cadre(birth_year=birth_year), [AudienceRule(min_age=lo, max_age=hi)], YEAR)
    assert [r.render() for r in match.reasons] == [expected]


@pytest.mark.parametrize("lo, hi", [(18, None), (None, 99), (0, 120)])
def test_unknown_birth_year_fails_any_age_condition(lo, hi):
    match = d.match_audience(cadre(birth_year=None), [AudienceRule(min_age=lo, max_age=hi)], YEAR)
    assert not match.ok
    assert reasons(match) == ["Your profile has no year of birth, which this course needs to check your age."]


def test_unknown_birth_year_does_not_matter_without_age_condition():
    assert d.match_audience(cadre(birth_year=None), [AudienceRule(party_member=True)], YEAR).ok


def test_gender_and_ethnic_minority():
    women = AudienceRule(gender="female")
    assert d.match_audience(cadre(), [women], YEAR).ok
    assert reasons(d.match_audience(cadre(gender="male"), [women], YEAR)) == ["This course is for women cadres."]
    assert not d.match_audience(cadre(gender=None), [women], YEAR).ok
    minority = AudienceRule(ethnic_minority=True)
    assert d.match_audience(cadre(ethnicity="Tày"), [minority], YEAR).ok
    assert not d.match_audience(cadre(ethnicity="Kinh"), [minority], YEAR).ok
    assert not d.match_audience(cadre(ethnicity=None), [minority], YEAR).ok


def test_all_conditions_of_one_rule_must_hold_and_every_failure_is_reported():
    rule = AudienceRule(unit_ids={20}, party_member=True, min_theory_level="advanced", max_age=30)
    match = d.match_audience(cadre(party_member=False, birth_year=1980), [rule], YEAR)
    assert not match.ok
    assert len(match.reasons) == 4
    assert d.match_audience(cadre(unit_id=20, unit_ancestor_ids=(20, 1), theory_level="advanced",
                                  birth_year=2000), [rule], YEAR).ok


def test_any_rule_matching_is_enough():
    rules = [AudienceRule(unit_ids={20}), AudienceRule(positions=("Bí thư Đảng ủy xã",))]
    assert d.match_audience(cadre(), rules, YEAR).ok


def test_reasons_come_from_the_closest_rule():
    far = AudienceRule(unit_ids={20}, party_member=False, min_theory_level="advanced")  # 3 failures
    close = AudienceRule(party_member=True, max_age=30)                                  # 1 failure (age 40)
    match = d.match_audience(cadre(), [far, close], YEAR)
    assert not match.ok
    assert [r.render() for r in match.reasons] == ["This course is for cadres aged 30 or under."]
    # order does not matter; on a tie the first rule wins
    assert reasons(d.match_audience(cadre(), [close, far], YEAR)) == reasons(match)
    tie_a, tie_b = AudienceRule(gender="male"), AudienceRule(party_member=False)
    assert reasons(d.match_audience(cadre(), [tie_a, tie_b], YEAR)) == ["This course is for men cadres."]
    assert reasons(d.match_audience(cadre(), [tie_b, tie_a], YEAR)) == \
        ["This course is for people who are not Party members."]


def test_match_is_truthy_only_when_ok():
    assert d.match_audience(cadre(), [], YEAR)
    assert not d.match_audience(cadre(), [AudienceRule(party_member=False)], YEAR)


# ---- audience: description, checks, storage ----------------------------------------------------

def test_describe_one_rule():
    rule = AudienceRule(unit_ids={10, 20}, positions=("Bí thư",), categories={"in_planning"},
                        min_theory_level="intermediate", max_theory_level="advanced", party_member=True,
                        min_age=25, max_age=40, gender="female", ethnic_minority=True)
    lines = [m.render() for m in d.describe_audience([rule], {10: "Xã Tân Lập", 20: "Sở Nội vụ"})]
    assert lines == [
        "Units: Sở Nội vụ, Xã Tân Lập, including their sub-units",
        "Positions: Bí thư",
        "Management categories: In cadre planning",
        "Political-theory level: from Intermediate to Advanced",
        "Party members only",
        "Aged 25 to 40",
        "Women cadres only",
        "Ethnic-minority cadres only",
    ]


def test_describe_unknown_unit_name_and_no_sub_units():
    lines = d.describe_audience([AudienceRule(unit_ids={7}, include_sub_units=False)])
    assert [m.render() for m in lines] == ["Units: #7"]


def test_describe_several_rules_groups_them():
    lines = d.describe_audience([AudienceRule(party_member=True), AudienceRule(max_age=35, min_theory_level="none")])
    assert [(m.depth, m.render()) for m in lines] == [
        (0, "For anyone in one of these groups:"),
        (0, "Group 1"), (1, "Party members only"),
        (0, "Group 2"), (1, "Political-theory level: None or higher"), (1, "Aged 35 or under"),
    ]


@pytest.mark.parametrize("rule, field", [
    (AudienceRule(min_age=40, max_age=30), "max_age"),
    (AudienceRule(min_age=-1), "min_age"),
    (AudienceRule(max_age=200), "max_age"),
    (AudienceRule(min_theory_level="advanced", max_theory_level="elementary"), "max_theory_level"),
])
def test_contradictory_rules_are_reported(rule, field):
    assert field in d.audience_rule_problems(rule)


def test_sensible_rule_has_no_problems():
    assert d.audience_rule_problems(AudienceRule(min_age=30, max_age=30, min_theory_level="advanced",
                                                 max_theory_level="advanced")) == {}


def test_audience_round_trip_through_json():
    rules = [
        AudienceRule(unit_ids={3, 1}, include_sub_units=False, positions=("Bí thư",), job_positions=("Kế toán",),
                     categories={"in_planning", "standing_committee"}, min_theory_level="elementary",
                     max_theory_level="bachelor", party_member=False, min_age=20, max_age=35, gender="male",
                     ethnic_minority=True),
        AudienceRule(party_member=True),
        AudienceRule(),
    ]
    stored = json.loads(json.dumps(d.audience_to_json(rules), ensure_ascii=False))
    assert d.audience_from_json(stored) == rules
    assert stored[0]["party_member"] is False  # "non-members only" is a condition, not an empty one
    assert stored[1] == {"party_member": True}  # only set conditions are stored
    assert stored[0]["unit_ids"] == [1, 3]
    assert d.audience_from_json(None) == []


def test_audience_from_json_refuses_unknown_conditions():
    with pytest.raises(ValueError):
        d.audience_rule_from_dict({"shoe_size": 42})
    with pytest.raises(ValueError):
        d.audience_rule_from_dict({"categories": ["secret_police"]})


# ---- lesson completion ------------------------------------------------------------------------

@pytest.mark.parametrize("kind, mode, viewed, marked, share, threshold, done", [
    ("page", "on_view", True, False, 0.0, 0.9, True),
    ("page", "on_view", False, False, 0.0, 0.9, False),
    ("document", "on_view", True, False, 0.0, 0.9, True),
    ("link", "on_view", True, False, 0.0, 0.9, True),
    ("video", "on_view", True, False, 0.0, 0.9, True),
    ("page", "manual", True, False, 0.0, 0.9, False),   # viewing is not enough
    ("document", "manual", False, True, 0.0, 0.9, True),
    ("video", "video_share", True, False, 0.89, 0.9, False),
    ("video", "video_share", True, False, 0.9, 0.9, True),
    ("video", "video_share", True, True, 0.5, 0.9, False),  # ticking "done" does not replace watching
    ("video", "video_share", True, False, 1.0, 1.0, True),
    ("video", "video_share", True, False, 0.5, 0.5, True),
])
def test_lesson_completed(kind, mode, viewed, marked, share, threshold, done):
    assert d.lesson_completed(kind, mode, viewed, marked, share, threshold) is done


def test_video_share_defaults_to_ninety_percent():
    assert d.DEFAULT_VIDEO_SHARE == 0.9
    assert d.lesson_completed("video", "video_share", True, False, 0.9)
    assert not d.lesson_completed("video", "video_share", True, False, 0.85)


@pytest.mark.parametrize("kind, mode", [("page", "video_share"), ("link", "video_share"), ("quiz", "on_view"),
                                        ("page", "sometimes")])
def test_impossible_kind_and_mode(kind, mode):
    assert d.completion_mode_problem(kind, mode) is not None
    with pytest.raises(ValueError):
        d.lesson_completed(kind, mode, True, True, 1.0, 0.9)


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5])
def test_bad_video_threshold(threshold):
    with pytest.raises(ValueError):
        d.lesson_completed("video", "video_share", True, False, 1.0, threshold)


# ---- completion rules -------------------------------------------------------------------------

def lessons(*spec: tuple[bool, bool]) -> dict[int, LessonFact]:
    """spec: (required, completed) per lesson."""
    return {i: LessonFact(required=req, completed_at=NOW if done else None) for i, (req, done) in enumerate(spec, 1)}


@pytest.mark.parametrize("spec, met, progress", [
    (((True, True), (True, True), (False, False)), True, 1.0),
    (((True, True), (True, False), (False, True)), False, 0.5),
    (((True, False),), False, 0.0),
    (((False, False),), True, 1.0),  # no required lesson: nothing to do for this rule
    ((), True, 1.0),
])
def test_required_lessons_done(spec, met, progress):
    result = d.RequiredLessonsDone().evaluate(LearnerFacts(lessons=lessons(*spec)))
    assert (result.met, result.progress) == (met, progress)


def test_required_lessons_detail():
    result = d.RequiredLessonsDone().evaluate(LearnerFacts(lessons=lessons((True, True), (True, False))))
    assert result.detail.render() == "1 of 2 required lessons completed"


@pytest.mark.parametrize("rule_ids, course_ids, passed, met, progress", [
    ((), {1, 2}, {1, 2}, True, 1.0),
    ((), {1, 2}, {1}, False, 0.5),
    ((), set(), set(), True, 1.0),          # a course without quizzes
    ((2,), {1, 2, 3}, {2}, True, 1.0),      # only the listed quiz counts
    ((1, 3), {1, 2, 3}, {1, 2}, False, 0.5),
    ((4,), {1}, {1}, False, 0.0),           # a listed quiz must be passed even if facts do not list it
])
def test_quizzes_passed(rule_ids, course_ids, passed, met, progress):
    result = d.QuizzesPassed(rule_ids).evaluate(LearnerFacts(course_quiz_ids=course_ids, quizzes_passed=passed))
    assert (result.met, result.progress) == (met, progress)


def test_zero_quizzes_detail():
    result = d.QuizzesPassed().evaluate(LearnerFacts())
    assert result.detail.msgid == "This course has no quizzes."


@pytest.mark.parametrize("sessions, percent, met", [
    ([(48, 60)], 80, True),                     # exactly 80 %
    ([(47, 60)], 80, False),
    ([(60, 60), (30, 60)], 80, False),           # 75 %
    ([(60, 60), (36, 45), (90, 60)], 80, True),  # late stay in one session is capped; 156/165
    ([(120, 60), (0, 60)], 80, False),           # 200 % of one session does not cover a missed one
    ([(60, 60), (60, 60)], 100, True),
    ([(60, 60), (59, 60)], 100, False),          # 100 % means every minute
    ([], 80, True),                              # no session held
    ([(10, 0)], 80, True),                       # zero-length sessions do not count
])
def test_live_attendance(sessions, percent, met):
    result = d.LiveAttendance(percent).evaluate(LearnerFacts(live_sessions=sessions))
    assert result.met is met


def test_live_attendance_precomputed_share_and_detail():
    rule = d.LiveAttendance(80)
    facts = LearnerFacts(live_sessions=[SessionAttendance(0, 60)], live_attendance_share=0.799)
    result = rule.evaluate(facts)
    assert not result.met
    assert result.progress == pytest.approx(0.799 / 0.8)
    # shown value is never rounded up to the threshold
    assert result.detail.render() == "Attended 79.9% of the live-session time; 80% is required"
    assert rule.evaluate(LearnerFacts(live_attendance_share=0.8)).met
    assert rule.describe().render() == "Attend at least 80% of the live-session time"


@pytest.mark.parametrize("percent", [0, -5, 101])
def test_live_attendance_threshold_must_be_a_percentage(percent):
    with pytest.raises(d.RuleError):
        d.LiveAttendance(percent)


@pytest.mark.parametrize("rule_ids, course_ids, passed, met", [
    ((), {5, 6}, {5, 6}, True),
    ((), {5, 6}, {5}, False),
    ((), set(), set(), True),
    ((6,), {5, 6}, {6}, True),
    ((6,), {5, 6}, {5}, False),
])
def test_assignments_passed(rule_ids, course_ids, passed, met):
    facts = LearnerFacts(course_assignment_ids=course_ids, assignments_passed=passed)
    assert d.AssignmentPassed(rule_ids).evaluate(facts).met is met


@pytest.mark.parametrize("posts, needed, met, progress", [
    (0, 1, False, 0.0), (1, 1, True, 1.0), (2, 4, False, 0.5), (9, 3, True, 1.0),
])
def test_forum_posts(posts, needed, met, progress):
    result = d.ForumPosts(needed).evaluate(LearnerFacts(forum_posts=posts))
    assert (result.met, result.progress) == (met, progress)


def test_forum_posts_needs_at_least_one():
    with pytest.raises(d.RuleError):
        d.ForumPosts(0)


def test_survey_submitted():
    assert d.SurveySubmitted().evaluate(LearnerFacts(survey_submitted=True)).met
    result = d.SurveySubmitted().evaluate(LearnerFacts())
    assert not result.met and result.progress == 0.0


def test_every_builtin_kind_describes_itself_and_has_a_label():
    rules = [d.RequiredLessonsDone(), d.QuizzesPassed(), d.QuizzesPassed((1, 2)), d.LiveAttendance(),
             d.AssignmentPassed(), d.AssignmentPassed((3,)), d.ForumPosts(2), d.SurveySubmitted()]
    for rule in rules:
        assert rule.describe().render()
        assert type(rule).label
    assert set(d.rule_kinds()) >= {"required_lessons", "quizzes_passed", "live_attendance", "assignments_passed",
                                   "forum_posts", "survey_submitted"}


# ---- evaluation -------------------------------------------------------------------------------

def test_all_rules_must_be_met_and_progress_is_their_mean():
    rules = [d.RequiredLessonsDone(), d.ForumPosts(2), d.SurveySubmitted()]
    facts = LearnerFacts(lessons=lessons((True, True), (True, True)), forum_posts=1)
    result = d.evaluate_completion(rules, facts)
    assert not result.complete
    assert result.progress == pytest.approx((1 + 0.5 + 0) / 3)
    assert [rule for rule, _ in result.results] == rules
    done = d.evaluate_completion(rules, LearnerFacts(lessons=facts.lessons, forum_posts=2, survey_submitted=True))
    assert done.complete and done.progress == 1.0


def test_no_rules_means_all_required_lessons():
    facts = LearnerFacts(lessons=lessons((True, True), (False, False)))
    result = d.evaluate_completion([], facts)
    assert result.complete and not result.manual_only
    assert not d.evaluate_completion([], LearnerFacts(lessons=lessons((True, False)))).complete


@pytest.mark.parametrize("spec", [(), ((False, True), (False, False))])
def test_no_rules_and_no_required_lessons_never_auto_completes(spec):
    result = d.evaluate_completion([], LearnerFacts(lessons=lessons(*spec)))
    assert not result.complete
    assert result.manual_only
    assert result.results == ()


def test_explicit_rules_replace_the_default():
    # the lecturer only asks for the survey: required lessons are then not checked
    facts = LearnerFacts(lessons=lessons((True, False)), survey_submitted=True)
    assert d.evaluate_completion([d.SurveySubmitted()], facts).complete


@pytest.mark.parametrize("spec, progress", [
    (((True, True), (True, False), (True, False), (True, False), (False, True)), 0.25),
    (((False, True), (False, False)), 0.5),  # no required lessons: share of all lessons
    ((), 0.0),
])
def test_course_progress(spec, progress):
    assert d.course_progress(LearnerFacts(lessons=lessons(*spec))) == progress


# ---- completion date --------------------------------------------------------------------------

def test_completion_date_is_set_when_complete():
    done = d.evaluate_completion([d.SurveySubmitted()], LearnerFacts(survey_submitted=True))
    assert d.completion_date(None, done, NOW) == NOW
    not_done = d.evaluate_completion([d.SurveySubmitted()], LearnerFacts())
    assert d.completion_date(None, not_done, NOW) is None


def test_completion_date_never_moves():
    rules = [d.RequiredLessonsDone()]
    first = d.completion_date(None, d.evaluate_completion(rules, LearnerFacts(lessons=lessons((True, True)))), NOW)
    assert first == NOW
    # the lecturer adds a required lesson: the learner is no longer complete, but the date stays
    later_facts = LearnerFacts(lessons=lessons((True, True), (True, False)))
    later = d.evaluate_completion(rules, later_facts)
    assert not later.complete
    assert d.completion_date(first, later, NOW + timedelta(days=30)) == NOW
    # and completing again later does not move it either
    again = d.evaluate_completion(rules, LearnerFacts(lessons=lessons((True, True), (True, True))))
    assert d.completion_date(first, again, NOW + timedelta(days=60)) == NOW
    assert d.completion_date(first, False, NOW + timedelta(days=90)) == NOW


# ---- storage and plug-in kinds ----------------------------------------------------------------

def test_rules_round_trip_through_json():
    rules = [d.RequiredLessonsDone(), d.QuizzesPassed((3, 1, 3)), d.QuizzesPassed(), d.LiveAttendance(75),
             d.AssignmentPassed((8,)), d.ForumPosts(3), d.SurveySubmitted()]
    stored = json.loads(json.dumps(d.rules_to_json(rules)))
    assert d.rules_from_json(stored) == rules
    assert stored[1] == {"kind": "quizzes_passed", "quiz_ids": [1, 3]}
    assert stored[3] == {"kind": "live_attendance", "percent": 75.0}
    assert d.rules_from_json(None) == []


@pytest.mark.parametrize("data", [
    {"kind": "teleport"}, {}, {"kind": None},
    {"kind": "forum_posts", "min_posts": 0},
    {"kind": "forum_posts", "colour": "red"},
    {"kind": "live_attendance", "percent": "lots"},
])
def test_bad_stored_rules_are_refused(data):
    with pytest.raises(d.RuleError) as info:
        d.rule_from_dict(data)
    assert info.value.message.msgid


@pytest.fixture
def plugin_kind():
    @dataclass(frozen=True)
    class MinFinalScore(d.CompletionRule):
        """A later feature's rule: reads its fact from LearnerFacts.extra."""

        score: float = 5.0
        label: ClassVar[str] = "Final score"

        def evaluate(self, facts):
            got = facts.extra.get("final_score")
            if got is None:
                return d.RuleResult(False, 0.0, d.msg("No final score yet"))
            return d.RuleResult(got >= self.score, got / self.score, d.msg("Final score %(got)s", got=got))

        def describe(self):
            return d.msg("Final score of at least %(score)s", score=self.score)

    d.register_rule_kind("min_final_score", MinFinalScore)
    yield MinFinalScore
    d.unregister_rule_kind("min_final_score")


def test_plugin_kind_is_evaluated_and_stored_without_editing_the_engine(plugin_kind):
    rules = [d.RequiredLessonsDone(), plugin_kind(6.5)]
    stored = d.rules_to_json(rules)
    assert stored[1] == {"kind": "min_final_score", "score": 6.5}
    restored = d.rules_from_json(stored)
    assert restored == rules
    facts = LearnerFacts(lessons=lessons((True, True)), extra={"final_score": 7})
    assert d.evaluate_completion(restored, facts).complete
    low = d.evaluate_completion(restored, LearnerFacts(lessons=lessons((True, True)), extra={"final_score": 5.5}))
    assert not low.complete
    assert low.results[1][1].progress == pytest.approx(5.5 / 6.5)


def test_plugin_kind_can_be_unregistered(plugin_kind):
    d.unregister_rule_kind("min_final_score")
    with pytest.raises(d.RuleError):
        d.rule_from_dict({"kind": "min_final_score", "score": 5})
    with pytest.raises(ValueError):
        d.rule_to_dict(plugin_kind())


def test_a_kind_name_cannot_be_taken_twice(plugin_kind):
    @dataclass(frozen=True)
    class Other(d.CompletionRule):
        def evaluate(self, facts):
            return d.RuleResult(True, 1.0, d.msg("ok"))

        def describe(self):
            return d.msg("ok")

    with pytest.raises(ValueError):
        d.register_rule_kind("min_final_score", Other)
    with pytest.raises(ValueError):
        d.register_rule_kind("survey_submitted", Other)
    d.register_rule_kind("min_final_score", plugin_kind)  # registering the same class again is harmless


def test_register_refuses_a_class_that_is_not_a_rule():
    with pytest.raises(TypeError):
        d.register_rule_kind("nothing", object)


def test_rule_result_is_clamped_and_full_when_met():
    assert d.RuleResult(False, 1.7, d.msg("x")).progress == 1.0
    assert d.RuleResult(False, -1, d.msg("x")).progress == 0.0
    assert d.RuleResult(True, 0.2, d.msg("x")).progress == 1.0


# ---- messages ---------------------------------------------------------------------------------

def test_message_renders_through_the_given_gettext():
    vi = {"This course is for cadres aged %(min)s to %(max)s.": "Khóa học dành cho cán bộ từ %(min)s đến %(max)s tuổi."}
    message = d.msg("This course is for cadres aged %(min)s to %(max)s.", min=25, max=35)
    assert message.render(lambda s: vi.get(s, s)) == "Khóa học dành cho cán bộ từ 25 đến 35 tuổi."
    assert d.msg("Party members only").render() == "Party members only"


def test_facts_read_is_what_the_rules_read_and_none_for_a_rule_that_does_not_say():
    assert d.facts_read([]) == frozenset()  # the default rule: lessons only, always gathered
    assert d.facts_read([d.RequiredLessonsDone(), d.QuizzesPassed()]) == {"quizzes_passed", "course_quiz_ids"}
    assert d.facts_read([d.ForumPosts(min_posts=2), d.LiveAttendance()]) == {
        "forum_posts", "live_sessions", "live_attendance_share"}

    @dataclass(frozen=True)
    class Silent:  # a plug-in rule that does not declare what it reads
        def evaluate(self, facts):
            return None

    assert d.facts_read([d.QuizzesPassed(), Silent()]) is None
