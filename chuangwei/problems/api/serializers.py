"""Problem API shapes: cheap list rows, the detail with its timeline, one input per action.

Output serializers read only what the list queryset already joined (category, unit,
department, grid) plus one prefetch of photos, so a page costs a fixed number of queries.
Input serializers validate shapes; the workflow table decides which fields an action needs
(``required`` follows ``workflow.STEPS[action].requires``), the services decide the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer
from chuangwei.core.schema import ErrorSerializer
from chuangwei.org.models import OrgUnit
from chuangwei.places.choices import InputCRS
from chuangwei.places.models import Site
from chuangwei.standards.choices import DeadlineUnit, Severity

from .. import deadlines, limits, workflow
from ..choices import (
    CLOCK_STATUSES,
    PhotoKind,
    ProblemAction,
    ProblemSource,
    ProblemStatus,
    RequestStatus,
)
from ..models import CalendarDay, DeadlineRule, Problem, ProblemEvent, ProblemPhoto
from ..permissions import actions_for

_PK = 987654321


@lru_cache(maxsize=32)
def _photo_url_pattern(prefix: str, variant: str) -> str | None:
    try:
        return reverse("problems:photo", kwargs={"pk": _PK, "variant": variant})
    except NoReverseMatch:
        return None


def photo_url(photo_id: int, variant: str) -> str | None:
    """The UI's photo view (``original`` or ``thumb``), or None if that view is not installed.

    Reversed once per script prefix and variant, then filled in: a list answer has up to
    120 photo links, and ``reverse`` per link was a fifth of the request's time."""
    pattern = _photo_url_pattern(get_script_prefix(), variant)
    return pattern.replace(str(_PK), str(photo_id)) if pattern else None


@extend_schema_field(
    {"type": "string", "enum": list(ProblemStatus.values)}, component_name="ProblemStatusEnum"
)
class ProblemStatusField(serializers.ChoiceField):
    """The status, as its own schema component (other models have a ``status`` too)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ProblemStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(PhotoKind.values)}, component_name="PhotoKindEnum"
)
class PhotoKindField(serializers.ChoiceField):
    """The photo kind, as its own schema component (other models have a ``kind`` too)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=PhotoKind.choices, **kwargs)


# The one error body of the API, kept under the name the problem views use.
ProblemErrorSerializer = ErrorSerializer


class BriefSerializer(Serializer):  # type: ignore[type-arg]
    """Id, code and name of a related row already joined by the list query."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PhotoLinkSerializer(ModelSerializer):  # type: ignore[type-arg]
    kind = PhotoKindField(read_only=True)
    original = serializers.SerializerMethodField()
    thumb = serializers.SerializerMethodField()

    class Meta:
        model = ProblemPhoto
        fields = ["id", "kind", "original", "thumb"]

    def _absolute(self, path: str | None) -> str | None:
        """An absolute URL (the schema says ``uri``): the request's origin, found once per
        answer (the list serializer's children share its context), before the path."""
        if path is None:
            return None
        origin = self.context.get("_origin")
        if origin is None:
            request = self.context.get("request")
            origin = request.build_absolute_uri("/")[:-1] if request is not None else ""
            self.context["_origin"] = origin
        return f"{origin}{path}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_original(self, photo: ProblemPhoto) -> str | None:
        return self._absolute(photo_url(photo.pk, "original"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumb(self, photo: ProblemPhoto) -> str | None:
        return self._absolute(photo_url(photo.pk, "thumb"))


class PhotoSerializer(PhotoLinkSerializer):
    class Meta:
        model = ProblemPhoto
        fields = [
            "id",
            "kind",
            "event",
            "original",
            "thumb",
            "width",
            "height",
            "taken_at",
            "created_at",
        ]


class EventSerializer(ModelSerializer):  # type: ignore[type-arg]
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = ProblemEvent
        fields = [
            "id",
            "problem",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "actor",
            "actor_name",
            "created_at",
            "note",
            "payload",
        ]

    def get_action_display(self, event: ProblemEvent) -> str:
        try:
            return str(ProblemAction(event.action).label)
        except ValueError:
            return event.action


def _light(problem: Problem, context: Mapping[str, Any]) -> str:
    """``deadlines.light`` while the clock runs (dispatched), else ""; one ``now`` per response."""
    if problem.status not in CLOCK_STATUSES:
        return ""
    now: datetime = context.get("now") or timezone.now()
    unit = problem.deadline_unit or DeadlineUnit.WORK_DAYS
    return deadlines.light(problem.dispatched_at, problem.due_at, now, unit)


class ProblemSerializer(ModelSerializer):  # type: ignore[type-arg]
    """One ledger row (list output)."""

    status = ProblemStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    category = BriefSerializer(read_only=True)
    unit = BriefSerializer(read_only=True)
    department = BriefSerializer(read_only=True, allow_null=True)
    grid = BriefSerializer(read_only=True, allow_null=True)
    light = serializers.SerializerMethodField(
        help_text=_("Deadline light: green, yellow, red, or empty when no clock runs.")
    )
    photos = PhotoLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "code",
            "status",
            "status_display",
            "source",
            "source_display",
            "category",
            "description",
            "lng",
            "lat",
            "address",
            "grid",
            "unit",
            "department",
            "severity",
            "reported_at",
            "due_at",
            "light",
            "rework_count",
            "recurrence_of",
            "merged_into",
            "points_lost",
            "closed_at",
            "photos",
        ]
        read_only_fields = fields

    def get_light(self, problem: Problem) -> str:
        return _light(problem, self.context)

    def to_representation(self, instance: Problem) -> dict[str, Any]:
        """The row built directly, in the shape the declared fields document (and the schema
        shows). DRF's generic per-field walk cost about 1.5 ms a row, most of a list
        request's time (docs/performance.md); datetimes and decimals still go through the
        declared fields so their formats stay DRF's."""
        p = instance
        fields = self.fields
        reported_at, due_at, closed_at = (
            fields[name].to_representation(value) if value is not None else None
            for name, value in (
                ("reported_at", p.reported_at),
                ("due_at", p.due_at),
                ("closed_at", p.closed_at),
            )
        )
        return {
            "id": p.pk,
            "code": p.code,
            "status": p.status,
            "status_display": str(STATUS_LABELS.get(p.status, p.status)),
            "source": p.source,
            "source_display": str(SOURCE_LABELS.get(p.source, p.source)),
            "category": _brief(p.category),
            "description": p.description,
            "lng": p.lng,
            "lat": p.lat,
            "address": p.address,
            "grid": _brief(p.grid),
            "unit": _brief(p.unit),
            "department": _brief(p.department),
            "severity": p.severity,
            "reported_at": reported_at,
            "due_at": due_at,
            "light": _light(p, self.context),
            "rework_count": p.rework_count,
            "recurrence_of": p.recurrence_of_id,
            "merged_into": p.merged_into_id,
            "points_lost": fields["points_lost"].to_representation(p.points_lost),
            "closed_at": closed_at,
            "photos": [
                {
                    "id": photo.pk,
                    "kind": photo.kind,
                    "original": photo_url(photo.pk, "original"),
                    "thumb": photo_url(photo.pk, "thumb"),
                }
                for photo in p.photos.all()
            ],
        }


STATUS_LABELS = dict(ProblemStatus.choices)
SOURCE_LABELS = dict(ProblemSource.choices)


def _brief(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "code": obj.code, "name": obj.name}


class ProblemDetailSerializer(ProblemSerializer):
    """One problem with its timeline, photos and what the caller may do next."""

    events = EventSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField(
        help_text=_("Actions the caller may take now (snake_case; the URL uses kebab-case).")
    )

    class Meta(ProblemSerializer.Meta):
        fields = [
            *ProblemSerializer.Meta.fields,
            "tracking_code",
            "site",
            "work_line",
            "check_item",
            "accepted_at",
            "dispatched_at",
            "submitted_at",
            "closed_on_time",
            "extension_count",
            "escalation_level",
            "paused_at",
            "reporter_name",
            "events",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ProblemAction.choices))
    )
    def to_representation(self, instance: Problem) -> dict[str, Any]:
        # One object: DRF's declared-field walk is fine here (and covers events, actions).
        return serializers.ModelSerializer.to_representation(self, instance)  # type: ignore[no-any-return]

    def get_available_actions(self, problem: Problem) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        # The same rule as the UI's buttons (role, unit, submitter, pending requests).
        pending = {r.kind for r in problem.requests.all() if r.status == RequestStatus.PENDING}
        return actions_for(user, problem, pending)


# Inputs --------------------------------------------------------------------------------


def _note(action: str) -> serializers.CharField:
    required = "note" in workflow.STEPS[action].requires
    return serializers.CharField(
        required=required,
        allow_blank=not required,
        default="" if not required else serializers.empty,
        max_length=limits.NOTE,
        help_text=_("Required.") if required else _("Optional."),
    )


def _photos(required: bool) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(),
        required=required,
        allow_empty=not required,
        default=list if not required else serializers.empty,
        help_text=_("Image files (JPEG, PNG or WebP), sent as multipart fields named photos."),
    )


class ClientPointMixin(Serializer):  # type: ignore[type-arg]
    client_lng = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Device longitude (WGS-84) when the photos were taken."),
    )
    client_lat = serializers.FloatField(required=False, allow_null=True, default=None)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related row the caller can see (``visible_to`` of the request user)."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset: Any = super().get_queryset()
        return queryset.visible_to(getattr(request, "user", None))


class ReportInput(ClientPointMixin):
    category = serializers.IntegerField(help_text=_("Problem category id."))
    lng = serializers.FloatField(required=False, allow_null=True, default=None)
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    crs = serializers.ChoiceField(
        choices=InputCRS.choices,
        default=InputCRS.WGS84,
        help_text=_("Coordinate system of lng/lat; stored as WGS-84."),
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=ProblemSource.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Defaults to the source of the caller's role, as on the report page."),
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.DESCRIPTION
    )
    address = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.ADDRESS
    )
    site = ScopedPrimaryKeyField(
        queryset=Site.objects.all(), required=False, allow_null=True, default=None
    )
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False, allow_null=True, default=None
    )
    photos = _photos(required=False)


class ConfirmReportInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.CONFIRM_REPORT)


class AcceptInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.ACCEPT)


class VoidInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.VOID)


class MergeInput(Serializer):  # type: ignore[type-arg]
    into = serializers.CharField(
        max_length=32, help_text=_("The open problem this duplicates: its code or id.")
    )
    note = _note(ProblemAction.MERGE)


class DispatchInput(Serializer):  # type: ignore[type-arg]
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Responsible unit; defaults to the grid's owner."),
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Department; defaults to the category's."),
    )
    due_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Deadline; defaults to the category and severity rule on the working calendar."
        ),
    )
    note = _note(ProblemAction.DISPATCH)


class ReturnInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.RETURN)


class RequestExtensionInput(Serializer):  # type: ignore[type-arg]
    requested_due_at = serializers.DateTimeField()
    note = _note(ProblemAction.REQUEST_EXTENSION)


class ApproveExtensionInput(Serializer):  # type: ignore[type-arg]
    due_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("New deadline; defaults to the requested one."),
    )
    note = _note(ProblemAction.APPROVE_EXTENSION)


class RejectExtensionInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.REJECT_EXTENSION)


class RequestPauseInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.REQUEST_PAUSE)


class ApprovePauseInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.APPROVE_PAUSE)


class RejectPauseInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.REJECT_PAUSE)


class ResumeInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.RESUME)


class SubmitInput(ClientPointMixin):
    note = _note(ProblemAction.SUBMIT)
    photos = _photos(required=True)


class SelfFixInput(ClientPointMixin):
    note = _note(ProblemAction.SELF_FIX)
    photos = _photos(required=True)


class VerifyPassInput(ClientPointMixin):
    note = _note(ProblemAction.VERIFY_PASS)
    photos = _photos(required=False)


class VerifyFailInput(ClientPointMixin):
    note = _note(ProblemAction.VERIFY_FAIL)
    photos = _photos(required=False)


class ReopenInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.REOPEN)


class CommentInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.COMMENT)


class RemindInput(Serializer):  # type: ignore[type-arg]
    note = _note(ProblemAction.REMIND)


# Calendar configuration ------------------------------------------------------------------


class CalendarDaySerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "is_workday", "name"]


class DeadlineRuleSerializer(ModelSerializer):  # type: ignore[type-arg]
    # Named like the category's own field, so both share one enum in the schema.
    deadline_unit = serializers.ChoiceField(source="unit", choices=DeadlineUnit.choices)

    class Meta:
        model = DeadlineRule
        fields = ["id", "category", "severity", "amount", "deadline_unit"]
