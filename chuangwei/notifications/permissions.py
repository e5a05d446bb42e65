"""Fetch-and-authorise helpers for the pages and the API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from chuangwei.accounts.permissions import can_manage_config

from .models import Notification, OutboxMessage


def access_notification(user: Any, pk: int) -> Notification:
    """One of ``user``'s own notices; Http404 for anyone else's."""
    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


def access_outbox_message(user: Any, pk: int) -> OutboxMessage:
    """An outbox row for a city-wide manager; PermissionDenied for everyone else."""
    if not can_manage_config(user):
        raise PermissionDenied
    return get_object_or_404(OutboxMessage.objects.all(), pk=pk)
