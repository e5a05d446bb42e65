from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import ScopedModelForm, TreeChoiceField
from chuangwei.org.models import OrgUnit, Person

from .choices import InputCRS
from .models import Grid, Site, SiteType, SiteTypeGroup


def _units(user):  # type: ignore[no-untyped-def]
    return OrgUnit.objects.visible_to(user)


def _people(user):  # type: ignore[no-untyped-def]
    return Person.objects.visible_to(user).select_related("unit")


def _grids(user):  # type: ignore[no-untyped-def]
    return Grid.objects.visible_to(user).filter(level__lt=3)


class GeoJSONField(forms.CharField):
    """A GeoJSON geometry typed or pasted as text; validated by the grid service."""

    widget = forms.Textarea(attrs={"rows": 6, "class": "font-monospace"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the boundary as GeoJSON.")) from exc


class GridForm(ScopedModelForm):
    scoped_fields = {"parent": _grids, "unit": _units, "leader": _people, "workers": _people}
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("owning unit"))
    geometry = GeoJSONField(label=_("boundary (GeoJSON)"))

    class Meta:
        model = Grid
        fields = ["code", "name", "level", "parent", "unit", "leader", "workers", "geometry"]


class SiteTypeForm(ScopedModelForm):
    class Meta:
        model = SiteType
        fields = ["code", "name", "description", "sort_order"]


class SiteTypeGroupForm(ScopedModelForm):
    class Meta:
        model = SiteTypeGroup
        fields = ["code", "name", "site_types", "description"]
        widgets = {"site_types": forms.CheckboxSelectMultiple}


class SiteForm(ScopedModelForm):
    scoped_fields = {"unit": _units}
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("responsible unit"))
    crs = forms.ChoiceField(
        label=_("coordinate system of the point"), choices=InputCRS.choices, initial=InputCRS.WGS84
    )

    class Meta:
        model = Site
        fields = [
            "code",
            "name",
            "site_type",
            "status",
            "address",
            "lng",
            "lat",
            "crs",
            "unit",
            "supervising_department",
            "frontage_party",
            "contact_name",
            "contact_phone",
            "licence_no",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervising_department"].queryset = OrgUnit.objects.departments()  # type: ignore[attr-defined]
