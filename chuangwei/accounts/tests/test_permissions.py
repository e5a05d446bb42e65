"""The permission predicates: who passes each one, persona by persona."""

from __future__ import annotations

import pytest

from chuangwei.accounts import permissions as who
from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import Membership, User

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
PASSING = {
    who.can_manage_config: {"admin", "office"},
    who.is_office: {"admin", "office"},
    who.can_read_public_feedback: {"admin", "office", "leader"},
    who.can_plan_inspections: {"admin", "office"},
    who.scores_inspections: {"admin", "office", "inspector", "grid_worker"},
    who.can_patrol: {"admin", "grid_worker"},
    who.can_see_sampling_draws: {"admin", "office", "inspector"},
    who.is_handler: {"handler_a", "handler_b"},
    who.is_grid_worker: {"grid_worker"},
    who.is_volunteer_supervisor_only: {"supervisor"},
}
ON_THE_GROUND = {who.is_handler, who.is_grid_worker, who.is_volunteer_supervisor_only}


@pytest.mark.parametrize("predicate", list(PASSING), ids=lambda p: p.__name__)
def test_predicate_passes_exactly_its_personas(personas, predicate):
    passing = {name for name in PERSONAS if predicate(personas[name])}
    assert passing == PASSING[predicate]


@pytest.mark.parametrize("predicate", list(PASSING), ids=lambda p: p.__name__)
def test_superuser_passes_all_but_the_roles_on_the_ground(db, predicate):
    root = User.objects.create_superuser(username="root", password="x")
    assert predicate(root) is (predicate not in ON_THE_GROUND)


def test_users_with_roles_matches_role_and_unit_of_one_membership(personas, org_tree):
    mixed = User.objects.create_user(username="mixed", password="x")
    Membership.objects.create(user=mixed, unit=org_tree["street_b"], role=Role.HANDLER)
    Membership.objects.create(user=mixed, unit=org_tree["street_a"], role=Role.INSPECTOR)
    found = who.users_with_roles(Role.HANDLER, unit_ids=[org_tree["street_a"].pk])
    assert list(found.values_list("username", flat=True)) == ["handler_a"]
