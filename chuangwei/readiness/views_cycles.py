"""Readiness pages: evaluation cycles, their stages, a stage's list and its 回头看 rounds.

Every signed-in user reads cycles and stages (a stage's items only as far as they may see
the problems); the office creates and edits them, imports lists and opens rounds; the office
and inspectors walk a round on the phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import DomainError
from chuangwei.core.importing import TableImporter
from chuangwei.core.views import domain_error_message
from chuangwei.core.views_import import ImportView
from chuangwei.lib.excel import write_xlsx

from . import stages as selectors
from .choices import (
    RECHECK_OUTCOME_COLORS,
    STAGE_STATUS_COLORS,
    RecheckOutcome,
    StageStatus,
)
from .forms import CycleForm, RecheckResultForm, RecheckRoundForm, StageForm
from .models import EvaluationCycle, EvaluationStage, RecheckRound, StageProblem
from .services import cycles
from .stage_import import StageListImporter


def _office_only(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Evaluation readiness"), reverse("readiness:board")),
        (_("Evaluation cycles"), reverse("readiness:cycle_list")),
        *extra,
    ]


def _apply_errors(form: Any, exc: DomainError) -> None:
    if not exc.fields:
        form.add_error(None, domain_error_message(exc))
    for field, msgs in exc.fields.items():
        target = field if field in form.fields else None
        for msg in msgs:
            form.add_error(target, str(msg))


# Cycles -------------------------------------------------------------------------------------


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Every cycle with its years, stage count and next stage; the countdown on top."""
    rows = list(
        EvaluationCycle.objects.select_related("standard_version")
        .annotate(stage_count=Count("stages"))
        .order_by("-is_current", "-start_year", "-id")
    )
    return render(
        request,
        "readiness/cycle_list.html",
        {
            "title": _("Evaluation cycles"),
            "breadcrumbs": [(_("Evaluation readiness"), reverse("readiness:board"))],
            "cycles": rows,
            "countdown": selectors.countdown(timezone.localdate()),
            "can_edit": is_office(request.user),
        },
    )


def _cycle_form_page(
    request: HttpRequest, form: CycleForm, cycle: EvaluationCycle | None, status: int = 200
) -> HttpResponse:
    title = _("New evaluation cycle") if cycle is None else _("Edit %(name)s") % {"name": cycle}
    return render(
        request,
        "core/object_form.html",
        {
            "title": title,
            "breadcrumbs": _crumbs(),
            "form": form,
            "cycle": cycle,
            "cancel_url": reverse("readiness:cycle_detail", args=[cycle.pk])
            if cycle
            else reverse("readiness:cycle_list"),
        },
        status=status,
    )


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    """A new cycle from the template of the standard stages, each date editable."""
    _office_only(request)
    year = timezone.localdate().year
    if request.method != "POST":
        initial = {"kind": "review", "start_year": year, "end_year": year + 2}
        form = CycleForm(initial=initial, with_stages=True)
        for stage in cycles.template_stages(year, year + 2):
            form.fields[f"stage_{stage['kind']}"].initial = stage["due_on"]
        return _cycle_form_page(request, form, None)
    form = CycleForm(request.POST, with_stages=True)
    if form.is_valid():
        data = form.cleaned_data
        dates = form.stage_dates()
        stages = [
            {**stage, "due_on": dates.get(stage["kind"], stage["due_on"])}
            for stage in cycles.template_stages(data["start_year"], data["end_year"])
        ]
        try:
            cycle = cycles.create_cycle(
                kind=data["kind"],
                name=data["name"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                standard_version=data["standard_version"],
                is_current=data["is_current"],
                note=data["note"],
                stages=stages,
                by=request.user,
            )
        except DomainError as exc:
            for field, msgs in exc.fields.items():
                if field.startswith("stages."):
                    number = int(field.split(".")[1])
                    target = f"stage_{stages[number]['kind']}"
                    for msg in msgs:
                        form.add_error(target if target in form.fields else None, str(msg))
                else:
                    for msg in msgs:
                        form.add_error(field if field in form.fields else None, str(msg))
        else:
            messages.success(request, _("The cycle was created with its stages."))
            return redirect("readiness:cycle_detail", pk=cycle.pk)
    return _cycle_form_page(request, form, None, status=422)


@login_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    cycle = get_object_or_404(EvaluationCycle, pk=pk)
    if request.method != "POST":
        form = CycleForm(
            initial={
                "kind": cycle.kind,
                "name": cycle.name,
                "start_year": cycle.start_year,
                "end_year": cycle.end_year,
                "standard_version": cycle.standard_version_id,
                "is_current": cycle.is_current,
                "note": cycle.note,
            }
        )
        return _cycle_form_page(request, form, cycle)
    form = CycleForm(request.POST)
    if form.is_valid():
        try:
            cycles.update_cycle(cycle, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The cycle was saved."))
            return redirect("readiness:cycle_detail", pk=cycle.pk)
    return _cycle_form_page(request, form, cycle, status=422)


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle and the timeline of its stages, with the days left until each."""
    cycle = get_object_or_404(EvaluationCycle.objects.select_related("standard_version"), pk=pk)
    today = timezone.localdate()
    stage_rows = list(
        cycle.stages.select_related("owner")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("due_on", "sort_order", "id")
    )
    for stage in stage_rows:
        stage.days_left = (stage.due_on - today).days
        stage.days_past = -stage.days_left
        stage.status_color = STAGE_STATUS_COLORS.get(stage.status, "secondary")
    return render(
        request,
        "readiness/cycle_detail.html",
        {
            "title": cycle.name,
            "breadcrumbs": _crumbs(),
            "cycle": cycle,
            "stages": stage_rows,
            "status_colors": STAGE_STATUS_COLORS,
            "statuses": StageStatus,
            "next_stage": selectors.next_stage(today),
            "can_edit": is_office(request.user),
        },
    )


# Stages -------------------------------------------------------------------------------------


def _stage_values(form: StageForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {key: data[key] for key in StageForm.base_fields}


def _stage_form_page(
    request: HttpRequest,
    form: StageForm,
    cycle: EvaluationCycle,
    stage: EvaluationStage | None,
    status: int = 200,
) -> HttpResponse:
    title = _("New stage") if stage is None else _("Edit %(name)s") % {"name": stage.name}
    return render(
        request,
        "core/object_form.html",
        {
            "title": title,
            "breadcrumbs": _crumbs(
                (cycle.name, reverse("readiness:cycle_detail", args=[cycle.pk]))
            ),
            "form": form,
            "cycle": cycle,
            "stage": stage,
            "cancel_url": reverse("readiness:stage_detail", args=[stage.pk])
            if stage
            else reverse("readiness:cycle_detail", args=[cycle.pk]),
        },
        status=status,
    )


@login_required
def stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    cycle = get_object_or_404(EvaluationCycle, pk=pk)
    if request.method != "POST":
        return _stage_form_page(request, StageForm(), cycle, None)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            cycles.create_stage(cycle, by=request.user, **_stage_values(form))
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The stage was added."))
            return redirect("readiness:cycle_detail", pk=cycle.pk)
    return _stage_form_page(request, form, cycle, None, status=422)


@login_required
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    stage = get_object_or_404(EvaluationStage.objects.select_related("cycle"), pk=pk)
    if request.method != "POST":
        initial = {key: getattr(stage, key) for key in StageForm.base_fields}
        initial["owner"] = stage.owner_id
        return _stage_form_page(request, StageForm(initial=initial), stage.cycle, stage)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            cycles.update_stage(stage, by=request.user, **_stage_values(form))
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The stage was saved."))
            return redirect("readiness:stage_detail", pk=stage.pk)
    return _stage_form_page(request, form, stage.cycle, stage, status=422)


@login_required
@require_POST
def stage_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Start a planned stage, or complete one (which freezes its indicator snapshot)."""
    _office_only(request)
    stage = get_object_or_404(EvaluationStage, pk=pk)
    service = {"start": cycles.start_stage, "complete": cycles.complete_stage}[action]
    try:
        service(stage, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("The stage was updated."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("readiness:stage_detail", args=[pk])
    return redirect(back)


@login_required
def stage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A stage: its dates and deliverables, its list in the ledger, and its 回头看 rounds."""
    stage = get_object_or_404(EvaluationStage.objects.select_related("cycle", "owner"), pk=pk)
    office = is_office(request.user)
    return render(
        request,
        "readiness/stage_detail.html",
        {
            "title": stage.name,
            "breadcrumbs": _crumbs(
                (stage.cycle.name, reverse("readiness:cycle_detail", args=[stage.cycle_id])),
            ),
            "stage": stage,
            "items": selectors.stage_items(stage, request.user),
            "counts": selectors.stage_counts(stage),
            "rounds": list(stage.rechecks.select_related("created_by")),
            "status_colors": STAGE_STATUS_COLORS,
            "statuses": StageStatus,
            "can_edit": office,
            "can_recheck": cycles.can_recheck(request.user),
            "round_form": RecheckRoundForm(initial={"held_on": timezone.localdate()})
            if office
            else None,
            "snapshot": stage.indicator_snapshot,
            "status_color": STAGE_STATUS_COLORS.get(stage.status, "secondary"),
        },
    )


class StageImportView(ImportView):
    """导入: a stage's feedback list, all or nothing, items already there skipped (office)."""

    title = gettext_lazy("Import the stage's problem list")
    preview_columns = (
        (gettext_lazy("No."), "item_no"),
        (gettext_lazy("Problem description"), "description"),
        (gettext_lazy("Responsible unit"), "unit"),
        (gettext_lazy("Site"), "site"),
        (gettext_lazy("Article"), "clause"),
        (gettext_lazy("Longitude"), "lng"),
        (gettext_lazy("Latitude"), "lat"),
    )

    def allowed(self, request: HttpRequest) -> bool:
        return is_office(request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.stage = get_object_or_404(
            EvaluationStage.objects.select_related("cycle"), pk=kwargs["pk"]
        )
        return super().dispatch(request)

    def get_importer_class(self) -> type[TableImporter[Any]]:
        return StageListImporter.for_stage(self.stage)

    def get_list_url(self) -> str:
        return reverse("readiness:stage_detail", args=[self.stage.pk])


# 回头看 --------------------------------------------------------------------------------------


@login_required
@require_POST
def recheck_create(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    stage = get_object_or_404(EvaluationStage, pk=pk)
    form = RecheckRoundForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''}：{' '.join(errors)}",
            )
        return redirect("readiness:stage_detail", pk=pk)
    try:
        round = cycles.create_recheck_round(stage, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
        return redirect("readiness:stage_detail", pk=pk)
    messages.success(request, _("The recheck round was opened."))
    return redirect("readiness:recheck_detail", pk=round.pk)


def _round(pk: int) -> RecheckRound:
    return get_object_or_404(RecheckRound.objects.select_related("stage", "stage__cycle"), pk=pk)


@login_required
def recheck_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of a round: counts per outcome and the items still open."""
    round = _round(pk)
    return render(
        request,
        "readiness/recheck_detail.html",
        {
            "title": round.name,
            "breadcrumbs": _crumbs(
                (
                    round.stage.cycle.name,
                    reverse("readiness:cycle_detail", args=[round.stage.cycle_id]),
                ),
                (round.stage.name, reverse("readiness:stage_detail", args=[round.stage_id])),
            ),
            "round": round,
            "report": selectors.round_report(round, request.user),
            "outcome_colors": RECHECK_OUTCOME_COLORS,
            "can_recheck": cycles.can_recheck(request.user),
        },
    )


@login_required
def recheck_walk(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page: every item of the list, one card each, with three buttons."""
    if not cycles.can_recheck(request.user):
        raise PermissionDenied
    round = _round(pk)
    report = selectors.round_report(round, request.user)
    return render(
        request,
        "readiness/recheck_walk.html",
        {
            "title": round.name,
            "round": round,
            "report": report,
            "items": selectors.stage_items(round.stage, request.user, round),
            "outcomes": RecheckOutcome,
            "outcome_colors": RECHECK_OUTCOME_COLORS,
        },
    )


@login_required
@require_POST
def recheck_record(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    if not cycles.can_recheck(request.user):
        raise PermissionDenied
    round = _round(pk)
    stage_item = get_object_or_404(
        StageProblem.objects.visible_to(request.user),  # type: ignore[attr-defined]
        pk=item,
        stage_id=round.stage_id,
    )
    form = RecheckResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose fixed, still open or came back."))
    else:
        try:
            cycles.record_recheck_result(
                round,
                stage_item,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
        else:
            messages.success(
                request, _("Item %(no)s recorded.") % {"no": stage_item.item_no or stage_item.pk}
            )
    return redirect(reverse("readiness:recheck_walk", args=[pk]) + f"#item-{stage_item.pk}")


@login_required
def recheck_export(request: HttpRequest, pk: int) -> FileResponse:
    """The round as a workbook: every item with its outcome and note."""
    round = _round(pk)
    items = selectors.stage_items(round.stage, request.user, round)
    labels = dict(RecheckOutcome.choices)
    headers = [
        _("No."),
        _("Problem code"),
        _("Problem description"),
        _("Responsible unit"),
        _("Site"),
        _("Article"),
        _("Ledger status"),
        _("Outcome"),
        _("Note"),
    ]
    rows = [
        [
            item.item_no,
            item.problem.code,
            item.problem.description,
            item.problem.unit.name,
            item.problem.site.name if item.problem.site else "",
            item.clause.number if item.clause else "",
            str(item.problem.get_status_display()),
            str(labels[item.result.outcome]) if item.result else _("Not checked"),
            item.result.note if item.result else "",
        ]
        for item in items
    ]
    fileobj = write_xlsx(
        headers, rows, sheet_title="recheck", widths=[8, 16, 40, 16, 16, 10, 12, 10, 30]
    )
    return FileResponse(fileobj, as_attachment=True, filename=f"{round.name}.xlsx")
