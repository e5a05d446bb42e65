"""send_notifications: one round for cron, or a loop that stops on SIGTERM."""

from __future__ import annotations

import signal
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from chuangwei.notifications import services
from chuangwei.notifications.choices import OutboxStatus
from chuangwei.notifications.models import Notification, OutboxMessage

from .factories import OutboxMessageFactory


def test_command_delivers_due_rows_once(personas):
    services.notify([personas["handler_a"], personas["handler_b"]], title="新任务", body="请处理")
    future = OutboxMessageFactory(
        recipient=personas["office"], next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert "2" in out.getvalue()
    assert Notification.objects.count() == 2
    assert OutboxMessage.objects.get(pk=future.pk).status == OutboxStatus.PENDING


def test_second_run_sends_nothing_again(personas):
    services.notify([personas["handler_a"]], title="新任务", body="请处理")
    call_command("send_notifications", stdout=StringIO())
    call_command("send_notifications", stdout=StringIO())
    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.get().attempts == 1


def test_loop_exits_cleanly_on_sigterm(db, monkeypatch):
    rounds = []

    def fake_deliver_due(*, limit):
        rounds.append(limit)
        signal.raise_signal(signal.SIGTERM)
        return 0

    monkeypatch.setattr(services, "deliver_due", fake_deliver_due)
    before = signal.getsignal(signal.SIGTERM)
    call_command("send_notifications", "--loop", "--interval", "0.01", stdout=StringIO())
    assert rounds == [500]
    assert signal.getsignal(signal.SIGTERM) is before
