"""Serializers of the readiness API, one section per area."""

from __future__ import annotations

from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import Indicator, StandardClause

from ..models import ConditionEvent

# Conditions ---------------------------------------------------------------------------------


class ConditionEventSerializer(ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ConditionEvent
        fields = [
            "id",
            "clause",
            "indicator",
            "unit",
            "unit_name",
            "year",
            "occurred_on",
            "title",
            "description",
            "recorded_by",
            "created_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawn_reason",
        ]
        read_only_fields = fields


class ConditionEventInput(Serializer):
    clause = serializers.PrimaryKeyRelatedField(
        queryset=StandardClause.objects.all(), required=False, allow_null=True, default=None
    )
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.all(), required=False, allow_null=True, default=None
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class WithdrawInput(Serializer):
    reason = serializers.CharField(max_length=500)


class BoardQuery(Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2999, help_text="The year (default: this year)."
    )
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text="The city, a district or a zone (default: the city)."
    )


class ConditionRowSerializer(Serializer):
    kind = serializers.ChoiceField(choices=["clause", "indicator"])
    pk = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    is_veto = serializers.BooleanField()
    state = serializers.ChoiceField(choices=["green", "red", "unknown"])
    events = serializers.SerializerMethodField()
    evidence_on = serializers.DateField(allow_null=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    threshold = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    comparator = serializers.CharField()
    unit_of_measure = serializers.CharField()

    def get_events(self, row: object) -> list[int]:
        return [event.pk for event in getattr(row, "events", ())]


class ConditionBoardSerializer(Serializer):
    year = serializers.IntegerField()
    unit = serializers.IntegerField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = ConditionRowSerializer(many=True)


# Readiness board ----------------------------------------------------------------------------


class IndicatorLineSerializer(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    numerator = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    threshold = serializers.DecimalField(max_digits=20, decimal_places=4)
    comparator = serializers.CharField()
    unit_of_measure = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    origin = serializers.CharField()
    is_veto = serializers.BooleanField()


class DossierLineSerializer(Serializer):
    approved = serializers.IntegerField()
    expected = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class StageItemLineSerializer(Serializer):
    item_no = serializers.CharField()
    code = serializers.CharField()
    problem_id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()


class StageLineSerializer(Serializer):
    pk = serializers.IntegerField()
    name = serializers.CharField()
    due_on = serializers.DateField()
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    items = StageItemLineSerializer(many=True)


class BoardProjectionSerializer(Serializer):
    expected = serializers.DecimalField(max_digits=8, decimal_places=1)
    low = serializers.DecimalField(max_digits=8, decimal_places=1)
    high = serializers.DecimalField(max_digits=8, decimal_places=1)
    sites = serializers.IntegerField()


class ReadinessBoardSerializer(Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    year = serializers.IntegerField()
    version = serializers.IntegerField(source="version.pk", allow_null=True, default=None)
    indicator_counts = serializers.DictField(child=serializers.IntegerField())
    indicators = IndicatorLineSerializer(many=True)
    dossier = DossierLineSerializer()
    condition_counts = serializers.DictField(child=serializers.IntegerField())
    conditions = ConditionRowSerializer(many=True)
    stage = StageLineSerializer(allow_null=True)
    projection = BoardProjectionSerializer(allow_null=True)
