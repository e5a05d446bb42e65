"""Demo rankings (issue 5): schemes from the reference presets, ranking snapshots for the
past weeks and months of the demo ledger, the last complete month published (with its
red/black lists) and a few accountability records behind them. Deterministic for a seed
and ``now``; computed through the rankings services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from chuangwei.accounts.models import User
from chuangwei.problems.models import Problem
from chuangwei.rankings import services
from chuangwei.rankings.choices import MeasureKind, PeriodKind, RecordStatus
from chuangwei.rankings.models import AccountabilityRecord, RankingSnapshot
from chuangwei.rankings.periods import Period, last_complete_period

MONTHLY = ("street", "community", "department", "grid", "road", "site")
WEEKLY = ("street", "community")
PUBLISHED = ("street", "community", "department", "road")


def _months_back(now: datetime, count: int) -> list[Period]:
    period = last_complete_period(PeriodKind.MONTH, now)
    periods = [period]
    for _ in range(count - 1):
        period = period.previous()
        periods.append(period)
    return periods[::-1]


def _weeks_back(now: datetime, count: int) -> list[Period]:
    period = last_complete_period(PeriodKind.WEEK, now)
    periods = [period]
    for _ in range(count - 1):
        period = period.previous()
        periods.append(period)
    return periods[::-1]


def build_demo_rankings(*, seed: int, now: datetime | None = None, months: int = 3) -> int:
    """Compute and publish the demo snapshots, record accountability; return snapshots made."""
    now = now or timezone.now()
    rng = random.Random(seed)
    office = User.objects.filter(username="office").first()
    if office is None or not Problem.objects.exists():
        return 0
    made = 0
    month_periods = _months_back(now, months)
    monthly = [services.default_scheme(kind) for kind in MONTHLY]
    for period in month_periods:  # oldest first, so movement is against the previous
        for snap in services.compute_snapshots(monthly, period, by=office, now=now):
            made += 1
            if snap.object_kind in PUBLISHED:
                services.publish_snapshot(snap, by=office, now=now)
    weekly = [services.default_scheme(kind) for kind in WEEKLY]
    for period in _weeks_back(now, 4):
        made += len(services.compute_snapshots(weekly, period, by=office, now=now))
    services.default_scheme("reporter")
    _accountability(office, now, rng)
    return made


def _accountability(office: Any, now: datetime, rng: random.Random) -> None:
    latest = (
        RankingSnapshot.objects.filter(status="published", object_kind="street")
        .order_by("-start")
        .first()
    )
    today = timezone.localdate(now)
    if latest is not None:
        bottom = latest.entries.filter(rank__isnull=False).order_by("-rank").first()
        if bottom is not None:
            record = services.save_accountability_record(
                AccountabilityRecord(
                    kind=MeasureKind.CIRCULATE,
                    unit_id=bottom.object_id,
                    reason=f"{latest.label}街道综合排名末位（{bottom.score}分），予以通报批评。",
                    issued_on=today - timedelta(days=3),
                    snapshot=latest,
                ),
                by=office,
            )
            late = Problem.objects.filter(
                unit__path__startswith=record.unit.path, status="dispatched", due_at__lt=now
            ).order_by("due_at")[:5]
            record.problems.set(late)
    overdue = (
        Problem.objects.filter(status="dispatched", due_at__lt=now - timedelta(days=3))
        .values_list("unit_id", flat=True)
        .order_by("unit_id")
    )
    units = sorted(set(overdue))
    rng.shuffle(units)
    for index, unit_id in enumerate(units[:2]):
        record = services.save_accountability_record(
            AccountabilityRecord(
                kind=MeasureKind.RECTIFY if index == 0 else MeasureKind.INTERVIEW,
                unit_id=unit_id,
                reason="多件问题超期未整改，限期整改到位。"
                if index == 0
                else "问题长期超期未结，约谈单位主要负责人。",
                issued_on=today - timedelta(days=1 + index),
                deadline=today + timedelta(days=7),
                status=RecordStatus.OPEN,
                inspection_refs=[f"JC-{today.year}-{rng.randint(10, 99):03d}"],
            ),
            by=office,
        )
        record.problems.set(
            Problem.objects.filter(unit_id=unit_id, status="dispatched", due_at__lt=now)[:8]
        )
