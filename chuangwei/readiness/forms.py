"""Forms of the readiness pages. Each area keeps its forms here under its heading."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import Form, TreeChoiceField
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit

from . import selectors

# Conditions ---------------------------------------------------------------------------------


class ConditionEventForm(Form):
    """Record an event that fails a prerequisite or veto condition."""

    condition = forms.ChoiceField(label=_("Condition"))
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("Responsible unit"))
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, rows: list[selectors.ConditionRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = [
            (f"{row.kind}:{row.pk}", f"{row.number} {row.title}") for row in rows
        ]
        self.fields["unit"].queryset = OrgUnit.objects.exclude(  # type: ignore[attr-defined]
            kind=OrgUnitKind.OTHER
        ).order_by("path")
        self.fields["description"].widget.attrs["rows"] = 3

    def condition_kwargs(self) -> dict[str, Any]:
        """``clause=…`` or ``indicator=…`` for the service, from the chosen condition."""
        from chuangwei.standards.models import Indicator, StandardClause

        kind, pk = self.cleaned_data["condition"].split(":")
        if kind == "clause":
            return {"clause": StandardClause.objects.get(pk=int(pk))}
        return {"indicator": Indicator.objects.get(pk=int(pk))}


class WithdrawForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


# Cycles and stages --------------------------------------------------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class CycleForm(Form):
    """A cycle's fields; on creation, the dates of the template's stages too (``stage_*``)."""

    kind = forms.ChoiceField(label=_("Kind"))
    name = forms.CharField(label=_("Name"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), min_value=1900, max_value=2999)
    end_year = forms.IntegerField(label=_("Last year"), min_value=1900, max_value=2999)
    standard_version = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label=_("Standard version"),
    )
    is_current = forms.BooleanField(label=_("Current cycle"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, with_stages: bool = False, **kwargs: Any) -> None:
        from chuangwei.standards.models import StandardVersion

        from .choices import CycleKind
        from .services.cycles import STAGE_TEMPLATE

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CycleKind.choices
        self.fields["standard_version"].queryset = (  # type: ignore[attr-defined]
            StandardVersion.objects.order_by("-year", "-id")
        )
        self.fields["note"].widget.attrs["rows"] = 2
        self.stage_fields: list[str] = []
        if with_stages:
            from .choices import StageKind

            for kind, *_rest in STAGE_TEMPLATE:
                name = f"stage_{kind}"
                self.fields[name] = forms.DateField(
                    label=StageKind(kind).label,
                    required=False,
                    widget=_date_input(),
                    help_text=_("Blank takes the template's date."),
                )
                self.stage_fields.append(name)

    def stage_dates(self) -> dict[str, Any]:
        """The dates the user gave the template's stages, by kind (blank ones left out)."""
        return {
            name.removeprefix("stage_"): self.cleaned_data[name]
            for name in self.stage_fields
            if self.cleaned_data.get(name)
        }


class StageForm(Form):
    kind = forms.ChoiceField(label=_("Kind"))
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    due_on = forms.DateField(label=_("Date"), widget=_date_input())
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=_date_input())
    owner = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("Owner"), required=False)
    deliverables = forms.CharField(label=_("Deliverables"), required=False, widget=forms.Textarea)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .choices import StageKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = StageKind.choices
        self.fields["owner"].queryset = OrgUnit.objects.exclude(  # type: ignore[attr-defined]
            kind=OrgUnitKind.OTHER
        ).order_by("path")
        for name in ("deliverables", "note"):
            self.fields[name].widget.attrs["rows"] = 2


class RecheckRoundForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    held_on = forms.DateField(label=_("Date"), widget=_date_input())
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].widget.attrs["rows"] = 2


class RecheckResultForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .choices import RecheckOutcome

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = RecheckOutcome.choices
