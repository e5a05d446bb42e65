"""Readiness pages under /readiness/: each area keeps its routes in its own module."""

from . import urls_board, urls_cycles, urls_evidence

app_name = "readiness"

urlpatterns = [*urls_board.urlpatterns, *urls_cycles.urlpatterns, *urls_evidence.urlpatterns]
