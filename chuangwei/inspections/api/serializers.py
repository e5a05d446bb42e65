"""Input and output shapes of the inspections API."""

from __future__ import annotations

from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer
from chuangwei.core.limits import column_length

from ..models import (
    Deduction,
    InspectionTask,
    PatrolCheckin,
    SamplingDraw,
    ScoreSheet,
    SheetItem,
    SiteResult,
)


class SheetItemSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SheetItem
        fields = [
            "id",
            "parent",
            "number",
            "title",
            "points",
            "mode",
            "bands",
            "deduction_step",
            "category",
            "check_item",
            "note",
            "sort_order",
        ]


class ScoreSheetSerializer(ModelSerializer):  # type: ignore[type-arg]
    items = SheetItemSerializer(many=True, read_only=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "code",
            "version",
            "name",
            "site_type",
            "area",
            "status",
            "is_national",
            "national_part",
            "source",
            "note",
            "items",
        ]
        read_only_fields = ["version", "status"]


class SiteResultSerializer(ModelSerializer):  # type: ignore[type-arg]
    site_name = serializers.CharField(source="site.name", read_only=True)
    unit = serializers.IntegerField(source="site.unit_id", read_only=True)

    class Meta:
        model = SiteResult
        fields = [
            "id",
            "task",
            "site",
            "site_name",
            "unit",
            "sheet",
            "status",
            "obtained",
            "possible",
            "lost",
            "scored_at",
            "scored_by",
        ]
        read_only_fields = fields


class InspectionTaskSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = InspectionTask
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "status",
            "planned_date",
            "sheet",
            "team",
            "scope_units",
            "scope_grids",
            "draw",
            "note",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class TaskInput(Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100)
    kind = serializers.CharField()
    planned_date = serializers.DateField()
    sites = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    team = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    scope_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    scope_grids = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    sheet = serializers.IntegerField(required=False, allow_null=True)
    draw = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeductionInput(Serializer):  # type: ignore[type-arg]
    site = serializers.IntegerField()
    item = serializers.IntegerField()
    points = serializers.CharField()
    note = serializers.CharField(max_length=column_length(Deduction, "note"), allow_blank=True)
    lng = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, default=list)


class BandInput(Serializer):  # type: ignore[type-arg]
    site = serializers.IntegerField()
    item = serializers.IntegerField()
    band = serializers.CharField()
    score = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class SiteInput(Serializer):  # type: ignore[type-arg]
    site = serializers.IntegerField()


class EmptyInput(Serializer):  # type: ignore[type-arg]
    pass


class DeductionSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Deduction
        fields = ["id", "result", "item", "points", "note", "problem", "lng", "lat", "found_at"]
        read_only_fields = fields


class SamplingDrawSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SamplingDraw
        fields = [
            "id",
            "code",
            "name",
            "seed",
            "quotas",
            "exclude_days",
            "site_ids",
            "shortfalls",
            "drawn_at",
        ]
        read_only_fields = fields


class QuotaInput(Serializer):  # type: ignore[type-arg]
    site_type = serializers.CharField()
    district = serializers.IntegerField()
    count = serializers.IntegerField()


class DrawInput(Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(required=False, allow_blank=True, default="")
    seed = serializers.IntegerField(required=False, allow_null=True)
    exclude_days = serializers.IntegerField(required=False, allow_null=True)
    quotas = QuotaInput(many=True)


class PatrolCheckinSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PatrolCheckin
        fields = ["id", "worker", "grid", "lng", "lat", "at", "note"]
        read_only_fields = ["id", "worker", "grid", "at"]


class PartProjectionSerializer(Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    title = serializers.CharField()
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    sites = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=6, decimal_places=4)
    expected = serializers.DecimalField(max_digits=7, decimal_places=1)
    assumed = serializers.BooleanField()


class ProjectionSerializer(Serializer):  # type: ignore[type-arg]
    expected = serializers.DecimalField(max_digits=7, decimal_places=1)
    low = serializers.DecimalField(max_digits=7, decimal_places=1)
    high = serializers.DecimalField(max_digits=7, decimal_places=1)
    sites = serializers.IntegerField()
    parts = PartProjectionSerializer(many=True)


class CoverageRowSerializer(Serializer):  # type: ignore[type-arg]
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    grids = serializers.IntegerField()
    checkins = serializers.IntegerField()
    reports = serializers.IntegerField()
    mean_share = serializers.FloatField()
    days_active = serializers.IntegerField()
    by_day = serializers.ListField(child=serializers.IntegerField())
