import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet, SubtreeFilter

from .choices import OrgUnitKind
from .models import LeaderAssignment, OrgUnit, Person, ResponsibilityAgreement, WorkLine


def unit_choices(request):  # type: ignore[no-untyped-def]
    """Units offered in filter selects: what the user sees, down to community level."""
    user = getattr(request, "user", None)
    return (
        OrgUnit.objects.visible_to(user)
        .filter(depth__lte=3)
        .only("pk", "name", "depth", "path")
        .order_by("path")
    )


def UnitFilter(label, field_name="unit"):  # type: ignore[no-untyped-def]  # noqa: N802
    return SubtreeFilter(label=label, queryset=unit_choices, field_name=field_name)


class OrgUnitFilter(BaseFilterSet):
    search_fields = ("code", "name", "short_name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrgUnitKind.choices)
    within = UnitFilter(_("Within unit"), field_name="")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "within", "is_active"]


class WorkLineFilter(BaseFilterSet):
    search_fields = ("code", "name", "lead_department__name")

    class Meta:
        model = WorkLine
        fields = ["q"]


class PersonFilter(BaseFilterSet):
    search_fields = ("name", "phone", "position")
    unit = UnitFilter(_("Unit"))

    class Meta:
        model = Person
        fields = ["q", "unit"]


class LeaderAssignmentFilter(BaseFilterSet):
    search_fields = ("leader__name", "unit__name")

    class Meta:
        model = LeaderAssignment
        fields = ["q"]


class AgreementFilter(BaseFilterSet):
    search_fields = ("title", "unit__name")
    year = django_filters.NumberFilter(label=_("Year"))
    unit = UnitFilter(_("Unit"))

    class Meta:
        model = ResponsibilityAgreement
        fields = ["q", "year", "unit"]
