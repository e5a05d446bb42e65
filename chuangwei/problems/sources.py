"""Indicator sources of the ledger: closure rate and on-time closure rate (结案率 / 按期结案率).

Registered from ``ProblemsConfig.ready`` so the standards app computes indicators from the
ledger without knowing it (ARCHITECTURE.md §3). Both count the problems registered (立案:
``accepted_at``) in the calendar year whose responsible unit lies in the unit's subtree,
leaving out those voided or merged as duplicates: the denominator is that count, the
numerator those closed now (结案), or closed with their rectification submitted by the
deadline (按期, ``closed_on_time``). A year without registered problems has no value.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.standards.sources import IndicatorSource, register

from .choices import ProblemStatus

CLOSURE_RATE = "problems.closure_rate"
ON_TIME_RATE = "problems.on_time_rate"


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The calendar year in local time, as an aware [start, end) pair."""
    return (
        timezone.make_aware(datetime(year, 1, 1)),
        timezone.make_aware(datetime(year + 1, 1, 1)),
    )


def _counts(unit: Any, year: int) -> dict[str, int]:
    from .models import Problem

    start, end = year_bounds(year)
    return (
        Problem.objects.filter(
            accepted_at__gte=start,
            accepted_at__lt=end,
            unit__path__startswith=unit.path,
        )
        .exclude(status__in=(ProblemStatus.VOIDED, ProblemStatus.MERGED))
        .aggregate(
            registered=Count("pk"),
            closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
            on_time=Count("pk", filter=Q(status=ProblemStatus.CLOSED, closed_on_time=True)),
        )
    )


def closure_rate(unit: Any, year: int) -> tuple[Decimal, Decimal] | None:
    counts = _counts(unit, year)
    if not counts["registered"]:
        return None
    return Decimal(counts["closed"]), Decimal(counts["registered"])


def on_time_rate(unit: Any, year: int) -> tuple[Decimal, Decimal] | None:
    counts = _counts(unit, year)
    if not counts["registered"]:
        return None
    return Decimal(counts["on_time"]), Decimal(counts["registered"])


def register_sources() -> None:
    register(
        IndicatorSource(
            key=CLOSURE_RATE,
            label=_("Ledger: closure rate (结案率)"),
            numerator_label=_("Problems closed"),
            denominator_label=_("Problems registered in the year"),
            compute=closure_rate,
        )
    )
    register(
        IndicatorSource(
            key=ON_TIME_RATE,
            label=_("Ledger: on-time closure rate (按期结案率)"),
            numerator_label=_("Problems closed on time"),
            denominator_label=_("Problems registered in the year"),
            compute=on_time_rate,
        )
    )
