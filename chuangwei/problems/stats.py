"""Daily counts of the ledger, kept exact by differences.

Two counting tables:

- ``ProblemDayCount`` (day, unit, grid): reported, recurred, citizen on the reporting day;
  closed, closed on time, closed after rework on the closing day while the problem is closed;
- ``ProblemDayScopeCount`` (day, unit, grid, department): the same, for scoped views;
- ``ProblemDayCategoryCount`` (day, category, source): reported and recurred on the
  reporting day;
- ``ProblemMonthCellCount`` (month, y, x): reported per local month and ~100 m map cell
  (the dashboard's heat layer);
- ``ProblemOpenCount`` (unit, department): problems open now (the dashboard's open figures).

A write computes the row's contributions before and after and adds the difference with one
upsert per touched key, in the writer's transaction, so the counts always equal what GROUP
BY over the ledger would give. ``rebuild`` recomputes both tables from the ledger (after
bulk loads, or to repair).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from .choices import OPEN_STATUSES, ProblemSource, ProblemStatus


@dataclass(frozen=True)
class Table:
    model_name: str
    keys: tuple[str, ...]
    measures: tuple[str, ...]

    @property
    def model(self) -> Any:
        from . import models

        return getattr(models, self.model_name)


BY_UNIT = Table(
    "ProblemDayCount",
    ("day", "unit", "grid"),
    ("reported", "recurred", "citizen", "closed", "closed_on_time", "closed_reworked"),
)
BY_CATEGORY = Table(
    "ProblemDayCategoryCount", ("day", "category", "source"), ("reported", "recurred")
)
BY_SCOPE = Table("ProblemDayScopeCount", ("day", "unit", "grid", "department"), BY_UNIT.measures)
BY_CELL = Table("ProblemMonthCellCount", ("month", "y", "x"), ("reported",))
BY_OPEN = Table("ProblemOpenCount", ("unit", "department"), ("open",))
TABLES = (BY_UNIT, BY_SCOPE, BY_CATEGORY, BY_CELL, BY_OPEN)
CELLS_PER_DEGREE = 1000  # heat cells of 0.001° (~100 m by ~90 m here)
MEASURES = BY_UNIT.measures
# (table, key values, measure)
Key = tuple[Table, tuple[Any, ...], str]


class Counts(Counter[Key]):
    """A row's contributions: ``(table, key, measure) -> 1``."""


def _day(value: datetime) -> date:
    return timezone.localtime(value).date()


def cell_of(degrees: float) -> int:
    """The heat cell of a coordinate: SQL's ``ROUND(degrees * 1000)`` (halves away from
    zero; Python's ``round`` would take them to even)."""
    scaled = degrees * CELLS_PER_DEGREE
    return math.floor(scaled + 0.5) if scaled >= 0 else -math.floor(0.5 - scaled)


def contributions(problem: Any) -> Counts:
    out = Counts()
    unit, grid = problem.unit_id or 0, problem.grid_id or 0
    department = problem.department_id or 0
    if problem.reported_at is not None:
        day = _day(problem.reported_at)
        place, kind = (day, unit, grid), (day, problem.category_id or 0, problem.source)
        out[(BY_UNIT, place, "reported")] = 1
        out[(BY_CATEGORY, kind, "reported")] = 1
        if problem.recurrence_of_id is not None:
            out[(BY_UNIT, place, "recurred")] = 1
            out[(BY_CATEGORY, kind, "recurred")] = 1
        if problem.source == ProblemSource.CITIZEN:
            out[(BY_UNIT, place, "citizen")] = 1
        if problem.lat is not None and problem.lng is not None:
            cell = (day.replace(day=1), cell_of(problem.lat), cell_of(problem.lng))
            out[(BY_CELL, cell, "reported")] = 1
    if problem.status in OPEN_STATUSES:
        out[(BY_OPEN, (unit, department), "open")] = 1
    if problem.status == ProblemStatus.CLOSED and problem.closed_at is not None:
        closed = (_day(problem.closed_at), unit, grid)
        out[(BY_UNIT, closed, "closed")] = 1
        if problem.closed_on_time:
            out[(BY_UNIT, closed, "closed_on_time")] = 1
        if problem.rework_count:
            out[(BY_UNIT, closed, "closed_reworked")] = 1
    # Every unit count again with the department in the key, for scoped views.
    for (table, key, measure), n in list(out.items()):
        if table is BY_UNIT:
            out[(BY_SCOPE, (*key, department), measure)] = n
    return out


FIELDS = ("reported_at", "unit_id", "grid_id", "department_id", "category_id",
          "recurrence_of_id", "source", "status", "closed_at", "closed_on_time",
          "rework_count", "lat", "lng")  # fmt: skip


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
    delta: dict[Table, dict[tuple[Any, ...], dict[str, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for key in set(before) | set(after):
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            table, values, measure = key
            delta[table][values][measure] = change
    for table in TABLES:
        if delta.get(table):
            _upsert(table, delta[table])


def _upsert(table: Table, delta: dict[tuple[Any, ...], dict[str, int]]) -> None:
    name = connection.ops.quote_name(table.model._meta.db_table)
    keys, measures = table.keys, table.measures
    sets = ", ".join(f"{m} = {name}.{m} + excluded.{m}" for m in measures)
    sql = (
        f"INSERT INTO {name} ({', '.join(keys + measures)}) "
        f"VALUES ({', '.join(['%s'] * (len(keys) + len(measures)))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    )
    # Sorted keys: two writers touching the same rows lock them in the same order.
    rows = [
        (*(connection.ops.adapt_datefield_value(v) if isinstance(v, date) else v for v in values),
         *(changes.get(m, 0) for m in measures))
        for values, changes in sorted(delta.items())
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def fill_from_ledger(apps: Any, schema_editor: Any) -> None:
    """A migration's ``RunPython`` step after it adds a counting table: recount every table
    its registry has from an existing ledger (the ones already filled come out unchanged)."""
    if apps.get_model("problems", "Problem").objects.exists():
        rebuild(apps)


def rebuild(apps: Any = None) -> int:
    """Recompute every count from the ledger; returns the number of counting rows.

    ``apps`` is a migration's app registry: the migration that fills the tables for an
    existing ledger passes its historical models, so it keeps working as the models change.
    """
    from chuangwei.core.expressions import HeatCell
    from chuangwei.core.sqldates import local_day

    def model_of(name: str) -> Any:
        if apps is not None:
            return apps.get_model("problems", name)
        from . import models

        return getattr(models, name)

    def exists(table: Table) -> bool:
        """An older migration's registry lacks the tables added after it."""
        try:
            model_of(table.model_name)
        except LookupError:
            return False
        return True

    Problem = model_of("Problem")  # noqa: N806 - a model class

    def grouped(qs: Any, *keys: str, **measures: Any) -> Any:
        return (
            qs.annotate(day=local_day(F(keys[0])))
            .values_list("day", *keys[1:])
            .annotate(**measures)
            .order_by()
        )

    recurring = Q(recurrence_of__isnull=False)
    by_scope: dict[tuple[Any, ...], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(BY_SCOPE.measures, 0)
    )
    for day, unit, grid, department, n, recurred, citizen in grouped(
        Problem.objects, "reported_at", "unit", "grid", "department", n=Count("id"),
        recurred=Count("id", filter=recurring),
        citizen=Count("id", filter=Q(source=ProblemSource.CITIZEN)),
    ):  # fmt: skip
        by_scope[(_as_date(day), unit or 0, grid or 0, department or 0)].update(reported=n, recurred=recurred, citizen=citizen)  # fmt: skip
    closed = Problem.objects.filter(status=ProblemStatus.CLOSED, closed_at__isnull=False)
    for day, unit, grid, department, n, on_time, reworked in grouped(
        closed, "closed_at", "unit", "grid", "department", n=Count("id"),
        on_time=Count("id", filter=Q(closed_on_time=True)),
        reworked=Count("id", filter=Q(rework_count__gt=0)),
    ):  # fmt: skip
        by_scope[(_as_date(day), unit or 0, grid or 0, department or 0)].update(closed=n, closed_on_time=on_time, closed_reworked=reworked)  # fmt: skip
    by_unit: dict[tuple[Any, ...], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(BY_UNIT.measures, 0)
    )
    for (day, unit, grid, _department), measures in by_scope.items():
        row = by_unit[(day, unit, grid)]
        for measure, n in measures.items():
            row[measure] += n
    by_category = {
        (_as_date(day), category or 0, source): {"reported": n, "recurred": recurred}
        for day, category, source, n, recurred in grouped(
            Problem.objects, "reported_at", "category", "source", n=Count("id"),
            recurred=Count("id", filter=recurring),
        )
    }  # fmt: skip
    by_cell: dict[tuple[Any, ...], dict[str, int]] = {}
    if exists(BY_CELL):
        cells = (
            Problem.objects.filter(lat__isnull=False, lng__isnull=False)
            .annotate(
                month=local_day(F("reported_at"), monthly=True),
                y=HeatCell("lat", CELLS_PER_DEGREE),
                x=HeatCell("lng", CELLS_PER_DEGREE),
            )
            .values_list("month", "y", "x")
            .annotate(n=Count("id"))
            .order_by()
        )
        by_cell = {(_as_month(m), int(y), int(x)): {"reported": n} for m, y, x, n in cells}
    by_open = {
        (unit or 0, department or 0): {"open": n}
        for unit, department, n in Problem.objects.filter(status__in=OPEN_STATUSES)
        .values_list("unit", "department")
        .annotate(n=Count("id"))
        .order_by()
    }
    tables = ((BY_UNIT, by_unit), (BY_SCOPE, by_scope), (BY_CATEGORY, by_category),
              (BY_CELL, by_cell), (BY_OPEN, by_open))  # fmt: skip
    with transaction.atomic():
        for table, rows in tables:
            if not exists(table):
                continue
            model = model_of(table.model_name)
            model.objects.all().delete()
            model.objects.bulk_create(
                (
                    model(**dict(zip(table.keys, k, strict=True)), **m)
                    for k, m in sorted(rows.items())
                ),
                batch_size=2000,
            )
    return sum(len(rows) for _table, rows in tables)


def _as_month(value: Any) -> date:
    """The first day of a local month from ``local_day(…, monthly=True)``: ``YYYY-MM`` text
    (SQLite) or the month's local midnight (PostgreSQL)."""
    if isinstance(value, str):
        year, month = value.split("-")[:2]
        return date(int(year), int(month), 1)
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return date(value.year, value.month, 1)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
