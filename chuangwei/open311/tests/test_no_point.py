"""A problem without coordinates (it concerns a unit, a site or an article) in Open311: the
optional lat/long are left out, and the answer still meets the spec's schema."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.open311.tests.conftest import MONDAY_9
from chuangwei.open311.tests.helpers import BASE, validate, xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def pointless(o311: dict[str, Any]) -> Any:
    from chuangwei.problems import services

    return services.report_problem(
        source="hotline", category=o311["garbage"], lng=None, lat=None, unit=o311["street_a"],
        description="小区垃圾清运不及时", by=o311["office"], now=MONDAY_9,
    )  # fmt: skip


def test_a_request_without_a_point_leaves_out_lat_and_long(pointless, client):
    response = client.get(BASE + f"requests/{pointless.code}.json")
    assert response.status_code == 200
    data = response.json()
    validate("requests.json", data)
    assert ("lat" in data[0], "long" in data[0], data[0]["agency_responsible"]) == (
        False,
        False,
        "甲街道",
    )


def test_the_xml_answer_has_no_lat_or_long_element(pointless, client):
    root = xml(client.get(BASE + f"requests/{pointless.code}.xml"))
    assert (root[0].find("lat"), root[0].find("long")) == (None, None)
