"""Forms: the period picker, snapshot computing, schemes and accountability records."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import Form, ScopedModelForm, TreeChoiceField
from chuangwei.org.models import OrgUnit, Person

from .choices import ObjectKind, PeriodKind
from .models import AccountabilityRecord, RankingScheme, RankingSnapshot
from .periods import Period, last_complete_period, period_containing

METRIC_DIMENSIONS = [
    ("street", _("Streets")),
    ("community", _("Communities")),
    ("department", _("Departments")),
    ("work_line", _("Work lines")),
    ("grid", _("Grids")),
    ("reporter", _("Reporters")),
]


class PeriodForm(Form):
    """Week, month, quarter (the one containing ``day``) or custom dates."""

    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial="month")
    day = forms.DateField(label=_("Date in the period"), required=False)
    end = forms.DateField(label=_("To (custom)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("day", "end"):
            self.fields[name].widget.input_type = "date"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("period") or PeriodKind.MONTH
        day = data.get("day")
        if kind == PeriodKind.CUSTOM:
            end = data.get("end")
            if day is None or end is None:
                raise forms.ValidationError(_("A custom period needs a start and an end date."))
            if end < day:
                raise forms.ValidationError(_("The end date must not be before the start date."))
        return data

    def get_period(self) -> Period:
        """The chosen period; the last complete month when nothing (valid) was chosen."""
        if not self.is_bound or not self.is_valid():
            return last_complete_period(PeriodKind.MONTH)
        kind = self.cleaned_data.get("period") or PeriodKind.MONTH
        day: date | None = self.cleaned_data.get("day")
        if day is None:
            return (
                last_complete_period(kind)
                if kind != PeriodKind.CUSTOM
                else (last_complete_period(PeriodKind.MONTH))
            )
        return period_containing(kind, day, self.cleaned_data.get("end"))


class MetricsForm(PeriodForm):
    dimension = forms.ChoiceField(
        label=_("Objects"), choices=METRIC_DIMENSIONS, initial="street", required=False
    )


class PointsForm(PeriodForm):
    level = forms.ChoiceField(
        label=_("Attribute to"),
        choices=[
            ("street", _("Streets")),
            ("community", _("Communities")),
            ("unit", _("Responsible unit as recorded")),
        ],
        initial="street",
        required=False,
    )


class ComputeForm(PeriodForm):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=RankingScheme.objects.all())


class RedBlackForm(Form):
    kind = forms.ChoiceField(label=_("Ranked objects"), choices=ObjectKind.choices, required=False)
    snapshot = forms.ModelChoiceField(
        label=_("Snapshot"),
        queryset=RankingSnapshot.objects.filter(status="published"),
        required=False,
    )


class JSONTextField(forms.CharField):
    """A JSON value edited as text. An empty value shows as an empty box (not ``null``,
    ``[]`` or ``{}``), and an empty box is ``empty()`` (e.g. ``list`` for a list column)."""

    widget = forms.Textarea

    def __init__(self, *, empty: Callable[[], Any] | None = None, **kwargs: Any) -> None:
        self.empty = empty
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if value is None or value == [] or value == {}:
            return ""
        return json.dumps(value, ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return self.empty() if self.empty is not None else None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter valid JSON.")) from exc


class SchemeForm(ScopedModelForm):
    weights = JSONTextField(
        label=_("Weights"),
        help_text=_('Metric key: weight, e.g. {"closure_rate": 30, "on_time_rate": 40}.'),
    )
    count_bands = JSONTextField(
        label=_("Case count bands"),
        required=False,
        empty=list,
        help_text=_("[[bound, score], …]: fewer cases than the bound earn the score."),
    )
    grade_bands = JSONTextField(
        label=_("Grade bands"),
        required=False,
        empty=list,
        help_text=_('[[90, "A"], [75, "B"], …]'),
    )

    class Meta:
        model = RankingScheme
        fields = [
            "name",
            "object_kind",
            "weights",
            "count_bands",
            "grade_bands",
            "list_size",
            "is_default",
            "note",
        ]


class AccountabilityForm(ScopedModelForm):
    unit = TreeChoiceField(label=_("Target unit"), queryset=OrgUnit.objects.all())
    inspection_refs = forms.CharField(
        label=_("Linked inspections"),
        required=False,
        help_text=_("Inspection numbers or references, separated by commas."),
    )
    problem_codes = forms.CharField(
        label=_("Linked problems"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Problem codes (WT-…), separated by commas or new lines."),
    )

    scoped_fields = {
        "unit": lambda user: OrgUnit.objects.visible_to(user),
        "person": lambda user: Person.objects.visible_to(user).select_related("unit"),
        "snapshot": lambda user: RankingSnapshot.objects.filter(status="published"),
    }

    class Meta:
        model = AccountabilityRecord
        fields = [
            "kind",
            "unit",
            "person",
            "reason",
            "issued_on",
            "deadline",
            "status",
            "snapshot",
        ]
        widgets = {"issued_on": forms.DateInput, "deadline": forms.DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["inspection_refs"].initial = ", ".join(self.instance.inspection_refs)
            self.fields["problem_codes"].initial = "\n".join(
                self.instance.problems.values_list("code", flat=True)
            )
        else:
            self.fields["issued_on"].initial = timezone.localdate()

    def clean_problem_codes(self) -> list[Any]:
        from chuangwei.problems.models import Problem

        text = self.cleaned_data.get("problem_codes") or ""
        codes = [c.strip() for c in text.replace("，", ",").replace("\n", ",").split(",")]
        codes = [c for c in codes if c]
        found = list(Problem.objects.visible_to(self.user).filter(code__in=codes))
        missing = sorted(set(codes) - {p.code for p in found})
        if missing:
            raise forms.ValidationError(
                _("Unknown problem codes: %(codes)s") % {"codes": "、".join(missing)}
            )
        return found

    def clean_inspection_refs(self) -> list[str]:
        text = self.cleaned_data.get("inspection_refs") or ""
        return [r.strip() for r in text.replace("，", ",").split(",") if r.strip()]
