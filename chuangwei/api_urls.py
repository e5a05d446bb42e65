"""REST API v1: one router over every app's viewsets (kebab-case plural resources)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from chuangwei.accounts.api import views as accounts
from chuangwei.accounts.api.token import ObtainTokenView
from chuangwei.org.api import views as org
from chuangwei.places.api import views as places
from chuangwei.standards.api import views as standards

router = DefaultRouter()
router.register("users", accounts.UserViewSet)
router.register("memberships", accounts.MembershipViewSet)
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

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", ObtainTokenView.as_view(), name="api_token"),
]
