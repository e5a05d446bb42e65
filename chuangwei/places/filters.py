import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet
from chuangwei.org.filters import UnitFilter

from .choices import GridLevel, SiteStatus
from .models import Grid, Site, SiteType, SiteTypeGroup


def visible_grids(request):  # type: ignore[no-untyped-def]
    # Geometry is large and not needed for a select.
    return (
        Grid.objects.visible_to(getattr(request, "user", None))
        .only("pk", "code", "name", "path", "depth")
        .order_by("path")
    )


class GridFilter(BaseFilterSet):
    search_fields = ("code", "name")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=GridLevel.choices)
    unit = UnitFilter(_("Owning unit"))

    class Meta:
        model = Grid
        fields = ["q", "level", "unit"]


class SiteTypeFilter(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = SiteType
        fields = ["q"]


class SiteTypeGroupFilter(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = SiteTypeGroup
        fields = ["q"]


class SiteFilter(BaseFilterSet):
    search_fields = ("code", "name", "address", "licence_no")
    site_type = django_filters.ModelChoiceFilter(
        label=_("Site type"), queryset=SiteType.objects.all()
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Site type group"),
        queryset=SiteTypeGroup.objects.all(),
        field_name="site_type__groups",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SiteStatus.choices)
    unit = UnitFilter(_("Responsible unit"))
    grid = django_filters.ModelChoiceFilter(label=_("Grid"), queryset=visible_grids)
    outside_grid = django_filters.BooleanFilter(label=_("Outside every grid"))

    class Meta:
        model = Site
        fields = ["q", "site_type", "group", "status", "unit", "grid", "outside_grid"]
