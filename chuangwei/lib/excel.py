"""Reading and writing spreadsheets (openpyxl; CSV as a fallback for imports).

Reading yields rows as dicts keyed by the header text with their 1-based sheet row
number, so import errors can say "第12行". Writing uses openpyxl's write-only mode into
a temporary file, so memory stays flat however many rows are exported.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

import xlsxwriter
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class SpreadsheetError(ValueError):
    """The file is not a readable spreadsheet. ``code`` is stable for callers."""

    def __init__(self, message: str, code: str = "bad_file") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SheetRow:
    number: int
    values: dict[str, Any]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    return value


def _decode_csv(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("the CSV file is neither UTF-8 nor GB18030 encoded", "bad_encoding")


def read_rows(fileobj: IO[bytes], filename: str) -> tuple[list[str], list[SheetRow]]:
    """Headers and non-empty rows of the first sheet of an .xlsx or .csv file.

    Raises SpreadsheetError for unknown extensions, unreadable files or a missing header.
    """
    name = filename.lower()
    if name.endswith(".csv"):
        text = _decode_csv(fileobj.read())
        reader = csv.reader(io.StringIO(text))
        table: Iterable[Sequence[Any]] = list(reader)
    elif name.endswith((".xlsx", ".xlsm")):
        try:
            wb = load_workbook(fileobj, read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError) as exc:
            raise SpreadsheetError("the file is not a valid .xlsx workbook") from exc
        ws = wb.worksheets[0]
        table = ws.iter_rows(values_only=True)
    else:
        raise SpreadsheetError("only .xlsx and .csv files can be imported", "bad_extension")
    iterator = iter(table)
    try:
        header_row = next(iterator)
    except StopIteration as exc:
        raise SpreadsheetError("the sheet is empty", "empty") from exc
    headers = [str(_clean(h) or "") for h in header_row]
    if not any(headers):
        raise SpreadsheetError("the first row must hold the column headers", "no_header")
    rows: list[SheetRow] = []
    for number, raw in enumerate(iterator, start=2):
        values = {h: _clean(v) for h, v in zip(headers, raw, strict=False) if h}
        if any(v is not None for v in values.values()):
            rows.append(SheetRow(number, values))
    return headers, rows


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, str, date, datetime)):
        return value
    return str(value)


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Sheet1",
    widths: Sequence[int] | None = None,
) -> IO[bytes]:
    """Write a one-sheet workbook to a temporary file and return it rewound.

    XlsxWriter's constant-memory mode flushes each row to disk and writes strings inline, so
    memory stays flat however many rows are exported (openpyxl's write-only mode still keeps
    a shared-string table in memory: ~460 MB for a 1M-row ledger). Datetimes must already be
    in local time (aware values are written as their wall time). The caller closes the file.
    """
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(
            path, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
        )
        sheet = workbook.add_worksheet(sheet_title[:31] or "Sheet1")
        header_format = workbook.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#304156", "align": "center"}
        )
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for index, width in enumerate(
            widths or [max(10, min(40, len(h) * 2 + 4)) for h in headers]
        ):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, list(headers), header_format)
        for row_index, row in enumerate(rows, start=1):
            for col, raw in enumerate(row):
                value = _cell_value(raw)
                if value is None:
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(row_index, col, value, datetime_format)
                elif isinstance(value, date):
                    sheet.write_datetime(row_index, col, value, date_format)
                elif isinstance(value, str):
                    sheet.write_string(row_index, col, value)
                else:
                    sheet.write_number(row_index, col, value)
        workbook.close()
        out = open(path, "rb")  # noqa: SIM115 - handed to the caller, who closes it
    finally:
        # The open handle keeps the data readable; the name is gone at once (POSIX).
        os.unlink(path)
    return out


def iter_file(fileobj: IO[bytes], chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := fileobj.read(chunk_size):
            yield chunk
    finally:
        fileobj.close()
