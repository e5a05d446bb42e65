"""Readiness resources on the /api/v1/ router (called from chuangwei/api_urls.py)."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from . import board, cycles, evidence


def register(router: DefaultRouter) -> None:
    board.register(router)
    cycles.register(router)
    evidence.register(router)
