"""SQL expressions shared by the apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import F, FloatField, Func


class Unindexed(Func):
    """A column's value that SQLite's planner will not read through an index on it.

    Grouping by a bare column that leads an index makes SQLite skip-scan that index and
    look every row up in the table, even when another index covers the whole query (a
    district's reports of a month by category and source: 89 ms against ~35 ms at 1M
    problems). SQLite's unary ``+`` is a no-op on any value that hides the column from the
    planner; other databases get the bare column.
    """

    template = "%(expressions)s"

    def __init__(self, field: str, **extra: Any) -> None:
        super().__init__(F(field), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


class HeatCell(Func):
    """A coordinate's heat cell: ``degrees × per_degree`` rounded half away from zero, as
    ``problems.stats.cell_of`` rounds it in Python.

    SQLite's ``ROUND`` rounds so already. PostgreSQL's ``ROUND`` of a float rounds halves to
    even (and of a numeric cast cost ~120 ms per month of reports at 1M), so it gets
    ``SIGN(v) * FLOOR(ABS(v) + 0.5)`` in float arithmetic.
    """

    function = "ROUND"
    output_field = FloatField()

    def __init__(self, field: str, per_degree: int, **extra: Any) -> None:
        super().__init__(F(field) * per_degree, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(SIGN({sql}) * FLOOR(ABS({sql}) + 0.5))", [*params, *params]
