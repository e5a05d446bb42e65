"""Figures from apps built beside this one (public: satisfaction surveys), wired in later."""

from __future__ import annotations

from datetime import date
from typing import Any


def satisfaction(scope: Any, start: date, end: date) -> dict[str, Any] | None:
    """Citizen satisfaction in the user's scope for the period:
    ``{"rate": float, "responses": int, "url": str}``, or None while no survey data exists
    (the dashboard shows 暂无数据)."""
    return None
