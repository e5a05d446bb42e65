"""Ledger fixtures: two small grids (甲一社区, 乙一社区), a category, a fixed clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
# A Monday morning: 2026-03-02 09:00 Shanghai.
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=SH)
IN_A = (117.305, 34.805)
IN_B = (117.325, 34.805)


@pytest.fixture
def ledger(
    personas: dict[str, Any], org_tree: dict[str, Any], settings: Any, tmp_path: Any
) -> dict[str, Any]:
    from chuangwei.org.models import WorkLine
    from chuangwei.places.tests.factories import GridFactory
    from chuangwei.standards.models import ProblemCategory
    from chuangwei.standards.services import save_problem_category

    settings.MEDIA_ROOT = tmp_path
    GridFactory(
        code="GA", level=3, unit=org_tree["community_a"], bounds=(117.30, 34.80, 117.32, 34.82)
    )
    GridFactory(
        code="GB", level=3, unit=org_tree["community_b"], bounds=(117.32, 34.80, 117.34, 34.82)
    )
    line = WorkLine.objects.create(
        code="WL-CG", name="城管专线", lead_department=org_tree["department"]
    )
    category = save_problem_category(
        ProblemCategory(
            kind="matter",
            code="06010",
            name="暴露垃圾",
            deadline_amount=4,
            deadline_unit="work_hours",
            default_work_line=line,
        ),
        by=None,
    )
    return {"category": category, "line": line, **personas, **org_tree}


@pytest.fixture
def report(ledger: dict[str, Any]):  # type: ignore[no-untyped-def]
    from chuangwei.problems import services

    def make(
        *,
        at: datetime = MONDAY_9,
        point: tuple[float, float] = IN_A,
        by: str = "grid_worker",
        source: str = "grid_patrol",
        **kwargs: Any,
    ) -> Any:
        return services.report_problem(
            source=source,
            category=ledger["category"],
            lng=point[0],
            lat=point[1],
            by=ledger[by],
            now=at,
            **kwargs,
        )

    return make
