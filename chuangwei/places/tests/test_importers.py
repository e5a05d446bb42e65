from __future__ import annotations

import io
from typing import IO, Any

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from chuangwei.core.importing import ImportFailed, ImportResult
from chuangwei.lib import geo
from chuangwei.lib.excel import write_xlsx
from chuangwei.places.choices import SiteStatus
from chuangwei.places.importers import SiteImporter, parse_crs
from chuangwei.places.models import Site

from .factories import GridFactory, SiteFactory, SiteTypeFactory

HEADERS = [
    "点位编号*",
    "点位名称*",
    "点位类型*",
    "经度*",
    "纬度*",
    "坐标系",
    "责任单位",
    "监管部门",
    "状态",
]


@pytest.fixture
def city(org_tree: dict[str, Any]) -> dict[str, Any]:
    SiteTypeFactory(code="XCY", name="小餐饮")
    GridFactory(code="G-A", unit=org_tree["street_a"], bounds=(117.0, 34.8, 117.1, 34.9))
    GridFactory(code="G-B", unit=org_tree["street_b"], bounds=(117.1, 34.8, 117.2, 34.9))
    return org_tree


def row(code: str, lng: Any = 117.05, lat: Any = 34.85, **extra: Any) -> list[Any]:
    values = {"type": "小餐饮", "crs": "", "unit": "", "department": "", "status": "", **extra}
    return [code, f"店铺{code}", values["type"], lng, lat, values["crs"], values["unit"],
            values["department"], values["status"]]  # fmt: skip


def run(*rows: list[Any], update: bool = False) -> ImportResult:
    with override("en"):
        return SiteImporter(update_existing=update).run(
            write_xlsx(HEADERS, rows), "s.xlsx", by=None
        )


def failures(*rows: list[Any], update: bool = False) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as caught:
        run(*rows, update=update)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def test_good_file_creates_sites_with_grids_and_grid_units(city: dict[str, Any]) -> None:
    result = run(row("S1"), row("S2", 117.15, 34.85), row("S3", 117.01, 34.81, type="XCY"))

    assert (result.total, result.created, result.updated) == (3, 3, 0)
    assert {s.code: (s.grid.code, s.unit.code, s.outside_grid) for s in Site.objects.all()} == {
        "S1": ("G-A", "370402001", False),
        "S2": ("G-B", "370402002", False),
        "S3": ("G-A", "370402001", False),
    }


def test_gcj02_point_is_stored_in_wgs84(city: dict[str, Any]) -> None:
    run(row("S1", 117.05, 34.85, crs="高德"))

    site = Site.objects.get(code="S1")
    assert (site.lng, site.lat) == geo.gcj02_to_wgs84(117.05, 34.85)
    assert (site.lng, site.lat) != (117.05, 34.85)


def test_broken_file_lists_every_bad_row_and_writes_nothing(city: dict[str, Any]) -> None:
    SiteFactory(code="OLD", unit=city["street_a"])

    errors = failures(row("S1"), row("S2", type="不存在"), row("S3"), row("S4", lat="abc"))

    assert errors == [
        (3, "Site type", "unknown site type 不存在"),
        (5, "Latitude", "latitude must be a number"),
    ]
    assert list(Site.objects.values_list("code", flat=True)) == ["OLD"]


def test_point_outside_grids_with_unit_is_kept_and_flagged(city: dict[str, Any]) -> None:
    run(row("S1", 116.95, 34.85, unit="370402001"))  # 5 km west of the grids

    site = Site.objects.get(code="S1")
    assert (site.grid, site.outside_grid, site.unit.code) == (None, True, "370402001")


def test_point_outside_grids_without_unit_is_a_row_error(city: dict[str, Any]) -> None:
    assert failures(row("S1", 116.95, 34.85)) == [
        (2, "Responsible unit", "point lies outside every grid and no responsible unit was given")
    ]


def test_point_far_outside_the_city_is_a_row_error_naming_the_column(
    city: dict[str, Any],
) -> None:
    assert failures(row("S1", 2.3522, 48.8566, unit="370402001")) == [
        (
            2,
            "Longitude",
            "Longitude 2.3522 is outside the city (116.7802–117.4198). "
            "Latitude 48.8566 is outside the city (34.6201–35.0799).",
        )
    ]
    assert not Site.objects.exists()


def test_unit_given_by_name_overrides_grid_unit(city: dict[str, Any]) -> None:
    run(row("S1", unit="甲一社区"))

    assert Site.objects.get(code="S1").unit == city["community_a"]


def test_duplicate_code_in_file_is_a_row_error(city: dict[str, Any]) -> None:
    assert failures(row("S1"), row("S2"), row("S1")) == [
        (4, "Site code", "duplicate code in this file (also on row 2)")
    ]
    assert Site.objects.count() == 0


def test_existing_code_is_a_row_error_without_update(city: dict[str, Any]) -> None:
    SiteFactory(code="S1", unit=city["street_a"])

    assert failures(row("S1")) == [(2, "Site code", "a site with this code already exists")]


def test_update_existing_rewrites_the_site(city: dict[str, Any]) -> None:
    SiteFactory(code="S1", name="旧名", unit=city["street_a"])

    result = run(row("S1", 117.15, 34.85, status="停业"), update=True)

    site = Site.objects.get(code="S1")
    assert (result.created, result.updated) == (0, 1)
    assert (site.name, site.grid.code, site.unit.code, site.status) == (
        "店铺S1", "G-B", "370402002", SiteStatus.SUSPENDED,
    )  # fmt: skip


def test_department_and_status_are_read(city: dict[str, Any]) -> None:
    run(row("S1", department="市城管局", status="关闭"))

    site = Site.objects.get(code="S1")
    assert (site.supervising_department, site.status) == (city["department"], SiteStatus.CLOSED)


def test_street_is_not_a_department(city: dict[str, Any]) -> None:
    assert failures(row("S1", department="甲街道")) == [
        (2, "Supervising department", "unknown department 甲街道")
    ]


def test_unknown_coordinate_system_is_a_row_error(city: dict[str, Any]) -> None:
    assert failures(row("S1", crs="北京54")) == [
        (2, "Coordinate system", "unknown coordinate system 北京54")
    ]


def test_gbk_csv_is_read(city: dict[str, Any]) -> None:
    text = "点位编号,点位名称,点位类型,经度,纬度\nS1,幸福路小吃,小餐饮,117.05,34.85\n"

    SiteImporter().run(io.BytesIO(text.encode("gbk")), "sites.csv", by=None)

    site = Site.objects.get(code="S1")
    assert (site.name, site.grid.code) == ("幸福路小吃", "G-A")


def test_english_headers_are_accepted(city: dict[str, Any]) -> None:
    headers = ["Site code", "Site name", "Site type", "Longitude", "Latitude"]
    fileobj: IO[bytes] = write_xlsx(headers, [["S1", "Shop", "XCY", 117.05, 34.85]])

    with override("en"):
        SiteImporter().run(fileobj, "sites.xlsx", by=None)

    assert Site.objects.get(code="S1").name == "Shop"


@pytest.mark.parametrize(
    ("value", "crs"),
    [("", "wgs84"), ("WGS-84", "wgs84"), ("GPS", "wgs84"), ("天地图", "wgs84"),
     ("gcj02", "gcj02"), ("高德地图", "gcj02"), ("腾讯", "gcj02"), ("BD-09", "bd09"),
     ("百度", "bd09")],
)  # fmt: skip
def test_parse_crs_understands_map_names(value: str, crs: str) -> None:
    assert parse_crs(value) == crs


def test_import_sites_command_reports_rows_and_fails(city: dict[str, Any], tmp_path: Any) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "点位编号,点位名称,点位类型,经度,纬度\nS1,店,小餐饮,117.05,abc\n", encoding="utf-8"
    )
    stderr = io.StringIO()

    with override("en"), pytest.raises(CommandError):
        call_command("import_sites", str(path), stderr=stderr)

    assert stderr.getvalue() == "Row 2: Latitude: latitude must be a number\n"
    assert Site.objects.count() == 0


def test_import_sites_command_imports(city: dict[str, Any], tmp_path: Any) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "点位编号,点位名称,点位类型,经度,纬度\nS1,店,小餐饮,117.05,34.85\n", encoding="utf-8"
    )
    stdout = io.StringIO()

    with override("en"):
        call_command("import_sites", str(path), stdout=stdout)

    assert stdout.getvalue() == "Imported 1 sites: 1 created, 0 updated.\n"


def test_a_site_row_reports_all_its_faults(city: dict[str, Any]) -> None:
    errors = failures(row("S1", "东经", "北纬", type="不存在", crs="北京54", status="倒闭"))

    assert errors == [
        (2, "Site type", "unknown site type 不存在"),
        (2, "Longitude", "longitude must be a number"),
        (2, "Latitude", "latitude must be a number"),
        (2, "Coordinate system", "unknown coordinate system 北京54"),
        (2, "Status", "unknown status 倒闭"),
    ]
    assert Site.objects.count() == 0


def test_snake_case_and_synonym_headers_are_accepted(city: dict[str, Any]) -> None:
    headers = ["site_code", "场所名称", "site-type", "LNG", "Latitude*", "联系电话"]
    fileobj: IO[bytes] = write_xlsx(headers, [["S1", "小吃", "XCY", 117.05, 34.85, "0632-1"]])

    SiteImporter().run(fileobj, "sites.xlsx", by=None)

    assert Site.objects.get(code="S1").contact_phone == "0632-1"


def test_import_sites_command_names_unknown_columns_and_writes_nothing(
    city: dict[str, Any], tmp_path: Any
) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "点位编号,点位名称,点位类型,经度,纬度,营业面积\nS1,店,小餐饮,117.05,34.85,30\n",
        encoding="utf-8",
    )
    stderr = io.StringIO()

    with override("en"), pytest.raises(CommandError):
        call_command("import_sites", str(path), stderr=stderr)

    assert stderr.getvalue() == "Columns not recognised: “营业面积”\n"
    assert Site.objects.count() == 0
