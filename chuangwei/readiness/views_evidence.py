"""Evidence dossier pages: requirements, my evidence, filing, review, completeness, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import DomainError
from chuangwei.core.models import user_scope
from chuangwei.core.tables import Column
from chuangwei.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    domain_error_message,
)
from chuangwei.core.views_import import ImportView
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import StandardClause

from . import dossier
from .choices import EVIDENCE_STATUS_COLORS, EvidenceStatus, Frequency
from .export import dossier_zip
from .filters import EvidenceFilter, EvidenceRequirementFilter
from .forms import EvidenceRequirementForm, EvidenceReturnForm, EvidenceSubmitForm
from .importers import EvidenceRequirementImporter
from .models import Evidence, EvidenceFile, EvidenceRequirement
from .selectors import current_version
from .services import evidence as services
from .uploads import ACCEPT

YEARS_BACK = 5
MAX_COLUMNS = 40
READINESS = (gettext_lazy("Evaluation readiness"), reverse_lazy("readiness:board"))


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if this_year - YEARS_BACK <= year <= this_year + 1 else this_year


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year - YEARS_BACK, this_year + 2))


# Requirements -------------------------------------------------------------------------------

REQ_URLS = {
    "list": "readiness:requirement_list",
    "detail": "readiness:requirement_detail",
    "create": "readiness:requirement_create",
    "update": "readiness:requirement_update",
    "import": "readiness:requirement_import",
}
REQ_COLUMNS = [
    Column("clause.number", gettext_lazy("Check item"), link=True),
    Column("clause.title", gettext_lazy("Item"), truncate=30),
    Column("title", gettext_lazy("Material"), link=True),
    Column("frequency", gettext_lazy("Frequency"), getter=lambda r: r.get_frequency_display()),
    Column(
        "unit_kinds",
        gettext_lazy("Kinds of unit"),
        getter=lambda r: "、".join(
            str(dict(OrgUnitKind.choices).get(k, k)) for k in r.unit_kinds or []
        ),
    ),
    Column("clause.version.code", gettext_lazy("Standard version")),
    Column("is_active", gettext_lazy("Active"), kind="bool"),
]


class RequirementMixin:
    model = EvidenceRequirement
    url_names = REQ_URLS
    breadcrumbs = (READINESS,)
    title = gettext_lazy("Evidence requirements")

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("clause__version")  # type: ignore[misc]


class RequirementListView(RequirementMixin, ObjectListView):
    filterset_class = EvidenceRequirementFilter
    columns = REQ_COLUMNS


class RequirementDetailView(RequirementMixin, ObjectDetailView):
    fields = [
        *REQ_COLUMNS,
        Column("description", gettext_lazy("Description")),
        Column("units", gettext_lazy("Units")),
    ]
    template_name = "readiness/requirement_detail.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("units")

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        return {
            "can_deactivate": obj.is_active and is_office(self.request.user),
            "records": Evidence.objects.filter(requirement=obj).count(),
        }


class RequirementFormView(RequirementMixin, ObjectFormView):
    form_class = EvidenceRequirementForm
    save_service = services.save_evidence_requirement


class RequirementImportView(ImportView):
    importer_class = EvidenceRequirementImporter
    title = gettext_lazy("Import evidence requirements")
    list_url_name = "readiness:requirement_list"
    preview_columns = (
        (gettext_lazy("Check item"), "0.clause.number"),
        (gettext_lazy("Material"), "0.title"),
        (gettext_lazy("Frequency"), "0.frequency"),
    )


@login_required
@require_POST
def requirement_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = get_object_or_404(EvidenceRequirement, pk=pk)
    try:
        services.deactivate_evidence_requirement(requirement, by=request.user)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("The requirement is no longer expected."))
    return redirect("readiness:requirement_detail", pk=pk)


# My evidence ----------------------------------------------------------------------------------


def my_units(user: Any) -> list[OrgUnit] | None:
    """The units whose evidence a user files: a handler's subtree; None for the office
    (any unit, chosen with the district filter)."""
    if is_office(user):
        return None
    scope = user_scope(user)
    if scope is None or not scope.unit_paths:
        return []
    return list(OrgUnit.objects.filter(scope.q("")).filter(is_active=True))


@login_required
def evidence_mine(request: HttpRequest) -> HttpResponse:
    """What my unit owes per period with its state, and a link to file each."""
    year = _year(request)
    units = my_units(request.user)
    if units is None:
        units = list(OrgUnit.objects.filter(pk__in=user_scope(request.user).unit_ids))
    grid = dossier.dossier_completeness(year=year, units=units)
    names = {u.pk: u.name for u in grid.units}
    rows = [
        {
            "row": row,
            "unit": names[cell.unit_id],
            "cell": cell,
            "color": dossier.STATE_COLORS[cell.state],
        }
        for row in grid.rows
        for cell in _row_cells(grid, row)
    ]
    return render(
        request,
        "readiness/evidence_mine.html",
        {
            "title": _("My evidence"),
            "breadcrumbs": [READINESS],
            "year": year,
            "years": _years(),
            "rows": rows,
            "grid": grid,
            "can_file": bool(units),
        },
    )


def _row_cells(grid: dossier.Completeness, row: dossier.DossierRow) -> list[dossier.Cell]:
    return [
        dossier.Cell(
            row.requirement_id,
            unit_id,
            period,
            grid.state(row.requirement_id, unit_id, period),
            grid.evidence_id(row.requirement_id, unit_id, period),
        )
        for unit_id in row.unit_ids
        for period in row.periods
    ]


# Filing ---------------------------------------------------------------------------------------


def _id(text: str) -> int:
    """A primary key from the query string; 404 for anything else (a 30-digit number too)."""
    if not text.isdigit() or len(text) > 15:
        raise Http404
    return int(text)


@login_required
def evidence_submit(request: HttpRequest) -> HttpResponse:
    """File evidence for ?requirement=&unit=&period= (again, after a return)."""
    source = request.POST if request.method == "POST" else request.GET
    requirement = get_object_or_404(
        EvidenceRequirement.objects.select_related("clause__version"),
        pk=_id(source.get("requirement", "")),
    )
    unit = get_object_or_404(OrgUnit, pk=_id(source.get("unit", "")))
    period = source.get("period", "")[:7]
    if not services.can_file_for(request.user, unit):
        raise PermissionDenied
    existing = Evidence.objects.filter(requirement=requirement, unit=unit, period=period).first()
    form = EvidenceSubmitForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                evidence = services.submit_evidence(
                    requirement,
                    unit=unit,
                    period=period,
                    files=request.FILES.getlist("files"),
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except DomainError as exc:
                if exc.status == 403:
                    raise PermissionDenied from exc
                for field, msgs in exc.fields.items():
                    for msg in msgs:
                        form.add_error(field if field in form.fields else None, str(msg))
                if not exc.fields or exc.code in ("bad_files", "retired_version"):
                    form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("The evidence was filed for review."))
                return redirect("readiness:evidence_detail", pk=evidence.pk)
        status = 422
    return render(
        request,
        "readiness/evidence_submit.html",
        {
            "title": _("File evidence"),
            "breadcrumbs": [READINESS, (_("My evidence"), reverse("readiness:evidence_mine"))],
            "requirement": requirement,
            "unit": unit,
            "period": period,
            "existing": existing,
            "form": form,
            "accept": ACCEPT,
            "max_mb": services.max_file_bytes() // (1024 * 1024),
        },
        status=status,
    )


# Detail and review ----------------------------------------------------------------------------


def _visible_evidence(request: HttpRequest, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.visible_to(request.user).select_related(
            "requirement__clause__version", "unit", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence record: its files per filing, its history, and the review actions."""
    evidence = _visible_evidence(request, pk)
    files = list(evidence.files.select_related("uploaded_by").order_by("-round", "pk"))
    rounds: dict[int, list[EvidenceFile]] = {}
    for f in files:
        rounds.setdefault(f.round, []).append(f)
    office = is_office(request.user)
    return render(
        request,
        "readiness/evidence_detail.html",
        {
            "title": str(evidence),
            "breadcrumbs": [
                READINESS,
                (_("Evidence review"), reverse("readiness:evidence_review")),
            ],
            "evidence": evidence,
            "rounds": sorted(rounds.items(), reverse=True),
            "events": list(evidence.events.select_related("actor").order_by("-created_at", "-id")),
            "status_color": EVIDENCE_STATUS_COLORS.get(evidence.status, "secondary"),
            "can_review": office and evidence.status == EvidenceStatus.PENDING,
            "can_refile": evidence.status == EvidenceStatus.RETURNED
            and services.can_file_for(request.user, evidence.unit),
            "return_form": EvidenceReturnForm(),
        },
    )


@login_required
@require_POST
def evidence_approve(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied
    evidence = _visible_evidence(request, pk)
    try:
        services.approve_evidence(evidence, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("The evidence was approved."))
    return redirect("readiness:evidence_detail", pk=pk)


@login_required
@require_POST
def evidence_return(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied
    evidence = _visible_evidence(request, pk)
    form = EvidenceReturnForm(request.POST)
    remark = form.cleaned_data["remark"] if form.is_valid() else ""
    try:
        services.return_evidence(evidence, remark=remark, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("The evidence was returned to the unit."))
    return redirect("readiness:evidence_detail", pk=pk)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a file of an evidence record the user may see."""
    row = get_object_or_404(
        EvidenceFile.objects.filter(
            evidence__in=Evidence.objects.visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


REVIEW_COLUMNS = [
    Column("requirement.clause.number", gettext_lazy("Check item")),
    Column("requirement.title", gettext_lazy("Material"), link=True, truncate=30),
    Column("unit.name", gettext_lazy("Unit")),
    Column("period", gettext_lazy("Period")),
    Column("round", gettext_lazy("Filing"), kind="number"),
    Column("status", gettext_lazy("Status"), kind="badge", colors=EVIDENCE_STATUS_COLORS),
    Column("submitted_at", gettext_lazy("Filed at"), kind="datetime"),
]


class EvidenceReviewView(ObjectListView):
    """The office's review queue (pending first); handlers see their units' records."""

    model = Evidence
    title = gettext_lazy("Evidence review")
    breadcrumbs = (READINESS,)
    url_names = {"list": "readiness:evidence_review", "detail": "readiness:evidence_detail"}
    filterset_class = EvidenceFilter
    columns = REVIEW_COLUMNS

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("requirement__clause", "unit")
            .order_by(
                Case(When(status=EvidenceStatus.PENDING, then=0), default=1),
                "submitted_at",
                "pk",
            )
        )

    def can_edit(self) -> bool:
        return False


# Completeness and export ----------------------------------------------------------------------


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """The grid items × units × periods: gaps red, pending amber, approved green."""
    year = _year(request)
    version = current_version()
    aspects = (
        list(StandardClause.objects.filter(version=version, level="aspect").order_by("path"))
        if version
        else []
    )
    aspect = next((a for a in aspects if str(a.pk) == request.GET.get("aspect")), None)
    districts = list(
        OrgUnit.objects.filter(
            kind__in=[OrgUnitKind.CITY, OrgUnitKind.DISTRICT, OrgUnitKind.ZONE], is_active=True
        ).order_by("path")
    )
    district = next((d for d in districts if str(d.pk) == request.GET.get("district")), None)
    scope = user_scope(request.user)
    units = None
    if not scope.everything:
        units = list(OrgUnit.objects.filter(scope.q("")).values_list("pk", flat=True))
    grid = dossier.dossier_completeness(
        year=year, aspect=aspect, district=district, units=units, version=version
    )
    columns = grid.units[:MAX_COLUMNS]
    labels = dict(EvidenceStatus.choices) | {dossier.MISSING: _("Missing")}
    frequencies = dict(Frequency.choices)
    table = []
    for row in grid.rows:
        expected = set(row.unit_ids)
        cells = []
        for unit in columns:
            if unit.pk not in expected:
                cells.append(None)
                continue
            cells.append(
                [
                    {
                        "period": p,
                        "state": (state := grid.state(row.requirement_id, unit.pk, p)),
                        "color": dossier.STATE_COLORS[state],
                        "label": labels[state],
                        "evidence": grid.evidence_id(row.requirement_id, unit.pk, p),
                    }
                    for p in row.periods
                ]
            )
        table.append({"row": row, "cells": cells, "frequency": frequencies[row.frequency]})
    per_unit = [
        {
            "unit": u,
            "approved": grid.per_unit.get(u.pk, (0, 0))[0],
            "expected": grid.per_unit.get(u.pk, (0, 0))[1],
            "percent": dossier.percent_of(*grid.per_unit.get(u.pk, (0, 0))),
        }
        for u in grid.units
        if u.pk in grid.per_unit
    ]
    return render(
        request,
        "readiness/completeness.html",
        {
            "title": _("Evidence dossier"),
            "breadcrumbs": [READINESS],
            "year": year,
            "years": _years(),
            "aspects": aspects,
            "aspect": aspect,
            "districts": districts,
            "district": district,
            "grid": grid,
            "columns": columns,
            "cut": len(grid.units) > MAX_COLUMNS,
            "table": table,
            "per_unit": per_unit,
            "can_export": is_office(request.user),
        },
    )


@login_required
def dossier_export(request: HttpRequest) -> HttpResponse:
    """The whole dossier of a year as one zip, streamed (office only)."""
    if not is_office(request.user):
        raise PermissionDenied
    year = _year(request)
    stream = dossier_zip(year=year)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(len(stream))
    filename = _("dossier_%(year)s.zip") % {"year": year}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
