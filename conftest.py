"""Personas shared by every test module (ARCHITECTURE.md §7).

A small city: 市 › 甲区 › (甲街道 › 甲一社区, 乙街道 › 乙一社区) plus 市城管局.
``handler_a`` works for 甲街道 and ``handler_b`` for 乙街道, so scope tests can show
one cannot see the other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from chuangwei.accounts.choices import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = (
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
    "anonymous",
)
PASSWORD = "Test-pass-2026"


@pytest.fixture
def org_tree(db: Any) -> dict[str, Any]:
    from chuangwei.org.choices import OrgUnitKind
    from chuangwei.org.services import create_org_unit

    city = create_org_unit(code="370400", name="测试市", kind=OrgUnitKind.CITY)
    district = create_org_unit(code="370402", name="甲区", kind=OrgUnitKind.DISTRICT, parent=city)
    street_a = create_org_unit(
        code="370402001", name="甲街道", kind=OrgUnitKind.STREET, parent=district
    )
    street_b = create_org_unit(
        code="370402002", name="乙街道", kind=OrgUnitKind.STREET, parent=district
    )
    community_a = create_org_unit(
        code="370402001001", name="甲一社区", kind=OrgUnitKind.COMMUNITY, parent=street_a
    )
    community_b = create_org_unit(
        code="370402002001", name="乙一社区", kind=OrgUnitKind.COMMUNITY, parent=street_b
    )
    department = create_org_unit(
        code="D-CG", name="市城管局", kind=OrgUnitKind.DEPARTMENT, parent=city
    )
    return {
        "city": city,
        "district": district,
        "street_a": street_a,
        "street_b": street_b,
        "community_a": community_a,
        "community_b": community_b,
        "department": department,
    }


@pytest.fixture
def personas(org_tree: dict[str, Any]) -> dict[str, Any]:
    from chuangwei.accounts.models import Membership, User

    plan = {
        "admin": ("city", Role.ADMIN),
        "office": ("city", Role.OFFICE),
        "handler_a": ("street_a", Role.HANDLER),
        "handler_b": ("street_b", Role.HANDLER),
        "grid_worker": ("community_a", Role.GRID_WORKER),
        "inspector": ("city", Role.INSPECTOR),
        "leader": ("district", Role.LEADER),
        "supervisor": ("street_a", Role.SUPERVISOR),
    }
    users: dict[str, Any] = {"anonymous": None}
    for name, (unit_key, role) in plan.items():
        user = User.objects.create_user(username=name, password=PASSWORD, display_name=name)
        Membership.objects.create(user=user, unit=org_tree[unit_key], role=role)
        users[name] = user
    return users


@pytest.fixture
def client_as(personas: dict[str, Any]) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        client = Client()
        if personas[name] is not None:
            client.force_login(personas[name])
        return client

    return make


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Callable[[str], APIClient]:
    def make(name: str) -> APIClient:
        client = APIClient()
        if personas[name] is not None:
            client.force_authenticate(personas[name])
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_select_choices() -> None:
    """Each test sees filter options built from its own rows."""
    from chuangwei.core import widgets

    widgets._choices_cache.clear()
