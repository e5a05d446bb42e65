"""SQL expressions shared by the apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func


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
