"""Figures of the ledger for a period, shared by the dashboards and the briefings.

Every figure is a GROUP BY over indexed columns (``reported_at``, ``closed_at``, ``status``,
``due_at``), returned as plain dicts and lists; no per-problem Python runs over a period.
Units are rolled up to one level of the org tree (districts for the city, streets for a
district) from the ``path`` of the few thousand org units, never per problem.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.utils import timezone

from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.problems.choices import OPEN_STATUSES, PhotoKind, ProblemStatus
from chuangwei.problems.models import Problem, ProblemPhoto

from .models import Milestone


def day_start(day: date) -> datetime:
    """Midnight of a Shanghai calendar day as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Period:
    """Calendar days ``start`` … ``end`` inclusive (Shanghai)."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return day_start(self.start)

    @property
    def until(self) -> datetime:
        return day_start(self.end + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} ～ {self.end:%Y-%m-%d}"


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def closed_between(
    problems: QuerySet[Problem], since: datetime, until: datetime
) -> QuerySet[Problem]:
    """Problems closed (销号) in [since, until): exactly the ledger's ``closed_after/before``.

    A range of the partial index ``problems_closed_at`` (closed rows only). An earlier
    version found the closing events through the event index first; at 1M problems that join
    cost 250–510 ms per count on PostgreSQL (docs/performance.md).
    """
    return problems.filter(status=ProblemStatus.CLOSED, closed_at__gte=since, closed_at__lt=until)


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None when there is nothing to divide (shown as --)."""
    return round(100.0 * part / whole, 1) if whole else None


# Units ---------------------------------------------------------------------------------


@dataclass
class UnitTree:
    """Every org unit's path, name and depth, loaded once for a rollup."""

    names: dict[int, str] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> UnitTree:
        tree = cls()
        rows = OrgUnit.objects.values_list("pk", "path", "name", "short_name", "kind")
        for pk, path, name, short, kind in rows:
            tree.names[pk] = short or name
            tree.paths[pk] = path
            tree.kinds[pk] = kind
        return tree

    def ancestor_at(self, unit_id: int, depth: int) -> int | None:
        """The unit's ancestor (or itself) at ``depth`` (0 = the root)."""
        parts = self.paths.get(unit_id, "").strip("/").split("/")
        if len(parts) <= depth or not parts[0]:
            return None
        return int(parts[depth])


def rollup_depth(user: Any) -> int:
    """The tree level a user's figures are broken down by: the children of their area."""
    scope = getattr(user, "scope", None)
    if scope is None or scope.everything or not scope.unit_paths:
        return 1
    return min(len(p.strip("/").split("/")) for p in scope.unit_paths)


def _roll(tree: UnitTree, rows: list[tuple[int, int]], depth: int) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for unit_id, count in rows:
        target = tree.ancestor_at(unit_id, depth)
        if target is not None and tree.kinds.get(target) != OrgUnitKind.DEPARTMENT:
            out[target] += count
    return out


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    name: str
    reported: int
    closed: int
    closed_on_time: int
    reworked: int
    open: int
    overdue: int

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.closed_on_time, self.closed)


def open_by_unit(problems: QuerySet[Problem], now: datetime) -> list[tuple[Any, int, int]]:
    """``(unit id, open, overdue)`` per unit at ``now``; the sums are the open and overdue
    totals (overdue problems are dispatched, an open status)."""
    # COUNT(status), not COUNT(id): the (status, unit, due_at, …) index then answers alone
    # (an index-only scan: 20 ms instead of 170 ms over ~150,000 open rows at 1M).
    # Grouped by ``unit_id + 0``: grouping by the bare column made SQLite walk the
    # (unit, status) index over every problem to get the groups in order (345 ms at 1M);
    # the expression leaves it the (status, unit, due_at) ranges (40 ms).
    opened = (
        problems.filter(status__in=OPEN_STATUSES)
        .annotate(open_unit=ExpressionWrapper(F("unit_id") + 0, output_field=IntegerField()))
        .values_list("open_unit")
        .annotate(
            n=Count("status"),
            overdue=Count("status", filter=Q(status=ProblemStatus.DISPATCHED, due_at__lt=now)),
        )
        .order_by()
    )
    return list(opened)


def unit_table(
    problems: QuerySet[Problem],
    period: Period,
    now: datetime,
    depth: int,
    *,
    reported_rows: list[tuple[int, int]] | None = None,
    closed_rows: list[tuple[int, int, int, int]] | None = None,
    open_rows: list[tuple[Any, int, int]] | None = None,
) -> list[UnitRow]:
    """Per unit at ``depth``: reported and closed in the period, open and overdue at ``now``.

    Three GROUP BY unit queries (fewer if the caller already counted reports, closures or
    open problems per unit);
    sorted by overdue, then open, descending.
    """
    tree = UnitTree.load()
    reported = reported_rows
    if reported is None:
        reported = list(
            problems.filter(reported_at__gte=period.since, reported_at__lt=period.until)
            .values_list("unit")
            .annotate(n=Count("id"))
            .order_by()
        )
    if closed_rows is None:
        closed_rows = list(
            closed_between(problems, period.since, period.until)
            .values_list("unit")
            .annotate(
                n=Count("id"),
                on_time=Count("id", filter=Q(closed_on_time=True)),
                reworked=Count("id", filter=Q(rework_count__gt=0)),
            )
            .order_by()
        )
    if open_rows is None:
        open_rows = open_by_unit(problems, now)
    by_unit = [
        _roll(tree, list(reported), depth),
        _roll(tree, [(u, n) for u, n, _t, _r in closed_rows], depth),
        _roll(tree, [(u, t) for u, _n, t, _r in closed_rows], depth),
        _roll(tree, [(u, r) for u, _n, _t, r in closed_rows], depth),
        _roll(tree, [(u, n) for u, n, _o in open_rows], depth),
        _roll(tree, [(u, o) for u, _n, o in open_rows], depth),
    ]
    ids = set().union(*by_unit)
    rows = [
        UnitRow(
            unit_id=pk,
            name=tree.names.get(pk, str(pk)),
            reported=by_unit[0].get(pk, 0),
            closed=by_unit[1].get(pk, 0),
            closed_on_time=by_unit[2].get(pk, 0),
            reworked=by_unit[3].get(pk, 0),
            open=by_unit[4].get(pk, 0),
            overdue=by_unit[5].get(pk, 0),
        )
        for pk in ids
    ]
    return sorted(rows, key=lambda r: (-r.overdue, -r.open, -r.reported, r.name))


# Briefing figures -------------------------------------------------------------------------


def overdue_list(
    problems: QuerySet[Problem], now: datetime, limit: int = 30
) -> list[dict[str, Any]]:
    """The longest-overdue problems (dispatched, past their deadline), oldest deadline first."""
    rows = (
        problems.filter(status=ProblemStatus.DISPATCHED, due_at__lt=now)
        .order_by("due_at")
        .values_list("pk", "code", "category__name", "unit__name", "address", "due_at")[:limit]
    )
    return [
        {
            "pk": pk,
            "code": code,
            "category": category,
            "unit": unit,
            "address": address,
            "due_at": timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else "",
            "days": max(0, (now - due).days) if due else 0,
        }
        for pk, code, category, unit, address, due in rows
    ]


def typical_problems(period: Period, limit: int) -> list[dict[str, Any]]:
    """Problems closed in the period with a before and an after photo (曝光台 material).

    Severe ones and those with the most points lost come first.
    """
    closed = closed_between(Problem.objects.all(), period.since, period.until)
    with_both = closed.filter(photos__kind=PhotoKind.BEFORE).filter(photos__kind=PhotoKind.AFTER)
    picked = list(
        with_both.order_by("-points_lost", "-severity", "-closed_at")
        .values_list("pk", "code", "category__name", "unit__name", "address", "description")
        .distinct()[:limit]
    )
    photos: dict[tuple[int, str], int] = {}
    for pk, problem_id, kind in (
        ProblemPhoto.objects.filter(
            problem_id__in=[p[0] for p in picked], kind__in=[PhotoKind.BEFORE, PhotoKind.AFTER]
        )
        .order_by("created_at", "id")
        .values_list("pk", "problem_id", "kind")
    ):
        photos.setdefault((problem_id, kind), pk)
    return [
        {
            "pk": pk,
            "code": code,
            "category": category,
            "unit": unit,
            "address": address,
            "description": description[:120],
            "before": photos.get((pk, PhotoKind.BEFORE)),
            "after": photos.get((pk, PhotoKind.AFTER)),
        }
        for pk, code, category, unit, address, description in picked
    ]


def closed_totals(problems: QuerySet[Problem], period: Period) -> dict[str, Any]:
    """Closures of the period: how many, how many on time, how many after rework."""
    return closed_between(problems, period.since, period.until).aggregate(
        closed=Count("id"),
        on_time=Count("id", filter=Q(closed_on_time=True)),
        reworked=Count("id", filter=Q(rework_count__gt=0)),
    )


def with_rates(reported: dict[str, Any], closed: dict[str, Any]) -> dict[str, Any]:
    return {
        **reported,
        **closed,
        "on_time_rate": rate(closed["on_time"], closed["closed"]),
        "rework_rate": rate(closed["reworked"], closed["closed"]),
        "recurrence_rate": rate(reported["recurred"], reported["reported"]),
    }


def period_totals(problems: QuerySet[Problem], period: Period, now: datetime) -> dict[str, Any]:
    """City totals for a period: one aggregate over the period's reports and one over closures."""
    reported = problems.filter(reported_at__gte=period.since, reported_at__lt=period.until)
    a = reported.aggregate(
        reported=Count("id"),
        recurred=Count("id", filter=Q(recurrence_of__isnull=False)),
        citizen=Count("id", filter=Q(source="citizen")),
    )
    return with_rates(a, closed_totals(problems, period))


def next_milestone(today: date) -> dict[str, Any] | None:
    """The next campaign milestone on or after today, with the days left."""
    milestone = Milestone.objects.filter(date__gte=today).order_by("date", "id").first()
    if milestone is None:
        return None
    return {
        "name": milestone.name,
        "date": milestone.date.isoformat(),
        "kind": milestone.kind,
        "days": (milestone.date - today).days,
    }
