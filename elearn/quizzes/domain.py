"""Quiz rules, re-exported so callers import from one place. Pure Python: no Flask, no database.

- questions.py: the shared question model (Question, Answer, Subquestion, QType, ...).
- grading.py: marking one response (`mark`, `Mark`, `score`, `grade_manually`, `response_problem`).
- attempts.py: timing and expiry rules, who may start, review visibility, grading methods, random draws.
- analysis.py: item analysis (facility, standard deviation, discrimination, answer distribution).
Messages are `Message`s (English msgid + params) from courses/messages.py, translated where shown.
"""
from __future__ import annotations

from elearn.courses.messages import N_, Label, Message, msg

from .analysis import (
    FLAG_LABELS,
    AttemptRecord,
    ItemFlag,
    ItemResponse,
    ItemStats,
    ScoreSummary,
    Thresholds,
    item_analysis,
    response_keys,
    score_summary,
)
from .attempts import (
    EXPIRY_RULE_LABELS,
    GRADING_METHOD_LABELS,
    IMMEDIATELY_AFTER_SECONDS,
    PHASE_LABELS,
    REVIEW_MOMENT_LABELS,
    REVIEW_THING_LABELS,
    AttemptPhase,
    AttemptResult,
    AttemptTotal,
    Decision,
    ExpiryRule,
    GradingMethod,
    Override,
    QuizGrade,
    ReviewMoment,
    ReviewThing,
    accept_answer,
    accept_submit,
    answer_order,
    attempt_rng,
    attempt_total,
    can_start,
    deadline,
    draw_problems,
    draw_questions,
    effective_override,
    matching_choices,
    passed,
    quiz_grade,
    rescale,
    review_moment,
    review_visibility,
    seconds_left,
    shuffle,
    state_at,
)
from .grading import (
    MARK_STATE_LABELS,
    Mark,
    MarkState,
    grade_manually,
    is_answered,
    mark,
    normalise_text,
    parse_number,
    response_problem,
    score,
    state_for,
)
from .questions import Answer, ImportProblem, ImportResult, QType, Question, Subquestion, TextFormat

__all__ = [
    "EXPIRY_RULE_LABELS", "FLAG_LABELS", "GRADING_METHOD_LABELS", "IMMEDIATELY_AFTER_SECONDS", "MARK_STATE_LABELS",
    "N_", "PHASE_LABELS", "REVIEW_MOMENT_LABELS", "REVIEW_THING_LABELS",
    "Answer", "AttemptPhase", "AttemptRecord", "AttemptResult", "AttemptTotal", "Decision", "ExpiryRule",
    "GradingMethod", "ImportProblem", "ImportResult", "ItemFlag", "ItemResponse", "ItemStats", "Label", "Mark",
    "MarkState", "Message", "Override", "QType", "Question", "QuizGrade", "ReviewMoment", "ReviewThing",
    "ScoreSummary", "Subquestion", "TextFormat", "Thresholds",
    "accept_answer", "accept_submit", "answer_order", "attempt_rng", "attempt_total", "can_start", "deadline",
    "draw_problems", "draw_questions", "effective_override", "grade_manually", "is_answered", "item_analysis",
    "mark", "matching_choices", "msg", "normalise_text", "parse_number", "passed", "quiz_grade", "rescale",
    "response_keys", "response_problem", "review_moment", "review_visibility", "score", "score_summary",
    "seconds_left", "shuffle", "state_at", "state_for",
]
