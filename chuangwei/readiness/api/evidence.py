"""Readiness API: the evidence dossier — requirements, evidence (filing and review), completeness.

- ``/evidence-requirements/``: every signed-in user reads; the office creates, edits and
  deactivates (POST ``/{id}/deactivate/``).
- ``/evidence/``: the records of the units in the caller's subtree (the office: all).
  POST (multipart: requirement, unit, period, note, files) files evidence or files it again
  after a return; POST ``/{id}/approve/`` and ``/{id}/return/`` (remark required) review it.
- ``/evidence-completeness/``: the grid's totals, rows and the cells that have a record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from chuangwei.accounts.permissions import OfficeWrites, is_office
from chuangwei.core.api import save_through_service
from chuangwei.core.errors import InvalidInput, NotAllowed
from chuangwei.core.models import user_scope
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import StandardClause

from .. import dossier
from ..filters import EvidenceFilter, EvidenceRequirementFilter
from ..models import Evidence, EvidenceRequirement
from ..services import evidence as services
from . import serializers as s


class EvidenceRequirementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """What each check item requires (应备材料), from which units and how often."""

    queryset = (
        EvidenceRequirement.objects.select_related("clause")
        .prefetch_related("units")
        .order_by("clause__path", "sort_order", "id")
    )
    serializer_class = s.EvidenceRequirementSerializer
    filterset_class = EvidenceRequirementFilter
    permission_classes = [OfficeWrites]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[EvidenceRequirement]:
        return self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined,no-any-return]

    def perform_create(self, serializer: Any) -> None:
        save_through_service(
            serializer,
            services.save_evidence_requirement,
            model=EvidenceRequirement,
            by=self.request.user,
        )

    def perform_update(self, serializer: Any) -> None:
        self.perform_create(serializer)

    @extend_schema(request=None, responses={200: s.EvidenceRequirementSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: Any = None) -> Response:
        """Stop expecting the requirement (office only); its records stay."""
        requirement = get_object_or_404(self.get_queryset(), pk=pk)
        requirement = services.deactivate_evidence_requirement(requirement, by=request.user)
        return Response(s.EvidenceRequirementSerializer(requirement).data)


class EvidenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Evidence records, scoped to the caller's units (the office: all)."""

    queryset = Evidence.objects.select_related("unit", "requirement").order_by(
        "requirement", "unit", "period"
    )
    serializer_class = s.EvidenceSerializer
    filterset_class = EvidenceFilter
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Evidence]:
        qs = self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined]
        if self.action == "retrieve":
            qs = qs.prefetch_related("files", "events")
        return qs  # type: ignore[no-any-return]

    def get_serializer_class(self) -> Any:
        return s.EvidenceDetailSerializer if self.action == "retrieve" else s.EvidenceSerializer

    @extend_schema(request=s.SubmitEvidenceInput, responses={201: s.EvidenceDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """File evidence with its files (multipart), or file it again after a return."""
        data = s.SubmitEvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        evidence = services.submit_evidence(
            values["requirement"],
            unit=values["unit"],
            period=values["period"],
            files=request.FILES.getlist("files"),
            note=values["note"],
            by=request.user,
        )
        return Response(s.EvidenceDetailSerializer(evidence).data, status=status.HTTP_201_CREATED)

    def _office_only(self) -> None:
        if not is_office(self.request.user):
            raise NotAllowed(_("Only the office reviews evidence."))

    @extend_schema(request=s.ApproveEvidenceInput, responses={200: s.EvidenceSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Approve evidence awaiting review (office only)."""
        self._office_only()
        evidence = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.ApproveEvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.approve_evidence(
            evidence, remark=data.validated_data["remark"], by=request.user
        )
        return Response(s.EvidenceSerializer(evidence).data)

    @extend_schema(request=s.ReturnEvidenceInput, responses={200: s.EvidenceSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        """Return evidence awaiting review to its unit with a remark (office only)."""
        self._office_only()
        evidence = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.ReturnEvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.return_evidence(
            evidence, remark=data.validated_data["remark"], by=request.user
        )
        return Response(s.EvidenceSerializer(evidence).data)


class CompletenessViewSet(viewsets.ViewSet):
    """The completeness of the dossier: requirements × units × periods of a year."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[s.CompletenessQuery], responses=s.CompletenessSerializer)
    def list(self, request: Request) -> Response:
        query = s.CompletenessQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        year = values.get("year") or timezone.localdate().year
        aspect = None
        if values.get("aspect"):
            aspect = StandardClause.objects.filter(pk=values["aspect"], level="aspect").first()
            if aspect is None:
                raise InvalidInput(fields={"aspect": [_("Choose an aspect of the standard.")]})
        district = None
        if values.get("district"):
            district = OrgUnit.objects.filter(pk=values["district"]).first()
            if district is None:
                raise InvalidInput(fields={"district": [_("Choose a unit.")]})
        scope = user_scope(request.user)
        units = None if scope.everything else list(scope.subtree_ids())
        grid = dossier.dossier_completeness(
            year=year, aspect=aspect, district=district, units=units
        )
        body = {
            "year": year,
            "expected": grid.expected,
            "counts": grid.counts,
            "percent": grid.percent,
            "rows": grid.rows,
            "units": [
                {
                    "unit": u.pk,
                    "name": u.name,
                    "approved": grid.per_unit.get(u.pk, (0, 0))[0],
                    "expected": grid.per_unit.get(u.pk, (0, 0))[1],
                }
                for u in grid.units
            ],
            "records": [
                [str(r), str(u), p, state, str(pk)] for (r, u, p), (state, pk) in grid.found.items()
            ],
        }
        return Response(s.CompletenessSerializer(body).data)


def register(router: DefaultRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register(
        "evidence-requirements", EvidenceRequirementViewSet, basename="evidence-requirement"
    )
    router.register("evidence", EvidenceViewSet, basename="evidence")
    router.register("evidence-completeness", CompletenessViewSet, basename="evidence-completeness")
