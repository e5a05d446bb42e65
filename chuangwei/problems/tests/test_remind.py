"""Who may 催办 (remind): the office, administrators and leaders for problems in their scope
(DESIGN.md §2: leaders "can issue 督办 instructions"); handlers, grid workers, inspectors and
supervisors may not. Bulk remind on the ledger list stays the office's tool."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwei.accounts.choices import Role
from chuangwei.problems import workflow

from .test_transitions import drive, snapshot

PERSONAS = [
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
    "anonymous",
]
REMINDERS = {"admin", "office", "leader"}


def _ui_expected(persona: str) -> int:
    if persona in REMINDERS:
        return 302
    return {"anonymous": 302, "handler_b": 404}.get(persona, 403)


def _api_expected(persona: str) -> int:
    if persona in REMINDERS:
        return 200
    return {"anonymous": 401, "handler_b": 404}.get(persona, 403)


def test_workflow_lets_exactly_office_admin_and_leader_remind():
    assert workflow.STEPS["remind"].roles == {Role.ADMIN, Role.OFFICE, Role.LEADER}


@pytest.mark.parametrize("state", ["dispatched", "paused"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_remind_page_matrix(client_as, ledger, report, persona, state):
    problem = drive(ledger, report, state)
    before = snapshot(problem)
    response = client_as(persona).post(reverse("problems:problem_remind", args=[problem.pk]))
    assert response.status_code == _ui_expected(persona)
    after = snapshot(problem)
    if persona in REMINDERS:
        assert after[2] == before[2] + 1
        assert problem.events.order_by("-id").first().action == "remind"
    else:
        assert after == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_remind_api_matrix_on_a_paused_problem(api_as, ledger, report, persona):
    problem = drive(ledger, report, "paused")
    before = snapshot(problem)
    response = api_as(persona).post(f"/api/v1/problems/{problem.pk}/remind/", {}, format="json")
    assert response.status_code == _api_expected(persona)
    if persona not in REMINDERS:
        assert snapshot(problem) == before


def _leader_of_another_district(org_tree):
    from chuangwei.accounts.models import Membership, User
    from chuangwei.org.choices import OrgUnitKind
    from chuangwei.org.services import create_org_unit

    other = create_org_unit(
        code="370403", name="乙区", kind=OrgUnitKind.DISTRICT, parent=org_tree["city"]
    )
    user = User.objects.create_user(username="leader_b", password="x")
    Membership.objects.create(user=user, unit=other, role=Role.LEADER)
    return user


def test_leader_outside_the_scope_cannot_remind_through_the_api(ledger, report, org_tree):
    from rest_framework.test import APIClient

    problem = drive(ledger, report, "dispatched")
    before = snapshot(problem)
    client = APIClient()
    client.force_authenticate(_leader_of_another_district(org_tree))
    response = client.post(f"/api/v1/problems/{problem.pk}/remind/", {}, format="json")
    assert (response.status_code, snapshot(problem)) == (404, before)


def test_leader_outside_the_scope_cannot_remind_through_the_page(ledger, report, org_tree):
    from django.test import Client

    problem = drive(ledger, report, "dispatched")
    before = snapshot(problem)
    client = Client()
    client.force_login(_leader_of_another_district(org_tree))
    response = client.post(reverse("problems:problem_remind", args=[problem.pk]))
    assert (response.status_code, snapshot(problem)) == (404, before)


def test_leader_sees_the_remind_button(client_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    response = client_as("leader").get(reverse("problems:problem_detail", args=[problem.pk]))
    assert [a["name"] for a in response.context["actions"]] == ["comment", "remind"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_bulk_remind_is_the_office_tool(client_as, ledger, report, persona):
    problem = drive(ledger, report, "dispatched")
    before = snapshot(problem)
    response = client_as(persona).post(reverse("problems:bulk_remind"), {"ids": [problem.pk]})
    if persona in {"admin", "office"}:
        assert (response.status_code, snapshot(problem)[2]) == (302, before[2] + 1)
    else:
        assert response.status_code == (302 if persona == "anonymous" else 403)
        assert snapshot(problem) == before


def _reported_by_a_leader_of_another_district(ledger, report, org_tree):
    """A dispatched problem of 甲区 whose reporter leads 乙区 (a reporter sees it)."""
    from chuangwei.problems.models import Problem

    problem = drive(ledger, report, "dispatched")
    leader = _leader_of_another_district(org_tree)
    Problem.objects.filter(pk=problem.pk).update(reporter=leader)
    return Problem.objects.get(pk=problem.pk), leader


def test_leader_of_another_district_gets_404_on_the_detail_page(ledger, report, org_tree):
    from django.test import Client

    problem = drive(ledger, report, "dispatched")
    client = Client()
    client.force_login(_leader_of_another_district(org_tree))
    response = client.get(reverse("problems:problem_detail", args=[problem.pk]))
    assert response.status_code == 404


def test_leader_who_reported_elsewhere_is_not_offered_remind(ledger, report, org_tree):
    from django.test import Client

    problem, leader = _reported_by_a_leader_of_another_district(ledger, report, org_tree)
    client = Client()
    client.force_login(leader)
    response = client.get(reverse("problems:problem_detail", args=[problem.pk]))
    assert [a["name"] for a in response.context["actions"]] == ["comment"]


def test_leader_who_reported_elsewhere_cannot_remind_through_the_page(ledger, report, org_tree):
    from django.test import Client

    problem, leader = _reported_by_a_leader_of_another_district(ledger, report, org_tree)
    before = snapshot(problem)
    client = Client()
    client.force_login(leader)
    response = client.post(reverse("problems:problem_remind", args=[problem.pk]))
    assert (response.status_code, snapshot(problem)) == (403, before)


def test_leader_who_reported_elsewhere_cannot_remind_through_the_api(ledger, report, org_tree):
    from rest_framework.test import APIClient

    problem, leader = _reported_by_a_leader_of_another_district(ledger, report, org_tree)
    before = snapshot(problem)
    client = APIClient()
    client.force_authenticate(leader)
    response = client.post(f"/api/v1/problems/{problem.pk}/remind/", {}, format="json")
    assert (response.status_code, snapshot(problem)) == (403, before)


def test_leader_who_reported_elsewhere_cannot_remind_through_the_service(ledger, report, org_tree):
    from chuangwei.problems import services

    problem, leader = _reported_by_a_leader_of_another_district(ledger, report, org_tree)
    before = snapshot(problem)
    with pytest.raises(workflow.ActionForbidden):
        services.remind_problem(problem, by=leader)
    assert snapshot(problem) == before
