"""Inspections over REST: sheets, tasks with scoring actions, results, draws, check-ins,
the projection and patrol coverage. Every write calls the service the HTML page calls."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.accounts.models import User
from chuangwei.core.errors import InvalidInput, NotAllowed
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Grid, Site
from chuangwei.problems.choices import PhotoKind
from chuangwei.problems.services import Upload

from .. import permissions as perms
from .. import projection, selectors, services
from ..filters import (
    InspectionTaskFilter,
    PatrolCheckinFilter,
    SamplingDrawFilter,
    ScoreSheetFilter,
    SiteResultFilter,
)
from ..models import InspectionTask, PatrolCheckin, SamplingDraw, ScoreSheet, SheetItem, SiteResult
from . import serializers as s


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Score sheet versions with their items; the office publishes or copies a version."""

    queryset = ScoreSheet.objects.prefetch_related("items").order_by("code", "-version")
    serializer_class = s.ScoreSheetSerializer
    filterset_class = ScoreSheetFilter
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.EmptyInput, responses=s.ScoreSheetSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        sheet = services.publish_sheet(self.get_object(), by=request.user)
        return Response(s.ScoreSheetSerializer(sheet).data)

    @extend_schema(request=s.EmptyInput, responses={201: s.ScoreSheetSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: str) -> Response:
        sheet = services.new_sheet_version(self.get_object(), by=request.user)
        return Response(s.ScoreSheetSerializer(sheet).data, status=status.HTTP_201_CREATED)


class InspectionTaskViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Inspection tasks in the caller's scope; scoring actions name the site by id."""

    queryset = InspectionTask.objects.order_by("-planned_date", "-id")
    serializer_class = s.InspectionTaskSerializer
    filterset_class = InspectionTaskFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .visible_to(self.request.user)
            .prefetch_related("team", "scope_units", "scope_grids")
        )

    @extend_schema(request=s.TaskInput, responses={201: s.InspectionTaskSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(s.TaskInput, request)
        sites = list(Site.objects.filter(pk__in=data["sites"]))
        if len(sites) != len(set(data["sites"])):
            raise InvalidInput(
                _("Unknown site."), code="unknown_site", fields={"sites": [_("Unknown site.")]}
            )
        task = services.create_task(
            name=data["name"],
            kind=data["kind"],
            planned_date=data["planned_date"],
            sites=sites,
            team=list(User.objects.filter(pk__in=data["team"])),
            scope_units=list(OrgUnit.objects.filter(pk__in=data["scope_units"])),
            scope_grids=list(Grid.objects.filter(pk__in=data["scope_grids"])),
            sheet=ScoreSheet.objects.filter(pk=data.get("sheet")).first()
            if data.get("sheet")
            else None,
            draw=SamplingDraw.objects.filter(pk=data.get("draw")).first()
            if data.get("draw")
            else None,
            note=data["note"],
            by=request.user,
        )
        return Response(s.InspectionTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    def _scoring(
        self, request: Request, input_class: type
    ) -> tuple[dict[str, Any], SiteResult, SheetItem | None]:
        task = self.get_object()
        if not perms.can_score(request.user, task) and task.status in ("planned", "in_progress"):
            raise NotAllowed()
        data = _valid(input_class, request)
        result = services.result_for(task, data["site"])
        item = None
        if "item" in data:
            item = SheetItem.objects.filter(pk=data["item"], sheet_id=result.sheet_id).first()
            if item is None:
                raise InvalidInput(
                    _("This item is not a scored line of the site's score sheet."),
                    code="item_not_in_sheet",
                )
        return data, result, item

    @extend_schema(request=s.DeductionInput, responses={201: s.DeductionSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def deduct(self, request: Request, pk: str) -> Response:
        data, result, item = self._scoring(request, s.DeductionInput)
        deduction = services.add_deduction(
            result,
            item,  # type: ignore[arg-type]
            points=data["points"],
            note=data["note"],
            uploads=[
                Upload(f, PhotoKind.BEFORE, data.get("lng"), data.get("lat"))
                for f in data["photos"]
            ],
            lng=data.get("lng"),
            lat=data.get("lat"),
            by=request.user,
        )
        return Response(s.DeductionSerializer(deduction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BandInput, responses=s.SiteResultSerializer)
    @action(detail=True, methods=["post"])
    def band(self, request: Request, pk: str) -> Response:
        data, result, item = self._scoring(request, s.BandInput)
        services.record_band(
            result, item, band=data["band"], score=data.get("score"), by=request.user
        )  # type: ignore[arg-type]
        result.refresh_from_db()
        return Response(s.SiteResultSerializer(result).data)

    @extend_schema(request=s.SiteInput, responses=s.SiteResultSerializer)
    @action(detail=True, methods=["post"], url_path="finish-site")
    def finish_site(self, request: Request, pk: str) -> Response:
        _data, result, _item = self._scoring(request, s.SiteInput)
        services.finish_result(result, by=request.user)
        result.refresh_from_db()
        return Response(s.SiteResultSerializer(result).data)

    @extend_schema(request=s.EmptyInput, responses=s.InspectionTaskSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        task = services.submit_task(self.get_object(), by=request.user)
        return Response(s.InspectionTaskSerializer(task).data)

    @extend_schema(request=s.EmptyInput, responses=s.InspectionTaskSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        task = services.review_task(self.get_object(), by=request.user)
        return Response(s.InspectionTaskSerializer(task).data)


class SiteResultViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Per-site results, visible where the caller's scope covers the site's unit."""

    queryset = SiteResult.objects.select_related("site").order_by("-id")
    serializer_class = s.SiteResultSerializer
    filterset_class = SiteResultFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return super().get_queryset().visible_to(self.request.user)


class SamplingDrawViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Recorded random draws of sites; the office draws."""

    queryset = SamplingDraw.objects.order_by("-drawn_at", "-id")
    serializer_class = s.SamplingDrawSerializer
    filterset_class = SamplingDrawFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        if not perms.can_see_draws(self.request.user):
            return SamplingDraw.objects.none()
        return super().get_queryset()

    @extend_schema(request=s.DrawInput, responses={201: s.SamplingDrawSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(s.DrawInput, request)
        quotas = {(q["site_type"], q["district"]): q["count"] for q in data["quotas"]}
        draw = services.draw_sample(
            name=data["name"],
            quotas=quotas,
            seed=data.get("seed"),
            exclude_days=data.get("exclude_days"),
            by=request.user,
        )
        return Response(s.SamplingDrawSerializer(draw).data, status=status.HTTP_201_CREATED)


class PatrolCheckinViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Grid workers' check-ins (their own, or those in the caller's scope); workers check in."""

    queryset = PatrolCheckin.objects.order_by("-at", "-id")
    serializer_class = s.PatrolCheckinSerializer
    filterset_class = PatrolCheckinFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return super().get_queryset().visible_to(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(s.PatrolCheckinSerializer, request)
        row = services.check_in(
            by=request.user, lng=data["lng"], lat=data["lat"], note=data.get("note", "")
        )
        return Response(s.PatrolCheckinSerializer(row).data, status=status.HTTP_201_CREATED)


class ProjectionViewSet(viewsets.ViewSet):
    """The projected national score from the latest results (see docs/inspections.md)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("days", int, description="Results of the last N days (7–365).")
        ],
        responses=s.ProjectionSerializer,
    )
    def list(self, request: Request) -> Response:
        try:
            days = max(7, min(365, int(request.query_params.get("days", 90))))
        except ValueError as exc:
            raise InvalidInput(code="bad_days", fields={"days": [_("Enter a number.")]}) from exc
        now = timezone.now()
        parts, observations, _latest = selectors.projection_inputs(
            days=days, now=now, user=request.user
        )
        result = projection.project_score(parts, observations, seed=now.date().toordinal())
        return Response(s.ProjectionSerializer(result).data)


class PatrolCoverageViewSet(viewsets.ViewSet):
    """Daily patrol coverage per grid worker in the caller's scope."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("days", int, description="Number of days up to today (1–31).")
        ],
        responses=s.CoverageRowSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        from ..views import _aware

        try:
            span = max(1, min(31, int(request.query_params.get("days", 7))))
        except ValueError as exc:
            raise InvalidInput(code="bad_days", fields={"days": [_("Enter a number.")]}) from exc
        today = timezone.localdate()
        days = [today - timedelta(days=n) for n in range(span - 1, -1, -1)]
        scope = request.user.scope  # type: ignore[union-attr]
        rows = selectors.patrol_coverage(
            days=days,
            start=_aware(days[0]),
            end=_aware(today + timedelta(days=1)),
            unit_q=None if scope.everything else scope.q("unit"),
        )
        return Response(s.CoverageRowSerializer(rows, many=True).data)


def _valid(input_class: type, request: Request) -> dict[str, Any]:
    serializer = input_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
