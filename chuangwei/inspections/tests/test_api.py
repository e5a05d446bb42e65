"""The inspections API: scope, authorisation matrix, the one error shape, scoring actions."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from chuangwei.inspections.models import Deduction, InspectionTask, PatrolCheckin, SamplingDraw
from chuangwei.problems.models import Problem

BASE = "/api/v1"


@pytest.mark.parametrize(
    "url",
    [
        "score-sheets",
        "inspection-tasks",
        "site-results",
        "sampling-draws",
        "patrol-checkins",
        "inspection-projections",
        "patrol-coverage",
    ],
)
def test_anonymous_is_refused_everywhere(api_as: Any, insp: dict[str, Any], url: str) -> None:
    response = api_as("anonymous").get(f"{BASE}/{url}/")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("office", 2),
        ("inspector", 2),
        ("handler_a", 1),
        ("handler_b", 1),
        ("leader", 2),
        ("grid_worker", 1),
    ],
)
def test_site_results_follow_scope(api_as: Any, finished: Any, persona: str, count: int) -> None:
    assert api_as(persona).get(f"{BASE}/site-results/").json()["count"] == count


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("office", 201),
        ("inspector", 403),
        ("handler_a", 403),
        ("grid_worker", 403),
        ("leader", 403),
        ("supervisor", 403),
    ],
)
def test_create_task_matrix(api_as: Any, insp: dict[str, Any], persona: str, status: int) -> None:
    response = api_as(persona).post(
        f"{BASE}/inspection-tasks/",
        {
            "name": "暗访",
            "kind": "covert",
            "planned_date": "2026-03-02",
            "sites": [insp["site_a"].pk],
        },
        format="json",
    )
    assert response.status_code == status
    assert InspectionTask.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 201),
        ("inspector", 201),
        ("handler_a", 404),
        ("grid_worker", 404),
        ("leader", 404),
        ("supervisor", 403),
    ],
)
def test_deduct_matrix(
    api_as: Any, task: Any, insp: dict[str, Any], persona: str, status: int
) -> None:
    task.team.add(insp["supervisor"])  # in the team, but a supervisor does not score
    response = api_as(persona).post(
        f"{BASE}/inspection-tasks/{task.pk}/deduct/",
        {"site": insp["site_a"].pk, "item": insp["clean"].pk, "points": "2", "note": "积水"},
        format="json",
    )
    assert response.status_code == status
    assert Problem.objects.count() == (1 if status == 201 else 0)


def test_deduct_returns_the_problem_link(api_as: Any, task: Any, insp: dict[str, Any]) -> None:
    body = (
        api_as("inspector")
        .post(
            f"{BASE}/inspection-tasks/{task.pk}/deduct/",
            {"site": insp["site_a"].pk, "item": insp["clean"].pk, "points": "2.5", "note": "积水"},
            format="json",
        )
        .json()
    )
    problem = Problem.objects.get()
    assert (body["problem"], body["points"], problem.points_lost) == (problem.pk, "2.50", D("2.50"))


def test_site_outside_the_task_gets_the_error_shape(
    api_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    from chuangwei.places.tests.factories import SiteFactory

    other = SiteFactory(site_type=insp["market"], lng=117.305, lat=34.806)
    response = api_as("inspector").post(
        f"{BASE}/inspection-tasks/{task.pk}/deduct/",
        {"site": other.pk, "item": insp["clean"].pk, "points": "2", "note": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "site_not_in_task"
    assert Deduction.objects.count() == 0


def test_deduction_beyond_cap_gets_the_error_shape(
    api_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    response = api_as("inspector").post(
        f"{BASE}/inspection-tasks/{task.pk}/deduct/",
        {"site": insp["site_a"].pk, "item": insp["clean"].pk, "points": "10.5", "note": "x"},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "deduction_over_cap")
    assert Problem.objects.count() == 0


def test_band_finish_submit_review_over_the_api(
    api_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    api = api_as("inspector")
    for site in (insp["site_a"], insp["site_b"]):
        api.post(
            f"{BASE}/inspection-tasks/{task.pk}/band/",
            {"site": site.pk, "item": insp["look"].pk, "band": "好", "score": "19"},
            format="json",
        )
        finished = api.post(
            f"{BASE}/inspection-tasks/{task.pk}/finish-site/", {"site": site.pk}, format="json"
        ).json()
    assert (finished["status"], finished["obtained"]) == ("done", "29.00")
    assert (
        api.post(f"{BASE}/inspection-tasks/{task.pk}/submit/", {}, format="json").json()["status"]
        == "submitted"
    )
    assert (
        api.post(f"{BASE}/inspection-tasks/{task.pk}/review/", {}, format="json").status_code == 403
    )
    assert (
        api_as("office")
        .post(f"{BASE}/inspection-tasks/{task.pk}/review/", {}, format="json")
        .json()["status"]
        == "reviewed"
    )


def test_task_list_query_count(
    api_as: Any, task: Any, insp: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from chuangwei.inspections import services

    for n in range(3):
        services.create_task(
            name=f"t{n}",
            kind="open",
            planned_date=task.planned_date,
            sites=[insp["site_a"]],
            by=insp["office"],
        )
    api = api_as("office")
    with django_assert_num_queries(5):
        assert api.get(f"{BASE}/inspection-tasks/").json()["count"] == 4


@pytest.mark.parametrize(
    ("persona", "status"), [("office", 201), ("admin", 201), ("inspector", 403), ("handler_a", 403)]
)
def test_sampling_draw_matrix(api_as: Any, insp: dict[str, Any], persona: str, status: int) -> None:
    response = api_as(persona).post(
        f"{BASE}/sampling-draws/",
        {
            "seed": 3,
            "quotas": [{"site_type": "market", "district": insp["district"].pk, "count": 1}],
        },
        format="json",
    )
    assert response.status_code == status
    assert SamplingDraw.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("grid_worker", 201), ("admin", 201), ("handler_a", 403), ("office", 403), ("inspector", 403)],
)
def test_checkin_matrix(api_as: Any, insp: dict[str, Any], persona: str, status: int) -> None:
    response = api_as(persona).post(
        f"{BASE}/patrol-checkins/", {"lng": 117.305, "lat": 34.805}, format="json"
    )
    assert response.status_code == status
    assert PatrolCheckin.objects.count() == (1 if status == 201 else 0)


def test_projection_endpoint_without_national_sheet(api_as: Any, insp: dict[str, Any]) -> None:
    body = api_as("leader").get(f"{BASE}/inspection-projections/").json()
    assert (body["expected"], body["parts"]) == ("0.0", [])


@pytest.mark.parametrize(
    ("persona", "count"), [("office", 2), ("inspector", 2), ("handler_a", 0), ("leader", 0)]
)
def test_planned_results_are_hidden_from_units(
    api_as: Any, task: Any, persona: str, count: int
) -> None:
    assert api_as(persona).get(f"{BASE}/site-results/").json()["count"] == count


@pytest.mark.parametrize(
    ("persona", "count"), [("office", 1), ("inspector", 1), ("handler_a", 0), ("leader", 0)]
)
def test_draws_are_hidden_from_units(
    api_as: Any, insp: dict[str, Any], persona: str, count: int
) -> None:
    from chuangwei.inspections import services

    services.draw_sample(
        name="d", quotas={("market", insp["district"].pk): 1}, seed=1, by=insp["office"]
    )
    assert api_as(persona).get(f"{BASE}/sampling-draws/").json()["count"] == count


def test_sheet_publish_is_for_the_office(api_as: Any, insp: dict[str, Any]) -> None:
    sheet = insp["sheet"]
    assert (
        api_as("inspector")
        .post(f"{BASE}/score-sheets/{sheet.pk}/new-version/", {}, format="json")
        .status_code
        == 403
    )
    assert (
        api_as("office")
        .post(f"{BASE}/score-sheets/{sheet.pk}/new-version/", {}, format="json")
        .json()["version"]
        == 2
    )


def test_site_results_list_query_count(
    api_as: Any, finished: Any, insp: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from chuangwei.inspections import services

    for n in range(3):
        services.create_task(
            name=f"t{n}",
            kind="open",
            planned_date=finished.planned_date,
            sites=[insp["site_a"]],
            by=insp["office"],
        )
    api = api_as("handler_a")
    with django_assert_num_queries(3):
        assert api.get(f"{BASE}/site-results/").json()["count"] == 1


# A plausible point, one limit per field ------------------------------------------------------

PARIS = {"lng": 2.3522, "lat": 48.8566}


def test_checkin_at_paris_is_refused(api_as: Any, insp: dict[str, Any]) -> None:
    response = api_as("grid_worker").post(f"{BASE}/patrol-checkins/", PARIS, format="json")
    error = response.json()["error"]
    assert (response.status_code, error["code"], sorted(error["fields"])) == (
        400,
        "outside_city",
        ["lat", "lng"],
    )
    assert PatrolCheckin.objects.count() == 0


def test_deduction_with_a_gps_fix_at_paris_is_refused(
    api_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    response = api_as("inspector").post(
        f"{BASE}/inspection-tasks/{task.pk}/deduct/",
        {"site": insp["site_a"].pk, "item": insp["clean"].pk, "points": "2", "note": "x", **PARIS},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "outside_city")
    assert (Deduction.objects.count(), Problem.objects.count()) == (0, 0)


def test_deduction_with_a_gps_fix_in_the_city_keeps_it(
    api_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    response = api_as("inspector").post(
        f"{BASE}/inspection-tasks/{task.pk}/deduct/",
        {"site": insp["site_a"].pk, "item": insp["clean"].pk, "points": "2", "note": "x"}
        | {"lng": 117.305, "lat": 34.805},
        format="json",
    )
    assert response.status_code == 201
    assert Deduction.objects.values_list("lng", "lat").get() == (117.305, 34.805)
