"""Data the public pages show but other apps own, behind small functions so the public app
does not import them before they exist (the lead wires these after merging)."""

from __future__ import annotations

from typing import Any


def published_red_black() -> list[dict[str, Any]]:
    """Published red/black lists (红黑榜), newest first.

    Each dict: ``title`` (str), ``period`` (str), ``red`` and ``black`` (lists of
    ``{"rank": int, "name": str, "score": float | None}``). Empty until the rankings app
    publishes lists.
    """
    return []
