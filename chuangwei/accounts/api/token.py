from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from chuangwei.core.api import Serializer
from chuangwei.core.schema import ErrorSerializer

from .. import services, throttle


class TokenSerializer(Serializer):
    token = serializers.CharField(
        help_text=_("Send it as the header: Authorization: Token <token>")
    )


class ObtainTokenView(ObtainAuthToken):
    """POST username and password to get the API token of that user (throttled).

    Answers 400 ``invalid`` for a wrong username or password (the same whether the username
    exists), 429 ``locked`` with ``Retry-After`` while the address or the username+address
    pair is locked after repeated failures (the password is not tried then), and 429
    ``throttled`` beyond 60 requests a minute from one address.
    """

    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "invalid: wrong username or password, or a field missing; the same "
                    "answer whether the username exists."
                ),
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "locked: too many failed sign-ins from this address (any usernames) or for "
                    "this username from this address; try again after Retry-After seconds. "
                    "throttled: more than 60 requests a minute from this address."
                ),
            ),
        },
        parameters=[
            OpenApiParameter(
                "Retry-After",
                int,
                OpenApiParameter.HEADER,
                description=_("Seconds until a sign-in may be tried again."),
                response=[429],
            )
        ],
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        username = request.data.get("username", "") if hasattr(request.data, "get") else ""
        username = username if isinstance(username, str) else ""
        wait = throttle.locked_for(request._request, username)
        if wait:
            return throttle.locked_api_response(wait)  # type: ignore[return-value]
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # The failure just counted may have been the one that locks.
            wait = throttle.locked_for(request._request, username)
            if wait:
                return throttle.locked_api_response(wait)  # type: ignore[return-value]
            raise serializers.ValidationError(serializer.errors)
        token = services.issue_token(serializer.validated_data["user"])
        return Response({"token": token})
