from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer

from ..models import Notification, OutboxMessage


class NotificationSerializer(ModelSerializer):  # type: ignore[type-arg]
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "title",
            "body",
            "link",
            "level",
            "source",
            "source_id",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class MarkAllReadOutput(Serializer):  # type: ignore[type-arg]
    updated = serializers.IntegerField(help_text=_("How many notifications were marked read."))


class OutboxMessageSerializer(ModelSerializer):  # type: ignore[type-arg]
    # A plain string: a second enum named "level" would collide in the schema.
    level = serializers.CharField(read_only=True, help_text=_("info, warning or danger"))

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "channel",
            "recipient",
            "address",
            "subject",
            "body",
            "link",
            "level",
            "source",
            "source_id",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields
