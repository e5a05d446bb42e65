from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.BriefingListView.as_view(), name="briefing_list"),
    path("briefings/new/", views.BriefingCreateView.as_view(), name="briefing_create"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/edit/", views.briefing_update, name="briefing_update"),
    path("briefings/<int:pk>/progress/", views.briefing_progress, name="briefing_progress"),
    path("briefings/<int:pk>/generate/", views.briefing_generate, name="briefing_generate"),
    path("briefings/<int:pk>/submit/", views.briefing_submit, name="briefing_submit"),
    path("briefings/<int:pk>/return/", views.briefing_return, name="briefing_return"),
    path("briefings/<int:pk>/publish/", views.briefing_publish, name="briefing_publish"),
    path("briefings/<int:pk>/docx/", views.briefing_docx, name="briefing_docx"),
    path("briefings/<int:pk>/pdf/", views.briefing_pdf, name="briefing_pdf"),
    path("briefings/<int:pk>/sections/", views.section_save, name="section_create"),
    path(
        "briefings/<int:pk>/sections/<int:section_pk>/", views.section_save, name="section_update"
    ),
    path(
        "briefings/<int:pk>/sections/<int:section_pk>/delete/",
        views.section_delete,
        name="section_delete",
    ),
    path("readiness/", views.readiness_report, name="readiness_report"),
    path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("milestones/new/", views.MilestoneFormView.as_view(), name="milestone_create"),
    path("milestones/<int:pk>/", views.MilestoneDetailView.as_view(), name="milestone_detail"),
    path("milestones/<int:pk>/edit/", views.MilestoneFormView.as_view(), name="milestone_update"),
    path(
        "milestones/<int:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone_delete"
    ),
]
