"""The leaders' dashboard and the briefings in a real browser, on a (reduced) demo city."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from docx import Document

from chuangwei.demo.generator import DEMO_PASSWORD, build_demo_city
from chuangwei.problems.models import Problem
from chuangwei.reports.models import Briefing
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    build_demo_city(seed=7, sites=300, problems=True)


@pytest.fixture
def demo_page(browser: Any, live_server: Any, demo_city: None):  # type: ignore[no-untyped-def]
    contexts: list[Any] = []

    def make(username: str, *, width: int = 1440, height: int = 900) -> Any:
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.base = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()


def drawn_canvases(page: Any, selector: str) -> int:
    """Canvases under ``selector`` with at least one non-transparent pixel."""
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' canvas')).filter(c => {
            const ctx = c.getContext('2d'); if (!ctx || !c.width || !c.height) return false;
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4 * 97) { if (d[i] > 0) return true; }
            return false; }).length""",
        selector,
    )


def test_dashboard_draws_map_and_charts_and_a_kpi_opens_the_filtered_ledger(demo_page):
    page = demo_page("office")
    page.goto(f"{page.base}/dashboard/")
    page.wait_for_selector("body[data-dashboard=drawn]", state="attached")
    page.wait_for_selector("#dash-map[data-ready='1']")
    page.wait_for_timeout(800)  # ECharts' first animation frame
    shot(page, "dashboard-office")
    assert page.evaluate("window.cwBoard.gridLayer.getLayers().length") == 184
    assert page.evaluate("window.cwBoard.layers.points.getLayers().length") > 0
    assert drawn_canvases(page, "#dash-map") >= 1
    for chart in (
        "#chart-trend",
        "#chart-categories",
        "#chart-sources",
        "#chart-units",
        "#chart-rates",
    ):
        assert drawn_canvases(page, chart) >= 1, chart
    assert page.console_errors == []

    value = int(page.locator("#kpi-reported .cw-kpi-value").get_attribute("data-value"))
    assert value > 0
    with page.expect_navigation():
        page.click("#kpi-reported")
    query = parse_qs(urlsplit(page.url).query)
    assert urlsplit(page.url).path == "/problems/"
    assert set(query) == {"reported_after", "reported_before"}
    shot(page, "dashboard-kpi-ledger")
    assert page.locator("#object-table").inner_text().replace(",", "").count(str(value)) >= 1
    assert Problem.objects.filter(reported_at__date__gte=query["reported_after"][0]).exists()
    assert page.console_errors == []


def test_big_screen_draws_itself_dark_and_full_size(demo_page):
    page = demo_page("leader", width=1920, height=1080)
    page.goto(f"{page.base}/dashboard/screen/")
    page.wait_for_selector("body[data-dashboard=drawn]", state="attached")
    page.wait_for_selector("#dash-map[data-ready='1']")
    page.wait_for_timeout(800)
    shot(page, "dashboard-screen")
    assert page.locator("html").get_attribute("data-bs-theme") == "dark"
    assert drawn_canvases(page, "#chart-trend") >= 1
    assert page.locator("#kpis .cw-kpi").count() == 10
    assert page.console_errors == []


def test_a_briefing_is_generated_published_and_downloaded(demo_page):
    page = demo_page("office")
    draft = Briefing.objects.get(status="draft")
    page.goto(f"{page.base}/reports/briefings/{draft.pk}/")
    with page.expect_navigation():
        page.click("#btn-generate")
    page.wait_for_selector("#generation[data-status=done]")
    shot(page, "briefing-generated")
    with page.expect_navigation():
        page.click("#btn-submit")
    page.click("#btn-publish")
    page.locator("#cw-confirm .cw-confirm-ok").click()
    page.wait_for_selector("#briefing-status[data-status=published]")
    shot(page, "briefing-published")
    with page.expect_download() as info:
        page.click("#btn-docx")
    doc = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    texts = [p.text for p in doc.paragraphs]
    draft.refresh_from_db()
    assert (draft.year_number, draft.total_number) == (draft.year_number, 4)
    assert f"{draft.year}年第{draft.year_number}期（总第4期）" in texts
    assert texts[0] == "创卫工作简报"
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["单位", "上报数", "结案数", "按期结案率", "返工数", "未结数", "超期数"]
    assert len(doc.tables[0].rows) >= 2
    assert len(doc.inline_shapes) >= 1
    assert page.console_errors == []
    page.goto(f"{page.base}/reports/")
    shot(page, "briefing-archive")
    assert page.locator("#object-table tbody tr").count() == 4
