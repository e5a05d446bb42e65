"""One FilterSet for the ledger list, its map, its export and the API."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet, SubtreeFilter
from chuangwei.core.forms import TreeChoiceField
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.filters import unit_choices
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Grid
from chuangwei.standards.choices import Severity
from chuangwei.standards.models import ProblemCategory

from .choices import ProblemAction, ProblemSource, ProblemStatus
from .models import CalendarDay, DeadlineRule, Problem, ProblemEvent


class SingleSelectList(forms.SelectMultiple):
    """Renders a plain dropdown but reads every value (``?status=a&status=b`` from links
    and the API); the empty "All" option means no filter."""

    allow_multiple_selected = False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else [data.get(name)]
        return [v for v in values if v not in (None, "")]


class TreeModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = TreeChoiceField


CODE_PREFIX = re.compile(r"WT-\d{4}(-\d*)?")
# More matches than this and a code prefix is searched in list order, not through the index.
BROAD_PREFIX = 200


def category_choices(request: Any) -> QuerySet[ProblemCategory]:
    return ProblemCategory.objects.only("pk", "code", "name", "path", "depth").order_by("path")


def grid_choices(request: Any) -> QuerySet[Grid]:
    # Geometry is large and not needed for a select.
    return (
        Grid.objects.visible_to(getattr(request, "user", None))
        .only("pk", "code", "name", "path", "depth")
        .order_by("path")
    )


def department_choices(request: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT).order_by("path")


def local_day_start(day: date) -> datetime:
    """Midnight of a Shanghai calendar day as an aware datetime (index-friendly bounds)."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ProblemFilter(BaseFilterSet):
    search_fields = ("code", "description", "address")

    def filter_q(self, queryset: QuerySet[Problem], name: str, value: str) -> QuerySet[Problem]:
        """A problem code (or its prefix, e.g. ``WT-2026-0012``) is looked up through the unique
        index on ``code`` as a range; other text scans code, description and address."""
        text = value.strip().upper()
        if CODE_PREFIX.fullmatch(text):
            in_range = queryset.filter(code__gte=text, code__lt=text + "\uffff")
            if self._counting or not self._broad(in_range, text):
                return in_range
            # A short prefix (``WT-2026``) matches most of a year. Compared as an expression
            # it cannot take the code index, so the database walks the list order and stops
            # at the first page instead of sorting every match (SQLite at 1M: 1.6 s → ms).
            # Counting them is the other way round: ``qs`` leaves a count_source that counts
            # the same rows through the code index.
            self._broad_prefix = True
            return queryset.alias(code_head=Substr("code", 1, len(text))).filter(code_head=text)
        return super().filter_q(queryset, name, value)

    _counting = False
    _broad_prefix = False

    def _broad(self, in_range: QuerySet[Problem], text: str) -> bool:
        cache = self.__dict__.setdefault("_broad_cache", {})
        if text not in cache:
            cache[text] = len(in_range.order_by().values("pk")[:BROAD_PREFIX]) >= BROAD_PREFIX
        return bool(cache[text])

    @property
    def qs(self) -> QuerySet[Problem]:
        qs = super().qs
        if self._broad_prefix and not hasattr(qs, "count_source"):
            self._counting = True
            try:
                qs.count_source = self.filter_queryset(self.queryset.all())  # type: ignore[attr-defined]
            finally:
                self._counting = False
        return qs

    # distinct=False: status is a column of this table, no join can duplicate rows.
    status = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Status"), choices=ProblemStatus.choices, widget=SingleSelectList
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    source = django_filters.ChoiceFilter(label=_("Source"), choices=ProblemSource.choices)
    category = SubtreeFilter(label=_("Category"), queryset=category_choices, field_name="category")
    unit = TreeModelChoiceFilter(label=_("Unit"), queryset=unit_choices, method="filter_unit")
    grid = SubtreeFilter(label=_("Grid"), queryset=grid_choices, field_name="grid")
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=department_choices
    )
    reported_after = django_filters.DateFilter(
        label=_("Reported from"), method="filter_reported_after"
    )
    reported_before = django_filters.DateFilter(
        label=_("Reported until"), method="filter_reported_before"
    )
    # Dashboard and briefing figures click through to these (closed in a period, on time...).
    closed_after = django_filters.DateFilter(label=_("Closed from"), method="filter_closed_after")
    closed_before = django_filters.DateFilter(
        label=_("Closed until"), method="filter_closed_before"
    )
    on_time = django_filters.BooleanFilter(label=_("Closed on time"), field_name="closed_on_time")
    reworked = django_filters.BooleanFilter(label=_("Reworked"), method="filter_reworked")
    recurred = django_filters.BooleanFilter(label=_("Recurrence"), method="filter_recurred")

    class Meta:
        model = Problem
        fields = [
            "q",
            "status",
            "overdue",
            "unit",
            "reported_after",
            "reported_before",
            "source",
            "category",
            "grid",
            "department",
            "closed_after",
            "closed_before",
            "on_time",
            "reworked",
            "recurred",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.form.fields["status"]
        # The base class already gives the field an empty "All" choice; add one only if not.
        choices = list(status.choices)
        if not any(value == "" for value, _label in choices):
            choices.insert(0, ("", _("All")))
        status.widget.choices = choices
        for name in ("reported_after", "reported_before", "closed_after", "closed_before"):
            self.form.fields[name].widget.input_type = "date"
        self.form.fields["q"].widget.attrs["placeholder"] = _("Code, description, address")

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = Q(status=ProblemStatus.DISPATCHED, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_unit(
        self, queryset: QuerySet[Any], name: str, value: OrgUnit | None
    ) -> QuerySet[Any]:
        """Problems of the unit's territory (属地) or dispatched to a department in it (条线)."""
        if value is None:
            return queryset
        return queryset.filter(
            Q(unit__path__startswith=value.path) | Q(department__path__startswith=value.path)
        )

    def filter_reported_after(
        self, queryset: QuerySet[Any], name: str, value: date | None
    ) -> QuerySet[Any]:
        return queryset.filter(reported_at__gte=local_day_start(value)) if value else queryset

    def filter_reported_before(
        self, queryset: QuerySet[Any], name: str, value: date | None
    ) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(reported_at__lt=local_day_start(value + timedelta(days=1)))

    def filter_closed_after(
        self, queryset: QuerySet[Any], name: str, value: date | None
    ) -> QuerySet[Any]:
        return queryset.filter(closed_at__gte=local_day_start(value)) if value else queryset

    def filter_closed_before(
        self, queryset: QuerySet[Any], name: str, value: date | None
    ) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(closed_at__lt=local_day_start(value + timedelta(days=1)))

    def filter_reworked(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(rework_count__gt=0) if value else queryset.filter(rework_count=0)

    def filter_recurred(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(recurrence_of__isnull=not value)


class CalendarDayFilter(BaseFilterSet):
    search_fields = ("name",)
    is_workday = django_filters.BooleanFilter(label=_("Working day"))
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")

    class Meta:
        model = CalendarDay
        fields = ["q", "year", "is_workday"]


class DeadlineRuleFilter(BaseFilterSet):
    category = SubtreeFilter(label=_("Category"), queryset=category_choices, field_name="category")
    # Declared with a lazy label, so it follows the page's language (never the language that
    # happened to be active when the filter class was built).
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)

    class Meta:
        model = DeadlineRule
        fields = ["category", "severity"]


class ProblemEventFilter(BaseFilterSet):
    """The API's event feed: by problem, action and time (an integration pages forward with
    ``created_at__gte``)."""

    # A plain number, so an id outside the caller's scope looks like one that does not exist.
    problem = django_filters.NumberFilter(field_name="problem_id")
    action = django_filters.ChoiceFilter(choices=ProblemAction.choices)
    created_at__gte = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_at__lt = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = ProblemEvent
        fields = ["problem", "action"]
