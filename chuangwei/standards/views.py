from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from chuangwei.core.tables import Column
from chuangwei.core.views import ObjectDeleteView, ObjectDetailView, ObjectFormView, ObjectListView

from . import services
from .choices import (
    CATEGORY_KIND_COLORS,
    CLAUSE_LEVEL_COLORS,
    SEVERITY_COLORS,
    VERSION_STATUS_COLORS,
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
    StandardClauseForm,
    StandardVersionForm,
)
from .models import Indicator, IndicatorValue, ProblemCategory, StandardClause, StandardVersion

STD = (_("Standards"), "")


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
    url_names = _urls("version")


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
        return {
            "clauses": obj.clauses.select_related("lead_work_line").order_by("path"),
            "indicators": obj.indicators.all(),
            "level_colors": CLAUSE_LEVEL_COLORS,
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
        Column("evidence_required", _("Evidence required")),
        Column("source", _("Source")),
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
        Column("source", _("Source")),
        Column("note", _("Note")),
    ]


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
