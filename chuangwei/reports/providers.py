"""Figures from the rankings app for the briefings' rankings section."""

from __future__ import annotations

from datetime import date
from typing import Any

from chuangwei.rankings.choices import ObjectKind
from chuangwei.rankings.selectors import latest_published, red_black_of


def red_black_lists(start: date, end: date) -> dict[str, Any]:
    """Red and black lists (红黑榜) for a briefing of ``start``–``end``: those of the newest
    published street ranking that ends within the period (else the newest before it), as
    ``{"title", "period", "red": [...], "black": [...]}`` with entries
    ``{"name", "score", "note"}``; empty when nothing is published."""
    snapshots = latest_published(ending_by=end)
    chosen = next((s for s in snapshots if s.object_kind == ObjectKind.STREET), None)
    chosen = chosen or (snapshots[0] if snapshots else None)
    if chosen is None:
        return {}
    red, black = red_black_of(chosen)

    def entry(e: Any) -> dict[str, Any]:
        score = float(e.score) if e.score is not None else None
        return {"name": e.name, "score": score, "note": e.grade}

    return {
        "title": str(chosen.get_object_kind_display()),
        "period": chosen.label,
        "red": [entry(e) for e in red],
        "black": [entry(e) for e in black],
    }
