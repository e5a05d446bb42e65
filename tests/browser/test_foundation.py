"""Foundation journeys in a real browser: sign in, grid map, site list, filter, export, scope."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(lng: float, lat: float, size: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
        ],
    }


@pytest.fixture
def small_city(org_tree: dict[str, Any]) -> dict[str, Any]:
    from chuangwei.places.models import Grid, Site, SiteType
    from chuangwei.places.services import save_grid, save_site

    large = save_grid(
        Grid(
            code="L1",
            name="甲区大网格",
            level=1,
            unit=org_tree["district"],
            geometry=square(117.30, 34.80, 0.04),
        )
    )
    grid_a = save_grid(
        Grid(
            code="L1-S1",
            name="甲一网格",
            level=3,
            parent=large,
            unit=org_tree["community_a"],
            geometry=square(117.30, 34.80, 0.02),
        )
    )
    grid_b = save_grid(
        Grid(
            code="L1-S2",
            name="乙一网格",
            level=3,
            parent=large,
            unit=org_tree["community_b"],
            geometry=square(117.32, 34.80, 0.02),
        )
    )
    market = SiteType.objects.create(code="market", name="农贸市场")
    toilet = SiteType.objects.create(code="toilet", name="公共厕所")
    sites = [
        ("S001", "光明路农贸市场", market, 117.305, 34.805, org_tree["community_a"]),
        ("S002", "光明路公厕", toilet, 117.306, 34.806, org_tree["community_a"]),
        ("S003", "乙街农贸市场", market, 117.325, 34.805, org_tree["community_b"]),
    ]
    for code, name, kind, lng, lat, unit in sites:
        save_site(Site(code=code, name=name, site_type=kind, lng=lng, lat=lat, unit=unit))
    return {"grids": [large, grid_a, grid_b], "market": market}


def test_office_opens_grid_map_with_grids_and_sites(page_as, small_city):
    page = page_as("office")
    page.goto(f"{page.base}/places/map/")
    page.wait_for_selector("#grid-map[data-loaded1='1'][data-loaded3='1'][data-sites-loaded='3']")
    grid_map = page.locator("#grid-map")
    assert (grid_map.get_attribute("data-count1"), grid_map.get_attribute("data-count3")) == (
        "1",
        "2",
    )
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1
    assert page.locator("#site-count").inner_text() == "3"
    shot(page, "grid-map-office")
    assert page.console_errors == []


def test_office_filters_site_list_and_exports_excel(page_as, small_city, tmp_path):
    page = page_as("office")
    page.goto(f"{page.base}/places/sites/")
    assert page.locator("table.cw-table").get_attribute("data-count") == "3"
    page.select_option("#id_site_type", str(small_city["market"].pk))
    page.click("#search-form button[type=submit]")
    page.wait_for_function("document.querySelector('table.cw-table').dataset.count === '2'")
    assert "site_type=" in page.url
    shot(page, "site-list-filtered")
    with page.expect_download() as info:
        page.click("#export-link")
    path = tmp_path / "sites.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {r[1] for r in rows[1:]} == {"光明路农贸市场", "乙街农贸市场"}


def test_handler_sees_only_their_subtree(page_as, small_city):
    page = page_as("handler_a")
    page.goto(f"{page.base}/places/sites/")
    assert page.locator("table.cw-table").get_attribute("data-count") == "2"
    assert page.get_by_text("乙街农贸市场").count() == 0
    page.goto(f"{page.base}/org/units/")
    names = page.locator("table.cw-table tbody td:nth-child(3)").all_inner_texts()
    assert sorted(names) == ["甲一社区", "甲街道"]
    shot(page, "handler-units")
    assert page.locator("text=新增").count() == 0
