"""Reads of the readiness app for its pages and for later apps (rankings, dashboards, reports).

Each returns dataclasses or plain sets, never querysets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Max, Q

from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import Indicator, IndicatorValue, StandardClause, StandardVersion

from .choices import ConditionState, EvidenceStatus
from .models import ConditionEvent, EvaluationCycle, Evidence

# Conditions (必备条件 / 一票否决) ------------------------------------------------------------


def _subtree_q(paths: list[str], field: str = "path") -> Q:
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths), Q(pk__in=[]))


def ineligible_unit_ids(year: int) -> frozenset[int]:
    """Units that lost their eligibility for honours in ``year`` ("取消一切评先树优资格"):
    the responsible unit of every condition event of that year that is not withdrawn, and
    every unit below it. Rankings leave them off the red list of a period in that year."""
    paths = list(
        ConditionEvent.objects.filter(year=year, withdrawn_at__isnull=True)
        .values_list("unit__path", flat=True)
        .distinct()
    )
    if not paths:
        return frozenset()
    return frozenset(OrgUnit.objects.filter(_subtree_q(paths)).values_list("pk", flat=True))


@dataclass(frozen=True)
class ConditionRow:
    """One prerequisite or veto condition on the board.

    ``kind`` is ``clause`` or ``indicator``; ``state`` a ``ConditionState``; ``events`` the
    year's events that fail it (in the unit's subtree); ``evidence_on`` the date of the
    newest approved evidence filed for it that year; ``value``/``threshold`` for an
    indicator condition (a rate in % when the indicator has a denominator)."""

    kind: str
    pk: int
    number: str
    title: str
    is_veto: bool
    state: str
    events: tuple[ConditionEvent, ...]
    evidence_on: date | None
    value: Decimal | None = None
    threshold: Decimal | None = None
    comparator: str = ""
    unit_of_measure: str = ""


def current_version() -> StandardVersion | None:
    """The standard version of the current evaluation cycle, else the newest published one."""
    cycle = EvaluationCycle.objects.filter(is_current=True).select_related("standard_version")
    found = cycle.first()
    if found is not None:
        return found.standard_version
    return StandardVersion.objects.filter(status="published").order_by("-year", "-id").first()


def _meets(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    return {
        "gte": value >= threshold,
        "gt": value > threshold,
        "lte": value <= threshold,
        "lt": value < threshold,
        "eq": value == threshold,
    }[comparator]


def value_rate(value: IndicatorValue) -> Decimal | None:
    """The value an indicator is judged by: numerator / denominator × 100 (a rate in %), or
    the numerator itself when there is no denominator. None when the denominator is 0."""
    if value.denominator is None:
        return value.numerator
    if not value.denominator:
        return None
    return (value.numerator / value.denominator * 100).quantize(Decimal("0.01"))


def condition_board(
    *, year: int, unit: OrgUnit | None = None, version: StandardVersion | None = None
) -> list[ConditionRow]:
    """Every prerequisite and veto condition of ``version`` (default: the current cycle's)
    for ``year`` as seen for ``unit`` (default: the city).

    Red when an event of the year fails it in the unit's subtree, or (an indicator) when the
    unit's value for the year misses the threshold; green when the indicator meets it, or (a
    clause) when approved evidence was filed for it that year; unknown otherwise. Seven
    queries whatever the number of conditions.
    """
    version = version or current_version()
    if version is None:
        return []
    events = ConditionEvent.objects.filter(year=year, withdrawn_at__isnull=True).select_related(
        "unit"
    )
    if unit is not None:
        events = events.filter(unit__path__startswith=unit.path)
    by_clause: dict[int, list[ConditionEvent]] = {}
    by_indicator: dict[int, list[ConditionEvent]] = {}
    for event in events:
        if event.clause_id:
            by_clause.setdefault(event.clause_id, []).append(event)
        else:
            by_indicator.setdefault(event.indicator_id or 0, []).append(event)
    clauses = list(
        StandardClause.objects.filter(version=version)
        .filter(Q(is_prerequisite=True) | Q(is_veto=True))
        .order_by("path")
    )
    evidence = Evidence.objects.filter(year=year, status=EvidenceStatus.APPROVED)
    if unit is not None:
        evidence = evidence.filter(unit__path__startswith=unit.path)
    approved = dict(
        evidence.values("requirement__clause__path")
        .annotate(last=Max("reviewed_at"))
        .values_list("requirement__clause__path", "last")
    )
    rows = []
    for clause in clauses:
        failed = tuple(by_clause.get(clause.pk, ()))
        dates = [d for path, d in approved.items() if path.startswith(clause.path) and d]
        last = max(dates) if dates else None
        state = (
            ConditionState.RED
            if failed
            else ConditionState.GREEN
            if last
            else ConditionState.UNKNOWN
        )
        rows.append(
            ConditionRow(
                kind="clause",
                pk=clause.pk,
                number=clause.number,
                title=clause.title,
                is_veto=clause.is_veto,
                state=state,
                events=failed,
                evidence_on=_day(last),
            )
        )
    indicators = list(Indicator.objects.filter(version=version, is_veto=True).order_by("code"))
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            indicator__in=indicators, year=year, unit=unit or _city()
        )
    }
    for indicator in indicators:
        failed = tuple(by_indicator.get(indicator.pk, ()))
        value = values.get(indicator.pk)
        rate = value_rate(value) if value is not None else None
        if failed or (
            rate is not None and not _meets(rate, indicator.comparator, indicator.threshold)
        ):
            state = ConditionState.RED
        elif rate is not None:
            state = ConditionState.GREEN
        else:
            state = ConditionState.UNKNOWN
        rows.append(
            ConditionRow(
                kind="indicator",
                pk=indicator.pk,
                number=indicator.code,
                title=indicator.name,
                is_veto=True,
                state=state,
                events=failed,
                evidence_on=None,
                value=rate,
                threshold=indicator.threshold,
                comparator=indicator.get_comparator_display(),
                unit_of_measure=indicator.unit,
            )
        )
    return rows


def _day(moment: datetime | None) -> date | None:
    from django.utils import timezone

    return timezone.localdate(moment) if moment else None


def _city() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True, kind=OrgUnitKind.CITY).order_by("pk").first()


def condition_counts(rows: list[ConditionRow]) -> dict[str, int]:
    """How many conditions are red, green and unknown (the board's header)."""
    counts = {state: 0 for state in ConditionState.values}
    for row in rows:
        counts[row.state] += 1
    return counts
