"""The inspections app's resources on the /api/v1/ router (called from chuangwei/api_urls.py)."""

from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets, kebab-case plural names."""
    router.register("score-sheets", views.ScoreSheetViewSet)
    router.register("inspection-tasks", views.InspectionTaskViewSet)
    router.register("site-results", views.SiteResultViewSet)
    router.register("sampling-draws", views.SamplingDrawViewSet)
    router.register("patrol-checkins", views.PatrolCheckinViewSet)
    router.register(
        "inspection-projections", views.ProjectionViewSet, basename="inspection-projection"
    )
    router.register("patrol-coverage", views.PatrolCoverageViewSet, basename="patrol-coverage")
