"""The inbox (everyone) and the outbox (office and admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.core.errors import DomainError
from chuangwei.core.tables import Column
from chuangwei.core.views import ObjectListView, domain_error_message

from . import services
from .choices import (
    CHANNEL_COLORS,
    NOTIFICATION_LEVEL_COLORS,
    OUTBOX_STATUS_COLORS,
    RETRYABLE_STATUSES,
)
from .filters import NotificationFilter, OutboxMessageFilter
from .models import Notification, OutboxMessage
from .permissions import access_notification, access_outbox_message


def _local_url(request: HttpRequest, url: str) -> str:
    """``url`` if it stays on this site, else empty (no open redirects)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


class NotificationListView(ObjectListView):
    """The signed-in user's inbox, newest first; unread rows are bold."""

    model = Notification
    title = gettext_lazy("My notifications")
    filterset_class = NotificationFilter
    template_name = "notifications/notification_list.html"
    table_template = "notifications/_notification_table.html"
    url_names = {"list": "notifications:notification_list"}
    columns = [
        Column("level", gettext_lazy("Urgency"), kind="badge", colors=NOTIFICATION_LEVEL_COLORS),
        Column("title", gettext_lazy("Title")),
        Column("body", gettext_lazy("Content"), truncate=60),
        Column("created_at", gettext_lazy("Time"), kind="datetime"),
        Column("read_at", gettext_lazy("Read at"), kind="datetime"),
    ]

    def can_edit(self) -> bool:
        return False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["has_unread"] = Notification.objects.visible_to(self.request.user).unread().exists()
        context["table_template"] = self.table_template
        return context


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one own notice read, then follow its link (or go back to the inbox)."""
    notification = access_notification(request.user, pk)
    services.mark_read(notification, by=request.user)  # type: ignore[arg-type]
    target = _local_url(request, notification.link)
    return HttpResponseRedirect(target or reverse("notifications:notification_list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread notice of the signed-in user read."""
    count = services.mark_all_read(request.user, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Marked %(count)s notifications as read.") % {"count": count})
    return HttpResponseRedirect(reverse("notifications:notification_list"))


class OutboxListView(ObjectListView):
    """Every outgoing message with its delivery state; ``?status=failed`` shows the failing."""

    model = OutboxMessage
    managers_only = True
    title = gettext_lazy("Message outbox")
    filterset_class = OutboxMessageFilter
    template_name = "notifications/outboxmessage_list.html"
    table_template = "notifications/_outbox_table.html"
    url_names = {"list": "notifications:outbox_list"}
    columns = [
        Column("created_at", gettext_lazy("Created at"), kind="datetime"),
        Column("channel", gettext_lazy("Channel"), kind="badge", colors=CHANNEL_COLORS),
        Column("recipient", gettext_lazy("Recipient")),
        Column("address", gettext_lazy("Address")),
        Column("subject", gettext_lazy("Subject"), truncate=30),
        Column("status", gettext_lazy("Status"), kind="badge", colors=OUTBOX_STATUS_COLORS),
        Column("attempts", gettext_lazy("Attempts"), kind="number"),
        Column("next_attempt_at", gettext_lazy("Next attempt"), kind="datetime"),
        Column("last_error", gettext_lazy("Last error"), truncate=60),
    ]

    def can_edit(self) -> bool:
        return False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for row in context["rows"]:
            row["retry_url"] = (
                reverse("notifications:outbox_retry", args=[row["obj"].pk])
                if row["obj"].status in RETRYABLE_STATUSES
                else ""
            )
        context["table_template"] = self.table_template
        return context


@login_required
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed message for an attempt now and go back to the outbox page."""
    message = access_outbox_message(request.user, pk)
    try:
        services.retry_message(message, by=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("The message was queued for another attempt."))
    target = _local_url(request, request.POST.get("next", ""))
    return HttpResponseRedirect(target or reverse("notifications:outbox_list"))
