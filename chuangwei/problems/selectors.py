"""Reads about problems for other apps and for the report form."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from chuangwei.lib import geo

from .choices import OPEN_STATUSES, ProblemStatus
from .models import Problem


@dataclass(frozen=True)
class NearbyProblem:
    pk: int
    code: str
    status: str
    description: str
    reported_at: datetime
    distance_m: float


def _bbox(lng: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    dlat = radius_m / 111_320
    dlng = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return lng - dlng, lat - dlat, lng + dlng, lat + dlat


def _near(qs, lng: float, lat: float, radius_m: float) -> list[tuple[Problem, float]]:  # type: ignore[no-untyped-def]
    min_lng, min_lat, max_lng, max_lat = _bbox(lng, lat, radius_m)
    rows = qs.filter(lng__range=(min_lng, max_lng), lat__range=(min_lat, max_lat))
    found = []
    for problem in rows[:200]:
        distance = geo.distance_m(lng, lat, problem.lng, problem.lat)
        if distance <= radius_m:
            found.append((problem, distance))
    return sorted(found, key=lambda pair: pair[1])


def find_duplicates(
    category_id: int, lng: float, lat: float, now: datetime, *, exclude_pk: int | None = None
) -> list[NearbyProblem]:
    """Open problems of the same category near the point, reported within the window.

    Proposed to the reporter and the office as possible duplicates (never merged
    automatically). Radius and window come from settings.
    """
    since = now - timedelta(days=settings.CHUANGWEI_DUPLICATE_DAYS)
    qs = Problem.objects.filter(
        category_id=category_id, status__in=OPEN_STATUSES, reported_at__gte=since
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return [
        NearbyProblem(p.pk, p.code, p.status, p.description, p.reported_at, round(d, 1))
        for p, d in _near(qs, lng, lat, settings.CHUANGWEI_DUPLICATE_RADIUS_M)
    ]


def find_recurrence_of(category_id: int, lng: float, lat: float, now: datetime) -> int | None:
    """The nearest problem of the same category closed within N days and M metres (反弹)."""
    since = now - timedelta(days=settings.CHUANGWEI_RECURRENCE_DAYS)
    qs = Problem.objects.filter(
        category_id=category_id, status=ProblemStatus.CLOSED, closed_at__gte=since
    )
    found = _near(qs, lng, lat, settings.CHUANGWEI_RECURRENCE_RADIUS_M)
    return found[0][0].pk if found else None


@dataclass(frozen=True)
class LedgerCounts:
    open: int
    overdue: int
    closed_7d: int


def ledger_counts(user: object, now: datetime) -> LedgerCounts:
    """Open, overdue and recently closed problems in the user's scope (home page KPIs)."""
    visible = Problem.objects.visible_to(user)  # type: ignore[no-untyped-call]
    return LedgerCounts(
        open=visible.filter(status__in=OPEN_STATUSES).count(),
        overdue=visible.filter(status=ProblemStatus.DISPATCHED, due_at__lt=now).count(),
        closed_7d=visible.filter(
            status=ProblemStatus.CLOSED, closed_at__gte=now - timedelta(days=7)
        ).count(),
    )
