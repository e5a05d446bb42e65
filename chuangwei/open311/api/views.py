"""Management API of the Open311 app at /api/v1/ (office and admin write; managers read
client applications). The GeoReport v2 endpoints themselves are plain views (views_api)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.accounts.permissions import ManagesConfig
from chuangwei.core.api import ScopedModelViewSet, save_through_service

from .. import services
from ..filters import Open311ClientFilter, ServiceAttributeFilter
from ..models import Open311Client, ServiceAttribute
from . import serializers as s


class Open311ClientViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,  # type: ignore[type-arg]
):
    """Client applications allowed to POST service requests; the key is shown only on
    create and rotate."""

    queryset = Open311Client.objects.all()
    serializer_class = s.Open311ClientSerializer
    filterset_class = Open311ClientFilter
    permission_classes = [ManagesConfig]
    lookup_value_regex = r"\d+"

    @extend_schema(request=s.Open311ClientSerializer, responses={201: s.Open311ClientKeySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.Open311ClientSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client, key = services.create_client(
            Open311Client(**serializer.validated_data), by=request.user
        )
        body = s.Open311ClientKeySerializer(client, context={"api_key": key}).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        save_through_service(
            serializer, services.save_client, model=Open311Client, by=self.request.user
        )

    @extend_schema(request=None, responses=s.Open311ClientKeySerializer)
    @action(detail=True, methods=["post"])
    def rotate(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        key = services.rotate_key(client, by=request.user)
        return Response(s.Open311ClientKeySerializer(client, context={"api_key": key}).data)

    @extend_schema(request=None, responses=s.Open311ClientSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        services.revoke_client(client, by=request.user)
        return Response(s.Open311ClientSerializer(client).data)


class ServiceAttributeViewSet(ScopedModelViewSet):
    """Extra questions of the Open311 services (service definitions)."""

    queryset = ServiceAttribute.objects.select_related("category")
    serializer_class = s.ServiceAttributeSerializer
    filterset_class = ServiceAttributeFilter
    save_service = services.save_attribute
    delete_service = services.delete_attribute
