"""Tests for chuangwei.lib.geo. Pure: no Django, no database.

Expected coordinate values were computed once with an independent implementation of the
published WGS-84/GCJ-02/BD-09 formulas and are fixed here.
"""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.utils import translation
from shapely.geometry import Point, shape

from chuangwei.lib import geo

R = 6371008.8
M_PER_DEG = R * math.pi / 180.0

ZAOZHUANG_WGS = (117.55, 34.85)
ZAOZHUANG_GCJ = (117.55568641120561, 34.84903104399228)
ZAOZHUANG_BD = (117.56226805022237, 34.854793880523935)
BEIJING_WGS = (116.397428, 39.90923)
BEIJING_GCJ = (116.40367162595768, 39.91063350638631)
BEIJING_BD = (116.41004410170474, 39.916972856075134)
PARIS = (2.3522, 48.8566)


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """The fault messages are matched by their English msgids (a test that reads the Chinese
    switches language itself)."""
    with translation.override("en"):
        yield


def square(x0: float, y0: float, size: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
        ],
    }


def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def assert_close(actual: tuple[float, float], expected: tuple[float, float], tol: float) -> None:
    assert abs(actual[0] - expected[0]) < tol, (actual, expected)
    assert abs(actual[1] - expected[1]) < tol, (actual, expected)


# --- validate_point ---------------------------------------------------------------------------


def test_validate_point_returns_floats() -> None:
    assert geo.validate_point(117, 34) == (117.0, 34.0)
    assert all(type(v) is float for v in geo.validate_point(117, 34))


def test_validate_point_accepts_numeric_strings() -> None:
    assert geo.validate_point("117.55", " 34.85 ") == (117.55, 34.85)


def test_validate_point_accepts_decimal_and_numpy() -> None:
    assert geo.validate_point(Decimal("117.5"), np.float64(34.5)) == (117.5, 34.5)


def test_validate_point_accepts_range_limits() -> None:
    assert geo.validate_point(-180, -90) == (-180.0, -90.0)
    assert geo.validate_point(180, 90) == (180.0, 90.0)


@pytest.mark.parametrize(
    ("lng", "lat"),
    [
        (float("nan"), 34.0),
        (117.0, float("nan")),
        (float("inf"), 34.0),
        (117.0, float("-inf")),
        ("nan", "34"),
        (180.0001, 34.0),
        (-180.0001, 34.0),
        (117.0, 90.0001),
        (117.0, -90.0001),
        ("abc", 34.0),
        ("", 34.0),
        (None, 34.0),
        (True, 34.0),
        ([117.0], 34.0),
    ],
)
def test_validate_point_rejects_bad_values(lng: Any, lat: Any) -> None:
    with pytest.raises(geo.GeometryError) as excinfo:
        geo.validate_point(lng, lat)
    assert excinfo.value.code == "invalid_coordinates"


def test_validate_point_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        geo.validate_point(200, 0)


# --- coordinate systems -----------------------------------------------------------------------


def test_wgs84_to_gcj02_zaozhuang_matches_published_formula() -> None:
    assert_close(geo.wgs84_to_gcj02(*ZAOZHUANG_WGS), ZAOZHUANG_GCJ, 1e-12)


def test_wgs84_to_gcj02_beijing_matches_published_formula() -> None:
    assert_close(geo.wgs84_to_gcj02(*BEIJING_WGS), BEIJING_GCJ, 1e-12)


def test_gcj02_to_bd09_beijing_matches_published_formula() -> None:
    assert_close(geo.gcj02_to_bd09(*BEIJING_GCJ), BEIJING_BD, 1e-12)


def test_wgs84_to_bd09_zaozhuang_matches_published_formula() -> None:
    assert_close(geo.wgs84_to_bd09(*ZAOZHUANG_WGS), ZAOZHUANG_BD, 1e-12)


def test_gcj02_to_wgs84_inverts_zaozhuang_exactly() -> None:
    assert_close(geo.gcj02_to_wgs84(*ZAOZHUANG_GCJ), ZAOZHUANG_WGS, 1e-8)


def test_gcj02_to_wgs84_inverts_beijing_exactly() -> None:
    assert_close(geo.gcj02_to_wgs84(*BEIJING_GCJ), BEIJING_WGS, 1e-8)


def test_bd09_to_wgs84_inverts_zaozhuang_exactly() -> None:
    assert_close(geo.bd09_to_wgs84(*ZAOZHUANG_BD), ZAOZHUANG_WGS, 1e-8)


def test_bd09_to_gcj02_inverts_beijing_exactly() -> None:
    assert_close(geo.bd09_to_gcj02(*BEIJING_BD), BEIJING_GCJ, 1e-8)


def test_gcj02_round_trip_is_exact_across_china() -> None:
    rng = random.Random(7)
    worst = 0.0
    for _ in range(500):
        point = (rng.uniform(75.0, 134.0), rng.uniform(5.0, 53.0))
        back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(*point))
        worst = max(worst, abs(back[0] - point[0]), abs(back[1] - point[1]))
    assert worst < 1e-7


def test_bd09_round_trip_is_exact_across_china() -> None:
    rng = random.Random(8)
    worst = 0.0
    for _ in range(500):
        point = (rng.uniform(75.0, 134.0), rng.uniform(5.0, 53.0))
        back = geo.bd09_to_wgs84(*geo.wgs84_to_bd09(*point))
        worst = max(worst, abs(back[0] - point[0]), abs(back[1] - point[1]))
    assert worst < 1e-7


def test_wgs84_to_gcj02_outside_china_is_identity() -> None:
    assert geo.wgs84_to_gcj02(*PARIS) == PARIS


def test_gcj02_to_wgs84_outside_china_is_identity() -> None:
    assert geo.gcj02_to_wgs84(*PARIS) == PARIS


def test_conversions_return_float_tuples() -> None:
    result = geo.gcj02_to_wgs84(*ZAOZHUANG_GCJ)
    assert isinstance(result, tuple)
    assert all(type(v) is float for v in result)


def test_conversion_rejects_invalid_coordinates() -> None:
    with pytest.raises(geo.GeometryError) as excinfo:
        geo.gcj02_to_wgs84(float("nan"), 34.0)
    assert excinfo.value.code == "invalid_coordinates"


def test_to_wgs84_default_crs_is_identity() -> None:
    assert geo.to_wgs84(*ZAOZHUANG_WGS) == ZAOZHUANG_WGS


def test_to_wgs84_from_gcj02() -> None:
    assert_close(geo.to_wgs84(*ZAOZHUANG_GCJ, crs=geo.CRS_GCJ02), ZAOZHUANG_WGS, 1e-8)


def test_to_wgs84_from_bd09() -> None:
    assert_close(geo.to_wgs84(*BEIJING_BD, crs=geo.CRS_BD09), BEIJING_WGS, 1e-8)


def test_to_wgs84_accepts_strings() -> None:
    assert geo.to_wgs84("117.55", "34.85", "wgs84") == ZAOZHUANG_WGS


def test_to_wgs84_rejects_unknown_crs() -> None:
    with pytest.raises(geo.GeometryError) as excinfo:
        geo.to_wgs84(117.55, 34.85, "epsg:3857")
    assert excinfo.value.code == "unknown_crs"


def test_to_wgs84_rejects_invalid_coordinates() -> None:
    with pytest.raises(geo.GeometryError) as excinfo:
        geo.to_wgs84(34.85, 117.55, geo.CRS_GCJ02)
    assert excinfo.value.code == "invalid_coordinates"


def test_crs_choices() -> None:
    assert geo.CRS_CHOICES == ("wgs84", "gcj02", "bd09")


# --- distance ---------------------------------------------------------------------------------


def test_distance_one_degree_of_latitude() -> None:
    assert geo.distance_m(117.0, 34.0, 117.0, 35.0) == pytest.approx(M_PER_DEG, abs=1e-6)


def test_distance_one_degree_of_longitude_at_equator() -> None:
    assert geo.distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(M_PER_DEG, abs=1e-6)


def test_distance_same_point_is_zero() -> None:
    assert geo.distance_m(*ZAOZHUANG_WGS, *ZAOZHUANG_WGS) == 0.0


def test_distance_is_symmetric() -> None:
    there = geo.distance_m(*ZAOZHUANG_WGS, *BEIJING_WGS)
    back = geo.distance_m(*BEIJING_WGS, *ZAOZHUANG_WGS)
    assert there == pytest.approx(back, rel=1e-15)


def test_distance_antipodes_is_half_circumference() -> None:
    assert geo.distance_m(0.0, 0.0, 180.0, 0.0) == pytest.approx(math.pi * R, rel=1e-12)


# --- parse_geometry ---------------------------------------------------------------------------

UNIT_SQUARE_CCW = [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]


def test_parse_geometry_accepts_polygon() -> None:
    result = geo.parse_geometry({"type": "Polygon", "coordinates": UNIT_SQUARE_CCW})
    assert result == {"type": "Polygon", "coordinates": UNIT_SQUARE_CCW}


def test_parse_geometry_orients_exterior_counter_clockwise() -> None:
    clockwise = [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]
    result = geo.parse_geometry({"type": "Polygon", "coordinates": clockwise})
    assert result["coordinates"] == UNIT_SQUARE_CCW


def test_parse_geometry_closes_open_ring() -> None:
    result = geo.parse_geometry(
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    )
    assert result["coordinates"] == UNIT_SQUARE_CCW


def test_parse_geometry_rounds_to_seven_decimals() -> None:
    ring = [[117.123456789, 34.0], [117.2, 34.0], [117.2, 34.100000049], [117.123456789, 34.0]]
    result = geo.parse_geometry({"type": "Polygon", "coordinates": [ring]})
    assert result["coordinates"] == [
        [[117.1234568, 34.0], [117.2, 34.0], [117.2, 34.1], [117.1234568, 34.0]]
    ]


def test_parse_geometry_drops_altitude() -> None:
    ring = [[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 1, 5], [0, 0, 5]]
    result = geo.parse_geometry({"type": "Polygon", "coordinates": [ring]})
    assert result["coordinates"] == UNIT_SQUARE_CCW


def test_parse_geometry_keeps_hole_clockwise() -> None:
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]
    result = geo.parse_geometry({"type": "Polygon", "coordinates": [outer, hole]})
    assert result["coordinates"][1] == [[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [2.0, 1.0], [1.0, 1.0]]


def test_parse_geometry_accepts_multipolygon() -> None:
    coords = [UNIT_SQUARE_CCW, square(2, 0, 1)["coordinates"]]
    result = geo.parse_geometry({"type": "MultiPolygon", "coordinates": coords})
    assert result == {
        "type": "MultiPolygon",
        "coordinates": [
            UNIT_SQUARE_CCW,
            [[[2.0, 0.0], [3.0, 0.0], [3.0, 1.0], [2.0, 1.0], [2.0, 0.0]]],
        ],
    }


def test_parse_geometry_accepts_feature() -> None:
    feature = {"type": "Feature", "properties": {"name": "A"}, "geometry": square(0, 0, 1)}
    assert geo.parse_geometry(feature) == {"type": "Polygon", "coordinates": UNIT_SQUARE_CCW}


def test_parse_geometry_accepts_json_string() -> None:
    text = json.dumps(square(0, 0, 1))
    assert geo.parse_geometry(text) == {"type": "Polygon", "coordinates": UNIT_SQUARE_CCW}


def test_parse_geometry_accepts_json_bytes() -> None:
    data = json.dumps(square(0, 0, 1)).encode()
    assert geo.parse_geometry(data) == {"type": "Polygon", "coordinates": UNIT_SQUARE_CCW}


def test_parse_geometry_is_idempotent() -> None:
    ring = [[117.123456789, 34.0], [117.1, 34.2], [117.2, 34.100000049], [117.25, 33.9]]
    once = geo.parse_geometry({"type": "Polygon", "coordinates": [ring]})
    assert geo.parse_geometry(once) == once


def test_parse_geometry_repairs_bowtie_into_two_triangles() -> None:
    bowtie = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
    result = geo.parse_geometry({"type": "Polygon", "coordinates": bowtie})
    assert result["type"] == "MultiPolygon"
    assert len(result["coordinates"]) == 2
    assert shape(result).area == pytest.approx(0.5)
    assert shape(result).is_valid


def test_parse_geometry_repairs_spike_by_dropping_it() -> None:
    spike = [[[0, 0], [1, 0], [1, 1], [1, 2], [1, 1], [0, 1], [0, 0]]]
    result = geo.parse_geometry({"type": "Polygon", "coordinates": spike})
    assert result == {"type": "Polygon", "coordinates": UNIT_SQUARE_CCW}


def test_parse_geometry_merges_overlapping_multipolygon_parts() -> None:
    parts = [box(0, 0, 2, 2)["coordinates"], box(1, 1, 3, 3)["coordinates"]]
    result = geo.parse_geometry({"type": "MultiPolygon", "coordinates": parts})
    assert result["type"] == "Polygon"
    assert shape(result).area == pytest.approx(7.0)


def test_parse_geometry_rejects_zero_area_that_cannot_be_repaired() -> None:
    flat = [[[0, 0], [1, 0], [2, 0], [0, 0]]]
    with pytest.raises(geo.GeometryError, match="cannot be repaired") as excinfo:
        geo.parse_geometry({"type": "Polygon", "coordinates": flat})
    assert excinfo.value.code == "invalid_geometry"


def test_parse_geometry_rejects_ring_of_one_repeated_point() -> None:
    same = [[[1, 1], [1, 1], [1, 1], [1, 1]]]
    with pytest.raises(geo.GeometryError, match="cannot be repaired"):
        geo.parse_geometry({"type": "Polygon", "coordinates": same})


def test_parse_geometry_rejects_point() -> None:
    with pytest.raises(geo.GeometryError, match="'Point'") as excinfo:
        geo.parse_geometry({"type": "Point", "coordinates": [117.55, 34.85]})
    assert excinfo.value.code == "invalid_geometry"


def test_parse_geometry_rejects_feature_collection() -> None:
    collection = geo.feature_collection([(square(0, 0, 1), {})])
    with pytest.raises(geo.GeometryError, match="FeatureCollection"):
        geo.parse_geometry(collection)


def test_parse_geometry_rejects_empty_coordinates() -> None:
    with pytest.raises(geo.GeometryError, match="empty"):
        geo.parse_geometry({"type": "Polygon", "coordinates": []})


def test_parse_geometry_rejects_empty_multipolygon_part() -> None:
    with pytest.raises(geo.GeometryError, match="MultiPolygon part 1"):
        geo.parse_geometry({"type": "MultiPolygon", "coordinates": [UNIT_SQUARE_CCW, []]})


def test_parse_geometry_rejects_missing_coordinates() -> None:
    with pytest.raises(geo.GeometryError, match="no coordinates"):
        geo.parse_geometry({"type": "Polygon"})


def test_parse_geometry_rejects_invalid_json() -> None:
    with translation.override("en"), pytest.raises(geo.GeometryError, match="not valid JSON"):
        geo.parse_geometry("{not json")


@pytest.mark.parametrize("value", [None, 42, [1, 2], "[1, 2]", "null"])
def test_parse_geometry_rejects_non_objects(value: Any) -> None:
    with pytest.raises(geo.GeometryError) as excinfo:
        geo.parse_geometry(value)
    assert excinfo.value.code == "invalid_geometry"


def test_parse_geometry_rejects_feature_without_geometry() -> None:
    with pytest.raises(geo.GeometryError, match="no geometry"):
        geo.parse_geometry({"type": "Feature", "properties": {}, "geometry": None})


def test_parse_geometry_rejects_out_of_range_coordinates() -> None:
    swapped = [[[34.0, 117.0], [34.1, 117.0], [34.1, 117.1], [34.0, 117.0]]]
    with pytest.raises(geo.GeometryError, match="out of range"):
        geo.parse_geometry({"type": "Polygon", "coordinates": swapped})


@pytest.mark.parametrize("bad", ["1", None, float("nan"), float("inf"), True])
def test_parse_geometry_rejects_non_numeric_coordinates(bad: Any) -> None:
    ring = [[0, 0], [1, 0], [1, bad], [0, 0]]
    with pytest.raises(geo.GeometryError, match="finite numbers"):
        geo.parse_geometry({"type": "Polygon", "coordinates": [ring]})


def test_parse_geometry_rejects_malformed_position() -> None:
    with pytest.raises(geo.GeometryError, match="position"):
        geo.parse_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1], [1, 1], [0, 0]]]})


def test_parse_geometry_rejects_ring_with_two_corners() -> None:
    with pytest.raises(geo.GeometryError, match="at least 3 distinct corners"):
        geo.parse_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]})


# --- measurements -----------------------------------------------------------------------------


def test_geometry_bbox_of_square() -> None:
    assert geo.geometry_bbox(square(117.5, 34.8, 0.1)) == (117.5, 34.8, 117.6, 34.9)


def test_geometry_bbox_of_multipolygon() -> None:
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(0, 0, 1)["coordinates"], square(3, 2, 1)["coordinates"]],
    }
    assert geo.geometry_bbox(multi) == (0.0, 0.0, 4.0, 3.0)


def test_geometry_area_of_square_at_equator() -> None:
    area = geo.geometry_area_m2(box(0.0, -0.005, 0.01, 0.005))
    assert area == pytest.approx((0.01 * M_PER_DEG) ** 2, rel=1e-9)


def test_geometry_area_of_square_at_zaozhuang_uses_latitude() -> None:
    area = geo.geometry_area_m2(box(117.5, 34.8, 117.6, 34.9))
    expected = (0.1 * M_PER_DEG) ** 2 * math.cos(math.radians(34.85))
    assert area == pytest.approx(expected, rel=1e-9)


def test_geometry_area_excludes_holes() -> None:
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    full = geo.geometry_area_m2({"type": "Polygon", "coordinates": [outer]})
    holed = geo.geometry_area_m2({"type": "Polygon", "coordinates": [outer, hole]})
    # The hole moves the centroid (where the scale is taken) from lat 2 to 30.5 / 15.
    scale = M_PER_DEG * M_PER_DEG
    assert full == pytest.approx(16 * scale * math.cos(math.radians(2.0)), rel=1e-9)
    assert holed == pytest.approx(15 * scale * math.cos(math.radians(30.5 / 15)), rel=1e-9)


def test_geometry_centroid_of_square_is_centre() -> None:
    assert geo.geometry_centroid(square(0, 0, 1)) == (0.5, 0.5)


def test_geometry_centroid_of_c_shape_is_inside() -> None:
    c_shape = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]],
    }
    lng, lat = geo.geometry_centroid(c_shape)
    assert geo.point_in_geometry(c_shape, lng, lat)


def test_geometry_helpers_reject_non_polygon() -> None:
    with pytest.raises(geo.GeometryError):
        geo.geometry_bbox({"type": "Point", "coordinates": [0, 0]})


def test_point_in_geometry_inside() -> None:
    assert geo.point_in_geometry(square(0, 0, 1), 0.5, 0.5) is True


def test_point_in_geometry_outside() -> None:
    assert geo.point_in_geometry(square(0, 0, 1), 1.5, 0.5) is False


def test_point_in_geometry_boundary_counts_as_inside() -> None:
    assert geo.point_in_geometry(square(0, 0, 1), 1.0, 0.25) is True
    assert geo.point_in_geometry(square(0, 0, 1), 1.0, 1.0) is True


def test_point_in_geometry_hole_is_outside() -> None:
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    assert (
        geo.point_in_geometry({"type": "Polygon", "coordinates": [outer, hole]}, 1.5, 1.5) is False
    )


# --- GeoJSON collections ----------------------------------------------------------------------


def test_feature_collection_builds_geojson() -> None:
    result = geo.feature_collection([(square(0, 0, 1), {"id": 1}), (square(2, 0, 1), {"id": 2})])
    assert result == {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": square(0, 0, 1), "properties": {"id": 1}},
            {"type": "Feature", "geometry": square(2, 0, 1), "properties": {"id": 2}},
        ],
    }


def test_feature_collection_of_nothing_is_empty() -> None:
    assert geo.feature_collection([]) == {"type": "FeatureCollection", "features": []}


def test_iter_features_yields_parsed_geometry_and_properties() -> None:
    collection = geo.feature_collection([(square(0, 0, 1), {"name": "A"})])
    assert list(geo.iter_features(collection)) == [
        ({"type": "Polygon", "coordinates": UNIT_SQUARE_CCW}, {"name": "A"})
    ]


def test_iter_features_null_properties_become_empty_dict() -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": square(0, 0, 1), "properties": None}],
    }
    assert list(geo.iter_features(collection))[0][1] == {}


def test_iter_features_accepts_json_bytes() -> None:
    data = json.dumps(geo.feature_collection([(square(0, 0, 1), {"n": 1})])).encode()
    assert [props for _, props in geo.iter_features(data)] == [{"n": 1}]


def test_iter_features_reports_bad_feature_index() -> None:
    collection = geo.feature_collection(
        [(square(0, 0, 1), {}), ({"type": "Point", "coordinates": [0, 0]}, {})]
    )
    features = geo.iter_features(collection)
    next(features)
    with pytest.raises(geo.GeometryError, match=r"^Feature 1: ") as excinfo:
        next(features)
    assert excinfo.value.feature_index == 1
    assert excinfo.value.code == "invalid_geometry"


def test_iter_features_rejects_non_feature_item() -> None:
    collection = {"type": "FeatureCollection", "features": [square(0, 0, 1)]}
    with pytest.raises(geo.GeometryError, match="Feature 0: not a GeoJSON Feature"):
        list(geo.iter_features(collection))


def test_iter_features_rejects_non_collection_immediately() -> None:
    with pytest.raises(geo.GeometryError, match="FeatureCollection"):
        geo.iter_features(square(0, 0, 1))


def test_iter_features_rejects_garbage() -> None:
    with translation.override("en"), pytest.raises(geo.GeometryError, match="not valid JSON"):
        geo.iter_features(b"\x00garbage")


# --- GridIndex --------------------------------------------------------------------------------

# Level 1 covers 0..10, level 2 covers 0..4 inside it, level 3 covers 0..1 inside that.
NESTED = [
    (1, 1, box(0, 0, 10, 10)),
    (2, 2, box(0, 0, 4, 4)),
    (3, 3, box(0, 0, 1, 1)),
]


def test_locate_prefers_smallest_grid() -> None:
    assert geo.GridIndex(NESTED).locate(0.5, 0.5) == 3


def test_locate_point_only_in_medium_grid() -> None:
    assert geo.GridIndex(NESTED).locate(3.0, 3.0) == 2


def test_locate_point_only_in_large_grid() -> None:
    assert geo.GridIndex(NESTED).locate(8.0, 8.0) == 1


def test_locate_outside_all_grids_is_none() -> None:
    assert geo.GridIndex(NESTED).locate(11.0, 5.0) is None


def test_locate_on_small_grid_edge_counts_as_inside() -> None:
    assert geo.GridIndex(NESTED).locate(1.0, 0.5) == 3


def test_locate_on_outer_edge_counts_as_inside() -> None:
    assert geo.GridIndex(NESTED).locate(10.0, 10.0) == 1


def test_locate_ignores_input_order() -> None:
    assert geo.GridIndex(reversed(NESTED)).locate(0.5, 0.5) == 3


def test_locate_level_beats_area() -> None:
    # A (mis-drawn) level-3 grid larger than the level-2 grid it overlaps still wins.
    grids = [(10, 2, box(0, 0, 1, 1)), (20, 3, box(0, 0, 5, 5))]
    assert geo.GridIndex(grids).locate(0.5, 0.5) == 20


def test_locate_same_level_prefers_smaller_area() -> None:
    grids = [(10, 3, box(0, 0, 2, 2)), (20, 3, box(0, 0, 1, 1))]
    assert geo.GridIndex(grids).locate(0.5, 0.5) == 20


def test_locate_shared_boundary_prefers_smaller_id() -> None:
    grids = [(7, 3, box(117.50, 34.80, 117.51, 34.81)), (5, 3, box(117.51, 34.80, 117.52, 34.81))]
    assert geo.GridIndex(grids).locate(117.51, 34.805) == 5
    assert geo.GridIndex(list(reversed(grids))).locate(117.51, 34.805) == 5


def test_locate_rejects_invalid_coordinates() -> None:
    with pytest.raises(geo.GeometryError) as excinfo:
        geo.GridIndex(NESTED).locate(float("nan"), 0.5)
    assert excinfo.value.code == "invalid_coordinates"


def test_locate_handles_multipolygon_grid() -> None:
    multi = {
        "type": "MultiPolygon",
        "coordinates": [box(0, 0, 1, 1)["coordinates"], box(5, 5, 6, 6)["coordinates"]],
    }
    index = geo.GridIndex([(9, 3, multi)])
    assert (index.locate(5.5, 5.5), index.locate(3.0, 3.0)) == (9, None)


def test_locate_many_matches_examples() -> None:
    index = geo.GridIndex(NESTED)
    assert index.locate_many([0.5, 3.0, 8.0, 11.0], [0.5, 3.0, 8.0, 5.0]) == [3, 2, 1, None]


def test_locate_many_accepts_numpy_arrays() -> None:
    index = geo.GridIndex(NESTED)
    assert index.locate_many(np.array([0.5, 8.0]), np.array([0.5, 8.0])) == [3, 1]


def test_locate_many_returns_python_ints() -> None:
    result = geo.GridIndex(NESTED).locate_many([0.5], [0.5])
    assert type(result[0]) is int


def test_locate_many_invalid_points_are_none() -> None:
    index = geo.GridIndex(NESTED)
    lngs = [0.5, float("nan"), 200.0, 8.0, float("inf")]
    lats = [0.5, 0.5, 0.5, 8.0, 0.5]
    assert index.locate_many(lngs, lats) == [3, None, None, 1, None]


def test_locate_many_empty_input() -> None:
    assert geo.GridIndex(NESTED).locate_many([], []) == []


def test_locate_many_rejects_length_mismatch() -> None:
    with pytest.raises(ValueError, match="2 longitudes but 1 latitudes"):
        geo.GridIndex(NESTED).locate_many([0.5, 0.5], [0.5])


def test_empty_index_locates_nothing() -> None:
    index = geo.GridIndex([])
    assert (len(index), index.locate(0.5, 0.5), index.locate_many([0.5], [0.5])) == (
        0,
        None,
        [None],
    )


def test_index_len_counts_grids() -> None:
    assert len(geo.GridIndex(NESTED)) == 3


def test_index_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="Duplicate grid id 1"):
        geo.GridIndex([(1, 1, box(0, 0, 1, 1)), (1, 2, box(0, 0, 1, 1))])


def test_index_rejects_non_polygon_geometry() -> None:
    with pytest.raises(geo.GeometryError, match="Grid 4"):
        geo.GridIndex([(4, 1, {"type": "Point", "coordinates": [0, 0]})])


# --- brute-force comparison -------------------------------------------------------------------

X0, Y0 = 117.50, 34.80


def lattice(origin: float, k: int) -> float:
    """Grid line ``k`` at 0.01-degree spacing, as an exact 2-decimal float."""
    return round(origin + k * 0.01, 2)


def random_grids(seed: int = 20240601) -> list[tuple[int, int, dict[str, Any]]]:
    """Two large boxes, ~14 medium boxes, ~50 small cells (exact boxes or star polygons).

    Boxes share edges on a 0.01-degree lattice, so points on the lattice exercise ties.
    """
    rng = np.random.default_rng(seed)
    grids: list[tuple[int, int, dict[str, Any]]] = []
    ids = iter(rng.permutation(np.arange(1, 1000)).tolist())
    for big in range(2):
        bx = big * 6
        grids.append(
            (
                next(ids),
                1,
                box(lattice(X0, bx), lattice(Y0, 0), lattice(X0, bx + 6), lattice(Y0, 6)),
            )
        )
        for mi in range(3):
            for mj in range(3):
                if rng.random() < 0.2:
                    continue
                mx, my = bx + 2 * mi, 2 * mj
                grids.append(
                    (
                        next(ids),
                        2,
                        box(
                            lattice(X0, mx),
                            lattice(Y0, my),
                            lattice(X0, mx + 2),
                            lattice(Y0, my + 2),
                        ),
                    )
                )
                for ci in range(2):
                    for cj in range(2):
                        x0, y0 = lattice(X0, mx + ci), lattice(Y0, my + cj)
                        x1, y1 = lattice(X0, mx + ci + 1), lattice(Y0, my + cj + 1)
                        draw = rng.random()
                        if draw < 0.15:
                            continue
                        if draw < 0.45:
                            grids.append((next(ids), 3, box(x0, y0, x1, y1)))
                            continue
                        count = int(rng.integers(6, 11))
                        angles = np.sort(rng.uniform(0, 2 * math.pi, count))
                        radii = rng.uniform(0.15, 0.49, count) * 0.01
                        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                        ring = [
                            [cx + r * math.cos(a), cy + r * math.sin(a)]
                            for a, r in zip(angles, radii, strict=True)
                        ]
                        ring.append(ring[0])
                        geometry = geo.parse_geometry({"type": "Polygon", "coordinates": [ring]})
                        grids.append((next(ids), 3, geometry))
    return grids


def random_points(count: int = 2000, seed: int = 99) -> tuple[list[float], list[float]]:
    """Uniform points around the grids; a quarter snapped onto lattice lines or corners."""
    rng = np.random.default_rng(seed)
    lngs = rng.uniform(X0 - 0.01, X0 + 0.13, count).tolist()
    lats = rng.uniform(Y0 - 0.01, Y0 + 0.07, count).tolist()
    for i in range(0, count, 4):
        mode = (i // 4) % 3
        if mode in (0, 2):
            lngs[i] = lattice(X0, int(rng.integers(-1, 14)))
        if mode in (1, 2):
            lats[i] = lattice(Y0, int(rng.integers(-1, 8)))
    return lngs, lats


Grids = list[tuple[int, int, dict[str, Any]]]
# For each point, the (-level, area to the nearest m², id) keys of every grid covering it,
# found by testing every grid with shapely's covers().
Covering = list[list[tuple[int, int, int]]]


@pytest.fixture(scope="module")
def random_case() -> tuple[Grids, list[float], list[float], Covering]:
    grids = random_grids()
    lngs, lats = random_points()
    shapes = [
        ((-level, round(geo.geometry_area_m2(geometry)), grid_id), shape(geometry))
        for grid_id, level, geometry in grids
    ]
    covering = [
        [key for key, polygon in shapes if polygon.covers(Point(lng, lat))]
        for lng, lat in zip(lngs, lats, strict=True)
    ]
    return grids, lngs, lats, covering


def test_random_case_is_representative(random_case: Any) -> None:
    grids, _, _, covering = random_case
    assert [level for _, level, _ in grids].count(3) >= 40
    answers = [min(keys) if keys else None for keys in covering]
    assert {-key[0] for key in answers if key is not None} == {1, 2, 3}
    assert answers.count(None) > 50
    ties = sum(1 for keys in covering if len({k[0] for k in keys}) < len(keys))
    assert ties > 50


def test_locate_many_matches_brute_force(random_case: Any) -> None:
    grids, lngs, lats, covering = random_case
    shuffled = grids[:]
    random.Random(3).shuffle(shuffled)
    expected = [min(keys)[2] if keys else None for keys in covering]
    assert geo.GridIndex(shuffled).locate_many(lngs, lats) == expected


def test_locate_matches_locate_many(random_case: Any) -> None:
    grids, lngs, lats, _ = random_case
    index = geo.GridIndex(grids)
    one_by_one = [index.locate(lng, lat) for lng, lat in zip(lngs, lats, strict=True)]
    assert one_by_one == index.locate_many(lngs, lats)


# --- Bounds -----------------------------------------------------------------------------------


def test_grid_index_bounds_cover_every_grid() -> None:
    index = geo.GridIndex([(1, 1, box(0, 0, 10, 10)), (2, 1, box(20, -5, 21, 1))])
    assert index.bounds == (0.0, -5.0, 21.0, 10.0)


def test_empty_grid_index_has_no_bounds() -> None:
    assert geo.GridIndex([]).bounds is None


def test_expand_bbox_by_a_margin_in_metres() -> None:
    grown = geo.expand_bbox((117.0, 34.0, 118.0, 35.0), 20_000)
    d_lat = 20_000 / (geo.EARTH_RADIUS_M * math.pi / 180)
    d_lng = d_lat / math.cos(math.radians(35.0 + d_lat))
    assert grown == pytest.approx((117.0 - d_lng, 34.0 - d_lat, 118.0 + d_lng, 35.0 + d_lat))
    assert geo.distance_m(118.0, 35.0, grown[2], 35.0) >= 20_000


def test_expand_bbox_stays_within_wgs84() -> None:
    assert geo.expand_bbox((-179.9, -89.9, 179.9, 89.9), 50_000) == (-180.0, -90.0, 180.0, 90.0)


def test_geometry_errors_speak_the_active_language() -> None:
    """Messages are gettext msgids: Chinese on the (Chinese-first) pages, English here."""
    for lang in ("en", "zh-hans"):
        with translation.override(lang), pytest.raises(geo.GeometryError) as exc:
            geo.validate_point(200, 34)
        with translation.override(lang):
            expected = translation.gettext(
                "Longitude %(value)s is outside -180 to 180 (are longitude and latitude swapped?)."
            ) % {"value": "200.0"}
        assert exc.value.message == expected


def test_a_geometry_error_in_english_names_the_fault() -> None:
    with translation.override("en"), pytest.raises(geo.GeometryError) as exc:
        geo.parse_geometry({"type": "Point", "coordinates": [117, 34]})
    assert exc.value.message == "Expected a Polygon or MultiPolygon geometry, got 'Point'."
