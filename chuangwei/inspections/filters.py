"""One FilterSet per list, shared by the UI and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet

from .choices import InspectionKind, ResultStatus, SheetStatus, TaskStatus
from .models import InspectionTask, PatrolCheckin, SamplingDraw, ScoreSheet, SiteResult


class ScoreSheetFilter(BaseFilterSet):
    search_fields = ("code", "name")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SheetStatus.choices)

    class Meta:
        model = ScoreSheet
        fields = ["status"]


class InspectionTaskFilter(BaseFilterSet):
    search_fields = ("code", "name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InspectionKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices)
    date_from = django_filters.DateFilter(
        field_name="planned_date", lookup_expr="gte", label=_("From")
    )
    date_to = django_filters.DateFilter(field_name="planned_date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = InspectionTask
        fields = ["kind", "status"]


class SiteResultFilter(BaseFilterSet):
    search_fields = ("site__name", "site__code", "task__code")
    task = django_filters.NumberFilter(label=_("Task"))
    kind = django_filters.ChoiceFilter(
        field_name="task__kind", label=_("Kind"), choices=InspectionKind.choices
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ResultStatus.choices)
    date_from = django_filters.DateFilter(
        field_name="task__planned_date", lookup_expr="gte", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="task__planned_date", lookup_expr="lte", label=_("To")
    )

    class Meta:
        model = SiteResult
        fields = ["task", "kind", "status"]


class SamplingDrawFilter(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = SamplingDraw
        fields: list[str] = []


class PatrolCheckinFilter(BaseFilterSet):
    worker = django_filters.NumberFilter(label=_("Grid worker"))
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("Since"))

    class Meta:
        model = PatrolCheckin
        fields = ["worker"]
