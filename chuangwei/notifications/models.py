"""The in-app inbox and the outbox that every channel is sent from (DESIGN.md §3.12)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.permissions import can_manage_config
from chuangwei.core.models import TimeStampedModel

from .choices import DELIVERABLE_STATUSES, Channel, NotificationLevel, OutboxStatus


class NotificationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """An inbox is private: everyone, administrators included, sees only their own rows."""

    def visible_to(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def editable_by(self, user: Any) -> Self:
        return self.visible_to(user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class OutboxMessageQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """The outbox is an operations view for city-wide managers only."""

    def visible_to(self, user: Any) -> Self:
        return self if can_manage_config(user) else self.none()

    def editable_by(self, user: Any) -> Self:
        return self.visible_to(user)

    def due(self, now: datetime) -> Self:
        return self.filter(status__in=DELIVERABLE_STATUSES, next_attempt_at__lte=now)

    def with_list_related(self) -> Self:
        return self.select_related("recipient")


class OutboxMessage(TimeStampedModel):
    """One message to send to one person on one channel.

    Rows are written in the same transaction as the change they announce and sent after
    commit, so a rollback sends nothing. A failed send stays here with its error and is
    retried with backoff until it is sent or given up; nothing is lost silently.
    """

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        # The outbox is a delivery log; it outlives a deleted account.
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    level = models.CharField(
        _("urgency"),
        max_length=10,
        choices=NotificationLevel.choices,
        default=NotificationLevel.INFO,
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.BigIntegerField(_("source id"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=200, null=True, blank=True, unique=True
    )

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # deliver_due: status IN (pending, failed) AND next_attempt_at <= now
            # ORDER BY next_attempt_at. Sent rows, the vast majority, stay out of it.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=sorted(DELIVERABLE_STATUSES)),
                name="notifications_outbox_due",
            ),
            # The outbox page: WHERE status = ? ORDER BY created_at DESC.
            models.Index(fields=["status", "-created_at"], name="notifications_outbox_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False),
                name="notifications_outboxmessage_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address or self.recipient}: {self.subject}"


class Notification(TimeStampedModel):
    """A notice in one person's in-app inbox (the bell), unread until they open it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.OneToOneField(
        OutboxMessage,
        verbose_name=_("outbox message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    level = models.CharField(
        _("urgency"),
        max_length=10,
        choices=NotificationLevel.choices,
        default=NotificationLevel.INFO,
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.BigIntegerField(_("source id"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell: WHERE recipient_id = ? AND read_at IS NULL (count).
            models.Index(fields=["recipient", "read_at"], name="notifications_unread"),
            # The inbox: WHERE recipient_id = ? ORDER BY created_at DESC.
            models.Index(fields=["recipient", "-created_at"], name="notifications_inbox"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
