from django.urls import path

from . import views

app_name = "rankings"
urlpatterns = [
    path("metrics/", views.metrics_page, name="metrics"),
    path("snapshots/", views.SnapshotListView.as_view(), name="snapshot_list"),
    path("snapshots/compute/", views.snapshot_compute, name="snapshot_compute"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("snapshots/<int:pk>/publish/", views.snapshot_publish, name="snapshot_publish"),
    path("red-black/", views.redblack, name="redblack"),
    path("points-lost/", views.points_lost, name="points_lost"),
    path("points-lost/problems/", views.points_lost_problems, name="points_lost_problems"),
    path("accountability/", views.AccountabilityListView.as_view(), name="accountability_list"),
    path(
        "accountability/new/",
        views.AccountabilityFormView.as_view(),
        name="accountability_create",
    ),
    path(
        "accountability/candidates/",
        views.accountability_candidates,
        name="accountability_candidates",
    ),
    path(
        "accountability/<int:pk>/",
        views.AccountabilityDetailView.as_view(),
        name="accountability_detail",
    ),
    path(
        "accountability/<int:pk>/edit/",
        views.AccountabilityFormView.as_view(),
        name="accountability_update",
    ),
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/new/", views.SchemeFormView.as_view(), name="scheme_create"),
    path("schemes/presets/", views.scheme_presets, name="scheme_presets"),
    path("schemes/<int:pk>/", views.SchemeFormView.as_view(), name="scheme_update"),
]
