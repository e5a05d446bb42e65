"""Rankings in a real browser: metrics with definitions, a snapshot computed and published
from the page, the red/black lists (also the projection view) and the points-lost table."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.rankings import services
from chuangwei.rankings.tests import conftest as history_fixtures
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ledger = history_fixtures.ledger
report = history_fixtures.report
history = history_fixtures.history


def test_office_computes_publishes_and_projects_the_lists(page_as, history: dict[str, Any]):
    scheme = services.default_scheme("community")
    page = page_as("office")
    page.goto(f"{page.base}/rankings/metrics/?period=month&day=2026-03-15&dimension=community")
    assert "44.4%" in page.inner_text("#metrics-table")
    assert page.locator("#glossary").is_visible()
    shot(page, "rankings-metrics")

    page.goto(f"{page.base}/rankings/snapshots/")
    form = page.locator("#compute-form")
    form.locator("select[name=scheme]").select_option(str(scheme.pk))
    form.locator("select[name=period]").select_option("month")
    form.locator("input[name=day]").fill("2026-03-15")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "甲一社区" in page.inner_text("#entries")
    page.click("#publish-form button[type=submit]")
    with page.expect_navigation():
        page.locator("#cw-confirm .cw-confirm-ok").click()
    assert "已发布" in page.inner_text("main")
    shot(page, "rankings-snapshot")

    page.goto(f"{page.base}/rankings/red-black/?kind=community")
    assert "甲一社区" in page.inner_text("#red-list")
    shot(page, "rankings-redblack")
    page.goto(f"{page.base}/rankings/red-black/?kind=community&present=1")
    shot(page, "rankings-redblack-projection")

    page.goto(f"{page.base}/rankings/points-lost/?period=month&day=2026-03-15")
    assert page.inner_text("#points-total") == "3.5"
    shot(page, "rankings-points-lost")
    assert page.console_errors == []
