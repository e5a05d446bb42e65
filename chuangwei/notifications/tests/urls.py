"""The project's URLs plus this app's API routes, until api_urls.py registers them."""

from django.urls import include, path

from chuangwei.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/", include("chuangwei.notifications.api.urls")),
    *project_urlpatterns,
]
