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
