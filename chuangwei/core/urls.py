from django.urls import path

from . import views_pages

app_name = "core"
urlpatterns = [
    path("healthz", views_pages.health, name="health"),
]
