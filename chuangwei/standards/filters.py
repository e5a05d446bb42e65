import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet
from chuangwei.org.filters import UnitFilter
from chuangwei.org.models import WorkLine

from .choices import CategoryKind, ClauseLevel, DeadlineUnit, Severity, VersionStatus
from .models import Indicator, IndicatorValue, ProblemCategory, StandardClause, StandardVersion


class StandardVersionFilter(BaseFilterSet):
    search_fields = ("code", "name", "document_no")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VersionStatus.choices)

    class Meta:
        model = StandardVersion
        fields = ["q", "status"]


class StandardClauseFilter(BaseFilterSet):
    search_fields = ("number", "title", "text")
    version = django_filters.ModelChoiceFilter(
        label=_("Version"), queryset=StandardVersion.objects.all()
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=ClauseLevel.choices)
    is_prerequisite = django_filters.BooleanFilter(label=_("Prerequisite"))
    lead_work_line = django_filters.ModelChoiceFilter(
        label=_("Lead work line"), queryset=WorkLine.objects.all()
    )

    class Meta:
        model = StandardClause
        fields = ["q", "version", "level", "is_prerequisite", "lead_work_line"]


class IndicatorFilter(BaseFilterSet):
    search_fields = ("code", "name")
    version = django_filters.ModelChoiceFilter(
        label=_("Version"), queryset=StandardVersion.objects.all()
    )
    is_veto = django_filters.BooleanFilter(label=_("One-vote veto"))

    class Meta:
        model = Indicator
        fields = ["q", "version", "is_veto"]


class IndicatorValueFilter(BaseFilterSet):
    search_fields = ("indicator__name", "indicator__code")
    year = django_filters.NumberFilter(label=_("Year"))
    unit = UnitFilter(_("Unit"))

    class Meta:
        model = IndicatorValue
        fields = ["q", "year", "unit"]


class ProblemCategoryFilter(BaseFilterSet):
    search_fields = ("code", "name", "public_name", "legacy_code")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CategoryKind.choices)
    default_work_line = django_filters.ModelChoiceFilter(
        label=_("Work line"), queryset=WorkLine.objects.all()
    )
    deadline_unit = django_filters.ChoiceFilter(
        label=_("Handling time unit"), choices=DeadlineUnit.choices
    )
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    is_public = django_filters.BooleanFilter(label=_("Offered to citizens"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = ProblemCategory
        fields = ["q", "kind", "default_work_line", "severity", "is_public", "is_active"]
