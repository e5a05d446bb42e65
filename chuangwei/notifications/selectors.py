"""Reads for other apps and for the page chrome (the bell)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from chuangwei.accounts.models import User

from .choices import DELIVERABLE_STATUSES, OutboxStatus
from .models import Notification, OutboxMessage


@dataclass(frozen=True)
class NotificationItem:
    """One inbox notice as other pages show it."""

    id: int
    title: str
    link: str
    level: str
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class OutboxHealth:
    """How the outbox is doing: what waits, what is failing, what was given up."""

    due: int
    failed: int
    gave_up: int


def unread_count(user: User) -> int:
    """Unread notices in ``user``'s inbox (one indexed count)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def recent_notifications(user: User, *, limit: int = 5) -> list[NotificationItem]:
    """The newest ``limit`` notices of ``user``, read or not."""
    rows = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit]
    return [
        NotificationItem(
            id=n.pk,
            title=n.title,
            link=n.link,
            level=n.level,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in rows
    ]


def outbox_health(*, now: datetime | None = None) -> OutboxHealth:
    """Counts for the operations dashboard (one query)."""
    now = now or timezone.now()
    counts = OutboxMessage.objects.aggregate(
        due=Count("pk", filter=Q(status__in=DELIVERABLE_STATUSES, next_attempt_at__lte=now)),
        failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
        gave_up=Count("pk", filter=Q(status=OutboxStatus.GAVE_UP)),
    )
    return OutboxHealth(due=counts["due"], failed=counts["failed"], gave_up=counts["gave_up"])
