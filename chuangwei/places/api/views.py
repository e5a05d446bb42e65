from chuangwei.core.api import ScopedModelViewSet

from .. import services
from ..filters import GridFilter, SiteFilter, SiteTypeFilter, SiteTypeGroupFilter
from ..models import Grid, Site, SiteType, SiteTypeGroup
from .serializers import GridSerializer, SiteSerializer, SiteTypeGroupSerializer, SiteTypeSerializer


class GridViewSet(ScopedModelViewSet):
    """Responsibility grids with GeoJSON boundaries, scoped by owning unit."""

    queryset = Grid.objects.prefetch_related("workers")
    serializer_class = GridSerializer
    filterset_class = GridFilter
    save_service = services.save_grid
    delete_service = services.delete_grid


class SiteTypeViewSet(ScopedModelViewSet):
    queryset = SiteType.objects.all()
    serializer_class = SiteTypeSerializer
    filterset_class = SiteTypeFilter
    save_service = services.save_site_type
    delete_service = services.delete_site_type


class SiteTypeGroupViewSet(ScopedModelViewSet):
    queryset = SiteTypeGroup.objects.prefetch_related("site_types")
    serializer_class = SiteTypeGroupSerializer
    filterset_class = SiteTypeGroupFilter
    save_service = services.save_site_type_group
    delete_service = services.delete_site_type_group


class SiteViewSet(ScopedModelViewSet):
    """Key sites; points may be sent in GCJ-02 or BD-09 with ``crs`` and are stored as WGS-84."""

    queryset = Site.objects.all()
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    save_service = services.save_site  # the input's ``crs`` goes to the service by name
    delete_service = services.delete_site
