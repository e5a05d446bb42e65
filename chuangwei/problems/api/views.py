"""The ledger over REST: list, detail, report, and one POST action per workflow step.

Every action fetches the problem through ``visible_to`` (404 when the caller cannot see
it), validates its ``<Action>Input``, calls the one service the HTML view calls and answers
with the updated problem. Refusals are DomainErrors rendered by ``core.api`` (403
``action_forbidden``, 409 ``transition_not_allowed`` / ``stale`` …); nothing changes then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
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

from chuangwei.core.errors import InvalidInput
from chuangwei.standards.models import ProblemCategory

from .. import services
from ..choices import PhotoKind, ProblemAction
from ..filters import CalendarDayFilter, DeadlineRuleFilter, ProblemFilter
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


def _uploads(data: dict[str, Any], kind: str = PhotoKind.BEFORE) -> list[services.Upload]:
    return [
        services.Upload(
            f, kind=kind, client_lng=data.get("client_lng"), client_lat=data.get("client_lat")
        )
        for f in data.get("photos") or []
    ]


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

    def _act(
        self,
        request: Request,
        pk: Any,
        input_class: type,
        call: Callable[[Problem, dict[str, Any]], Any],
    ) -> Response:
        problem = self._problem(pk)
        data = self._input(request, input_class)
        call(problem, data)
        return self._answer(problem)

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
            uploads=_uploads(data),
            by=request.user,
        )
        return self._answer(problem, status.HTTP_201_CREATED)


# Workflow steps ----------------------------------------------------------------------------
# One POST action per step, generated from this table: (method name, URL segment, input,
# summary, the service call, takes photos). The method names stay those of the viewset's
# earlier hand-written actions, so the routes, URL names and OpenAPI operations are unchanged.

Call = Callable[[Problem, dict[str, Any], Any], Any]


def _noted(service: Callable[..., Any]) -> Call:
    """A step whose only input is the note."""
    return lambda p, d, user: service(p, by=user, note=d["note"])


def _photographed(service: Callable[..., Any], kind: str) -> Call:
    """A step with a note and photos of ``kind``."""
    return lambda p, d, user: service(p, by=user, note=d["note"], uploads=_uploads(d, kind))


def _merge(p: Problem, d: dict[str, Any], user: Any) -> Any:
    return services.merge_problem(p, into=_merge_target(user, d["into"]), by=user, note=d["note"])


def _dispatch(p: Problem, d: dict[str, Any], user: Any) -> Any:
    return services.dispatch_problem(
        p, by=user, unit=d["unit"], department=d["department"], due_at=d["due_at"], note=d["note"]
    )


STEPS: tuple[tuple[str, str, type, Any, Call, bool], ...] = (
    ("confirm_report", "confirm-report", s.ConfirmReportInput,
     _("Confirm a citizen report on site."), _noted(services.confirm_report), False),
    ("accept", "accept", s.AcceptInput, _("Register the problem."),
     _noted(services.accept_problem), False),
    ("void", "void", s.VoidInput, _("Void an invalid report, with the reason."),
     _noted(services.void_problem), False),
    ("merge", "merge", s.MergeInput, _("Close as a duplicate of another open problem."),
     _merge, False),
    ("dispatch_", "dispatch", s.DispatchInput,
     _("Send to the responsible unit with a deadline."), _dispatch, False),
    ("return_", "return", s.ReturnInput, _("Return a mis-dispatched problem to the office."),
     _noted(services.return_problem), False),
    ("request_extension", "request-extension", s.RequestExtensionInput,
     _("Ask for a later deadline."),
     lambda p, d, user: services.request_extension(
         p, by=user, requested_due_at=d["requested_due_at"], note=d["note"]), False),
    ("approve_extension", "approve-extension", s.ApproveExtensionInput,
     _("Grant the pending extension."),
     lambda p, d, user: services.approve_extension(
         p, by=user, due_at=d["due_at"], note=d["note"]), False),
    ("reject_extension", "reject-extension", s.RejectExtensionInput,
     _("Refuse the pending extension."), _noted(services.reject_extension), False),
    ("request_pause", "request-pause", s.RequestPauseInput, _("Ask to park the problem."),
     _noted(services.request_pause), False),
    ("approve_pause", "approve-pause", s.ApprovePauseInput,
     _("Park the problem: its deadline clock stops."), _noted(services.approve_pause), False),
    ("reject_pause", "reject-pause", s.RejectPauseInput, _("Refuse the pending pause."),
     _noted(services.reject_pause), False),
    ("resume", "resume", s.ResumeInput, _("End the pause; the remaining time counts again."),
     _noted(services.resume_problem), False),
    ("submit", "submit", s.SubmitInput, _("Report the fix with after-photos."),
     _photographed(services.submit_rectification, PhotoKind.AFTER), True),
    ("self_fix", "self-fix", s.SelfFixInput, _("Fixed on the spot by the reporter."),
     _photographed(services.self_fix_problem, PhotoKind.AFTER), True),
    ("verify_pass", "verify-pass", s.VerifyPassInput, _("The fix holds: close."),
     _photographed(services.verify_pass, PhotoKind.VERIFICATION), True),
    ("verify_fail", "verify-fail", s.VerifyFailInput, _("The fix does not hold: rework."),
     _photographed(services.verify_fail, PhotoKind.VERIFICATION), True),
    ("reopen", "reopen", s.ReopenInput, _("Reopen a closed problem; a new clock starts."),
     _noted(services.reopen_problem), False),
    ("comment", "comment", s.CommentInput, _("Add a note to the timeline."),
     _noted(services.comment_problem), False),
    ("remind", "remind", s.RemindInput, _("Urge the unit."),
     _noted(services.remind_problem), False),
)  # fmt: skip


def _step_action(name: str, path: str, input_class: type, doc: Any, call: Call, photos: bool) -> Any:  # fmt: skip
    def step(self: ProblemViewSet, request: Request, pk: Any = None) -> Response:
        return self._act(request, pk, input_class, lambda p, d: call(p, d, request.user))

    step.__name__ = step.__qualname__ = name
    return _action(path, input_class, doc=doc, photos=photos)(step)


for _step in STEPS:
    setattr(ProblemViewSet, _step[0], _step_action(*_step))


def visible_problems(user: Any) -> QuerySet[Problem]:
    return Problem.objects.visible_to(user)  # type: ignore[no-untyped-call]


def _rows(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """The joins every row shows; a grid's boundary can be many kilobytes and none shows it."""
    return qs.select_related("category", "unit", "department", "grid").defer("grid__geometry")


def _with_detail(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    return qs.prefetch_related("events", "photos", "requests")


def _merge_target(user: Any, value: str) -> Problem:
    """The problem named by code or id among those ``user`` sees (InvalidInput otherwise)."""
    value = value.strip()
    visible = visible_problems(user)
    found = (
        visible.filter(pk=int(value)).first()
        if value.isdigit()
        else visible.filter(code=value.upper()).first()
    )
    if found is None:
        raise InvalidInput(
            _("No such problem."), code="bad_merge_target", fields={"into": [_("No such problem.")]}
        )
    return found


class ProblemEventFilter(django_filters.FilterSet):
    # A plain number, so an id outside the caller's scope looks like one that does not exist.
    problem = django_filters.NumberFilter(field_name="problem_id")
    action = django_filters.ChoiceFilter(choices=ProblemAction.choices)
    created_at__gte = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_at__lt = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = ProblemEvent
        fields = ["problem", "action"]


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
