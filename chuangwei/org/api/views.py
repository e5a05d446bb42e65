from chuangwei.core.api import ScopedModelViewSet

from .. import services
from ..filters import (
    AgreementFilter,
    LeaderAssignmentFilter,
    OrgUnitFilter,
    PersonFilter,
    WorkLineFilter,
)
from ..models import LeaderAssignment, OrgUnit, Person, ResponsibilityAgreement, WorkLine
from .serializers import (
    LeaderAssignmentSerializer,
    OrgUnitSerializer,
    PersonSerializer,
    ResponsibilityAgreementSerializer,
    WorkLineSerializer,
)


class OrgUnitViewSet(ScopedModelViewSet):
    """Org units (districts, streets, communities, departments), scoped to the caller's subtree."""

    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter

    save_service = services.save_org_unit
    delete_service = services.delete_org_unit


class WorkLineViewSet(ScopedModelViewSet):
    queryset = WorkLine.objects.select_related("lead_department").prefetch_related(
        "member_departments"
    )
    serializer_class = WorkLineSerializer
    filterset_class = WorkLineFilter
    save_service = services.save_work_line
    delete_service = services.delete_work_line


class PersonViewSet(ScopedModelViewSet):
    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    save_service = services.save_person
    delete_service = services.delete_person


class LeaderAssignmentViewSet(ScopedModelViewSet):
    queryset = LeaderAssignment.objects.all()
    serializer_class = LeaderAssignmentSerializer
    filterset_class = LeaderAssignmentFilter
    save_service = services.save_leader_assignment
    delete_service = services.delete_leader_assignment


class ResponsibilityAgreementViewSet(ScopedModelViewSet):
    queryset = ResponsibilityAgreement.objects.all()
    serializer_class = ResponsibilityAgreementSerializer
    filterset_class = AgreementFilter
    save_service = services.save_responsibility_agreement
    delete_service = services.delete_responsibility_agreement
