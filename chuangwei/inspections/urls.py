from django.urls import path

from . import views, views_mobile

app_name = "inspections"
urlpatterns = [
    path("", views.TaskListView.as_view(), name="task_list"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/submit/", views.task_submit, name="task_submit"),
    path("tasks/<int:pk>/review/", views.task_review, name="task_review"),
    path("tasks/mine/", views_mobile.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/score/", views_mobile.task_score, name="task_score"),
    path("results/<int:pk>/score/", views_mobile.result_score, name="result_score"),
    path("results/<int:pk>/deduct/", views_mobile.result_deduct, name="result_deduct"),
    path("results/<int:pk>/band/", views_mobile.result_band, name="result_band"),
    path("results/<int:pk>/finish/", views_mobile.result_finish, name="result_finish"),
    path("sheets/", views.SheetListView.as_view(), name="sheet_list"),
    path("sheets/new/", views.sheet_form, name="sheet_create"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/edit/", views.sheet_form, name="sheet_update"),
    path("sheets/<int:pk>/items/new/", views.sheet_item_save, name="sheet_item_create"),
    path("sheets/<int:pk>/items/<int:item_pk>/", views.sheet_item_save, name="sheet_item_update"),
    path(
        "sheets/<int:pk>/items/<int:item_pk>/delete/",
        views.sheet_item_delete,
        name="sheet_item_delete",
    ),
    path("sheets/<int:pk>/<str:action>/", views.sheet_action, name="sheet_action"),
    path("results/", views.results, name="results"),
    path("projection/", views.projection_page, name="projection"),
    path("sampling/", views.sampling_page, name="sampling"),
    path("sampling/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("patrols/", views.patrol_coverage, name="patrol_coverage"),
    path("patrols/check-in/", views_mobile.patrol_checkin, name="patrol_checkin"),
]
