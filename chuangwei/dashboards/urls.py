from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", views.board, name="board"),
    path("dashboard/screen/", views.screen, name="screen"),
    path("dashboard/data/", views.data, name="data"),
    path("dashboard/export/", views.export, name="export"),
]
