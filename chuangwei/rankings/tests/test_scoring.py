"""Composite scores, count bands and grades (pure)."""

from __future__ import annotations

from chuangwei.rankings import scoring
from chuangwei.rankings.presets import GRID_BANDS, REGION_WEIGHTS
from chuangwei.rankings.selectors import kinds_of_metric

KINDS = kinds_of_metric()


def test_grid_count_bands_follow_the_reference():
    assert [scoring.band_score(n, GRID_BANDS) for n in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50)] == [
        100,
        90,
        90,
        75,
        75,
        60,
        60,
        40,
        40,
        0,
        0,
    ]


def test_negative_rates_score_one_minus_rate():
    assert scoring.metric_score("rework_rate", 0.25, "negrate") == 75.0
    assert scoring.metric_score("closure_rate", 0.25, "rate") == 25.0
    assert scoring.metric_score("closure_rate", None, "rate") is None


def test_region_composite_by_hand():
    # 4 cases → 75 × 20 %; public 1/4 → 75 × 10 %; closure 0.5 → 50 × 30 %; on time 0.25 → 25 × 40 %
    values = {
        "registered": 4,
        "public_report_rate": 0.25,
        "closure_rate": 0.5,
        "on_time_rate": 0.25,
    }
    score, parts = scoring.composite(values, REGION_WEIGHTS, KINDS, GRID_BANDS)
    assert score == round(75 * 0.2 + 75 * 0.1 + 50 * 0.3 + 25 * 0.4, 2) == 47.5
    assert parts == {
        "registered_score": 75.0,
        "public_report_rate": 75.0,
        "closure_rate": 50.0,
        "on_time_rate": 25.0,
    }


def test_undefined_parts_leave_their_weight_to_the_others():
    score, parts = scoring.composite(
        {"closure_rate": 0.8, "inspection_score_rate": None},
        {"closure_rate": 30, "inspection_score_rate": 70},
        KINDS,
    )
    assert (score, parts) == (80.0, {"closure_rate": 80.0})


def test_grades():
    grades = scoring.DEFAULT_GRADES
    assert [scoring.grade_for(s, grades) for s in (100, 90, 89.99, 75, 60, 40, 39.9, 0)] == [
        "A",
        "A",
        "B",
        "B",
        "C",
        "D",
        "E",
        "E",
    ]
