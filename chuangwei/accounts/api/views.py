from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.core.api import ScopedModelViewSet
from chuangwei.core.errors import InvalidInput
from chuangwei.core.schema import ErrorSerializer

from .. import services
from ..filters import UserFilter
from ..models import Membership, User
from .serializers import MembershipSerializer, UserSerializer


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    descriptions = {
        400: _("Invalid input (code and fields)."),
        403: _(
            "Not allowed (admin_only: only administrators change administrator and office "
            "accounts and roles)."
        ),
        409: _(
            "Refused: it would leave no active administrator (last_admin), or the account "
            "has history (in_use)."
        ),
    }
    return {c: OpenApiResponse(ErrorSerializer, description=descriptions[c]) for c in codes}


@extend_schema_view(
    create=extend_schema(responses={201: UserSerializer, **_errors(400, 403)}),
    update=extend_schema(responses={200: UserSerializer, **_errors(400, 403, 409)}),
    partial_update=extend_schema(responses={200: UserSerializer, **_errors(400, 403, 409)}),
    destroy=extend_schema(responses={204: None, **_errors(403, 409)}),
)
class UserViewSet(ScopedModelViewSet):
    """Users; only city-wide managers create or change them (services.save_user)."""

    queryset = User.objects.prefetch_related("memberships")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    save_service = staticmethod(services.save_user)
    delete_service = staticmethod(services.delete_user)

    @extend_schema(responses=UserSerializer)
    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        """The signed-in user and their memberships."""
        return Response(UserSerializer(request.user).data)


@extend_schema_view(
    create=extend_schema(responses={201: MembershipSerializer, **_errors(400, 403)}),
    update=extend_schema(responses={200: MembershipSerializer, **_errors(400, 403, 409)}),
    partial_update=extend_schema(responses={200: MembershipSerializer, **_errors(400, 403, 409)}),
    destroy=extend_schema(responses={204: None, **_errors(403, 409)}),
)
class MembershipViewSet(ScopedModelViewSet):
    """Who holds which role over which unit (services.grant/update/revoke_membership)."""

    queryset = Membership.objects.select_related("user", "unit").order_by("pk")
    serializer_class = MembershipSerializer
    filterset_fields = ["user", "unit", "role"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    delete_service = services.revoke_membership

    def perform_save(self, serializer: Any) -> None:
        membership = serializer.instance
        data = serializer.validated_data
        if membership is None:
            serializer.instance = services.grant_membership(
                data["user"], unit=data["unit"], role=data["role"], by=self.request.user
            )
            return
        if "user" in data and data["user"].pk != membership.user_id:
            raise InvalidInput(
                code="membership_user",
                fields={"user": [_("A role stays with its user; grant a new one instead.")]},
            )
        serializer.instance = services.update_membership(
            membership,
            unit=data.get("unit", membership.unit),
            role=data.get("role", membership.role),
            by=self.request.user,
        )
