"""Management pages: client applications (keys) and service attributes, office and admin only."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.open311.tests.conftest import KEY
from chuangwei.open311.tests.helpers import BASE

pytestmark = pytest.mark.django_db

MANAGERS = ["admin", "office"]
OTHERS = ["handler_a", "grid_worker", "inspector", "leader", "supervisor"]


@pytest.mark.parametrize("persona", MANAGERS + OTHERS + ["anonymous"])
def test_client_list_access(o311: dict[str, Any], client_as: Any, persona: str) -> None:
    response = client_as(persona).get("/open311/v2/manage/clients/")
    if persona in MANAGERS:
        assert response.status_code == 200
        assert "市民随手拍" in response.content.decode()
        assert KEY not in response.content.decode()
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_client_list_query_count(
    o311: dict[str, Any], client_as: Any, django_assert_num_queries: Any
) -> None:
    from chuangwei.open311 import services
    from chuangwei.open311.models import Open311Client

    for index in range(15):
        services.create_client(Open311Client(name=f"应用{index}"), by=None)
    office = client_as("office")
    with django_assert_num_queries(6):
        response = office.get("/open311/v2/manage/clients/")
    assert response.status_code == 200


def test_create_shows_the_key_once_and_stores_only_a_hash(
    o311: dict[str, Any], client_as: Any
) -> None:
    from chuangwei.open311.models import Open311Client
    from chuangwei.open311.selectors import client_for_key

    office = client_as("office")
    response = office.post(
        "/open311/v2/manage/clients/new/",
        {"name": "12345 热线对接", "contact": "王工 0632-1234567", "rate_limit": 60, "note": ""},
    )
    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("o311_")
    assert key in response.content.decode()
    created = Open311Client.objects.get(name="12345 热线对接")
    assert created.key_hash != key
    assert key not in created.key_hash
    assert created.created_by == o311["office"]
    assert client_for_key(key) == created
    detail = office.get(f"/open311/v2/manage/clients/{created.pk}/")
    assert key not in detail.content.decode()


def test_create_with_a_taken_name_shows_an_error(o311: dict[str, Any], client_as: Any) -> None:
    from chuangwei.open311.models import Open311Client

    response = client_as("office").post(
        "/open311/v2/manage/clients/new/", {"name": "市民随手拍", "rate_limit": 30}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Open311Client.objects.count() == 1


@pytest.mark.parametrize("persona", OTHERS)
def test_others_cannot_create_rotate_or_revoke(
    o311: dict[str, Any], client_as: Any, persona: str
) -> None:
    from chuangwei.open311.models import Open311Client

    user = client_as(persona)
    pk = o311["client"].pk
    assert (
        user.post("/open311/v2/manage/clients/new/", {"name": "x", "rate_limit": 1}).status_code
        == 403
    )
    assert user.post(f"/open311/v2/manage/clients/{pk}/rotate/").status_code == 403
    assert user.post(f"/open311/v2/manage/clients/{pk}/revoke/").status_code == 403
    client = Open311Client.objects.get()
    assert client.is_active
    assert client.key_hash == o311["client"].key_hash


def test_rotate_replaces_the_key(o311: dict[str, Any], client_as: Any, client: Any) -> None:
    from chuangwei.open311.selectors import client_for_key
    from chuangwei.open311.tests.test_post import fms_fields

    response = client_as("admin").post(f"/open311/v2/manage/clients/{o311['client'].pk}/rotate/")
    new_key = response.context["key"]
    assert client_for_key(KEY) is None
    assert client_for_key(new_key) == o311["client"]
    assert client.post(BASE + "requests.json", fms_fields()).status_code == 403
    assert client.post(BASE + "requests.json", fms_fields(api_key=new_key)).status_code == 201


def test_revoke_stops_the_key(o311: dict[str, Any], client_as: Any) -> None:
    office = client_as("office")
    pk = o311["client"].pk
    response = office.post(f"/open311/v2/manage/clients/{pk}/revoke/", follow=True)
    assert response.redirect_chain == [(f"/open311/v2/manage/clients/{pk}/", 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    o311["client"].refresh_from_db()
    assert not o311["client"].is_active
    assert o311["client"].revoked_at is not None
    again = office.post(f"/open311/v2/manage/clients/{pk}/revoke/", follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    rotate = office.post(f"/open311/v2/manage/clients/{pk}/rotate/", follow=True)
    assert [m.level_tag for m in rotate.context["messages"]] == ["error"]
    o311["client"].refresh_from_db()
    assert not o311["client"].is_active


def test_client_detail_lists_its_requests(
    o311: dict[str, Any], client_as: Any, client: Any
) -> None:
    from chuangwei.open311.tests.test_post import fms_fields

    code = client.post(BASE + "requests.json", fms_fields()).json()[0]["service_request_id"]
    page = client_as("office").get(f"/open311/v2/manage/clients/{o311['client'].pk}/")
    assert code in page.content.decode()


@pytest.mark.parametrize("persona", MANAGERS + OTHERS)
def test_attribute_list_access(o311: dict[str, Any], client_as: Any, persona: str) -> None:
    response = client_as(persona).get("/open311/v2/manage/attributes/")
    assert response.status_code == (200 if persona in MANAGERS else 403)


def test_defaults_are_created_once(o311: dict[str, Any], client_as: Any) -> None:
    from chuangwei.open311.models import ServiceAttribute

    office = client_as("office")
    office.post("/open311/v2/manage/attributes/defaults/")
    assert ServiceAttribute.objects.count() == 6  # 3 defaults × 2 public services
    office.post("/open311/v2/manage/attributes/defaults/")
    assert ServiceAttribute.objects.count() == 6
    assert (
        client_as("grid_worker").post("/open311/v2/manage/attributes/defaults/").status_code == 403
    )


def test_create_attribute(o311: dict[str, Any], client_as: Any, client: Any) -> None:
    from chuangwei.open311.models import ServiceAttribute

    response = client_as("office").post(
        "/open311/v2/manage/attributes/new/",
        {
            "category": o311["road"].pk,
            "code": "surface",
            "description": "路面类型？",
            "datatype": "singlevaluelist",
            "required": "on",
            "variable": "on",
            "order": 1,
            "values": '[{"key": "asphalt", "name": "沥青"}, {"key": "brick", "name": "砖"}]',
        },
    )
    assert response.status_code == 302
    attribute = ServiceAttribute.objects.get()
    assert attribute.values == [{"key": "asphalt", "name": "沥青"}, {"key": "brick", "name": "砖"}]
    data = client.get(BASE + "services/06012.json").json()
    assert [a["code"] for a in data["attributes"]] == ["surface"]


@pytest.mark.parametrize(
    ("category", "values"),
    [
        ("road", ""),  # a choice list without values
        ("road", "not json"),
        ("road", '[{"key": "a"}]'),
        ("road", '[{"key": "a", "name": "甲"}, {"key": "a", "name": "乙"}]'),
        ("internal", '[{"key": "a", "name": "甲"}]'),  # not a public service
    ],
)
def test_bad_attribute_is_refused(
    o311: dict[str, Any], client_as: Any, category: str, values: str
) -> None:
    from chuangwei.open311.models import ServiceAttribute

    response = client_as("office").post(
        "/open311/v2/manage/attributes/new/",
        {
            "category": o311[category].pk,
            "code": "surface",
            "description": "路面类型？",
            "datatype": "singlevaluelist",
            "order": 1,
            "values": values,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ServiceAttribute.objects.count() == 0


def test_edit_changes_the_client_and_keeps_the_key(o311: dict[str, Any], client_as: Any) -> None:
    from django.urls import reverse

    from chuangwei.open311.models import Open311Client
    from chuangwei.open311.selectors import client_for_key

    pk = o311["client"].pk
    response = client_as("office").post(
        reverse("open311:client_update", args=[pk]),
        {"name": "随手拍", "contact": "", "rate_limit": 30, "note": "改名"},
    )
    assert response.status_code == 302
    assert Open311Client.objects.filter(pk=pk).values_list("name", "rate_limit").get() == (
        "随手拍",
        30,
    )
    assert client_for_key(KEY) == o311["client"]
