"""Readiness pages: the readiness board per unit, and the prerequisite and veto board."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import DomainError
from chuangwei.core.views import domain_error_message
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit

from . import selectors
from .choices import CONDITION_STATE_COLORS, ConditionState
from .forms import ConditionEventForm, WithdrawForm
from .models import ConditionEvent
from .services import conditions

YEARS_BACK = 5


def readable_board_units(user: object) -> list[OrgUnit]:
    """The board units the user may read: those the user's scope covers (the city and every
    district for city-wide staff, a district for its leader)."""
    scope = getattr(user, "scope", None)
    units = board_units()
    if scope is None:
        return []
    return [u for u in units if scope.covers_path(u.path)]


def board_year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if this_year - YEARS_BACK <= year <= this_year + 1 else this_year


def chosen_board_unit(request: HttpRequest) -> tuple[OrgUnit, list[OrgUnit]]:
    """The unit of ``?unit=`` if the user may read it, else the first readable one (the
    city for city-wide staff); PermissionDenied when the user may read none."""
    units = readable_board_units(request.user)
    if not units:
        raise PermissionDenied
    chosen = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0])
    return chosen, units


@login_required
def readiness_board_page(request: HttpRequest) -> HttpResponse:
    """The readiness board of the city or a district: indicators, dossier, conditions, the
    stage's open problems and the projected score."""
    from .board import readiness_board

    unit, units = chosen_board_unit(request)
    year = board_year(request)
    this_year = timezone.localdate().year
    board = readiness_board(unit, year=year)
    return render(
        request,
        "readiness/board.html",
        {
            "title": _("Readiness board"),
            "board": board,
            "unit": unit,
            "units": units,
            "year": year,
            "years": list(range(this_year - YEARS_BACK, this_year + 2)),
            "condition_colors": CONDITION_STATE_COLORS,
        },
    )


def board_units() -> list[OrgUnit]:
    """The units a board can be read for: the city and the districts and zones below it."""
    return list(
        OrgUnit.objects.filter(
            kind__in=[OrgUnitKind.CITY, OrgUnitKind.DISTRICT, OrgUnitKind.ZONE], is_active=True
        ).order_by("path")
    )


def _year_and_unit(request: HttpRequest) -> tuple[int, OrgUnit | None, list[OrgUnit]]:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not this_year - YEARS_BACK <= year <= this_year + 1:
        year = this_year
    units = board_units()
    chosen = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
    if chosen is not None and chosen.parent_id is None:
        chosen = None  # the city is the default view
    return year, chosen, units


def _conditions_context(
    request: HttpRequest, *, form: ConditionEventForm | None = None
) -> dict[str, Any]:
    year, unit, units = _year_and_unit(request)
    rows = selectors.condition_board(year=year, unit=unit)
    this_year = timezone.localdate().year
    events = ConditionEvent.objects.filter(year=year).select_related(
        "unit", "clause", "indicator", "recorded_by", "withdrawn_by"
    )
    if unit is not None:
        events = events.filter(unit__path__startswith=unit.path)
    office = is_office(request.user)
    return {
        "title": _("Prerequisites and vetoes"),
        "breadcrumbs": [(_("Readiness board"), reverse("readiness:board"))],
        "year": year,
        "years": list(range(this_year - YEARS_BACK, this_year + 2)),
        "unit": unit,
        "units": units,
        "rows": rows,
        "counts": selectors.condition_counts(rows),
        "states": ConditionState,
        "state_colors": CONDITION_STATE_COLORS,
        "events": list(events),
        "can_record": office,
        "form": form if form is not None else (ConditionEventForm(rows=rows) if office else None),
        "withdraw_form": WithdrawForm() if office else None,
    }


@login_required
def condition_board(request: HttpRequest) -> HttpResponse:
    """The red / green / unknown board of every prerequisite and veto condition."""
    return render(request, "readiness/board_conditions.html", _conditions_context(request))


@login_required
@require_POST
def condition_event_record(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied
    year, unit, _units = _year_and_unit(request)
    form = ConditionEventForm(request.POST, rows=selectors.condition_board(year=year, unit=unit))
    if form.is_valid():
        try:
            conditions.record_condition_event(
                unit=form.cleaned_data["unit"],
                occurred_on=form.cleaned_data["occurred_on"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=request.user,
                **form.condition_kwargs(),
            )
        except DomainError as exc:
            for field, msgs in exc.fields.items():
                target = field if field in form.fields else "condition"
                for msg in msgs:
                    form.add_error(target, str(msg))
        else:
            messages.success(request, _("The event was recorded."))
            return redirect(reverse("readiness:conditions") + f"?year={year}")
    context = _conditions_context(request, form=form)
    context["show_form"] = True
    return render(request, "readiness/board_conditions.html", context, status=422)


@login_required
@require_POST
def condition_event_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied
    event = get_object_or_404(ConditionEvent, pk=pk)
    form = WithdrawForm(request.POST)
    reason = form.data.get("reason", "") if not form.is_valid() else form.cleaned_data["reason"]
    try:
        conditions.withdraw_condition_event(event, reason=reason, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("The event was withdrawn."))
    return redirect(reverse("readiness:conditions") + f"?year={event.year}")
