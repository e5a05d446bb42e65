"""The ledger over REST: list, detail, report, and one POST action per workflow step.

Every action fetches the problem through ``visible_to`` (404 when the caller cannot see
it), validates its ``<Action>Input``, calls the one service the HTML view calls and answers
with the updated problem. Refusals are DomainErrors rendered by ``core.api`` (403
``action_forbidden``, 409 ``transition_not_allowed`` / ``stale`` …); nothing changes then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.standards.models import ProblemCategory

from .. import services
from ..actions import ACTIONS, ActionSpec, uploads
from ..choices import PhotoKind
from ..filters import CalendarDayFilter, DeadlineRuleFilter, ProblemEventFilter, ProblemFilter
from ..models import CalendarDay, DeadlineRule, Problem, ProblemEvent, ProblemPhoto
from ..permissions import report_source
from . import serializers as s

PHOTO_PARSERS = [MultiPartParser, FormParser, JSONParser]


def _responses(ok: Any, ok_status: int = 200) -> dict[int, Any]:
    error = s.ProblemErrorSerializer
    return {
        ok_status: ok,
        400: OpenApiResponse(error, description=_("Invalid input (code and fields).")),
        401: OpenApiResponse(error, description=_("Not signed in.")),
        403: OpenApiResponse(error, description=_("The caller's role may not take this action.")),
        404: OpenApiResponse(error, description=_("No such problem in the caller's scope.")),
        409: OpenApiResponse(
            error, description=_("Not possible in the current state, or someone acted first.")
        ),
    }


ACTION_RESPONSES = _responses(s.ProblemDetailSerializer)


def _action(name: str, input_class: type, *, doc: Any, photos: bool = False) -> Callable[..., Any]:
    """``@action`` + ``extend_schema`` for one workflow step, at ``<pk>/<name>/``."""

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        extra: dict[str, Any] = {"parser_classes": PHOTO_PARSERS} if photos else {}
        func = action(detail=True, methods=["post"], url_path=name, url_name=name, **extra)(func)
        schema = extend_schema(
            request=input_class, responses=ACTION_RESPONSES, summary=doc, description=doc
        )
        return schema(func)

    return wrap


@extend_schema_view(
    list=extend_schema(responses=_responses(s.ProblemSerializer(many=True))),
    retrieve=extend_schema(responses=_responses(s.ProblemDetailSerializer)),
)
class ProblemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """The rectification ledger, scoped by ``Problem.objects.visible_to``.

    Not a ScopedModelViewSet: anyone who may report creates problems, and every other write
    is a workflow action whose rules live in ``workflow.STEPS`` and the services.
    """

    queryset = Problem.objects.all()
    serializer_class = s.ProblemSerializer
    filterset_class = ProblemFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Problem]:
        qs = _rows(visible_problems(self.request.user))
        if self.action == "list":
            return qs.prefetch_related(
                Prefetch("photos", queryset=ProblemPhoto.objects.only("id", "problem_id", "kind"))
            )
        return _with_detail(qs)

    def get_serializer_class(self) -> type:
        return s.ProblemSerializer if self.action == "list" else s.ProblemDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    # Helpers ---------------------------------------------------------------------------

    def _problem(self, pk: Any) -> Problem:
        """The problem if the caller can see it (Http404 otherwise), with what the rules read."""
        qs = visible_problems(self.request.user).select_related("unit", "department")
        return get_object_or_404(qs, pk=pk)

    def _input(self, request: Request, input_class: type) -> dict[str, Any]:
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, problem: Problem, code: int = status.HTTP_200_OK) -> Response:
        # Re-read without scope: the caller just acted on it (a dispatch may move it away).
        fresh = _with_detail(_rows(Problem.objects.all())).get(pk=problem.pk)
        return Response(
            s.ProblemDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=code,
        )

    # Report ----------------------------------------------------------------------------

    @extend_schema(request=s.ReportInput, responses=_responses(s.ProblemDetailSerializer, 201))
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report a problem (JSON, or multipart with photo files named ``photos``)."""
        data = self._input(request, s.ReportInput)
        category = ProblemCategory.objects.filter(pk=data["category"]).first()
        problem = services.report_problem(
            source=data["source"] or report_source(request.user),
            category=category,
            lng=data["lng"],
            lat=data["lat"],
            crs=data["crs"],
            description=data["description"],
            address=data["address"],
            site=data["site"],
            severity=data["severity"],
            uploads=uploads(data, PhotoKind.BEFORE),
            by=request.user,
        )
        return self._answer(problem, status.HTTP_201_CREATED)


# Workflow steps ----------------------------------------------------------------------------
# One POST action per row of ``actions.ACTIONS``, at ``<pk>/<action-with-dashes>/``: it
# validates the row's input serializer and calls the row's service, as the page does. The
# method names (``dispatch_``, ``return_`` …) are those of the viewset's earlier hand-written
# actions, so the routes, URL names and OpenAPI operation ids are unchanged.


def _step_action(spec: ActionSpec) -> Any:
    def step(self: ProblemViewSet, request: Request, pk: Any = None) -> Response:
        problem = self._problem(pk)
        data = self._input(request, spec.input)
        spec.perform(problem, by=request.user, **spec.api_arguments(data, request.user))
        return self._answer(problem)

    step.__name__ = step.__qualname__ = spec.api_method
    photos = spec.photo_kind is not None
    return _action(spec.api_path, spec.input, doc=spec.summary, photos=photos)(step)


for _spec in ACTIONS.values():
    setattr(ProblemViewSet, _spec.api_method, _step_action(_spec))


def visible_problems(user: Any) -> QuerySet[Problem]:
    return Problem.objects.visible_to(user)  # type: ignore[no-untyped-call]


def _rows(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """The joins every row shows; a grid's boundary can be many kilobytes and none shows it."""
    return qs.select_related("category", "unit", "department", "grid").defer("grid__geometry")


def _with_detail(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    return qs.prefetch_related("events", "photos", "requests")


class ProblemEventViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Every event (transition, reminder, comment) of the problems the caller sees.

    Oldest first, so an integration can page forward with ``created_at__gte``.
    """

    queryset = ProblemEvent.objects.all()
    serializer_class = s.EventSerializer
    filterset_class = ProblemEventFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ProblemEvent]:
        user = self.request.user
        if user.scope.everything:  # type: ignore[union-attr]
            return ProblemEvent.objects.all()
        return ProblemEvent.objects.filter(problem__in=visible_problems(user).values("pk"))


class CalendarDayViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Holidays and adjusted working days of the deadline calendar (read-only here)."""

    queryset = CalendarDay.objects.all()
    serializer_class = s.CalendarDaySerializer
    filterset_class = CalendarDayFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[CalendarDay]:
        return CalendarDay.objects.visible_to(self.request.user)


class DeadlineRuleViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Handling time per category and severity, overriding the category default (read-only)."""

    queryset = DeadlineRule.objects.all()
    serializer_class = s.DeadlineRuleSerializer
    filterset_class = DeadlineRuleFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[DeadlineRule]:
        return DeadlineRule.objects.visible_to(self.request.user)
