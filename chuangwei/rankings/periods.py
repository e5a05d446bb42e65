"""Ranking periods: local calendar dates in the city's time zone (Asia/Shanghai)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.core.errors import InvalidInput

from .choices import PeriodKind


@dataclass(frozen=True)
class Period:
    """``start`` and ``end`` are inclusive local dates; ``bounds`` are aware datetimes
    ``[start 00:00, end+1 00:00)`` in the current (city) time zone."""

    kind: str
    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == PeriodKind.WEEK:
            week = self.start.isocalendar()
            return f"{week.year}年第{week.week}周（{self.start:%m-%d}～{self.end:%m-%d}）"
        return f"{self.start:%Y-%m-%d}～{self.end:%Y-%m-%d}"

    def previous(self) -> Period:
        if self.kind == PeriodKind.CUSTOM:
            length = self.end - self.start + timedelta(days=1)
            return Period(self.kind, self.start - length, self.start - timedelta(days=1))
        return period_containing(self.kind, self.start - timedelta(days=1))


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_containing(kind: str, day: date, end: date | None = None) -> Period:
    """The week (Monday–Sunday), month or quarter containing ``day``; for ``custom`` the
    dates ``day``..``end``. Raises InvalidInput for an unknown kind or reversed dates."""
    if kind == PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == PeriodKind.MONTH:
        return Period(kind, day.replace(day=1), _month_end(day.year, day.month))
    if kind == PeriodKind.QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        return Period(kind, date(day.year, first, 1), _month_end(day.year, first + 2))
    if kind == PeriodKind.CUSTOM:
        if end is None or end < day:
            raise InvalidInput(
                _("The end date must not be before the start date."),
                code="bad_period",
                fields={"end": [_("Choose a later end date.")]},
            )
        return Period(kind, day, end)
    raise InvalidInput(_("Unknown period kind."), code="bad_period", fields={"period": [kind]})


def current_period(kind: str, now: datetime | None = None) -> Period:
    today = timezone.localdate(now or timezone.now())
    return period_containing(kind, today)


def last_complete_period(kind: str, now: datetime | None = None) -> Period:
    return current_period(kind, now).previous()
