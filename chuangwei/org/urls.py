from django.urls import path

from . import views, views_import

app_name = "org"
urlpatterns = [
    path("units/", views.OrgUnitListView.as_view(), name="orgunit_list"),
    path("units/new/", views.OrgUnitFormView.as_view(), name="orgunit_create"),
    path("units/import/", views_import.OrgUnitImportView.as_view(), name="orgunit_import"),
    path("units/<int:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit_detail"),
    path("units/<int:pk>/edit/", views.OrgUnitFormView.as_view(), name="orgunit_update"),
    path("units/<int:pk>/delete/", views.OrgUnitDeleteView.as_view(), name="orgunit_delete"),
    path("work-lines/", views.WorkLineListView.as_view(), name="workline_list"),
    path("work-lines/new/", views.WorkLineFormView.as_view(), name="workline_create"),
    path("work-lines/<int:pk>/", views.WorkLineDetailView.as_view(), name="workline_detail"),
    path("work-lines/<int:pk>/edit/", views.WorkLineFormView.as_view(), name="workline_update"),
    path("work-lines/<int:pk>/delete/", views.WorkLineDeleteView.as_view(), name="workline_delete"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonFormView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonFormView.as_view(), name="person_update"),
    path("people/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("leaders/", views.LeaderAssignmentListView.as_view(), name="leaderassignment_list"),
    path("leaders/new/", views.LeaderAssignmentFormView.as_view(), name="leaderassignment_create"),
    path(
        "leaders/<int:pk>/",
        views.LeaderAssignmentDetailView.as_view(),
        name="leaderassignment_detail",
    ),
    path(
        "leaders/<int:pk>/edit/",
        views.LeaderAssignmentFormView.as_view(),
        name="leaderassignment_update",
    ),
    path(
        "leaders/<int:pk>/delete/",
        views.LeaderAssignmentDeleteView.as_view(),
        name="leaderassignment_delete",
    ),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/new/", views.AgreementFormView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementFormView.as_view(), name="agreement_update"),
    path(
        "agreements/<int:pk>/delete/", views.AgreementDeleteView.as_view(), name="agreement_delete"
    ),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
]
