"""The public side in a real phone-sized browser: a citizen reports with a photo and a map
pick (no login), gets a tracking code; the office closes the problem; the citizen sees the
after-photo on the status page and rates it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from chuangwei.problems import services as ledger_services
from chuangwei.problems.models import Problem
from chuangwei.problems.tests import conftest as ledger_fixtures
from chuangwei.problems.tests.images import scene_jpeg
from chuangwei.public.models import PublicCategory, SatisfactionRating
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ledger = ledger_fixtures.ledger


def jpeg(name: str, seed: int, kind: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "image/jpeg", "buffer": scene_jpeg(seed, kind)}


@pytest.fixture
def citizen(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.base = live_server.url
    yield page
    context.close()


def _close(problem: Problem, who: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    now = timezone.now()
    ledger_services.confirm_report(problem, by=who["grid_worker"], now=now)
    ledger_services.dispatch_problem(problem, by=who["office"], now=now + timedelta(seconds=1))
    after = SimpleUploadedFile("after.jpg", scene_jpeg(8, "after"), content_type="image/jpeg")
    ledger_services.submit_rectification(
        problem,
        by=who["handler_a"],
        note="垃圾已清运，路面已冲洗",
        uploads=[ledger_services.Upload(after)],
        now=now + timedelta(seconds=2),
    )
    ledger_services.verify_pass(problem, by=who["inspector"], now=now + timedelta(seconds=3))


def test_citizen_reports_tracks_and_rates(citizen: Any, ledger: dict[str, Any], settings: Any):
    settings.CHUANGWEI_PUBLIC_MIN_FILL_SECONDS = 0
    PublicCategory.objects.create(
        category=ledger["category"], name="暴露垃圾", icon="bi-trash", description="裸露垃圾"
    )
    from chuangwei.places.tests.factories import GridFactory

    GridFactory(code="D1", name="甲区", level=1, bounds=(117.30, 34.80, 117.34, 34.82))
    page = citizen
    page.goto(f"{page.base}/public/report/")
    # Without map tiles the picker still shows where the city is: the district outline.
    page.wait_for_selector("#report-map .leaflet-overlay-pane path")
    page.click("label.cw-p-cat:has-text('暴露垃圾')")
    page.set_input_files("#id_photos", jpeg("before.jpg", 7, "before"))
    page.wait_for_selector("#photo-previews img.cw-m-thumb")
    # Map pick: no GPS here; tap left of the centre, inside grid GA.
    box = page.locator("#report-map").bounding_box()
    page.locator("#report-map").click(position={"x": box["width"] / 2 - 25, "y": box["height"] / 2})
    page.wait_for_function("document.getElementById('id_lng').value !== ''")
    page.fill("#id_description", "桥头路边堆了很多生活垃圾")
    page.fill("#id_phone", "13812345678")
    shot(page, "public-report-phone")
    with page.expect_navigation():
        page.click("#report-submit")
    code = page.locator("#done-code").inner_text().strip()
    shot(page, "public-report-done")
    problem = Problem.objects.get(tracking_code=code)
    assert (problem.source, problem.status, problem.grid.code) == (
        "citizen",
        "verifying_report",
        "GA",
    )
    assert problem.photos.count() == 1

    _close(problem, ledger)

    page.click("#done-track")
    page.wait_for_selector("#after-photos img.cw-p-after")
    assert page.locator("#status-stage").inner_text().strip() == "已办结"
    assert "垃圾已清运" in page.locator("#timeline").inner_text()
    # The thumbnail is lazy-loaded: bring it into view and wait for the decoded picture.
    page.locator("#after-photos img").first.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#after-photos img').naturalWidth > 0")
    loaded = page.evaluate("document.querySelector('#after-photos img').naturalWidth")
    assert loaded > 0
    assert "13812345678" not in page.content()
    page.click("label.cw-p-level:has-text('基本满意')")
    page.fill("#id_comment", "处理及时")
    shot(page, "public-track-rate")
    with page.expect_navigation():
        page.click("#rating-submit")
    assert page.locator("#rating-given").inner_text().startswith("基本满意")
    shot(page, "public-track-rated")
    assert SatisfactionRating.objects.get().level == "basically"
    assert page.console_errors == []


def test_citizen_sees_a_clear_message_without_location(
    citizen: Any, ledger: dict[str, Any], settings: Any
):
    PublicCategory.objects.create(category=ledger["category"], name="暴露垃圾", icon="bi-trash")
    from chuangwei.places.tests.factories import GridFactory

    GridFactory(code="D1", name="甲区", level=1, bounds=(117.30, 34.80, 117.34, 34.82))
    page = citizen
    page.goto(f"{page.base}/public/report/")
    # Without map tiles the picker still shows where the city is: the district outline.
    page.wait_for_selector("#report-map .leaflet-overlay-pane path")
    page.click("label.cw-p-cat:has-text('暴露垃圾')")
    page.set_input_files("#id_photos", jpeg("before.jpg", 7, "before"))
    page.click("#report-submit")
    toast = page.locator(".cw-m-toast-error")
    toast.wait_for()
    assert "位置" in toast.inner_text()
    assert Problem.objects.count() == 0


def test_office_pages_in_the_browser(page_as: Any, ledger: dict[str, Any]):
    from chuangwei.public import services

    survey = services.create_survey(
        title="满意度调查",
        kind="satisfaction",
        status="open",
        questions=[("满意吗", [("满意", True), ("基本满意", True), ("不满意", False)])],
        by=ledger["office"],
    )
    q = survey.questions.get()
    for i, choice in enumerate([0, 1, 2, 0]):
        services.submit_survey(
            survey, district_id=ledger["district"].pk, answers={q.pk: choice}, device_id=f"d{i}"
        )
    office = page_as("office")
    office.goto(f"{office.base}/public/manage/surveys/{survey.pk}/")
    assert "75.0%" in office.locator("#results-table").inner_text()
    shot(office, "public-survey-results")
    office.goto(f"{office.base}/public/manage/moderation/")
    shot(office, "public-moderation")
    assert office.console_errors == []


def test_exposure_board_and_home_on_a_phone(citizen: Any, ledger: dict[str, Any]):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangwei.problems.tests.conftest import IN_A
    from chuangwei.public import services

    public = PublicCategory.objects.create(
        category=ledger["category"], name="暴露垃圾", icon="bi-trash"
    )
    before = SimpleUploadedFile("b.jpg", scene_jpeg(3, "before"), content_type="image/jpeg")
    problem = services.submit_citizen_report(
        public_category=public,
        lng=IN_A[0],
        lat=IN_A[1],
        uploads=[ledger_services.Upload(before)],
        description="河边垃圾堆积",
        phone="13812345678",
    )
    _close(problem, ledger)
    exposure = services.propose_exposure(
        problem, title="河边垃圾长期堆放", summary="已督促整改", by=ledger["office"]
    )
    services.moderate_exposure(exposure, decision="approve", by=ledger["office"])
    page = citizen
    page.goto(f"{page.base}/public/")
    shot(page, "public-home")
    page.goto(f"{page.base}/public/exposure/")
    page.wait_for_selector(f"#exposure-{exposure.pk} img")
    text = page.locator(f"#exposure-{exposure.pk}").inner_text()
    assert "河边垃圾长期堆放" in text
    assert "13812345678" not in page.content()
    shot(page, "public-exposure")
    assert page.console_errors == []
