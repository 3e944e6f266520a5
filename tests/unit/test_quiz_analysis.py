"""Item analysis (quizzes/analysis.py) on a small dataset computed by hand.

Four finished attempts, three questions worth 1 mark each:

    attempt   Q1  Q2  Q3   total
    A          1   1   1     3
    B          1   0   1     2
    C          0   1  0.5   1.5
    D          0   1   0     1

Facility F = 100 × mean(fraction); SD = 100 × sample SD (divisor n-1); discrimination D = 100 × Pearson r
between the question's score x and the rest of the test y = total - x.

Q1: x = 1,1,0,0  -> mean .5, F = 50.
    SD: squared deviations .25 ×4 = 1, /3 = .3333, sqrt = .57735 -> 57.735.
    y = 2,1,1.5,1, mean 1.375, deviations .625 -.375 .125 -.375.
    Sxy = .5(.625) + .5(-.375) - .5(.125) - .5(-.375) = .3125 - .1875 - .0625 + .1875 = .25
    Sxx = 1, Syy = .390625 + .140625 + .015625 + .140625 = .6875
    r = .25 / sqrt(1 × .6875) = .25 / .829156 = .301511 -> D = 30.151.
Q2: x = 1,0,1,1  -> mean .75, F = 75.
    SD: .0625 ×3 + .5625 = .75, /3 = .25, sqrt = .5 -> 50.
    y = 2,2,.5,0, mean 1.125, deviations .875 .875 -.625 -1.125.
    Sxy = .25(.875) - .75(.875) + .25(-.625) + .25(-1.125) = .21875 - .65625 - .15625 - .28125 = -.875
    Sxx = .75, Syy = .765625 + .765625 + .390625 + 1.265625 = 3.1875
    r = -.875 / sqrt(.75 × 3.1875) = -.875 / 1.546165 = -.565916 -> D = -56.592: flagged negative.
Q3: x = 1,1,.5,0 -> mean .625, F = 62.5.
    SD: .140625 ×2 + .015625 + .390625 = .6875, /3 = .229167, sqrt = .478714 -> 47.871.
    y = 2,1,1,1, mean 1.25, deviations .75 -.25 -.25 -.25.
    Sxy = .375(.75) + .375(-.25) - .125(-.25) - .625(-.25) = .28125 - .09375 + .03125 + .15625 = .375
    Sxx = .6875, Syy = .5625 + .0625 ×3 = .75
    r = .375 / sqrt(.6875 × .75) = .375 / .718078 = .522233 -> D = 52.223.
"""
from __future__ import annotations

import pytest

from elearn.quizzes.domain import (
    AttemptRecord,
    ItemFlag,
    ItemResponse,
    Thresholds,
    item_analysis,
    response_keys,
    score_summary,
)


def attempt(*items: tuple[str, float | None, object], max_marks: dict | None = None) -> AttemptRecord:
    max_marks = max_marks or {}
    parsed = {key: ItemResponse(fraction, response, max_marks.get(key, 1.0)) for key, fraction, response in items}
    total = sum((item.fraction or 0) * item.max_mark for item in parsed.values())
    return AttemptRecord(total, parsed)


DATASET = [
    attempt(("Q1", 1, 0), ("Q2", 1, True), ("Q3", 1, "Hà Nội")),
    attempt(("Q1", 1, 0), ("Q2", 0, False), ("Q3", 1, "  Hà   Nội ")),
    attempt(("Q1", 0, 2), ("Q2", 1, True), ("Q3", 0.5, "Hà Tĩnh")),
    attempt(("Q1", 0, None), ("Q2", 1, True), ("Q3", 0, "Huế")),
]


def test_hand_computed_facility_sd_and_discrimination():
    stats = item_analysis(DATASET)
    assert list(stats) == ["Q1", "Q2", "Q3"]
    q1, q2, q3 = stats["Q1"], stats["Q2"], stats["Q3"]
    assert (q1.n, q2.n, q3.n) == (4, 4, 4)
    assert q1.facility == pytest.approx(50)
    assert q2.facility == pytest.approx(75)
    assert q3.facility == pytest.approx(62.5)
    assert q1.sd == pytest.approx(57.735, abs=1e-3)
    assert q2.sd == pytest.approx(50)
    assert q3.sd == pytest.approx(47.871, abs=1e-3)
    assert q1.discrimination == pytest.approx(30.151, abs=1e-3)
    assert q2.discrimination == pytest.approx(-56.592, abs=1e-3)
    assert q3.discrimination == pytest.approx(52.223, abs=1e-3)


def test_flags_on_the_dataset():
    stats = item_analysis(DATASET)
    assert stats["Q1"].flags == frozenset()
    assert stats["Q2"].flags == {ItemFlag.NEGATIVE_DISCRIMINATION}
    assert stats["Q3"].flags == frozenset()
    # with stricter limits Q2 (F = 75) is too easy and Q1 (F = 50) too hard
    strict = item_analysis(DATASET, Thresholds(too_easy=70, too_hard=55, negative=-60))
    assert strict["Q2"].flags == {ItemFlag.TOO_EASY}
    assert strict["Q1"].flags == {ItemFlag.TOO_HARD}


def test_answer_distribution():
    stats = item_analysis(DATASET)
    assert stats["Q1"].distribution == {0: 2, 2: 1, None: 1}
    assert list(stats["Q1"].distribution) == [0, 2, None]  # most frequent first, "not answered" last on ties
    assert stats["Q2"].distribution == {True: 3, False: 1}
    assert stats["Q3"].distribution == {"Hà Nội": 2, "Hà Tĩnh": 1, "Huế": 1}  # typed texts normalised


def test_response_keys_for_every_shape():
    assert response_keys([2, 0, "2"]) == [2, 0]         # each chosen index once
    assert response_keys([]) == [None]
    assert response_keys({"1": "Wiki", 0: "Forum", 2: ""}) == [(0, "Forum"), (1, "Wiki")]
    assert response_keys({}) == [None]
    assert response_keys("  ") == [None]
    assert response_keys(3.5) == [3.5]


def test_too_easy_and_too_hard_questions():
    data = [attempt(("easy", 1, 0), ("hard", 0, 1), ("mid", f, 0)) for f in (0, 1, 1, 0, 1)]
    stats = item_analysis(data)
    assert stats["easy"].facility == 100 and stats["easy"].flags == {ItemFlag.TOO_EASY}
    assert stats["hard"].facility == 0 and stats["hard"].flags == {ItemFlag.TOO_HARD}
    # no variation: SD 0, discrimination undefined (not a crash, not a negative flag)
    assert stats["easy"].sd == 0 and stats["easy"].discrimination is None
    assert stats["mid"].flags == frozenset()


def test_scores_use_the_max_mark():
    # Q worth 2 marks: scores 2, 0, 1; the rest of the test is 1, 1, 0 (totals 3, 1, 1).
    # x = 2,0,1 (mean 1, dev 1 -1 0), y = 1,1,0 (mean 2/3, dev 1/3 1/3 -2/3)
    # Sxy = 1/3 - 1/3 + 0 = 0 -> D = 0. Facility uses fractions: (1 + 0 + .5) / 3 = 50 %.
    data = [attempt(("Q", 1, None), ("R", 1, None), max_marks={"Q": 2}),
            attempt(("Q", 0, None), ("R", 1, None), max_marks={"Q": 2}),
            attempt(("Q", 0.5, None), ("R", 0, None), max_marks={"Q": 2})]
    stats = item_analysis(data)
    assert stats["Q"].facility == pytest.approx(50)
    assert stats["Q"].discrimination == pytest.approx(0, abs=1e-9)


def test_ungraded_responses_are_pending_and_left_out():
    data = [attempt(("Essay", None, "bài viết"), ("Q", 1, 0)),
            attempt(("Essay", 1, "bài viết khác"), ("Q", 1, 0)),
            attempt(("Essay", 0, "x"), ("Q", 0, 1))]
    essay = item_analysis(data)["Essay"]
    assert (essay.n, essay.pending, essay.facility) == (2, 1, 50)
    assert sum(essay.distribution.values()) == 3  # every response is counted in the distribution


def test_few_attempts_do_not_crash():
    assert item_analysis([]) == {}
    one = item_analysis([attempt(("Q", 0.5, 1))])["Q"]
    assert (one.n, one.facility, one.sd, one.discrimination) == (1, 50, None, None)
    only_pending = item_analysis([attempt(("Essay", None, "x"))])["Essay"]
    assert (only_pending.n, only_pending.pending, only_pending.facility, only_pending.flags) == \
        (0, 1, None, frozenset())


def test_random_questions_are_analysed_over_the_attempts_that_contain_them():
    data = [attempt(("A", 1, 0), ("common", 1, 0)), attempt(("B", 0, 1), ("common", 0, 1)),
            attempt(("A", 0, 1), ("common", 1, 0))]
    stats = item_analysis(data)
    assert (stats["A"].n, stats["B"].n, stats["common"].n) == (2, 1, 3)


def test_score_summary():
    summary = score_summary([3, 2, 1.5, 1])
    assert (summary.n, summary.mean, summary.median) == (4, 1.875, 1.75)
    # deviations 1.125 .125 -.375 -.875: squares 1.265625 + .015625 + .140625 + .765625 = 2.1875, /3, sqrt
    assert summary.sd == pytest.approx((2.1875 / 3) ** 0.5)
    assert score_summary([7]).sd is None
    assert score_summary([]).mean is None
