"""Open311 fixtures: the ledger's two grids, two public services, one internal category,
and a client application with a known API key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from chuangwei.problems.tests.conftest import IN_A, IN_B, MONDAY_9, ledger  # noqa: F401

KEY = "o311_test-key-0123456789"


@pytest.fixture(autouse=True)
def _clear_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty counters and a stopped rate-limit clock: a test that crossed the end of a
    one-minute window saw its counter reset and a third request let through."""
    from types import SimpleNamespace

    import django_ratelimit.core
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1_800_000_000))


@pytest.fixture
def o311(ledger: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from chuangwei.open311 import services
    from chuangwei.open311.models import Open311Client
    from chuangwei.standards.models import ProblemCategory
    from chuangwei.standards.services import save_problem_category

    garbage = ledger["category"]
    garbage.public_name = "暴露垃圾"
    garbage.is_public = True
    garbage.description = "裸露堆放或散落的生活垃圾。"
    garbage.sanitary_class = "市容环境"
    garbage.save()
    road = save_problem_category(
        ProblemCategory(
            kind="matter",
            code="06012",
            name="道路不洁",
            public_name="道路脏污",
            is_public=True,
            deadline_amount=1,
            deadline_unit="work_days",
            default_work_line=ledger["line"],
        ),
        by=None,
    )
    internal = save_problem_category(
        ProblemCategory(
            kind="matter",
            code="06001",
            name="私搭乱建",
            deadline_amount=15,
            deadline_unit="work_days",
            default_work_line=ledger["line"],
        ),
        by=None,
    )
    client, _key = services.create_client(
        Open311Client(name="市民随手拍", contact="app@example.cn", rate_limit=100),
        by=ledger["admin"],
        key=KEY,
    )
    return {**ledger, "garbage": garbage, "road": road, "internal": internal, "client": client}


@pytest.fixture
def report(o311: dict[str, Any]):  # type: ignore[no-untyped-def]
    """A problem reported by the grid worker (public service 06010 unless ``category``)."""
    from chuangwei.problems import services

    def make(
        *,
        at: datetime = MONDAY_9,
        point: tuple[float, float] = IN_A,
        category: Any = None,
        source: str = "grid_patrol",
        **kwargs: Any,
    ) -> Any:
        return services.report_problem(
            source=source,
            category=category or o311["garbage"],
            lng=point[0],
            lat=point[1],
            by=o311["grid_worker"],
            now=at,
            **kwargs,
        )

    return make
