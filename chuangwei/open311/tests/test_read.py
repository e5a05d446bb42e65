"""GET endpoints: JSON against the Open311 JSON Schemas, XML element names, filters, errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jsonschema
import pytest

from chuangwei.open311.tests.conftest import IN_A, IN_B, MONDAY_9
from chuangwei.open311.tests.helpers import BASE, children, validate, xml

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
WINDOW = "start_date=2026-03-01T00:00:00%2B08:00&end_date=2026-03-31T00:00:00%2B08:00"


@pytest.fixture
def problems(o311: dict[str, Any], report: Any) -> dict[str, Any]:
    from chuangwei.problems import services

    first = report(description="河边有一堆垃圾", address="光明路 12 号")
    second = report(at=MONDAY_9 + timedelta(hours=1), point=IN_B, category=o311["road"])
    closed = report(at=MONDAY_9 + timedelta(hours=2))
    services.void_problem(
        closed, by=o311["office"], note="重复上报", now=MONDAY_9 + timedelta(hours=3)
    )
    hidden = report(at=MONDAY_9 + timedelta(hours=3), category=o311["internal"])
    return {"first": first, "second": second, "closed": closed, "hidden": hidden}


def _json(client: Any, path: str) -> Any:
    response = client.get(BASE + path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def test_services_json_matches_the_schema(o311: dict[str, Any], client: Any) -> None:
    data = _json(client, "services.json")
    validate("services.json", data)
    assert [s["service_code"] for s in data] == ["06010", "06012"]
    assert data[0] == {
        "service_code": "06010",
        "service_name": "暴露垃圾",
        "description": "裸露堆放或散落的生活垃圾。",
        "metadata": True,
        "type": "realtime",
        "keywords": "暴露垃圾,市容环境",
        "group": "市容环境",
    }


def test_services_xml_uses_the_spec_elements(o311: dict[str, Any], client: Any) -> None:
    response = client.get(BASE + "services.xml")
    root = xml(response)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert root.tag == "services"
    assert children(root) == ["service", "service"]
    assert children(root[0]) == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert root[0].findtext("metadata") == "true"


def test_service_definition_json_matches_the_schema(o311: dict[str, Any], client: Any) -> None:
    data = _json(client, "services/06010.json")
    validate("service-definition.json", data)
    assert data["service_code"] == "06010"
    assert [a["code"] for a in data["attributes"]] == ["duration", "scale", "recurring"]
    assert data["attributes"][0]["values"][0] == {"key": "today", "name": "今天刚发现"}


def test_service_definition_uses_stored_attributes(o311: dict[str, Any], client: Any) -> None:
    from chuangwei.open311.models import ServiceAttribute

    ServiceAttribute.objects.create(
        category=o311["garbage"],
        code="bags",
        datatype="number",
        required=True,
        order=1,
        description="大约几袋？",
    )
    data = _json(client, "services/06010.json")
    validate("service-definition.json", data)
    assert data["attributes"] == [
        {
            "variable": True,
            "code": "bags",
            "datatype": "number",
            "required": True,
            "datatype_description": None,
            "order": 1,
            "description": "大约几袋？",
        }
    ]


def test_service_definition_xml(o311: dict[str, Any], client: Any) -> None:
    root = xml(client.get(BASE + "services/06010.xml"))
    assert root.tag == "service_definition"
    assert children(root) == ["service_code", "attributes"]
    attribute = root.find("attributes/attribute")
    assert attribute is not None
    assert children(attribute) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert children(attribute.find("values")) == ["value"] * 4  # type: ignore[arg-type]
    assert children(attribute.find("values/value")) == ["key", "name"]  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["services/06001.json", "services/nope.json"])
def test_unknown_or_internal_service_is_404(o311: dict[str, Any], client: Any, path: str) -> None:
    response = client.get(BASE + path)
    assert response.status_code == 404
    assert [e["code"] for e in response.json()] == [404]


def test_discovery_json_and_xml(o311: dict[str, Any], client: Any) -> None:
    data = _json(client, "discovery.json")
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    assert data["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2",
            "changeset": data["changeset"],
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ]
    root = xml(client.get(BASE + "discovery.xml"))
    assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_requests_json_matches_the_schema(problems: dict[str, Any], client: Any) -> None:
    data = _json(client, f"requests.json?{WINDOW}")
    validate("requests.json", data)
    assert [r["service_request_id"] for r in data] == [
        problems["closed"].code,
        problems["second"].code,
        problems["first"].code,
    ]
    first = data[2]
    assert list(first) == REQUEST_FIELDS
    assert first["status"] == "open"
    assert first["requested_datetime"] == "2026-03-02T09:00:00+08:00"
    assert first["agency_responsible"] == "甲一社区"
    assert first["description"] == "河边有一堆垃圾"
    assert first["address"] == "光明路 12 号"
    assert (first["long"], first["lat"]) == IN_A
    assert data[0]["status"] == "closed"


def test_requests_never_show_reporter_data(
    problems: dict[str, Any], client: Any, report: Any
) -> None:
    report(reporter_name="张三", reporter_phone="13800000000")
    body = client.get(BASE + f"requests.json?{WINDOW}&extensions=true").content.decode()
    assert "13800000000" not in body
    assert "张三" not in body
    assert "grid_worker" not in body


def test_requests_xml_uses_the_spec_elements(problems: dict[str, Any], client: Any) -> None:
    root = xml(client.get(BASE + f"requests.xml?{WINDOW}"))
    assert root.tag == "service_requests"
    assert children(root) == ["request"] * 3
    assert children(root[0]) == REQUEST_FIELDS
    assert root[0].findtext("status") == "closed"


def test_default_window_is_the_last_90_days(
    problems: dict[str, Any], client: Any, report: Any
) -> None:
    from django.utils import timezone

    recent = report(at=timezone.now() - timedelta(days=3))
    report(at=timezone.now() - timedelta(days=95))
    assert [r["service_request_id"] for r in _json(client, "requests.json")] == [recent.code]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["second", "first"]),
        ("status=closed", ["closed"]),
        ("status=open,closed", ["closed", "second", "first"]),
        ("service_code=06012", ["second"]),
        ("service_code=06010&status=open", ["first"]),
        ("start_date=2026-03-02T09:30:00%2B08:00&end_date=2026-03-02T10:30:00%2B08:00", ["second"]),
        ("page_size=2", ["closed", "second"]),
        ("page_size=2&page=2", ["first"]),
        ("per_page=1&page=3", ["first"]),
    ],
)
def test_request_filters(
    problems: dict[str, Any], client: Any, query: str, expected: list[str]
) -> None:
    window = "" if "start_date" in query else f"{WINDOW}&"
    data = _json(client, f"requests.json?{window}{query}")
    assert [r["service_request_id"] for r in data] == [problems[k].code for k in expected]


def test_service_request_id_overrides_other_filters(problems: dict[str, Any], client: Any) -> None:
    ids = f"{problems['first'].code},{problems['closed'].code},{problems['hidden'].code}"
    data = _json(client, f"requests.json?service_request_id={ids}&status=open&service_code=06012")
    assert [r["service_request_id"] for r in data] == [
        problems["closed"].code,
        problems["first"].code,
    ]


def test_next_page_header(problems: dict[str, Any], client: Any) -> None:
    response = client.get(BASE + f"requests.json?{WINDOW}&page_size=2")
    assert response["X-Next-Page-URL"].startswith("http://testserver/open311/v2/requests.json?")
    assert response["X-Next-Page-URL"].endswith("&page_size=2&page=2")
    last = client.get(BASE + f"requests.json?{WINDOW}&page_size=2&page=2")
    assert "X-Next-Page-URL" not in last


def test_empty_optional_arguments_are_ignored(problems: dict[str, Any], client: Any) -> None:
    data = _json(client, f"requests.json?{WINDOW}&status=&service_code=&page=&page_size=")
    assert len(data) == 3


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("status=fixed", 400),
        ("start_date=yesterday", 400),
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", 400),
        ("start_date=2026-03-05T00:00:00Z&end_date=2026-03-01T00:00:00Z", 400),
        ("page_size=0", 400),
        ("page_size=1001", 400),
        ("page=x", 400),
        ("service_code=99999", 404),
        ("jurisdiction_id=elsewhere.example", 404),
    ],
)
def test_bad_queries_get_the_spec_error(
    problems: dict[str, Any], client: Any, settings: Any, query: str, status: int
) -> None:
    settings.CHUANGWEI_OPEN311_JURISDICTION = "zaozhuang.gov.cn"
    response = client.get(BASE + f"requests.json?{query}")
    assert response.status_code == status
    body = response.json()
    assert [e["code"] for e in body] == [status]
    assert body[0]["description"]
    root = xml(client.get(BASE + f"requests.xml?{query}"))
    assert root.tag == "errors"
    assert children(root[0]) == ["code", "description"]
    assert root[0].findtext("code") == str(status)


def test_one_request_by_id(problems: dict[str, Any], client: Any) -> None:
    data = _json(client, f"requests/{problems['first'].code}.json")
    validate("requests.json", data)
    assert len(data) == 1
    root = xml(client.get(BASE + f"requests/{problems['first'].code}.xml"))
    assert children(root) == ["request"]


@pytest.mark.parametrize("which", ["hidden", None])
def test_unknown_or_internal_request_is_404(
    problems: dict[str, Any], client: Any, which: Any
) -> None:
    code = problems[which].code if which else "WT-1999-000001"
    response = client.get(BASE + f"requests/{code}.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_extensions_add_notes_and_extended_attributes(
    problems: dict[str, Any], client: Any
) -> None:
    data = _json(client, f"requests.json?{WINDOW}&extensions=true")
    validate("requests.json", data)
    closed = data[0]
    assert closed["extended_attributes"]["ledger_status"] == "voided"
    # Only events shown to the public become notes (the void reason is internal).
    assert [n["action"] for n in closed["notes"]] == ["report"]
    assert closed["notes"][0]["datetime"] == "2026-03-02T11:00:00+08:00"
    root = xml(client.get(BASE + f"requests.xml?{WINDOW}&extensions=true"))
    assert [n.findtext("action") for n in root[0].findall("notes/note")] == ["report"]


def test_media_url_is_the_public_copy(o311: dict[str, Any], client: Any, report: Any) -> None:
    from chuangwei.problems.services import Upload
    from chuangwei.problems.tests.images import make_jpeg, uploaded

    problem = report(uploads=[Upload(uploaded(make_jpeg(exif_gps=(117.3, 34.8))))])
    data = _json(client, f"requests/{problem.code}.json")
    photo = problem.photos.get()
    assert data[0]["media_url"] == f"http://testserver/media/{photo.public_copy.name}"
    assert photo.original.name not in data[0]["media_url"]


def test_list_query_count_is_fixed(
    problems: dict[str, Any], client: Any, report: Any, django_assert_num_queries: Any
) -> None:
    for hour in range(10):
        report(at=MONDAY_9 + timedelta(hours=5, minutes=hour))
    with django_assert_num_queries(5):
        response = client.get(BASE + f"requests.json?{WINDOW}&extensions=true")
    assert len(response.json()) == 13


def test_schemas_reject_a_broken_body() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate("request.json", {"service_request_id": "1", "status": "fixed"})
    with pytest.raises(jsonschema.ValidationError):
        validate(
            "request.json",
            {
                "service_request_id": "1",
                "status": "open",
                "service_code": "a",
                "requested_datetime": "2026-03-02T09:00:00",
            },
        )


def test_unknown_path_gets_a_404_error_body(client: Any, db: Any) -> None:
    response = client.get(BASE + "nothing.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_wrong_method_is_405(o311: dict[str, Any], client: Any) -> None:
    response = client.post(BASE + "services.json")
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405


def test_plain_list_query_count(
    problems: dict[str, Any], client: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # services, the page, its photos
        response = client.get(
            BASE + f"requests.json?{WINDOW}&status=open&service_code=06010&page_size=50"
        )
    assert [r["service_request_id"] for r in response.json()] == [problems["first"].code]


def test_xml_stays_well_formed_with_control_characters(
    o311: dict[str, Any], client: Any, report: Any
) -> None:
    problem = report(description="垃圾\x0b<很多>&\x01")
    root = xml(client.get(BASE + f"requests/{problem.code}.xml"))
    assert root.findtext("request/description") == "垃圾<很多>&"


@pytest.mark.parametrize("source", ["mock_covert", "covert_check", "national_covert", "leader"])
def test_inspection_findings_are_never_public(
    problems: dict[str, Any], client: Any, report: Any, source: str
) -> None:
    covert = report(at=MONDAY_9 + timedelta(hours=4), source=source, description="暗访发现积粪")
    data = _json(client, f"requests.json?{WINDOW}")
    assert covert.code not in [r["service_request_id"] for r in data]
    assert len(data) == 3
    response = client.get(BASE + f"requests/{covert.code}.json")
    assert response.status_code == 404


def test_citizen_facing_sources_stay_public(
    problems: dict[str, Any], client: Any, report: Any
) -> None:
    hotline = report(at=MONDAY_9 + timedelta(hours=4), source="hotline")
    data = _json(client, f"requests.json?{WINDOW}")
    assert data[0]["service_request_id"] == hotline.code
