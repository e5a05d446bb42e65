"""The leaders' dashboard (一张图) figures: GROUP BY aggregates over the scoped ledger.

``dashboard_data`` answers one request of the page or the big screen with about twenty
bounded queries (counts, per-day, per-category, per-source, per-unit, per-grid and per map
cell groups) and never iterates the period's problems in Python. Every figure carries the
ledger URL whose filters list exactly the problems behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.core.expressions import HeatCell, Unindexed
from chuangwei.core.sqldates import local_day
from chuangwei.problems import stats
from chuangwei.problems.choices import OPEN_STATUSES, ProblemSource, ProblemStatus
from chuangwei.problems.models import (
    Problem,
    ProblemDayCategoryCount,
    ProblemDayCount,
    ProblemDayScopeCount,
    ProblemMonthCellCount,
    ProblemOpenCount,
)
from chuangwei.readiness.stages import countdown as stage_countdown
from chuangwei.reports import selectors as figures
from chuangwei.standards.models import ProblemCategory

from . import providers

GRID_METRICS = ("reported", "open", "overdue")
POINT_LIMIT = 1500
HEAT_CELLS = 3000
TOP = 10


@dataclass(frozen=True)
class DashboardQuery:
    """What the dashboard shows: the period and the ledger filters (category, source, unit)
    as query parameters, already validated by the ledger's FilterSet."""

    period: figures.Period
    params: Mapping[str, str]
    metric: str = "reported"


def ledger_url(params: Mapping[str, str], **extra: Any) -> str:
    query: list[tuple[str, Any]] = [(k, v) for k, v in params.items() if v]
    for key, value in extra.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            query.extend((key, v) for v in sorted(value))
        elif value not in (None, ""):
            query.append((key, value))
    return f"{reverse('problems:problem_list')}?{urlencode(query)}"


def _period_params(period: figures.Period, prefix: str) -> dict[str, str]:
    return {f"{prefix}_after": period.start.isoformat(), f"{prefix}_before": period.end.isoformat()}


def _kpi(key: str, label: str, value: Any, url: str = "", *, suffix: str = "",
         previous: Any = None) -> dict[str, Any]:  # fmt: skip
    return {"key": key, "label": label, "value": value, "url": url, "suffix": suffix,
            "previous": previous}  # fmt: skip


class StoredCounts:
    """The period's figures read from the ledger's daily counts (``ProblemDayCount``,
    ``ProblemDayCategoryCount``):
    a month is a few thousand counting rows instead of every problem reported or closed in
    it. Only for a view without ledger filters (``for_query``).

    A scoped user sees problems whose unit or department lies in their subtrees, or that
    they reported themselves (``Problem.objects.visible_to``). ``ProblemDayScopeCount`` is
    keyed by unit and department, so the first two are a sum of counting rows; the user's own reports
    outside the subtrees (few: a grid worker reporting next door) are read from the ledger
    by reporter and counted in Python the way ``problems.stats`` counts them. The category
    and source panel has no unit key, so a scoped view reads it from the ledger."""

    def __init__(
        self,
        period: figures.Period,
        unit_ids: tuple[int, ...] | None = None,
        own: list[tuple[tuple[Any, ...], str]] | None = None,
        own_open: list[int] | None = None,
    ) -> None:
        self.period = period
        self.unit_ids = unit_ids  # None: the whole city
        self.own = own or []  # ((day, unit, grid, department), measure) of own reports outside
        self.own_open = own_open or []  # the unit of each open own report outside

    @classmethod
    def for_query(cls, user: Any, q: DashboardQuery) -> StoredCounts | None:
        from chuangwei.core.models import user_scope

        scope = user_scope(user)
        if scope is None or any(q.params.values()):
            return None
        if scope.everything:
            return cls(q.period)
        ids = scope.subtree_ids()
        outside = (
            Problem.objects.filter(reporter=user)
            .exclude(unit_id__in_ids=ids)
            .exclude(department_id__in_ids=ids)
            .only(*stats.FIELDS)
            .order_by()  # not the list order: SQLite would walk it instead of the reporter index
        )
        counted = [stats.contributions(p) for p in outside]
        own = [(k, m) for c in counted for (table, k, m) in c if table is stats.BY_SCOPE]
        own_open = [k[0] for c in counted for (table, k, _m) in c if table is stats.BY_OPEN]
        return cls(q.period, ids, own, own_open)

    def _rows(self, period: figures.Period) -> QuerySet[Any]:
        if self.unit_ids is None:
            return ProblemDayCount.objects.filter(day__gte=period.start, day__lte=period.end)
        return ProblemDayScopeCount.objects.filter(
            Q(unit__in_ids=self.unit_ids) | Q(department__in_ids=self.unit_ids),
            day__gte=period.start,
            day__lte=period.end,
        )

    def _own(self, period: figures.Period) -> list[tuple[tuple[Any, ...], str]]:
        return [(k, m) for k, m in self.own if period.start <= k[0] <= period.end]

    @cached_property
    def cells(self) -> dict[tuple[str, int, int], list[int]]:
        """The period's counts per (ISO day, unit, grid): ``MEASURES`` in order, the user's
        own reports outside the scope added. One query answers the trend, the unit table,
        the map and the period's totals (a scope's departments summed in SQL)."""
        rows = self._rows(self.period)
        if self.unit_ids is None:  # ProblemDayCount: one row per (day, unit, grid) already
            rows = rows.values_list("day", "unit", "grid", *stats.MEASURES)
        else:
            sums = [Sum(m) for m in stats.MEASURES]
            rows = rows.values_list("day", "unit", "grid").annotate(*sums)
        # Read through the cursor: Django's per-value converters cost ~30 ms for the
        # ~6,000 rows of a month of the city (day, unit, grid and six sums).
        sql, params = rows.order_by().query.sql_with_params()
        with connections[rows.db].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        out: dict[tuple[str, int, int], list[int]] = {
            (day if isinstance(day, str) else day.isoformat(), unit, grid): list(values)
            for day, unit, grid, *values in found
        }
        column = {m: i for i, m in enumerate(stats.MEASURES)}
        for (day, unit, grid, _department), measure in self._own(self.period):
            key = (day.isoformat(), unit, grid)
            out.setdefault(key, [0] * len(column))[column[measure]] += 1
        return out

    def open_by_unit(self) -> dict[int, int]:
        """Problems open now per unit (``ProblemOpenCount``)."""
        rows = ProblemOpenCount.objects.all()
        if self.unit_ids is not None:
            rows = rows.filter(Q(unit__in_ids=self.unit_ids) | Q(department__in_ids=self.unit_ids))
        out: dict[int, int] = defaultdict(int)
        for unit, n in rows.values_list("unit").annotate(n=Sum("open")).order_by():
            if n:
                out[unit] += n
        for unit in self.own_open:
            out[unit] += 1
        return out

    def reported_by_unit_grid(self) -> list[tuple[int | None, int | None, int]]:
        merged: dict[tuple[int, int], int] = defaultdict(int)
        for (_day, unit, grid), values in self.cells.items():
            if values[0]:
                merged[(unit, grid)] += values[0]
        return [(unit or None, grid or None, n) for (unit, grid), n in merged.items()]

    def reported_by_category_source(self) -> list[tuple[Any, str, int, int]] | None:
        if self.unit_ids is not None:
            return None  # no unit key: the ledger answers (PeriodReports)
        rows = (
            ProblemDayCategoryCount.objects.filter(
                day__gte=self.period.start, day__lte=self.period.end
            )
            .values_list("category", "source")
            .annotate(n=Sum("reported"), recurred=Sum("recurred"))
            .filter(n__gt=0)
            .order_by()
        )
        return [(category or None, source, n, r) for category, source, n, r in rows]

    def closed_by_unit(self) -> list[tuple[int, int, int, int]]:
        merged: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for (_day, unit, _grid), values in self.cells.items():
            if values[3]:
                row = merged[unit]
                row[0], row[1], row[2] = row[0] + values[3], row[1] + values[4], row[2] + values[5]
        return [(unit, n, t, r) for unit, (n, t, r) in merged.items()]

    def totals(self, period: figures.Period | None = None) -> dict[str, int]:
        names = ("reported", "recurred", "citizen", "closed", "on_time", "reworked")
        if period is None or period == self.period:
            columns = list(zip(*self.cells.values(), strict=True)) or [()] * len(names)
            return {name: sum(column) for name, column in zip(names, columns, strict=True)}
        found = self._rows(period).aggregate(
            **{name: Sum(m) for name, m in zip(names, stats.MEASURES, strict=True)}
        )
        out = {k: v or 0 for k, v in found.items()}
        column = dict(zip(stats.MEASURES, names, strict=True))
        for _key, measure in self._own(period):
            out[column[measure]] += 1
        return out

    def per_day(self) -> dict[str, tuple[int, int]]:
        """``{YYYY-MM-DD: (reported, closed)}``."""
        merged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (day, _unit, _grid), values in self.cells.items():
            bucket = merged[day]
            bucket[0] += values[0]
            bucket[1] += values[3]
        return {day: (r, c) for day, (r, c) in merged.items()}


@dataclass(frozen=True)
class PeriodReports:
    """The period's reports counted twice in one pass each: per (category, source) with the
    recurrences, and per (unit, grid). Every reported-in-period figure derives from these."""

    by_category_source: list[tuple[int, str, int, int]]
    by_unit_grid: list[tuple[Any, Any, int]]

    @classmethod
    def count(
        cls, problems: QuerySet[Problem], period: figures.Period, stored: StoredCounts | None
    ) -> PeriodReports:
        reported = problems.filter(reported_at__gte=period.since, reported_at__lt=period.until)
        by_unit_grid = (
            stored.reported_by_unit_grid()
            if stored is not None
            else list(reported.values_list("unit", "grid").annotate(n=Count("id")).order_by())
        )
        by_category_source = stored.reported_by_category_source() if stored is not None else None
        if by_category_source is None:
            # Unindexed: by the bare columns SQLite skip-scanned the (category, reported_at)
            # or (source, reported_at) index and read every row of the month (142 ms for a
            # district at 1M); hidden, it takes the covering (reported_at, …) range.
            by_category_source = list(
                reported.annotate(kind=Unindexed("category_id"), origin=Unindexed("source"))
                .values_list("kind", "origin")
                # COUNT(*) and COUNT(recurrence_of_id), not of the id: PostgreSQL's index
                # holds no id, and an index-only scan needs every column named.
                .annotate(n=Count("*"), recurred=Count("recurrence_of"))
                .order_by()
            )
        return cls(by_category_source, by_unit_grid)

    def totals(self) -> dict[str, int]:
        rows = self.by_category_source
        return {
            "reported": sum(r[2] for r in rows),
            "recurred": sum(r[3] for r in rows),
            "citizen": sum(r[2] for r in rows if r[1] == ProblemSource.CITIZEN),
        }

    def per_unit(self) -> list[tuple[int, int]]:
        out: dict[int, int] = defaultdict(int)
        for unit, _grid, n in self.by_unit_grid:
            out[unit] += n
        return list(out.items())


def kpis(
    problems: QuerySet[Problem], q: DashboardQuery, now: datetime, scope: Any,
    reports: PeriodReports, stored: StoredCounts | None = None,
    open_rows: list[tuple[Any, int, int]] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    p = q.params
    period = q.period
    week = figures.week_of(timezone.localdate(now))
    if stored is not None:
        totals = figures.with_rates(reports.totals(), stored.totals())
        prev = figures.with_rates(*([stored.totals(period.previous())] * 2))
    else:
        totals = figures.with_rates(reports.totals(), figures.closed_totals(problems, period))
        prev = figures.period_totals(problems, period.previous(), now)
    reported = _period_params(period, "reported")
    closed = _period_params(period, "closed")
    closed_week = (
        stored.totals(week)["closed"]
        if stored is not None
        else figures.closed_between(problems, week.since, week.until).count()
    )
    if open_rows is None:
        open_rows = figures.open_by_unit(problems, now)
    opened, overdue = sum(r[1] for r in open_rows), sum(r[2] for r in open_rows)
    satisfaction = providers.satisfaction(problems, period.start, period.end)
    return [
        _kpi("open", _("Open problems"), opened, ledger_url(p, status=[str(s) for s in OPEN_STATUSES])),
        _kpi("overdue", _("Overdue problems"), overdue, ledger_url(p, overdue="true")),
        _kpi("closed_week", _("Closed this week"), closed_week,
             ledger_url(p, status="closed", **_period_params(week, "closed"))),
        _kpi("reported", _("Reported in the period"), totals["reported"],
             ledger_url(p, **reported), previous=prev["reported"]),
        _kpi("closed", _("Closed in the period"), totals["closed"],
             ledger_url(p, status="closed", **closed), previous=prev["closed"]),
        _kpi("on_time_rate", _("On-time closure rate"), totals["on_time_rate"],
             ledger_url(p, status="closed", on_time="true", **closed), suffix="%",
             previous=prev["on_time_rate"]),
        _kpi("rework_rate", _("Rework rate"), totals["rework_rate"],
             ledger_url(p, status="closed", reworked="true", **closed), suffix="%",
             previous=prev["rework_rate"]),
        _kpi("recurrence_rate", _("Recurrence rate"), totals["recurrence_rate"],
             ledger_url(p, recurred="true", **reported), suffix="%",
             previous=prev["recurrence_rate"]),
        _kpi("citizen", _("Citizen reports"), totals["citizen"],
             ledger_url(p, source=ProblemSource.CITIZEN, **reported), previous=prev["citizen"]),
        _kpi("satisfaction", _("Citizen satisfaction"),
             satisfaction["rate"] if satisfaction else None,
             satisfaction.get("url", "") if satisfaction else "", suffix="%"),
    ]  # fmt: skip


def _buckets(period: figures.Period, monthly: bool) -> list[tuple[str, datetime, datetime]]:
    """(label, since, until) per day of the period, or per calendar month."""
    out: list[tuple[str, datetime, datetime]] = []
    day = period.start
    while day <= period.end:
        if monthly:
            last = min(figures.month_of(day).end, period.end)
            out.append(
                (
                    day.strftime("%Y-%m"),
                    figures.day_start(day),
                    figures.day_start(last + timedelta(days=1)),
                )
            )
            day = last + timedelta(days=1)
        else:
            out.append(
                (
                    day.isoformat(),
                    figures.day_start(day),
                    figures.day_start(day + timedelta(days=1)),
                )
            )
            day += timedelta(days=1)
    return out


def _bucket_expr(qs: QuerySet[Problem], field: str, monthly: bool, period: figures.Period) -> Any:
    """The local calendar day (or month) of ``field`` as SQL."""
    return local_day(F(field), monthly=monthly, vendor=connections[qs.db].vendor)


def _bucket_key(value: Any, monthly: bool) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return str(value.strftime("%Y-%m") if monthly else value.isoformat())


def _count_buckets(
    qs: QuerySet[Problem], field: str, buckets: list[tuple[str, datetime, datetime]],
    monthly: bool, period: figures.Period,
) -> list[int]:  # fmt: skip
    """Rows per local day (or month): one GROUP BY over the period's index range."""
    rows = (
        qs.annotate(bucket=_bucket_expr(qs, field, monthly, period))
        .values_list("bucket")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = {_bucket_key(bucket, monthly): n for bucket, n in rows}
    return [counted.get(label, 0) for label, _s, _u in buckets]


def trend(
    problems: QuerySet[Problem], q: DashboardQuery, stored: StoredCounts | None = None
) -> dict[str, Any]:
    """Reported and closed per day (per month beyond 92 days) across the period."""
    period = q.period
    monthly = period.days > 92
    buckets = _buckets(period, monthly)
    if stored is not None:
        summed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for day, (r, c) in stored.per_day().items():
            bucket = summed[day[:7] if monthly else day]
            bucket[0] += r
            bucket[1] += c
        return {
            "labels": [label for label, _s, _u in buckets],
            "reported": [summed[label][0] if label in summed else 0 for label, _s, _u in buckets],
            "closed": [summed[label][1] if label in summed else 0 for label, _s, _u in buckets],
            "monthly": monthly,
        }
    reported = problems.filter(reported_at__gte=period.since, reported_at__lt=period.until)
    closed = figures.closed_between(problems, period.since, period.until)
    return {
        "labels": [label for label, _s, _u in buckets],
        "reported": _count_buckets(reported, "reported_at", buckets, monthly, period),
        "closed": _count_buckets(closed, "closed_at", buckets, monthly, period),
        "monthly": monthly,
    }


def categories(reports: PeriodReports, q: DashboardQuery) -> list[dict[str, Any]]:
    """Reports of the period per top-level category, largest first."""
    rows = [(category, n) for category, _source, n, _r in reports.by_category_source]
    tree = {
        pk: (path, name)
        for pk, path, name in ProblemCategory.objects.values_list("pk", "path", "name")
    }
    rolled: dict[int, int] = defaultdict(int)
    for category_id, n in rows:
        path = tree.get(category_id, ("", ""))[0].strip("/").split("/")
        root = int(path[0]) if path and path[0] else category_id
        rolled[root] += n
    reported = _period_params(q.period, "reported")
    out = [
        {"id": pk, "name": tree.get(pk, ("", str(pk)))[1], "value": n,
         "url": ledger_url({**q.params, "category": str(pk)}, **reported)}
        for pk, n in rolled.items()
    ]  # fmt: skip
    return sorted(out, key=lambda r: (-r["value"], r["name"]))


def sources(reports: PeriodReports, q: DashboardQuery) -> list[dict[str, Any]]:
    labels = dict(ProblemSource.choices)
    counted: dict[str, int] = defaultdict(int)
    for _category, source, n, _r in reports.by_category_source:
        counted[source] += n
    rows = counted.items()
    reported = _period_params(q.period, "reported")
    out = [
        {"key": s, "name": str(labels.get(s, s)), "value": n,
         "url": ledger_url({**q.params, "source": s}, **reported)}
        for s, n in rows
    ]  # fmt: skip
    return sorted(out, key=lambda r: (-r["value"], r["name"]))


def units(
    problems: QuerySet[Problem], q: DashboardQuery, now: datetime, depth: int,
    reports: PeriodReports, stored: StoredCounts | None = None,
    open_rows: list[tuple[Any, int, int]] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    reported = _period_params(q.period, "reported")
    closed = _period_params(q.period, "closed")
    out = []
    table = figures.unit_table(
        problems, q.period, now, depth, reported_rows=reports.per_unit(),
        closed_rows=stored.closed_by_unit() if stored is not None else None,
        open_rows=open_rows,
    )  # fmt: skip
    for row in table:
        params = {**q.params, "unit": str(row.unit_id)}
        out.append({
            "id": row.unit_id, "name": row.name, "reported": row.reported, "closed": row.closed,
            "on_time_rate": row.on_time_rate, "reworked": row.reworked, "open": row.open,
            "overdue": row.overdue,
            "urls": {
                "reported": ledger_url(params, **reported),
                "closed": ledger_url(params, status="closed", **closed),
                "open": ledger_url(params, status=[str(s) for s in OPEN_STATUSES]),
                "overdue": ledger_url(params, overdue="true"),
            },
        })  # fmt: skip
    return out


def grid_values(
    problems: QuerySet[Problem], q: DashboardQuery, now: datetime, reports: PeriodReports
) -> dict[str, int]:
    """The chosen metric per grid id (reported in the period, open now, overdue now)."""
    if q.metric not in ("open", "overdue"):
        counted: dict[str, int] = defaultdict(int)
        for _unit, grid, n in reports.by_unit_grid:
            if grid is not None:
                counted[str(grid)] += n
        return dict(counted)
    if q.metric == "open":
        qs = problems.filter(status__in=OPEN_STATUSES)
    elif q.metric == "overdue":
        qs = problems.filter(status=ProblemStatus.DISPATCHED, due_at__lt=now)
    else:
        qs = problems.filter(reported_at__gte=q.period.since, reported_at__lt=q.period.until)
    rows = qs.filter(grid__isnull=False).values_list("grid").annotate(n=Count("id")).order_by()
    return {str(grid): n for grid, n in rows}


def grid_url(q: DashboardQuery) -> str:
    """The ledger list behind a grid's colour, waiting for ``&grid=<id>``."""
    extra: dict[str, Any]
    if q.metric == "open":
        extra = {"status": [str(s) for s in OPEN_STATUSES]}
    elif q.metric == "overdue":
        extra = {"overdue": "true"}
    else:
        extra = _period_params(q.period, "reported")
    return ledger_url(q.params, **extra)


def _ledger_cells(problems: QuerySet[Problem], since: datetime, until: datetime) -> QuerySet[Any]:
    """Reports in [since, until) per heat cell, ``(y, x, n)``, from the ledger."""
    return (
        problems.filter(reported_at__gte=since, reported_at__lt=until)
        .annotate(
            y=HeatCell("lat", stats.CELLS_PER_DEGREE), x=HeatCell("lng", stats.CELLS_PER_DEGREE)
        )
        .values_list("y", "x")
        .annotate(
            n=Count("lat")
        )  # not COUNT(id): the (reported_at, …, lat, lng) index answers alone
        .order_by()
    )


def _month_starts(period: figures.Period) -> tuple[list[date], list[tuple[date, date]]]:
    """The calendar months lying wholly in the period, and the day ranges left over."""
    whole: list[date] = []
    rest: list[tuple[date, date]] = []
    day = period.start
    while day <= period.end:
        month = figures.month_of(day)
        last = min(month.end, period.end)
        if day == month.start and last == month.end:
            whole.append(day)
        elif rest and rest[-1][1] + timedelta(days=1) == day:
            rest[-1] = (rest[-1][0], last)
        else:
            rest.append((day, last))
        day = last + timedelta(days=1)
    return whole, rest


def heat(
    problems: QuerySet[Problem], q: DashboardQuery, stored: StoredCounts | None = None
) -> list[list[float]]:
    """Reports of the period counted per ~100 m cell: ``[lat, lng, count]``, densest first
    (ties by cell). The city view takes whole months from ``ProblemMonthCellCount`` (a
    month is ~14,500 cells instead of ~85,000 reports to group at 1M problems) and only the
    days outside them from the ledger."""
    per = stats.CELLS_PER_DEGREE
    if stored is None or stored.unit_ids is not None:
        ranges = [(q.period.since, q.period.until)]
        months: list[date] = []
    else:
        months, days = _month_starts(q.period)
        ranges = [(figures.day_start(a), figures.day_start(b + timedelta(days=1))) for a, b in days]
    counted: QuerySet[Any] | None = None
    if months:
        counted = (
            ProblemMonthCellCount.objects.filter(month__in=months)
            .values_list("y", "x")
            .annotate(n=Sum("reported"))
            .order_by()
        )
    if len(months) == 1 and not ranges:  # a calendar month: its rows are the cells
        top_cells = list(
            ProblemMonthCellCount.objects.filter(month=months[0], reported__gt=0)
            .order_by("-reported", "y", "x")
            .values_list("y", "x", "reported")[:HEAT_CELLS]
        )
    elif counted is not None and not ranges:
        top_cells = list(counted.order_by("-n", "y", "x")[:HEAT_CELLS])
    elif counted is None and len(ranges) == 1:
        top_cells = list(_ledger_cells(problems, *ranges[0]).order_by("-n", "y", "x")[:HEAT_CELLS])
    else:
        merged: dict[tuple[int, int], int] = defaultdict(int)
        sources = [counted] if counted is not None else []
        for rows in [*sources, *(_ledger_cells(problems, a, b) for a, b in ranges)]:
            for y, x, n in rows:
                if y is None or x is None:
                    continue  # problems without a point (a unit, a site or an article)
                merged[(int(y), int(x))] += n
        ordered = sorted(merged.items(), key=lambda c: (-c[1], c[0]))[:HEAT_CELLS]
        top_cells = [(y, x, n) for (y, x), n in ordered]
    return [
        [round(y / per, 3), round(x / per, 3), n]
        for y, x, n in top_cells
        if y is not None and x is not None
    ]


def points(problems: QuerySet[Problem], q: DashboardQuery) -> list[list[Any]]:
    """The latest reports of the period as ``[lat, lng, open, id, code]`` (bounded)."""
    rows = (
        problems.filter(reported_at__gte=q.period.since, reported_at__lt=q.period.until)
        .order_by("-reported_at", "-id")
        .values_list("lat", "lng", "status", "pk", "code")[:POINT_LIMIT]
    )
    return [
        [lat, lng, status in OPEN_STATUSES, pk, code]
        for lat, lng, status, pk, code in rows
        if lat is not None and lng is not None  # no marker for a problem without a point
    ]


FEED = 10


def latest(problems: QuerySet[Problem], now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The newest reports and the longest-overdue problems (the big screen's scrolling lists)."""
    new = problems.order_by("-reported_at", "-id").values_list(
        "pk", "code", "category__name", "unit__name", "reported_at"
    )[:FEED]
    late = (
        problems.filter(status=ProblemStatus.DISPATCHED, due_at__lt=now)
        .order_by("due_at")
        .values_list("pk", "code", "category__name", "unit__name", "due_at")[:FEED]
    )
    detail = reverse("problems:problem_detail", args=[0])[: -len("0/")]
    return {
        "reported": [
            {"code": c, "category": cat, "unit": u, "url": f"{detail}{pk}/",
             "when": timezone.localtime(at).strftime("%m-%d %H:%M")}
            for pk, c, cat, u, at in new
        ],
        "overdue": [
            {"code": c, "category": cat, "unit": u, "url": f"{detail}{pk}/",
             "when": _("%(days)s days") % {"days": max(0, (now - due).days) if due else 0}}
            for pk, c, cat, u, due in late
        ],
    }  # fmt: skip


def open_by_unit(
    problems: QuerySet[Problem], now: datetime, stored: StoredCounts | None
) -> list[tuple[Any, int, int]]:
    """``(unit id, open, overdue)`` per unit at ``now``, as ``reports.selectors.open_by_unit``
    gives them. With the counts, open comes from ``ProblemOpenCount`` and only the overdue
    (dispatched past their deadline) are counted in the ledger, from the partial index
    ``problems_overdue_scope``: the open problems need not be read at all (~150,000 index
    entries in the benchmark's 1M ledger)."""
    if stored is None:
        return figures.open_by_unit(problems, now)
    late = (
        problems.filter(status=ProblemStatus.DISPATCHED, due_at__lt=now)
        # ``unit_id + 0`` and COUNT(status): see reports.selectors.open_by_unit.
        .annotate(late_unit=ExpressionWrapper(F("unit_id") + 0, output_field=IntegerField()))
        .values_list("late_unit")
        .annotate(n=Count("status"))
        .order_by()
    )
    overdue = dict(late)
    opened = stored.open_by_unit()
    return [(unit, n, overdue.get(unit, 0)) for unit, n in opened.items()] + [
        (unit, 0, n) for unit, n in overdue.items() if unit not in opened
    ]


def top(rows: Sequence[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    picked = [r for r in rows if r[key]]
    picked.sort(key=lambda r: (-r[key], r["name"]))
    return [{"name": r["name"], "value": r[key], "url": r["urls"][key]} for r in picked[:TOP]]


def _next_stage(today: date) -> dict[str, Any] | None:
    """The next stage of the evaluation cycle and the days left ("距国家暗访还有 N 天")."""
    countdown = stage_countdown(today)
    return countdown.as_dict() if countdown is not None else None


def dashboard_data(
    user: Any, problems: QuerySet[Problem], q: DashboardQuery, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the dashboard and the big screen draw, for ``problems`` (scoped to ``user``
    and filtered by the ledger FilterSet) over ``q.period``."""
    now = now or timezone.now()
    depth = figures.rollup_depth(user)
    stored = StoredCounts.for_query(user, q)
    reports = PeriodReports.count(problems, q.period, stored)
    open_rows = open_by_unit(problems, now, stored)  # the units' columns and the two KPIs
    unit_rows = units(problems, q, now, depth, reports, stored, open_rows)
    return {
        "period": {
            "start": q.period.start.isoformat(),
            "end": q.period.end.isoformat(),
            "label": q.period.label(),
        },  # fmt: skip
        "updated_at": timezone.localtime(now).strftime("%H:%M"),
        "kpis": kpis(problems, q, now, getattr(user, "scope", None), reports, stored, open_rows),
        "milestone": figures.next_milestone(timezone.localdate(now)),
        "stage": _next_stage(timezone.localdate(now)),
        "trend": trend(problems, q, stored),
        "categories": categories(reports, q),
        "sources": sources(reports, q),
        "units": unit_rows,
        "top": {
            "overdue": top(unit_rows, "overdue"),
            "open": top(unit_rows, "open"),
            "reported": top(unit_rows, "reported"),
        },  # fmt: skip
        "grids": {
            "metric": q.metric,
            "values": grid_values(problems, q, now, reports),
            "url": grid_url(q),
        },
        "heat": heat(problems, q, stored),
        "latest": latest(problems, now),
        "points": points(problems, q),
        "ledger_url": ledger_url(q.params),
    }


CACHE_SECONDS = 30


def cached_dashboard_data(
    user: Any, problems: QuerySet[Problem], q: DashboardQuery
) -> dict[str, Any]:
    """``dashboard_data`` kept for 30 s per user and query: a wall of big screens polling
    every minute costs one computation per half minute, not one per screen."""
    params = urlencode(sorted(q.params.items()))
    key = (
        f"dashboard:{getattr(user, 'pk', None)}:{q.period.start}:{q.period.end}:{q.metric}:{params}"
    )
    data = cache.get(key)
    if data is None:
        data = dashboard_data(user, problems, q)
        cache.set(key, data, CACHE_SECONDS)
    return data
