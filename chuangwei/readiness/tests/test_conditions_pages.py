"""The prerequisite and veto board's page and API, per persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from chuangwei.readiness.models import ConditionEvent

from .test_conditions import record, standard  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
READERS = ["admin", "office", "handler_a", "grid_worker", "inspector", "leader", "supervisor"]
NOT_OFFICE = ["handler_a", "grid_worker", "inspector", "leader", "supervisor"]


@pytest.mark.parametrize("persona", READERS)
def test_every_signed_in_persona_reads_the_board(standard, client_as, persona):  # noqa: F811
    response = client_as(persona).get(reverse("readiness:conditions"), {"year": 2026})
    assert response.status_code == 200
    assert [row.number for row in response.context["rows"]] == ["（二十）", "M1"]
    assert (response.context["form"] is not None) is (persona in ("admin", "office"))


def test_anonymous_is_sent_to_the_login(standard, client_as):  # noqa: F811
    response = client_as("anonymous").get(reverse("readiness:conditions"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def event_post(standard: dict[str, Any], org_tree: dict[str, Any], **data: Any) -> dict[str, Any]:  # noqa: F811
    values = {
        "condition": f"clause:{standard['food'].pk}",
        "unit": org_tree["street_a"].pk,
        "occurred_on": "2026-05-20",
        "title": "食物中毒事件",
    }
    values.update(data)
    return values


def test_the_office_records_an_event_through_the_page(standard, org_tree, client_as):  # noqa: F811
    response = client_as("office").post(
        reverse("readiness:condition_event_record") + "?year=2026", event_post(standard, org_tree)
    )
    assert response.status_code == 302
    event = ConditionEvent.objects.get()
    assert (event.title, event.unit, event.year) == ("食物中毒事件", org_tree["street_a"], 2026)


def test_a_faulty_event_is_shown_again_with_its_errors(standard, org_tree, client_as):  # noqa: F811
    response = client_as("office").post(
        reverse("readiness:condition_event_record") + "?year=2026",
        event_post(standard, org_tree, occurred_on="2999-01-01", title="保留的标题"),
    )
    assert response.status_code == 422
    assert "日期不能晚于今天。" in response.content.decode()
    assert response.context["form"]["title"].value() == "保留的标题"
    assert ConditionEvent.objects.count() == 0


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_records_through_the_page(standard, org_tree, client_as, persona):  # noqa: F811
    response = client_as(persona).post(
        reverse("readiness:condition_event_record"), event_post(standard, org_tree)
    )
    assert response.status_code == 403
    assert ConditionEvent.objects.count() == 0


def test_the_office_withdraws_an_event_through_the_page(standard, org_tree, client_as):  # noqa: F811
    event = record(standard, org_tree["street_a"])
    response = client_as("office").post(
        reverse("readiness:condition_event_withdraw", args=[event.pk]), {"reason": "重复录入"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.withdrawn_reason == "重复录入"


def test_the_api_records_an_event_for_the_office(standard, org_tree, api_as):  # noqa: F811
    response = api_as("office").post(
        "/api/v1/condition-events/",
        {"clause": standard["food"].pk, "unit": org_tree["street_a"].pk,
         "occurred_on": "2026-05-20", "title": "食物中毒事件"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["year"] == 2026


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_the_api_refuses_other_roles_before_reading_the_input(standard, api_as, persona):  # noqa: F811
    response = api_as(persona).post("/api/v1/condition-events/", {"title": 5}, format="json")
    assert response.status_code == 403
    assert ConditionEvent.objects.count() == 0


def test_the_api_board_says_red_after_an_event(standard, org_tree, api_as):  # noqa: F811
    record(standard, org_tree["street_a"])
    body = api_as("leader").get("/api/v1/readiness-conditions/", {"year": 2026}).json()
    assert body["counts"] == {"green": 0, "red": 1, "unknown": 1}
    assert [(r["number"], r["state"]) for r in body["rows"]] == [
        ("（二十）", "red"),
        ("M1", "unknown"),
    ]


def test_the_api_board_refuses_a_unit_that_is_not_a_district(standard, org_tree, api_as):  # noqa: F811
    response = api_as("office").get(
        "/api/v1/readiness-conditions/", {"unit": org_tree["street_a"].pk}
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["unit"]
