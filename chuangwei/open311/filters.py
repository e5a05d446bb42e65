"""Filters of the Open311 management lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet

from .models import Datatype, Open311Client, ServiceAttribute
from .selectors import public_categories


class Open311ClientFilter(BaseFilterSet):
    search_fields = ("name", "contact", "key_prefix")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Open311Client
        fields = ["q", "is_active"]


def _services(request: object) -> object:
    return public_categories()


class ServiceAttributeFilter(BaseFilterSet):
    search_fields = ("code", "description")
    category = django_filters.ModelChoiceFilter(label=_("Service"), queryset=_services)
    datatype = django_filters.ChoiceFilter(label=_("Datatype"), choices=Datatype.choices)

    class Meta:
        model = ServiceAttribute
        fields = ["q", "category", "datatype"]
