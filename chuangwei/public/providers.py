"""Data the public pages show but other apps own: published red/black lists (rankings)."""

from __future__ import annotations

from typing import Any

from chuangwei.rankings.selectors import latest_published, red_black_of


def _entry(entry: Any) -> dict[str, Any]:
    return {
        "rank": entry.rank,
        "name": entry.name,
        "score": float(entry.score) if entry.score is not None else None,
    }


def published_red_black() -> list[dict[str, Any]]:
    """The newest published red/black list (红黑榜) of each kind of ranked object.

    Each dict: ``title`` (str), ``period`` (str), ``red`` and ``black`` (lists of
    ``{"rank": int, "name": str, "score": float | None}``). Only published snapshots are
    public; drafts never show.
    """
    lists = []
    for snapshot in latest_published():
        red, black = red_black_of(snapshot)
        lists.append(
            {
                "title": str(snapshot.get_object_kind_display()),
                "period": snapshot.label,
                "red": [_entry(e) for e in red],
                "black": [_entry(e) for e in black],
            }
        )
    return lists
