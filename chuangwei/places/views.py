from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from chuangwei.core.tables import Column
from chuangwei.core.views import ObjectDeleteView, ObjectDetailView, ObjectFormView, ObjectListView
from chuangwei.lib import geo

from . import services
from .choices import GRID_LEVEL_COLORS, SITE_STATUS_COLORS
from .filters import GridFilter, SiteFilter, SiteTypeFilter, SiteTypeGroupFilter
from .forms import GridForm, SiteForm, SiteTypeForm, SiteTypeGroupForm
from .models import Grid, Site, SiteType, SiteTypeGroup

PLACES = (_("Grids and sites"), "")


def _urls(prefix: str) -> dict[str, str]:
    return {
        "list": f"places:{prefix}_list",
        "detail": f"places:{prefix}_detail",
        "create": f"places:{prefix}_create",
        "update": f"places:{prefix}_update",
        "delete": f"places:{prefix}_delete",
    }


# Grids -------------------------------------------------------------------------------

GRID_URLS = {**_urls("grid"), "import": "places:grid_import"}
GRID_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True),
    Column("level", _("Level"), kind="badge", colors=GRID_LEVEL_COLORS),
    Column("parent.name", _("Parent grid")),
    Column("unit.name", _("Owning unit")),
    Column("leader.name", _("Grid leader")),
    Column("area_km2", _("Area (km²)"), kind="number", getter=lambda g: round(g.area_m2 / 1e6, 2)),
]


class GridMixin:
    model = Grid
    url_names = GRID_URLS
    breadcrumbs = (PLACES,)

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("parent", "unit", "leader")  # type: ignore[misc]


class GridListView(GridMixin, ObjectListView):
    filterset_class = GridFilter
    columns = GRID_COLUMNS
    template_name = "places/grid_list.html"


class GridDetailView(GridMixin, ObjectDetailView):
    fields = [*GRID_COLUMNS, Column("workers", _("Grid workers"))]
    template_name = "places/grid_detail.html"

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        return {
            "map_data": {
                "grids": [
                    {
                        "code": obj.code,
                        "name": obj.name,
                        "level": obj.level,
                        "geometry": obj.geometry,
                    }
                ]
            },
            "map_config": map_config(),
            "children": obj.children.all()[:200],
            "site_count": obj.sites.count(),
        }


class GridFormView(GridMixin, ObjectFormView):
    form_class = GridForm
    save_service = services.save_grid


class GridDeleteView(GridMixin, ObjectDeleteView):
    delete_service = services.delete_grid


# Site types and groups ---------------------------------------------------------------

TYPE_URLS = _urls("sitetype")
TYPE_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True),
    Column("description", _("Description"), truncate=40),
    Column("sort_order", _("Sort order"), kind="number"),
]


class SiteTypeListView(ObjectListView):
    model = SiteType
    url_names = TYPE_URLS
    breadcrumbs = (PLACES,)
    filterset_class = SiteTypeFilter
    columns = TYPE_COLUMNS


class SiteTypeDetailView(ObjectDetailView):
    model = SiteType
    url_names = TYPE_URLS
    breadcrumbs = (PLACES,)
    fields = TYPE_COLUMNS


class SiteTypeFormView(ObjectFormView):
    model = SiteType
    url_names = TYPE_URLS
    breadcrumbs = (PLACES,)
    form_class = SiteTypeForm
    save_service = services.save_site_type


class SiteTypeDeleteView(ObjectDeleteView):
    model = SiteType
    url_names = TYPE_URLS
    delete_service = services.delete_site_type


GROUP_URLS = _urls("sitetypegroup")
GROUP_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True),
    Column("site_types", _("Site types"), truncate=60),
    Column("description", _("Description"), truncate=40),
]


class SiteTypeGroupMixin:
    model = SiteTypeGroup
    url_names = GROUP_URLS
    breadcrumbs = (PLACES,)

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("site_types")  # type: ignore[misc]


class SiteTypeGroupListView(SiteTypeGroupMixin, ObjectListView):
    filterset_class = SiteTypeGroupFilter
    columns = GROUP_COLUMNS


class SiteTypeGroupDetailView(SiteTypeGroupMixin, ObjectDetailView):
    fields = GROUP_COLUMNS


class SiteTypeGroupFormView(SiteTypeGroupMixin, ObjectFormView):
    form_class = SiteTypeGroupForm
    save_service = services.save_site_type_group


class SiteTypeGroupDeleteView(SiteTypeGroupMixin, ObjectDeleteView):
    delete_service = services.delete_site_type_group


# Sites -------------------------------------------------------------------------------

SITE_URLS = {**_urls("site"), "import": "places:site_import"}
SITE_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True, truncate=24),
    Column("site_type.name", _("Site type")),
    Column("address", _("Address"), truncate=16),
    Column("grid.name", _("Grid")),
    Column("unit.name", _("Responsible unit")),
    Column("supervising_department.name", _("Supervising department")),
    Column("status", _("Status"), kind="badge", colors=SITE_STATUS_COLORS),
    Column("outside_grid", _("Outside every grid"), kind="bool"),
]
SITE_EXTRA = [
    Column("lng", _("Longitude")),
    Column("lat", _("Latitude")),
    Column("frontage_party", _("Frontage responsible party (门前三包)")),
    Column("contact_name", _("Contact")),
    Column("contact_phone", _("Contact phone")),
    Column("licence_no", _("Licence number")),
]


class SiteMixin:
    model = Site
    url_names = SITE_URLS
    breadcrumbs = (PLACES,)


class SiteListView(SiteMixin, ObjectListView):
    filterset_class = SiteFilter
    columns = [*SITE_COLUMNS]
    export_columns = [*SITE_COLUMNS, *SITE_EXTRA]

    def export(self, rows: Any) -> HttpResponse:
        self.columns = self.export_columns
        return super().export(rows)


class SiteDetailView(SiteMixin, ObjectDetailView):
    fields = [*SITE_COLUMNS, *SITE_EXTRA]
    template_name = "places/site_detail.html"

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        grids = [obj.grid] if obj.grid else []
        return {
            "map_data": {
                "grids": [
                    {"code": g.code, "name": g.name, "level": g.level, "geometry": g.geometry}
                    for g in grids
                ],
                "sites": [[obj.lng, obj.lat, obj.name, obj.site_type.name, ""]],
            },
            "map_config": map_config(),
        }


class SiteFormView(SiteMixin, ObjectFormView):
    form_class = SiteForm
    save_service = services.save_site  # the form's ``crs`` goes to the service by name


class SiteDeleteView(SiteMixin, ObjectDeleteView):
    delete_service = services.delete_site


# Map ---------------------------------------------------------------------------------


def map_config() -> dict[str, Any]:
    return {
        "tiles": settings.CHUANGWEI_MAP_TILES,
        "tiandituKey": settings.CHUANGWEI_TIANDITU_KEY,
    }


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    """Grids and sites on one Leaflet map; works with no tiles at all."""
    return render(
        request,
        "places/map.html",
        {
            "title": _("Grid map"),
            "breadcrumbs": (PLACES,),
            "map_config": map_config(),
            "site_types": SiteType.objects.all(),
        },
    )


@login_required
def grids_geojson(request: HttpRequest) -> JsonResponse:
    """Visible grids as a GeoJSON FeatureCollection (``level`` filters)."""
    qs = Grid.objects.visible_to(request.user).select_related("unit")
    level = request.GET.get("level")
    if level in ("1", "2", "3"):
        qs = qs.filter(level=int(level))
    features = (
        (
            g.geometry,
            {"id": g.pk, "code": g.code, "name": g.name, "level": g.level, "unit": g.unit.name},
        )
        for g in qs
    )
    return JsonResponse(geo.feature_collection(features))


@login_required
def sites_points(request: HttpRequest) -> JsonResponse:
    """Visible sites as compact rows [lng, lat, name, type, id] for the map."""
    filterset = SiteFilter(
        request.GET or None, queryset=Site.objects.visible_to(request.user), request=request
    )
    # No parameters is no filter (an unbound form is never valid): every visible row.
    qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else Site.objects.none()
    rows = list(qs.values_list("lng", "lat", "name", "site_type__name", "pk")[:20000])
    return JsonResponse({"sites": rows})
