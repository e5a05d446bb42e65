"""The ledger in a real browser: a grid worker reports from a phone with a photo and GPS, the
office dispatches, the handler submits an after-photo, an inspector verifies, and the closed
problem's timeline shows every step."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.problems.models import Problem
from chuangwei.problems.tests import conftest as ledger_fixtures
from chuangwei.problems.tests.conftest import IN_A, IN_B
from chuangwei.problems.tests.images import scene_jpeg
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ledger = ledger_fixtures.ledger  # two grids (GA, GB) and the 暴露垃圾 category


def jpeg(name: str, seed: int, kind: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "image/jpeg", "buffer": scene_jpeg(seed, kind)}


def take_action(
    page: Any, action: str, *, note: str = "", photo: dict[str, Any] | None = None
) -> None:
    """Open the action's form on the detail page, fill it and submit; wait for the reload."""
    page.click(f"#btn-{action}")
    # Bootstrap marks the panel "collapse show" once its opening transition has ended.
    page.locator(f"#action-{action}.collapse.show").wait_for()
    form = page.locator(f"#action-{action} form")
    if note:
        form.locator("textarea[name=note]").fill(note)
    if photo:
        form.locator("input[type=file]").set_input_files(photo)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_report_dispatch_submit_verify_close(page_as, ledger):
    phone = page_as("grid_worker", mobile=True)
    phone.context.grant_permissions(["geolocation"], origin=phone.base)
    phone.context.set_geolocation({"longitude": IN_A[0], "latitude": IN_A[1], "accuracy": 10})
    phone.goto(f"{phone.base}/problems/report/")
    phone.wait_for_function("document.getElementById('id_lng').value !== ''")
    phone.select_option("select[name=category]", str(ledger["category"].pk))
    phone.set_input_files("#id_photos", jpeg("before.jpg", 7, "before"))
    phone.fill("textarea[name=description]", "光明路垃圾桶满溢")
    phone.wait_for_selector("#photo-previews img.cw-m-thumb")
    shot(phone, "ledger-report-phone")
    with phone.expect_navigation():
        phone.click("#report-submit")
    code = phone.locator("#done-code").inner_text().strip()
    shot(phone, "ledger-report-done")
    problem = Problem.objects.get(code=code)
    assert (problem.status, problem.grid.code, problem.photos.count()) == ("reported", "GA", 1)
    assert phone.console_errors == []

    office = page_as("office")
    detail = f"{office.base}/problems/{problem.pk}/"
    office.goto(detail)
    take_action(office, "dispatch")
    assert office.locator("#problem-status").get_attribute("data-status") == "dispatched"
    shot(office, "ledger-dispatched")
    assert office.console_errors == []

    handler = page_as("handler_a")
    handler.goto(detail)
    take_action(handler, "submit", note="已清理完毕", photo=jpeg("after.jpg", 7, "after"))
    assert handler.locator("#problem-status").get_attribute("data-status") == "submitted"
    assert handler.locator("#problem-photos img").count() == 2
    shot(handler, "ledger-submitted")
    assert handler.console_errors == []

    inspector = page_as("inspector")
    inspector.goto(detail)
    take_action(inspector, "verify_pass", note="现场已整改")
    assert inspector.locator("#problem-status").get_attribute("data-status") == "closed"
    steps = inspector.locator("#problem-timeline [data-action]").evaluate_all(
        "items => items.map(i => i.dataset.action)"
    )
    assert steps == ["verify_pass", "submit", "dispatch", "report"]
    shot(inspector, "ledger-closed-timeline")
    assert inspector.console_errors == []


def test_office_list_filters_and_shows_the_map(page_as, ledger):
    from chuangwei.problems import services

    for point in (IN_A, IN_B):
        services.report_problem(
            source="grid_patrol",
            category=ledger["category"],
            lng=point[0],
            lat=point[1],
            by=ledger["grid_worker"],
        )
    page = page_as("office")
    page.goto(f"{page.base}/problems/")
    assert page.locator("table.cw-table").get_attribute("data-count") == "2"
    page.select_option("#id_unit", str(ledger["street_a"].pk))
    page.click("#search-form button[type=submit]")
    page.wait_for_function("document.querySelector('table.cw-table').dataset.count === '1'")
    shot(page, "ledger-list-filtered")
    page.click("#map-link")
    page.wait_for_selector("#problem-map[data-loaded='1']")
    assert page.locator("#point-count").inner_text() == "1"
    shot(page, "ledger-map")
    assert page.console_errors == []
