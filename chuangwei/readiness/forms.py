"""Forms of the readiness pages. Each area keeps its forms here under its heading."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import Form, ModelForm, TreeChoiceField
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit

from . import selectors
from .models import EvidenceRequirement

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


# Evidence dossier ---------------------------------------------------------------------------


def _item_clauses() -> Any:
    """Check items (and articles and rules) of versions that are not retired."""
    from chuangwei.standards.models import StandardClause

    return (
        StandardClause.objects.exclude(version__status="retired")
        .exclude(level="aspect")
        .select_related("version")
        .order_by("version__code", "path")
    )


class ClauseChoiceField(TreeChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.version.code} · {obj.number} {obj.title}"[:120]


class EvidenceRequirementForm(ModelForm):
    """Create or edit a requirement (应备材料) of a check item."""

    clause = ClauseChoiceField(queryset=OrgUnit.objects.none(), label=_("Check item"))
    unit_kinds = forms.MultipleChoiceField(
        label=_("Kinds of unit"),
        required=False,
        choices=OrgUnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every active unit of these kinds keeps it."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        required=False,
        queryset=OrgUnit.objects.none(),
        help_text=_("Units named one by one (e.g. a department)."),
    )

    class Meta:
        model = EvidenceRequirement
        fields = [
            "clause",
            "title",
            "description",
            "frequency",
            "unit_kinds",
            "units",
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = _item_clauses()  # type: ignore[attr-defined]
        self.fields["units"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("path")
        self.fields["description"].widget.attrs["rows"] = 3


class EvidenceSubmitForm(Form):
    """File evidence (or file it again after a return): a note and the files."""

    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 2


class EvidenceReturnForm(Form):
    remark = forms.CharField(
        label=_("Remark"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remark"].widget.attrs["rows"] = 2
