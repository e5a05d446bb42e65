"""Reading indicators against their thresholds: one unit's status for a year, and trends.

``indicator_status`` is what the readiness board calls (keep its signature): every indicator
of a version with the unit's value for the year, the rate, the threshold and whether it is
met. A value is a numerator/denominator pair; the rate is numerator ÷ denominator × 100 (a
rate in %), or the numerator alone when there is no denominator (counts, days, m² per
person) — the same rule as the readiness board's ``value_rate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .choices import Comparator
from .models import Indicator, IndicatorValue, StandardVersion

RATE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorStatus:
    """One indicator for one unit and year. ``met`` is None when there is no value."""

    indicator: Indicator
    value: IndicatorValue | None
    numerator: Decimal | None
    denominator: Decimal | None
    rate: Decimal | None
    threshold: Decimal
    comparator: str
    met: bool | None
    origin: str | None


@dataclass(frozen=True)
class TrendPoint:
    year: int
    rate: Decimal | None
    met: bool | None
    origin: str | None


def value_rate(indicator: Indicator, value: IndicatorValue | None) -> Decimal | None:
    """The value as it is compared with the threshold (rounded to 2 places)."""
    if value is None:
        return None
    if value.denominator is None:
        rate = value.numerator
    elif not value.denominator:
        return None
    else:
        rate = value.numerator / value.denominator * 100
    return rate.quantize(RATE_PLACES)


def compare(rate: Decimal | None, comparator: str, threshold: Decimal) -> bool | None:
    """Whether ``rate`` meets ``comparator threshold``; None when there is no rate."""
    if rate is None:
        return None
    checks = {
        Comparator.GTE: rate >= threshold,
        Comparator.GT: rate > threshold,
        Comparator.LTE: rate <= threshold,
        Comparator.LT: rate < threshold,
        Comparator.EQ: rate == threshold,
    }
    return checks.get(Comparator(comparator))


def status_of(indicator: Indicator, value: IndicatorValue | None) -> IndicatorStatus:
    rate = value_rate(indicator, value)
    return IndicatorStatus(
        indicator=indicator,
        value=value,
        numerator=value.numerator if value else None,
        denominator=value.denominator if value else None,
        rate=rate,
        threshold=indicator.threshold,
        comparator=indicator.comparator,
        met=compare(rate, indicator.comparator, indicator.threshold),
        origin=value.origin if value else None,
    )


def indicator_status(version: StandardVersion, unit: Any, year: int) -> list[IndicatorStatus]:
    """Every indicator of ``version`` (by code) with ``unit``'s value for ``year``.

    Two queries whatever the number of indicators. The caller decides whether the user may
    see ``unit``.
    """
    indicators = list(
        Indicator.objects.filter(version=version).select_related("clause").order_by("code")
    )
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            indicator__version=version, unit=unit, year=year
        ).order_by()
    }
    return [status_of(i, values.get(i.pk)) for i in indicators]


def indicator_trend(indicator: Indicator, unit: Any, years: Iterable[int]) -> list[TrendPoint]:
    """The indicator's rate for ``unit`` in each of ``years`` (in the order given); a year
    without a value has rate None. One query."""
    wanted: Sequence[int] = list(years)
    values = {
        v.year: v
        for v in IndicatorValue.objects.filter(indicator=indicator, unit=unit, year__in=wanted)
    }
    points = []
    for year in wanted:
        value = values.get(year)
        rate = value_rate(indicator, value)
        points.append(
            TrendPoint(
                year=year,
                rate=rate,
                met=compare(rate, indicator.comparator, indicator.threshold),
                origin=value.origin if value else None,
            )
        )
    return points
