"""Readiness API: the evidence resources."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add this area's viewsets to the API router."""
