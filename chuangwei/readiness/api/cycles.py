"""Readiness API: evaluation cycles, their stages, a stage's list (stage problems) and the
回头看 rounds.

Every signed-in user reads cycles, stages and rounds; a stage's problems only as far as the
user sees the problems. The office writes; the office and inspectors record a round's
results.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import NotAllowed

from .. import stages as selectors
from ..filters import (
    EvaluationCycleFilter,
    EvaluationStageFilter,
    RecheckRoundFilter,
    StageProblemFilter,
)
from ..models import EvaluationCycle, EvaluationStage, RecheckRound, StageProblem
from ..services import cycles
from ..stage_import import StageListImporter
from . import serializers as s


class _OfficeWrites:
    request: Request

    def _office_only(self) -> None:
        # The role is checked before the input, so a refused caller learns nothing more.
        if not is_office(self.request.user):
            raise NotAllowed()


class EvaluationCycleViewSet(
    _OfficeWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Evaluation cycles (创建 / 复审). The office creates one (with the standard stages unless
    ``from_template`` is false) and edits it (PUT)."""

    queryset = EvaluationCycle.objects.order_by("-start_year", "-id")
    serializer_class = s.EvaluationCycleSerializer
    filterset_class = EvaluationCycleFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[EvaluationCycle]:
        return self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined,no-any-return]

    @extend_schema(
        request=s.EvaluationCycleCreateInput, responses={201: s.EvaluationCycleSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._office_only()
        data = s.EvaluationCycleCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        dates = {row["kind"]: row["due_on"] for row in values.pop("stage_dates")}
        from_template = values.pop("from_template")
        stages = None
        if from_template:
            stages = [
                {**stage, "due_on": dates.get(stage["kind"], stage["due_on"])}
                for stage in cycles.template_stages(values["start_year"], values["end_year"])
            ]
        cycle = cycles.create_cycle(
            by=request.user, stages=stages, from_template=from_template, **values
        )
        return Response(s.EvaluationCycleSerializer(cycle).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EvaluationCycleInput, responses={200: s.EvaluationCycleSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._office_only()
        cycle = self.get_object()
        data = s.EvaluationCycleInput(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = cycles.update_cycle(cycle, by=request.user, **data.validated_data)
        return Response(s.EvaluationCycleSerializer(cycle).data)


class EvaluationStageViewSet(
    _OfficeWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Stages of the cycles (filter ``cycle``), with their dates, owner and deliverables.

    The office adds (POST) and edits (PUT) them, starts and completes them (completing
    freezes the indicator snapshot) and imports a stage's problem list (``import``).
    ``next`` gives the next stage and the days left (the dashboards' countdown)."""

    queryset = EvaluationStage.objects.select_related("owner").order_by(
        "cycle", "due_on", "sort_order", "id"
    )
    serializer_class = s.EvaluationStageSerializer
    filterset_class = EvaluationStageFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[EvaluationStage]:
        return self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined,no-any-return]

    @extend_schema(
        request=s.EvaluationStageCreateInput, responses={201: s.EvaluationStageSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._office_only()
        data = s.EvaluationStageCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        stage = cycles.create_stage(values.pop("cycle"), by=request.user, **values)
        return Response(s.EvaluationStageSerializer(stage).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EvaluationStageInput, responses={200: s.EvaluationStageSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._office_only()
        stage = self.get_object()
        data = s.EvaluationStageInput(data=request.data)
        data.is_valid(raise_exception=True)
        stage = cycles.update_stage(stage, by=request.user, **data.validated_data)
        return Response(s.EvaluationStageSerializer(stage).data)

    @extend_schema(request=None, responses={200: s.EvaluationStageSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: Any = None) -> Response:
        """Mark a planned stage in progress (office only)."""
        self._office_only()
        stage = cycles.start_stage(self.get_object(), by=request.user)
        return Response(s.EvaluationStageSerializer(stage).data)

    @extend_schema(request=None, responses={200: s.EvaluationStageSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        """Mark a stage done and freeze its indicator snapshot (office only)."""
        self._office_only()
        stage = cycles.complete_stage(self.get_object(), by=request.user)
        return Response(s.EvaluationStageSerializer(stage).data)

    @extend_schema(responses={200: s.CountdownSerializer})
    @action(detail=False, methods=["get"])
    def next(self, request: Request) -> Response:
        """The next stage not done (in the current cycle) and the days left until it."""
        countdown = selectors.countdown(timezone.localdate())
        body = {
            "stage": countdown.stage if countdown else None,
            "days": countdown.days if countdown else None,
        }
        return Response(s.CountdownSerializer(body).data)

    @extend_schema(
        request={"multipart/form-data": s.StageImportInput},
        responses={
            201: s.StageImportResultSerializer,
            400: OpenApiResponse(description="Every fault of the file; nothing was written."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_list(self, request: Request, pk: Any = None) -> Response:
        """Import the stage's problem list (Excel, all or nothing; office only). Items whose
        number the stage already holds are skipped."""
        self._office_only()
        stage = self.get_object()
        data = s.StageImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = StageListImporter.for_stage(stage)().run(
            upload, upload.name, by=request.user, commit=True
        )
        body = {
            "total": result.total,
            "created": result.created,
            "skipped": result.total - result.created,
        }
        return Response(s.StageImportResultSerializer(body).data, status=status.HTTP_201_CREATED)


class StageProblemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """The items of the stages' lists (filter ``stage``), as far as the user sees their
    problems. A problem without coordinates has ``lng``/``lat`` null."""

    queryset = StageProblem.objects.select_related("problem", "problem__unit").order_by(
        "stage", "id"
    )
    serializer_class = s.StageProblemSerializer
    filterset_class = StageProblemFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[StageProblem]:
        return self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined,no-any-return]


class RecheckRoundViewSet(
    _OfficeWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """回头看 rounds (filter ``stage``). The office opens one (POST); the office and
    inspectors record what it finds for each item (``results``); ``report`` gives the counts
    and the items still open."""

    queryset = RecheckRound.objects.order_by("stage", "-held_on", "-id")
    serializer_class = s.RecheckRoundSerializer
    filterset_class = RecheckRoundFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[RecheckRound]:
        return self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined,no-any-return]

    @extend_schema(request=s.RecheckRoundInput, responses={201: s.RecheckRoundSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._office_only()
        data = s.RecheckRoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        round = cycles.create_recheck_round(values.pop("stage"), by=request.user, **values)
        return Response(s.RecheckRoundSerializer(round).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RecheckResultInput, responses={200: s.RecheckResultSerializer})
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: Any = None) -> Response:
        """Record (or correct) the outcome for one item (office and inspectors)."""
        if not cycles.can_recheck(request.user):
            raise NotAllowed()
        round = self.get_object()
        data = s.RecheckResultInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(
            StageProblem.objects.visible_to(request.user),  # type: ignore[attr-defined]
            pk=data.validated_data["item"],
        )
        result = cycles.record_recheck_result(
            round,
            item,
            outcome=data.validated_data["outcome"],
            note=data.validated_data["note"],
            by=request.user,
        )
        return Response(s.RecheckResultSerializer(result).data)

    @extend_schema(responses={200: s.RecheckReportSerializer})
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: Any = None) -> Response:
        """Counts per outcome and the items still open or not checked."""
        report = selectors.round_report(self.get_object(), request.user)
        body = {
            "round": report.round.pk,
            "total": report.total,
            "fixed": report.fixed,
            "still_open": report.still_open,
            "regressed": report.regressed,
            "unchecked": report.unchecked,
            "open_items": [item.pk for item in report.open_items],
        }
        return Response(s.RecheckReportSerializer(body).data)


def register(router: DefaultRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("evaluation-cycles", EvaluationCycleViewSet, basename="evaluation-cycle")
    router.register("evaluation-stages", EvaluationStageViewSet, basename="evaluation-stage")
    router.register("stage-problems", StageProblemViewSet, basename="stage-problem")
    router.register("recheck-rounds", RecheckRoundViewSet, basename="recheck-round")
