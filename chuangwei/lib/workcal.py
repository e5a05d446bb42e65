"""Deadline arithmetic on a working calendar (工作日历): pure Python, no Django.

A problem category's handling deadline is an amount plus a unit (``UNITS``):

- ``work_hours`` (工作时) and ``work_days`` (工作日) run only during working time, as
  described by a :class:`WorkCalendar` (working periods per day, weekends, public
  holidays and adjusted working days, 调休);
- ``hours`` (紧急工作时, around the clock) and ``days`` (calendar days) ignore it.

Conventions shared by every function here:

- All datetimes must be timezone-aware; a naive datetime raises ``ValueError``.
  Working time is computed in the calendar's zone (``Asia/Shanghai`` by default), so
  a UTC input and the equivalent Shanghai input give the same instant.
- A returned datetime carries the tzinfo of the input it was derived from (``start``
  or ``due``): UTC in, UTC out. Compare results as instants, not as wall-clock text.
- Working periods are half-open wall-clock intervals ``[start, end)`` and working time
  is measured in local wall-clock seconds. This is exact for zones without daylight
  saving time such as Asia/Shanghai; in a zone with DST a working period that spans a
  transition would be counted by its wall-clock length.
- A deadline is the *earliest* instant at which the allowed working time has elapsed,
  so a deadline that lands on the end of a working period is that end (Monday 17:30),
  not the start of the next period (Tuesday 08:30).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "UNITS",
    "WorkCalendar",
    "add_duration",
    "add_working_seconds",
    "elapsed_fraction",
    "resume_deadline",
    "traffic_light",
    "working_seconds_between",
]

UNITS = ("work_hours", "work_days", "hours", "days")
"""Deadline units: working hours, working days, clock hours (24×7), calendar days."""

_WORKING_UNITS = frozenset({"work_hours", "work_days"})
_ONE_DAY = timedelta(days=1)
_JUST_OVER_ONE = math.nextafter(1.0, math.inf)
_PERIOD_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*[-~～–—]\s*(\d{1,2}):(\d{2})$")
_PERIOD_SEPARATORS = re.compile(r"[,;，；、]")

Periods = tuple[tuple[time, time], ...]


def _format_period(period: tuple[time, time]) -> str:
    return f"{period[0]:%H:%M}-{period[1]:%H:%M}"


def _validate_periods(periods: Periods) -> None:
    """Raise ValueError unless the periods are non-empty, well-formed, sorted and disjoint."""
    if not periods:
        raise ValueError("a working calendar needs at least one working period")
    previous: tuple[time, time] | None = None
    for period in periods:
        if len(period) != 2 or not all(isinstance(t, time) for t in period):
            raise ValueError(f"a working period must be a (start, end) pair of times: {period!r}")
        begin, end = period
        if begin.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("working period times must be naive (local wall-clock) times")
        if begin.microsecond or end.microsecond:
            raise ValueError("working period times must be whole seconds")
        if begin >= end:
            raise ValueError(
                f"working period {_format_period(period)} must end after it starts "
                "(periods cannot cross midnight)"
            )
        if previous is not None:
            if begin < previous[0]:
                raise ValueError(
                    f"working periods must be in time order: {_format_period(period)} "
                    f"comes after {_format_period(previous)}"
                )
            if begin < previous[1]:
                raise ValueError(
                    f"working periods {_format_period(previous)} and "
                    f"{_format_period(period)} overlap"
                )
        previous = (begin, end)


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@dataclass(frozen=True)
class WorkCalendar:
    """A working calendar: daily working periods, weekends, holidays and adjusted days.

    ``periods`` are the working periods of every working day in local wall-clock time,
    sorted and non-overlapping (touching is allowed). ``holidays`` are days off even
    on a weekday; ``workdays`` are adjusted working days (调休), usually weekend days
    that are worked. A date may not be in both. ``weekend`` holds the weekday numbers
    that are off (Monday=0) and may not cover the whole week. ``tz`` is an IANA zone
    name. Invalid values raise ``ValueError`` on construction.

    Lists and sets are accepted for the collection fields and stored as tuples and
    frozensets, so a calendar is immutable and hashable (usable as a cache key).
    """

    periods: Periods = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})
    tz: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        periods: Periods = tuple((p[0], p[1]) if len(p) == 2 else p for p in self.periods)
        _validate_periods(periods)
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        if any(not isinstance(d, int) or not 0 <= d <= 6 for d in self.weekend):
            raise ValueError("weekend days must be weekday numbers 0 (Monday) to 6 (Sunday)")
        if len(self.weekend) == 7:
            raise ValueError("the weekend cannot cover the whole week")
        both = self.holidays & self.workdays
        if both:
            days = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"dates cannot be both a holiday and an adjusted working day: {days}")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone: {self.tz!r}") from exc

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone (``ZoneInfo`` caches instances per key)."""
        return ZoneInfo(self.tz)

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day: holidays are off, adjusted days are worked,
        otherwise every day outside ``weekend`` is worked."""
        if d in self.holidays:
            return False
        if d in self.workdays:
            return True
        return d.weekday() not in self.weekend

    def seconds_per_workday(self) -> int:
        """Working seconds in one working day (27000, i.e. 7.5 h, for the default periods)."""
        return sum(_seconds(end) - _seconds(begin) for begin, end in self.periods)

    @classmethod
    def parse_periods(cls, text: str) -> Periods:
        """Parse working periods written as ``"08:30-12:00,13:30-17:30"``.

        Periods are separated by commas or semicolons (ASCII or full-width) and written
        ``HH:MM-HH:MM`` (``~`` is accepted as the range sign); spaces are ignored.
        Raises ``ValueError`` naming the offending period when the text is empty,
        malformed, has an invalid time, a period that does not end after it starts,
        or periods that are out of order or overlap.
        """
        parts = [part.strip() for part in _PERIOD_SEPARATORS.split(text)]
        if not any(parts):
            raise ValueError("no working periods given; expected e.g. '08:30-12:00,13:30-17:30'")
        periods: list[tuple[time, time]] = []
        for part in parts:
            if not part:
                continue
            match = _PERIOD_RE.match(part)
            if match is None:
                raise ValueError(f"working period {part!r} is not written as HH:MM-HH:MM")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                periods.append((time(h1, m1), time(h2, m2)))
            except ValueError as exc:
                raise ValueError(f"working period {part!r} has an invalid time") from exc
        result = tuple(periods)
        _validate_periods(result)
        return result


def _check_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown deadline unit {unit!r}; expected one of {', '.join(UNITS)}")


def _check_amount(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
    return value


def _to_local(cal: WorkCalendar, value: datetime) -> datetime:
    """``value`` as a naive wall-clock datetime in the calendar's zone."""
    return value.astimezone(cal.zone).replace(tzinfo=None)


def _from_local(cal: WorkCalendar, local: datetime, out_tz: tzinfo | None) -> datetime:
    return local.replace(tzinfo=cal.zone).astimezone(out_tz)


def add_working_seconds(cal: WorkCalendar, start: datetime, seconds: float) -> datetime:
    """The earliest instant at which ``seconds`` of working time have elapsed after ``start``.

    If ``start`` is outside working time, counting begins at the next working period.
    ``seconds == 0`` returns ``start`` unchanged (even outside working time). A result
    on a period boundary is the end of the period, not the start of the next one.
    Whole working days are skipped in one step each, so the cost is O(calendar days),
    well under a millisecond for 200 working days. The result has ``start``'s tzinfo.
    Raises ``ValueError`` for a naive ``start`` or a negative or non-finite amount.
    """
    _check_aware(start, "start")
    remaining = _check_amount(seconds, "seconds")
    if remaining == 0:
        return start
    local = _to_local(cal, start)
    per_day = cal.seconds_per_workday()
    first_period_start = cal.periods[0][0]
    day = local.date()
    moment = local
    while True:
        if cal.is_workday(day):
            if remaining > per_day and moment <= datetime.combine(day, first_period_start):
                remaining -= per_day
            else:
                for begin_time, end_time in cal.periods:
                    period_end = datetime.combine(day, end_time)
                    if moment >= period_end:
                        continue
                    begin = max(moment, datetime.combine(day, begin_time))
                    available = (period_end - begin).total_seconds()
                    if remaining <= available:
                        return _from_local(cal, begin + timedelta(seconds=remaining), start.tzinfo)
                    remaining -= available
        day += _ONE_DAY
        moment = datetime.combine(day, time.min)


def working_seconds_between(cal: WorkCalendar, start: datetime, end: datetime) -> float:
    """Working seconds inside ``[start, end)``; ``0.0`` if ``end <= start``.

    Whole working days strictly between the first and last day count as
    ``seconds_per_workday()`` each, so the cost is O(calendar days).
    """
    _check_aware(start, "start")
    _check_aware(end, "end")
    if end <= start:
        return 0.0
    low = _to_local(cal, start)
    high = _to_local(cal, end)
    first, last = low.date(), high.date()
    per_day = cal.seconds_per_workday()
    total = 0.0
    day = first
    while day <= last:
        if cal.is_workday(day):
            if first < day < last:
                total += per_day
            else:
                for begin_time, end_time in cal.periods:
                    begin = max(low, datetime.combine(day, begin_time))
                    finish = min(high, datetime.combine(day, end_time))
                    if finish > begin:
                        total += (finish - begin).total_seconds()
        day += _ONE_DAY
    return total


def add_duration(cal: WorkCalendar, start: datetime, amount: float, unit: str) -> datetime:
    """The deadline ``amount`` ``unit`` after ``start``; the result has ``start``'s tzinfo.

    - ``work_hours``: ``amount * 3600`` working seconds (see :func:`add_working_seconds`).
    - ``work_days``: ``amount * seconds_per_workday()`` working seconds. For a start
      inside working time this is the same clock position on the ``amount``-th
      following working day (Friday 10:00 + 1 = Monday 10:00 with the weekend off);
      a start outside working time counts from the next working period (Saturday
      10:00 + 1 = Monday 17:30). Fractions are allowed (0.5 = half a working day).
    - ``hours``: ``amount`` elapsed hours around the clock (24×7), calendar ignored.
    - ``days``: ``amount`` calendar days: the same wall-clock time in the calendar's
      zone ``amount`` days later, weekends and holidays included.

    Raises ``ValueError`` for an unknown unit or a negative or non-finite amount.
    """
    _check_unit(unit)
    _check_aware(start, "start")
    amount = _check_amount(amount, "amount")
    if unit == "work_hours":
        return add_working_seconds(cal, start, amount * 3600)
    if unit == "work_days":
        return add_working_seconds(cal, start, amount * cal.seconds_per_workday())
    if unit == "hours":
        return (start.astimezone(ZoneInfo("UTC")) + timedelta(hours=amount)).astimezone(
            start.tzinfo
        )
    local = start.astimezone(cal.zone)
    return (local + timedelta(days=amount)).astimezone(start.tzinfo)


def _allowed_seconds(cal: WorkCalendar, start: datetime, end: datetime, unit: str) -> float:
    """Time in ``[start, end)`` as the unit counts it: working or wall-clock seconds."""
    if unit in _WORKING_UNITS:
        return working_seconds_between(cal, start, end)
    return max((end - start).total_seconds(), 0.0)


def elapsed_fraction(
    cal: WorkCalendar, start: datetime, due: datetime, now: datetime, unit: str
) -> float:
    """Share of the allowed time ``[start, due)`` used at ``now``.

    Working time is counted for ``work_*`` units and wall-clock time for ``hours`` and
    ``days``. Returns ``0.0`` at or before ``start``; exceeds 1 when overdue. Once
    ``now`` is past ``due`` the result is always greater than 1 (at least the
    smallest float above 1.0), so :func:`traffic_light` shows red as soon as the
    deadline has passed even when no working time has elapsed since (lunch break,
    evening, weekend). With no allowed time at all the result is ``0.0`` before
    ``due`` and ``1.0`` at ``due``.
    """
    _check_unit(unit)
    for value, name in ((start, "start"), (due, "due"), (now, "now")):
        _check_aware(value, name)
    if now <= start:
        return 0.0
    allowed = _allowed_seconds(cal, start, due, unit)
    if allowed > 0:
        fraction = _allowed_seconds(cal, start, now, unit) / allowed
    else:
        fraction = 1.0 if now >= due else 0.0
    if now > due:
        fraction = max(fraction, _JUST_OVER_ONE)
    return fraction


def traffic_light(fraction: float) -> str:
    """``"green"`` up to 80% of the allowed time used, ``"yellow"`` up to 100%, else ``"red"``.

    Both bounds are inclusive: exactly 0.8 is green and exactly 1.0 is yellow.
    """
    if fraction <= 0.8:
        return "green"
    if fraction <= 1.0:
        return "yellow"
    return "red"


def resume_deadline(
    cal: WorkCalendar, paused_at: datetime, resumed_at: datetime, due: datetime, unit: str
) -> datetime:
    """The new deadline of a problem paused (挂账) at ``paused_at`` and resumed at ``resumed_at``.

    The clock stops while paused: the time left between ``paused_at`` and ``due``
    (working time for ``work_*`` units, wall-clock time otherwise) is added again from
    ``resumed_at``. A problem paused at or after ``due`` was already overdue, so the
    deadline stays ``due``. If no working time was left although the pause started
    before ``due`` (``due`` in a lunch break, say), the new deadline is ``resumed_at``.
    The result has ``due``'s tzinfo. Raises ``ValueError`` if ``resumed_at`` is before
    ``paused_at``.
    """
    _check_unit(unit)
    for value, name in ((paused_at, "paused_at"), (resumed_at, "resumed_at"), (due, "due")):
        _check_aware(value, name)
    if resumed_at < paused_at:
        raise ValueError("resumed_at must not be before paused_at")
    if paused_at >= due:
        return due
    remaining = _allowed_seconds(cal, paused_at, due, unit)
    resumed = resumed_at.astimezone(due.tzinfo)
    if unit in _WORKING_UNITS:
        return add_working_seconds(cal, resumed, remaining)
    return add_duration(cal, resumed, remaining / 3600, "hours")
