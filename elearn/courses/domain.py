"""Course rules: who a course is for, and when a learner has completed it.

Pure Python: no Flask, no database, no models. Services feed facts in and store what comes out.
The rules live in two modules, re-exported here so callers import from one place:
- audience.py: target audience (đúng đối tượng) — AudienceRule, CadreFacts, match_audience.
- completion.py: lesson completion, completion rules and their registry, completion dates.
Messages (msgid + params, translated where shown) are in messages.py.
"""
from __future__ import annotations

from .audience import (
    AudienceRule,
    CadreFacts,
    Match,
    Reason,
    audience_from_json,
    audience_rule_from_dict,
    audience_rule_problems,
    audience_rule_to_dict,
    audience_to_json,
    describe_audience,
    match_audience,
)
from .completion import (
    DEFAULT_VIDEO_SHARE,
    AssignmentPassed,
    CompletionMode,
    CompletionResult,
    CompletionRule,
    ForumPosts,
    LearnerFacts,
    LessonFact,
    LessonKind,
    LiveAttendance,
    QuizzesPassed,
    RequiredLessonsDone,
    RuleError,
    RuleResult,
    SessionAttendance,
    SurveySubmitted,
    completion_date,
    completion_mode_problem,
    course_progress,
    effective_rules,
    evaluate_completion,
    facts_read,
    lesson_completed,
    register_rule_kind,
    rule_from_dict,
    rule_kinds,
    rule_to_dict,
    rules_from_json,
    rules_to_json,
    unregister_rule_kind,
)
from .messages import N_, Label, Message, msg

__all__ = [
    "DEFAULT_VIDEO_SHARE", "N_",
    "AssignmentPassed", "AudienceRule", "CadreFacts", "CompletionMode", "CompletionResult", "CompletionRule",
    "ForumPosts", "Label", "LearnerFacts", "LessonFact", "LessonKind", "LiveAttendance", "Match", "Message",
    "QuizzesPassed", "Reason", "RequiredLessonsDone", "RuleError", "RuleResult", "SessionAttendance",
    "SurveySubmitted",
    "audience_from_json", "audience_rule_from_dict", "audience_rule_problems", "audience_rule_to_dict",
    "audience_to_json", "completion_date", "completion_mode_problem", "course_progress", "describe_audience",
    "effective_rules", "evaluate_completion", "facts_read", "lesson_completed", "match_audience", "msg", "register_rule_kind",
    "rule_from_dict", "rule_kinds", "rule_to_dict", "rules_from_json", "rules_to_json", "unregister_rule_kind",
]
