"""The metrics engine: aggregate queries over the problem history for one period.

Every metric is defined once in ``METRICS`` (shown next to the numbers in the UI and in
docs/rankings.md). Values for a past period come from event times and the state *as of
the period end* (``status_at_end``), so later events do not change them. Objects are
grouped in SQL (GROUP BY the problem's unit, department, work line, grid, site or
reporter); territorial units and grids are then rolled up to their ancestors over the
grouped rows by materialised path (a few hundred groups, never the problem rows).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Grid, Site
from chuangwei.problems.choices import ProblemAction as A
from chuangwei.problems.choices import ProblemSource
from chuangwei.problems.choices import ProblemStatus as S
from chuangwei.problems.models import Problem, ProblemEvent
from chuangwei.readiness.selectors import ineligible_unit_ids

from . import providers
from .choices import ObjectKind, SnapshotStatus
from .models import RankingEntry, RankingSnapshot

# Sources whose problems come from the public and were confirmed before 立案 (公众举报).
PUBLIC_SOURCES = frozenset(
    {
        ProblemSource.CITIZEN,
        ProblemSource.SUPERVISOR,
        ProblemSource.HOTLINE,
        ProblemSource.MEDIA,
        ProblemSource.OPEN311,
    }
)
DROPPED = (S.MERGED, S.VOIDED)
DEADLINE_ACTIONS = (A.DISPATCH, A.APPROVE_EXTENSION, A.RESUME, A.REOPEN)

# Dimension → the problem field it groups by and whether ancestors are rolled up.
DIMENSIONS: dict[str, tuple[str, bool]] = {
    "unit": ("unit_id", True),
    "department": ("department_id", False),
    "work_line": ("work_line_id", False),
    "grid": ("grid_id", True),
    "site": ("site_id", False),
    "reporter": ("reporter_id", False),
}


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    definition: Any
    # "count", "rate" (0..1, higher is better), "negrate" (0..1, lower is better),
    # "hours", "points"
    kind: str
    group: str


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "registered",
            _("Cases registered (立案数)"),
            _(
                "Problems registered (立案: accepted or dispatched) in the period, not merged "
                "as a duplicate or voided by the period end."
            ),
            "count",
            "cohort",
        ),
        Metric(
            "closed",
            _("Cases closed (结案数)"),
            _("Of the problems registered in the period, those closed at the period end."),
            "count",
            "closure",
        ),
        Metric(
            "closure_rate",
            _("Closure rate (结案率)"),
            _("Cases closed ÷ cases registered in the period (结案数 ÷ 应结案数)."),
            "rate",
            "closure",
        ),
        Metric(
            "on_time_rate",
            _("On-time closure rate (按期结案率)"),
            _(
                "Problems registered in the period and closed at the period end whose "
                "rectification was submitted by the deadline (paused time does not count) "
                "÷ cases registered."
            ),
            "rate",
            "closure",
        ),
        Metric(
            "rework_rate",
            _("Rework rate (返工率)"),
            _(
                "Failed verifications (返工) in the period ÷ rectifications submitted in the "
                "period (处置数), at most 100 %."
            ),
            "negrate",
            "events",
        ),
        Metric(
            "overdue_open",
            _("Overdue and not closed (超期未结数)"),
            _(
                "Problems that at the period end were dispatched (clock running, not paused "
                "or submitted) and past the deadline valid at that moment."
            ),
            "count",
            "overdue",
        ),
        Metric(
            "recurrence_rate",
            _("Rebound rate (反弹率)"),
            _(
                "(Problems registered in the period that recur a recently closed one + "
                "closed problems reopened in the period) ÷ cases registered, at most 100 %."
            ),
            "negrate",
            "events",
        ),
        Metric(
            "public_report_rate",
            _("Public report rate (监督举报率)"),
            _(
                "Confirmed reports from citizens, supervisors, the hotline, media and Open311 "
                "among the cases registered ÷ cases registered (problems the patrols missed)."
            ),
            "negrate",
            "cohort",
        ),
        Metric(
            "valid_report_rate",
            _("Valid report rate (有效上报率)"),
            _(
                "Reports made in the period not voided or merged by the period end ÷ reports "
                "made in the period."
            ),
            "rate",
            "reports",
        ),
        Metric(
            "avg_handling_hours",
            _("Average handling time (hours)"),
            _(
                "Mean time from registration (立案) to closing (核查通过) of the closings in "
                "the period, in hours."
            ),
            "hours",
            "events",
        ),
        Metric(
            "inspection_score_rate",
            _("Inspection score rate"),
            _(
                "Points obtained ÷ points possible in the inspections of the period; "
                "“—” when no inspection covered the unit."
            ),
            "rate",
            "inspections",
        ),
        Metric(
            "points_lost",
            _("Points lost"),
            _(
                "Inspection points lost by the problems found in the period (inspection "
                "deductions are recorded as problems with points lost), voided ones excluded."
            ),
            "points",
            "points",
        ),
    )
}
# Derived by the scoring, not stored by the engine.
SCORE_ONLY = {
    "registered_score": _("Case count score (立案数分值)"),
}


@dataclass
class Row:
    """Raw counts of one object; rates are derived so rolling up stays exact."""

    registered: int = 0
    closed: int = 0
    on_time: int = 0
    public: int = 0
    recurrences: int = 0
    reopened: int = 0
    handled: int = 0
    reworked: int = 0
    closings: int = 0
    handling_seconds: float = 0.0
    overdue_open: int = 0
    reports: int = 0
    valid_reports: int = 0
    points_lost: Decimal = Decimal("0")
    score_obtained: Decimal | None = None
    score_possible: Decimal | None = None

    def add(self, other: Row) -> None:
        for name in (
            "registered",
            "closed",
            "on_time",
            "public",
            "recurrences",
            "reopened",
            "handled",
            "reworked",
            "closings",
            "handling_seconds",
            "overdue_open",
            "reports",
            "valid_reports",
            "points_lost",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.score_possible is not None:
            self.score_obtained = (self.score_obtained or Decimal(0)) + (
                other.score_obtained or Decimal(0)
            )
            self.score_possible = (self.score_possible or Decimal(0)) + other.score_possible

    @property
    def active(self) -> bool:
        return bool(self.registered or self.handled or self.reports or self.overdue_open)

    def values(self) -> dict[str, float | int | None]:
        """Metric key → value (rates 0..1 rounded to 4 places; None where undefined)."""

        def ratio(num: float, den: float, cap: bool = False) -> float | None:
            if not den:
                return None
            value = num / den
            return round(min(value, 1.0) if cap else value, 4)

        score_rate = None
        if self.score_possible:
            score_rate = round(float((self.score_obtained or 0) / self.score_possible), 4)
        return {
            "registered": self.registered,
            "closed": self.closed,
            "closure_rate": ratio(self.closed, self.registered),
            "on_time_rate": ratio(self.on_time, self.registered),
            "rework_rate": ratio(self.reworked, self.handled, cap=True),
            "overdue_open": self.overdue_open,
            "recurrence_rate": ratio(self.recurrences + self.reopened, self.registered, cap=True),
            "public_report_rate": ratio(self.public, self.registered),
            "valid_report_rate": ratio(self.valid_reports, self.reports),
            "avg_handling_hours": (
                round(self.handling_seconds / self.closings / 3600, 1) if self.closings else None
            ),
            "inspection_score_rate": score_rate,
            "points_lost": float(self.points_lost),
        }


def status_at(end: datetime) -> Case:
    """The problem's status at ``end``: closed when its current closing is before ``end``
    (only a reopen leaves 结案, and a reopen clears ``closed_at``), otherwise the target
    of its last status-changing event before ``end``."""
    last = (
        ProblemEvent.objects.filter(problem=OuterRef("pk"), created_at__lt=end)
        .exclude(to_status="")
        .order_by("-created_at", "-id")
        .values("to_status")[:1]
    )
    return Case(
        When(closed_at__lt=end, then=Value(S.CLOSED)),
        default=Subquery(last),
        output_field=CharField(),
    )


def _dropped_by(end: datetime) -> Q:
    """Merged or voided before ``end`` (both are final states)."""
    gone = ProblemEvent.objects.filter(
        problem=OuterRef("pk"), action__in=(A.MERGE, A.VOID), created_at__lt=end
    )
    return Q(status__in=DROPPED) & Q(Exists(gone))


def registered_in(start: datetime, end: datetime) -> QuerySet[Problem]:
    """The cohort: problems registered (立案) in ``[start, end)`` still valid at ``end``.

    ``accepted_at`` is set once, by the first accept, dispatch or on-the-spot fix event, so
    the candidates are found through the event index (action, time) instead of scanning
    every problem, then checked against ``accepted_at``."""
    registering = ProblemEvent.objects.filter(
        action__in=(A.ACCEPT, A.DISPATCH, A.SELF_FIX), created_at__gte=start, created_at__lt=end
    ).values("problem_id")
    return Problem.objects.filter(
        pk__in=registering, accepted_at__gte=start, accepted_at__lt=end
    ).exclude(_dropped_by(end))


def _on_time_at(end: datetime) -> Case:
    """Closed on time at ``end``: the current closing's flag when it is before ``end``,
    else the ``on_time`` recorded by the last closing before ``end``."""
    later_pass = ProblemEvent.objects.filter(
        problem=OuterRef(OuterRef("pk")),
        action=A.VERIFY_PASS,
        created_at__lt=end,
        created_at__gt=OuterRef("created_at"),
    )
    flagged = ProblemEvent.objects.filter(
        problem=OuterRef("pk"), action=A.VERIFY_PASS, created_at__lt=end, payload__on_time=True
    ).exclude(Exists(later_pass))
    return Case(
        When(closed_at__lt=end, then=F("closed_on_time")),
        default=Exists(flagged),
        output_field=BooleanField(),
    )


# Group rows are keyed by a tuple of the problem fields asked for (one value per dimension),
# so one query serves every dimension; ``_fold`` then splits them per dimension.
Groups = dict[tuple[Any, ...], Row]


def _cohort(keys: list[str], start: datetime, end: datetime, rows: Groups, closure: bool) -> None:
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "public": Count("pk", filter=Q(source__in=PUBLIC_SOURCES)),
        "recurring": Count("pk", filter=Q(recurrence_of__isnull=False)),
    }
    cohort = registered_in(start, end)
    if closure:
        cohort = cohort.annotate(status_end=status_at(end), on_time_end=_on_time_at(end))
        aggregates["closed"] = Count("pk", filter=Q(status_end=S.CLOSED))
        aggregates["on_time"] = Count("pk", filter=Q(status_end=S.CLOSED, on_time_end=True))
    for item in cohort.order_by().values(*keys).annotate(**aggregates):
        row = rows[tuple(item[k] for k in keys)]
        row.registered += item["n"]
        row.public += item["public"]
        row.recurrences += item["recurring"]
        row.closed += item.get("closed", 0)
        row.on_time += item.get("on_time", 0)


def _events(keys: list[str], start: datetime, end: datetime, rows: Groups) -> None:
    pkeys = [f"problem__{k}" for k in keys]
    events = ProblemEvent.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        action__in=(A.SUBMIT, A.SELF_FIX, A.VERIFY_FAIL, A.REOPEN, A.VERIFY_PASS),
    )
    duration = ExpressionWrapper(
        F("created_at") - F("problem__accepted_at"), output_field=DurationField()
    )
    for item in (
        events.order_by()
        .values(*pkeys)
        .annotate(
            handled=Count("pk", filter=Q(action__in=(A.SUBMIT, A.SELF_FIX))),
            reworked=Count("pk", filter=Q(action=A.VERIFY_FAIL)),
            reopened=Count("pk", filter=Q(action=A.REOPEN)),
            closings=Count("pk", filter=Q(action=A.VERIFY_PASS)),
            avg=Avg(duration, filter=Q(action=A.VERIFY_PASS)),
        )
    ):
        row = rows[tuple(item[k] for k in pkeys)]
        row.handled += item["handled"]
        row.reworked += item["reworked"]
        row.reopened += item["reopened"]
        row.closings += item["closings"]
        if item["avg"] is not None:
            avg = item["avg"]
            seconds = avg.total_seconds() if isinstance(avg, timedelta) else float(avg) / 1e6
            row.handling_seconds += seconds * item["closings"]


def _overdue(keys: list[str], end: datetime, rows: Groups) -> None:
    """Dispatched at ``end`` and past the deadline then.

    The row's ``due_at`` is that deadline unless a deadline-setting event (dispatch,
    extension, resume, reopen) came later; for those few rows the deadline recorded in the
    last such event before ``end`` is used.
    """
    later = ProblemEvent.objects.filter(
        problem=OuterRef("pk"), action__in=DEADLINE_ACTIONS, created_at__gte=end
    )
    candidates = (
        Problem.objects.filter(dispatched_at__lt=end)
        .exclude(closed_at__lt=end)
        .exclude(status__in=DROPPED)
        .annotate(status_end=status_at(end), moved=Exists(later))
        .filter(status_end=S.DISPATCHED)
    )
    simple = candidates.filter(moved=False, due_at__lt=end).order_by().values(*keys)
    for item in simple.annotate(n=Count("pk")):
        rows[tuple(item[k] for k in keys)].overdue_open += item["n"]
    last_due = (
        ProblemEvent.objects.filter(
            problem=OuterRef("pk"), action__in=DEADLINE_ACTIONS, created_at__lt=end
        )
        .order_by("-created_at", "-id")
        .values("payload")[:1]
    )
    moved = candidates.filter(moved=True).annotate(due=Subquery(last_due))
    for *group, payload in moved.values_list(*keys, "due"):
        if isinstance(payload, str):
            payload = json.loads(payload)
        due = parse_datetime(str((payload or {}).get("due_at") or ""))
        if due is not None and due < end:
            rows[tuple(group)].overdue_open += 1


def _reports(keys: list[str], start: datetime, end: datetime, rows: Groups) -> None:
    made = Problem.objects.filter(reported_at__gte=start, reported_at__lt=end)
    for item in (
        made.order_by()
        .values(*keys)
        .annotate(n=Count("pk"), invalid=Count("pk", filter=_dropped_by(end)))
    ):
        row = rows[tuple(item[k] for k in keys)]
        row.reports += item["n"]
        row.valid_reports += item["n"] - item["invalid"]


def _points(keys: list[str], start: datetime, end: datetime, rows: Groups) -> None:
    lost = Problem.objects.filter(
        reported_at__gte=start, reported_at__lt=end, points_lost__gt=0
    ).exclude(status=S.VOIDED)
    for item in lost.order_by().values(*keys).annotate(points=Sum("points_lost")):
        rows[tuple(item[k] for k in keys)].points_lost += item["points"] or Decimal(0)


def _inspections(start: datetime, end: datetime, rows: dict[Any, Row]) -> None:
    for unit_id, (obtained, possible) in providers.inspection_scores(start, end).items():
        row = rows[unit_id]
        row.score_obtained = (row.score_obtained or Decimal(0)) + Decimal(obtained)
        row.score_possible = (row.score_possible or Decimal(0)) + Decimal(possible)


def groups_needed(metrics: Iterable[str]) -> set[str]:
    wanted = set(metrics)
    if "registered_score" in wanted:
        wanted.add("registered")
    return {METRICS[m].group for m in wanted if m in METRICS}


def compute_rows_for(
    dimensions: Iterable[str],
    start: datetime,
    end: datetime,
    metrics: Iterable[str] | None = None,
) -> dict[str, dict[int, Row]]:
    """Raw counts per object of each dimension for ``[start, end)``, with one query per
    metric group for all dimensions together (grouped by the tuple of their fields), rolled
    up to ancestors for units and grids. ``metrics`` limits the work to what they need."""
    dims = list(dict.fromkeys(dimensions))
    keys = list(dict.fromkeys(DIMENSIONS[d][0] for d in dims))
    groups = groups_needed(metrics if metrics is not None else METRICS)
    if groups & {"closure", "events"}:
        groups.add("cohort")
    rows: Groups = defaultdict(Row)
    if "cohort" in groups:
        _cohort(keys, start, end, rows, closure="closure" in groups)
    if "events" in groups:
        _events(keys, start, end, rows)
    if "overdue" in groups:
        _overdue(keys, end, rows)
    if "reports" in groups:
        _reports(keys, start, end, rows)
    if "points" in groups:
        _points(keys, start, end, rows)
    result: dict[str, dict[int, Row]] = {}
    for dim in dims:
        field, rollup = DIMENSIONS[dim]
        index = keys.index(field)
        own: dict[Any, Row] = defaultdict(Row)
        for combo, row in rows.items():
            own[combo[index]].add(row)
        if "inspections" in groups and dim == "unit":
            _inspections(start, end, own)
        own.pop(None, None)
        result[dim] = dict(_roll_up(dim, own) if rollup else own)
    return result


def compute_rows(
    dimension: str, start: datetime, end: datetime, metrics: Iterable[str] | None = None
) -> dict[int, Row]:
    return compute_rows_for([dimension], start, end, metrics)[dimension]


def _roll_up(dimension: str, rows: dict[Any, Row]) -> dict[Any, Row]:
    model: Any = OrgUnit if dimension == "unit" else Grid
    paths = dict(model.objects.values_list("pk", "path"))
    total: dict[Any, Row] = defaultdict(Row)
    for pk, row in rows.items():
        for ancestor in (int(p) for p in paths.get(pk, "").strip("/").split("/") if p):
            total[ancestor].add(row)
    return total


def compute_metrics(
    dimension: str, start: datetime, end: datetime, metrics: Iterable[str] | None = None
) -> dict[int, dict[str, float | int | None]]:
    """Metric values per object (see ``METRICS`` for the definitions)."""
    return {pk: row.values() for pk, row in compute_rows(dimension, start, end, metrics).items()}


def compute_metrics_for(
    dimensions: Iterable[str],
    start: datetime,
    end: datetime,
    metrics: Iterable[str] | None = None,
) -> dict[str, dict[int, dict[str, float | int | None]]]:
    """``compute_metrics`` for several dimensions with shared queries."""
    return {
        dim: {pk: row.values() for pk, row in rows.items()}
        for dim, rows in compute_rows_for(dimensions, start, end, metrics).items()
    }


@dataclass(frozen=True)
class PointsLine:
    unit_id: int
    work_line_id: int | None
    check_item_id: int | None
    problems: int
    points: Decimal


def points_lost_lines(
    start: datetime, end: datetime, unit_ids: Iterable[int] | None = None
) -> list[PointsLine]:
    """Who lost how many points on which items: points and problems per (unit, work line,
    check item) for problems found in ``[start, end)``, most points first."""
    qs = Problem.objects.filter(
        reported_at__gte=start, reported_at__lt=end, points_lost__gt=0
    ).exclude(status=S.VOIDED)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    grouped = (
        qs.order_by()
        .values("unit_id", "work_line_id", "check_item_id")
        .annotate(n=Count("pk"), points=Sum("points_lost"))
        .order_by("-points", "unit_id", "check_item_id")
    )
    return [
        PointsLine(g["unit_id"], g["work_line_id"], g["check_item_id"], g["n"], g["points"])
        for g in grouped
    ]


def overdue_beyond(now: datetime, days: int) -> dict[int, int]:
    """Unit id → problems dispatched and overdue by more than ``days`` days at ``now``."""
    late = Problem.objects.filter(status=S.DISPATCHED, due_at__lt=now - timedelta(days=days))
    return {g["unit_id"]: g["n"] for g in late.order_by().values("unit_id").annotate(n=Count("pk"))}


# Ranked objects ------------------------------------------------------------------------

KIND_DIMENSION = {
    "street": "unit",
    "community": "unit",
    "department": "department",
    "grid": "grid",
    "road": "site",
    "site": "site",
    "reporter": "reporter",
}


@dataclass(frozen=True)
class RankedObject:
    pk: int
    name: str
    parent_name: str


def ranked_objects(kind: str) -> list[RankedObject]:
    """Every object of ``kind`` that takes part in a ranking (active ones)."""
    from chuangwei.accounts.models import User
    from chuangwei.org.choices import OrgUnitKind
    from chuangwei.places.models import Site

    from .choices import ROAD_SITE_TYPES

    rows: Iterable[tuple[Any, ...]]
    if kind in ("street", "community", "department"):
        kinds = {
            "street": (OrgUnitKind.STREET, OrgUnitKind.TOWN),
            "community": (OrgUnitKind.COMMUNITY, OrgUnitKind.VILLAGE),
            "department": (OrgUnitKind.DEPARTMENT,),
        }[kind]
        rows = OrgUnit.objects.filter(kind__in=kinds, is_active=True).values_list(
            "pk", "name", "parent__name"
        )
    elif kind == "grid":
        deepest = Grid.objects.order_by("-depth").values_list("depth", flat=True).first()
        rows = Grid.objects.filter(depth=deepest or 0).values_list("pk", "name", "unit__name")
    elif kind in ("road", "site"):
        sites = Site.objects.filter(problems__isnull=False).distinct()
        sites = (
            sites.filter(site_type__code__in=ROAD_SITE_TYPES)
            if kind == "road"
            else sites.exclude(site_type__code__in=ROAD_SITE_TYPES)
        )
        rows = sites.values_list("pk", "name", "unit__name")
    elif kind == "reporter":
        users = User.objects.filter(reported_problems__isnull=False).distinct()
        rows = (
            (pk, name or username, "")
            for pk, username, name in users.values_list("pk", "username", "display_name")
        )
    else:
        raise KeyError(kind)
    return [RankedObject(int(r[0]), str(r[1]), str(r[2] or "")) for r in rows]


def kinds_of_metric() -> dict[str, str]:
    return {key: m.kind for key, m in METRICS.items()}


# Accountability candidates ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    unit_id: int
    name: str
    rule: str
    detail: str
    suggested_kind: str
    snapshot_id: int | None = None


def bottom_twice_candidates(bottom: int = 3) -> list[Candidate]:
    """Objects (streets, communities, departments) in the bottom ``bottom`` of the last two
    published snapshots of the same scheme and period kind (连续两期排名末位)."""
    from .models import RankingEntry, RankingSnapshot

    found: dict[int, Candidate] = {}
    pairs: dict[tuple[int, str], list[RankingSnapshot]] = defaultdict(list)
    published = RankingSnapshot.objects.filter(
        status="published", object_kind__in=("street", "community", "department")
    ).order_by("-start", "-id")
    for snap in published:
        pair = pairs[(snap.scheme_id, snap.period_kind)]
        if len(pair) < 2:
            pair.append(snap)
    for pair in pairs.values():
        if len(pair) < 2:
            continue
        tails = []
        for snap in pair:
            ranked = RankingEntry.objects.filter(snapshot=snap, rank__isnull=False)
            last = ranked.order_by("-rank").values_list("rank", flat=True).first() or 0
            tails.append(
                dict(ranked.filter(rank__gt=last - bottom).values_list("object_id", "name"))
            )
        for pk in tails[0].keys() & tails[1].keys():
            found.setdefault(
                int(pk),
                Candidate(
                    int(pk),
                    tails[0][pk],
                    "bottom_twice",
                    f"{pair[1].label} / {pair[0].label}",
                    "interview",
                    pair[0].pk,
                ),
            )
    return list(found.values())


def overdue_candidates(now: datetime, count: int = 5, days: int = 3) -> list[Candidate]:
    """Units with at least ``count`` problems overdue by more than ``days`` days."""
    late = overdue_beyond(now, days)
    names = dict(OrgUnit.objects.filter(pk__in=list(late)).values_list("pk", "name"))
    return [
        Candidate(pk, names.get(pk, "?"), "overdue", f"{n} > {days}d", "rectify")
        for pk, n in sorted(late.items(), key=lambda kv: -kv[1])
        if n >= count
    ]


def red_black_of(snapshot: RankingSnapshot) -> tuple[list[RankingEntry], list[RankingEntry]]:
    """The red list (top N) and black list (bottom N) of a snapshot; N is the scheme's list
    size as used when the snapshot was computed.

    The red list skips objects that lost their eligibility for honours in the period's year
    (a veto event against their unit or a unit above it, ``readiness.selectors``), also in a
    list published before the event: the ranks stay as computed, the honour does not. The
    black list is unaffected."""
    size = int(snapshot.settings_used.get("list_size") or 3)
    ranked = snapshot.entries.filter(rank__isnull=False)
    barred = ineligible_objects(snapshot)
    red_rows = ranked.exclude(object_id__in=barred) if barred else ranked
    red = list(red_rows.order_by("rank", "name")[:size])
    black = list(ranked.order_by("-rank", "-score", "name")[:size])
    return red, black


# Ranked kinds whose objects are org units (their ids are unit ids).
UNIT_KINDS = {ObjectKind.STREET, ObjectKind.COMMUNITY, ObjectKind.DEPARTMENT}


def ineligible_objects(snapshot: RankingSnapshot) -> set[int]:
    """Ids of the snapshot's objects that may not be honoured in its year: org units below a
    veto event's unit, and the grids and sites of those units."""
    units = ineligible_unit_ids(snapshot.start.year)
    if not units:
        return set()
    kind = snapshot.object_kind
    if kind == ObjectKind.GRID:
        return set(Grid.objects.filter(unit_id__in=units).values_list("pk", flat=True))
    if kind == ObjectKind.SITE:
        return set(Site.objects.filter(unit_id__in=units).values_list("pk", flat=True))
    if kind in UNIT_KINDS:
        return set(units)
    return set()


def latest_published(*, ending_by: date | None = None) -> list[RankingSnapshot]:
    """The newest published snapshot of each kind (ending on or before ``ending_by``), in the
    order of ``ObjectKind``."""
    rows = RankingSnapshot.objects.filter(status=SnapshotStatus.PUBLISHED)
    if ending_by is not None:
        rows = rows.filter(end__lte=ending_by)
    newest: dict[str, RankingSnapshot] = {}
    for snapshot in rows.order_by("-end", "-published_at"):
        newest.setdefault(snapshot.object_kind, snapshot)
    return [newest[kind] for kind in ObjectKind.values if kind in newest]
