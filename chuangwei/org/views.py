from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from chuangwei.core.tables import Column
from chuangwei.core.views import ObjectDeleteView, ObjectDetailView, ObjectFormView, ObjectListView

from . import services
from .choices import ORG_UNIT_KIND_COLORS
from .filters import (
    AgreementFilter,
    LeaderAssignmentFilter,
    OrgUnitFilter,
    PersonFilter,
    WorkLineFilter,
)
from .forms import AgreementForm, LeaderAssignmentForm, OrgUnitForm, PersonForm, WorkLineForm
from .models import LeaderAssignment, OrgUnit, Person, ResponsibilityAgreement, WorkLine

ORG = (_("Organisation"), "")


def _urls(prefix: str) -> dict[str, str]:
    return {
        "list": f"org:{prefix}_list",
        "detail": f"org:{prefix}_detail",
        "create": f"org:{prefix}_create",
        "update": f"org:{prefix}_update",
        "delete": f"org:{prefix}_delete",
    }


# Org units ---------------------------------------------------------------------------

UNIT_URLS = {**_urls("orgunit"), "import": "org:orgunit_import"}
UNIT_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True),
    Column("kind", _("Kind"), kind="badge", colors=ORG_UNIT_KIND_COLORS),
    Column("parent.name", _("Parent")),
    Column("head.name", _("Unit head")),
    Column("liaison.name", _("Liaison")),
    Column("is_active", _("Active"), kind="bool"),
]


class OrgUnitMixin:
    model = OrgUnit
    url_names = UNIT_URLS
    breadcrumbs = (ORG,)

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("parent", "head", "liaison")  # type: ignore[misc]


class OrgUnitListView(OrgUnitMixin, ObjectListView):
    filterset_class = OrgUnitFilter
    columns = UNIT_COLUMNS
    template_name = "org/orgunit_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["unit_tree"] = (
            OrgUnit.objects.visible_to(self.request.user).filter(depth__lte=2).order_by("path")
        )
        context["tree_selected"] = self.request.GET.get("within", "")
        return context


class OrgUnitDetailView(OrgUnitMixin, ObjectDetailView):
    fields = [
        *UNIT_COLUMNS,
        Column("short_name", _("Short name")),
        Column("display_path", _("Position in tree")),
        Column("address", _("Address")),
        Column("updated_at", _("Updated at"), kind="datetime"),
    ]
    template_name = "org/orgunit_detail.html"

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        return {
            "children": obj.children.order_by("sort_order", "code")[:200],
            "people": obj.people.all()[:200],
        }


class OrgUnitFormView(OrgUnitMixin, ObjectFormView):
    form_class = OrgUnitForm
    save_service = services.save_org_unit


class OrgUnitDeleteView(OrgUnitMixin, ObjectDeleteView):
    delete_service = services.delete_org_unit


# Work lines --------------------------------------------------------------------------

WL_URLS = _urls("workline")
WL_COLUMNS = [
    Column("code", _("Code"), link=True),
    Column("name", _("Name"), link=True),
    Column("lead_department.name", _("Lead department")),
    Column("member_departments", _("Member departments"), truncate=40),
    Column("responsibilities", _("Responsibilities"), truncate=30),
]


class WorkLineMixin:
    model = WorkLine
    url_names = WL_URLS
    breadcrumbs = (ORG,)

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()  # type: ignore[misc]
            .select_related("lead_department")
            .prefetch_related("member_departments")
        )


class WorkLineListView(WorkLineMixin, ObjectListView):
    filterset_class = WorkLineFilter
    columns = WL_COLUMNS


class WorkLineDetailView(WorkLineMixin, ObjectDetailView):
    fields = WL_COLUMNS


class WorkLineFormView(WorkLineMixin, ObjectFormView):
    form_class = WorkLineForm
    save_service = services.save_work_line


class WorkLineDeleteView(WorkLineMixin, ObjectDeleteView):
    delete_service = services.delete_work_line


# People ------------------------------------------------------------------------------

PERSON_URLS = _urls("person")
PERSON_COLUMNS = [
    Column("name", _("Name"), link=True),
    Column("unit.name", _("Unit")),
    Column("position", _("Position")),
    Column("phone", _("Phone")),
    Column("user.username", _("User account")),
    Column("is_active", _("Active"), kind="bool"),
]


class PersonMixin:
    model = Person
    url_names = PERSON_URLS
    breadcrumbs = (ORG,)

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("unit", "user")  # type: ignore[misc]


class PersonListView(PersonMixin, ObjectListView):
    filterset_class = PersonFilter
    columns = PERSON_COLUMNS


class PersonDetailView(PersonMixin, ObjectDetailView):
    fields = PERSON_COLUMNS


class PersonFormView(PersonMixin, ObjectFormView):
    form_class = PersonForm
    save_service = services.save_person


class PersonDeleteView(PersonMixin, ObjectDeleteView):
    delete_service = services.delete_person


# Leader assignments (帮包) ------------------------------------------------------------

LA_URLS = _urls("leaderassignment")
LA_COLUMNS = [
    Column("leader.name", _("Leader"), link=True),
    Column("leader.position", _("Position")),
    Column("unit.name", _("Assigned unit")),
    Column("start_date", _("Start date"), kind="date"),
    Column("end_date", _("End date"), kind="date"),
    Column("note", _("Note"), truncate=30),
]


class LeaderAssignmentMixin:
    model = LeaderAssignment
    url_names = LA_URLS
    breadcrumbs = (ORG,)

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("leader", "unit")  # type: ignore[misc]


class LeaderAssignmentListView(LeaderAssignmentMixin, ObjectListView):
    filterset_class = LeaderAssignmentFilter
    columns = LA_COLUMNS


class LeaderAssignmentDetailView(LeaderAssignmentMixin, ObjectDetailView):
    fields = LA_COLUMNS


class LeaderAssignmentFormView(LeaderAssignmentMixin, ObjectFormView):
    form_class = LeaderAssignmentForm
    save_service = services.save_leader_assignment


class LeaderAssignmentDeleteView(LeaderAssignmentMixin, ObjectDeleteView):
    delete_service = services.delete_leader_assignment


# Responsibility agreements (目标责任书) ------------------------------------------------

AG_URLS = _urls("agreement")
AG_COLUMNS = [
    Column("year", _("Year"), link=True, getter=lambda o: str(o.year)),
    Column("unit.name", _("Unit")),
    Column("title", _("Title"), link=True, truncate=30),
    Column("closure_rate_target", _("On-time closure target (%)"), kind="number"),
    Column("signed_on", _("Signed on"), kind="date"),
    Column("has_document", _("Signed document"), kind="bool", getter=lambda o: bool(o.document)),
]


class AgreementMixin:
    model = ResponsibilityAgreement
    url_names = AG_URLS
    breadcrumbs = (ORG,)

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("unit")  # type: ignore[misc]


class AgreementListView(AgreementMixin, ObjectListView):
    filterset_class = AgreementFilter
    columns = AG_COLUMNS


class AgreementDetailView(AgreementMixin, ObjectDetailView):
    # The signed document has its own card with the download link, not a yes/no row too.
    fields = [*(c for c in AG_COLUMNS if c.key != "has_document"), Column("targets", _("Targets"))]
    template_name = "org/agreement_detail.html"


class AgreementFormView(AgreementMixin, ObjectFormView):
    form_class = AgreementForm
    save_service = services.save_responsibility_agreement


class AgreementDeleteView(AgreementMixin, ObjectDeleteView):
    delete_service = services.delete_responsibility_agreement


def agreement_document(request: Any, pk: int) -> Any:
    """Download the signed agreement, for users who can see the agreement."""
    from django.contrib.auth.views import redirect_to_login
    from django.http import FileResponse, Http404
    from django.shortcuts import get_object_or_404

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agreement = get_object_or_404(ResponsibilityAgreement.objects.visible_to(request.user), pk=pk)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=agreement.document.name.rsplit("/", 1)[-1],
    )
