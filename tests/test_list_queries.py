"""Every list page and list endpoint runs a fixed number of queries (ARCHITECTURE.md §7).

Each listing is opened with three and with six rows of its own (tests/rows.py), and both
must cost exactly the pinned number: a count that grows with the rows is an N+1. A page
is requested once before the pinned request: the filter options are built at most once a
minute per process (core.widgets), so the second request is the one users pay for.

HTML pages are opened with a session, like a browser; API lists with a token, like an
integration (each request loads the token's user and their scope).

``test_every_list_is_pinned`` fails when a list page (an ObjectListView on a route) or a
list endpoint of /api/v1/ has no line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from chuangwei.problems.tests.conftest import ledger  # noqa: F401 - fixture
from tests import rows


def listed(response: Any) -> int:
    """Rows of an ObjectListView page (all pages) or a paginated API list."""
    if response.get("Content-Type", "").startswith("application/json"):
        return int(response.json()["count"])
    return int(response.context["paginator"].count)


def in_context(key: str) -> Callable[[Any], int]:
    return lambda response: len(response.context[key])


def in_json(key: str) -> Callable[[Any], int]:
    return lambda response: len(response.json()[key])


@dataclass(frozen=True)
class Listing:
    """A list, its rows, who opens it and what it costs.

    ``base`` is the number of rows the ``ledger`` world already shows there (the personas,
    the org tree, grids GA and GB, category 06010, work line WL-CG); ``per_row`` the rows
    the list shows for each row made (a clause comes with its aspect).
    """

    url: str
    make: Callable[[dict[str, Any], list[str]], list[Any]]
    queries: int
    base: int = 0
    per_row: int = 1
    persona: str = "office"
    unit: str = "street_a"
    query: str | Callable[[dict[str, Any]], str] = ""
    count: Callable[[Any], int] = listed

    def path(self, world: dict[str, Any]) -> str:
        path = self.url if self.url.startswith("/") else reverse(self.url)
        query = self.query(world) if callable(self.query) else self.query
        return f"{path}?{query}" if query else path


# Pages: ObjectListView subclasses (session, office unless said otherwise).
PAGES = [
    Listing("accounts:user_list", rows.users, 8, base=8),
    Listing("org:orgunit_list", rows.org_units, 7, base=7),
    Listing("org:workline_list", rows.work_lines, 7, base=1),
    Listing("org:person_list", rows.people, 6),
    Listing("org:leaderassignment_list", rows.leader_assignments, 6),
    Listing("org:agreement_list", rows.agreements, 6),
    Listing("places:grid_list", rows.grids, 6, base=2),
    Listing("places:sitetype_list", rows.site_types, 6),
    Listing("places:sitetypegroup_list", rows.site_type_groups, 7),
    Listing("places:site_list", rows.sites, 6),
    Listing("standards:version_list", rows.versions, 6),
    Listing("standards:clause_list", rows.clauses, 6, per_row=2),
    Listing("standards:indicator_list", rows.indicators, 6),
    Listing("standards:indicatorvalue_list", rows.indicator_values, 6),
    Listing("standards:category_list", rows.categories, 6, base=1, per_row=2),
    Listing("notifications:notification_list", rows.notifications_for("office"), 7),
    Listing("notifications:outbox_list", rows.outbox_messages, 6),
    Listing("inspections:task_list", rows.tasks, 6),
    Listing("inspections:sheet_list", rows.sheets, 6),
    Listing("open311:client_list", rows.open311_clients, 6),
    Listing("open311:attribute_list", rows.service_attributes, 6),
    Listing("problems:problem_list", rows.problems_with_photos, 6),
    Listing("problems:problem_list", rows.problems_with_photos, 7, persona="handler_a"),
    Listing("problems:problem_overdue", rows.overdue_problems, 6),
    Listing("problems:calendarday_list", rows.calendar_days, 6),
    Listing("problems:deadlinerule_list", rows.deadline_rules, 6),
    Listing("rankings:snapshot_list", rows.snapshots, 7),
    Listing("rankings:accountability_list", rows.accountability_records, 6),
    Listing("rankings:scheme_list", rows.schemes, 6),
    Listing("reports:briefing_list", rows.briefings, 6),
    Listing("reports:milestone_list", rows.milestones, 6),
]

# Other list pages, JSON lists of the UI, and Open311 (GeoReport v2) lists.
OTHER_PAGES = [
    Listing(
        "problems:mine",
        rows.problems,
        7,
        persona="handler_a",
        count=lambda r: sum(len(s["items"]) for s in r.context["sections"]),
    ),
    Listing("problems:map_points", rows.problems, 4, count=in_json("points")),
    Listing("places:sites_points", rows.sites, 4, count=in_json("sites")),
    Listing("places:grids_geojson", rows.grids, 4, base=2, count=in_json("features")),
    Listing(
        "inspections:my_tasks",
        rows.planned_tasks,
        5,
        persona="inspector",
        count=in_context("tasks"),
    ),
    Listing(
        "inspections:results",
        rows.site_results,
        12,
        query="from=2026-03-01&to=2026-03-31",
        count=lambda r: r.context["total"],
    ),
    Listing("inspections:sampling", rows.draws, 7, count=in_context("draws")),
    Listing(
        "public:exposure_list", rows.exposures, 2, persona="anonymous", count=in_context("rows")
    ),
    Listing(
        "public:survey_index", rows.surveys, 2, persona="anonymous", count=in_context("surveys")
    ),
    Listing("public:moderation", rows.pending_exposures, 6, count=in_context("exposures")),
    Listing("public:category_list", rows.public_categories, 5, count=in_context("categories")),
    Listing("public:survey_list", rows.surveys, 5, count=in_context("surveys")),
    Listing("public:poll_list", rows.polls, 5, count=in_context("polls")),
    Listing("inspections:patrol_coverage", rows.grids, 7, per_row=2, count=in_context("rows")),
    Listing(
        "rankings:points_lost_problems",
        rows.problems_losing_points,
        7,
        persona="handler_a",
        query=lambda w: f"unit={w['district'].pk}&period=month&day=2026-03-15",
        count=in_context("problems"),
    ),
    Listing(
        "/open311/v2/services.json",
        rows.public_services,
        1,
        persona="anonymous",
        count=lambda r: len(r.json()),
    ),
    Listing(
        "/open311/v2/requests.json",
        rows.service_requests,
        4,
        persona="anonymous",
        query="start_date=2026-03-01T00:00:00%2B08:00&end_date=2026-03-31T00:00:00%2B08:00"
        "&extensions=true",
        count=lambda r: len(r.json()),
    ),
    Listing("readiness:cycle_list", rows.cycles, 6, count=in_context("cycles")),
]

# /api/v1/ list endpoints (token, office unless said otherwise).
ENDPOINTS = [
    Listing("/api/v1/users/", rows.users, 5, base=8),
    Listing("/api/v1/memberships/", rows.memberships, 4, base=8),
    Listing("/api/v1/notifications/", rows.notifications_for("office"), 3),
    Listing("/api/v1/outbox-messages/", rows.outbox_messages, 4),
    Listing("/api/v1/org-units/", rows.org_units, 4, base=7),
    Listing("/api/v1/work-lines/", rows.work_lines, 5, base=1),
    Listing("/api/v1/people/", rows.people, 4),
    Listing("/api/v1/leader-assignments/", rows.leader_assignments, 4),
    Listing("/api/v1/responsibility-agreements/", rows.agreements, 4),
    Listing("/api/v1/grids/", rows.grids, 5, base=2),
    Listing("/api/v1/site-types/", rows.site_types, 4),
    Listing("/api/v1/site-type-groups/", rows.site_type_groups, 5),
    Listing("/api/v1/sites/", rows.sites, 4),
    Listing("/api/v1/standard-versions/", rows.versions, 4),
    Listing("/api/v1/standard-clauses/", rows.clauses, 4, per_row=2),
    Listing("/api/v1/indicators/", rows.indicators, 4),
    Listing("/api/v1/indicator-values/", rows.indicator_values, 4),
    Listing("/api/v1/problem-categories/", rows.categories, 4, base=1, per_row=2),
    Listing("/api/v1/problems/", rows.problems_with_photos, 5),
    Listing("/api/v1/problems/", rows.problems_with_photos, 6, persona="handler_a"),
    Listing("/api/v1/problem-events/", rows.problem_events, 4),
    Listing("/api/v1/problem-events/", rows.problem_events, 5, persona="handler_a"),
    Listing("/api/v1/calendar-days/", rows.calendar_days, 4),
    Listing("/api/v1/deadline-rules/", rows.deadline_rules, 4),
    Listing("/api/v1/score-sheets/", rows.sheets, 4),
    Listing("/api/v1/inspection-tasks/", rows.tasks, 7),
    Listing("/api/v1/inspection-tasks/", rows.tasks, 7, persona="handler_a"),
    Listing("/api/v1/site-results/", rows.site_results, 4),
    Listing("/api/v1/sampling-draws/", rows.draws, 4),
    Listing("/api/v1/patrol-checkins/", rows.checkins, 4),
    Listing("/api/v1/ranking-schemes/", rows.schemes, 4),
    Listing("/api/v1/ranking-snapshots/", rows.snapshots, 4),
    Listing("/api/v1/accountability-records/", rows.accountability_records, 5),
    Listing("/api/v1/public-categories/", rows.public_categories, 2, persona="anonymous"),
    Listing("/api/v1/exposures/", rows.exposures, 3, persona="anonymous"),
    Listing("/api/v1/satisfaction-ratings/", rows.ratings, 4),
    Listing("/api/v1/open311-clients/", rows.open311_clients, 4),
    Listing("/api/v1/open311-service-attributes/", rows.service_attributes, 4),
    Listing("/api/v1/patrol-coverage/", rows.grids, 5, per_row=2, count=lambda r: len(r.json())),
    Listing(
        "/api/v1/metrics/",
        rows.org_units,
        10,
        base=2,
        query="dimension=community&period=month&day=2026-03-15",
        count=lambda r: len(r.json()["results"]),
    ),
    Listing("/api/v1/briefings/", rows.briefings, 5),
    Listing("/api/v1/milestones/", rows.milestones, 4),
    Listing("/api/v1/condition-events/", rows.condition_events, 4),
    Listing("/api/v1/evaluation-cycles/", rows.cycles, 4),
    Listing("/api/v1/evaluation-stages/", rows.stages, 4),
    Listing("/api/v1/stage-problems/", rows.stage_problems, 4),
    Listing("/api/v1/stage-problems/", rows.stage_problems, 5, persona="handler_a"),
    Listing("/api/v1/recheck-rounds/", rows.recheck_rounds, 4),
]


def _id(listing: Listing) -> str:
    where = listing.url.strip("/").replace("/", ".")
    return f"{where}[{listing.persona}]"


def token_client(user: Any) -> APIClient:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def open_pinned(listing: Listing, world: dict[str, Any], client: Any, assert_queries: Any) -> Any:
    url = listing.path(world)
    client.get(url)  # fills the per-process filter options, as any earlier visitor did
    with assert_queries(listing.queries):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


@pytest.mark.parametrize("n", [3, 6])
@pytest.mark.parametrize("listing", PAGES + OTHER_PAGES, ids=_id)
def test_list_page_runs_a_fixed_number_of_queries(
    ledger: dict[str, Any],  # noqa: F811
    client_as: Any,
    django_assert_num_queries: Any,
    listing: Listing,
    n: int,
) -> None:
    listing.make(ledger, [listing.unit] * n)
    response = open_pinned(listing, ledger, client_as(listing.persona), django_assert_num_queries)
    assert listing.count(response) == listing.base + listing.per_row * n


@pytest.mark.parametrize("n", [3, 6])
@pytest.mark.parametrize("listing", ENDPOINTS, ids=_id)
def test_list_endpoint_runs_a_fixed_number_of_queries(
    ledger: dict[str, Any],  # noqa: F811
    django_assert_num_queries: Any,
    listing: Listing,
    n: int,
) -> None:
    listing.make(ledger, [listing.unit] * n)
    response = open_pinned(
        listing, ledger, token_client(ledger[listing.persona]), django_assert_num_queries
    )
    assert listing.count(response) == listing.base + listing.per_row * n


# List endpoints that answer figures rather than rows.
NOT_ROWS = {
    "/api/v1/inspection-projections/": "one projected score with its parts",
    "/api/v1/dashboard-summaries/": "the dashboard's figures, cached per scope",
    "/api/v1/readiness-conditions/": "the board of conditions (pinned in readiness tests)",
    "/api/v1/readiness-board/": "the readiness board of one unit (pinned in readiness tests)",
}


def object_list_routes() -> set[str]:
    """``namespace:name`` of every route served by an ObjectListView subclass."""
    from django.urls import URLResolver, get_resolver

    from chuangwei.core.views import ObjectListView

    def walk(patterns: list[Any], namespace: str) -> Any:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
                continue
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, ObjectListView):
                yield f"{namespace}:{pattern.name}"

    return set(walk(get_resolver().url_patterns, ""))


def list_endpoints() -> set[str]:
    from chuangwei.api_urls import router

    return {
        f"/api/v1/{prefix}/"
        for prefix, viewset, _name in router.registry
        if hasattr(viewset, "list")
    }


def test_every_list_is_pinned() -> None:
    pinned_pages = {listing.url for listing in PAGES}
    pinned_endpoints = {listing.url for listing in ENDPOINTS}
    assert object_list_routes() - pinned_pages == set()
    assert list_endpoints() - pinned_endpoints - set(NOT_ROWS) == set()
    assert set(NOT_ROWS) <= list_endpoints()
