"""The rankings API: metrics, schemes, snapshots (compute, publish) and accountability."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.accounts.permissions import OfficeWrites, is_office
from chuangwei.core.api import ScopedModelViewSet
from chuangwei.core.errors import InvalidInput
from chuangwei.problems.models import Problem

from .. import selectors, services
from ..filters import AccountabilityFilter, SchemeFilter, SnapshotFilter
from ..models import AccountabilityRecord, RankingScheme, RankingSnapshot
from ..periods import Period, last_complete_period, period_containing
from . import serializers as s


def _period(data: dict[str, Any]) -> Period:
    kind = data.get("period") or "month"
    day = data.get("day")
    if day is None:
        if kind == "custom":
            raise InvalidInput(
                _("A custom period needs a start and an end date."),
                code="bad_period",
                fields={"day": [_("This field is required.")]},
            )
        return last_complete_period(kind)
    return period_containing(kind, day, data.get("end"))


class MetricsViewSet(viewsets.ViewSet):
    """Every metric per object for a period (definitions included)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[s.MetricsInput],
        responses={200: s.MetricsOutput},
    )
    def list(self, request: Request) -> Response:
        form = s.MetricsInput(data=request.query_params)
        form.is_valid(raise_exception=True)
        period = _period(form.validated_data)
        dimension = form.validated_data["dimension"]
        engine = "unit" if dimension in ("street", "community") else dimension
        values = selectors.compute_metrics(engine, period.start_at, period.end_at)
        if dimension == "work_line":
            from chuangwei.org.models import WorkLine

            objects = [
                selectors.RankedObject(pk, name, "")
                for pk, name in WorkLine.objects.values_list("pk", "name")
            ]
        else:
            objects = selectors.ranked_objects(dimension)
        results = [
            {
                "id": o.pk,
                "name": o.name,
                "parent_name": o.parent_name,
                "metrics": values.get(o.pk, {}),
            }
            for o in objects
        ]
        return Response(
            {
                "period": period.label,
                "start": period.start,
                "end": period.end,
                "definitions": {k: str(m.definition) for k, m in selectors.METRICS.items()},
                "results": results,
            }
        )


class RankingSchemeViewSet(ScopedModelViewSet):
    """Ranking schemes (weights, bands, grades); written by configuration managers."""

    queryset = RankingScheme.objects.all()
    serializer_class = s.RankingSchemeSerializer
    filterset_class = SchemeFilter
    save_service = services.save_scheme
    delete_service = services.delete_scheme


class RankingSnapshotViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Stored rankings; ``compute`` makes or refreshes a draft, ``publish`` freezes it."""

    queryset = RankingSnapshot.objects.all()
    serializer_class = s.RankingSnapshotSerializer
    filterset_class = SnapshotFilter
    permission_classes = [OfficeWrites]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[RankingSnapshot]:
        qs = RankingSnapshot.objects.visible_to(self.request.user)
        if self.action == "retrieve":
            return qs.prefetch_related("entries")
        return qs

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.RankingSnapshotDetailSerializer
        return s.RankingSnapshotSerializer

    @extend_schema(request=s.ComputeInput, responses={201: s.RankingSnapshotDetailSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request: Request) -> Response:
        form = s.ComputeInput(data=request.data)
        form.is_valid(raise_exception=True)
        snapshot = services.compute_snapshot(
            form.validated_data["scheme"], _period(form.validated_data), by=request.user
        )
        body = s.RankingSnapshotDetailSerializer(snapshot).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.RankingSnapshotSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        snapshot = self.get_object()
        services.publish_snapshot(snapshot, by=request.user)
        return Response(s.RankingSnapshotSerializer(snapshot).data)


class AccountabilityRecordViewSet(ScopedModelViewSet):
    """通报批评, 约谈, 限期整改 and 问责 records; visible by the target unit's subtree."""

    # Each row lists its problems' ids: read them for the whole page at once.
    queryset = AccountabilityRecord.objects.prefetch_related(
        Prefetch("problems", queryset=Problem.objects.only("id"))
    )
    serializer_class = s.AccountabilityRecordSerializer
    filterset_class = AccountabilityFilter
    save_service = services.save_accountability_record
    delete_service = services.delete_accountability_record

    def can_write(self, user: Any) -> bool:
        return is_office(user)

    def get_editable_queryset(self) -> QuerySet[Any]:
        qs = AccountabilityRecord.objects.visible_to(self.request.user)
        return qs if is_office(self.request.user) else qs.none()
