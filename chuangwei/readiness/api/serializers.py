"""Serializers of the readiness API, one section per area."""

from __future__ import annotations

from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import Indicator, StandardClause

from ..models import ConditionEvent, Evidence, EvidenceEvent, EvidenceFile, EvidenceRequirement

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


# Evidence dossier ---------------------------------------------------------------------------


class EvidenceRequirementSerializer(ModelSerializer):
    clause_number = serializers.CharField(source="clause.number", read_only=True)
    unit_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrgUnitKind.choices), required=False, max_length=20
    )
    units = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), many=True, required=False
    )

    class Meta:
        model = EvidenceRequirement
        fields = [
            "id",
            "clause",
            "clause_number",
            "title",
            "description",
            "frequency",
            "unit_kinds",
            "units",
            "sort_order",
            "is_active",
        ]


class EvidenceFileSerializer(ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "size", "content_type", "sha256", "round", "uploaded_at"]
        read_only_fields = fields


class EvidenceEventSerializer(ModelSerializer):
    class Meta:
        model = EvidenceEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "round",
            "remark",
            "actor",
            "created_at",
        ]
        read_only_fields = fields


class EvidenceSerializer(ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    requirement_title = serializers.CharField(source="requirement.title", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "requirement",
            "requirement_title",
            "unit",
            "unit_name",
            "period",
            "year",
            "status",
            "round",
            "note",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "remark",
        ]
        read_only_fields = fields


class EvidenceDetailSerializer(EvidenceSerializer):
    files = EvidenceFileSerializer(many=True, read_only=True)
    events = EvidenceEventSerializer(many=True, read_only=True)

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "files", "events"]
        read_only_fields = fields


class SubmitEvidenceInput(Serializer):
    requirement = serializers.PrimaryKeyRelatedField(
        queryset=EvidenceRequirement.objects.select_related("clause__version")
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    period = serializers.CharField(max_length=7)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), allow_empty=True, max_length=50
    )


class ApproveEvidenceInput(Serializer):
    remark = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReturnEvidenceInput(Serializer):
    remark = serializers.CharField(max_length=2000)


class CompletenessQuery(Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2999, help_text="The year (default: this year)."
    )
    aspect = serializers.IntegerField(
        required=False, min_value=1, help_text="An aspect of the current standard version."
    )
    district = serializers.IntegerField(
        required=False, min_value=1, help_text="Only the units of this unit's subtree."
    )


class CompletenessRowSerializer(Serializer):
    requirement_id = serializers.IntegerField()
    title = serializers.CharField()
    frequency = serializers.CharField()
    clause_id = serializers.IntegerField()
    clause_number = serializers.CharField()
    periods = serializers.ListField(child=serializers.CharField())
    unit_ids = serializers.ListField(child=serializers.IntegerField())


class CompletenessUnitSerializer(Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()
    approved = serializers.IntegerField()
    expected = serializers.IntegerField()


class CompletenessSerializer(Serializer):
    year = serializers.IntegerField()
    expected = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    rows = CompletenessRowSerializer(many=True)
    units = CompletenessUnitSerializer(many=True)
    records = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="[requirement, unit, period, state, evidence] of every cell with a record; "
        "every other expected cell is missing.",
    )
