"""The import pages: a broken file lists each bad row in Chinese and imports nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

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
