"""The demo's readiness half (issue 14): the current 复审 cycle with its stages and the
provincial list half rectified, indicators for the city and its districts (a few red), the
evidence dossier about 60 % complete with some records returned, and two veto events — one in
force (a street loses its honours this year), one withdrawn. Each part is built by its app's
own demo module through the services; this module orders them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from chuangwei.accounts.models import User
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.readiness.models import ConditionEvent
from chuangwei.readiness.selectors import current_version
from chuangwei.readiness.services.conditions import (
    record_condition_event,
    withdraw_condition_event,
)
from chuangwei.standards.models import StandardClause


def build_demo_conditions(*, now: datetime | None = None) -> int:
    """Two veto events of this year on the first veto article of the current standard: a
    street's food-poisoning case (in force) and a report found to be wrong (withdrawn).
    Returns how many events exist; nothing when the standard marks no veto article."""
    now = now or timezone.now()
    version = current_version()
    clause = (
        StandardClause.objects.filter(version=version, is_veto=True).order_by("path").first()
        if version is not None
        else None
    )
    office = User.objects.filter(username="office").first()
    # Streets of 市中区 first, so the demo district leader sees the event on the board.
    district = OrgUnit.objects.filter(code="370402").first()
    streets = OrgUnit.objects.filter(kind=OrgUnitKind.STREET).order_by("path")
    if district is not None:
        streets = streets.filter(path__startswith=district.path)
    streets = list(streets[:2])
    if clause is None or office is None or len(streets) < 2:
        return 0
    today = timezone.localdate(now)
    first = today - timedelta(days=40)
    second = today - timedelta(days=12)
    record_condition_event(
        clause=clause,
        unit=streets[0],
        occurred_on=first if first.year == today.year else today,
        title="辖区一餐馆发生集体性食物中毒（6人就医）",
        description="区市场监管局已立案调查，涉事餐馆停业整顿。",
        by=office,
        now=now,
    )
    wrong = record_condition_event(
        clause=clause,
        unit=streets[1],
        occurred_on=second if second.year == today.year else today,
        title="疑似食源性疾病聚集病例",
        description="经疾控中心流行病学调查，排除食源性因素。",
        by=office,
        now=now,
    )
    withdraw_condition_event(
        wrong, reason="疾控中心调查结论：排除食源性疾病，不属于食品安全事故。", by=office, now=now
    )
    return ConditionEvent.objects.count()


def build_demo_readiness(*, seed: int, now: datetime | None = None) -> dict[str, Any]:
    """Build every part of the readiness demo in order; returns what each made."""
    from chuangwei.readiness.demo_cycle import build_demo_cycle
    from chuangwei.standards.demo import build_demo_indicators

    made: dict[str, Any] = {}
    # Indicators first: their local copy of the standard is the newest version, which the
    # cycle then takes as its standard (so the board shows the indicators).
    made["indicators"] = build_demo_indicators(seed=seed)
    made["cycle"] = build_demo_cycle()
    from chuangwei.readiness.demo_dossier import build_demo_dossier

    made["dossier"] = build_demo_dossier(seed=seed)
    made["conditions"] = build_demo_conditions(now=now)
    return made
