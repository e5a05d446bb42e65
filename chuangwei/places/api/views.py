from typing import Any

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
    save_service = staticmethod(services.save_grid)


class SiteTypeViewSet(ScopedModelViewSet):
    queryset = SiteType.objects.all()
    serializer_class = SiteTypeSerializer
    filterset_class = SiteTypeFilter


class SiteTypeGroupViewSet(ScopedModelViewSet):
    queryset = SiteTypeGroup.objects.prefetch_related("site_types")
    serializer_class = SiteTypeGroupSerializer
    filterset_class = SiteTypeGroupFilter


class SiteViewSet(ScopedModelViewSet):
    """Key sites; points may be sent in GCJ-02 or BD-09 with ``crs`` and are stored as WGS-84."""

    queryset = Site.objects.all()
    serializer_class = SiteSerializer
    filterset_class = SiteFilter

    def perform_save(self, serializer: Any) -> None:
        crs = serializer.validated_data.pop("crs", "wgs84")
        instance = serializer.instance or Site()
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        serializer.instance = services.save_site(instance, crs=crs, by=self.request.user)
