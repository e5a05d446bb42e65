"""Figures from apps built beside this one (rankings), wired in after they land.

Until then each provider returns an empty result and the briefing prints 暂无数据.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def red_black_lists(start: date, end: date) -> dict[str, Any]:
    """Red and black lists (红黑榜) of the period: ``{"red": [...], "black": [...]}`` where each
    entry is ``{"name": str, "score": float | None, "note": str}``. Empty for now."""
    return {}
