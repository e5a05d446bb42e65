"""Management API: /api/v1/open311-clients/ and /api/v1/open311-service-attributes/."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.open311.tests.conftest import KEY

pytestmark = pytest.mark.django_db

MANAGERS = ["admin", "office"]
OTHERS = ["handler_a", "grid_worker", "inspector", "leader", "supervisor"]
CLIENTS = "/api/v1/open311-clients/"
ATTRIBUTES = "/api/v1/open311-service-attributes/"


@pytest.mark.parametrize("persona", MANAGERS + OTHERS)
def test_client_list_matrix(o311: dict[str, Any], api_as: Any, persona: str) -> None:
    response = api_as(persona).get(CLIENTS)
    if persona in MANAGERS:
        assert response.status_code == 200
        assert [c["name"] for c in response.json()["results"]] == ["市民随手拍"]
        assert KEY not in response.content.decode()
        assert "key_hash" not in response.content.decode()
    else:
        assert response.status_code == 403


def test_anonymous_gets_401(o311: dict[str, Any], client: Any) -> None:
    response = client.get(CLIENTS)
    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")


def test_create_returns_the_key_once(o311: dict[str, Any], api_as: Any) -> None:
    from chuangwei.open311.selectors import client_for_key

    api = api_as("office")
    response = api.post(CLIENTS, {"name": "12345 热线", "rate_limit": 20}, format="json")
    assert response.status_code == 201
    key = response.json()["api_key"]
    assert client_for_key(key).name == "12345 热线"  # type: ignore[union-attr]
    detail = api.get(f"{CLIENTS}{response.json()['id']}/")
    assert "api_key" not in detail.json()


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"name": "市民随手拍"}, ["name"]),
        ({"name": "x", "rate_limit": 0}, ["rate_limit"]),
        ({}, ["name"]),
    ],
)
def test_bad_create_changes_nothing(
    o311: dict[str, Any], api_as: Any, body: dict[str, Any], bad: list[str]
) -> None:
    from chuangwei.open311.models import Open311Client

    response = api_as("office").post(CLIENTS, body, format="json")
    error = response.json()["error"]
    assert (response.status_code, error["code"], sorted(error["fields"])) == (400, "invalid", bad)
    assert Open311Client.objects.count() == 1


def test_rotate_and_revoke(o311: dict[str, Any], api_as: Any) -> None:
    from chuangwei.open311.selectors import client_for_key

    api = api_as("admin")
    pk = o311["client"].pk
    new_key = api.post(f"{CLIENTS}{pk}/rotate/").json()["api_key"]
    assert client_for_key(KEY) is None
    assert client_for_key(new_key) is not None
    revoked = api.post(f"{CLIENTS}{pk}/revoke/")
    assert revoked.json()["is_active"] is False
    again = api.post(f"{CLIENTS}{pk}/revoke/")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "revoked"
    assert client_for_key(new_key) is None


@pytest.mark.parametrize("persona", OTHERS)
def test_others_cannot_rotate(o311: dict[str, Any], api_as: Any, persona: str) -> None:
    from chuangwei.open311.selectors import client_for_key

    response = api_as(persona).post(f"{CLIENTS}{o311['client'].pk}/rotate/")
    assert response.status_code == 403
    assert client_for_key(KEY) == o311["client"]


def test_attribute_api(o311: dict[str, Any], api_as: Any) -> None:
    api = api_as("office")
    good = {
        "category": o311["road"].pk,
        "code": "surface",
        "datatype": "singlevaluelist",
        "description": "路面类型？",
        "values": [{"key": "asphalt", "name": "沥青"}],
    }
    assert api.post(ATTRIBUTES, good, format="json").status_code == 201
    bad = {**good, "code": "other", "values": []}
    response = api.post(ATTRIBUTES, bad, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "missing_values"
    assert api_as("handler_a").post(ATTRIBUTES, good, format="json").status_code == 403
    assert api_as("handler_a").get(ATTRIBUTES).status_code == 200


def test_list_query_counts(
    o311: dict[str, Any], api_as: Any, django_assert_num_queries: Any
) -> None:
    from chuangwei.open311 import services
    from chuangwei.open311.models import Open311Client

    for index in range(10):
        services.create_client(Open311Client(name=f"应用{index}"), by=None)
    services.create_default_attributes(by=None)
    api = api_as("office")
    with django_assert_num_queries(3):
        assert len(api.get(CLIENTS).json()["results"]) == 11
    with django_assert_num_queries(2):
        assert len(api.get(ATTRIBUTES).json()["results"]) == 6


def test_edit_goes_through_save_client_and_keeps_the_key(o311: dict[str, Any], api_as: Any) -> None:
    from chuangwei.open311.models import Open311Client
    from chuangwei.open311.selectors import client_for_key

    pk = o311["client"].pk
    response = api_as("office").patch(f"{CLIENTS}{pk}/", {"rate_limit": 30}, format="json")
    assert (response.status_code, response.json()["rate_limit"]) == (200, 30)
    assert Open311Client.objects.get(pk=pk).rate_limit == 30
    assert client_for_key(KEY) == o311["client"]
