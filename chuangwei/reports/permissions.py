"""Fetch-and-authorise helpers for briefings, shared by the UI and the API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from chuangwei.accounts.permissions import can_manage_config

from .models import Briefing


def can_manage(user: Any) -> bool:
    """Office staff and administrators write briefings and milestones."""
    return can_manage_config(user)


def access_briefing(user: Any, pk: int, *, manage: bool = False) -> Briefing:
    """The briefing if ``user`` may see it (Http404 otherwise); with ``manage`` also require
    office rights (PermissionDenied)."""
    briefing = get_object_or_404(Briefing.objects.visible_to(user), pk=pk)
    if manage and not can_manage(user):
        raise PermissionDenied
    return briefing
