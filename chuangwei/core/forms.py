"""Form helpers shared by configuration forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet


class TreeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of tree nodes indented by depth (市 › 区 › 街道 shows as indentation)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * getattr(obj, 'depth', 0)}{obj}"


class ScopedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose foreign-key choices are limited to what the user may see.

    ``scoped_fields`` maps field name → queryset factory taking the user.
    """

    init_kwargs = ("user",)
    scoped_fields: dict[str, Any] = {}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name, factory in self.scoped_fields.items():
            if name in self.fields:
                queryset: QuerySet[Any] = factory(user)
                self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        for f in self.fields.values():
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs.setdefault("rows", 3)
            if isinstance(f.widget, forms.DateInput):
                f.widget.input_type = "date"
