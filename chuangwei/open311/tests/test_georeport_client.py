"""A real client: the ``georeport`` package from PyPI reads our server over HTTP (live
server), in JSON and in XML. Its XML mode looks for the spec's ``service_requests`` root."""

from __future__ import annotations

from typing import Any

import pytest
from georeport import GeoReport

from chuangwei.open311.tests.conftest import MONDAY_9

pytestmark = pytest.mark.django_db(transaction=True)
WINDOW = {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-31T00:00:00+08:00"}


@pytest.fixture
def server(o311: dict[str, Any], report: Any, live_server: Any, monkeypatch: Any) -> dict[str, Any]:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    first = report(description="河边有一堆垃圾")
    second = report(at=MONDAY_9.replace(hour=10), category=o311["road"])
    return {"root": f"{live_server.url}/open311/v2", "first": first, "second": second}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services(server: dict[str, Any], fmt: str) -> None:
    client = GeoReport(server["root"], output_format=fmt)
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == ["06010", "06012"]
    assert services[0]["service_name"] == "暴露垃圾"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_a_service_definition(server: dict[str, Any], fmt: str) -> None:
    definition = GeoReport(server["root"], output_format=fmt).get_service_definition("06010")
    assert definition["service_code"] == "06010"
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["duration", "scale", "recurring"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_requests(server: dict[str, Any], fmt: str) -> None:
    client = GeoReport(server["root"], output_format=fmt)
    rows = client.get_service_requests(status="open", **WINDOW)
    assert [r["service_request_id"] for r in rows] == [server["second"].code, server["first"].code]
    only = client.get_service_requests(service_code="06010", **WINDOW)
    # xmltodict gives a dict, not a list, for a single element.
    only = [only] if isinstance(only, dict) else only
    assert [r["service_request_id"] for r in only] == [server["first"].code]
    one = client.get_service_request(server["first"].code)
    assert one["description"] == "河边有一堆垃圾"
    assert one["requested_datetime"] == "2026-03-02T09:00:00+08:00"
