"""FilterSets shared by list pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from chuangwei.core.filters import BaseFilterSet, SubtreeFilter
from chuangwei.org.models import OrgUnit

from .choices import MeasureKind, ObjectKind, PeriodKind, RecordStatus, SnapshotStatus
from .models import AccountabilityRecord, RankingScheme, RankingSnapshot


def inline_choice_filter(choices: list[tuple[str, object]], **kwargs: Any) -> Any:
    """A ChoiceFilter written in the API schema as a pattern (the API has several ``status``
    choice sets; shared enum components would collide by name)."""

    @extend_schema_field(
        {"type": "string", "pattern": "^(" + "|".join(str(v) for v, _label in choices) + ")$"}
    )
    class InlineChoiceFilter(django_filters.ChoiceFilter):
        pass

    return InlineChoiceFilter(choices=choices, **kwargs)


def unit_choices(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    return OrgUnit.objects.visible_to(user).only("pk", "name", "depth")


class SnapshotFilter(BaseFilterSet):
    search_fields = ("label",)
    object_kind = inline_choice_filter(ObjectKind.choices, label=_("Ranked objects"))
    period_kind = inline_choice_filter(PeriodKind.choices, label=_("Period"))
    status = inline_choice_filter(SnapshotStatus.choices, label=_("Status"))

    class Meta:
        model = RankingSnapshot
        fields = ["q", "object_kind", "period_kind", "status"]


class SchemeFilter(BaseFilterSet):
    search_fields = ("name",)
    object_kind = inline_choice_filter(ObjectKind.choices, label=_("Ranked objects"))

    class Meta:
        model = RankingScheme
        fields = ["q", "object_kind"]


class AccountabilityFilter(BaseFilterSet):
    search_fields = ("reason", "unit__name", "person__name")
    kind = inline_choice_filter(MeasureKind.choices, label=_("Measure"))
    status = inline_choice_filter(RecordStatus.choices, label=_("Status"))
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
