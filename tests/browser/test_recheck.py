"""回头看 on a phone (390×844): an inspector walks a stage's list, records one item as come
back with a note and another as fixed, and the round's report counts them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chuangwei.problems.tests import conftest as ledger_fixtures
from chuangwei.readiness.models import RecheckResult, StageProblem
from chuangwei.readiness.services import cycles
from chuangwei.readiness.tests import test_cycles
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ledger = ledger_fixtures.ledger
cycle = test_cycles.cycle


@pytest.fixture
def round(cycle: dict[str, Any]) -> Any:
    test_cycles.run(
        cycle["stage"],
        cycle["office"],
        test_cycles.workbook(
            ["1", "门前三包未落实", "甲街道", "", "（八）", "暴露垃圾", "", "", ""],
            ["2", "垃圾桶满溢", "乙街道", "", "", "暴露垃圾", "建设路", "117.325", "34.805"],
        ),
    )
    return cycles.create_recheck_round(
        cycle["stage"], by=cycle["office"], held_on=date(2026, 3, 10)
    )


def test_an_inspector_walks_the_list_on_a_phone(page_as, round):
    phone = page_as("inspector", mobile=True)
    phone.goto(f"{phone.base}/readiness/rechecks/{round.pk}/walk/")
    first, second = (StageProblem.objects.get(item_no=n) for n in ("1", "2"))
    card = phone.locator(f"#item-{first.pk}")
    card.locator("input[name=note]").fill("门前又出现堆物")
    with phone.expect_navigation():
        card.locator("button[value=regressed]").click()
    with phone.expect_navigation():
        phone.locator(f"#item-{second.pk} button[value=fixed]").click()
    assert phone.locator(f"#item-{first.pk}").get_attribute("data-outcome") == "regressed"
    assert phone.locator(f"#item-{second.pk}").get_attribute("data-outcome") == "fixed"
    # Nothing wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "recheck-walk-phone")
    assert list(RecheckResult.objects.order_by("item__item_no").values_list("outcome", "note")) == [
        ("regressed", "门前又出现堆物"),
        ("fixed", ""),
    ]
    phone.goto(f"{phone.base}/readiness/rechecks/{round.pk}/")
    counts = phone.locator("#recheck-counts")
    assert counts.locator("[data-outcome=fixed]").inner_text().strip().endswith("1")
    assert counts.locator("[data-outcome=regressed]").inner_text().strip().endswith("1")
    assert phone.console_errors == []
