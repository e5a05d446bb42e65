"""Writes of the notifications app: queue notices, deliver them, mark them read.

``notify`` only writes outbox rows, in the caller's transaction; delivery is handed to the
background after commit (``core.tasks.enqueue``: in-process, or an RQ worker), so a
rollback sends nothing. Whatever is not sent
then (a sender failed, the process died) is picked up by ``send_notifications``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.accounts.models import User
from chuangwei.accounts.permissions import can_manage_config
from chuangwei.core import tasks
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed

from .choices import (
    DELIVERABLE_STATUSES,
    RETRYABLE_STATUSES,
    Channel,
    NotificationLevel,
    OutboxStatus,
)
from .models import Notification, OutboxMessage
from .senders import SendError, get_sender

logger = logging.getLogger("chuangwei.notifications")

# Wait before retry n (n = attempts so far); the attempt after the last one gives up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(minutes=120),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claimed row is due again after this, so a worker that dies mid-send loses nothing.
CLAIM_LEASE = timedelta(minutes=10)
KEY_BATCH = 500


def _address(user: User, channel: str) -> str:
    if channel == Channel.EMAIL:
        return user.email
    if channel == Channel.SMS:
        return user.phone
    return ""


def _validate_notice(title: str, link: str, level: str, channels: Sequence[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("A notification needs a title.")]
    if link and (not link.startswith("/") or link.startswith("//")):
        errors["link"] = [_("The link must be a path on this site, starting with “/”.")]
    if level not in NotificationLevel.values:
        errors["level"] = [_("Unknown level.")]
    if not channels or any(c not in Channel.values for c in channels):
        errors["channels"] = [_("Unknown channel.")]
    if errors:
        raise InvalidInput(fields=errors)


def notify(
    recipients: Iterable[User],
    *,
    title: str,
    body: str,
    link: str = "",
    level: str = NotificationLevel.INFO,
    channels: Sequence[str] = (Channel.INAPP,),
    source: str = "",
    source_id: int | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """Queue one outbox message per recipient and channel; deliver them after commit.

    ``link`` is a path on this site. With ``dedupe_key`` each row gets the key
    ``"{dedupe_key}:{channel}:{user_pk}"`` and a row whose key exists is skipped, so a
    notice raised twice is queued once. Returns the rows written. Raises InvalidInput
    for an empty title, an absolute link, an unknown level or channel.
    """
    now = now or timezone.now()
    channels = list(dict.fromkeys(channels))
    _validate_notice(title, link, level, channels)
    users = list({user.pk: user for user in recipients}.values())
    rows = [
        OutboxMessage(
            channel=channel,
            recipient=user,
            address=_address(user, channel),
            subject=title,
            body=body,
            link=link,
            level=level,
            source=source,
            source_id=source_id,
            next_attempt_at=now,
            created_at=now,
            dedupe_key=f"{dedupe_key}:{channel}:{user.pk}" if dedupe_key else None,
        )
        for user in users
        for channel in channels
    ]
    created = _insert(rows, deduplicate=dedupe_key is not None)
    if created:
        ids = [message.pk for message in created]
        tasks.enqueue(deliver_messages, ids)
    return created


def _insert(rows: list[OutboxMessage], *, deduplicate: bool) -> list[OutboxMessage]:
    if not deduplicate:
        return OutboxMessage.objects.bulk_create(rows)
    created: list[OutboxMessage] = []
    for start in range(0, len(rows), KEY_BATCH):
        batch = rows[start : start + KEY_BATCH]
        keys = [row.dedupe_key for row in batch]
        existing = set(
            OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        fresh = [row for row in batch if row.dedupe_key not in existing]
        if not fresh:
            continue
        # A concurrent notify with the same key must not break the caller's transaction.
        OutboxMessage.objects.bulk_create(fresh, ignore_conflicts=True)
        created.extend(
            OutboxMessage.objects.filter(dedupe_key__in=[row.dedupe_key for row in fresh]).order_by(
                "pk"
            )
        )
    return created


def claim_message(message: OutboxMessage, *, now: datetime) -> bool:
    """Take ``message`` for one delivery attempt; False if it is not due or someone has it.

    The guarded update counts the attempt and pushes ``next_attempt_at`` out by a lease,
    so a second worker's claim on the same row matches nothing.
    """
    claimed = OutboxMessage.objects.filter(
        pk=message.pk, status__in=DELIVERABLE_STATUSES, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE, updated_at=now)
    if claimed:
        message.refresh_from_db(fields=["attempts", "next_attempt_at", "status"])
    return bool(claimed)


def _send(message: OutboxMessage) -> None:
    sender = get_sender(message.channel)
    if connection.in_atomic_block:
        # A database error in a sender must not poison the caller's transaction.
        with transaction.atomic():
            sender.send(message)
    else:
        sender.send(message)


def _record_sent(message: OutboxMessage, *, now: datetime) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=now, last_error="", updated_at=now
    )
    message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, ""


def _record_failure(message: OutboxMessage, reason: str, *, permanent: bool, now: datetime) -> None:
    if permanent or message.attempts >= MAX_ATTEMPTS:
        status, next_at = OutboxStatus.GAVE_UP, now
    else:
        status, next_at = OutboxStatus.FAILED, now + BACKOFF[message.attempts - 1]
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, last_error=reason[:2000], next_attempt_at=next_at, updated_at=now
    )
    message.status, message.last_error, message.next_attempt_at = status, reason, next_at
    logger.warning(
        "notification %s channel=%s attempt %s failed (%s): %s",
        message.pk,
        message.channel,
        message.attempts,
        status,
        reason,
    )


def deliver_message(message: OutboxMessage, *, now: datetime | None = None) -> bool:
    """Try to send one due message through its channel's sender; True when it was sent.

    Claims the row first (see ``claim_message``). A failure is recorded on the row, with
    the next attempt 1, 5, 30 and 120 minutes later; the fifth failure, or a permanent
    one, gives up. Never raises: errors are logged and left visible in the outbox.
    """
    now = now or timezone.now()
    try:
        if not claim_message(message, now=now):
            return False
        try:
            _send(message)
        except SendError as exc:
            _record_failure(message, exc.reason, permanent=exc.permanent, now=now)
            return False
        except Exception as exc:
            logger.exception("notification %s: sender crashed", message.pk)
            _record_failure(message, f"{type(exc).__name__}: {exc}", permanent=False, now=now)
            return False
        _record_sent(message, now=now)
    except Exception:
        logger.exception("notification %s: delivery could not be recorded", message.pk)
        return False
    return True


def deliver_messages(ids: Sequence[int], *, now: datetime | None = None) -> int:
    """Deliver the messages with these ids (the after-commit hook of ``notify``)."""
    sent = 0
    for message in OutboxMessage.objects.filter(pk__in=ids).order_by("pk"):
        sent += deliver_message(message, now=now)
    return sent


def deliver_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Deliver up to ``limit`` messages whose next attempt is due; returns how many were sent.

    Safe to run in several processes at once: each row is claimed before it is sent.
    """
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.due(now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message in OutboxMessage.objects.filter(pk__in=ids).order_by("next_attempt_at", "pk"):
        sent += deliver_message(message, now=now)
    return sent


def retry_message(
    message: OutboxMessage, *, by: User, now: datetime | None = None
) -> OutboxMessage:
    """Queue a failed or given-up message for an attempt now (office and admin only).

    The attempt counter is kept, so a given-up message that fails again gives up again.
    Raises NotAllowed for other users, InvalidInput when the message is not failed or
    given up, and Conflict when a worker changed it first.
    """
    now = now or timezone.now()
    if not can_manage_config(by):
        raise NotAllowed()
    if message.status not in RETRYABLE_STATUSES:
        raise InvalidInput(_("Only failed messages can be retried."), code="not_retryable")
    moved = OutboxMessage.objects.filter(pk=message.pk, status=message.status).update(
        status=OutboxStatus.PENDING, next_attempt_at=now, updated_at=now
    )
    if not moved:
        raise Conflict()
    message.status, message.next_attempt_at = OutboxStatus.PENDING, now
    tasks.enqueue(deliver_messages, [message.pk])
    return message


def mark_read(notification: Notification, *, by: User, now: datetime | None = None) -> Notification:
    """Mark one inbox notice read; reading it again keeps the first read time.

    Raises NotAllowed unless ``by`` is the recipient.
    """
    if by.pk != notification.recipient_id:
        raise NotAllowed()
    now = now or timezone.now()
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    ):
        notification.read_at = now
    return notification


def mark_all_read(user: User, *, by: User, now: datetime | None = None) -> int:
    """Mark every unread notice of ``user`` read; returns how many changed.

    Raises NotAllowed unless ``by`` is ``user``.
    """
    if by.pk != user.pk:
        raise NotAllowed()
    now = now or timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
