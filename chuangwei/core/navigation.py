"""The left navigation, built server-side from what the user may do."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass
class MenuItem:
    label: Any
    url_name: str = ""
    icon: str = ""
    children: list[MenuItem] = field(default_factory=list)
    config_only: bool = False
    # Besides the office and admins (who see everything), only these roles see the item.
    roles: tuple[str, ...] = ()
    url: str = ""
    active: bool = False


def _menu() -> list[MenuItem]:
    return [
        MenuItem(_("Home"), "dashboards:home", "bi-house"),
        MenuItem(_("My notifications"), "notifications:notification_list", "bi-bell"),
        MenuItem(
            _("Dashboard and briefings"),
            icon="bi-speedometer2",
            children=[
                MenuItem(_("Dashboard"), "dashboards:board"),
                MenuItem(_("Work briefings"), "reports:briefing_list"),
                MenuItem(_("Campaign milestones"), "reports:milestone_list", config_only=True),
            ],
        ),
        MenuItem(
            _("Problem ledger"),
            icon="bi-clipboard-check",
            children=[
                MenuItem(_("All problems"), "problems:problem_list"),
                MenuItem(_("My tasks"), "problems:mine"),
                MenuItem(_("Overdue problems"), "problems:problem_overdue"),
                MenuItem(_("Report a problem (mobile)"), "problems:report"),
                MenuItem(_("Working calendar"), "problems:calendarday_list", config_only=True),
                MenuItem(_("Deadline rules"), "problems:deadlinerule_list", config_only=True),
            ],
        ),
        MenuItem(
            _("Inspections"),
            icon="bi-clipboard-data",
            children=[
                MenuItem(_("Inspection tasks"), "inspections:task_list"),
                MenuItem(
                    _("My inspections (mobile)"), "inspections:my_tasks", roles=("inspector",)
                ),
                MenuItem(_("Score sheets"), "inspections:sheet_list"),
                MenuItem(_("Sampling"), "inspections:sampling", config_only=True),
                MenuItem(_("Inspection results"), "inspections:results"),
                MenuItem(_("Projected score"), "inspections:projection"),
                MenuItem(_("Patrol coverage"), "inspections:patrol_coverage"),
            ],
        ),
        MenuItem(
            _("Evaluation readiness"),
            icon="bi-flag",
            children=[
                MenuItem(_("Readiness board"), "readiness:board"),
                MenuItem(_("Evaluation cycle"), "readiness:cycle_list"),
                MenuItem(_("Evidence dossier"), "readiness:completeness"),
                MenuItem(_("My evidence"), "readiness:evidence_mine"),
                MenuItem(_("Evidence review"), "readiness:evidence_review", config_only=True),
                MenuItem(_("Evidence requirements"), "readiness:requirement_list"),
                MenuItem(_("Prerequisites and vetoes"), "readiness:conditions"),
            ],
        ),
        MenuItem(
            _("Rankings"),
            icon="bi-bar-chart",
            children=[
                MenuItem(_("Metrics"), "rankings:metrics"),
                MenuItem(_("Ranking snapshots"), "rankings:snapshot_list"),
                MenuItem(_("Red and black lists"), "rankings:redblack"),
                MenuItem(_("Points lost"), "rankings:points_lost"),
                MenuItem(_("Accountability"), "rankings:accountability_list"),
                MenuItem(_("Ranking schemes"), "rankings:scheme_list", config_only=True),
            ],
        ),
        MenuItem(
            _("Public"),
            icon="bi-people",
            children=[
                MenuItem(_("Public content"), "public:moderation", config_only=True),
                MenuItem(_("Surveys"), "public:survey_list", roles=("leader",)),
                MenuItem(_("Polls"), "public:poll_list", roles=("leader",)),
                MenuItem(_("Open311 clients"), "open311:client_list", config_only=True),
            ],
        ),
        MenuItem(
            _("Organisation"),
            icon="bi-diagram-3",
            children=[
                MenuItem(_("Org units"), "org:orgunit_list"),
                MenuItem(_("Work lines"), "org:workline_list"),
                MenuItem(_("People"), "org:person_list"),
                MenuItem(_("Leader assignments"), "org:leaderassignment_list"),
                MenuItem(_("Responsibility agreements"), "org:agreement_list"),
            ],
        ),
        MenuItem(
            _("Grids and sites"),
            icon="bi-geo-alt",
            children=[
                MenuItem(_("Grid map"), "places:map"),
                MenuItem(_("Grids"), "places:grid_list"),
                MenuItem(_("Sites"), "places:site_list"),
                MenuItem(_("Site types"), "places:sitetype_list"),
                MenuItem(_("Site type groups"), "places:sitetypegroup_list"),
            ],
        ),
        MenuItem(
            _("Standards"),
            icon="bi-journal-check",
            children=[
                MenuItem(_("Standard versions"), "standards:version_list"),
                MenuItem(_("Standard clauses"), "standards:clause_list"),
                MenuItem(_("Indicators"), "standards:indicator_list"),
                MenuItem(_("Indicator values"), "standards:indicatorvalue_list"),
                MenuItem(_("Problem categories"), "standards:category_list"),
            ],
        ),
        MenuItem(
            _("System"),
            icon="bi-gear",
            config_only=True,
            children=[
                MenuItem(_("Users"), "accounts:user_list", config_only=True),
                MenuItem(_("Message outbox"), "notifications:outbox_list", config_only=True),
                MenuItem(_("API documentation"), "api_docs"),
            ],
        ),
    ]


@lru_cache(maxsize=256)
def _url(url_name: str) -> str:
    """Menu URLs never change while the process runs; reversing ~40 names cost every page."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def _resolve(item: MenuItem, manages_config: bool, scope: Any = None) -> MenuItem | None:
    if item.config_only and not manages_config:
        return None
    if (
        item.roles
        and not manages_config
        and not (scope is not None and scope.has_role(*item.roles))
    ):
        return None
    if item.children:
        item.children = [
            c for c in (_resolve(c, manages_config, scope) for c in item.children) if c
        ]
        return item if item.children else None
    item.url = _url(item.url_name)
    return item if item.url else None


def _mark_active(menu: list[MenuItem], path: str) -> None:
    """Only the leaf whose URL is the longest prefix of the path is active (so /problems/5/
    marks 全部问题, while /problems/mine/ marks 我的待办)."""
    leaves = [(leaf, group) for group in menu for leaf in (group.children or [group])]
    matches = [
        (len(leaf.url), leaf, group)
        for leaf, group in leaves
        if path == leaf.url or (leaf.url != "/" and path.startswith(leaf.url))
    ]
    if matches:
        _length, leaf, group = max(matches, key=lambda m: m[0])
        leaf.active = group.active = True


def build_menu(request: HttpRequest) -> list[MenuItem]:
    scope = request.user.scope  # type: ignore[union-attr]
    menu = [m for m in (_resolve(i, scope.manages_config, scope) for i in _menu()) if m]
    _mark_active(menu, request.path)
    return menu
