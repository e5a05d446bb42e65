"""Serializers of the Open311 management API (client applications, service attributes)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from chuangwei.core.api import ModelSerializer

from ..models import Open311Client, ServiceAttribute


class Open311ClientSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Open311Client
        fields = [
            "id",
            "name",
            "contact",
            "note",
            "rate_limit",
            "key_prefix",
            "is_active",
            "key_rotated_at",
            "revoked_at",
            "last_used_at",
            "created_at",
        ]
        extra_kwargs = {"rate_limit": {"min_value": 1, "max_value": 6000}}
        read_only_fields = [
            "key_prefix",
            "is_active",
            "key_rotated_at",
            "revoked_at",
            "last_used_at",
            "created_at",
        ]


class Open311ClientKeySerializer(Open311ClientSerializer):
    """The client with its API key: only in the answer to create and rotate."""

    api_key = serializers.SerializerMethodField()

    class Meta(Open311ClientSerializer.Meta):
        fields = [*Open311ClientSerializer.Meta.fields, "api_key"]

    def get_api_key(self, obj: Any) -> str:
        return str(self.context.get("api_key", ""))


class ServiceAttributeSerializer(ModelSerializer):  # type: ignore[type-arg]
    values = serializers.JSONField(required=False)

    class Meta:
        model = ServiceAttribute
        fields = [
            "id",
            "category",
            "code",
            "variable",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        ]
