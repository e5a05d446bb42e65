"""Form helpers shared by configuration forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from chuangwei.lib import bounds


class TreeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of tree nodes indented by depth (市 › 区 › 街道 shows as indentation)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * getattr(obj, 'depth', 0)}{obj}"


class BoundedForm:
    """Every date and number field of the form refuses values outside ``lib.bounds``."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_fields(self.fields.values())


class Form(BoundedForm, forms.Form):
    """Base of every plain form (the project rule in core/tests refuses ``forms.Form``)."""


class ModelForm(BoundedForm, forms.ModelForm):  # type: ignore[type-arg]
    """Base of every model form."""


class ScopedModelForm(ModelForm):
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


def bound_fields(fields: Any) -> None:
    """Attach the input ranges of ``lib.bounds`` to every date, datetime and number field.

    Called by the form and filter bases on their own copies of the fields, so every form and
    filter refuses a year-1 date or a 30-digit id with a message instead of failing in the
    database."""
    for field in fields:
        if isinstance(field, (forms.DateField, forms.DateTimeField)):
            checks = [bounds.validate_date_in_range]
        elif isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
            checks = [bounds.validate_number_in_range]
        else:
            continue
        field.validators = [*field.validators, *(c for c in checks if c not in field.validators)]
