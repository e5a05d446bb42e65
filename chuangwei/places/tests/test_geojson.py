from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from chuangwei.core.errors import InvalidInput
from chuangwei.core.importing import ImportFailed
from chuangwei.lib.excel import write_xlsx
from chuangwei.places.geojson import export_grids_geojson, import_grids_geojson
from chuangwei.places.importers import GridImporter
from chuangwei.places.models import Grid, Site

from .factories import GridFactory, SiteFactory, rectangle

BOX = (117.0, 34.8, 117.1, 34.9)
# Three collinear corners: no area, and make_valid cannot turn it into a polygon.
DEGENERATE = {"type": "Polygon", "coordinates": [[[117, 34], [118, 35], [119, 36], [117, 34]]]}


@pytest.fixture
def tree(org_tree: dict[str, Any]) -> dict[str, Grid]:
    large = GridFactory(
        code="G1", level=1, unit=org_tree["district"], bounds=(117.0, 34.8, 117.2, 34.9)
    )
    medium = GridFactory(code="G1-1", level=2, parent=large, unit=org_tree["street_a"], bounds=BOX)
    small = GridFactory(
        code="G1-1-1",
        level=3,
        parent=medium,
        unit=org_tree["community_a"],
        bounds=(117.0, 34.8, 117.05, 34.85),
    )
    return {"large": large, "medium": medium, "small": small}


def feature(code: str, level: Any = 1, parent: str | None = None, **extra: Any) -> dict[str, Any]:
    geometry = extra.pop("geometry", rectangle(*BOX))
    properties = {"code": code, "name": f"网格{code}", "level": level, "parent_code": parent,
                  "unit_code": "370402001", **extra}  # fmt: skip
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def failures(data: Any, **kwargs: Any) -> list[tuple[int, str, str]]:
    with override("en"), pytest.raises(ImportFailed) as caught:
        import_grids_geojson(data, by=None, **kwargs)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def delete_all_grids() -> None:
    for level in (3, 2, 1):
        Grid.objects.filter(level=level).delete()


def shape_of_tree() -> list[tuple[str, int, str | None]]:
    rows = Grid.objects.values_list("code", "level", "parent__code")
    return sorted(rows)


def test_export_writes_the_documented_properties(tree: dict[str, Grid]) -> None:
    data = export_grids_geojson(Grid.objects.filter(code="G1-1"))

    assert data["type"] == "FeatureCollection"
    assert data["features"][0]["properties"] == {
        "code": "G1-1", "name": tree["medium"].name, "level": 2, "parent_code": "G1",
        "unit_code": "370402001", "unit_name": "甲街道", "leader": None,
    }  # fmt: skip
    assert data["features"][0]["geometry"] == tree["medium"].geometry


def test_export_lists_parents_before_children(tree: dict[str, Grid]) -> None:
    codes = [f["properties"]["code"] for f in export_grids_geojson()["features"]]

    assert codes == ["G1", "G1-1", "G1-1-1"]


def test_round_trip_into_empty_table_keeps_codes_levels_and_parents(tree: dict[str, Grid]) -> None:
    before = shape_of_tree()
    data = json.loads(json.dumps(export_grids_geojson()))
    delete_all_grids()

    result = import_grids_geojson(data, by=None)

    assert (result.total, result.created) == (3, 3)
    assert shape_of_tree() == before == [("G1", 1, None), ("G1-1", 2, "G1"), ("G1-1-1", 3, "G1-1")]


def test_invalid_polygon_is_reported_with_feature_index_and_nothing_imported(org_tree: Any) -> None:
    errors = failures(collection(feature("A"), feature("B", geometry=DEGENERATE)))

    assert [(row, column) for row, column, _message in errors] == [(1, "Boundary (GeoJSON)")]
    assert errors[0][2].startswith("the boundary is not a valid polygon: ")
    assert Grid.objects.count() == 0


def test_unknown_parent_is_reported_with_feature_index(org_tree: Any) -> None:
    errors = failures(collection(feature("A"), feature("B", 2, parent="NOPE")))

    assert errors == [(1, "Parent grid code", "unknown parent grid NOPE")]
    assert Grid.objects.count() == 0


def test_parent_must_be_a_larger_grid(org_tree: Any) -> None:
    errors = failures(
        collection(feature("P", 1), feature("A", 2, parent="P"), feature("B", 2, parent="A"))
    )

    assert errors == [(2, "Parent grid code", "the parent grid A is not a larger grid")]


def test_parent_later_in_the_file_is_saved_first(org_tree: Any) -> None:
    import_grids_geojson(collection(feature("B", "小", parent="A"), feature("A", "大")), by=None)

    child = Grid.objects.get(code="B")
    assert (child.level, child.parent.code, child.path) == (
        3,
        "A",
        f"/{child.parent_id}/{child.pk}/",
    )


def test_parent_may_be_in_the_database(tree: dict[str, Grid]) -> None:
    import_grids_geojson(collection(feature("G1-2", 2, parent="G1")), by=None)

    assert Grid.objects.get(code="G1-2").parent == tree["large"]


def test_existing_code_is_an_error_without_update(tree: dict[str, Grid]) -> None:
    assert failures(collection(feature("G1"))) == [
        (0, "Grid code", "a grid with this code already exists")
    ]


def test_update_existing_changes_name_and_boundary(tree: dict[str, Grid]) -> None:
    geometry = rectangle(117.0, 34.8, 117.3, 34.95)

    result = import_grids_geojson(
        collection(feature("G1", name="新名", geometry=geometry, unit_code="370402")),
        by=None,
        update_existing=True,
    )

    grid = Grid.objects.get(code="G1")
    assert (result.created, result.updated) == (0, 1)
    assert (grid.name, grid.bbox_max_lng, grid.bbox_max_lat) == ("新名", 117.3, 34.95)


def test_level_change_that_breaks_a_kept_child_is_refused(tree: dict[str, Grid]) -> None:
    errors = failures(collection(feature("G1-1", 3, parent="G1")), update_existing=True)

    assert errors == [(0, "Grid level", "its child grid G1-1-1 would not be smaller")]


def test_import_reassigns_site_grids(org_tree: dict[str, Any]) -> None:
    site = SiteFactory(code="S1", lng=117.05, lat=34.85, unit=org_tree["street_a"])
    assert site.outside_grid is True

    import_grids_geojson(collection(feature("A")), by=None)

    site.refresh_from_db()
    assert (site.grid.code, site.outside_grid) == ("A", False)


def test_not_a_feature_collection_is_refused(org_tree: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_grids_geojson({"type": "Polygon"}, by=None)

    assert caught.value.code == "bad_file"


def test_excel_import_creates_grids(org_tree: Any) -> None:
    headers = [
        "网格编码*",
        "网格名称*",
        "网格级别*",
        "上级网格编码",
        "所属单位编码*",
        "边界(GeoJSON)*",
    ]
    geometry = json.dumps(rectangle(*BOX))
    rows = [
        ["B", "乙", "中", "A", "370402001", geometry],
        ["A", "甲", "大", "", "370402", geometry],
    ]

    result = GridImporter().run(write_xlsx(headers, rows), "grids.xlsx", by=None)

    assert result.created == 2
    assert shape_of_tree() == [("A", 1, None), ("B", 2, "A")]


def test_excel_import_reports_bad_level_and_unit(org_tree: Any) -> None:
    headers = ["网格编码", "网格名称", "网格级别", "所属单位编码", "边界"]
    geometry = json.dumps(rectangle(*BOX))
    rows = [["A", "甲", "特大", "370402", geometry], ["B", "乙", "1", "000", geometry]]

    with override("en"), pytest.raises(ImportFailed) as caught:
        GridImporter().run(write_xlsx(headers, rows), "grids.xlsx", by=None)

    assert [(e.row, e.message) for e in caught.value.errors] == [
        (2, "level must be 1, 2 or 3 (大, 中 or 小)"),
        (3, "unknown unit 000"),
    ]


def test_export_then_import_commands_round_trip(tree: dict[str, Grid], tmp_path: Any) -> None:
    path = tmp_path / "grids.geojson"
    call_command("export_grids", "--output", str(path), stdout=io.StringIO())
    delete_all_grids()
    stdout = io.StringIO()

    with override("en"):
        call_command("import_grids", str(path), stdout=stdout)

    assert stdout.getvalue() == "Imported 3 grids: 3 created, 0 updated.\n"
    assert Grid.objects.count() == 3


def test_import_grids_command_prints_errors_and_fails(org_tree: Any, tmp_path: Any) -> None:
    path = tmp_path / "grids.json"
    path.write_text(json.dumps(collection(feature("A", 2, parent="X"))), encoding="utf-8")
    stderr = io.StringIO()

    with override("en"), pytest.raises(CommandError):
        call_command("import_grids", str(path), stderr=stderr)

    assert stderr.getvalue() == "Row 0: Parent grid code: unknown parent grid X\n"
    assert Site.objects.count() == Grid.objects.count() == 0


def test_a_medium_grid_without_parent_is_refused(org_tree: Any) -> None:
    errors = failures(collection(feature("A", 1), feature("A1", 2, parent="A"), feature("B", 2)))

    assert errors == [
        (
            2,
            "Parent grid code",
            "only a large grid can be at the top; a medium grid needs a parent grid code",
        )
    ]


def test_grids_none_of_which_has_a_parent_are_refused_as_a_flat_tree(org_tree: Any) -> None:
    errors = failures(collection(feature("B", 2), feature("C", 3)))

    assert errors[0][:2] == (None, "Parent grid code")
    assert errors[0][2].startswith("no row has a parent grid code")
    assert [row for row, _column, _message in errors[1:]] == [0, 1]
    assert Grid.objects.count() == 0


def test_an_unknown_property_refuses_the_file_naming_it(org_tree: Any) -> None:
    with pytest.raises(ImportFailed) as caught:
        import_grids_geojson(collection(feature("A", 1, 面积="3.2")), by=None)

    assert (caught.value.code, caught.value.unknown_columns) == ("unknown_columns", ["面积"])
    assert Grid.objects.count() == 0


def test_an_unknown_property_is_left_out_when_told_to(org_tree: Any) -> None:
    result = import_grids_geojson(
        collection(feature("A", 1, 面积="3.2")), by=None, ignore_unknown=True
    )

    assert (result.created, result.unknown_columns) == (1, ["面积"])


def test_properties_may_use_any_usual_spelling(org_tree: Any) -> None:
    large = feature("A", 1)
    small = feature("B", 3)
    small["properties"] = {"网格编码": "B", "Name": "乙", "LEVEL": "小", "上级网格编码": "A",
                           "unit-code": "370402001"}  # fmt: skip

    import_grids_geojson(collection(large, small), by=None)

    assert shape_of_tree() == [("A", 1, None), ("B", 3, "A")]


def test_a_grid_row_reports_all_its_faults(org_tree: Any) -> None:
    bad = feature("A", "特大", unit_code="000", geometry=DEGENERATE)

    errors = failures(collection(bad))

    assert [(row, column) for row, column, _message in errors] == [
        (0, "Grid level"),
        (0, "Unit code"),
        (0, "Boundary (GeoJSON)"),
    ]


def test_import_grids_command_refuses_a_renamed_file_in_one_line(
    org_tree: Any, tmp_path: Any
) -> None:
    path = tmp_path / "grids.xlsx"
    path.write_text("not a workbook", encoding="utf-8")

    with override("en"), pytest.raises(CommandError) as caught:
        call_command("import_grids", str(path))

    assert str(caught.value).startswith("The file is not an Excel workbook (.xlsx)")


def test_deeply_nested_json_is_refused_as_not_json(org_tree: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_grids_geojson("[" * 100_000 + "]" * 100_000, by=None)

    assert caught.value.code == "bad_file"


FAR_BOX = (117.6, 34.8, 117.7, 34.9)  # beyond 20 km east of G1 (117.0–117.2): 117.4198


def test_a_feature_outside_the_stored_grids_bounds_is_a_row_error(tree: Any) -> None:
    data = collection(
        feature("A", geometry=rectangle(*BOX)),
        feature("B", geometry=rectangle(*FAR_BOX)),
    )
    assert failures(data) == [
        (
            1,
            "Boundary (GeoJSON)",
            "Longitude 117.6 is outside the city (116.7802–117.4198). "
            "Longitude 117.7 is outside the city (116.7802–117.4198).",
        )
    ]
    assert not Grid.objects.filter(code__in=["A", "B"]).exists()


def test_a_file_of_new_grids_in_an_empty_city_is_not_checked_against_itself(
    org_tree: Any,
) -> None:
    data = collection(
        feature("A", geometry=rectangle(*BOX)), feature("B", geometry=rectangle(*FAR_BOX))
    )
    assert import_grids_geojson(data, by=None).created == 2


def test_an_updated_grid_is_checked_without_its_stored_boundary(tree: Any) -> None:
    """Only G1 spans to 117.2; updated, it is checked against its children's bounds
    (117.0–117.1 + 20 km ≈ 117.32), so stretching it to 117.35 is refused."""
    data = collection(feature("G1", geometry=rectangle(117.0, 34.8, 117.35, 34.9)))
    assert [row for row, _c, _m in failures(data, update_existing=True)] == [0]
    assert Grid.objects.get(code="G1").bbox_max_lng == 117.2
