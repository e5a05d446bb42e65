"""Daily counts of the ledger (``ProblemDayCount``), kept exact by differences.

A problem row contributes to at most two counting rows: its reporting day (reported,
recurred, citizen) and, while closed, its closing day (closed, on time, reworked), each
under the row's current unit and grid. A write computes the row's contributions before
and after and adds the difference with one upsert per touched key, in the writer's
transaction, so the counts always equal what GROUP BY over the ledger would give.
``rebuild`` recomputes the table from the ledger (after bulk loads, or to repair).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from .choices import ProblemSource, ProblemStatus

MEASURES = ("reported", "recurred", "citizen", "closed", "closed_on_time", "closed_reworked")
Key = tuple[date, int, int, str]  # day, unit, grid, measure


class Counts(Counter[Key]):
    """A row's contributions: ``(day, unit, grid, measure) -> 1``."""


def _day(value: datetime) -> date:
    return timezone.localtime(value).date()


def contributions(problem: Any) -> Counts:
    out = Counts()
    unit, grid = problem.unit_id or 0, problem.grid_id or 0
    if problem.reported_at is not None:
        day = _day(problem.reported_at)
        out[(day, unit, grid, "reported")] = 1
        if problem.recurrence_of_id is not None:
            out[(day, unit, grid, "recurred")] = 1
        if problem.source == ProblemSource.CITIZEN:
            out[(day, unit, grid, "citizen")] = 1
    if problem.status == ProblemStatus.CLOSED and problem.closed_at is not None:
        day = _day(problem.closed_at)
        out[(day, unit, grid, "closed")] = 1
        if problem.closed_on_time:
            out[(day, unit, grid, "closed_on_time")] = 1
        if problem.rework_count:
            out[(day, unit, grid, "closed_reworked")] = 1
    return out


FIELDS = ("reported_at", "unit_id", "grid_id", "recurrence_of_id", "source", "status",
          "closed_at", "closed_on_time", "rework_count")  # fmt: skip


def stored_contributions(pk: int) -> Counts:
    """The contributions of the row as the database holds it now."""
    from .models import Problem

    row = Problem.objects.filter(pk=pk).values(*FIELDS).first()
    if row is None:
        return Counts()

    class _Row:
        pass

    view = _Row()
    view.__dict__.update(row)
    return contributions(view)


def apply(before: Counts, after: Counts) -> None:
    """Add ``after - before`` to the stored counts (one upsert per touched key)."""
    delta: dict[tuple[date, int, int], dict[str, int]] = defaultdict(dict)
    for key in set(before) | set(after):
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            day, unit, grid, measure = key
            delta[(day, unit, grid)][measure] = change
    if delta:
        _upsert(delta)


def _upsert(delta: dict[tuple[date, int, int], dict[str, int]]) -> None:
    from .models import ProblemDayCount

    table = connection.ops.quote_name(ProblemDayCount._meta.db_table)
    columns = ", ".join(MEASURES)
    sets = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    sql = (
        f"INSERT INTO {table} (day, unit, grid, {columns}) "
        f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(MEASURES))}) "
        f"ON CONFLICT (day, unit, grid) DO UPDATE SET {sets}"
    )
    # Sorted keys: two writers touching the same rows lock them in the same order.
    rows = [
        (connection.ops.adapt_datefield_value(day), unit, grid,
         *(changes.get(m, 0) for m in MEASURES))
        for (day, unit, grid), changes in sorted(delta.items())
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rebuild() -> int:
    """Recompute every count from the ledger; returns the number of counting rows."""
    from django.db.models import F

    from chuangwei.core.sqldates import local_day

    from .models import Problem, ProblemDayCount

    rows: dict[tuple[date, int, int], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(MEASURES, 0)
    )
    reported = (
        Problem.objects.annotate(day=local_day(F("reported_at")))
        .values_list("day", "unit", "grid")
        .annotate(
            n=Count("id"),
            recurred=Count("id", filter=Q(recurrence_of__isnull=False)),
            citizen=Count("id", filter=Q(source=ProblemSource.CITIZEN)),
        )
        .order_by()
    )
    for day, unit, grid, n, recurred, citizen in reported:
        row = rows[(_as_date(day), unit or 0, grid or 0)]
        row.update(reported=n, recurred=recurred, citizen=citizen)
    closed = (
        Problem.objects.filter(status=ProblemStatus.CLOSED, closed_at__isnull=False)
        .annotate(day=local_day(F("closed_at")))
        .values_list("day", "unit", "grid")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(closed_on_time=True)),
            reworked=Count("id", filter=Q(rework_count__gt=0)),
        )
        .order_by()
    )
    for day, unit, grid, n, on_time, reworked in closed:
        row = rows[(_as_date(day), unit or 0, grid or 0)]
        row.update(closed=n, closed_on_time=on_time, closed_reworked=reworked)
    with transaction.atomic():
        ProblemDayCount.objects.all().delete()
        ProblemDayCount.objects.bulk_create(
            (ProblemDayCount(day=d, unit=u, grid=g, **m) for (d, u, g), m in sorted(rows.items())),
            batch_size=2000,
        )
    return len(rows)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
