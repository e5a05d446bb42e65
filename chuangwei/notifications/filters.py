"""One FilterSet per list, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet

from .choices import Channel, NotificationLevel, OutboxStatus
from .models import Notification, OutboxMessage


class NotificationFilter(BaseFilterSet):
    search_fields = ("title", "body")
    unread = django_filters.BooleanFilter(
        label=_("Unread"), field_name="read_at", lookup_expr="isnull"
    )
    level = django_filters.ChoiceFilter(label=_("Urgency"), choices=NotificationLevel.choices)

    class Meta:
        model = Notification
        fields = ["q", "unread", "level"]


class OutboxMessageFilter(BaseFilterSet):
    search_fields = ("subject", "address", "recipient__username", "recipient__display_name")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OutboxStatus.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    source = django_filters.CharFilter(label=_("Source"))

    class Meta:
        model = OutboxMessage
        fields = ["q", "status", "channel", "source"]
