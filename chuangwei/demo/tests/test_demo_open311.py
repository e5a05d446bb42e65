"""The demo city's Open311 client, attributes and requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.demo.generator import build_demo_city
from chuangwei.demo.open311 import DEMO_KEY, build_demo_open311

NOW = datetime(2026, 3, 18, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def city(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    build_demo_city(seed=7, sites=300, problems=False)


def test_demo_open311_requests(city: None, client: Any) -> None:
    from chuangwei.open311.models import Open311Request, ServiceAttribute
    from chuangwei.open311.selectors import client_for_key, public_categories

    assert build_demo_open311(seed=7, count=5, now=NOW) == 5
    demo_client = client_for_key(DEMO_KEY)
    assert demo_client is not None
    assert Open311Request.objects.filter(client=demo_client).count() == 5
    assert {r.problem.source for r in Open311Request.objects.select_related("problem")} == {
        "open311"
    }
    assert ServiceAttribute.objects.count() == 3 * public_categories().count()
    listed = client.get(
        "/open311/v2/requests.json?start_date=2026-02-20T00:00:00%2B08:00"
        "&end_date=2026-03-19T00:00:00%2B08:00"
    ).json()
    assert len(listed) == 5


def test_demo_open311_is_deterministic(city: None) -> None:
    from chuangwei.problems.models import Problem

    build_demo_open311(seed=7, count=4, now=NOW)
    first = sorted(Problem.objects.values_list("category__code", "description", "lng", "lat"))
    Problem.objects.filter(source="open311").delete()
    build_demo_open311(seed=7, count=4, now=NOW)
    again = sorted(Problem.objects.values_list("category__code", "description", "lng", "lat"))
    assert first == again
