"""FilterSets of the readiness lists (one per list, shared by the page and the API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet
from chuangwei.org.filters import UnitFilter

from .models import ConditionEvent

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
