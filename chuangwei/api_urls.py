"""REST API v1: one router over every app's viewsets (kebab-case plural resources)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from chuangwei.accounts.api import views as accounts
from chuangwei.accounts.api.token import ObtainTokenView
from chuangwei.dashboards.api import routes as dashboards_routes
from chuangwei.inspections.api import routes as inspections_routes
from chuangwei.notifications.api import views as notifications
from chuangwei.open311.api import routes as open311_routes
from chuangwei.org.api import views as org
from chuangwei.places.api import views as places
from chuangwei.problems.api import views as problems
from chuangwei.public.api import routes as public_routes
from chuangwei.rankings.api import routes as rankings_routes
from chuangwei.readiness.api import routes as readiness_routes
from chuangwei.reports.api import routes as reports_routes
from chuangwei.standards.api import views as standards

router = DefaultRouter()
router.register("users", accounts.UserViewSet)
router.register("memberships", accounts.MembershipViewSet)
router.register("notifications", notifications.NotificationViewSet)
router.register("outbox-messages", notifications.OutboxMessageViewSet)
router.register("org-units", org.OrgUnitViewSet)
router.register("work-lines", org.WorkLineViewSet)
router.register("people", org.PersonViewSet)
router.register("leader-assignments", org.LeaderAssignmentViewSet)
router.register("responsibility-agreements", org.ResponsibilityAgreementViewSet)
router.register("grids", places.GridViewSet)
router.register("site-types", places.SiteTypeViewSet)
router.register("site-type-groups", places.SiteTypeGroupViewSet)
router.register("sites", places.SiteViewSet)
router.register("standard-versions", standards.StandardVersionViewSet)
router.register("standard-clauses", standards.StandardClauseViewSet)
router.register("indicators", standards.IndicatorViewSet)
router.register("indicator-values", standards.IndicatorValueViewSet)
router.register("problem-categories", standards.ProblemCategoryViewSet)
router.register("problems", problems.ProblemViewSet)
router.register("problem-events", problems.ProblemEventViewSet)
router.register("calendar-days", problems.CalendarDayViewSet)
router.register("deadline-rules", problems.DeadlineRuleViewSet)
for _routes in (
    inspections_routes,
    readiness_routes,
    rankings_routes,
    public_routes,
    open311_routes,
    dashboards_routes,
    reports_routes,
):
    _routes.register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", ObtainTokenView.as_view(), name="api_token"),
]
