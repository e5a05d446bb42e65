"""Office configuration of the ledger: calendar days, deadline rules, problem-list import."""

from __future__ import annotations

from typing import Any

from django.http import (
    HttpRequest,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.accounts.permissions import is_office
from chuangwei.core.tables import Column
from chuangwei.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
)
from chuangwei.core.views_import import ImportView
from chuangwei.standards.choices import SEVERITY_COLORS

from . import services
from .filters import CalendarDayFilter, DeadlineRuleFilter
from .forms import CalendarDayForm, DeadlineRuleForm
from .importers import InspectionProblemImporter
from .models import CalendarDay, DeadlineRule
from .permissions import REPORT_SOURCES, actions_for, covers_problem, load_problem, report_source  # noqa: F401
from .views import LEDGER

# Calendar days and deadline rules (office configuration) ------------------------------------

CALENDAR_URLS = {
    "list": "problems:calendarday_list",
    "detail": "problems:calendarday_detail",
    "create": "problems:calendarday_create",
    "update": "problems:calendarday_update",
    "delete": "problems:calendarday_delete",
}
CALENDAR_COLUMNS = [
    Column("date", gettext_lazy("Date"), kind="date", link=True),
    Column("is_workday", gettext_lazy("Working day"), kind="bool"),
    Column("name", gettext_lazy("Name")),
]


class CalendarDayMixin:
    model = CalendarDay
    url_names = CALENDAR_URLS
    breadcrumbs = (LEDGER,)
    managers_only = True


class CalendarDayListView(CalendarDayMixin, ObjectListView):
    filterset_class = CalendarDayFilter
    columns = CALENDAR_COLUMNS


class CalendarDayDetailView(CalendarDayMixin, ObjectDetailView):
    fields = CALENDAR_COLUMNS


class CalendarDayFormView(CalendarDayMixin, ObjectFormView):
    form_class = CalendarDayForm
    save_service = services.save_calendar_day


class CalendarDayDeleteView(CalendarDayMixin, ObjectDeleteView):
    delete_service = services.delete_calendar_day


RULE_URLS = {
    "list": "problems:deadlinerule_list",
    "detail": "problems:deadlinerule_detail",
    "create": "problems:deadlinerule_create",
    "update": "problems:deadlinerule_update",
    "delete": "problems:deadlinerule_delete",
}
RULE_COLUMNS = [
    # The list numbers its rows itself (序号): the category is the link, not a second 序号.
    Column(
        "category",
        gettext_lazy("Category"),
        getter=lambda r: r.category or _("Every category"),
        link=True,
    ),
    Column("severity", gettext_lazy("Severity"), kind="badge", colors=SEVERITY_COLORS),
    Column("amount", gettext_lazy("Handling time"), kind="number"),
    Column("unit", gettext_lazy("Handling time unit"), getter=lambda r: r.get_unit_display()),
]


class DeadlineRuleMixin:
    model = DeadlineRule
    url_names = RULE_URLS
    breadcrumbs = (LEDGER,)
    managers_only = True

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("category")  # type: ignore[misc]


class DeadlineRuleListView(DeadlineRuleMixin, ObjectListView):
    filterset_class = DeadlineRuleFilter
    columns = RULE_COLUMNS


class DeadlineRuleDetailView(DeadlineRuleMixin, ObjectDetailView):
    fields = RULE_COLUMNS


class DeadlineRuleFormView(DeadlineRuleMixin, ObjectFormView):
    form_class = DeadlineRuleForm
    save_service = services.save_deadline_rule


class DeadlineRuleDeleteView(DeadlineRuleMixin, ObjectDeleteView):
    delete_service = services.delete_deadline_rule


# Import of an inspection's problem list ---------------------------------------------------


class ProblemImportView(ImportView):
    """导入: a provincial/national inspection's problem list, all or nothing (office only)."""

    importer_class = InspectionProblemImporter
    title = gettext_lazy("Import inspection problems")
    list_url_name = "problems:problem_list"

    def allowed(self, request: HttpRequest) -> bool:
        return is_office(request.user)
