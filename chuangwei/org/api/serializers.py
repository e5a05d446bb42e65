from chuangwei.core.api import ModelSerializer

from ..models import LeaderAssignment, OrgUnit, Person, ResponsibilityAgreement, WorkLine


class OrgUnitSerializer(ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "path",
            "depth",
            "sort_order",
            "head",
            "liaison",
            "address",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["path", "depth", "created_at", "updated_at"]


class WorkLineSerializer(ModelSerializer):
    class Meta:
        model = WorkLine
        fields = [
            "id",
            "code",
            "name",
            "lead_department",
            "member_departments",
            "responsibilities",
            "sort_order",
        ]


class PersonSerializer(ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "unit", "position", "phone", "user", "is_active"]


class LeaderAssignmentSerializer(ModelSerializer):
    class Meta:
        model = LeaderAssignment
        fields = ["id", "leader", "unit", "start_date", "end_date", "note"]


class ResponsibilityAgreementSerializer(ModelSerializer):
    class Meta:
        model = ResponsibilityAgreement
        fields = [
            "id",
            "unit",
            "year",
            "title",
            "targets",
            "closure_rate_target",
            "signed_on",
            "document",
        ]
