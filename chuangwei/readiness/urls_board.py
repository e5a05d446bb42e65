"""Routes of the readiness board and the prerequisite and veto board."""

from django.urls import URLPattern, path

from . import views_board

urlpatterns: list[URLPattern] = [
    path("", views_board.readiness_board_page, name="board"),
    path("conditions/", views_board.condition_board, name="conditions"),
    path(
        "conditions/events/",
        views_board.condition_event_record,
        name="condition_event_record",
    ),
    path(
        "conditions/events/<int:pk>/withdraw/",
        views_board.condition_event_withdraw,
        name="condition_event_withdraw",
    ),
]
