"""FilterSets of the readiness lists (one per list, shared by the page and the API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet
from chuangwei.org.filters import UnitFilter

from .models import (
    ConditionEvent,
    EvaluationCycle,
    EvaluationStage,
    RecheckRound,
    StageProblem,
)

# Conditions ---------------------------------------------------------------------------------


class ConditionEventFilter(BaseFilterSet):
    search_fields = ("title", "description")
    year = django_filters.NumberFilter(label=_("Year"))
    unit = UnitFilter(_("Unit"))
    withdrawn = django_filters.BooleanFilter(label=_("Withdrawn"), method="filter_withdrawn")

    class Meta:
        model = ConditionEvent
        fields = ["q", "year", "unit", "withdrawn"]

    def filter_withdrawn(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(withdrawn_at__isnull=not value)


# Cycles -------------------------------------------------------------------------------------


class EvaluationCycleFilter(BaseFilterSet):
    search_fields = ("name", "note")
    kind = django_filters.CharFilter(label=_("Kind"))
    is_current = django_filters.BooleanFilter(label=_("Current cycle"))

    class Meta:
        model = EvaluationCycle
        fields = ["q", "kind", "is_current"]


class EvaluationStageFilter(BaseFilterSet):
    search_fields = ("name", "deliverables")
    cycle = django_filters.NumberFilter(label=_("Cycle"), field_name="cycle_id")
    kind = django_filters.CharFilter(label=_("Kind"))
    status = django_filters.CharFilter(label=_("Status"))

    class Meta:
        model = EvaluationStage
        fields = ["q", "cycle", "kind", "status"]


class StageProblemFilter(BaseFilterSet):
    search_fields = ("item_no", "problem__description")
    stage = django_filters.NumberFilter(label=_("Stage"), field_name="stage_id")

    class Meta:
        model = StageProblem
        fields = ["q", "stage"]


class RecheckRoundFilter(BaseFilterSet):
    search_fields = ("name", "summary")
    stage = django_filters.NumberFilter(label=_("Stage"), field_name="stage_id")

    class Meta:
        model = RecheckRound
        fields = ["q", "stage"]
