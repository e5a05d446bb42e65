"""Pluggable senders: one per channel, chosen by settings (see docs/notifications.md).

A sender gets one ``OutboxMessage`` and either returns (sent) or raises ``SendError``.
``CHUANGWEI_NOTIFICATION_SENDERS`` maps a channel to the dotted path of a sender class;
channels it leaves out keep ``DEFAULT_SENDERS``. Settings are read on every lookup, so
tests and ``override_settings`` take effect at once.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .choices import Channel
from .models import Notification, OutboxMessage

logger = logging.getLogger("chuangwei.notifications")

DEFAULT_SENDERS: dict[str, str] = {
    Channel.INAPP: "chuangwei.notifications.senders.InAppSender",
    Channel.EMAIL: "chuangwei.notifications.senders.LogSender",
    Channel.SMS: "chuangwei.notifications.senders.LogSender",
    Channel.LOG: "chuangwei.notifications.senders.LogSender",
}


class SendError(Exception):
    """Delivery failed. ``permanent`` failures (no address, say) are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Deliver ``message`` or raise ``SendError``; must tolerate being called twice."""


class LogSender:
    """Writes the message to the ``chuangwei.notifications`` log (the default off-line channel)."""

    def send(self, message: OutboxMessage) -> None:
        logger.info(
            "notification %s channel=%s to=%s subject=%s body=%s",
            message.pk,
            message.channel,
            message.address or message.recipient_id,
            message.subject,
            message.body,
        )


class EmailSender:
    """Sends through Django's e-mail backend (``EMAIL_*`` settings, ``DEFAULT_FROM_EMAIL``)."""

    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise SendError(_("The recipient has no e-mail address."), permanent=True)
        try:
            send_mail(message.subject, message.body, None, [message.address], fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"{type(exc).__name__}: {exc}") from exc


class InAppSender:
    """Puts the message in the recipient's inbox; a second call finds the row it made."""

    def send(self, message: OutboxMessage) -> None:
        if message.recipient_id is None:
            raise SendError(_("An in-app message needs a recipient."), permanent=True)
        Notification.objects.get_or_create(
            message=message,
            defaults={
                "recipient_id": message.recipient_id,
                "title": message.subject,
                "body": message.body,
                "link": message.link,
                "level": message.level,
                "source": message.source,
                "source_id": message.source_id,
                "created_at": message.created_at,
            },
        )


def get_sender(channel: str) -> Sender:
    """The configured sender for ``channel``; ImproperlyConfigured for a bad path."""
    paths = {**DEFAULT_SENDERS, **getattr(settings, "CHUANGWEI_NOTIFICATION_SENDERS", {})}
    path = paths.get(channel)
    if path is None:
        raise ImproperlyConfigured(f"No notification sender for channel {channel!r}.")
    try:
        sender_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Cannot import notification sender {path!r}.") from exc
    sender: Sender = sender_class()
    return sender
