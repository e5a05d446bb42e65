from typing import Any

from django.urls import path

from . import views, views_config, views_mobile
from .choices import ProblemAction as A
from .views_actions import ProblemActionView


def action_view(action: str) -> Any:
    """The POST view of one workflow action (``actions.ACTIONS``)."""
    return ProblemActionView.as_view(action=action)


app_name = "problems"
urlpatterns = [
    path("", views.ProblemListView.as_view(), name="problem_list"),
    path("overdue/", views.OverdueListView.as_view(), name="problem_overdue"),
    path("mine/", views_mobile.my_tasks, name="mine"),
    path("map/", views.map_page, name="map"),
    path("map/points.json", views.map_points, name="map_points"),
    path("bulk/dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("bulk/remind/", views.bulk_remind, name="bulk_remind"),
    path("import/", views_config.ProblemImportView.as_view(), name="problem_import"),
    path("report/", views_mobile.report_page, name="report"),
    path("report/done/<int:pk>/", views_mobile.report_done, name="report_done"),
    path("nearby.json", views_mobile.nearby, name="nearby"),
    path("photos/<int:pk>/<str:variant>/", views.photo_file, name="photo"),
    path("<int:pk>/", views.problem_detail, name="problem_detail"),
    path(
        "<int:pk>/confirm_report/",
        action_view(A.CONFIRM_REPORT),
        name="problem_confirm_report",
    ),
    path("<int:pk>/accept/", action_view(A.ACCEPT), name="problem_accept"),
    path("<int:pk>/void/", action_view(A.VOID), name="problem_void"),
    path("<int:pk>/merge/", action_view(A.MERGE), name="problem_merge"),
    path("<int:pk>/dispatch/", action_view(A.DISPATCH), name="problem_dispatch"),
    path("<int:pk>/return/", action_view(A.RETURN), name="problem_return"),
    path(
        "<int:pk>/request_extension/",
        action_view(A.REQUEST_EXTENSION),
        name="problem_request_extension",
    ),
    path(
        "<int:pk>/approve_extension/",
        action_view(A.APPROVE_EXTENSION),
        name="problem_approve_extension",
    ),
    path(
        "<int:pk>/reject_extension/",
        action_view(A.REJECT_EXTENSION),
        name="problem_reject_extension",
    ),
    path("<int:pk>/request_pause/", action_view(A.REQUEST_PAUSE), name="problem_request_pause"),
    path("<int:pk>/approve_pause/", action_view(A.APPROVE_PAUSE), name="problem_approve_pause"),
    path("<int:pk>/reject_pause/", action_view(A.REJECT_PAUSE), name="problem_reject_pause"),
    path("<int:pk>/resume/", action_view(A.RESUME), name="problem_resume"),
    path("<int:pk>/submit/", action_view(A.SUBMIT), name="problem_submit"),
    path("<int:pk>/self_fix/", action_view(A.SELF_FIX), name="problem_self_fix"),
    path("<int:pk>/verify_pass/", action_view(A.VERIFY_PASS), name="problem_verify_pass"),
    path("<int:pk>/verify_fail/", action_view(A.VERIFY_FAIL), name="problem_verify_fail"),
    path("<int:pk>/reopen/", action_view(A.REOPEN), name="problem_reopen"),
    path("<int:pk>/comment/", action_view(A.COMMENT), name="problem_comment"),
    path("<int:pk>/remind/", action_view(A.REMIND), name="problem_remind"),
    path("calendar/", views_config.CalendarDayListView.as_view(), name="calendarday_list"),
    path("calendar/new/", views_config.CalendarDayFormView.as_view(), name="calendarday_create"),
    path(
        "calendar/<int:pk>/",
        views_config.CalendarDayDetailView.as_view(),
        name="calendarday_detail",
    ),
    path(
        "calendar/<int:pk>/edit/",
        views_config.CalendarDayFormView.as_view(),
        name="calendarday_update",
    ),
    path(
        "calendar/<int:pk>/delete/",
        views_config.CalendarDayDeleteView.as_view(),
        name="calendarday_delete",
    ),
    path("deadline-rules/", views_config.DeadlineRuleListView.as_view(), name="deadlinerule_list"),
    path(
        "deadline-rules/new/",
        views_config.DeadlineRuleFormView.as_view(),
        name="deadlinerule_create",
    ),
    path(
        "deadline-rules/<int:pk>/",
        views_config.DeadlineRuleDetailView.as_view(),
        name="deadlinerule_detail",
    ),
    path(
        "deadline-rules/<int:pk>/edit/",
        views_config.DeadlineRuleFormView.as_view(),
        name="deadlinerule_update",
    ),
    path(
        "deadline-rules/<int:pk>/delete/",
        views_config.DeadlineRuleDeleteView.as_view(),
        name="deadlinerule_delete",
    ),
]
