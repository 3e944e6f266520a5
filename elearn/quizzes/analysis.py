"""Item analysis of a quiz: how hard each question was and whether it separates strong from weak learners.

Pure Python: no Flask, no database. The statistics are Moodle's quiz statistics report, computed over the
finished attempts the caller passes (all attempts, or only each learner's first: the caller chooses):

- Facility index F = 100 × mean(fraction): the average share of the question's marks that learners earned.
- Standard deviation SD = 100 × the sample standard deviation (divisor n - 1) of the fractions: the
  spread of the question's scores as a share of its maximum.
- Discrimination index D = 100 × r, where r is Pearson's correlation between the question's score
  (fraction × max mark) and the score on the rest of the test (the attempt's total minus that score).
  This is Moodle's "discrimination index", not the upper/lower 27 % difference: it uses every attempt
  rather than the top and bottom groups only, and does not reward a question for its own share of the
  total. D runs from -100 to 100; above 30 is good, below 20 weak, negative means learners who did well
  on the rest of the test did worse on this question (often a wrong key or an ambiguous text).
- Answer distribution: how many attempts gave each answer (an answer index for multiple choice, each
  chosen index counted once per attempt; True/False; the typed text, normalised; for matching each
  (subquestion index, chosen answer) pair; None for "not answered").

With fewer than two graded responses SD and D are None; with none at all F is None too. D is also None
when the question's scores or the rest-of-test scores do not vary (a correlation is undefined then).
A question's ungraded responses (an essay waiting for a lecturer) are left out and counted as `pending`.
Questions drawn at random appear only in some attempts; each question is analysed over the attempts that
contain it.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from elearn.courses.messages import N_

from .grading import normalise_text

__all__ = [
    "FLAG_LABELS", "AttemptRecord", "ItemFlag", "ItemResponse", "ItemStats", "ScoreSummary", "Thresholds",
    "item_analysis", "response_keys", "score_summary",
]


@dataclass(frozen=True)
class ItemResponse:
    """One question in one finished attempt."""

    fraction: float | None  # 0..1; None while ungraded
    response: Any = None  # what the learner chose or typed (as saved)
    max_mark: float = 1.0  # the question's mark in the quiz


@dataclass(frozen=True)
class AttemptRecord:
    """One finished attempt: its total score (marks) and its questions by key (slot or question id)."""

    total: float
    items: Mapping[Hashable, ItemResponse]


class ItemFlag(StrEnum):
    TOO_EASY = "too_easy"
    TOO_HARD = "too_hard"
    NEGATIVE_DISCRIMINATION = "negative_discrimination"


FLAG_LABELS = {
    ItemFlag.TOO_EASY: N_("Too easy"),
    ItemFlag.TOO_HARD: N_("Too hard"),
    ItemFlag.NEGATIVE_DISCRIMINATION: N_("Discriminates negatively: check the key and the wording"),
}


@dataclass(frozen=True)
class Thresholds:
    """When a question is flagged. Facility in %, discrimination in % (-100..100)."""

    too_easy: float = 90.0  # facility above this
    too_hard: float = 20.0  # facility below this
    negative: float = 0.0  # discrimination below this


@dataclass(frozen=True)
class ItemStats:
    key: Hashable
    n: int  # graded responses analysed
    pending: int  # responses still waiting for a lecturer
    facility: float | None  # 0..100
    sd: float | None  # 0..100 (share of the maximum mark)
    discrimination: float | None  # -100..100
    distribution: dict[Any, int] = field(default_factory=dict, hash=False)  # most frequent first
    flags: frozenset[ItemFlag] = frozenset()


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _sample_sd(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def response_keys(response: Any) -> list[Hashable]:
    """The distribution keys one response counts for (see the module's description)."""
    if response is None:
        return [None]
    if isinstance(response, bool | int | float):
        return [response]
    if isinstance(response, str):
        return [normalise_text(response) or None]
    if isinstance(response, Mapping):
        pairs = []
        for key, value in response.items():
            if isinstance(key, str) and key.strip().isascii() and key.strip().isdigit():
                key = int(key.strip())
            text = normalise_text(value) if value is not None else ""
            if text:
                pairs.append((key, text))
        return sorted(pairs, key=lambda p: (str(p[0]), p[1])) or [None]
    if isinstance(response, list | tuple | set | frozenset):
        keys: list[Hashable] = []
        for item in response:
            if isinstance(item, str) and item.strip().isascii() and item.strip().isdigit():
                item = int(item.strip())
            if item not in keys:
                keys.append(item)
        return keys or [None]
    return [str(response)]


def _sorted_distribution(counter: Counter) -> dict[Any, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] is None, str(kv[0]))))


def _flags(facility: float | None, discrimination: float | None, limits: Thresholds) -> frozenset[ItemFlag]:
    flags = set()
    if facility is not None and facility > limits.too_easy:
        flags.add(ItemFlag.TOO_EASY)
    if facility is not None and facility < limits.too_hard:
        flags.add(ItemFlag.TOO_HARD)
    if discrimination is not None and discrimination < limits.negative:
        flags.add(ItemFlag.NEGATIVE_DISCRIMINATION)
    return frozenset(flags)


def item_analysis(attempts: Iterable[AttemptRecord], thresholds: Thresholds = Thresholds()) -> dict[Hashable, ItemStats]:
    """Statistics per question key, in the order the questions first appear in the attempts."""
    fractions: dict[Hashable, list[float]] = {}
    scores: dict[Hashable, list[float]] = {}
    rests: dict[Hashable, list[float]] = {}
    pending: Counter = Counter()
    answers: dict[Hashable, Counter] = {}
    for attempt in attempts:
        for key, item in attempt.items.items():
            fractions.setdefault(key, [])
            scores.setdefault(key, [])
            rests.setdefault(key, [])
            counter = answers.setdefault(key, Counter())
            for answer_key in response_keys(item.response):
                counter[answer_key] += 1
            if item.fraction is None:
                pending[key] += 1
                continue
            fraction = min(1.0, max(0.0, float(item.fraction)))
            item_score = fraction * item.max_mark
            fractions[key].append(fraction)
            scores[key].append(item_score)
            rests[key].append(attempt.total - item_score)
    stats: dict[Hashable, ItemStats] = {}
    for key, values in fractions.items():
        facility = 100 * _mean(values) if values else None
        sd = _sample_sd(values)
        r = _correlation(scores[key], rests[key])
        discrimination = None if r is None else 100 * r
        stats[key] = ItemStats(
            key=key, n=len(values), pending=pending[key], facility=facility,
            sd=None if sd is None else 100 * sd, discrimination=discrimination,
            distribution=_sorted_distribution(answers[key]),
            flags=_flags(facility, discrimination, thresholds),
        )
    return stats


@dataclass(frozen=True)
class ScoreSummary:
    n: int
    mean: float | None
    median: float | None
    sd: float | None  # sample standard deviation


def score_summary(totals: Iterable[float]) -> ScoreSummary:
    """Count, mean, median and standard deviation of attempt totals (for the results overview)."""
    values = sorted(float(v) for v in totals)
    if not values:
        return ScoreSummary(0, None, None, None)
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    return ScoreSummary(len(values), _mean(values), median, _sample_sd(values))
