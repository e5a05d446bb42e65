from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.core.api import ScopedModelViewSet

from .. import services
from ..filters import UserFilter
from ..models import Membership, User
from .serializers import MembershipSerializer, UserSerializer


class UserViewSet(ScopedModelViewSet):
    """Users; only city-wide managers create or change them."""

    queryset = User.objects.prefetch_related("memberships")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @extend_schema(responses=UserSerializer)
    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        """The signed-in user and their memberships."""
        return Response(UserSerializer(request.user).data)

    def perform_save(self, serializer: Any) -> None:
        user = serializer.save()
        serializer.instance = services.save_user(user, by=self.request.user)


class MembershipViewSet(ScopedModelViewSet):
    """Who holds which role over which unit."""

    queryset = Membership.objects.select_related("user", "unit")
    serializer_class = MembershipSerializer
    filterset_fields = ["user", "unit", "role"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    delete_service = services.revoke_membership

    def perform_save(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.grant_membership(
            data["user"], unit=data["unit"], role=data["role"], by=self.request.user
        )
