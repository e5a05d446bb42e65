"""FilterSet base shared by list pages and the API (one filter vocabulary)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chuangwei.lib import bounds

from .forms import TreeChoiceField, bound_fields
from .widgets import fast


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q`` (free text over ``search_fields``), Chinese placeholders and the input
    ranges of ``lib.bounds`` on every date, number and year filter."""

    search_fields: Sequence[str] = ()
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_q")

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if not self.search_fields:
            self.filters.pop("q", None)
            self.form.fields.pop("q", None)
        for name, field in self.form.fields.items():
            # The form's fields are this request's copies, so their widgets may change class.
            widget = fast(field.widget)
            if isinstance(field, forms.NullBooleanField):
                widget.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]
            elif hasattr(field, "empty_label"):
                field.empty_label = _("All")
            if hasattr(widget, "input_type") and widget.input_type in ("text", "search"):
                widget.attrs.setdefault(
                    "placeholder", _("Enter %(label)s") % {"label": field.label}
                )
            if name == "q":
                widget.attrs["placeholder"] = _("Code, name…")
        bound_fields(self.form.fields.values())
        for name, filter_ in self.filters.items():
            if filter_.lookup_expr == "year" and name in self.form.fields:
                field = self.form.fields[name]
                field.validators = [*field.validators, bounds.validate_year]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            reduce(or_, (Q(**{f"{f}__icontains": value}) for f in self.search_fields))
        )


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(django_filters.ModelChoiceFilter):
    """Rows whose unit lies in the chosen unit's subtree (field path in ``field_name``)."""

    field_class = TreeChoiceField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        prefix = f"{self.field_name}__" if self.field_name else ""
        return qs.filter(**{f"{prefix}path__startswith": value.path})
