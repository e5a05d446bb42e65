"""Forms of the inspection pages; services do the checking that matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.models import User
from chuangwei.accounts.permissions import INSPECTION_TEAM_ROLES, users_with_roles
from chuangwei.core.forms import Form, ModelForm, ScopedModelForm
from chuangwei.core.limits import column_length
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Grid, Site
from chuangwei.problems.forms import MultipleImageField
from chuangwei.standards.models import ProblemCategory

from .choices import InspectionKind
from .models import Deduction, SamplingDraw, ScoreSheet, SheetItem


class ScoreSheetForm(ScopedModelForm):
    class Meta:
        model = ScoreSheet
        fields = [
            "code",
            "name",
            "site_type",
            "area",
            "is_national",
            "national_part",
            "source",
            "note",
        ]


def format_bands(bands: list[dict[str, Any]]) -> str:
    return "；".join(f"{b['label']}:{b['low']}-{b['high']}" for b in bands)


def parse_band_text(text: str) -> list[dict[str, str]]:
    """ "好:17.5-20；中:9.5-17；差:0-9" → band dicts (the service checks the numbers)."""
    out = []
    for chunk in text.replace(";", "；").split("；"):
        chunk = chunk.strip()
        if not chunk:
            continue
        label, _sep, rng = chunk.replace("：", ":").partition(":")
        low, _dash, high = rng.replace("–", "-").partition("-")
        out.append({"label": label.strip(), "low": low.strip() or "x", "high": high.strip() or "x"})
    return out


class SheetItemForm(ModelForm):  # type: ignore[type-arg]
    bands_text = forms.CharField(
        label=_("Bands"),
        required=False,
        help_text=_("For banded items, e.g. 好:17.5-20；中:9.5-17；差:0-9"),
    )

    class Meta:
        model = SheetItem
        fields = [
            "parent",
            "number",
            "title",
            "points",
            "mode",
            "deduction_step",
            "category",
            "note",
            "sort_order",
        ]

    def __init__(self, *args: Any, sheet: ScoreSheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = sheet.items.all()  # type: ignore[attr-defined]
        self.fields["category"].queryset = ProblemCategory.objects.filter(is_active=True)  # type: ignore[attr-defined]
        # Negative points reach the service, which refuses them with the one clear message.
        self.fields["points"].min_value = None  # type: ignore[attr-defined]
        self.fields["points"].validators = []
        if self.instance.pk and self.instance.bands:
            self.fields["bands_text"].initial = format_bands(self.instance.bands)

    def clean_points(self) -> Any:
        from chuangwei.core.errors import InvalidInput

        from .scoring import to_points

        try:
            return to_points(self.cleaned_data["points"])
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc.message)) from exc


class TaskForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    planned_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    draw = forms.ModelChoiceField(
        label=_("Sites from a sampling draw"), queryset=SamplingDraw.objects.all(), required=False
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    team = forms.ModelMultipleChoiceField(
        label=_("Team"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose at least one team member.")},
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    scope_units = forms.ModelMultipleChoiceField(
        label=_("Units in scope"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    scope_grids = forms.ModelMultipleChoiceField(
        label=_("Grids in scope"),
        queryset=Grid.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    sheet = forms.ModelChoiceField(
        label=_("Default score sheet"),
        queryset=ScoreSheet.objects.filter(status="published"),
        required=False,
        help_text=_("Used for sites whose type has no sheet of its own."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.filter(status="operating").select_related(
            "site_type"
        )  # type: ignore[attr-defined]
        self.fields["scope_units"].queryset = OrgUnit.objects.exclude(kind="department").order_by(
            "path"
        )  # type: ignore[attr-defined]
        self.fields["scope_grids"].queryset = Grid.objects.filter(level__lte=2).order_by("path")  # type: ignore[attr-defined]
        self.fields["team"].queryset = users_with_roles(  # type: ignore[attr-defined]
            *INSPECTION_TEAM_ROLES
        ).order_by("username")

    def chosen_sites(self) -> list[Site]:
        sites = list(self.cleaned_data.get("sites") or [])
        draw = self.cleaned_data.get("draw")
        if draw is not None:
            known = {s.pk for s in sites}
            sites += [s for s in Site.objects.filter(pk__in=draw.site_ids) if s.pk not in known]
        return sites


class DeductionForm(Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    points = forms.CharField(label=_("Points deducted"))
    note = forms.CharField(
        label=_("Finding"),
        max_length=column_length(Deduction, "note"),
        required=False,
    )
    photos = MultipleImageField(label=_("Photos"))
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)


class BandForm(Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    band = forms.CharField(label=_("Band"))
    score = forms.CharField(label=_("Score"), required=False)


class SheetImportForm(Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    ignore_unknown = forms.BooleanField(
        label=_("Ignore columns that are not recognised"), required=False
    )
