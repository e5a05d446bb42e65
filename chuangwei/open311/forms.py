"""Forms of the Open311 management pages (office and admin)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import ScopedModelForm

from .models import Open311Client, ServiceAttribute
from .selectors import public_categories


class Open311ClientForm(ScopedModelForm):
    class Meta:
        model = Open311Client
        fields = ["name", "contact", "rate_limit", "note"]

    def clean_rate_limit(self) -> int:
        value = int(self.cleaned_data["rate_limit"])
        if not 1 <= value <= 6000:
            raise forms.ValidationError(_("Enter a number from 1 to 6000."))
        return value


class ValuesField(forms.CharField):
    """The choice list as JSON text: [{"key": "...", "name": "..."}]."""

    widget = forms.Textarea

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False, indent=1)
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return []
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(
                _('Enter a list like [{"key": "a", "name": "…"}].')
            ) from None


class ServiceAttributeForm(ScopedModelForm):
    scoped_fields = {"category": lambda user: public_categories()}
    values = ValuesField(
        label=_("values"),
        required=False,
        help_text=_('For choice lists: [{"key": "...", "name": "..."}, ...]'),
    )

    class Meta:
        model = ServiceAttribute
        fields = [
            "category",
            "code",
            "description",
            "datatype",
            "required",
            "variable",
            "order",
            "datatype_description",
            "values",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.code} {c.public_name}"
        )
