"""notify, delivery, retries and reading (services and senders)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import transaction

from chuangwei.core.errors import InvalidInput, NotAllowed
from chuangwei.notifications import selectors, services
from chuangwei.notifications.choices import Channel, OutboxStatus
from chuangwei.notifications.models import Notification, OutboxMessage
from chuangwei.notifications.senders import SendError

from .factories import NOW, NotificationFactory, OutboxMessageFactory

FAILING = {"inapp": "chuangwei.notifications.tests.test_services.FailingSender"}
CRASHING = {"inapp": "chuangwei.notifications.tests.test_services.CrashingSender"}


class FailingSender:
    def send(self, message):
        raise SendError("gateway down")


class CrashingSender:
    def send(self, message):
        raise RuntimeError("boom")


@pytest.fixture
def failing_sender(settings):
    settings.CHUANGWEI_NOTIFICATION_SENDERS = FAILING


def queue_one(user, **kwargs):
    (message,) = services.notify([user], title="新任务", body="请处理", now=NOW, **kwargs)
    return message


def test_rolled_back_notify_writes_and_sends_nothing(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify([personas["handler_a"]], title="新任务", body="请处理")
            raise RuntimeError("caller failed")
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert Notification.objects.count() == 0


def test_committed_notify_fills_each_inbox(personas, django_capture_on_commit_callbacks):
    users = [personas["handler_a"], personas["handler_b"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users, title="新任务", body="请处理", link="/problems/7/", now=NOW)
    rows = Notification.objects.order_by("recipient__username")
    assert list(rows.values_list("recipient__username", "title", "link", "read_at")) == [
        ("handler_a", "新任务", "/problems/7/", None),
        ("handler_b", "新任务", "/problems/7/", None),
    ]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_notify_writes_one_row_per_recipient_and_channel(personas):
    personas["handler_a"].email = "a@example.com"
    rows = services.notify(
        [personas["handler_a"], personas["handler_a"]],
        title="新任务",
        body="请处理",
        channels=(Channel.INAPP, Channel.EMAIL),
        now=NOW,
    )
    assert [(m.channel, m.address, m.status) for m in rows] == [
        ("inapp", "", "pending"),
        ("email", "a@example.com", "pending"),
    ]


def test_notify_with_same_dedupe_key_queues_once(personas):
    first = queue_one(personas["handler_a"], dedupe_key="problems.ProblemEvent:9")
    again = services.notify(
        [personas["handler_a"]], title="新任务", body="请处理", dedupe_key="problems.ProblemEvent:9"
    )
    assert again == []
    assert first.dedupe_key == f"problems.ProblemEvent:9:inapp:{personas['handler_a'].pk}"
    assert OutboxMessage.objects.count() == 1


def test_notify_rejects_link_to_another_site(personas):
    with pytest.raises(InvalidInput) as info:
        services.notify([personas["handler_a"]], title="x", body="", link="https://evil.example/")
    assert list(info.value.fields) == ["link"]
    assert OutboxMessage.objects.count() == 0


def test_delivered_message_is_marked_sent(personas):
    message = queue_one(personas["handler_a"])
    assert services.deliver_message(message, now=NOW) is True
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (OutboxStatus.SENT, 1, NOW)
    assert message.notification.recipient == personas["handler_a"]


def test_failing_sender_marks_failed_and_retries_in_a_minute(personas, failing_sender):
    message = queue_one(personas["handler_a"])
    assert services.deliver_message(message, now=NOW) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert message.next_attempt_at == NOW + timedelta(minutes=1)
    assert message.last_error == "gateway down"


def test_backoff_grows_then_gives_up_after_five_attempts(personas, failing_sender):
    message = queue_one(personas["handler_a"])
    now, waits = NOW, []
    for _attempt in range(5):
        services.deliver_message(message, now=now)
        message.refresh_from_db()
        waits.append(message.next_attempt_at - now)
        now = message.next_attempt_at
    minutes = [int(w.total_seconds() // 60) for w in waits[:4]]
    assert minutes == [1, 5, 30, 120]
    assert (message.status, message.attempts) == (OutboxStatus.GAVE_UP, 5)
    assert services.deliver_message(message, now=now + timedelta(days=1)) is False


def test_crashing_sender_is_recorded_not_raised(personas, settings):
    settings.CHUANGWEI_NOTIFICATION_SENDERS = CRASHING
    message = queue_one(personas["handler_a"])
    assert services.deliver_message(message, now=NOW) is False
    message.refresh_from_db()
    assert (message.status, message.last_error) == (OutboxStatus.FAILED, "RuntimeError: boom")


def test_email_without_address_gives_up_at_once(personas, settings):
    settings.CHUANGWEI_NOTIFICATION_SENDERS = {
        "email": "chuangwei.notifications.senders.EmailSender"
    }
    message = queue_one(personas["handler_a"], channels=(Channel.EMAIL,))
    services.deliver_message(message, now=NOW)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.GAVE_UP, 1)


def test_email_sender_sends_through_django_mail(personas, settings, mailoutbox):
    settings.CHUANGWEI_NOTIFICATION_SENDERS = {
        "email": "chuangwei.notifications.senders.EmailSender"
    }
    personas["handler_a"].email = "a@example.com"
    message = queue_one(personas["handler_a"], channels=(Channel.EMAIL,))
    assert services.deliver_message(message, now=NOW) is True
    assert [(m.subject, m.to) for m in mailoutbox] == [("新任务", ["a@example.com"])]


def test_default_email_sender_logs_the_message(personas, caplog):
    message = queue_one(personas["handler_a"], channels=(Channel.EMAIL,))
    with caplog.at_level(logging.INFO, logger="chuangwei.notifications"):
        services.deliver_message(message, now=NOW)
    assert [r.levelname for r in caplog.records] == ["INFO"]
    assert "subject=新任务" in caplog.records[0].getMessage()


def test_second_claim_of_the_same_row_fails(personas):
    message = queue_one(personas["handler_a"])
    other_copy = OutboxMessage.objects.get(pk=message.pk)
    assert services.claim_message(message, now=NOW) is True
    assert services.claim_message(other_copy, now=NOW) is False
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


def test_in_app_delivery_twice_makes_one_inbox_row(personas):
    message = queue_one(personas["handler_a"])
    services.deliver_message(message, now=NOW)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING)
    services.deliver_message(message, now=NOW + timedelta(hours=1))
    assert Notification.objects.filter(recipient=personas["handler_a"]).count() == 1


def test_deliver_due_sends_only_due_rows(personas):
    due = OutboxMessageFactory(recipient=personas["handler_a"], next_attempt_at=NOW)
    later = OutboxMessageFactory(
        recipient=personas["handler_a"], next_attempt_at=NOW + timedelta(minutes=5)
    )
    assert services.deliver_due(now=NOW) == 1
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {due.pk: OutboxStatus.SENT, later.pk: OutboxStatus.PENDING}


def test_retry_requeues_given_up_message(personas):
    message = OutboxMessageFactory(status=OutboxStatus.GAVE_UP, attempts=5, last_error="x")
    services.retry_message(message, by=personas["office"], now=NOW + timedelta(days=1))
    message.refresh_from_db()
    assert (message.status, message.next_attempt_at) == (
        OutboxStatus.PENDING,
        NOW + timedelta(days=1),
    )


def test_handler_cannot_retry(personas):
    message = OutboxMessageFactory(status=OutboxStatus.FAILED, attempts=1)
    with pytest.raises(NotAllowed):
        services.retry_message(message, by=personas["handler_a"])
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.FAILED


def test_retry_refuses_sent_message(personas):
    message = OutboxMessageFactory(status=OutboxStatus.SENT, sent_at=NOW)
    with pytest.raises(InvalidInput) as info:
        services.retry_message(message, by=personas["office"])
    assert info.value.code == "not_retryable"


def test_mark_read_keeps_first_read_time(personas):
    notice = NotificationFactory(recipient=personas["handler_a"])
    services.mark_read(notice, by=personas["handler_a"], now=NOW)
    services.mark_read(notice, by=personas["handler_a"], now=NOW + timedelta(hours=1))
    notice.refresh_from_db()
    assert notice.read_at == NOW


def test_mark_read_of_someone_elses_notice_is_refused(personas):
    notice = NotificationFactory(recipient=personas["handler_b"])
    with pytest.raises(NotAllowed):
        services.mark_read(notice, by=personas["handler_a"], now=NOW)
    assert Notification.objects.get(pk=notice.pk).read_at is None


def test_mark_all_read_touches_only_own_unread(personas):
    NotificationFactory.create_batch(2, recipient=personas["handler_a"])
    NotificationFactory(recipient=personas["handler_a"], read_at=NOW - timedelta(days=1))
    NotificationFactory(recipient=personas["handler_b"])
    user = personas["handler_a"]
    assert services.mark_all_read(user, by=user, now=NOW) == 2
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_unread_count_and_outbox_health(personas):
    NotificationFactory.create_batch(2, recipient=personas["handler_a"])
    NotificationFactory(recipient=personas["handler_a"], read_at=NOW)
    OutboxMessageFactory(status=OutboxStatus.FAILED, next_attempt_at=NOW)
    OutboxMessageFactory(status=OutboxStatus.GAVE_UP)
    assert selectors.unread_count(personas["handler_a"]) == 2
    health = selectors.outbox_health(now=NOW)
    assert (health.due, health.failed, health.gave_up) == (1, 1, 1)
