"""Spreadsheet imports: validate every row, report each bad row, then all or nothing.

An app declares a ``TableImporter`` subclass with its columns, a ``validate_row`` that
turns one row into something to save (raising ``RowInvalid``), and an ``apply`` that
saves all of them through the app's services. ``run`` never writes when any row is
bad, so a broken file changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Generic, TypeVar

from django.db import transaction
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from chuangwei.lib.excel import SpreadsheetError, read_rows, write_xlsx

from .errors import InvalidInput

T = TypeVar("T")


@dataclass(frozen=True)
class ImportColumn:
    key: str
    label: Any
    required: bool = False
    help: Any = ""
    example: Any = ""

    def headers(self) -> set[str]:
        names = {self.key, str(self.label)}
        for lang in ("zh-hans", "en"):
            with override(lang):
                names.add(str(self.label))
        return {n.strip().rstrip("*").strip() for n in names}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return gettext("Row %(row)s: %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return gettext("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowInvalid(Exception):
    def __init__(self, column: Any, message: Any) -> None:
        super().__init__(str(message))
        self.column = str(column)
        self.message = str(message)


class ImportFailed(InvalidInput):
    code = "import_failed"
    default_message = _("The file was not imported: fix the rows listed and upload it again.")

    def __init__(self, errors: Sequence[RowError], message: Any = None) -> None:
        super().__init__(message)
        self.errors = list(errors)

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["rows"] = [e.as_dict() for e in self.errors]
        return body


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    preview: list[Any] = field(default_factory=list)


class TableImporter(Generic[T]):
    """Base of every spreadsheet importer. Subclasses set ``columns`` and the two hooks."""

    columns: Sequence[ImportColumn] = ()
    sheet_title: str = "import"
    max_rows: int = 200_000

    def __init__(self, *, update_existing: bool = False) -> None:
        self.update_existing = update_existing

    def validate_row(self, number: int, values: dict[str, Any], seen: dict[str, Any]) -> T:
        raise NotImplementedError

    def apply(self, items: list[T], *, by: Any) -> ImportResult:
        raise NotImplementedError

    def prepare(self) -> None:
        """Load lookups (codes → objects) once before rows are validated."""

    def _map_headers(self, headers: list[str]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for header in headers:
            clean = header.strip().rstrip("*").strip()
            for column in self.columns:
                if clean in column.headers():
                    mapping[header] = column.key
        return mapping

    def parse(self, fileobj: IO[bytes], filename: str) -> list[tuple[int, dict[str, Any]]]:
        try:
            headers, rows = read_rows(fileobj, filename)
        except SpreadsheetError as exc:
            raise InvalidInput(_file_message(exc.code), code=exc.code) from exc
        mapping = self._map_headers(headers)
        missing = [c for c in self.columns if c.required and c.key not in mapping.values()]
        if missing:
            raise ImportFailed(
                [RowError(1, str(c.label), gettext("column is missing")) for c in missing]
            )
        if len(rows) > self.max_rows:
            raise InvalidInput(
                gettext("The file has more than %(max)s rows.") % {"max": self.max_rows},
                code="too_many_rows",
            )
        if not rows:
            raise InvalidInput(gettext("The file has no data rows."), code="empty")
        return [
            (row.number, {mapping[h]: v for h, v in row.values.items() if h in mapping})
            for row in rows
        ]

    def run(
        self, fileobj: IO[bytes], filename: str, *, by: Any, commit: bool = True
    ) -> ImportResult:
        """Validate all rows; raise ImportFailed listing every bad row, else save them all."""
        parsed = self.parse(fileobj, filename)
        self.prepare()
        errors: list[RowError] = []
        items: list[T] = []
        seen: dict[str, Any] = {}
        labels = {c.key: str(c.label) for c in self.columns}
        for number, values in parsed:
            for column in self.columns:
                if column.required and values.get(column.key) in (None, ""):
                    errors.append(RowError(number, labels[column.key], gettext("is required")))
                    break
            else:
                try:
                    items.append(self.validate_row(number, values, seen))
                except RowInvalid as exc:
                    errors.append(RowError(number, labels.get(exc.column, exc.column), exc.message))
        if errors:
            raise ImportFailed(errors)
        if not commit:
            return ImportResult(total=len(items), preview=items[:20])
        with transaction.atomic():
            result = self.apply(items, by=by)
        result.total = len(items)
        return result

    def template(self) -> IO[bytes]:
        """An empty workbook with the headers (required ones marked *) and one example row."""
        headers = [f"{c.label}*" if c.required else str(c.label) for c in self.columns]
        example = [str(c.example) for c in self.columns]
        return write_xlsx(headers, [example], sheet_title=self.sheet_title)


def _file_message(code: str) -> str:
    messages = {
        "bad_extension": gettext("Only .xlsx and .csv files can be imported."),
        "bad_encoding": gettext("The CSV file must be UTF-8 or GBK encoded."),
        "empty": gettext("The file is empty."),
        "no_header": gettext("The first row must hold the column headers."),
    }
    return messages.get(code, gettext("The file could not be read as a spreadsheet."))
