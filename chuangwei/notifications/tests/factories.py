"""factory_boy factories for inbox notices and outbox messages (persona users are passed in)."""

from __future__ import annotations

from datetime import UTC, datetime

import factory
from factory.django import DjangoModelFactory

from chuangwei.notifications.choices import Channel, OutboxStatus
from chuangwei.notifications.models import Notification, OutboxMessage

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    title = factory.Sequence(lambda n: f"通知{n}")
    body = "请及时处理"
    link = "/problems/1/"


class OutboxMessageFactory(DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    channel = Channel.INAPP
    subject = factory.Sequence(lambda n: f"消息{n}")
    body = "请及时处理"
    status = OutboxStatus.PENDING
    next_attempt_at = NOW
