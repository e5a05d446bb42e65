"""Inspections in a real browser: the office draws a mock covert inspection and plans it; an
inspector scores both sites on a phone (a deduction with a photo, band judgements); the
office sees the totals and the new problems in the ledger."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.inspections.models import InspectionTask
from chuangwei.inspections.tests import conftest as insp_fixtures
from chuangwei.problems.models import Problem
from chuangwei.problems.tests import conftest as ledger_fixtures
from chuangwei.problems.tests.conftest import IN_A
from chuangwei.problems.tests.images import scene_jpeg
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ledger = ledger_fixtures.ledger
insp = insp_fixtures.insp


def test_sampled_mock_inspection_scored_on_a_phone(page_as: Any, insp: dict[str, Any]) -> None:
    office = page_as("office")
    office.goto(f"{office.base}/inspections/sampling/")
    office.fill(f"input[name=q_market_{insp['district'].pk}]", "2")
    office.fill("#draw-seed", "2026")
    shot(office, "inspections-sampling")
    with office.expect_navigation():
        office.click("#draw-submit")
    assert office.locator("#route-list tbody tr").count() == 2
    shot(office, "inspections-draw")
    with office.expect_navigation():
        office.click("#plan-from-draw")
    office.fill("input[name=name]", "三月模拟暗访")
    office.select_option("select[name=team]", [str(insp["inspector"].pk)])
    with office.expect_navigation():
        office.click("#task-save")
    task = InspectionTask.objects.get()
    assert task.results.count() == 2

    phone = page_as("inspector", mobile=True)
    phone.context.grant_permissions(["geolocation"], origin=phone.base)
    phone.context.set_geolocation({"longitude": IN_A[0], "latitude": IN_A[1], "accuracy": 10})
    phone.goto(f"{phone.base}/inspections/tasks/{task.pk}/score/")
    shot(phone, "inspections-phone-route")
    for n, (band, deduct) in enumerate((("好", True), ("中", False))):
        with phone.expect_navigation():
            phone.locator("#route a").nth(n).click()
        clean, look = insp["clean"].pk, insp["look"].pk
        if deduct:
            phone.click(f"#item-{clean} button[data-bs-toggle=collapse]")
            phone.locator(f"#form-{clean}.collapse.show").wait_for()
            form = phone.locator(f"#form-{clean} form")
            form.locator("input[name=points]").fill("3")
            form.locator("input[name=note]").fill("地面有积水和垃圾")
            form.locator("input[type=file]").set_input_files(
                {"name": "find.jpg", "mimeType": "image/jpeg", "buffer": scene_jpeg(3, "before")}
            )
            with phone.expect_navigation():
                form.locator("button[type=submit]").click()
        phone.click(f"#item-{look} button[data-bs-toggle=collapse]")
        phone.locator(f"#form-{look}.collapse.show").wait_for()
        with phone.expect_navigation():
            phone.locator(f"#form-{look} button[name=band][value={band}]").click()
        if n == 0:
            shot(phone, "inspections-phone-score")
        with phone.expect_navigation():
            phone.click("#finish-site")
    shot(phone, "inspections-phone-done")
    with phone.expect_navigation():
        phone.click("#task-submit")
    task.refresh_from_db()
    assert task.status == "submitted"
    assert phone.console_errors == []

    office.goto(f"{office.base}/inspections/tasks/{task.pk}/")
    totals = office.locator("#unit-totals").inner_text()
    assert "甲一社区" in totals and "乙一社区" in totals
    assert office.locator("#problem-count").inner_text() == "1"
    shot(office, "inspections-task-office")
    with office.expect_navigation():
        office.click("#task-review")
    problem = Problem.objects.get()
    assert (problem.source, str(problem.points_lost), problem.photos.count()) == (
        "mock_covert",
        "3.00",
        1,
    )
    office.goto(f"{office.base}/problems/")
    assert problem.code in office.locator("body").inner_text()
    office.goto(f"{office.base}/inspections/results/")
    shot(office, "inspections-results")


def test_demo_pages_with_months_of_results(
    browser: Any, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    """The office pages on the demo city: projection with its band, results, coverage."""
    from chuangwei.demo.generator import DEMO_PASSWORD, build_demo_city
    from chuangwei.demo.inspections import build_demo_inspections

    settings.MEDIA_ROOT = tmp_path
    build_demo_city(seed=7, sites=300, problems=False)
    build_demo_inspections(seed=7, password=DEMO_PASSWORD)
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/inspections/projection/")
    expected = float(page.locator("#expected-score").inner_text())
    assert 700 < expected < 1000
    assert page.locator("#projection-parts tbody tr").count() == 11
    shot(page, "inspections-projection")
    page.goto(f"{live_server.url}/inspections/results/")
    assert page.locator("#result-rows tbody tr").count() > 20
    shot(page, "inspections-results-demo")
    page.goto(f"{live_server.url}/inspections/patrols/")
    assert page.locator("#coverage tbody tr.table-danger").count() > 0
    shot(page, "inspections-coverage")
    page.goto(f"{live_server.url}/inspections/sheets/")
    shot(page, "inspections-sheets")
    page.goto(f"{live_server.url}/inspections/")
    shot(page, "inspections-tasks")
    context.close()
