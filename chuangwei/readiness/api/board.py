"""Readiness API: prerequisite and veto events, the condition board and the readiness board."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import InvalidInput, NotAllowed

from .. import selectors
from ..filters import ConditionEventFilter
from ..models import ConditionEvent
from ..services import conditions
from ..views_board import board_units, readable_board_units
from . import serializers as s


class ConditionEventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Events that fail a prerequisite or veto condition (withdrawn ones included).

    Every signed-in user reads them; only the office records (POST) and withdraws them.
    """

    queryset = ConditionEvent.objects.select_related("unit").order_by("-occurred_on", "-id")
    serializer_class = s.ConditionEventSerializer
    filterset_class = ConditionEventFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ConditionEvent]:
        return self.queryset.visible_to(self.request.user)  # type: ignore[attr-defined,no-any-return]

    def _office_only(self) -> None:
        # The role is checked before the input, so a refused caller learns nothing more.
        if not is_office(self.request.user):
            raise NotAllowed()

    @extend_schema(request=s.ConditionEventInput, responses={201: s.ConditionEventSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record an event (office only): the condition turns red for its year and the unit
        and its subtree lose their eligibility for honours that year."""
        self._office_only()
        data = s.ConditionEventInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = conditions.record_condition_event(by=request.user, **data.validated_data)
        return Response(s.ConditionEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.WithdrawInput, responses={200: s.ConditionEventSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        """Withdraw an event recorded in error (office only); it stays on record."""
        self._office_only()
        event = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = conditions.withdraw_condition_event(
            event, reason=data.validated_data["reason"], by=request.user
        )
        return Response(s.ConditionEventSerializer(event).data)


class ConditionBoardViewSet(viewsets.ViewSet):
    """The prerequisite and veto board: every condition red, green or unknown for a year."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[s.BoardQuery], responses=s.ConditionBoardSerializer)
    def list(self, request: Request) -> Response:
        query = s.BoardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        unit = None
        if query.validated_data.get("unit") is not None:
            unit = next((u for u in board_units() if u.pk == query.validated_data["unit"]), None)
            if unit is None:
                raise InvalidInput(fields={"unit": [_("Choose the city or one of its districts.")]})
        rows = selectors.condition_board(year=year, unit=unit if unit and unit.parent_id else None)
        body = {
            "year": year,
            "unit": unit.pk if unit else None,
            "counts": selectors.condition_counts(rows),
            "rows": rows,
        }
        return Response(s.ConditionBoardSerializer(body).data)


class ReadinessBoardViewSet(viewsets.ViewSet):
    """The readiness board of the city or a district for a year: indicators against their
    thresholds, dossier completeness, conditions, the stage's open problems and the
    projected covert-inspection score. City-wide staff read every unit; others the
    districts their scope covers."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[s.BoardQuery], responses=s.ReadinessBoardSerializer)
    def list(self, request: Request) -> Response:
        from ..board import readiness_board

        query = s.BoardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        units = readable_board_units(request.user)
        if not units:
            raise NotAllowed()
        wanted = query.validated_data.get("unit")
        unit = units[0] if wanted is None else next((u for u in units if u.pk == wanted), None)
        if unit is None:
            raise InvalidInput(fields={"unit": [_("Choose the city or one of its districts.")]})
        board = readiness_board(unit, year=year)
        return Response(s.ReadinessBoardSerializer(board).data)


def register(router: DefaultRouter) -> None:
    router.register("readiness-board", ReadinessBoardViewSet, basename="readiness-board")
    router.register("condition-events", ConditionEventViewSet, basename="condition-event")
    router.register("readiness-conditions", ConditionBoardViewSet, basename="readiness-condition")
