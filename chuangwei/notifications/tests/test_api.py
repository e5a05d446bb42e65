"""Authorisation matrix of /api/v1/notifications/ and /api/v1/outbox-messages/."""

from __future__ import annotations

import pytest

from chuangwei.notifications.choices import OutboxStatus
from chuangwei.notifications.models import Notification, OutboxMessage

from .factories import NOW, NotificationFactory, OutboxMessageFactory

pytestmark = pytest.mark.urls("chuangwei.notifications.tests.urls")

PERSONAS = [
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
    "anonymous",
]
MANAGERS = {"admin", "office"}


@pytest.fixture
def inbox(personas):
    """One unread notice for every signed-in persona, plus a second one for handler_a."""
    rows = {
        name: NotificationFactory(recipient=user, title=f"{name}的通知")
        for name, user in personas.items()
        if user is not None
    }
    NotificationFactory(recipient=personas["handler_a"], title="第二条")
    return rows


@pytest.mark.parametrize("persona", PERSONAS)
def test_notification_list_shows_only_own(api_as, inbox, persona):
    response = api_as(persona).get("/api/v1/notifications/")
    if persona == "anonymous":
        assert response.status_code == 401
        return
    titles = {row["title"] for row in response.json()["results"]}
    expected = {f"{persona}的通知"} | ({"第二条"} if persona == "handler_a" else set())
    assert titles == expected


def test_unread_filter(api_as, inbox, personas):
    NotificationFactory(recipient=personas["handler_a"], title="已读", read_at=NOW)
    response = api_as("handler_a").get("/api/v1/notifications/", {"unread": "true"})
    assert sorted(r["title"] for r in response.json()["results"]) == ["handler_a的通知", "第二条"]


def test_retrieving_someone_elses_notification_is_404(api_as, inbox):
    response = api_as("handler_a").get(f"/api/v1/notifications/{inbox['handler_b'].pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_action_matrix(api_as, inbox, persona):
    target = inbox["handler_a"]
    response = api_as(persona).post(f"/api/v1/notifications/{target.pk}/read/")
    target.refresh_from_db()
    if persona == "handler_a":
        assert response.status_code == 200
        assert response.json()["is_read"] is True
        assert target.read_at is not None
    else:
        assert response.status_code == (401 if persona == "anonymous" else 404)
        assert target.read_at is None


def test_read_all_marks_own_and_reports_count(api_as, inbox):
    response = api_as("handler_a").post("/api/v1/notifications/read-all/")
    assert response.json() == {"updated": 2}
    assert Notification.objects.filter(read_at__isnull=True).count() == len(inbox) - 1


def test_read_all_for_anonymous_is_401(api_as, inbox):
    assert api_as("anonymous").post("/api/v1/notifications/read-all/").status_code == 401
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_notifications_cannot_be_changed_directly(api_as, inbox, method):
    url = f"/api/v1/notifications/{inbox['handler_a'].pk}/"
    response = getattr(api_as("handler_a"), method)(url, {"title": "改"}, format="json")
    assert response.status_code == 405
    assert Notification.objects.get(pk=inbox["handler_a"].pk).title == "handler_a的通知"


@pytest.mark.parametrize("persona", PERSONAS)
def test_outbox_list_matrix(api_as, personas, persona):
    OutboxMessageFactory(recipient=personas["handler_a"], status=OutboxStatus.FAILED)
    response = api_as(persona).get("/api/v1/outbox-messages/", {"status": "failed"})
    if persona in MANAGERS:
        assert response.status_code == 200
        assert response.json()["count"] == 1
    else:
        assert response.status_code == (401 if persona == "anonymous" else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_outbox_retry_matrix(api_as, personas, persona, django_capture_on_commit_callbacks):
    message = OutboxMessageFactory(
        recipient=personas["handler_a"], status=OutboxStatus.FAILED, attempts=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(persona).post(f"/api/v1/outbox-messages/{message.pk}/retry/")
    message.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 200
        assert (message.status, message.attempts) == (OutboxStatus.SENT, 3)
    else:
        assert response.status_code == (401 if persona == "anonymous" else 403)
        assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2)


def test_retrying_a_sent_message_is_400(api_as):
    message = OutboxMessageFactory(status=OutboxStatus.SENT, sent_at=NOW)
    response = api_as("office").post(f"/api/v1/outbox-messages/{message.pk}/retry/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_retryable"
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT
