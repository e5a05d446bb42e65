from django.urls import path

from . import views
from . import views_manage as manage

app_name = "public"
urlpatterns = [
    # Citizen pages, no login.
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/nearby.json", views.nearby, name="nearby"),
    path("report/outlines.json", views.outlines, name="outlines"),
    path("report/done/<str:code>/", views.report_done, name="report_done"),
    path("track/", views.track_search, name="track_search"),
    path("track/<str:code>/", views.track, name="track"),
    path("track/<str:code>/photos/<int:pk>/<str:variant>/", views.track_photo, name="track_photo"),
    path("follow/<str:token>/", views.follow, name="follow"),
    path(
        "follow/<str:token>/photos/<int:pk>/<str:variant>/",
        views.follow_photo,
        name="follow_photo",
    ),
    path("exposure/", views.exposure_list, name="exposure_list"),
    path(
        "exposure/<int:pk>/photos/<int:photo_pk>/<str:variant>/",
        views.exposure_photo,
        name="exposure_photo",
    ),
    path("red-black/", views.red_black, name="red_black"),
    path("stats/", views.stats, name="stats"),
    path("surveys/", views.survey_index, name="survey_index"),
    path("surveys/<int:pk>/", views.survey_take, name="survey_take"),
    path("polls/<int:pk>/", views.poll_vote, name="poll_vote"),
    # Office pages.
    path("manage/moderation/", manage.moderation, name="moderation"),
    path("manage/exposures/new/", manage.exposure_create, name="exposure_create"),
    path(
        "manage/exposures/<int:pk>/<str:decision>/",
        manage.exposure_moderate,
        name="exposure_moderate",
    ),
    path("manage/categories/", manage.category_list, name="category_list"),
    path("manage/surveys/", manage.survey_list, name="survey_list"),
    path("manage/surveys/<int:pk>/", manage.survey_results, name="survey_results"),
    path("manage/polls/", manage.poll_list, name="poll_list"),
    path("manage/polls/<int:pk>/", manage.poll_results, name="poll_results"),
    path(
        "manage/<str:kind>/<int:pk>/status/",
        manage.publication_status,
        name="publication_status",
    ),
]
