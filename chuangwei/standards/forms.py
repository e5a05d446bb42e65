from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import ScopedModelForm, TreeChoiceField
from chuangwei.org.models import OrgUnit

from .models import Indicator, IndicatorValue, ProblemCategory, StandardClause, StandardVersion


class StandardVersionForm(ScopedModelForm):
    class Meta:
        model = StandardVersion
        fields = ["code", "name", "year", "issuer", "document_no", "source", "note"]


class StandardClauseForm(ScopedModelForm):
    parent = TreeChoiceField(
        queryset=StandardClause.objects.none(), label=_("parent"), required=False
    )

    class Meta:
        model = StandardClause
        fields = [
            "version",
            "parent",
            "level",
            "number",
            "title",
            "text",
            "lead_work_line",
            "evidence_required",
            "is_prerequisite",
            "is_veto",
            "sort_order",
            "source",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = StandardClause.objects.exclude(
            level="item"
        ).select_related("version")  # type: ignore[attr-defined]


class IndicatorForm(ScopedModelForm):
    class Meta:
        model = Indicator
        fields = [
            "version",
            "clause",
            "code",
            "name",
            "unit",
            "comparator",
            "threshold",
            "is_veto",
            "numerator_label",
            "denominator_label",
            "source",
            "note",
        ]


class IndicatorValueForm(ScopedModelForm):
    scoped_fields = {"unit": lambda user: OrgUnit.objects.visible_to(user)}
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("unit"))

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "unit", "numerator", "denominator", "note"]


class ProblemCategoryForm(ScopedModelForm):
    parent = TreeChoiceField(
        queryset=ProblemCategory.objects.all(), label=_("parent"), required=False
    )

    class Meta:
        model = ProblemCategory
        fields = [
            "parent",
            "kind",
            "code",
            "name",
            "public_name",
            "description",
            "standard_ref",
            "legacy_code",
            "sanitary_class",
            "default_work_line",
            "default_department",
            "deadline_amount",
            "deadline_unit",
            "severity",
            "check_item",
            "is_local_extension",
            "is_public",
            "is_active",
            "sort_order",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_department"].queryset = OrgUnit.objects.departments()  # type: ignore[attr-defined]
        self.fields["check_item"].queryset = StandardClause.objects.filter(level="item")  # type: ignore[attr-defined]
