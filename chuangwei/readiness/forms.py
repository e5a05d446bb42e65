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
