"""Inbox, read links, the outbox page and the bell's context processor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from chuangwei.notifications.choices import OutboxStatus
from chuangwei.notifications.context_processors import unread
from chuangwei.notifications.models import Notification, OutboxMessage

from .factories import NOW, NotificationFactory, OutboxMessageFactory

INBOX = "/notifications/inbox/"
OUTBOX = "/notifications/outbox/"


def test_inbox_shows_only_own_notifications(personas, client_as):
    NotificationFactory(recipient=personas["handler_a"], title="甲街道的通知")
    NotificationFactory(recipient=personas["handler_b"], title="乙街道的通知")
    response = client_as("handler_a").get(INBOX)
    assert response.status_code == 200
    assert "甲街道的通知" in response.text
    assert "乙街道的通知" not in response.text


def test_inbox_lists_newest_first_with_unread_bold(personas, client_as):
    user = personas["handler_a"]
    NotificationFactory(recipient=user, title="旧通知", created_at=NOW, read_at=NOW)
    NotificationFactory(recipient=user, title="新通知", created_at=NOW.replace(hour=5))
    response = client_as("handler_a").get(INBOX)
    assert [n.title for n in (r["obj"] for r in response.context["rows"])] == ["新通知", "旧通知"]
    assert response.text.count("cw-unread") == 1


def test_read_own_notice_marks_it_and_follows_the_link(personas, client_as):
    notice = NotificationFactory(recipient=personas["handler_a"], link="/places/sites/3/")
    response = client_as("handler_a").post(f"/notifications/{notice.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == "/places/sites/3/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_reading_someone_elses_notice_is_404(personas, client_as):
    notice = NotificationFactory(recipient=personas["handler_b"])
    response = client_as("handler_a").post(f"/notifications/{notice.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=notice.pk).read_at is None


def test_read_never_redirects_off_site(personas, client_as):
    notice = NotificationFactory(recipient=personas["handler_a"], link="//evil.example/x")
    response = client_as("handler_a").post(f"/notifications/{notice.pk}/read/")
    assert response["Location"] == INBOX


def test_read_link_refuses_get(personas, client_as):
    notice = NotificationFactory(recipient=personas["handler_a"])
    assert client_as("handler_a").get(f"/notifications/{notice.pk}/read/").status_code == 405
    assert Notification.objects.get(pk=notice.pk).read_at is None


def test_read_all_marks_only_own(personas, client_as):
    NotificationFactory.create_batch(2, recipient=personas["handler_a"])
    other = NotificationFactory(recipient=personas["handler_b"])
    response = client_as("handler_a").post("/notifications/read-all/")
    assert response["Location"] == INBOX
    assert Notification.objects.filter(read_at__isnull=True).get() == other


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("handler_a", 403),
        ("grid_worker", 403),
        ("inspector", 403),
        ("leader", 403),
        ("supervisor", 403),
        ("anonymous", 302),
    ],
)
def test_outbox_page_matrix(client_as, persona, status):
    assert client_as(persona).get(OUTBOX).status_code == status


def test_outbox_filters_failing_messages(personas, client_as):
    failing = OutboxMessageFactory(
        recipient=personas["handler_a"], status=OutboxStatus.FAILED, last_error="网关超时"
    )
    OutboxMessageFactory(recipient=personas["handler_a"], status=OutboxStatus.SENT, sent_at=NOW)
    response = client_as("office").get(OUTBOX, {"status": "failed"})
    assert [r["obj"] for r in response.context["rows"]] == [failing]
    assert "网关超时" in response.text
    assert f"/notifications/outbox/{failing.pk}/retry/" in response.text


def test_office_retry_delivers_the_message(personas, client_as, django_capture_on_commit_callbacks):
    message = OutboxMessageFactory(
        recipient=personas["handler_a"], status=OutboxStatus.GAVE_UP, attempts=5
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("office").post(f"{OUTBOX}{message.pk}/retry/")
    assert response["Location"] == OUTBOX
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 6)


def test_handler_retry_is_forbidden_and_changes_nothing(personas, client_as):
    message = OutboxMessageFactory(status=OutboxStatus.FAILED, attempts=1, next_attempt_at=NOW)
    response = client_as("handler_a").post(f"{OUTBOX}{message.pk}/retry/")
    assert response.status_code == 403
    after = OutboxMessage.objects.get(pk=message.pk)
    assert (after.status, after.next_attempt_at) == (OutboxStatus.FAILED, NOW)


def test_unread_context_counts_own_unread_in_one_query(personas, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient=personas["handler_a"])
    NotificationFactory(recipient=personas["handler_a"], read_at=NOW)
    NotificationFactory(recipient=personas["handler_b"])
    request = RequestFactory().get("/")
    request.user = personas["handler_a"]
    with django_assert_num_queries(1):
        assert unread(request) == {"unread_notifications": 2}


def test_unread_context_is_empty_for_anonymous(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {}
