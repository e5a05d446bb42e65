"""Data other apps provide to the metrics engine: inspection results per unit."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from chuangwei.inspections.selectors import scores_by_unit


def inspection_scores(start: datetime, end: datetime) -> dict[int, tuple[Decimal, Decimal]]:
    """Org-unit id → (points obtained, points possible) of inspections in ``[start, end)``."""
    return scores_by_unit(start, end)
