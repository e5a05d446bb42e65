"""Deadlines on the working calendar: category/severity rules → due and warning times."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from chuangwei.lib import workcal
from chuangwei.standards.choices import DeadlineUnit

from .models import CalendarDay, DeadlineRule

WARN_SHARE = 0.8  # yellow light and reminder at 80 % of the allowed time (DESIGN.md §3.4)
# Edits to calendar days reach every process within this many seconds; within a process a
# save through the admin pages clears the cache at once (``forget_calendar``).
CALENDAR_TTL_S = 30
_cache: dict[str, Any] = {"key": None, "calendar": None, "checked": 0.0}


def forget_calendar() -> None:
    _cache["checked"] = 0.0


def calendar() -> workcal.WorkCalendar:
    """The working calendar from settings (periods) and CalendarDay rows.

    Cached per process; the cheap change check runs at most every CALENDAR_TTL_S seconds,
    so list pages that colour every row do not query per row.
    """
    now = time.monotonic()
    if _cache["calendar"] is not None and now - _cache["checked"] < CALENDAR_TTL_S:
        cached: workcal.WorkCalendar = _cache["calendar"]
        return cached
    _cache["checked"] = now
    agg = CalendarDay.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    key = (agg["n"], agg["last"], settings.CHUANGWEI_WORK_PERIODS)
    if _cache["key"] != key:
        rows = list(CalendarDay.objects.values_list("date", "is_workday"))
        _cache["calendar"] = workcal.WorkCalendar(
            periods=workcal.WorkCalendar.parse_periods(settings.CHUANGWEI_WORK_PERIODS),
            holidays=frozenset(d for d, work in rows if not work),
            workdays=frozenset(d for d, work in rows if work),
        )
        _cache["key"] = key
    cal: workcal.WorkCalendar = _cache["calendar"]
    return cal


@dataclass(frozen=True)
class Deadline:
    amount: int | None
    unit: str
    due_at: datetime | None
    warn_at: datetime | None


def handling_time(category: Any, severity: str) -> tuple[int | None, str]:
    """Amount and unit for a category at a severity: a rule for the pair, then a rule for
    every category at that severity, then the category's own default."""
    rules = {
        (r.category_id, r.severity): r
        for r in DeadlineRule.objects.filter(severity=severity, category__in=[category.pk, None])
    }
    rule = rules.get((category.pk, severity)) or rules.get((None, severity))
    if rule is not None:
        return rule.amount, rule.unit
    return category.deadline_amount, category.deadline_unit or DeadlineUnit.WORK_DAYS


def warn_time(start: datetime, due: datetime, unit: str) -> datetime:
    cal = calendar()
    if unit in (DeadlineUnit.HOURS, DeadlineUnit.DAYS):
        return start + (due - start) * WARN_SHARE
    allowed = workcal.working_seconds_between(cal, start, due)
    return workcal.add_working_seconds(cal, start, allowed * WARN_SHARE)


def compute_deadline(category: Any, severity: str, start: datetime) -> Deadline:
    amount, unit = handling_time(category, severity)
    if not amount:
        return Deadline(None, unit, None, None)
    due = workcal.add_duration(calendar(), start, amount, unit)
    return Deadline(amount, unit, due, warn_time(start, due, unit))


def resumed_deadline(
    paused_at: datetime, resumed_at: datetime, due: datetime, unit: str
) -> datetime:
    return workcal.resume_deadline(calendar(), paused_at, resumed_at, due, unit)


def light(start: datetime | None, due: datetime | None, now: datetime, unit: str) -> str:
    """green / yellow / red for an open, dispatched problem ('' when it has no deadline)."""
    if start is None or due is None:
        return ""
    if now > due:
        return "red"
    return workcal.traffic_light(workcal.elapsed_fraction(calendar(), start, due, now, unit))


def remaining(due: datetime | None, now: datetime) -> timedelta | None:
    return None if due is None else due - now
