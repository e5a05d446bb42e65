"""Composite scores (综合指标值): rates to 0–100 scores, weights, count bands and grades.

Pure functions, tested without a database. The method follows
reference/urban-management.md §3.3: every rate becomes a 0–100 score (rate × 100, or
(1 − rate) × 100 for negative rates such as 返工率 and 监督举报率), 立案数 is scored in
bands, then the weighted mean is taken and graded A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_GRADES: list[list[Any]] = [[90, "A"], [75, "B"], [60, "C"], [40, "D"], [0, "E"]]


def band_score(count: int, bands: Sequence[Sequence[Any]]) -> float:
    """Score of a case count: the first ``[bound, score]`` with ``count < bound``; above
    every bound the last pair's score. No bands: 100."""
    if not bands:
        return 100.0
    for bound, score in bands:
        if count < bound:
            return float(score)
    return float(bands[-1][1])


def metric_score(key: str, value: Any, kind: str) -> float | None:
    """A metric value as a 0–100 score; None when the value is undefined."""
    if value is None:
        return None
    if kind == "rate":
        return max(0.0, min(100.0, float(value) * 100))
    if kind == "negrate":
        return max(0.0, min(100.0, (1 - float(value)) * 100))
    raise ValueError(f"metric {key} of kind {kind} cannot be scored directly")


def grade_for(score: float, grades: Sequence[Sequence[Any]]) -> str:
    for minimum, grade in grades or DEFAULT_GRADES:
        if score >= minimum:
            return str(grade)
    return str((grades or DEFAULT_GRADES)[-1][1])


def composite(
    values: Mapping[str, Any],
    weights: Mapping[str, Any],
    kinds: Mapping[str, str],
    count_bands: Sequence[Sequence[Any]] = (),
) -> tuple[float | None, dict[str, float]]:
    """The weighted score and its parts. Parts whose metric is undefined (no cases, no
    inspection) are left out and the other weights share their place; None when no part
    is defined."""
    parts: dict[str, float] = {}
    used = 0.0
    total = 0.0
    for key, raw_weight in weights.items():
        weight = float(raw_weight)
        if weight <= 0:
            continue
        if key == "registered_score":
            score: float | None = band_score(int(values.get("registered") or 0), count_bands)
        else:
            score = metric_score(key, values.get(key), kinds.get(key, "rate"))
        if score is None:
            continue
        parts[key] = round(score, 2)
        used += weight
        total += weight * score
    if not used:
        return None, parts
    return round(total / used, 2), parts
