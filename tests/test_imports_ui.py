"""The import pages: a broken file lists each bad row in Chinese and imports nothing."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from chuangwei.core.importing import file_error_message

HEADERS = ["点位编号", "点位名称", "点位类型", "经度", "纬度", "责任单位"]


def workbook(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("sites.xlsx", buffer.getvalue())


def test_broken_site_file_lists_every_bad_row_in_chinese(client_as, config_rows):
    from chuangwei.places.models import Site

    before = Site.objects.count()
    upload = workbook(
        [
            ["S1", "好点位", "农贸市场", 117.305, 34.805, "370402001"],
            ["S2", "坏类型", "不存在的类型", 117.305, 34.805, "370402001"],
            ["S3", "坏纬度", "农贸市场", 117.305, "abc", "370402001"],
        ]
    )
    response = client_as("office").post(reverse("places:site_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 422
    assert "第3行" in page
    assert "第4行" in page
    assert "第2行" not in page
    assert "未做任何更改" in page
    assert Site.objects.count() == before


def test_good_site_file_is_previewed_then_imported_on_confirm(client_as, config_rows):
    from chuangwei.places.models import Site

    client = client_as("office")
    upload = workbook([["S9", "新市场", "农贸市场", 117.305, 34.805, "370402001"]])
    preview = client.post(reverse("places:site_import"), {"file": upload})
    assert Site.objects.filter(code="S9").count() == 0
    token = preview.context["token"]
    response = client.post(reverse("places:site_import"), {"token": token})
    assert response.status_code == 302
    site = Site.objects.get(code="S9")
    assert site.grid_id == config_rows["grid"].pk


def test_non_spreadsheet_upload_is_refused(client_as, config_rows):
    upload = SimpleUploadedFile("evil.exe", b"MZ...")
    response = client_as("office").post(reverse("places:site_import"), {"file": upload})
    assert response.status_code == 422
    assert "仅允许导入" in response.content.decode() or ".xlsx" in response.content.decode()


def test_handler_cannot_open_import_page(client_as, config_rows):
    assert client_as("handler_a").get(reverse("places:site_import")).status_code == 403


# Unknown columns, header spellings, trees, bad files and the upload folder -----------------


# A second city's whole tree: city › district › street › community, and a department.
TREE = [
    ["3705", "乙市", None, "市"],
    ["370502", "乙市中区", "3705", "区"],
    ["370502001", "乙中心街街道", "370502", "街道"],
    ["370502001001", "乙铁西社区", "370502001", "社区"],
    ["D-HB", "乙市环保局", "3705", "部门"],
]
FULL_TREE = [
    ("3705", None, 0),
    ("370502", "3705", 1),
    ("370502001", "370502", 2),
    ("370502001001", "370502001", 3),
    ("D-HB", "3705", 1),
]


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "imports"


def stored(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def tree_upload(parent_header: str) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["编码", "名称", parent_header, "类型"])
    for row in TREE:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("units.xlsx", buffer.getvalue())


def second_city():
    from chuangwei.org.models import OrgUnit

    return sorted(
        OrgUnit.objects.filter(code__in=[row[0] for row in TREE]).values_list(
            "code", "parent__code", "depth"
        )
    )


def test_org_file_with_an_unrecognised_parent_column_is_refused_naming_it(
    client_as, config_rows, imports_dir
):
    response = client_as("office").post(
        reverse("org:orgunit_import"), {"file": tree_upload("父节点X")}
    )
    assert response.status_code == 422
    assert response.context["unknown_columns"] == ["父节点X"]
    assert "父节点X" in response.content.decode()
    assert second_city() == []
    assert stored(imports_dir) == []


def test_org_file_with_parent_code_builds_the_full_tree(client_as, config_rows, imports_dir):
    client = client_as("office")
    checked = client.post(reverse("org:orgunit_import"), {"file": tree_upload("parent_code")})
    assert (checked.status_code, checked.context["unknown_columns"]) == (200, [])

    response = client.post(reverse("org:orgunit_import"), {"token": checked.context["token"]})

    assert response.status_code == 302
    assert second_city() == FULL_TREE
    assert stored(imports_dir) == []


def site_upload_with_extra_column() -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([*HEADERS, "营业面积"])
    ws.append(["S9", "新市场", "农贸市场", 117.305, 34.805, "370402001", "300平方米"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("sites.xlsx", buffer.getvalue())


def test_preview_names_an_unknown_column_with_a_required_checkbox(
    client_as, config_rows, imports_dir
):
    response = client_as("office").post(
        reverse("places:site_import"), {"file": site_upload_with_extra_column()}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["unknown_columns"] == ["营业面积"]
    assert 'name="ignore_unknown" value="1" id="import-ignore-unknown" required' in page
    assert len(stored(imports_dir)) == 1


def test_confirming_without_ignoring_the_unknown_column_changes_nothing(
    client_as, config_rows, imports_dir
):
    from chuangwei.places.models import Site

    client = client_as("office")
    checked = client.post(reverse("places:site_import"), {"file": site_upload_with_extra_column()})

    response = client.post(reverse("places:site_import"), {"token": checked.context["token"]})

    assert response.status_code == 422
    assert response.context["unknown_columns"] == ["营业面积"]
    assert "“营业面积”" in response.context["refusal"]
    assert Site.objects.filter(code="S9").count() == 0
    assert stored(imports_dir) == []


def test_confirming_with_the_box_ticked_imports_without_the_column(
    client_as, config_rows, imports_dir
):
    from chuangwei.places.models import Site

    client = client_as("office")
    checked = client.post(reverse("places:site_import"), {"file": site_upload_with_extra_column()})

    response = client.post(
        reverse("places:site_import"),
        {"token": checked.context["token"], "ignore_unknown": "1"},
        follow=True,
    )

    assert Site.objects.filter(code="S9").count() == 1
    assert any("营业面积" in str(m) for m in response.context["messages"])
    assert stored(imports_dir) == []


IMPORT_PAGES = [
    "org:orgunit_import",
    "places:site_import",
    "places:grid_import",
    "problems:problem_import",
]
NOT_SPREADSHEETS = [
    ("units.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not_xlsx"),
    ("units.xlsx", "编码,名称\n1,甲\n".encode(), "not_xlsx"),
    ("units.csv", b"PK\x03\x04" + bytes(range(256)), "not_text"),
]


@pytest.mark.parametrize("page", IMPORT_PAGES)
@pytest.mark.parametrize(("name", "data", "code"), NOT_SPREADSHEETS)
def test_a_file_that_is_no_spreadsheet_gets_a_message_and_leaves_nothing(
    client_as, config_rows, imports_dir, page, name, data, code
):
    response = client_as("office").post(reverse(page), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 422
    with translation.override("zh-hans"):
        assert response.context["form"].errors["file"] == [file_error_message(code)]
    assert stored(imports_dir) == []


def test_a_check_never_confirmed_is_swept_by_a_later_upload(client_as, config_rows, imports_dir):
    imports_dir.mkdir(parents=True, exist_ok=True)
    stale = imports_dir / "0123456789abcdef.xlsx"
    stale.write_bytes(b"left over")
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))

    client_as("office").post(reverse("places:site_import"), {"file": workbook([])})

    assert stored(imports_dir) == []
