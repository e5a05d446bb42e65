"""Reading spreadsheets: any file that is not one raises SpreadsheetError, never a parser's own."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from chuangwei.lib.excel import SpreadsheetError, column_letter, read_rows


def xlsx_bytes(*rows: list[object]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def zip_bytes(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def damaged_sheet() -> bytes:
    """A real workbook whose sheet XML is cut in half (openpyxl fails while iterating)."""
    good = xlsx_bytes(["编码", "名称"], ["1", "甲"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data[: len(data) // 2] if "sheet1" in info.filename else data)
    return out.getvalue()


def error_code(data: bytes, filename: str) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        read_rows(io.BytesIO(data), filename)
    return caught.value.code


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"code,name\n1,a\n", id="text"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), id="png"),
        pytest.param(zip_bytes("hello.txt", b"hi"), id="zip"),
        pytest.param(xlsx_bytes(["a"], [1])[:300], id="truncated"),
        pytest.param(damaged_sheet(), id="damaged-sheet"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_file_named_xlsx_that_is_no_workbook_is_not_xlsx(data: bytes) -> None:
    assert error_code(data, "units.xlsx") == "not_xlsx"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), id="png"),
        pytest.param(xlsx_bytes(["a"], [1]), id="xlsx"),
        pytest.param(b"a,b\n1,\x002\n", id="nul"),
        pytest.param(b"a,b\n1,\x072\n", id="control"),
    ],
)
def test_a_binary_csv_is_not_text(data: bytes) -> None:
    assert error_code(data, "units.csv") == "not_text"


def test_a_csv_field_beyond_the_parser_limit_is_a_bad_file() -> None:
    data = b'a,b\n"' + b"x" * 200_000 + b'",1\n'

    assert error_code(data, "units.csv") == "bad_file"


def test_cells_right_of_the_last_header_get_a_blank_header() -> None:
    headers, rows = read_rows(io.BytesIO("编码,名称\n1,甲,多出\n".encode()), "u.csv")

    assert headers == ["编码", "名称", ""]
    assert (rows[0].number, rows[0].cells) == (2, ("1", "甲", "多出"))
    assert rows[0].values == {"编码": "1", "名称": "甲"}


def test_a_row_with_data_only_under_a_blank_header_is_kept() -> None:
    _headers, rows = read_rows(io.BytesIO(xlsx_bytes(["编码", None], [None, "x"])), "u.xlsx")

    assert [(row.number, row.cells) for row in rows] == [(2, (None, "x"))]


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letter(index: int, letter: str) -> None:
    assert column_letter(index) == letter
