"""Serializers of the rankings API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer
from chuangwei.problems.models import Problem

from ..choices import PeriodKind, RecordStatus, SnapshotStatus
from ..models import AccountabilityRecord, RankingEntry, RankingScheme, RankingSnapshot


def inline_choice(choices: list[tuple[str, object]], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field written in the schema as a pattern, not an enum component (the
    several ``status`` choice sets of the API would collide by name)."""

    @extend_schema_field(
        {"type": "string", "pattern": "^(" + "|".join(str(v) for v, _label in choices) + ")$"}
    )
    class InlineChoice(serializers.ChoiceField):
        pass

    return InlineChoice(choices=choices, **kwargs)


class RankingSchemeSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = RankingScheme
        fields = [
            "id",
            "name",
            "object_kind",
            "weights",
            "count_bands",
            "grade_bands",
            "list_size",
            "is_default",
            "note",
        ]


class RankingEntrySerializer(ModelSerializer):  # type: ignore[type-arg]
    movement = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = RankingEntry
        fields = [
            "object_id",
            "name",
            "parent_name",
            "rank",
            "previous_rank",
            "movement",
            "score",
            "grade",
            "metrics",
            "parts",
        ]


class RankingSnapshotSerializer(ModelSerializer):  # type: ignore[type-arg]
    status = inline_choice(SnapshotStatus.choices, read_only=True)
    period_kind = inline_choice(PeriodKind.choices, read_only=True)

    class Meta:
        model = RankingSnapshot
        fields = [
            "id",
            "scheme",
            "object_kind",
            "period_kind",
            "start",
            "end",
            "label",
            "status",
            "computed_at",
            "published_at",
        ]
        read_only_fields = fields


class RankingSnapshotDetailSerializer(RankingSnapshotSerializer):
    entries = RankingEntrySerializer(many=True, read_only=True)
    settings_used = serializers.JSONField(read_only=True)

    class Meta(RankingSnapshotSerializer.Meta):
        fields = [*RankingSnapshotSerializer.Meta.fields, "settings_used", "entries"]
        read_only_fields = fields


class PeriodInput(Serializer):  # type: ignore[type-arg]
    period = inline_choice(PeriodKind.choices, default=PeriodKind.MONTH)
    day = serializers.DateField(required=False, help_text=_("A date in the period."))
    end = serializers.DateField(required=False, help_text=_("Last day of a custom period."))


class ComputeInput(PeriodInput):
    scheme = serializers.PrimaryKeyRelatedField(queryset=RankingScheme.objects.all())


class MetricsInput(PeriodInput):
    dimension = serializers.ChoiceField(
        choices=["street", "community", "department", "work_line", "grid", "reporter"],
        default="street",
    )


class MetricRowSerializer(Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent_name = serializers.CharField()
    metrics = serializers.DictField(child=serializers.FloatField(allow_null=True))


class MetricsOutput(Serializer):  # type: ignore[type-arg]
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    definitions = serializers.DictField(child=serializers.CharField())
    results = MetricRowSerializer(many=True)


class AccountabilityRecordSerializer(ModelSerializer):  # type: ignore[type-arg]
    problems = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Problem.objects.all(), required=False
    )
    inspection_refs = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False
    )
    status = inline_choice(RecordStatus.choices, required=False)

    class Meta:
        model = AccountabilityRecord
        fields = [
            "id",
            "kind",
            "unit",
            "person",
            "reason",
            "issued_on",
            "deadline",
            "status",
            "problems",
            "inspection_refs",
            "snapshot",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]
        extra_kwargs = {"issued_on": {"required": False}}

    def validate_problems(self, value: list[Any]) -> list[Any]:
        request = self.context.get("request")
        visible = set(
            Problem.objects.visible_to(getattr(request, "user", None))
            .filter(pk__in=[p.pk for p in value])
            .values_list("pk", flat=True)
        )
        if any(p.pk not in visible for p in value):
            raise serializers.ValidationError(_("Unknown problem."))
        return value
