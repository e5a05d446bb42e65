from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Membership, User


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role"]


class UserSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "phone",
            "email",
            "is_active",
            "last_login",
            "memberships",
        ]
        read_only_fields = ["last_login"]


class AccountErrorDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(help_text=_("Stable machine code, e.g. last_admin or locked."))
    message = serializers.CharField()
    # A declared field named like Serializer.fields: DRF's metaclass pops it, so it is safe.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


class AccountErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The API's error body ``{"error": {"code", "message", "fields"}}`` (core.api)."""

    error = AccountErrorDetailSerializer()
