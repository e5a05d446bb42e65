"""The city's bounds: where an input point is plausible (places.services.city_bounds), and the
sites' entry paths (service, API, page) refusing a point far outside them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from chuangwei.core.errors import InvalidInput
from chuangwei.places import services
from chuangwei.places.choices import GridLevel
from chuangwei.places.models import Grid, Site

from .factories import GridFactory, SiteFactory, SiteTypeFactory, rectangle

PARIS = (2.3522, 48.8566)
# 20 km around the grid (117.30–117.32, 34.80–34.82): 0.1799° of latitude, 0.2196° of
# longitude at 34.9999° N.
DERIVED = (117.0804, 34.6201, 117.5396, 34.9999)


@pytest.fixture
def grid(db: Any) -> Any:
    return GridFactory(code="GA", bounds=(117.30, 34.80, 117.32, 34.82))


def _rounded(bounds: services.CityBounds) -> tuple[float, ...]:
    return tuple(
        round(v, 4) for v in (bounds.min_lng, bounds.min_lat, bounds.max_lng, bounds.max_lat)
    )


def test_bounds_are_the_grids_extent_plus_20_km(grid):
    assert _rounded(services.city_bounds()) == DERIVED


def test_bounds_follow_a_new_grid(grid):
    services.city_bounds()
    GridFactory(code="GB", bounds=(117.40, 34.80, 117.42, 34.82))
    assert _rounded(services.city_bounds())[2] == 117.6396


def test_bounds_follow_a_deleted_grid(grid):
    # Written like a first import, which is not checked against the grids stored before.
    far = Grid(code="GB", name="远网格", level=GridLevel.LARGE, unit=grid.unit)
    far.geometry = rectangle(117.90, 34.80, 117.92, 34.82)
    services.save_grid(far, bounds=services.ANYWHERE)
    assert _rounded(services.city_bounds())[2] == 118.1396
    far.delete()
    assert _rounded(services.city_bounds()) == DERIVED


def test_margin_is_a_setting(grid, settings):
    settings.CHUANGWEI_CITY_BOUNDS_MARGIN_KM = 0
    assert _rounded(services.city_bounds()) == (117.30, 34.80, 117.32, 34.82)


def test_setting_overrides_the_grids(grid, settings):
    settings.CHUANGWEI_CITY_BOUNDS = (116.0, 34.0, 118.0, 36.0)
    assert _rounded(services.city_bounds()) == (116.0, 34.0, 118.0, 36.0)


def test_without_grids_or_setting_only_wgs84_ranges_apply(db):
    assert services.city_bounds() == services.ANYWHERE
    assert services.point_to_wgs84(*PARIS) == PARIS


def test_point_inside_the_margin_is_accepted(grid):
    assert services.point_to_wgs84(117.45, 34.90) == (117.45, 34.90)


def test_point_outside_names_each_coordinate(grid):
    with translation.override("en"), pytest.raises(InvalidInput) as exc:
        services.point_to_wgs84(*PARIS)
    with translation.override("en"):
        assert exc.value.as_dict() == {
            "code": "outside_city",
            "message": "The location is outside the city. Check the point on the map.",
            "fields": {
                "lng": ["Longitude 2.3522 is outside the city (117.0804–117.5396)."],
                "lat": ["Latitude 48.8566 is outside the city (34.6201–34.9999)."],
            },
        }


def test_only_the_coordinate_outside_is_named(grid):
    with pytest.raises(InvalidInput) as exc:
        services.point_to_wgs84(117.31, 40.0, fields=("long", "lat"))
    assert list(exc.value.fields) == ["lat"]


def test_gcj02_input_is_checked_after_conversion(grid, settings):
    settings.CHUANGWEI_CITY_BOUNDS = (117.30, 34.80, 117.32, 34.82)
    # 117.318/34.818 in GCJ-02 is about 117.3126/34.8164 in WGS-84: inside.
    lng, lat = services.point_to_wgs84(117.318, 34.818, "gcj02")
    assert 117.30 < lng < 117.32 and 34.80 < lat < 34.82


def test_save_site_refuses_paris_and_stores_nothing(grid):
    site = Site(code="S1", name="巴黎", site_type=SiteTypeFactory(), lng=PARIS[0], lat=PARIS[1])
    site.unit = grid.unit
    with pytest.raises(InvalidInput) as exc:
        services.save_site(site)
    assert exc.value.code == "outside_city"
    assert not Site.objects.exists()


def _site_body(grid: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "code": "SX",
        "name": "新点位",
        "site_type": SiteTypeFactory().pk,
        "lng": 117.305,
        "lat": 34.805,
        "unit": grid.unit.pk,
    }
    body.update(changes)
    return body


def test_api_refuses_a_site_at_paris(api_as, grid):
    response = api_as("office").post(
        "/api/v1/sites/", _site_body(grid, lng=PARIS[0], lat=PARIS[1]), format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], sorted(error["fields"])) == ("outside_city", ["lat", "lng"])
    assert not Site.objects.exists()


def test_api_refuses_moving_a_site_to_paris(api_as, grid):
    site = SiteFactory(lng=117.305, lat=34.805, unit=grid.unit)
    response = api_as("office").patch(
        f"/api/v1/sites/{site.pk}/", {"lng": PARIS[0], "lat": PARIS[1]}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "outside_city")
    assert Site.objects.values_list("lng", "lat").get() == (117.305, 34.805)


def test_api_accepts_a_site_in_the_city(api_as, grid):
    response = api_as("office").post("/api/v1/sites/", _site_body(grid), format="json")
    assert response.status_code == 201
    assert Site.objects.get().grid == grid


def test_site_page_refuses_paris_with_the_message_on_the_fields(client_as, grid):
    body = _site_body(grid, lng=PARIS[0], lat=PARIS[1], crs="wgs84", status="operating")
    response = client_as("office").post(reverse("places:site_create"), body)
    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "%(coordinate)s %(value)s is outside the city (%(low)s–%(high)s)."
        ) % {
            "coordinate": translation.gettext("Longitude"),
            "value": "2.3522",
            "low": "117.0804",
            "high": "117.5396",
        }
    assert form.errors["lng"] == [expected]
    assert list(form.errors) == ["lng", "lat"]
    assert not Site.objects.exists()


# Grids: a boundary must lie within the bounds of the *other* grids ---------------------------

# GA (fixture) spans 117.30–117.32; 20 km around it reach 117.5396 in the east.
NEAR = (117.50, 34.80, 117.52, 34.82)  # inside GA's bounds


def _grid_bbox(code: str) -> tuple[float, ...]:
    return Grid.objects.values_list(
        "bbox_min_lng", "bbox_min_lat", "bbox_max_lng", "bbox_max_lat"
    ).get(code=code)


def test_a_new_grid_far_outside_the_city_is_refused(grid):
    with translation.override("en"), pytest.raises(InvalidInput) as exc:
        GridFactory(code="FAR", bounds=(PARIS[0], PARIS[1], PARIS[0] + 0.01, PARIS[1] + 0.01))
    with translation.override("en"):
        assert (exc.value.code, exc.value.fields["geometry"][:2]) == (
            "outside_city",
            [
                "Longitude 2.3522 is outside the city (117.0804–117.5396).",
                "Longitude 2.3622 is outside the city (117.0804–117.5396).",
            ],
        )
    assert not Grid.objects.filter(code="FAR").exists()


def test_an_edited_grid_is_checked_without_its_own_stored_boundary(grid):
    """GB's stored boundary would widen the bounds to 117.7596; without it they end at
    117.5396, so stretching GB to 117.70 is refused."""
    near = GridFactory(code="GB", bounds=NEAR)
    near.geometry = rectangle(117.50, 34.80, 117.70, 34.82)
    with pytest.raises(InvalidInput) as exc:
        services.save_grid(near)
    assert exc.value.code == "outside_city"
    assert _grid_bbox("GB") == NEAR


def test_the_only_grid_may_move_anywhere(grid):
    grid.geometry = rectangle(116.0, 35.0, 116.02, 35.02)
    services.save_grid(grid)
    assert _grid_bbox("GA") == (116.0, 35.0, 116.02, 35.02)


def test_a_grid_inside_the_margin_is_accepted(grid):
    GridFactory(code="GB", bounds=NEAR)
    assert _grid_bbox("GB") == NEAR


def test_a_grid_outside_the_set_bounds_is_refused(grid, settings):
    settings.CHUANGWEI_CITY_BOUNDS = (117.0, 34.0, 118.0, 35.0)
    with pytest.raises(InvalidInput) as exc:
        GridFactory(code="NORTH", bounds=(117.30, 34.99, 117.32, 35.01))
    assert (exc.value.code, list(exc.value.fields)) == ("outside_city", ["geometry"])


def test_grid_api_refuses_moving_a_grid_far_outside(api_as, grid):
    GridFactory(code="GB", bounds=NEAR)
    gb = Grid.objects.get(code="GB")
    response = api_as("admin").patch(
        f"/api/v1/grids/{gb.pk}/",
        {"geometry": rectangle(PARIS[0], PARIS[1], PARIS[0] + 0.01, PARIS[1] + 0.01)},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "outside_city")
    assert _grid_bbox("GB") == NEAR
