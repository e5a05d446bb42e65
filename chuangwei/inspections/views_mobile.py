"""Phone pages: score the sites of an inspection, and grid workers' patrol check-ins."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.core.views import domain_error_message
from chuangwei.problems.choices import PhotoKind
from chuangwei.problems.services import Upload

from . import permissions, scoring, selectors, services
from .choices import RESULT_STATUS_COLORS, SCORING_TASK_STATUSES
from .forms import BandForm, DeductionForm
from .models import InspectionTask, PatrolCheckin, SheetItem
from .views import item_lines

# The menu entry in core/navigation.py uses this msgid; kept here so this app's catalogue has it.
MENU_LABEL = gettext_lazy("My inspections (mobile)")


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The phone entry for inspectors: the open inspections whose team they are in."""
    tasks = (
        InspectionTask.objects.filter(team=request.user, status__in=list(SCORING_TASK_STATUSES))
        .annotate(sites=Count("results"), done=Count("results", filter=Q(results__status="done")))
        .order_by("planned_date", "id")
    )
    return render(
        request, "inspections/m_mine.html", {"title": _("My inspections"), "tasks": tasks}
    )


@login_required
def task_score(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's route: every site of the task with its state and score."""
    task = permissions.access_task(request.user, pk)
    results = task.results.select_related("site", "site__site_type", "site__unit").order_by(
        "sort_order", "id"
    )
    return render(
        request,
        "inspections/m_task.html",
        {
            "title": task.name,
            "task": task,
            "results": results,
            "can_score": permissions.can_score(request.user, task),
            "colors": RESULT_STATUS_COLORS,
        },
    )


@login_required
def result_score(request: HttpRequest, pk: int) -> HttpResponse:
    """Score one site: tap an item, enter a deduction or choose a band; saved at once."""
    result = permissions.access_result(request.user, pk)
    return render(
        request,
        "inspections/m_score.html",
        {
            "title": result.site.name,
            "result": result,
            "task": result.task,
            "lines": item_lines(result),
            "can_score": permissions.can_score(request.user, result.task),
            "colors": RESULT_STATUS_COLORS,
            "open_item": request.GET.get("item", ""),
        },
    )


def _item(result: Any, raw: Any) -> SheetItem:
    item = (
        SheetItem.objects.filter(pk=raw, sheet_id=result.sheet_id).first()
        if str(raw).isdigit()
        else None
    )
    if item is None:
        raise InvalidInput(
            _("This item is not a scored line of the site's score sheet."), code="item_not_in_sheet"
        )
    return item


def _score_post(request: HttpRequest, pk: int, form: Any, record: Any, done: Any) -> HttpResponse:
    """One scoring tap on the phone: validate ``form``, ``record(result, item, data)``,
    say ``done`` or the refusal, and go back to the item on the scoring page."""
    result = permissions.access_result(request.user, pk, score=True)
    anchor = request.POST.get("item", "")
    try:
        if not form.is_valid():
            raise InvalidInput(fields={k: list(v) for k, v in form.errors.items()})
        data = form.cleaned_data
        record(result, _item(result, data["item"]), data)
        messages.success(request, done)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    return redirect(f"{reverse('inspections:result_score', args=[pk])}#item-{anchor}")


@login_required
@require_POST
def result_deduct(request: HttpRequest, pk: int) -> HttpResponse:
    def record(result: Any, item: SheetItem, data: dict[str, Any]) -> None:
        services.add_deduction(
            result,
            item,
            points=data["points"],
            note=data["note"] or "",
            uploads=[
                Upload(f, PhotoKind.BEFORE, data.get("lng"), data.get("lat"))
                for f in data["photos"]
            ],
            lng=data.get("lng"),
            lat=data.get("lat"),
            by=request.user,
        )

    form = DeductionForm(request.POST, request.FILES)
    return _score_post(request, pk, form, record, _("Deduction saved and reported to the ledger."))


@login_required
@require_POST
def result_band(request: HttpRequest, pk: int) -> HttpResponse:
    def record(result: Any, item: SheetItem, data: dict[str, Any]) -> None:
        services.record_band(result, item, band=data["band"], score=data["score"], by=request.user)

    return _score_post(request, pk, BandForm(request.POST), record, _("Saved."))


@login_required
@require_POST
def result_finish(request: HttpRequest, pk: int) -> HttpResponse:
    result = permissions.access_result(request.user, pk, score=True)
    try:
        services.finish_result(result, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
        return redirect("inspections:result_score", pk=pk)
    messages.success(
        request,
        _("Site scored: %(obtained)s / %(possible)s.")
        % {
            "obtained": scoring.format_points(result.obtained),
            "possible": scoring.format_points(result.possible),
        },
    )
    return redirect("inspections:task_score", pk=result.task_id)


@login_required
def patrol_checkin(request: HttpRequest) -> HttpResponse:
    """打卡: a grid worker checks in where they are (phone GPS)."""
    if not permissions.can_patrol(request.user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            checkin = services.check_in(
                by=request.user,
                lng=request.POST.get("lng"),
                lat=request.POST.get("lat"),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            error = domain_error_message(exc)
        else:
            warning = selectors.checkin_warning(checkin, request.user)
            if warning:
                messages.warning(request, warning)
            else:
                messages.success(request, _("Checked in."))
            return redirect("inspections:patrol_checkin")
    since = timezone.now() - timedelta(days=1)
    mine = PatrolCheckin.objects.filter(worker=request.user, at__gte=since).select_related("grid")
    context: dict[str, Any] = {"title": _("Patrol check-in"), "checkins": mine, "error": error}
    return render(request, "inspections/m_checkin.html", context, status=422 if error else 200)
