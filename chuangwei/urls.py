from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("chuangwei.core.urls")),
    path("", include("chuangwei.dashboards.urls")),
    path("accounts/", include("chuangwei.accounts.urls")),
    path("org/", include("chuangwei.org.urls")),
    path("notifications/", include("chuangwei.notifications.urls")),
    path("places/", include("chuangwei.places.urls")),
    path("standards/", include("chuangwei.standards.urls")),
    path("problems/", include("chuangwei.problems.urls")),
    path("inspections/", include("chuangwei.inspections.urls")),
    path("readiness/", include("chuangwei.readiness.urls")),
    path("rankings/", include("chuangwei.rankings.urls")),
    path("reports/", include("chuangwei.reports.urls")),
    path("public/", include("chuangwei.public.urls")),
    path("open311/v2/", include("chuangwei.open311.urls")),
    path("api/v1/", include("chuangwei.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

handler403 = "chuangwei.core.views_pages.permission_denied"
handler404 = "chuangwei.core.views_pages.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
