"""/api/v1/users/ and /api/v1/memberships/: who may change accounts, and the last
administrator (``admin`` is the only one in the persona city)."""

from __future__ import annotations

from typing import Any

import pytest

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
MANAGERS = {"admin", "office"}


def _state() -> list[tuple[Any, ...]]:
    users = list(User.objects.order_by("pk").values_list("pk", "is_active", "phone"))
    roles = list(Membership.objects.order_by("pk").values_list("pk", "user_id", "unit_id", "role"))
    return [*users, *roles]


def _denied(persona: str) -> int:
    return 401 if persona == "anonymous" else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_deactivate_a_handler_matrix(api_as, personas, persona):
    target = personas["handler_b"]
    before = _state()
    response = api_as(persona).patch(
        f"/api/v1/users/{target.pk}/", {"is_active": False}, format="json"
    )
    if persona in MANAGERS:
        assert response.status_code == 200
        assert User.objects.get(pk=target.pk).is_active is False
    else:
        assert response.status_code == _denied(persona)
        assert _state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_deactivate_the_last_admin_matrix(api_as, personas, persona):
    """Nobody can, the administrator themself included; office is not even allowed to try."""
    target = personas["admin"]
    before = _state()
    response = api_as(persona).patch(
        f"/api/v1/users/{target.pk}/", {"is_active": False}, format="json"
    )
    expected = {"admin": 409, "office": 403}.get(persona, _denied(persona))
    assert response.status_code == expected
    assert _state() == before


def test_admin_deactivating_themself_gets_last_admin(api_as, personas):
    admin = personas["admin"]
    response = api_as("admin").patch(
        f"/api/v1/users/{admin.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["fields"]) == ("last_admin", {})
    assert "administrator" in error["message"] or "管理员" in error["message"]
    assert User.objects.get(pk=admin.pk).is_active is True


def test_deleting_the_last_admin_gets_last_admin(api_as, personas):
    admin = personas["admin"]
    response = api_as("admin").delete(f"/api/v1/users/{admin.pk}/")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "last_admin")
    assert User.objects.filter(pk=admin.pk).exists()


def test_revoking_the_last_admin_role_gets_last_admin(api_as, personas):
    membership = Membership.objects.get(user=personas["admin"], role=Role.ADMIN)
    response = api_as("admin").delete(f"/api/v1/memberships/{membership.pk}/")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "last_admin")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_changing_the_last_admin_role_gets_last_admin(api_as, personas):
    membership = Membership.objects.get(user=personas["admin"], role=Role.ADMIN)
    response = api_as("admin").patch(
        f"/api/v1/memberships/{membership.pk}/", {"role": Role.OFFICE}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "last_admin")
    assert Membership.objects.get(pk=membership.pk).role == Role.ADMIN


def test_moving_the_last_admin_role_to_another_unit_is_fine(api_as, personas, org_tree):
    membership = Membership.objects.get(user=personas["admin"], role=Role.ADMIN)
    response = api_as("admin").patch(
        f"/api/v1/memberships/{membership.pk}/", {"unit": org_tree["district"].pk}, format="json"
    )
    assert response.status_code == 200
    assert Membership.objects.get(pk=membership.pk).unit_id == org_tree["district"].pk


def test_a_membership_does_not_move_to_another_user(api_as, personas):
    membership = Membership.objects.get(user=personas["handler_a"])
    response = api_as("admin").patch(
        f"/api/v1/memberships/{membership.pk}/", {"user": personas["handler_b"].pk}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "membership_user")
    assert Membership.objects.get(pk=membership.pk).user_id == personas["handler_a"].pk


@pytest.mark.parametrize("persona", PERSONAS)
def test_revoke_a_handler_role_matrix(api_as, personas, persona):
    membership = Membership.objects.get(user=personas["handler_b"])
    before = _state()
    response = api_as(persona).delete(f"/api/v1/memberships/{membership.pk}/")
    if persona in MANAGERS:
        assert response.status_code == 204
        assert not Membership.objects.filter(pk=membership.pk).exists()
    else:
        assert response.status_code == _denied(persona)
        assert _state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_an_account_matrix(api_as, personas, persona):
    target = User.objects.create_user(username="mistake")
    before = _state()
    response = api_as(persona).delete(f"/api/v1/users/{target.pk}/")
    if persona in MANAGERS:
        assert response.status_code == 204
        assert not User.objects.filter(pk=target.pk).exists()
    else:
        assert response.status_code == _denied(persona)
        assert _state() == before


def test_office_cannot_revoke_the_admin_role(api_as, personas, org_tree):
    """Another admin exists, so only the office's lack of rights refuses this."""
    from chuangwei.accounts import services

    services.grant_membership(
        personas["inspector"], unit=org_tree["city"], role=Role.ADMIN, by=personas["admin"]
    )
    membership = Membership.objects.get(user=personas["admin"], role=Role.ADMIN)
    response = api_as("office").delete(f"/api/v1/memberships/{membership.pk}/")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "admin_only")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_user_is_created_through_the_service_without_a_usable_password(api_as):
    response = api_as("office").post(
        "/api/v1/users/", {"username": "newbie", "display_name": "新人"}, format="json"
    )
    assert response.status_code == 201
    user = User.objects.get(username="newbie")
    assert (user.display_name, user.has_usable_password()) == ("新人", False)
