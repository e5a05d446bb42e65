"""Pages: metrics, snapshots, red/black lists, points lost, accountability and schemes.

Views stay thin: numbers come from ``selectors``, writes go through ``services``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.accounts.permissions import can_manage_config, is_office
from chuangwei.core.errors import DomainError
from chuangwei.core.tables import Column
from chuangwei.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    domain_error_message,
)
from chuangwei.lib.excel import write_xlsx
from chuangwei.org.models import OrgUnit, WorkLine
from chuangwei.problems.models import Problem
from chuangwei.standards.models import StandardClause

from . import selectors, services
from .choices import (
    MEASURE_COLORS,
    RECORD_STATUS_COLORS,
    SNAPSHOT_STATUS_COLORS,
    ObjectKind,
    SnapshotStatus,
)
from .filters import AccountabilityFilter, SchemeFilter, SnapshotFilter
from .forms import (
    AccountabilityForm,
    ComputeForm,
    MetricsForm,
    PointsForm,
    RedBlackForm,
    SchemeForm,
)
from .models import AccountabilityRecord, RankingScheme, RankingSnapshot
from .periods import Period
from .presets import PRESETS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_DATA = "—"
# Metrics shown on the metrics page and in snapshot tables, in order.
TABLE_METRICS = [
    "registered",
    "closed",
    "closure_rate",
    "on_time_rate",
    "rework_rate",
    "overdue_open",
    "recurrence_rate",
    "public_report_rate",
    "valid_report_rate",
    "avg_handling_hours",
    "inspection_score_rate",
    "points_lost",
]


def fmt(key: str, value: Any) -> str:
    """A metric value as shown: rates in per cent, "—" where undefined."""
    if value is None:
        return NO_DATA
    kind = selectors.METRICS[key].kind if key in selectors.METRICS else "count"
    if kind in ("rate", "negrate"):
        return f"{float(value) * 100:.1f}%"
    if kind == "points":
        return f"{Decimal(str(value)):.1f}"
    if kind == "hours":
        return f"{float(value):.1f}"
    return str(value)


def points_text(value: Decimal) -> str:
    """Points without trailing zeros, the same on every database (3.50 → 3.5, 2.00 → 2)."""
    text = format(Decimal(value).quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def export_value(key: str, value: Any) -> Any:
    """A metric value for Excel: numbers stay numbers (rates in per cent), "—" if undefined."""
    if value is None:
        return NO_DATA
    kind = selectors.METRICS[key].kind if key in selectors.METRICS else "count"
    if kind in ("rate", "negrate"):
        return round(float(value) * 100, 2)
    return value


def _xlsx(name: str, headers: list[str], rows: list[list[Any]]) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
    return FileResponse(
        write_xlsx(headers, rows, sheet_title=name[:31]),
        as_attachment=True,
        filename=f"{name}_{stamp}.xlsx",
        content_type=XLSX,
    )


def _export_requested(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def _metric_heads(keys: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "key": k,
            "label": selectors.METRICS[k].label,
            "definition": selectors.METRICS[k].definition,
        }
        for k in keys
    ]


DRILL_PARAM = {
    "street": "unit",
    "community": "unit",
    "unit": "unit",
    "department": "department",
    "grid": "grid",
}


def drill_url(kind: str, pk: int, period: Period) -> str:
    """The ledger filtered to the object's problems reported in the period ("" when the
    ledger has no filter for this kind of object)."""
    param = DRILL_PARAM.get(kind)
    if param is None:
        return ""
    query = urlencode(
        {
            param: pk,
            "reported_after": period.start.isoformat(),
            "reported_before": period.end.isoformat(),
        }
    )
    return f"{reverse('problems:problem_list')}?{query}"


def _objects_for(dimension: str) -> list[selectors.RankedObject]:
    if dimension == "work_line":
        return [
            selectors.RankedObject(pk, name, "")
            for pk, name in WorkLine.objects.values_list("pk", "name")
        ]
    return selectors.ranked_objects(dimension)


@login_required
def metrics_page(request: HttpRequest) -> HttpResponse:
    """Every metric for every object of a kind for a period, definitions next to them."""
    form = MetricsForm(request.GET or None)
    period = form.get_period()
    dimension = (
        form.cleaned_data.get("dimension") if form.is_bound and form.is_valid() else ""
    ) or "street"
    engine_dim = "unit" if dimension in ("street", "community") else dimension
    values = selectors.compute_metrics(engine_dim, period.start_at, period.end_at)
    rows = []
    for obj in _objects_for(dimension):
        vals = values.get(obj.pk, {})
        rows.append(
            {
                "obj": obj,
                "url": drill_url(dimension, obj.pk, period),
                "values": vals,
                "cells": [fmt(k, vals.get(k)) for k in TABLE_METRICS],
            }
        )
    rows.sort(key=lambda r: (-(r["values"].get("registered") or 0), r["obj"].name))
    heads = _metric_heads(TABLE_METRICS)
    if _export_requested(request):
        return _xlsx(
            _("Metrics") + " " + period.label,
            [str(_("Name")), str(_("Belongs to"))] + [str(h["label"]) for h in heads],
            [
                [r["obj"].name, r["obj"].parent_name]
                + [export_value(k, r["values"].get(k)) for k in TABLE_METRICS]
                for r in rows
            ],
        )
    return render(
        request,
        "rankings/metrics.html",
        {
            "title": _("Metrics"),
            "form": form,
            "period": period,
            "heads": heads,
            "rows": rows,
            "glossary": list(selectors.METRICS.values()),
        },
    )


# Snapshots ---------------------------------------------------------------------------


class SnapshotListView(ObjectListView):
    model = RankingSnapshot
    queryset = RankingSnapshot.objects.select_related("scheme")
    template_name = "rankings/snapshot_list.html"
    filterset_class = SnapshotFilter
    title = gettext_lazy("Ranking snapshots")
    url_names = {"list": "rankings:snapshot_list", "detail": "rankings:snapshot_detail"}
    columns = (
        Column("label", gettext_lazy("Period"), link=True),
        Column("object_kind", gettext_lazy("Ranked objects"), kind="badge"),
        Column("scheme.name", gettext_lazy("Scheme")),
        Column("status", gettext_lazy("Status"), kind="badge", colors=SNAPSHOT_STATUS_COLORS),
        Column("computed_at", gettext_lazy("Computed at"), kind="datetime"),
        Column("published_at", gettext_lazy("Published at"), kind="datetime"),
    )

    def can_edit(self) -> bool:
        return is_office(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["compute_form"] = ComputeForm() if context["can_edit"] else None
        return context


@login_required
@require_POST
def snapshot_compute(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied
    form = ComputeForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors) or _("The data entered is not valid."))
        return HttpResponseRedirect(reverse("rankings:snapshot_list"))
    try:
        snapshot = services.compute_snapshot(
            form.cleaned_data["scheme"], form.get_period(), by=request.user
        )
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
        return HttpResponseRedirect(reverse("rankings:snapshot_list"))
    messages.success(request, _("The ranking was computed as a draft."))
    return HttpResponseRedirect(reverse("rankings:snapshot_detail", args=[snapshot.pk]))


def _entry_rows(snapshot: RankingSnapshot) -> list[Any]:
    return list(snapshot.entries.order_by(F("rank").asc(nulls_last=True), "name"))


@login_required
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(RankingSnapshot.objects.select_related("scheme"), pk=pk)
    entries = _entry_rows(snapshot)
    computed = set(snapshot.settings_used.get("metrics") or ["registered"])
    keys = [k for k in TABLE_METRICS if k in computed]
    weights = snapshot.settings_used.get("weights", {})
    if _export_requested(request):
        heads = [_("Rank"), _("Movement"), _("Name"), _("Belongs to"), _("Score"), _("Grade")]
        return _xlsx(
            f"{snapshot.label}{snapshot.get_object_kind_display()}",
            [str(h) for h in heads] + [str(selectors.METRICS[k].label) for k in keys],
            [
                [
                    e.rank,
                    e.movement,
                    e.name,
                    e.parent_name,
                    float(e.score) if e.score is not None else None,
                    e.grade,
                    *[export_value(k, e.metrics.get(k)) for k in keys],
                ]
                for e in entries
            ],
        )
    period = Period(snapshot.period_kind, snapshot.start, snapshot.end)
    rows = [
        {
            "entry": e,
            "url": drill_url(snapshot.object_kind, e.object_id, period),
            "cells": [fmt(k, e.metrics.get(k)) for k in keys],
        }
        for e in entries
    ]
    return render(
        request,
        "rankings/snapshot_detail.html",
        {
            "title": str(snapshot),
            "breadcrumbs": [(_("Ranking snapshots"), reverse("rankings:snapshot_list"))],
            "snapshot": snapshot,
            "rows": rows,
            "heads": _metric_heads(keys),
            "weights": [
                (
                    selectors.METRICS[k].label
                    if k in selectors.METRICS
                    else selectors.SCORE_ONLY[k],
                    w,
                )
                for k, w in weights.items()
            ],
            "can_publish": is_office(request.user) and not snapshot.is_published,
            "status_color": SNAPSHOT_STATUS_COLORS.get(snapshot.status, "secondary"),
        },
    )


@login_required
@require_POST
def snapshot_publish(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(RankingSnapshot, pk=pk)
    try:
        services.publish_snapshot(snapshot, by=request.user)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("The ranking is published and frozen."))
    return HttpResponseRedirect(reverse("rankings:snapshot_detail", args=[pk]))


@login_required
def redblack(request: HttpRequest) -> HttpResponse:
    """Red list (top N) and black list (bottom N) of a published snapshot, for projection."""
    form = RedBlackForm(request.GET or None)
    snapshot = None
    kind = ObjectKind.STREET
    if form.is_bound and form.is_valid():
        snapshot = form.cleaned_data.get("snapshot")
        kind = form.cleaned_data.get("kind") or kind
    if snapshot is None:
        snapshot = (
            RankingSnapshot.objects.filter(status=SnapshotStatus.PUBLISHED, object_kind=kind)
            .order_by("-start", "-published_at")
            .first()
        )
    red: list[Any] = []
    black: list[Any] = []
    if snapshot is not None:
        red, black = selectors.red_black_of(snapshot)
    if snapshot is not None and _export_requested(request):
        heads = [
            _("List"),
            _("Rank"),
            _("Name"),
            _("Belongs to"),
            _("Score"),
            _("Grade"),
            _("Movement"),
        ]
        return _xlsx(
            f"{_('Red and black lists')}{snapshot.label}",
            [str(h) for h in heads],
            [
                [
                    str(label),
                    e.rank,
                    e.name,
                    e.parent_name,
                    float(e.score or 0),
                    e.grade,
                    e.movement,
                ]
                for label, group in ((_("Red list"), red), (_("Black list"), black))
                for e in group
            ],
        )
    template = (
        "rankings/redblack_present.html" if request.GET.get("present") else "rankings/redblack.html"
    )
    return render(
        request,
        template,
        {
            "title": _("Red and black lists"),
            "form": form,
            "snapshot": snapshot,
            "red": red,
            "black": black,
            "kind": kind,
            "published": RankingSnapshot.objects.filter(status=SnapshotStatus.PUBLISHED).order_by(
                "-start", "object_kind"
            )[:30],
        },
    )


# Points lost ---------------------------------------------------------------------------


def _attribution(level: str) -> dict[int, OrgUnit]:
    """Unit id → the unit points are attributed to at ``level`` (street or community)."""
    units = list(OrgUnit.objects.only("pk", "path", "kind", "name"))
    by_id = {u.pk: u for u in units}
    if level == "unit":
        return by_id
    kinds = {"street": ("street", "town"), "community": ("community", "village")}[level]
    target: dict[int, OrgUnit] = {}
    for unit in units:
        for ancestor in (int(p) for p in unit.path.strip("/").split("/") if p):
            node = by_id.get(ancestor)
            if node is not None and node.kind in kinds:
                target[unit.pk] = node
                break
        else:
            target[unit.pk] = unit
    return target


@login_required
def points_lost(request: HttpRequest) -> HttpResponse:
    """Who lost how many points on which items, by period; drill down to the problems."""
    form = PointsForm(request.GET or None)
    period = form.get_period()
    level = (
        form.cleaned_data.get("level") if form.is_bound and form.is_valid() else ""
    ) or "street"
    lines = selectors.points_lost_lines(period.start_at, period.end_at)
    target = _attribution(level)
    merged: dict[tuple[int, int | None, int | None], list[Any]] = defaultdict(
        lambda: [0, Decimal(0)]
    )
    for ln in lines:
        owner = target.get(ln.unit_id)
        key = (owner.pk if owner else ln.unit_id, ln.work_line_id, ln.check_item_id)
        merged[key][0] += ln.problems
        merged[key][1] += ln.points
    items = dict(
        StandardClause.objects.filter(pk__in={k[2] for k in merged if k[2]}).values_list(
            "pk", "title"
        )
    )
    lines_names = dict(WorkLine.objects.values_list("pk", "name"))
    unit_names = {u.pk: u.name for u in target.values()}
    rows = []
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (unit_id, line_id, item_id), (n, points) in merged.items():
        totals[unit_id] += points
        rows.append(
            {
                "unit_id": unit_id,
                "unit": unit_names.get(unit_id, "?"),
                "work_line": lines_names.get(line_id, NO_DATA) if line_id else NO_DATA,
                "item": items.get(item_id, _("(no check item)"))
                if item_id
                else _("(no check item)"),
                "item_id": item_id or "",
                "problems": n,
                "points": points,
                "points_text": points_text(points),
            }
        )
    rows.sort(key=lambda r: (-totals[r["unit_id"]], r["unit"], -r["points"]))
    if _export_requested(request):
        heads = [_("Unit"), _("Work line"), _("Check item"), _("Problems"), _("Points lost")]
        return _xlsx(
            f"{_('Points lost')}{period.label}",
            [str(h) for h in heads],
            [
                [r["unit"], r["work_line"], str(r["item"]), r["problems"], float(r["points"])]
                for r in rows
            ],
        )
    summary = [
        (unit_names.get(k, "?"), points_text(v))
        for k, v in sorted(totals.items(), key=lambda kv: -kv[1])
    ]
    return render(
        request,
        "rankings/points_lost.html",
        {
            "title": _("Points lost"),
            "form": form,
            "period": period,
            "rows": rows,
            "summary": summary,
            "total": points_text(sum(totals.values(), Decimal(0))),
        },
    )


@login_required
def points_lost_problems(request: HttpRequest) -> HttpResponse:
    """The problems behind one line of the points-lost table."""
    form = PointsForm(request.GET or None)
    period: Period = form.get_period()
    unit = get_object_or_404(OrgUnit, pk=request.GET.get("unit") or 0)
    problems = (
        Problem.objects.visible_to(request.user)
        .filter(
            unit__path__startswith=unit.path,
            reported_at__gte=period.start_at,
            reported_at__lt=period.end_at,
            points_lost__gt=0,
        )
        .exclude(status="voided")
        .select_related("unit", "check_item", "work_line", "category")
        .order_by("-points_lost", "-reported_at")
    )
    item = request.GET.get("item")
    if item:
        problems = problems.filter(check_item_id=item)
    return render(
        request,
        "rankings/points_problems.html",
        {
            "title": _("Points lost: %(unit)s") % {"unit": unit.name},
            "breadcrumbs": [(_("Points lost"), reverse("rankings:points_lost"))],
            "period": period,
            "problems": problems[:500],
        },
    )


# Accountability ----------------------------------------------------------------------------

ACCOUNTABILITY_URLS = {
    "list": "rankings:accountability_list",
    "detail": "rankings:accountability_detail",
    "create": "rankings:accountability_create",
    "update": "rankings:accountability_update",
}


class OfficeWrites:
    request: HttpRequest

    def can_edit(self) -> bool:
        return is_office(self.request.user)

    def editable_queryset(self) -> Any:
        qs = AccountabilityRecord.objects.visible_to(self.request.user)
        return qs if self.can_edit() else qs.none()


class AccountabilityListView(OfficeWrites, ObjectListView):
    model = AccountabilityRecord
    queryset = AccountabilityRecord.objects.select_related("unit", "person")
    filterset_class = AccountabilityFilter
    template_name = "rankings/accountability_list.html"
    title = gettext_lazy("Accountability register")
    url_names = ACCOUNTABILITY_URLS
    export_name = gettext_lazy("Accountability register")
    columns = (
        Column("issued_on", gettext_lazy("Issued on"), kind="date"),
        Column("kind", gettext_lazy("Measure"), kind="badge", colors=MEASURE_COLORS, link=True),
        Column("unit.name", gettext_lazy("Target unit")),
        Column("person.name", gettext_lazy("Target person")),
        Column("reason", gettext_lazy("Reason"), truncate=40),
        Column("deadline", gettext_lazy("Rectify by"), kind="date"),
        Column("status", gettext_lazy("Status"), kind="badge", colors=RECORD_STATUS_COLORS),
    )


class AccountabilityDetailView(OfficeWrites, ObjectDetailView):
    model = AccountabilityRecord
    queryset = AccountabilityRecord.objects.select_related("unit", "person", "snapshot")
    template_name = "rankings/accountability_detail.html"
    url_names = ACCOUNTABILITY_URLS
    breadcrumbs = [(gettext_lazy("Accountability register"), "/rankings/accountability/")]
    fields = (
        Column("kind", gettext_lazy("Measure"), kind="badge", colors=MEASURE_COLORS),
        Column("unit.name", gettext_lazy("Target unit")),
        Column("person.name", gettext_lazy("Target person")),
        Column("issued_on", gettext_lazy("Issued on"), kind="date"),
        Column("deadline", gettext_lazy("Rectify by"), kind="date"),
        Column("status", gettext_lazy("Status"), kind="badge", colors=RECORD_STATUS_COLORS),
        Column("reason", gettext_lazy("Reason")),
        Column(
            "inspection_refs",
            gettext_lazy("Linked inspections"),
            getter=lambda r: "、".join(r.inspection_refs) or NO_DATA,
        ),
        Column("snapshot", gettext_lazy("Ranking snapshot")),
        Column("created_by", gettext_lazy("Recorded by")),
    )

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        return {"problems": obj.problems.visible_to(self.request.user).select_related("unit")[:200]}


class AccountabilityFormView(OfficeWrites, ObjectFormView):
    model = AccountabilityRecord
    form_class = AccountabilityForm
    url_names = ACCOUNTABILITY_URLS

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_initial()
        for name in ("unit", "kind", "snapshot", "reason"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    save_service = services.save_accountability_record

    def service_kwargs(self, form: Any) -> dict[str, Any]:
        data = form.cleaned_data
        return {"inspection_refs": data["inspection_refs"], "problems": data["problem_codes"]}


@login_required
def accountability_candidates(request: HttpRequest) -> HttpResponse:
    """Units the rules suggest for a measure: bottom 3 twice in a row, long-overdue problems."""
    if not is_office(request.user):
        raise PermissionDenied

    def number(name: str, default: int) -> int:
        try:
            return max(1, min(int(request.GET.get(name, default)), 999))
        except ValueError:
            return default

    bottom, count, days = number("bottom", 3), number("count", 5), number("days", 3)
    candidates = selectors.bottom_twice_candidates(bottom) + selectors.overdue_candidates(
        timezone.now(), count, days
    )
    return render(
        request,
        "rankings/candidates.html",
        {
            "title": _("Suggested accountability"),
            "breadcrumbs": [
                (_("Accountability register"), reverse("rankings:accountability_list"))
            ],
            "candidates": candidates,
            "bottom": bottom,
            "count": count,
            "days": days,
        },
    )


# Schemes ---------------------------------------------------------------------------------

SCHEME_URLS = {
    "list": "rankings:scheme_list",
    "detail": "rankings:scheme_update",
    "create": "rankings:scheme_create",
    "update": "rankings:scheme_update",
}


class SchemeListView(ObjectListView):
    model = RankingScheme
    filterset_class = SchemeFilter
    template_name = "rankings/scheme_list.html"
    title = gettext_lazy("Ranking schemes")
    url_names = SCHEME_URLS
    managers_only = True
    columns = (
        Column("name", gettext_lazy("Name"), link=True),
        Column("object_kind", gettext_lazy("Ranked objects"), kind="badge"),
        Column(
            "weights",
            gettext_lazy("Weights"),
            getter=lambda s: "；".join(
                f"{selectors.METRICS[k].label if k in selectors.METRICS else selectors.SCORE_ONLY.get(k, k)} {w}"
                for k, w in s.weights.items()
            ),
        ),
        Column("list_size", gettext_lazy("Red/black list size"), kind="number"),
        Column("is_default", gettext_lazy("Default"), kind="bool"),
    )


class SchemeFormView(ObjectFormView):
    model = RankingScheme
    form_class = SchemeForm
    url_names = SCHEME_URLS
    managers_only = True

    save_service = services.save_scheme


@login_required
@require_POST
def scheme_presets(request: HttpRequest) -> HttpResponse:
    """Create the default scheme of every kind that has none, from the reference presets."""
    if not can_manage_config(request.user):
        raise PermissionDenied
    made = 0
    for preset in PRESETS:
        if not RankingScheme.objects.filter(object_kind=preset["object_kind"]).exists():
            services.default_scheme(preset["object_kind"])
            made += 1
    messages.success(request, _("%(n)s preset schemes created.") % {"n": made})
    return HttpResponseRedirect(reverse("rankings:scheme_list"))
