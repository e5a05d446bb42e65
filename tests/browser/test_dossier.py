"""The evidence dossier in a real browser: a street files evidence, the office returns it with
a remark, the street files it again, the office approves it, the grid cell turns green and the
readiness board's percentage moves."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.readiness.models import Evidence
from chuangwei.readiness.tests.dossier_fixtures import PDF, dossier_world  # noqa: F401
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def grid_cell(page: Any, w: dict[str, Any]) -> Any:
    row = page.locator(f"#completeness-grid tr[data-requirement='{w['yearly'].pk}']")
    return row.locator(".cw-cell").first


def test_street_files_office_returns_street_refiles_office_approves(page_as, dossier_world):  # noqa: F811
    w = dossier_world
    street = page_as("handler_a")
    street.goto(f"{street.base}/readiness/evidence/mine/?year=2026")
    assert street.locator("#mine-table tr[data-state=missing]").count() == 1
    with street.expect_navigation():
        street.locator("#mine-table a.cw-file").first.click()
    street.set_input_files("#id_files", pdf("会议纪要.pdf"))
    street.fill("#id_note", "2026年爱卫会会议纪要")
    with street.expect_navigation():
        street.click("#evidence-submit")
    evidence = Evidence.objects.get()
    assert evidence.status == "pending"
    shot(street, "dossier-filed")

    office = page_as("office")
    office.goto(f"{office.base}/readiness/dossier/?year=2026")
    assert grid_cell(office, w).get_attribute("data-state") == "pending"
    office.goto(f"{office.base}/readiness/evidence/{evidence.pk}/")
    office.fill("#return-form textarea[name=remark]", "缺少签到表")
    with office.expect_navigation():
        office.click("#evidence-return")
    assert office.inner_text("#evidence-remark") == "缺少签到表"
    shot(office, "dossier-returned")

    street.goto(f"{street.base}/readiness/evidence/{evidence.pk}/")
    assert "缺少签到表" in street.inner_text("#evidence-history")
    with street.expect_navigation():
        street.click("#evidence-refile")
    street.set_input_files("#id_files", pdf("会议纪要及签到表.pdf"))
    with street.expect_navigation():
        street.click("#evidence-submit")
    assert street.locator("ul[data-round]").count() == 2

    office.goto(f"{office.base}/readiness/?year=2026")
    assert office.inner_text("#sum-dossier") == "0%"
    office.goto(f"{office.base}/readiness/evidence/{evidence.pk}/")
    with office.expect_navigation():
        office.click("#evidence-approve")
    office.goto(f"{office.base}/readiness/dossier/?year=2026")
    assert grid_cell(office, w).get_attribute("data-state") == "approved"
    assert office.inner_text("#completeness-percent") == "14.3%"
    shot(office, "dossier-grid")
    office.goto(f"{office.base}/readiness/?year=2026")
    assert office.inner_text("#sum-dossier") == "14.3%"
    shot(office, "dossier-board")
    assert street.console_errors == [] and office.console_errors == []
