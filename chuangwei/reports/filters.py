"""Filters of the briefing archive and the milestone list (UI and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet

from .choices import BriefingKind, BriefingStatus, MilestoneKind
from .models import Briefing, Milestone


class BriefingFilter(BaseFilterSet):
    search_fields = ("headline", "masthead")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=BriefingKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BriefingStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")

    class Meta:
        model = Briefing
        fields = ["q", "kind", "status", "year"]


class MilestoneFilter(BaseFilterSet):
    search_fields = ("name", "note")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MilestoneKind.choices)

    class Meta:
        model = Milestone
        fields = ["q", "kind"]
