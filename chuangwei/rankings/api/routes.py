"""The rankings app's resources on the /api/v1/ router (called from chuangwei/api_urls.py)."""

from rest_framework.routers import DefaultRouter

from .views import (
    AccountabilityRecordViewSet,
    MetricsViewSet,
    RankingSchemeViewSet,
    RankingSnapshotViewSet,
)


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets, kebab-case plural names."""
    router.register("metrics", MetricsViewSet, basename="metrics")
    router.register("ranking-schemes", RankingSchemeViewSet, basename="ranking-scheme")
    router.register("ranking-snapshots", RankingSnapshotViewSet, basename="ranking-snapshot")
    router.register(
        "accountability-records", AccountabilityRecordViewSet, basename="accountability-record"
    )
