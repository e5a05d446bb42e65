"""Routes of the readiness app's cycles pages (written out, see ARCHITECTURE.md §5)."""

from django.urls import URLPattern, path

from . import views_cycles as v

urlpatterns: list[URLPattern] = [
    path("cycles/", v.cycle_list, name="cycle_list"),
    path("cycles/new/", v.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", v.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/edit/", v.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/stages/new/", v.stage_create, name="stage_create"),
    path("stages/<int:pk>/", v.stage_detail, name="stage_detail"),
    path("stages/<int:pk>/edit/", v.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/start/", v.stage_status, {"action": "start"}, name="stage_start"),
    path(
        "stages/<int:pk>/complete/", v.stage_status, {"action": "complete"}, name="stage_complete"
    ),
    path("stages/<int:pk>/import/", v.StageImportView.as_view(), name="stage_import"),
    path("stages/<int:pk>/rechecks/new/", v.recheck_create, name="recheck_create"),
    path("rechecks/<int:pk>/", v.recheck_detail, name="recheck_detail"),
    path("rechecks/<int:pk>/walk/", v.recheck_walk, name="recheck_walk"),
    path("rechecks/<int:pk>/items/<int:item>/", v.recheck_record, name="recheck_record"),
    path("rechecks/<int:pk>/export/", v.recheck_export, name="recheck_export"),
]
