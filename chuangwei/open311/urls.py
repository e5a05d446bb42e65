"""GeoReport v2 endpoints at /open311/v2/ and the management pages under manage/."""

from django.urls import path, re_path

from . import views, views_api

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)"

urlpatterns = [
    path("", views_api.not_found, name="root"),
    re_path(rf"^discovery{FMT}$", views_api.discovery, name="discovery"),
    re_path(rf"^services{FMT}$", views_api.service_list, name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+?){FMT}$",
        views_api.service_definition,
        name="service_definition",
    ),
    re_path(rf"^requests{FMT}$", views_api.requests_view, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+?){FMT}$", views_api.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FMT}$", views_api.token_detail, name="token"),
    # Management pages (office and admin).
    path("manage/clients/", views.ClientListView.as_view(), name="client_list"),
    path("manage/clients/new/", views.ClientFormView.as_view(), name="client_create"),
    path("manage/clients/<int:pk>/", views.ClientDetailView.as_view(), name="client_detail"),
    path("manage/clients/<int:pk>/edit/", views.ClientFormView.as_view(), name="client_update"),
    path("manage/clients/<int:pk>/rotate/", views.ClientRotateView.as_view(), name="client_rotate"),
    path("manage/clients/<int:pk>/revoke/", views.ClientRevokeView.as_view(), name="client_revoke"),
    path("manage/attributes/", views.AttributeListView.as_view(), name="attribute_list"),
    path("manage/attributes/new/", views.AttributeFormView.as_view(), name="attribute_create"),
    path(
        "manage/attributes/defaults/",
        views.AttributeDefaultsView.as_view(),
        name="attribute_defaults",
    ),
    path(
        "manage/attributes/<int:pk>/", views.AttributeDetailView.as_view(), name="attribute_detail"
    ),
    path(
        "manage/attributes/<int:pk>/edit/",
        views.AttributeFormView.as_view(),
        name="attribute_update",
    ),
    path(
        "manage/attributes/<int:pk>/delete/",
        views.AttributeDeleteView.as_view(),
        name="attribute_delete",
    ),
    re_path(r"^(?P<rest>(?!manage/).*)$", views_api.not_found),
]
