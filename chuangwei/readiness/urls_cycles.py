"""Routes of the readiness app's cycles pages (written out, see ARCHITECTURE.md §5)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
