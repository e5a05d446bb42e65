"""The public app's resources on the /api/v1/ router (called from chuangwei/api_urls.py)."""

from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets, kebab-case plural names."""
    router.register("public-categories", views.PublicCategoryViewSet, basename="public-category")
    router.register("exposures", views.ExposureViewSet, basename="exposure")
    router.register(
        "satisfaction-ratings", views.SatisfactionRatingViewSet, basename="satisfaction-rating"
    )
