"""Data other apps provide to the metrics engine.

``inspection_scores`` will be wired to ``chuangwei.inspections.selectors.scores_by_unit``
(same signature) once the inspections app is merged; until then there is no inspection
data and the metric shows "—".
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal


def inspection_scores(start: datetime, end: datetime) -> dict[int, tuple[Decimal, Decimal]]:
    """Org-unit id → (points obtained, points possible) of inspections in ``[start, end)``."""
    return {}
