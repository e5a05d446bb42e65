"""Which rows each persona reads from every list endpoint of /api/v1/, and which ids 404.

The world has a row in every unit of the small city (tests/rows.py): 市, 甲区, 甲街道,
甲一社区, 乙街道, 乙一社区 and 市城管局. The expected readers of each row are written from
the documented rules (docs/api.md "Scope", DESIGN.md §2, docs/inspections.md, the
``visible_to`` querysets), not from what the endpoints answer:

- a membership's scope is its unit's subtree; admin and office see the whole city;
- configuration not tied to a unit is read by every signed-in user;
- a problem is seen through its unit, its department, or by its reporter;
- an inspection is seen by its team, and by a site's unit once submitted;
- an inbox is private; the outbox and the Open311 clients are for admin and office;
- drafts of briefings are for admin and office; the 曝光台 shows approved items to anyone.

Each test covers every persona at once (one world per endpoint), plus ``handler_dept``, a
handler of 市城管局, so the department rule has a reader of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from chuangwei.problems.tests.conftest import ledger  # noqa: F401 - fixture
from tests import rows
from tests.rows import UNITS
from tests.test_list_queries import token_client

READERS = (
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
    "anonymous",
    "handler_dept",
)
SIGNED_IN = frozenset(READERS) - {"anonymous"}
MANAGERS = frozenset({"admin", "office"})
EVERYONE = frozenset(READERS)

# The units whose rows each persona sees: the subtrees of its memberships (conftest.py).
TERRITORY_A = {"street_a", "community_a"}
TERRITORY_B = {"street_b", "community_b"}
SUBTREE = {
    "admin": set(UNITS),
    "office": set(UNITS),
    "inspector": set(UNITS),  # an inspector of the city: every unit lies under it
    "leader": {"district"} | TERRITORY_A | TERRITORY_B,
    "handler_a": TERRITORY_A,
    "supervisor": TERRITORY_A,
    "handler_b": TERRITORY_B,
    "grid_worker": {"community_a"},
    "handler_dept": {"department"},
    "anonymous": set(),
}
MEMBERSHIP_UNIT = {
    "admin": "city",
    "office": "city",
    "inspector": "city",
    "leader": "district",
    "handler_a": "street_a",
    "supervisor": "street_a",
    "handler_b": "street_b",
    "grid_worker": "community_a",
    "handler_dept": "department",
}


def scoped(*units: str | None) -> frozenset[str]:
    """Who sees a row owned by any of ``units``."""
    return frozenset(p for p in SIGNED_IN if SUBTREE[p] & set(units))


@dataclass(frozen=True)
class Row:
    id: int
    seen_by: frozenset[str]


Build = Callable[[dict[str, Any]], dict[str, Row]]


def per_unit(
    make: Callable[..., list[Any]], seen_by: Callable[[str], frozenset[str]] = scoped
) -> Build:
    """One row of each unit, named by the unit."""

    def build(w: dict[str, Any]) -> dict[str, Row]:
        return {
            unit: Row(obj.pk, seen_by(unit))
            for unit, obj in zip(UNITS, make(w, list(UNITS)), strict=True)
        }

    return build


def every_row(
    make: Callable[..., list[Any]], model: str, seen_by: frozenset[str] = SIGNED_IN, **filters: Any
) -> Build:
    """Shared configuration: every row of the table (made here or in the world) for everyone."""

    def build(w: dict[str, Any]) -> dict[str, Row]:
        make(w, list(UNITS))
        pks = apps.get_model(model).objects.filter(**filters).values_list("pk", flat=True)
        return {f"{model}#{pk}": Row(pk, seen_by) for pk in pks}

    return build


def with_world_units(make: Callable[..., list[Any]]) -> Build:
    """The org tree's own units, and a new unit under each of them."""

    def build(w: dict[str, Any]) -> dict[str, Row]:
        made = {
            f"under {unit}": Row(obj.pk, scoped(unit))
            for unit, obj in zip(UNITS, make(w, list(UNITS)), strict=True)
        }
        return made | {unit: Row(w[unit].pk, scoped(unit)) for unit in UNITS}

    return build


def people_and_members(w: dict[str, Any], key: Callable[[Any], Any]) -> dict[str, Row]:
    """Users (or memberships): the personas' and a new handler of each unit."""
    made = rows.users(w, list(UNITS))
    found = {
        f"user of {unit}": Row(key(user), scoped(unit))
        for unit, user in zip(UNITS, made, strict=True)
    }
    for persona, unit in MEMBERSHIP_UNIT.items():
        found[persona] = Row(key(w[persona]), scoped(unit))
    return found


def problem_readers(unit: str) -> frozenset[str]:
    # rows.problems puts the department's problem in 乙一社区's territory, dispatched to 市城管局.
    return scoped("community_b", "department") if unit == "department" else scoped(unit)


def problems_world(
    make: Callable[..., list[Any]], pick: Callable[[Any], Any] = lambda p: p
) -> Build:
    """A problem of each unit, and one the grid worker reported in 乙一社区 (outside its scope)."""

    def build(w: dict[str, Any]) -> dict[str, Row]:
        from chuangwei.problems.models import Problem

        found = {
            unit: Row(pick(obj).pk, problem_readers(unit))
            for unit, obj in zip(UNITS, make(w, list(UNITS)), strict=True)
        }
        own = make(w, ["community_b"])[0]
        problem = own if isinstance(own, Problem) else own.problem
        Problem.objects.filter(pk=problem.pk).update(reporter=w["grid_worker"])
        found["reported by grid_worker in 乙一社区"] = Row(
            pick(own).pk, scoped("community_b") | {"grid_worker"}
        )
        return found

    return build


def inspections_world(pick: Callable[[Any], Any]) -> Build:
    """A submitted inspection of a site of each unit, and a planned one of 甲街道's site."""

    def build(w: dict[str, Any]) -> dict[str, Row]:
        team = frozenset({"inspector"}) | MANAGERS
        found = {
            unit: Row(pick(task).pk, scoped(unit) | team)
            for unit, task in zip(UNITS, rows.tasks(w, list(UNITS)), strict=True)
        }
        planned = rows.planned_tasks(w, ["street_a"])[0]
        found["planned in 甲街道"] = Row(pick(planned).pk, team)
        return found

    return build


def checkins_world(w: dict[str, Any]) -> dict[str, Row]:
    """A check-in in a grid of each unit, and one of the grid worker in 乙一社区's grid."""
    from chuangwei.inspections.models import PatrolCheckin

    found = {
        unit: Row(c.pk, scoped(unit))
        for unit, c in zip(UNITS, rows.checkins(w, list(UNITS)), strict=True)
    }
    grid = rows.grids(w, ["community_b"])[0]
    own = PatrolCheckin.objects.create(
        worker=w["grid_worker"],
        grid=grid,
        lng=grid.bbox_min_lng,
        lat=grid.bbox_min_lat,
        at=rows.NOW,
    )
    found["grid_worker in 乙一社区"] = Row(own.pk, scoped("community_b") | {"grid_worker"})
    return found


def notifications_world(w: dict[str, Any]) -> dict[str, Row]:
    from chuangwei.notifications.tests.factories import NotificationFactory

    return {p: Row(NotificationFactory(recipient=w[p]).pk, frozenset({p})) for p in SIGNED_IN}


def briefings_world(w: dict[str, Any]) -> dict[str, Row]:
    published, draft = rows.briefings(w, ["city"])[0], rows.draft_briefings(w, ["city"])[0]
    return {"published": Row(published.pk, SIGNED_IN), "draft": Row(draft.pk, MANAGERS)}


def exposures_world(w: dict[str, Any]) -> dict[str, Row]:
    found = {
        unit: Row(e.pk, EVERYONE)
        for unit, e in zip(UNITS, rows.exposures(w, list(UNITS)), strict=True)
    }
    found["pending"] = Row(rows.pending_exposures(w, ["street_a"])[0].pk, frozenset())
    return found


def public_categories_world(w: dict[str, Any]) -> dict[str, Row]:
    shown = rows.public_categories(w, ["city", "city"])
    hidden = rows.public_categories(w, ["city"])[0]
    hidden.is_active = False
    hidden.save()
    found = {f"active {c.pk}": Row(c.pk, EVERYONE) for c in shown}
    found["inactive"] = Row(hidden.pk, frozenset())
    return found


def coverage_world(w: dict[str, Any]) -> dict[str, Row]:
    """Grid workers of a grid of each unit (a row per worker with a login)."""
    found = {}
    for unit, grid in zip(UNITS, rows.grids(w, list(UNITS)), strict=True):
        for person in grid.workers.all():
            found[f"{person.name} of {unit}"] = Row(person.user_id, scoped(unit))
    return found


def communities_world(w: dict[str, Any]) -> dict[str, Row]:
    """Every community is ranked, for every signed-in reader (docs/rankings.md)."""
    from chuangwei.org.models import OrgUnit

    rows.org_units(w, list(UNITS))
    return {u.name: Row(u.pk, SIGNED_IN) for u in OrgUnit.objects.filter(kind="community")}


@dataclass(frozen=True)
class Endpoint:
    url: str
    build: Build
    public: bool = False  # anonymous callers read it too
    managers_only: bool = False  # everyone else gets 403
    detail: bool = True
    key: str = "id"
    query: dict[str, str] | None = None


ENDPOINTS = [
    Endpoint("/api/v1/users/", lambda w: people_and_members(w, lambda u: u.pk)),
    Endpoint(
        "/api/v1/memberships/", lambda w: people_and_members(w, lambda u: u.memberships.get().pk)
    ),
    Endpoint("/api/v1/notifications/", notifications_world),
    Endpoint(
        "/api/v1/outbox-messages/",
        per_unit(rows.outbox_messages, lambda u: MANAGERS),
        managers_only=True,
    ),
    Endpoint("/api/v1/org-units/", with_world_units(rows.org_units)),
    Endpoint("/api/v1/work-lines/", every_row(rows.work_lines, "org.WorkLine")),
    Endpoint("/api/v1/people/", per_unit(rows.people)),
    Endpoint("/api/v1/leader-assignments/", per_unit(rows.leader_assignments)),
    Endpoint("/api/v1/responsibility-agreements/", per_unit(rows.agreements)),
    Endpoint(
        "/api/v1/grids/",
        lambda w: (
            per_unit(rows.grids)(w)
            | {
                "GA": Row(w["grid_a"], scoped("community_a")),
                "GB": Row(w["grid_b"], scoped("community_b")),
            }
        ),
    ),
    Endpoint("/api/v1/site-types/", every_row(rows.site_types, "places.SiteType")),
    Endpoint("/api/v1/site-type-groups/", every_row(rows.site_type_groups, "places.SiteTypeGroup")),
    Endpoint("/api/v1/sites/", per_unit(rows.sites)),
    Endpoint("/api/v1/standard-versions/", every_row(rows.versions, "standards.StandardVersion")),
    Endpoint("/api/v1/standard-clauses/", every_row(rows.clauses, "standards.StandardClause")),
    Endpoint("/api/v1/indicators/", every_row(rows.indicators, "standards.Indicator")),
    Endpoint("/api/v1/indicator-values/", per_unit(rows.indicator_values)),
    Endpoint(
        "/api/v1/problem-categories/", every_row(rows.categories, "standards.ProblemCategory")
    ),
    Endpoint("/api/v1/problems/", problems_world(rows.problems)),
    Endpoint("/api/v1/problem-events/", problems_world(rows.problem_events)),
    Endpoint("/api/v1/calendar-days/", every_row(rows.calendar_days, "problems.CalendarDay")),
    Endpoint("/api/v1/deadline-rules/", every_row(rows.deadline_rules, "problems.DeadlineRule")),
    Endpoint("/api/v1/score-sheets/", every_row(rows.sheets, "inspections.ScoreSheet")),
    Endpoint("/api/v1/inspection-tasks/", inspections_world(lambda task: task)),
    Endpoint("/api/v1/site-results/", inspections_world(lambda task: task.results.get())),
    Endpoint(
        "/api/v1/sampling-draws/",
        every_row(
            rows.draws, "inspections.SamplingDraw", frozenset({"admin", "office", "inspector"})
        ),
    ),
    Endpoint("/api/v1/patrol-checkins/", checkins_world),
    Endpoint("/api/v1/patrol-coverage/", coverage_world, detail=False, key="user_id"),
    Endpoint(
        "/api/v1/metrics/",
        communities_world,
        detail=False,
        query={"dimension": "community", "period": "month", "day": "2026-03-15"},
    ),
    Endpoint("/api/v1/ranking-schemes/", every_row(rows.schemes, "rankings.RankingScheme")),
    Endpoint("/api/v1/ranking-snapshots/", every_row(rows.snapshots, "rankings.RankingSnapshot")),
    Endpoint("/api/v1/accountability-records/", per_unit(rows.accountability_records)),
    Endpoint("/api/v1/public-categories/", public_categories_world, public=True),
    Endpoint("/api/v1/exposures/", exposures_world, public=True),
    Endpoint("/api/v1/satisfaction-ratings/", problems_world(rows.ratings)),
    Endpoint(
        "/api/v1/open311-clients/",
        every_row(rows.open311_clients, "open311.Open311Client", MANAGERS),
        managers_only=True,
    ),
    Endpoint(
        "/api/v1/open311-service-attributes/",
        every_row(rows.service_attributes, "open311.ServiceAttribute"),
    ),
    Endpoint("/api/v1/briefings/", briefings_world),
    Endpoint("/api/v1/milestones/", every_row(rows.milestones, "reports.Milestone")),
    Endpoint(
        "/api/v1/condition-events/", every_row(rows.condition_events, "readiness.ConditionEvent")
    ),
    # Evaluation cycles (helper "cycle"): shared rows, and a stage's items seen through their
    # problems.
    Endpoint("/api/v1/evaluation-cycles/", every_row(rows.cycles, "readiness.EvaluationCycle")),
    Endpoint("/api/v1/evaluation-stages/", every_row(rows.stages, "readiness.EvaluationStage")),
    Endpoint("/api/v1/stage-problems/", problems_world(rows.stage_problems)),
    Endpoint("/api/v1/recheck-rounds/", every_row(rows.recheck_rounds, "readiness.RecheckRound")),
]


@pytest.fixture
def world(ledger: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from chuangwei.accounts.models import Membership, User
    from chuangwei.places.models import Grid

    user = User.objects.create_user(
        username="handler_dept", password="x", display_name="handler_dept"
    )
    Membership.objects.create(user=user, unit=ledger["department"], role="handler")
    grids = dict(Grid.objects.values_list("code", "pk"))
    return {**ledger, "handler_dept": user, "grid_a": grids["GA"], "grid_b": grids["GB"]}


def refusal(endpoint: Endpoint, persona: str) -> int | None:
    """The status a persona gets instead of rows, or None when it reads them."""
    if persona == "anonymous" and not endpoint.public:
        return 401
    if endpoint.managers_only and persona not in MANAGERS:
        return 403
    return None


def _id(endpoint: Endpoint) -> str:
    return endpoint.url.removeprefix("/api/v1/").strip("/")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_id)
def test_each_persona_lists_exactly_the_rows_in_its_scope(
    world: dict[str, Any], endpoint: Endpoint
) -> None:
    found = endpoint.build(world)
    label = {row.id: name for name, row in found.items()}
    seen, expected = {}, {}
    for persona in READERS:
        response = token_client(world[persona]).get(
            endpoint.url, {"page_size": 200, **(endpoint.query or {})}
        )
        if refusal(endpoint, persona):
            seen[persona] = response.status_code
            expected[persona] = refusal(endpoint, persona)
            continue
        body = response.json()
        results = body["results"] if isinstance(body, dict) else body
        seen[persona] = sorted(
            label.get(r[endpoint.key], f"unexpected #{r[endpoint.key]}") for r in results
        )
        expected[persona] = sorted(name for name, row in found.items() if persona in row.seen_by)
    assert seen == expected


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.detail], ids=_id)
def test_each_persona_gets_404_for_a_row_outside_its_scope(
    world: dict[str, Any], endpoint: Endpoint
) -> None:
    found = endpoint.build(world)
    seen, expected = {}, {}
    for persona in READERS:
        client = token_client(world[persona])
        for name, row in found.items():
            response = client.get(f"{endpoint.url}{row.id}/")
            seen[(persona, name)] = response.status_code
            expected[(persona, name)] = refusal(endpoint, persona) or (
                200 if persona in row.seen_by else 404
            )
    assert seen == expected


def test_every_list_endpoint_has_its_reader_matrix() -> None:
    from tests.test_list_queries import NOT_ROWS, list_endpoints

    assert list_endpoints() - {e.url for e in ENDPOINTS} == set(NOT_ROWS)
