from django.urls import path

from . import views, views_import

app_name = "places"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("map/sites.json", views.sites_points, name="sites_points"),
    path("grids/", views.GridListView.as_view(), name="grid_list"),
    path("grids/new/", views.GridFormView.as_view(), name="grid_create"),
    path("grids/import/", views_import.GridImportView.as_view(), name="grid_import"),
    path("grids/export.geojson", views_import.grids_export, name="grids_export"),
    path("grids/<int:pk>/", views.GridDetailView.as_view(), name="grid_detail"),
    path("grids/<int:pk>/edit/", views.GridFormView.as_view(), name="grid_update"),
    path("grids/<int:pk>/delete/", views.GridDeleteView.as_view(), name="grid_delete"),
    path("site-types/", views.SiteTypeListView.as_view(), name="sitetype_list"),
    path("site-types/new/", views.SiteTypeFormView.as_view(), name="sitetype_create"),
    path("site-types/<int:pk>/", views.SiteTypeDetailView.as_view(), name="sitetype_detail"),
    path("site-types/<int:pk>/edit/", views.SiteTypeFormView.as_view(), name="sitetype_update"),
    path("site-types/<int:pk>/delete/", views.SiteTypeDeleteView.as_view(), name="sitetype_delete"),
    path("site-type-groups/", views.SiteTypeGroupListView.as_view(), name="sitetypegroup_list"),
    path(
        "site-type-groups/new/", views.SiteTypeGroupFormView.as_view(), name="sitetypegroup_create"
    ),
    path(
        "site-type-groups/<int:pk>/",
        views.SiteTypeGroupDetailView.as_view(),
        name="sitetypegroup_detail",
    ),
    path(
        "site-type-groups/<int:pk>/edit/",
        views.SiteTypeGroupFormView.as_view(),
        name="sitetypegroup_update",
    ),
    path(
        "site-type-groups/<int:pk>/delete/",
        views.SiteTypeGroupDeleteView.as_view(),
        name="sitetypegroup_delete",
    ),
    path("sites/", views.SiteListView.as_view(), name="site_list"),
    path("sites/new/", views.SiteFormView.as_view(), name="site_create"),
    path("sites/import/", views_import.SiteImportView.as_view(), name="site_import"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/edit/", views.SiteFormView.as_view(), name="site_update"),
    path("sites/<int:pk>/delete/", views.SiteDeleteView.as_view(), name="site_delete"),
]
