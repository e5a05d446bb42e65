"""The open311 app's resources on the /api/v1/ router (called from chuangwei/api_urls.py)."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets, kebab-case plural names."""
    from .views import Open311ClientViewSet, ServiceAttributeViewSet

    router.register("open311-clients", Open311ClientViewSet)
    router.register("open311-service-attributes", ServiceAttributeViewSet)
