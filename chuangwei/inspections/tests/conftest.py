"""Inspection fixtures on top of the ledger's: two sites (甲一社区, 乙一社区), a published
sheet with a deduction item (10 points) and a banded item (20 points), a fixed clock."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.problems.tests.conftest import IN_A, IN_B, MONDAY_9, ledger, report  # noqa: F401

__all__ = ["MONDAY_9"]

BANDS = [
    {"label": "好", "low": "17.5", "high": "20"},
    {"label": "中", "low": "9.5", "high": "17"},
    {"label": "差", "low": "0", "high": "9"},
]


@pytest.fixture
def insp(ledger: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from chuangwei.inspections import services
    from chuangwei.inspections.models import ScoreSheet, SheetItem
    from chuangwei.places.tests.factories import SiteFactory, SiteTypeFactory

    market = SiteTypeFactory(code="market", name="农贸市场")
    site_a = SiteFactory(
        code="S-A",
        name="甲市场",
        site_type=market,
        unit=ledger["community_a"],
        lng=IN_A[0],
        lat=IN_A[1],
    )
    site_b = SiteFactory(
        code="S-B",
        name="乙市场",
        site_type=market,
        unit=ledger["community_b"],
        lng=IN_B[0],
        lat=IN_B[1],
    )
    sheet = ScoreSheet.objects.create(
        code="MKT", name="农贸市场测评表", site_type=market, national_part="四"
    )
    part = SheetItem.objects.create(sheet=sheet, number="1", title="环境", points=30, mode="group")
    clean = SheetItem.objects.create(
        sheet=sheet,
        parent=part,
        number="1.1",
        title="地面干净",
        points=10,
        category=ledger["category"],
        sort_order=1,
    )
    look = SheetItem.objects.create(
        sheet=sheet,
        parent=part,
        number="1.2",
        title="整体面貌",
        points=20,
        mode="band",
        bands=BANDS,
        sort_order=2,
    )
    services.publish_sheet(sheet)
    return {
        **ledger,
        "market": market,
        "site_a": site_a,
        "site_b": site_b,
        "sheet": sheet,
        "part": part,
        "clean": clean,
        "look": look,
    }


@pytest.fixture
def task(insp: dict[str, Any]) -> Any:
    from chuangwei.inspections import services

    return services.create_task(
        name="三月模拟暗访",
        kind="mock_covert",
        planned_date=MONDAY_9.date(),
        sites=[insp["site_a"], insp["site_b"]],
        team=[insp["inspector"]],
        by=insp["office"],
        now=MONDAY_9,
    )


@pytest.fixture
def finished(task: Any, insp: dict[str, Any]) -> Any:
    """The task with both sites judged 好 and submitted."""
    from chuangwei.inspections import services
    from chuangwei.inspections.models import SiteResult

    for result in SiteResult.objects.filter(task=task):
        services.record_band(result, insp["look"], band="好", by=insp["inspector"], now=MONDAY_9)
        services.finish_result(result, by=insp["inspector"], now=MONDAY_9)
    return services.submit_task(task, by=insp["inspector"], now=MONDAY_9)
