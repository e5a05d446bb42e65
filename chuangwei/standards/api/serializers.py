from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer

from ..models import Indicator, IndicatorValue, ProblemCategory, StandardClause, StandardVersion


class StandardVersionSerializer(ModelSerializer):
    class Meta:
        model = StandardVersion
        fields = ["id", "code", "name", "year", "issuer", "document_no", "status", "source", "note"]
        read_only_fields = ["status"]


class StandardClauseSerializer(ModelSerializer):
    class Meta:
        model = StandardClause
        fields = [
            "id",
            "version",
            "parent",
            "level",
            "number",
            "title",
            "text",
            "lead_work_line",
            "evidence_required",
            "points",
            "pass_rule",
            "is_prerequisite",
            "is_veto",
            "sort_order",
            "source",
            "note",
            "path",
            "depth",
        ]
        read_only_fields = ["path", "depth"]


class IndicatorSerializer(ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "version",
            "clause",
            "code",
            "name",
            "unit",
            "comparator",
            "threshold",
            "is_veto",
            "numerator_label",
            "denominator_label",
            "computed_by",
            "source",
            "note",
        ]


class IndicatorValueSerializer(ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "year",
            "unit",
            "numerator",
            "denominator",
            "note",
            "origin",
            "computed_at",
        ]
        read_only_fields = ["origin", "computed_at"]


class EmptyInput(Serializer):
    pass


class VersionCopyInput(Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=200)


class WorkbookImportInput(Serializer):
    file = serializers.FileField()
    code = serializers.CharField(max_length=32, required=False, allow_blank=True)


class WorkbookImportOutput(Serializer):
    version = serializers.IntegerField()
    new_version = serializers.BooleanField()
    created = serializers.DictField(child=serializers.IntegerField())
    updated = serializers.DictField(child=serializers.IntegerField())
    deleted = serializers.DictField(child=serializers.IntegerField())


class RecomputeInput(Serializer):
    version = serializers.PrimaryKeyRelatedField(queryset=StandardVersion.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class RecomputeOutput(Serializer):
    written = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    removed = serializers.IntegerField()
    indicators = serializers.IntegerField()
    units = serializers.IntegerField()


class StatusQuery(Serializer):
    version = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class IndicatorStatusSerializer(Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit_of_measure = serializers.CharField(source="indicator.unit")
    numerator = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    denominator = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    rate = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    threshold = serializers.DecimalField(max_digits=14, decimal_places=4)
    comparator = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    origin = serializers.CharField(allow_null=True)


class ProblemCategorySerializer(ModelSerializer):
    class Meta:
        model = ProblemCategory
        fields = [
            "id",
            "parent",
            "kind",
            "code",
            "name",
            "public_name",
            "description",
            "standard_ref",
            "legacy_code",
            "sanitary_class",
            "default_work_line",
            "default_department",
            "deadline_amount",
            "deadline_unit",
            "severity",
            "check_item",
            "is_local_extension",
            "is_public",
            "is_active",
            "sort_order",
            "path",
            "depth",
        ]
        read_only_fields = ["path", "depth"]
