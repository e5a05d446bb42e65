"""Office pages: tasks, score sheets (editor, Excel), results, sampling, projection, patrols."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.core.errors import DomainError
from chuangwei.core.tables import Column
from chuangwei.core.views import ObjectListView, domain_error_message
from chuangwei.lib.excel import write_xlsx
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Site, SiteType

from . import permissions, projection, selectors, services
from .choices import (
    RESULT_STATUS_COLORS,
    SHEET_STATUS_COLORS,
    TASK_STATUS_COLORS,
    ResultStatus,
    ScoringMode,
)
from .filters import InspectionTaskFilter, ScoreSheetFilter
from .forms import ScoreSheetForm, SheetImportForm, SheetItemForm, TaskForm, parse_band_text
from .models import InspectionTask, SamplingDraw, ScoreSheet, SheetItem, SiteResult
from .sheet_excel import ScoreSheetImporter, export_sheet, import_sheet_file

PRESETS = Path(__file__).resolve().parent / "data" / "sampling_presets.json"


def _require_planner(request: HttpRequest) -> None:
    if not permissions.is_planner(request.user):
        raise PermissionDenied


# Tasks ------------------------------------------------------------------------------------


class TaskListView(ObjectListView):
    model = InspectionTask
    title = gettext_lazy("Inspection tasks")
    filterset_class = InspectionTaskFilter
    url_names = {"detail": "inspections:task_detail", "create": "inspections:task_create"}
    columns = (
        Column("code", gettext_lazy("Code"), link=True),
        Column("name", gettext_lazy("Name")),
        Column("kind", gettext_lazy("Kind"), kind="badge"),
        Column("planned_date", gettext_lazy("Date"), kind="date"),
        Column("status", gettext_lazy("Status"), kind="badge", colors=TASK_STATUS_COLORS),
        Column("site_count", gettext_lazy("Sites"), kind="number"),
        Column("done_count", gettext_lazy("Scored"), kind="number"),
    )

    def get_queryset(self) -> Any:
        from django.db.models import Q

        return (
            super()
            .get_queryset()
            .annotate(
                site_count=Count("results", distinct=True),
                done_count=Count("results", filter=Q(results__status="done"), distinct=True),
            )
            .order_by("-planned_date", "-id")
        )

    def can_edit(self) -> bool:
        return permissions.is_planner(self.request.user)


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    _require_planner(request)
    initial: dict[str, Any] = {"planned_date": timezone.localdate(), "kind": "mock_covert"}
    if request.GET.get("draw"):
        initial["draw"] = request.GET["draw"]
    form = TaskForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                name=data["name"],
                kind=data["kind"],
                planned_date=data["planned_date"],
                sites=form.chosen_sites(),
                team=list(data["team"]),
                scope_units=list(data["scope_units"]),
                scope_grids=list(data["scope_grids"]),
                sheet=data["sheet"],
                draw=data["draw"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as exc:
            error = domain_error_message(exc)
        else:
            messages.success(request, _("Inspection planned."))
            return redirect("inspections:task_detail", pk=task.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "inspections/task_form.html",
        {"title": _("Plan an inspection"), "form": form, "error": error},
        status=status,
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = permissions.access_task(request.user, pk)
    results = task.results.select_related(
        "site", "site__unit", "site__site_type", "sheet"
    ).order_by("sort_order", "id")
    visible = (
        results.visible_to(request.user) if not permissions.in_team(request.user, task) else results
    )
    return render(
        request,
        "inspections/task_detail.html",
        {
            "title": str(task),
            "task": task,
            "results": visible,
            # Summaries count finished results only: a planned site has no score yet.
            "units": selectors.unit_totals(visible.filter(status=ResultStatus.DONE)),
            "parts": selectors.part_totals(visible.filter(status=ResultStatus.DONE)),
            "problems": selectors.task_problems(task, visible),
            "can_score": permissions.can_score(request.user, task),
            "can_review": permissions.is_planner(request.user) and task.status == "submitted",
            "status_colors": TASK_STATUS_COLORS,
            "result_colors": RESULT_STATUS_COLORS,
        },
    )


@login_required
@require_POST
def task_submit(request: HttpRequest, pk: int) -> HttpResponse:
    task = permissions.access_task(request.user, pk)
    try:
        services.submit_task(task, by=request.user)
        messages.success(request, _("Inspection submitted."))
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    if request.POST.get("from") == "mobile":
        return redirect("inspections:task_score", pk=pk)
    return redirect("inspections:task_detail", pk=pk)


@login_required
@require_POST
def task_review(request: HttpRequest, pk: int) -> HttpResponse:
    task = permissions.access_task(request.user, pk)
    try:
        services.review_task(task, by=request.user)
        messages.success(request, _("Inspection reviewed."))
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    return redirect("inspections:task_detail", pk=pk)


# Score sheets --------------------------------------------------------------------------


class SheetListView(ObjectListView):
    model = ScoreSheet
    queryset = ScoreSheet.objects.select_related("site_type")
    title = gettext_lazy("Score sheets")
    filterset_class = ScoreSheetFilter
    url_names = {"detail": "inspections:sheet_detail", "create": "inspections:sheet_create"}
    columns = (
        Column("code", gettext_lazy("Code"), link=True),
        Column("name", gettext_lazy("Name")),
        Column("version", gettext_lazy("Version"), kind="number"),
        Column("site_type", gettext_lazy("Site type")),
        Column("national_part", gettext_lazy("National sheet part")),
        Column("status", gettext_lazy("Status"), kind="badge", colors=SHEET_STATUS_COLORS),
    )


def _sheet_lines(sheet: ScoreSheet) -> list[dict[str, Any]]:
    items = list(sheet.items.select_related("category", "check_item"))
    depth: dict[int, int] = {}
    for item in items:
        depth[item.pk] = depth.get(item.parent_id or 0, -1) + 1 if item.parent_id else 0
    return [{"item": i, "depth": depth[i.pk], "indent": depth[i.pk] * 1.25} for i in items]


@login_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(ScoreSheet.objects.select_related("site_type"), pk=pk)
    if request.GET.get("export") == "xlsx":
        return FileResponse(
            export_sheet(sheet),
            as_attachment=True,
            filename=f"{sheet.name}_v{sheet.version}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    if request.GET.get("template") == "xlsx":
        return FileResponse(
            ScoreSheetImporter(sheet).template(),
            as_attachment=True,
            filename=_("Score sheet template %(name)s.xlsx") % {"name": sheet.name},
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    can_edit = permissions.is_planner(request.user)
    in_use = services.sheet_in_use(sheet)
    total = sum((i.points for i in services.scored_items(sheet)), start=0)
    return render(
        request,
        "inspections/sheet_detail.html",
        {
            "title": str(sheet),
            "sheet": sheet,
            "lines": _sheet_lines(sheet),
            "total": total,
            "in_use": in_use,
            "can_edit": can_edit and not in_use,
            "can_version": can_edit,
            "item_form": SheetItemForm(sheet=sheet) if can_edit and not in_use else None,
            "import_form": SheetImportForm() if can_edit else None,
            "versions": ScoreSheet.objects.filter(code=sheet.code).order_by("-version"),
            "status_colors": SHEET_STATUS_COLORS,
        },
    )


@login_required
def sheet_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_planner(request)
    sheet = get_object_or_404(ScoreSheet, pk=pk) if pk else None
    form = ScoreSheetForm(request.POST or None, instance=sheet, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_sheet(form.instance, by=request.user)
        except DomainError as exc:
            form.add_error(None, domain_error_message(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("inspections:sheet_detail", pk=saved.pk)
    return render(
        request,
        "core/object_form.html",
        {
            "title": _("Edit %(name)s") % {"name": sheet} if sheet else _("New score sheet"),
            "form": form,
            "cancel_url": "",
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def sheet_item_save(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    _require_planner(request)
    sheet = get_object_or_404(ScoreSheet, pk=pk)
    item = (
        get_object_or_404(SheetItem, pk=item_pk, sheet=sheet) if item_pk else SheetItem(sheet=sheet)
    )
    form = SheetItemForm(request.POST or None, instance=item, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        obj = form.instance
        obj.bands = parse_band_text(form.cleaned_data.get("bands_text") or "")
        try:
            services.save_sheet_item(obj, by=request.user)
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("inspections:sheet_detail", pk=sheet.pk)
    elif request.method == "POST":
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    if request.method == "POST":
        return redirect("inspections:sheet_detail", pk=sheet.pk)
    return render(
        request,
        "core/object_form.html",
        {"title": _("Edit %(name)s") % {"name": item}, "form": form, "cancel_url": ""},
    )


@login_required
@require_POST
def sheet_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    _require_planner(request)
    item = get_object_or_404(SheetItem, pk=item_pk, sheet_id=pk)
    try:
        services.delete_sheet_item(item, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    return redirect("inspections:sheet_detail", pk=pk)


@login_required
@require_POST
def sheet_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_planner(request)
    sheet = get_object_or_404(ScoreSheet, pk=pk)
    try:
        if action == "publish":
            services.publish_sheet(sheet, by=request.user)
            messages.success(request, _("The sheet is now in use."))
        elif action == "version":
            sheet = services.new_sheet_version(sheet, by=request.user)
            messages.success(request, _("New draft version created."))
        elif action == "import":
            form = SheetImportForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, _("Choose an Excel file."))
            else:
                upload = form.cleaned_data["file"]
                sheet = import_sheet_file(
                    sheet,
                    upload,
                    upload.name,
                    by=request.user,
                    ignore_unknown=form.cleaned_data["ignore_unknown"],
                )
                messages.success(request, _("Imported as a new draft version."))
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    return redirect("inspections:sheet_detail", pk=sheet.pk)


# Results ---------------------------------------------------------------------------------


def _period(request: HttpRequest, default_days: int = 90) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - timedelta(days=default_days)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, end


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def results(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    rows = (
        SiteResult.objects.visible_to(request.user)
        .finished()
        .filter(scored_at__gte=_aware(start), scored_at__lt=_aware(end + timedelta(days=1)))
        .with_list_related()
    )
    kind = request.GET.get("kind", "")
    if kind:
        rows = rows.filter(task__kind=kind)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("Task"),
            _("Date"),
            _("Site"),
            _("Site type"),
            _("Unit"),
            _("Points obtained"),
            _("Points possible"),
            _("Points lost"),
        ]
        data = (
            [
                r.task.code,
                r.task.planned_date,
                r.site.name,
                str(r.site.site_type),
                r.site.unit.name,
                float(r.obtained),
                float(r.possible),
                float(r.lost),
            ]
            for r in rows.order_by("-scored_at")
        )
        name = _("Inspection results")
        stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
        return FileResponse(
            write_xlsx(headers, data, sheet_title=name),
            as_attachment=True,
            filename=f"{name}_{stamp}.xlsx",
        )
    from .choices import InspectionKind

    return render(
        request,
        "inspections/results.html",
        {
            "title": _("Inspection results"),
            "rows": rows.order_by("-scored_at", "-id")[:200],
            "total": rows.count(),
            "units": selectors.unit_totals(rows),
            "parts": selectors.part_totals(rows),
            "items": selectors.top_item_losses(rows),
            "start": start,
            "end": end,
            "kind": kind,
            "kinds": InspectionKind.choices,
        },
    )


@login_required
def projection_page(request: HttpRequest) -> HttpResponse:
    try:
        days = max(7, min(365, int(request.GET.get("days", 90))))
    except ValueError:
        days = 90
    now = timezone.now()
    parts, observations, latest = selectors.projection_inputs(days=days, now=now, user=request.user)
    result = (
        projection.project_score(parts, observations, seed=int(now.date().toordinal()))
        if parts
        else None
    )
    return render(
        request,
        "inspections/projection.html",
        {
            "title": _("Projected score"),
            "result": result,
            "days": days,
            "units": selectors.unit_totals(latest)[:10],
            "items": selectors.top_item_losses(latest),
            "chart": {
                "parts": [p.title for p in result.parts],
                "expected": [float(p.expected) for p in result.parts],
                "lost": [float(p.lost) for p in result.parts],
            }
            if result
            else None,
        },
    )


# Sampling ------------------------------------------------------------------------------------


def _presets() -> list[dict[str, Any]]:
    return list(json.loads(PRESETS.read_text(encoding="utf-8"))["presets"])


@login_required
def sampling_page(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_draws(request.user):
        raise PermissionDenied
    districts = list(
        OrgUnit.objects.filter(kind__in=[OrgUnitKind.DISTRICT, OrgUnitKind.ZONE]).order_by("path")
    )
    types = list(SiteType.objects.all())
    presets = _presets()
    preset = next((p for p in presets if p["code"] == request.GET.get("preset")), None)
    from .sampling import spread_quota

    values: dict[tuple[str, int], int] = {}
    if preset:
        for code, total in preset["quotas"].items():
            for district, n in spread_quota(total, [d.pk for d in districts]).items():
                values[(code, district)] = n
    error = ""
    if request.method == "POST":
        _require_planner(request)
        quotas: dict[tuple[str, int], int] = {}
        try:
            for t in types:
                for d in districts:
                    raw = request.POST.get(f"q_{t.code}_{d.pk}", "").strip()
                    if raw:
                        quotas[(t.code, d.pk)] = int(raw)
            seed_raw = request.POST.get("seed", "").strip()
            days_raw = request.POST.get("exclude_days", "").strip()
            draw = services.draw_sample(
                name=request.POST.get("name", ""),
                quotas=quotas,
                seed=int(seed_raw) if seed_raw else None,
                exclude_days=int(days_raw) if days_raw else None,
                by=request.user,
            )
        except ValueError:
            error = _("Quotas, seed and days must be whole numbers.")
        except DomainError as exc:
            error = domain_error_message(exc)
        else:
            return redirect("inspections:draw_detail", pk=draw.pk)
        values = quotas
    grid = [
        {
            "type": t,
            "cells": [
                {"name": f"q_{t.code}_{d.pk}", "value": values.get((t.code, d.pk), "")}
                for d in districts
            ],
        }
        for t in types
    ]
    return render(
        request,
        "inspections/sampling.html",
        {
            "title": _("Sampling"),
            "districts": districts,
            "grid": grid,
            "presets": presets,
            "preset": preset,
            "error": error,
            "can_draw": permissions.is_planner(request.user),
            "draws": SamplingDraw.objects.all()[:10],
        },
        status=422 if error else 200,
    )


def _shortfall_rows(shortfalls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (site type, district) with names, not codes: "主干道 · 市中区 0/1"."""
    type_names = dict(SiteType.objects.values_list("code", "name"))
    district_ids = {s.get("district") for s in shortfalls}
    district_names = dict(OrgUnit.objects.filter(pk__in=district_ids).values_list("pk", "name"))
    rows: dict[tuple[Any, Any], dict[str, Any]] = {}
    for s in shortfalls:
        key = (s.get("site_type"), s.get("district"))
        if key in rows:
            continue
        rows[key] = {
            "site_type": type_names.get(key[0], key[0]),
            "district": district_names.get(key[1], "--"),
            "wanted": s.get("wanted"),
            "found": s.get("found"),
        }
    return list(rows.values())


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_see_draws(request.user):
        raise PermissionDenied
    draw = get_object_or_404(SamplingDraw, pk=pk)
    sites = list(
        Site.objects.filter(pk__in=draw.site_ids)
        .select_related("site_type", "unit", "grid")
        .order_by("unit__path", "site_type__sort_order", "code")
    )
    if request.GET.get("export") == "xlsx":
        headers = [
            _("No."),
            _("Site"),
            _("Site type"),
            _("Unit"),
            _("Grid"),
            _("Address"),
            _("Longitude"),
            _("Latitude"),
        ]
        data = [
            [
                n,
                s.name,
                str(s.site_type),
                s.unit.name,
                s.grid.code if s.grid else "",
                s.address,
                s.lng,
                s.lat,
            ]
            for n, s in enumerate(sites, 1)
        ]
        return FileResponse(
            write_xlsx(headers, data, sheet_title=draw.code),
            as_attachment=True,
            filename=f"{draw.code}.xlsx",
        )
    return render(
        request,
        "inspections/draw_detail.html",
        {
            "title": str(draw),
            "draw": draw,
            "sites": sites,
            "shortfalls": _shortfall_rows(draw.shortfalls or []),
            "can_plan": permissions.is_planner(request.user),
        },
    )


# Patrol coverage -------------------------------------------------------------------------------


@login_required
def patrol_coverage(request: HttpRequest) -> HttpResponse:
    try:
        span = max(1, min(31, int(request.GET.get("days", 7))))
    except ValueError:
        span = 7
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(span - 1, -1, -1)]
    scope = request.user.scope  # type: ignore[union-attr]
    rows = selectors.patrol_coverage(
        days=days,
        start=_aware(days[0]),
        end=_aware(today + timedelta(days=1)),
        unit_q=None if scope.everything else scope.q("unit"),
    )
    try:
        thin = float(request.GET.get("thin", 0.5))
    except ValueError:
        thin = 0.5
    return render(
        request,
        "inspections/patrol_coverage.html",
        {
            "title": _("Patrol coverage"),
            "rows": rows,
            "days": days,
            "span": span,
            "thin": thin,
            "idle": sum(1 for r in rows if r.checkins == 0),
            "thin_count": sum(1 for r in rows if 0 < r.mean_share < thin),
            # The check-in page is the grid workers' (patrol_checkin refuses anyone else).
            "can_check_in": permissions.can_patrol(request.user),
        },
    )


# Scoring helpers shared with the mobile views --------------------------------------------------


def item_lines(result: SiteResult) -> list[dict[str, Any]]:
    """The sheet's lines with what this result holds for each (for the scoring page)."""
    deductions: dict[int, list[Any]] = {}
    for d in result.deductions.select_related("problem").order_by("found_at", "id"):
        deductions.setdefault(d.item_id, []).append(d)
    scores = {s.item_id: s for s in result.scores.all()}
    lines = []
    for line in _sheet_lines(result.sheet):
        item = line["item"]
        found = deductions.get(item.pk, [])
        lost = sum((d.points for d in found), start=0)
        lines.append(
            {
                **line,
                "is_group": item.mode == ScoringMode.GROUP,
                "is_band": item.mode == ScoringMode.BAND,
                "deductions": found,
                "lost": lost,
                "remaining": item.points - lost,
                "score": scores.get(item.pk),
            }
        )
    return lines
