"""Reading and writing spreadsheets (openpyxl; CSV as a fallback for imports).

Reading yields the header row and each data row's cells by position with its 1-based sheet
row number, so import errors can say "第12行"; a file that is not a spreadsheet raises
SpreadsheetError, never a parser's own exception. Writing uses openpyxl's write-only mode into
a temporary file, so memory stays flat however many rows are exported.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

import xlsxwriter
from openpyxl import load_workbook


class SpreadsheetError(ValueError):
    """The file is not a readable spreadsheet. ``code`` is stable for callers:

    ``bad_extension`` (neither .xlsx nor .csv), ``not_xlsx`` (named .xlsx but not a workbook:
    a text, image or other archive renamed, or a damaged workbook), ``not_text`` (a .csv that
    is binary), ``bad_encoding``, ``bad_file`` (a CSV that cannot be parsed), ``empty`` and
    ``no_header``.
    """

    def __init__(self, message: str, code: str = "bad_file") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SheetRow:
    """One non-empty data row: its 1-based sheet row number and its cells by position."""

    number: int
    cells: tuple[Any, ...]
    headers: Sequence[str] = field(repr=False, compare=False)

    @property
    def values(self) -> dict[str, Any]:
        """The cells keyed by header text; cells under a blank header are left out."""
        return {h: v for h, v in zip(self.headers, self.cells, strict=False) if h}


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    return value


_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx files are zip archives

# C0 control characters other than tab, line feed, form feed and carriage return: text
# exported from a spreadsheet never holds them, binary files nearly always do.
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode_csv(raw: bytes) -> str:
    if b"\x00" in raw or raw.startswith(_ZIP_MAGIC):
        raise SpreadsheetError("the .csv file is not a text file", "not_text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _BINARY.search(text):
            raise SpreadsheetError("the .csv file is not a text file", "not_text")
        return text
    raise SpreadsheetError("the CSV file is neither UTF-8 nor GB18030 encoded", "bad_encoding")


def _table(cells: Iterable[Sequence[Any]]) -> tuple[list[str], list[SheetRow]]:
    iterator = iter(cells)
    header_row = next(iterator, None)
    if header_row is None:
        raise SpreadsheetError("the sheet is empty", "empty")
    headers = [str(_clean(h) or "") for h in header_row]
    if not any(headers):
        raise SpreadsheetError("the first row must hold the column headers", "no_header")
    rows: list[SheetRow] = []
    width = len(headers)
    for number, raw in enumerate(iterator, start=2):
        values = [_clean(v) for v in raw]
        while values and values[-1] is None:
            values.pop()
        if values:
            width = max(width, len(values))
            rows.append(SheetRow(number, tuple(values), headers))
    # Cells right of the last header still belong to a column, one without a header.
    headers.extend([""] * (width - len(headers)))
    return headers, rows


def _read_csv(fileobj: IO[bytes]) -> tuple[list[str], list[SheetRow]]:
    text = _decode_csv(fileobj.read())
    try:
        return _table(list(csv.reader(io.StringIO(text))))
    except csv.Error as exc:
        raise SpreadsheetError(f"the CSV file cannot be parsed: {exc}", "bad_file") from exc


def _read_xlsx(fileobj: IO[bytes]) -> tuple[list[str], list[SheetRow]]:
    head = fileobj.read(len(_ZIP_MAGIC))
    fileobj.seek(0)
    if head != _ZIP_MAGIC:
        raise SpreadsheetError("the file is not an .xlsx workbook", "not_xlsx")
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
        try:
            # Read-only mode parses the sheet while iterating, so damage shows up here too.
            return _table(wb.worksheets[0].iter_rows(values_only=True))
        finally:
            wb.close()
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl, zipfile and the XML parser raise many types
        raise SpreadsheetError("the file is not a valid .xlsx workbook", "not_xlsx") from exc


def read_rows(fileobj: IO[bytes], filename: str) -> tuple[list[str], list[SheetRow]]:
    """Headers and non-empty rows of the first sheet of an .xlsx or .csv file.

    Headers are positional: a blank header cell is ``""`` and the list is as wide as the
    widest row, so a caller can tell which cells sit in a column without a header. Raises
    SpreadsheetError, and nothing else, for a file that cannot be read: an unknown extension,
    another kind of file under a spreadsheet name (text, an image or a zip named .xlsx, a
    binary .csv), a damaged workbook, a bad encoding or a missing header row.
    """
    name = filename.lower()
    if name.endswith(".csv"):
        return _read_csv(fileobj)
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(fileobj)
    raise SpreadsheetError("only .xlsx and .csv files can be imported", "bad_extension")


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
