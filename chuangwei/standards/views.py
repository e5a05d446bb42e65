from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from chuangwei.accounts.permissions import can_manage_config
from chuangwei.core.errors import DomainError
from chuangwei.core.importing import ImportFailed
from chuangwei.core.tables import Column
from chuangwei.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    ScopedViewMixin,
    domain_error_message,
)
from chuangwei.org.models import OrgUnit

from . import services, sources, workbook
from .choices import (
    CATEGORY_KIND_COLORS,
    CLAUSE_LEVEL_COLORS,
    SEVERITY_COLORS,
    VERSION_STATUS_COLORS,
    ValueOrigin,
)
from .filters import (
    IndicatorFilter,
    IndicatorValueFilter,
    ProblemCategoryFilter,
    StandardClauseFilter,
    StandardVersionFilter,
)
from .forms import (
    IndicatorForm,
    IndicatorValueForm,
    ProblemCategoryForm,
    RecomputeForm,
    StandardClauseForm,
    StandardVersionForm,
    VersionCopyForm,
    WorkbookImportForm,
)
from .models import Indicator, IndicatorValue, ProblemCategory, StandardClause, StandardVersion
from .selectors import indicator_trend, value_rate

STD = (_("Standards"), "")
VALUE_ORIGIN_COLORS = {ValueOrigin.ENTERED: "secondary", ValueOrigin.COMPUTED: "info"}


def _urls(prefix: str) -> dict[str, str]:
    return {
        "list": f"standards:{prefix}_list",
        "detail": f"standards:{prefix}_detail",
        "create": f"standards:{prefix}_create",
        "update": f"standards:{prefix}_update",
        "delete": f"standards:{prefix}_delete",
    }


class StdMixin:
    breadcrumbs = (STD,)


# Versions ----------------------------------------------------------------------------

VERSION_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True, truncate=40),
    Column("year", _("Year"), getter=lambda v: str(v.year)),
    Column("document_no", _("Document number")),
    Column("status", _("Status"), kind="badge", colors=VERSION_STATUS_COLORS),
]


class VersionMixin(StdMixin):
    model = StandardVersion
    url_names = {**_urls("version"), "import": "standards:version_import"}


class StandardVersionListView(VersionMixin, ObjectListView):
    filterset_class = StandardVersionFilter
    columns = VERSION_COLUMNS


class StandardVersionDetailView(VersionMixin, ObjectDetailView):
    fields = [
        *VERSION_COLUMNS,
        Column("issuer", _("Issued by")),
        Column("source", _("Source")),
        Column("note", _("Note")),
    ]
    template_name = "standards/version_detail.html"

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        manages = can_manage_config(self.request.user)
        return {
            "clauses": obj.clauses.select_related("lead_work_line").order_by("path"),
            "indicators": obj.indicators.all(),
            "level_colors": CLAUSE_LEVEL_COLORS,
            "manages": manages,
            "copy_form": VersionCopyForm(
                initial={"code": f"{obj.code}-L"[:32], "name": f"{obj.name}（本地）"[:200]}
            ),
        }


class StandardVersionFormView(VersionMixin, ObjectFormView):
    form_class = StandardVersionForm
    save_service = services.save_standard_version


class StandardVersionDeleteView(VersionMixin, ObjectDeleteView):
    delete_service = services.delete_standard_version


# Clauses -----------------------------------------------------------------------------

CLAUSE_COLUMNS = [
    Column("version.code", _("Version")),
    Column("level", _("Level"), kind="badge", colors=CLAUSE_LEVEL_COLORS),
    Column("number", _("Number"), link=True),
    Column("title", _("Title"), link=True, truncate=40),
    Column(
        "points",
        _("Points"),
        kind="number",
        getter=lambda c: c.points.normalize() if c.points is not None else None,
    ),
    Column("lead_work_line.name", _("Lead work line")),
    Column("is_prerequisite", _("Prerequisite"), kind="bool"),
    Column("is_veto", _("One-vote veto"), kind="bool"),
]


class ClauseMixin(StdMixin):
    model = StandardClause
    url_names = _urls("clause")


class StandardClauseListView(ClauseMixin, ObjectListView):
    filterset_class = StandardClauseFilter
    columns = CLAUSE_COLUMNS


class StandardClauseDetailView(ClauseMixin, ObjectDetailView):
    fields = [
        *CLAUSE_COLUMNS,
        Column("parent", _("Parent")),
        Column("text", _("Content")),
        Column("pass_rule", _("Pass rule")),
        Column("evidence_required", _("Evidence required")),
        Column("source", _("Source")),
        Column("note", _("Note")),
    ]


class StandardClauseFormView(ClauseMixin, ObjectFormView):
    form_class = StandardClauseForm
    save_service = services.save_standard_clause


class StandardClauseDeleteView(ClauseMixin, ObjectDeleteView):
    delete_service = services.delete_standard_clause


# Indicators --------------------------------------------------------------------------

INDICATOR_COLUMNS = [
    Column("version.code", _("Version")),
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True, truncate=30),
    Column("comparator", _("Comparator"), getter=lambda i: i.get_comparator_display()),
    Column("threshold", _("Threshold"), kind="number", getter=lambda i: i.threshold.normalize()),
    Column("unit", _("Unit of measure")),
    Column("is_veto", _("One-vote veto"), kind="bool"),
    Column(
        "computed_by",
        _("Origin"),
        getter=lambda i: gettext("Computed") if i.computed_by else gettext("Entered"),
    ),
]


class IndicatorMixin(StdMixin):
    model = Indicator
    url_names = _urls("indicator")

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("version", "clause")  # type: ignore[misc]


class IndicatorListView(IndicatorMixin, ObjectListView):
    filterset_class = IndicatorFilter
    columns = INDICATOR_COLUMNS


class IndicatorDetailView(IndicatorMixin, ObjectDetailView):
    fields = [
        *INDICATOR_COLUMNS,
        Column("numerator_label", _("Numerator")),
        Column("denominator_label", _("Denominator")),
        Column("computed_by", _("Computed by"), getter=lambda i: _source_label(i.computed_by)),
        Column("source", _("Source")),
        Column("note", _("Note")),
    ]
    template_name = "standards/indicator_detail.html"
    trend_years = 5

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        units = list(
            OrgUnit.objects.visible_to(user)
            .filter(kind__in=services.RECOMPUTE_KINDS)
            .order_by("path")
        )
        unit = next((u for u in units if str(u.pk) == self.request.GET.get("unit")), None)
        unit = unit or (units[0] if units else None)
        this_year = timezone.localdate().year
        years = list(range(this_year - self.trend_years + 1, this_year + 1))
        trend = indicator_trend(obj, unit, years) if unit else []
        values = (
            obj.values.filter(unit__in=units).select_related("unit").order_by("-year", "unit__path")
        )[:60]
        rows = [(v, value_rate(obj, v)) for v in values]
        chart = {
            "years": [str(p.year) for p in trend],
            "rates": [float(p.rate) if p.rate is not None else None for p in trend],
            "threshold": float(obj.threshold),
        }
        return {
            "units": units,
            "unit": unit,
            "trend": trend,
            "chart": chart,
            "value_rows": rows,
            "can_recompute": bool(obj.computed_by) and can_manage_config(user),
            "recompute_form": RecomputeForm(initial={"year": this_year}),
        }


def _source_label(key: str) -> str:
    if not key:
        return gettext("Entered with evidence")
    source = sources.get(key)
    return str(source.label) if source else key


class IndicatorFormView(IndicatorMixin, ObjectFormView):
    form_class = IndicatorForm
    save_service = services.save_indicator


class IndicatorDeleteView(IndicatorMixin, ObjectDeleteView):
    delete_service = services.delete_indicator


# Indicator values --------------------------------------------------------------------

VALUE_COLUMNS = [
    Column("indicator.name", _("Indicator"), link=True),
    Column("year", _("Year"), getter=lambda v: str(v.year)),
    Column("unit.name", _("Unit")),
    Column("numerator", _("Numerator"), kind="number"),
    Column("denominator", _("Denominator"), kind="number"),
    Column(
        "rate",
        _("Value"),
        getter=lambda v: (
            f"{v.numerator / v.denominator * 100:.1f}%"
            if v.denominator
            else v.numerator.normalize()
        ),
    ),
    Column("origin", _("Origin"), kind="badge", colors=VALUE_ORIGIN_COLORS),
]


class IndicatorValueMixin(StdMixin):
    model = IndicatorValue
    url_names = _urls("indicatorvalue")

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("indicator", "unit")  # type: ignore[misc]


class IndicatorValueListView(IndicatorValueMixin, ObjectListView):
    filterset_class = IndicatorValueFilter
    columns = VALUE_COLUMNS


class IndicatorValueDetailView(IndicatorValueMixin, ObjectDetailView):
    fields = [*VALUE_COLUMNS, Column("note", _("Note"))]


class IndicatorValueFormView(IndicatorValueMixin, ObjectFormView):
    form_class = IndicatorValueForm
    save_service = services.save_indicator_value


class IndicatorValueDeleteView(IndicatorValueMixin, ObjectDeleteView):
    delete_service = services.delete_indicator_value


# Problem categories ------------------------------------------------------------------

CATEGORY_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True),
    Column("kind", _("Kind"), kind="badge", colors=CATEGORY_KIND_COLORS),
    Column("sanitary_class", _("Sanitary-city class")),
    Column("default_work_line.name", _("Default work line")),
    Column(
        "deadline",
        _("Handling time"),
        getter=lambda c: (
            f"{c.deadline_amount} {c.get_deadline_unit_display()}" if c.deadline_amount else None
        ),
    ),
    Column("severity", _("Severity"), kind="badge", colors=SEVERITY_COLORS),
    Column("is_public", _("Offered to citizens"), kind="bool"),
]


class CategoryMixin(StdMixin):
    model = ProblemCategory
    url_names = _urls("category")


class ProblemCategoryListView(CategoryMixin, ObjectListView):
    filterset_class = ProblemCategoryFilter
    columns = CATEGORY_COLUMNS


class ProblemCategoryDetailView(CategoryMixin, ObjectDetailView):
    fields = [
        *CATEGORY_COLUMNS,
        Column("parent", _("Parent")),
        Column("public_name", _("Name shown to citizens")),
        Column("legacy_code", _("Legacy code (GB/T 30428.2-2013)")),
        Column("standard_ref", _("Standard reference")),
        Column("default_department.name", _("Default department")),
        Column("check_item", _("Check item")),
        Column("is_local_extension", _("Local extension"), kind="bool"),
        Column("description", _("Description")),
    ]


class ProblemCategoryFormView(CategoryMixin, ObjectFormView):
    form_class = ProblemCategoryForm
    save_service = services.save_problem_category


class ProblemCategoryDeleteView(CategoryMixin, ObjectDeleteView):
    delete_service = services.delete_problem_category


# Version actions, workbook, recompute -------------------------------------------------


class VersionActionView(ScopedViewMixin, View):
    """POST publish / retire / copy of a version (office staff who manage configuration)."""

    model = StandardVersion
    managers_only = True
    action = "publish"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(self.get_queryset(), pk=pk)
        target = version
        try:
            if self.action == "publish":
                services.publish_standard_version(version, by=request.user)
                messages.success(request, gettext("The version is published."))
            elif self.action == "retire":
                services.retire_standard_version(version, by=request.user)
                messages.success(request, gettext("The version is retired."))
            else:
                form = VersionCopyForm(request.POST)
                if not form.is_valid():
                    errors = [str(m) for msgs in form.errors.values() for m in msgs]
                    messages.error(request, " ".join(errors))
                    return HttpResponseRedirect(reverse("standards:version_detail", args=[pk]))
                target = services.copy_standard_version(
                    version,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    by=request.user,
                )
                messages.success(request, gettext("Copied into a new draft."))
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
        return HttpResponseRedirect(reverse("standards:version_detail", args=[target.pk]))


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=workbook.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class VersionExportView(ScopedViewMixin, View):
    """The whole version as a workbook (every signed-in user may read the standard)."""

    model = StandardVersion

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(self.get_queryset(), pk=pk)
        return _xlsx(workbook.export_workbook(version), f"standard-{version.code}.xlsx")


class WorkbookTemplateView(ScopedViewMixin, View):
    model = StandardVersion

    def get(self, request: HttpRequest) -> HttpResponse:
        return _xlsx(workbook.template_workbook(), "standard-template.xlsx")


class WorkbookImportView(ScopedViewMixin, View):
    """Upload a whole-version workbook; every fault is listed and nothing is written."""

    model = StandardVersion
    managers_only = True
    template_name = "standards/version_import.html"
    breadcrumbs = (STD, (_("Standard versions"), "standards:version_list"))

    def _render(self, request: HttpRequest, form: Any, **extra: Any) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"form": form, "title": gettext("Import a standard workbook"), **extra},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, WorkbookImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WorkbookImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        upload = form.cleaned_data["file"]
        try:
            result = workbook.import_workbook(
                upload, upload.name, by=request.user, code=form.cleaned_data["code"] or None
            )
        except ImportFailed as exc:
            return self._render(
                request, form, errors=[str(e) for e in exc.errors], message=str(exc.message)
            )
        except DomainError as exc:
            form.add_error("file", domain_error_message(exc))
            return self._render(request, form)
        assert result.version is not None
        messages.success(
            request,
            gettext(
                "Imported: %(cc)s clauses created, %(cu)s updated, %(cd)s deleted; "
                "%(ic)s indicators created, %(iu)s updated, %(id)s deleted."
            )
            % {
                "cc": result.created["clause"],
                "cu": result.updated["clause"],
                "cd": result.deleted["clause"],
                "ic": result.created["indicator"],
                "iu": result.updated["indicator"],
                "id": result.deleted["indicator"],
            },
        )
        return HttpResponseRedirect(reverse("standards:version_detail", args=[result.version.pk]))


class IndicatorRecomputeView(ScopedViewMixin, View):
    """POST: recompute the computed indicators of this indicator's version for a year."""

    model = Indicator
    managers_only = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = get_object_or_404(self.get_queryset(), pk=pk)
        if not indicator.computed_by:
            raise PermissionDenied
        form = RecomputeForm(request.POST)
        if not form.is_valid():
            errors = [str(m) for msgs in form.errors.values() for m in msgs]
            messages.error(request, " ".join(errors))
        else:
            try:
                result = services.recompute_indicator_values(
                    indicator.version, form.cleaned_data["year"], actor=request.user
                )
            except DomainError as exc:
                messages.error(request, domain_error_message(exc))
            else:
                messages.success(
                    request,
                    gettext(
                        "Recomputed %(year)s: %(written)s values written, %(unchanged)s "
                        "unchanged, %(removed)s removed."
                    )
                    % {
                        "year": form.cleaned_data["year"],
                        "written": result.written,
                        "unchanged": result.unchanged,
                        "removed": result.removed,
                    },
                )
        return HttpResponseRedirect(reverse("standards:indicator_detail", args=[pk]))
