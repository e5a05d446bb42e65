"""POST requests: what FixMyStreet's Open311 sender sends is accepted; bad input gets the
spec's error body and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.open311.tests.conftest import IN_A, KEY
from chuangwei.open311.tests.helpers import BASE, children, xml

pytestmark = pytest.mark.django_db


def fms_fields(**overrides: Any) -> dict[str, Any]:
    """The fields perllib/Open311.pm sends (reference §1, "Open311 client side")."""
    fields = {
        "api_key": KEY,
        "jurisdiction_id": "",
        "service_code": "06010",
        "description": "小区门口垃圾堆了三天",
        "first_name": "Li",
        "last_name": "Lei",
        "email": "lilei@example.cn",
        "phone": "13800000000",
        "account_id": "fms-42",
        "lat": str(IN_A[1]),
        "long": str(IN_A[0]),
        "address_string": "光明路 12 号",
        "media_url": [
            "https://fms.example.org/photo/1.jpeg",
            "https://fms.example.org/photo/2.jpeg",
        ],
        "attribute[duration]": "days",
        "attribute[uprn]": "100012345",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def _counts() -> tuple[int, int]:
    from chuangwei.open311.models import Open311Request
    from chuangwei.problems.models import Problem

    return Problem.objects.count(), Open311Request.objects.count()


def test_fms_sender_fields_create_a_problem(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.open311.models import Open311Request

    response = client.post(BASE + "requests.xml", fms_fields())
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    assert children(root[0]) == ["service_request_id", "token", "service_notice", "account_id"]
    record = Open311Request.objects.select_related("problem").get()
    problem = record.problem
    assert root[0].findtext("service_request_id") == problem.code
    assert root[0].findtext("token") == record.token
    assert root[0].findtext("account_id") == "fms-42"
    assert problem.source == "open311"
    assert problem.status == "verifying_report"
    assert problem.category == o311["garbage"]
    assert problem.unit == o311["community_a"]
    assert problem.description == "小区门口垃圾堆了三天"
    assert problem.address == "光明路 12 号"
    assert problem.reporter_name == "Li Lei"
    assert problem.reporter_phone == "13800000000"
    assert problem.reporter is None
    assert record.client == o311["client"]
    assert record.email == "lilei@example.cn"
    assert record.attributes == {"duration": "days", "uprn": "100012345"}
    assert record.media_urls == [
        "https://fms.example.org/photo/1.jpeg",
        "https://fms.example.org/photo/2.jpeg",
    ]
    o311["client"].refresh_from_db()
    assert o311["client"].last_used_at is not None


def test_json_reply_and_token_lookup(o311: dict[str, Any], client: Any) -> None:
    reply = client.post(BASE + "requests.json", fms_fields()).json()
    assert reply[0]["service_notice"]
    token = reply[0]["token"]
    data = client.get(BASE + f"tokens/{token}.json").json()
    assert data == [{"service_request_id": reply[0]["service_request_id"], "token": token}]
    root = xml(client.get(BASE + f"tokens/{token}.xml"))
    assert root.tag == "service_requests"
    assert children(root[0]) == ["service_request_id", "token"]


def test_unknown_token_is_404(o311: dict[str, Any], client: Any) -> None:
    response = client.get(BASE + "tokens/nope.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_multivalue_attribute(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.open311.models import Open311Request, ServiceAttribute

    ServiceAttribute.objects.create(
        category=o311["garbage"],
        code="kinds",
        datatype="multivaluelist",
        required=True,
        description="哪些垃圾？",
        values=[{"key": "food", "name": "厨余"}, {"key": "box", "name": "纸箱"}],
    )
    fields = fms_fields(**{"attribute[kinds][]": ["food", "box"]})
    fields.pop("attribute[duration]")
    assert client.post(BASE + "requests.json", fields).status_code == 201
    assert Open311Request.objects.get().attributes == {
        "kinds": ["food", "box"],
        "uprn": "100012345",
    }


def test_multipart_media_is_stored_as_a_photo(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.problems.models import Problem
    from chuangwei.problems.tests.images import make_jpeg, uploaded

    fields = fms_fields(media=uploaded(make_jpeg(exif_gps=(117.3, 34.8))))
    response = client.post(BASE + "requests.json", fields)
    assert response.status_code == 201
    problem = Problem.objects.get()
    photo = problem.photos.get()
    assert photo.kind == "before"
    listed = client.get(BASE + f"requests/{problem.code}.json").json()[0]
    assert listed["media_url"] == f"http://testserver/media/{photo.public_copy.name}"


def assert_refused(
    client: Any, fields: dict[str, Any], status: int, fmt: str = "json", **extra: Any
) -> Any:
    before = _counts()
    response = client.post(BASE + f"requests.{fmt}", fields, **extra)
    assert response.status_code == status, response.content
    assert _counts() == before
    return response


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"lat": None, "long": None, "address_string": None}, 400),
        ({"lat": None, "long": None}, 400),  # address only: we route by position
        ({"long": None}, 400),
        ({"lat": "north", "long": "117.3"}, 400),
        ({"lat": "91", "long": "117.3"}, 400),
        ({"lat": "nan", "long": "117.3"}, 400),
        ({"lat": "39.9", "long": "116.4"}, 400),  # Beijing: outside every grid
        ({"service_code": None}, 400),
        ({"service_code": "99999"}, 404),
        ({"service_code": "06001"}, 404),  # internal category, not a service
        ({"api_key": None}, 403),
        ({"api_key": "o311_wrong"}, 403),
        ({"attribute[duration]": "forever"}, 400),
        ({"email": "not-an-email"}, 400),
        ({"phone": "call me maybe"}, 400),
        ({"description": "x" * 4001}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
        ({"attribute": "x"}, 400),
    ],
)
def test_bad_input_stores_nothing(
    o311: dict[str, Any], client: Any, overrides: dict[str, Any], status: int
) -> None:
    fields = fms_fields(**overrides)
    for key in [k for k, v in overrides.items() if v is None]:
        fields.pop(key, None)
    response = assert_refused(client, fields, status)
    body = response.json()
    assert [e["code"] for e in body] == [status] * len(body)
    assert all(e["description"] for e in body)


def test_bad_input_error_in_xml(o311: dict[str, Any], client: Any) -> None:
    response = assert_refused(client, fms_fields(service_code="99999"), 404, fmt="xml")
    root = xml(response)
    assert root.tag == "errors"
    assert children(root) == ["error"]
    assert children(root[0]) == ["code", "description"]


def test_required_attribute_missing(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.open311.models import ServiceAttribute

    ServiceAttribute.objects.create(
        category=o311["garbage"],
        code="bags",
        datatype="number",
        required=True,
        description="几袋？",
    )
    response = assert_refused(client, fms_fields(), 400)
    assert "bags" in response.json()[0]["description"]
    assert_refused(client, fms_fields(**{"attribute[bags]": "many"}), 400)


def test_revoked_client_is_refused(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.open311 import services

    services.revoke_client(o311["client"], by=o311["admin"])
    response = assert_refused(client, fms_fields(), 403)
    assert response.json() == [{"code": 403, "description": "提交诉求需要有效的 api_key。"}]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/xml", b"<service_request><service_code>06010</servi"),
        ("application/xml", b"<?xml version='1.0'?><a>&undefined;</a>"),
        ("application/json", b'{"service_code": "06010", "lat": '),
        ("application/json", b'{"service_code": "06010", "lat": 34.8, "long": 117.3}'),
        ("text/plain", b"\xff\xfe garbage"),
    ],
)
def test_garbage_bodies_are_400(
    o311: dict[str, Any], client: Any, content_type: str, body: bytes
) -> None:
    response = assert_refused(
        client, body, 400, content_type=content_type, QUERY_STRING=f"api_key={KEY}"
    )
    assert response.json()[0]["code"] == 400


def test_garbage_form_body_is_400(o311: dict[str, Any], client: Any) -> None:
    assert_refused(
        client,
        b"<xml>api_key=" + KEY.encode() + b"&&&===%%%\xff",
        403,
        content_type="application/x-www-form-urlencoded",
    )
    body = f"api_key={KEY}&service_code=06010&lat=%%%&long=1e999".encode()
    assert_refused(client, body, 400, content_type="application/x-www-form-urlencoded")


def test_broken_multipart_is_400(o311: dict[str, Any], client: Any) -> None:
    response = assert_refused(
        client,
        b'--xx\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n' + KEY.encode(),
        400,
        content_type="multipart/form-data; boundary=",
    )
    assert response.json() == [{"code": 400, "description": "无法读取请求体。"}]


def test_oversize_media_is_413(o311: dict[str, Any], client: Any, settings: Any) -> None:
    from chuangwei.problems.tests.images import make_jpeg, uploaded

    settings.CHUANGWEI_MAX_PHOTO_BYTES = 20_000
    photo = uploaded(make_jpeg(2400, 1800, text="big", quality=95))
    response = assert_refused(client, fms_fields(media=photo), 413)
    assert response.json()[0]["code"] == 413


def test_not_an_image_is_400(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.problems.tests.images import uploaded

    fake = uploaded(b"MZ\x90\x00 not a photo", name="evil.jpg")
    response = assert_refused(client, fms_fields(media=fake), 400)
    assert response.json() == [
        {"code": 400, "description": "该文件不是照片，请上传JPEG、PNG或WebP格式的图片。"}
    ]


def test_flood_from_one_ip_gets_429(o311: dict[str, Any], client: Any, settings: Any) -> None:
    settings.CHUANGWEI_OPEN311_IP_RATE = "3/m"
    for _ in range(3):
        assert client.post(BASE + "requests.json", fms_fields()).status_code == 201
    response = assert_refused(client, fms_fields(), 429)
    assert response.json()[0]["code"] == 429
    other = client.post(BASE + "requests.json", fms_fields(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201


def test_flood_of_garbage_is_limited_too(o311: dict[str, Any], client: Any, settings: Any) -> None:
    settings.CHUANGWEI_OPEN311_IP_RATE = "2/m"
    for _ in range(2):
        assert client.post(BASE + "requests.json", {"api_key": "guess"}).status_code == 403
    assert client.post(BASE + "requests.json", {"api_key": "guess"}).status_code == 429


def test_client_rate_limit(o311: dict[str, Any], client: Any) -> None:
    o311["client"].rate_limit = 2
    o311["client"].save()
    for index in range(2):
        address = f"10.0.1.{index}"
        assert (
            client.post(BASE + "requests.json", fms_fields(), REMOTE_ADDR=address).status_code
            == 201
        )
    assert_refused(client, fms_fields(), 429, REMOTE_ADDR="10.0.1.9")


def test_flood_from_one_device_gets_429(o311: dict[str, Any], client: Any, settings: Any) -> None:
    settings.CHUANGWEI_OPEN311_IP_RATE = "2/m"
    for index in range(2):
        fields = fms_fields(device_id="phone-1")
        assert (
            client.post(BASE + "requests.json", fields, REMOTE_ADDR=f"10.0.2.{index}").status_code
            == 201
        )
    assert_refused(client, fms_fields(device_id="phone-1"), 429, REMOTE_ADDR="10.0.2.9")


def test_post_needs_no_csrf_token(o311: dict[str, Any]) -> None:
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(BASE + "requests.json", fms_fields())
    assert response.status_code == 201


def test_body_over_the_size_limit_is_413(o311: dict[str, Any], client: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    response = assert_refused(client, fms_fields(description="很" * 1500), 413)
    assert response.json()[0]["code"] == 413


def test_every_fault_of_a_request_is_reported_at_once(o311: dict[str, Any], client: Any) -> None:
    fields = fms_fields(email="not-an-email", phone="call me maybe", lat="north")
    body = assert_refused(client, fields, 400).json()
    assert [e["code"] for e in body] == [400, 400, 400]
    assert [e["description"] for e in body] == [
        "lat 必须是十进制数。",
        "电子邮箱地址无效。",
        "电话号码无效。",
    ]


# Every fault of a request is listed ---------------------------------------------------------


def _descriptions(response: Any, fmt: str) -> list[str]:
    if fmt == "json":
        return [e["description"] for e in response.json()]
    return [e.findtext("description") for e in xml(response)]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_two_bad_coordinates_are_two_errors(o311: dict[str, Any], client: Any, fmt: str) -> None:
    from django.utils import translation

    response = assert_refused(client, fms_fields(lat="north", long="east"), 400, fmt=fmt)
    with translation.override("zh-hans"):
        expected = [
            translation.gettext("%(name)s must be a decimal number.") % {"name": name}
            for name in ("long", "lat")
        ]
    assert _descriptions(response, fmt) == expected


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_paris_is_refused_naming_both_coordinates(
    o311: dict[str, Any], client: Any, fmt: str
) -> None:
    response = assert_refused(client, fms_fields(lat="48.8566", long="2.3522"), 400, fmt=fmt)
    found = _descriptions(response, fmt)
    assert len(found) == 2
    assert found[0].startswith(("Longitude 2.3522", "经度 2.3522"))
    assert found[1].startswith(("Latitude 48.8566", "纬度 48.8566"))


def test_every_field_fault_is_listed(o311: dict[str, Any], client: Any) -> None:
    fields = fms_fields(
        lat="91",
        long="181",
        email="not-an-email",
        phone="call me maybe",
        description="x" * 2001,
        media_url="javascript:alert(1)",
    )
    response = assert_refused(client, fields, 400)
    assert len(response.json()) == 6


def test_every_bad_attribute_is_listed(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.open311.models import ServiceAttribute

    for code in ("bags", "boxes"):
        ServiceAttribute.objects.create(
            category=o311["garbage"], code=code, datatype="number", required=True, description="?"
        )
    response = assert_refused(client, fms_fields(**{"attribute[bags]": "many"}), 400)
    found = [e["description"] for e in response.json()]
    assert [("bags" in d, "boxes" in d) for d in found] == [(True, False), (False, True)]


# One limit per field -------------------------------------------------------------------------


def test_description_of_exactly_the_limit_is_accepted(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.problems.models import Problem

    response = client.post(BASE + "requests.json", fms_fields(description="垃" * 2000))
    assert response.status_code == 201
    assert len(Problem.objects.get().description) == 2000


def test_description_one_character_longer_is_refused(o311: dict[str, Any], client: Any) -> None:
    """Open311 allowed 4,000 characters while the API allowed 2,000."""
    response = assert_refused(client, fms_fields(description="垃" * 2001), 400)
    [error] = response.json()
    assert error["description"].startswith("description") and "2000" in error["description"]
