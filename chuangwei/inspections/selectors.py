"""Reads for pages, the API and other apps (rankings): totals, projection inputs, coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from chuangwei.places.models import Grid
from chuangwei.problems.choices import ProblemSource
from chuangwei.problems.models import Problem

from . import coverage, projection
from .choices import FINISHED_TASK_STATUSES, ResultStatus
from .models import Deduction, PatrolCheckin, ScoreSheet, SheetItem, SiteResult

ZERO = Decimal("0")


def _finished(start: datetime | None = None, end: datetime | None = None) -> Any:
    qs = SiteResult.objects.filter(
        status=ResultStatus.DONE, task__status__in=FINISHED_TASK_STATUSES
    )
    if start is not None:
        qs = qs.filter(scored_at__gte=start)
    if end is not None:
        qs = qs.filter(scored_at__lt=end)
    return qs


def scores_by_unit(start: datetime, end: datetime) -> dict[int, tuple[Decimal, Decimal]]:
    """Org-unit id owning each scored site → (points obtained, points possible), summed over
    the finished results (task submitted or reviewed, site scored) scored in [start, end)."""
    rows = (
        _finished(start, end)
        .values("site__unit_id")
        .annotate(obtained=Sum("obtained"), possible=Sum("possible"))
        .order_by("site__unit_id")
    )
    return {
        int(r["site__unit_id"]): (Decimal(r["obtained"] or 0), Decimal(r["possible"] or 0))
        for r in rows
    }


@dataclass(frozen=True)
class UnitTotal:
    unit_id: int
    unit_name: str
    sites: int
    obtained: Decimal
    possible: Decimal
    lost: Decimal

    @property
    def rate(self) -> Decimal | None:
        return (
            (self.obtained / self.possible * 100).quantize(Decimal("0.1"))
            if self.possible
            else None
        )


def unit_totals(results: Any) -> list[UnitTotal]:
    """Totals per responsible unit of the sites, worst rate first."""
    rows = (
        results.values("site__unit_id", "site__unit__name")
        .annotate(
            sites=Count("pk"), obtained=Sum("obtained"), possible=Sum("possible"), lost=Sum("lost")
        )
        .order_by("site__unit_id")
    )
    out = [
        UnitTotal(
            r["site__unit_id"],
            r["site__unit__name"],
            r["sites"],
            r["obtained"] or ZERO,
            r["possible"] or ZERO,
            r["lost"] or ZERO,
        )
        for r in rows
    ]
    return sorted(out, key=lambda u: (u.rate if u.rate is not None else Decimal(101), u.unit_id))


@dataclass(frozen=True)
class PartTotal:
    sheet: str
    number: str
    title: str
    obtained: Decimal
    possible: Decimal


def part_totals(results: Any) -> list[PartTotal]:
    """Totals per part (top line) of each sheet over ``results`` (finished or not)."""
    result_rows = list(results.values_list("pk", "sheet_id"))
    sheet_ids = {s for _pk, s in result_rows}
    items = list(SheetItem.objects.filter(sheet_id__in=sheet_ids).select_related("sheet"))
    by_id = {i.pk: i for i in items}
    parents = {i.parent_id for i in items if i.parent_id}

    def part_of(item: SheetItem) -> SheetItem:
        while item.parent_id is not None:
            item = by_id[item.parent_id]
        return item

    ids = [pk for pk, _s in result_rows]
    lost: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item_id, points in Deduction.objects.filter(result_id__in=ids).values_list(
        "item_id", "points"
    ):
        lost[item_id] += points
    from .models import ItemScore

    band: dict[int, list[Decimal]] = defaultdict(list)
    for item_id, score in ItemScore.objects.filter(result_id__in=ids).values_list(
        "item_id", "score"
    ):
        band[item_id].append(score)
    per_sheet: dict[int, int] = defaultdict(int)
    for _pk, sheet_id in result_rows:
        per_sheet[sheet_id] += 1
    acc: dict[int, list[Decimal]] = {}
    for item in items:
        if item.pk in parents:
            continue
        n = per_sheet[item.sheet_id]
        possible = item.points * n
        if item.mode == "band":
            obtained = sum(band[item.pk], ZERO)
        else:
            obtained = possible - min(lost[item.pk], possible)
        part = part_of(item)
        row = acc.setdefault(part.pk, [ZERO, ZERO])
        row[0] += obtained
        row[1] += possible
    out = []
    for part_id, (obtained, possible) in acc.items():
        part = by_id[part_id]
        out.append(PartTotal(str(part.sheet), part.number, part.title, obtained, possible))
    return sorted(out, key=lambda p: (p.sheet, p.number))


@dataclass(frozen=True)
class ItemLoss:
    sheet: str
    number: str
    title: str
    findings: int
    lost: Decimal


def top_item_losses(results: Any, limit: int = 10) -> list[ItemLoss]:
    rows = (
        Deduction.objects.filter(result__in=results)
        .values("item__sheet__name", "item__number", "item__title")
        .annotate(findings=Count("pk"), lost=Sum("points"))
        .order_by("-lost", "item__number")[:limit]
    )
    return [
        ItemLoss(
            r["item__sheet__name"], r["item__number"], r["item__title"], r["findings"], r["lost"]
        )
        for r in rows
    ]


def task_problems(task: Any, results: Any) -> list[Any]:
    """The ledger problems the deductions of these results of ``task`` became."""
    ids = Deduction.objects.filter(
        result__task=task, result__in=results, problem__isnull=False
    ).values("problem_id")
    return list(
        Problem.objects.filter(pk__in=ids).select_related("unit", "category").order_by("code")
    )


# Projection -----------------------------------------------------------------------------


def national_sheet() -> ScoreSheet | None:
    return (
        ScoreSheet.objects.filter(is_national=True, status="published").order_by("-version").first()
    )


def latest_results(
    *, days: int, now: datetime, unit_path: str | None = None, user: Any = None
) -> Any:
    """The latest finished result of each site scored in the last ``days`` days (of the
    sites of the unit at ``unit_path`` and below, when given; of those ``user`` may read,
    when given)."""
    recent = _finished(now - timedelta(days=days), now)
    if unit_path is not None:
        recent = recent.filter(site__unit__path__startswith=unit_path)
    if user is not None:
        recent = recent.filter(pk__in=SiteResult.objects.visible_to(user).values("pk"))
    latest: dict[int, int] = {}
    for pk, site_id in recent.order_by("scored_at", "pk").values_list("pk", "site_id"):
        latest[site_id] = pk
    return SiteResult.objects.filter(pk__in=latest.values())


def projection_inputs(
    *, days: int, now: datetime, unit_path: str | None = None, user: Any = None
) -> tuple[list[projection.PartSpec], list[projection.Observation], Any]:
    """The parts of the national sheet and one observation per site (its latest result);
    only the sites of the unit at ``unit_path`` and below when given (a district's board),
    and only the results ``user`` may read when given (the projection page and API)."""
    sheet = national_sheet()
    if sheet is None:
        return [], [], SiteResult.objects.none()
    parts = [
        projection.PartSpec(i.number, i.title, i.points)
        for i in sheet.items.filter(parent__isnull=True).order_by("sort_order", "id")
    ]
    results = latest_results(days=days, now=now, unit_path=unit_path, user=user)
    observations = [
        projection.Observation(part, site_id, obtained, possible)
        for part, site_id, obtained, possible in results.exclude(
            sheet__national_part=""
        ).values_list("sheet__national_part", "site_id", "obtained", "possible")
    ]
    return parts, observations, results


# Patrol coverage ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerRow:
    user_id: int
    name: str
    unit: str
    grids: int
    checkins: int
    reports: int
    mean_share: float
    days_active: int
    by_day: list[int]


def patrol_coverage(
    *, days: list[date], start: datetime, end: datetime, unit_q: Q | None = None
) -> list[WorkerRow]:
    """Grid workers (people with a login assigned to grids) and their daily coverage in
    [start, end); thin activity first."""
    grids = Grid.objects.filter(workers__user__isnull=False)
    if unit_q is not None:
        grids = grids.filter(unit_q)
    assigned: dict[int, list[str]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for path, user_id, name, unit in grids.values_list(
        "path", "workers__user_id", "workers__name", "workers__unit__name"
    ):
        assigned[user_id].append(path)
        names[user_id] = (name, unit)
    checkins = [
        coverage.Checkin(w, path, at)
        for w, path, at in PatrolCheckin.objects.filter(
            worker_id__in=assigned, at__gte=start, at__lt=end
        ).values_list("worker_id", "grid__path", "at")
    ]
    reports = list(
        Problem.objects.filter(
            reporter_id__in=assigned,
            source=ProblemSource.GRID_PATROL,
            reported_at__gte=start,
            reported_at__lt=end,
        ).values_list("reporter_id", "reported_at")
    )
    table = coverage.daily_coverage(assigned, checkins, days, [(int(w), at) for w, at in reports])
    rows = [
        WorkerRow(
            user_id=w,
            name=names[w][0],
            unit=names[w][1],
            grids=c.grids,
            checkins=sum(c.checkins.values()),
            reports=sum(c.reports.values()),
            mean_share=c.mean_share(days),
            days_active=len([d for d in days if c.checkins.get(d)]),
            by_day=[c.covered.get(d, 0) for d in days],
        )
        for w, c in table.items()
    ]
    return sorted(rows, key=lambda r: (r.mean_share, r.checkins, r.name))


def checkin_warning(checkin: PatrolCheckin, user: Any) -> str:
    """What the worker should know about a check-in just kept: outside every grid, or in a
    grid outside their area (it counts for that grid's coverage, not theirs). Empty when
    it fell in their own area."""
    from django.utils.translation import gettext as _

    grid = checkin.grid
    if grid is None:
        return _("This spot is outside every grid. The check-in is kept but covers no grid.")
    unit = grid.unit
    if unit is not None and not user.scope.covers_path(unit.path):
        return _(
            "This spot is in grid %(grid)s, outside your area. The check-in is kept; "
            "check your position if you are patrolling your own grid."
        ) % {"grid": grid.name or grid.code}
    return ""
