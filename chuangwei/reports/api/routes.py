"""Briefings and milestones on the /api/v1/ router (called from chuangwei/api_urls.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from chuangwei.core.api import ScopedModelViewSet
from chuangwei.core.errors import NotAllowed

from .. import services
from ..filters import BriefingFilter, MilestoneFilter
from ..models import Briefing, Milestone
from ..permissions import can_manage
from .serializers import (
    BriefingCreateInput,
    BriefingSerializer,
    BriefingUpdateInput,
    MilestoneSerializer,
    SectionInput,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BriefingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Work briefings: everyone reads published ones; the office drafts, generates, reviews
    and publishes (issue numbers are given at publication)."""

    queryset = Briefing.objects.prefetch_related("sections")
    serializer_class = BriefingSerializer
    filterset_class = BriefingFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined]

    def _managed(self) -> Briefing:
        briefing = self.get_object()
        if not can_manage(self.request.user):
            raise NotAllowed()
        return briefing  # type: ignore[no-any-return]

    def _out(self, briefing: Briefing, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=briefing.pk)
        return Response(BriefingSerializer(fresh).data, status=code)

    @extend_schema(request=BriefingCreateInput, responses={201: BriefingSerializer})
    def create(self, request: Request) -> Response:
        if not can_manage(request.user):
            raise NotAllowed()
        data = BriefingCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        briefing = services.create_briefing(by=request.user, **data.validated_data)
        return self._out(briefing, status.HTTP_201_CREATED)

    @extend_schema(request=BriefingUpdateInput, responses={200: BriefingSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        briefing = self._managed()
        data = BriefingUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_briefing(briefing, by=request.user, **data.validated_data)
        return self._out(briefing)

    @extend_schema(request=SectionInput, responses={200: BriefingSerializer})
    @action(detail=True, methods=["post"])
    def sections(self, request: Request, pk: str | None = None) -> Response:
        """Add a text section, or change one (``id``)."""
        briefing = self._managed()
        data = SectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        section = None
        if data.validated_data.get("id"):
            section = get_object_or_404(briefing.sections, pk=data.validated_data["id"])
        services.save_section(
            briefing,
            by=request.user,
            section=section,
            heading=data.validated_data["heading"],
            body=data.validated_data.get("body", ""),
        )
        return self._out(briefing)

    @extend_schema(request=None, responses={202: BriefingSerializer})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        """Start generating the figures in the background; poll ``progress``."""
        briefing = services.request_generation(self._managed(), by=request.user)
        return self._out(briefing, status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: BriefingSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._out(services.submit_briefing(self._managed(), by=request.user))

    @extend_schema(request=None, responses={200: BriefingSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request: Request, pk: str | None = None) -> Response:
        return self._out(services.return_briefing(self._managed(), by=request.user))

    @extend_schema(request=None, responses={200: BriefingSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Give the next issue numbers and freeze the briefing with its .docx."""
        return self._out(services.publish_briefing(self._managed(), by=request.user))

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request: Request, pk: str | None = None) -> HttpResponse:
        briefing = self.get_object()
        response = HttpResponse(services.briefing_docx(briefing), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="briefing-{briefing.pk}.docx"'
        return response


class MilestoneViewSet(ScopedModelViewSet):
    """Campaign milestones (the dashboards count down to the next one)."""

    queryset = Milestone.objects.all()
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    save_service = services.save_milestone
    delete_service = services.delete_milestone


def register(router: DefaultRouter) -> None:
    router.register("briefings", BriefingViewSet)
    router.register("milestones", MilestoneViewSet)
