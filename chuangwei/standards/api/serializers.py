from chuangwei.core.api import ModelSerializer

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
            "is_prerequisite",
            "is_veto",
            "sort_order",
            "source",
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
            "source",
            "note",
        ]


class IndicatorValueSerializer(ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "year", "unit", "numerator", "denominator", "note"]


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
