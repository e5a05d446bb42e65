from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("versions/", views.StandardVersionListView.as_view(), name="version_list"),
    path("versions/new/", views.StandardVersionFormView.as_view(), name="version_create"),
    path("versions/<int:pk>/", views.StandardVersionDetailView.as_view(), name="version_detail"),
    path("versions/<int:pk>/edit/", views.StandardVersionFormView.as_view(), name="version_update"),
    path(
        "versions/<int:pk>/delete/",
        views.StandardVersionDeleteView.as_view(),
        name="version_delete",
    ),
    path(
        "versions/<int:pk>/publish/",
        views.VersionActionView.as_view(action="publish"),
        name="version_publish",
    ),
    path(
        "versions/<int:pk>/retire/",
        views.VersionActionView.as_view(action="retire"),
        name="version_retire",
    ),
    path(
        "versions/<int:pk>/copy/",
        views.VersionActionView.as_view(action="copy"),
        name="version_copy",
    ),
    path("versions/<int:pk>/export/", views.VersionExportView.as_view(), name="version_export"),
    path("versions/import/", views.WorkbookImportView.as_view(), name="version_import"),
    path("versions/template/", views.WorkbookTemplateView.as_view(), name="version_template"),
    path("clauses/", views.StandardClauseListView.as_view(), name="clause_list"),
    path("clauses/new/", views.StandardClauseFormView.as_view(), name="clause_create"),
    path("clauses/<int:pk>/", views.StandardClauseDetailView.as_view(), name="clause_detail"),
    path("clauses/<int:pk>/edit/", views.StandardClauseFormView.as_view(), name="clause_update"),
    path(
        "clauses/<int:pk>/delete/", views.StandardClauseDeleteView.as_view(), name="clause_delete"
    ),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/new/", views.IndicatorFormView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorFormView.as_view(), name="indicator_update"),
    path(
        "indicators/<int:pk>/delete/", views.IndicatorDeleteView.as_view(), name="indicator_delete"
    ),
    path(
        "indicators/<int:pk>/recompute/",
        views.IndicatorRecomputeView.as_view(),
        name="indicator_recompute",
    ),
    path("indicator-values/", views.IndicatorValueListView.as_view(), name="indicatorvalue_list"),
    path(
        "indicator-values/new/",
        views.IndicatorValueFormView.as_view(),
        name="indicatorvalue_create",
    ),
    path(
        "indicator-values/<int:pk>/",
        views.IndicatorValueDetailView.as_view(),
        name="indicatorvalue_detail",
    ),
    path(
        "indicator-values/<int:pk>/edit/",
        views.IndicatorValueFormView.as_view(),
        name="indicatorvalue_update",
    ),
    path(
        "indicator-values/<int:pk>/delete/",
        views.IndicatorValueDeleteView.as_view(),
        name="indicatorvalue_delete",
    ),
    path("categories/", views.ProblemCategoryListView.as_view(), name="category_list"),
    path("categories/new/", views.ProblemCategoryFormView.as_view(), name="category_create"),
    path("categories/<int:pk>/", views.ProblemCategoryDetailView.as_view(), name="category_detail"),
    path(
        "categories/<int:pk>/edit/", views.ProblemCategoryFormView.as_view(), name="category_update"
    ),
    path(
        "categories/<int:pk>/delete/",
        views.ProblemCategoryDeleteView.as_view(),
        name="category_delete",
    ),
]
