"""FilterSets shared by list pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet, SubtreeFilter
from chuangwei.org.models import OrgUnit

from .choices import MeasureKind, ObjectKind, PeriodKind, RecordStatus, SnapshotStatus
from .models import AccountabilityRecord, RankingScheme, RankingSnapshot


def unit_choices(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    return OrgUnit.objects.visible_to(user).only("pk", "name", "depth")


class SnapshotFilter(BaseFilterSet):
    search_fields = ("label",)
    object_kind = django_filters.ChoiceFilter(label=_("Ranked objects"), choices=ObjectKind.choices)
    period_kind = django_filters.ChoiceFilter(label=_("Period"), choices=PeriodKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SnapshotStatus.choices)

    class Meta:
        model = RankingSnapshot
        fields = ["q", "object_kind", "period_kind", "status"]


class SchemeFilter(BaseFilterSet):
    search_fields = ("name",)
    object_kind = django_filters.ChoiceFilter(label=_("Ranked objects"), choices=ObjectKind.choices)

    class Meta:
        model = RankingScheme
        fields = ["q", "object_kind"]


class AccountabilityFilter(BaseFilterSet):
    search_fields = ("reason", "unit__name", "person__name")
    kind = django_filters.ChoiceFilter(label=_("Measure"), choices=MeasureKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RecordStatus.choices)
    unit = SubtreeFilter(label=_("Target unit"), queryset=unit_choices, field_name="unit")
    issued_after = django_filters.DateFilter(
        label=_("Issued from"), field_name="issued_on", lookup_expr="gte"
    )
    issued_before = django_filters.DateFilter(
        label=_("Issued to"), field_name="issued_on", lookup_expr="lte"
    )

    class Meta:
        model = AccountabilityRecord
        fields = ["q", "kind", "status", "unit", "issued_after", "issued_before"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for name in ("issued_after", "issued_before"):
            self.form.fields[name].widget.input_type = "date"
