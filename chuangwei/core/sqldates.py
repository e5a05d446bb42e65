"""The local calendar day (or month) of a datetime column, as SQL, on both databases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import CharField, Func, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone


def local_day(expression: Any, *, monthly: bool = False, vendor: str | None = None) -> Any:
    """``TruncDate``/``TruncMonth`` in the current time zone. SQLite gets its own date
    functions with the zone's UTC offset (Asia/Shanghai has had no daylight saving since
    1991) and yields ``YYYY-MM-DD`` / ``YYYY-MM`` text: Django's Trunc would call back into
    Python for every row there."""
    if (vendor or connection.vendor) == "sqlite":
        offset = timezone.localtime(timezone.now()).utcoffset() or timedelta()
        modifier = Value(f"{int(offset.total_seconds() // 60):+d} minutes")
        pattern = Value("%Y-%m" if monthly else "%Y-%m-%d")
        return Func(pattern, expression, modifier, function="STRFTIME", output_field=CharField())
    trunc = TruncMonth if monthly else TruncDate
    return trunc(expression, tzinfo=timezone.get_current_timezone())
