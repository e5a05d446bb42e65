from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import Form, ScopedModelForm, TreeChoiceField
from chuangwei.org.models import OrgUnit

from . import sources
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
            "points",
            "pass_rule",
            "is_prerequisite",
            "is_veto",
            "sort_order",
            "source",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = StandardClause.objects.exclude(
            level="rule"
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
            "computed_by",
            "source",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["computed_by"] = forms.ChoiceField(
            label=_("computed by"),
            required=False,
            choices=source_choices(),
            help_text=_("A source of the platform that computes the values; empty: entered."),
        )


def source_choices() -> list[tuple[str, Any]]:
    return [("", _("Entered with evidence")), *((s.key, s.label) for s in sources.all_sources())]


class IndicatorValueForm(ScopedModelForm):
    scoped_fields = {"unit": lambda user: OrgUnit.objects.visible_to(user)}
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("unit"))

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "unit", "numerator", "denominator", "note", "evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Computed indicators are never typed in (services refuse them too).
        self.fields["indicator"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            computed_by=""
        ).select_related("version")


class VersionCopyForm(Form):
    code = forms.CharField(label=_("Code of the new draft"), max_length=32)
    name = forms.CharField(label=_("Name of the new draft"), max_length=200)


class WorkbookImportForm(Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    code = forms.CharField(
        label=_("Import under version code"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to use the code in the workbook's 版本 sheet."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Only .xlsx workbooks can be imported as a standard."))
        if upload.size > settings.CHUANGWEI_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class RecomputeForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


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
