"""Figures the dashboard shows but the public app owns (citizen satisfaction)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from chuangwei.public.selectors import satisfaction_between


def satisfaction(problems: Any, start: date, end: date) -> dict[str, Any] | None:
    """Citizen satisfaction with the problems in view for the period:
    ``{"rate": float, "responses": int, "url": str}``, or None when nobody rated anything
    (the dashboard shows 暂无数据). The link opens the ratings on the moderation page."""
    figure = satisfaction_between(problems, start, end)
    if not figure.responses:
        return None
    return {
        "rate": figure.rate,
        "responses": figure.responses,
        "url": reverse("public:moderation") + "#rating-table",
    }
