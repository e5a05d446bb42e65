from chuangwei.core.api import ModelSerializer

from ..models import Membership, User


class MembershipSerializer(ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role"]


class UserSerializer(ModelSerializer):
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
