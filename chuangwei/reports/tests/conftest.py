"""Briefing fixtures: the ledger's small city, problems written straight into the table
(every state and timestamp chosen by the test), and a fixed clock."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.problems.tests.conftest import IN_A, IN_B, ledger  # noqa: F401 - fixture

SH = ZoneInfo("Asia/Shanghai")
# Wednesday 2026-03-18 15:00 Shanghai; the briefing period is 2026-03-01 … 2026-03-15.
NOW = datetime(2026, 3, 18, 15, 0, tzinfo=SH)
START, END = date(2026, 3, 1), date(2026, 3, 15)
_codes = itertools.count(1)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=SH)


@pytest.fixture
def make_problem(ledger: dict[str, Any]):  # type: ignore[no-untyped-def]  # noqa: F811
    """Insert one problem row: reported in 甲一社区 on 2026-03-02 unless told otherwise."""
    from chuangwei.places.models import Grid
    from chuangwei.problems.models import Problem, ProblemEvent

    grids = {g.code: g for g in Grid.objects.all()}

    def make(
        *,
        unit: str = "community_a",
        status: str = "reported",
        reported_at: datetime | None = None,
        **fields: Any,
    ) -> Problem:
        n = next(_codes)
        point = IN_A if unit in ("community_a", "street_a") else IN_B
        problem = Problem.objects.create(
            code=f"WT-2026-{n:06d}",
            tracking_code=f"T{n:08d}",
            source=fields.pop("source", "grid_patrol"),
            category=ledger["category"],
            lng=point[0],
            lat=point[1],
            unit=ledger[unit],
            grid=grids["GA" if point == IN_A else "GB"],
            status=status,
            reported_at=reported_at or at(2),
            **fields,
        )
        if problem.closed_at:  # verify_pass writes the closing event at the same moment
            ProblemEvent.objects.create(
                problem=problem,
                action="verify_pass",
                from_status="submitted",
                to_status="closed",
                created_at=problem.closed_at,
            )
        return problem

    return make


@pytest.fixture
def march(make_problem):  # type: ignore[no-untyped-def]
    """Five problems of 2026-03 in 甲区: two closed (one late, one reworked), one overdue,
    one open in 乙街道, one reported before the period and closed in it."""
    closed = dict(status="closed", dispatched_at=at(2, 11))
    return {
        "on_time": make_problem(**closed, closed_at=at(5), closed_on_time=True),
        "late": make_problem(**closed, closed_at=at(6), closed_on_time=False, rework_count=1),
        "overdue": make_problem(status="dispatched", due_at=at(10)),
        "open_b": make_problem(unit="community_b", reported_at=at(12)),
        "old": make_problem(
            **closed, reported_at=at(2) - timedelta(days=10), closed_at=at(3), closed_on_time=True
        ),
    }
