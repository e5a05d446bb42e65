"""Serializers of the readiness API, one section per area."""

from __future__ import annotations

from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import Indicator, StandardClause, StandardVersion

from ..choices import CycleKind, RecheckOutcome, StageKind
from ..models import (
    ConditionEvent,
    EvaluationCycle,
    EvaluationStage,
    RecheckResult,
    RecheckRound,
    StageProblem,
)

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


# Cycles -------------------------------------------------------------------------------------


class EvaluationCycleSerializer(ModelSerializer):
    class Meta:
        model = EvaluationCycle
        fields = [
            "id",
            "kind",
            "name",
            "start_year",
            "end_year",
            "standard_version",
            "is_current",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StageDateInput(Serializer):
    kind = serializers.ChoiceField(choices=StageKind.choices)
    due_on = serializers.DateField()


class EvaluationCycleInput(Serializer):
    kind = serializers.ChoiceField(choices=CycleKind.choices)
    name = serializers.CharField(max_length=200)
    start_year = serializers.IntegerField(min_value=1900, max_value=2999)
    end_year = serializers.IntegerField(min_value=1900, max_value=2999)
    standard_version = serializers.PrimaryKeyRelatedField(queryset=StandardVersion.objects.all())
    is_current = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationCycleCreateInput(EvaluationCycleInput):
    from_template = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Create the standard stages (申报 … 复审) with their default dates.",
    )
    stage_dates = StageDateInput(
        many=True,
        required=False,
        default=list,
        help_text="Dates replacing the template's, by stage kind.",
    )


class EvaluationStageSerializer(ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True, default=None)

    class Meta:
        model = EvaluationStage
        fields = [
            "id",
            "cycle",
            "kind",
            "name",
            "starts_on",
            "due_on",
            "ends_on",
            "owner",
            "owner_name",
            "status",
            "deliverables",
            "indicator_snapshot",
            "sort_order",
            "note",
        ]
        read_only_fields = fields


class EvaluationStageInput(Serializer):
    kind = serializers.ChoiceField(choices=StageKind.choices)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    due_on = serializers.DateField()
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, default=None
    )
    deliverables = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationStageCreateInput(EvaluationStageInput):
    cycle = serializers.PrimaryKeyRelatedField(queryset=EvaluationCycle.objects.all())


class CountdownSerializer(Serializer):
    stage = EvaluationStageSerializer(allow_null=True)
    days = serializers.IntegerField(allow_null=True, help_text="Days left until the stage's date.")


class StageProblemSerializer(ModelSerializer):
    problem_code = serializers.CharField(source="problem.code", read_only=True)
    description = serializers.CharField(source="problem.description", read_only=True)
    status = serializers.CharField(source="problem.status", read_only=True)
    unit = serializers.IntegerField(source="problem.unit_id", read_only=True)
    unit_name = serializers.CharField(source="problem.unit.name", read_only=True)
    lng = serializers.FloatField(source="problem.lng", read_only=True, allow_null=True)
    lat = serializers.FloatField(source="problem.lat", read_only=True, allow_null=True)

    class Meta:
        model = StageProblem
        fields = [
            "id",
            "stage",
            "item_no",
            "clause",
            "problem",
            "problem_code",
            "description",
            "status",
            "unit",
            "unit_name",
            "lng",
            "lat",
            "created_at",
        ]
        read_only_fields = fields


class StageImportInput(Serializer):
    file = serializers.FileField(help_text="The list as .xlsx or .csv (see the template).")


class ImportFaultSerializer(Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    message = serializers.CharField()


class StageImportResultSerializer(Serializer):
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Items the stage already held (same number).")


class RecheckRoundSerializer(ModelSerializer):
    class Meta:
        model = RecheckRound
        fields = ["id", "stage", "name", "held_on", "summary", "created_by", "created_at"]
        read_only_fields = fields


class RecheckRoundInput(Serializer):
    stage = serializers.PrimaryKeyRelatedField(queryset=EvaluationStage.objects.all())
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    held_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class RecheckResultInput(Serializer):
    item = serializers.IntegerField(min_value=1, help_text="A stage problem of the round's stage.")
    outcome = serializers.ChoiceField(choices=RecheckOutcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RecheckResultSerializer(ModelSerializer):
    class Meta:
        model = RecheckResult
        fields = ["id", "round", "item", "outcome", "note", "checked_by", "checked_at"]
        read_only_fields = fields


class RecheckReportSerializer(Serializer):
    round = serializers.IntegerField()
    total = serializers.IntegerField()
    fixed = serializers.IntegerField()
    still_open = serializers.IntegerField()
    regressed = serializers.IntegerField()
    unchecked = serializers.IntegerField()
    open_items = serializers.ListField(
        child=serializers.IntegerField(), help_text="Stage problems still open or not checked."
    )
