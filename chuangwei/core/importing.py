"""Spreadsheet imports: every column understood, every fault reported, then all or nothing.

An app declares a ``TableImporter`` subclass with its ``columns`` (each with the header
spellings it accepts), a ``validate_row`` that turns one row into something to save and an
``apply`` that saves all of them through the app's services. ``run`` never writes when any
row is bad, so a broken file changes nothing.

Nothing in a file is dropped silently:

- Headers are compared in one normal form (``normalise_header``): any case, full-width or
  half-width, with spaces, underscores, hyphens and the required mark ``*`` ignored, so
  ``parent_code``, ``Parent Code`` and ``上级编码*`` are all found. Two headers meaning the
  same column are an error naming both.
- A column no importer column recognises (or cells under a blank header) is an *unknown
  column*: the import is refused, naming it, unless the caller passes ``ignore_unknown``
  (the upload page's checkbox, the commands' ``--ignore-unknown``).
- A row reports all its faults, not the first: ``validate_row`` collects them with
  ``RowFaults`` and raises one ``RowInvalid`` holding them all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Generic, TypeVar

from django.db import transaction
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from chuangwei.lib.excel import SheetRow, SpreadsheetError, column_letter, read_rows, write_xlsx

from .errors import InvalidInput

T = TypeVar("T")
V = TypeVar("V")

# Spaces (also the full-width one), underscores and every kind of hyphen or dash.
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212]+")


def normalise_header(text: Any) -> str:
    """The form in which headers are compared: NFKC-folded (full-width → half-width), any
    case, without spaces, underscores, hyphens and the required mark ``*``."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _SEPARATORS.sub("", folded).strip("*")


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import. The header may be the key (``parent_code``), the label in
    any language (上级编码, Parent code) or one of the ``aliases`` (real synonyms offices
    type, such as 上级单位编码), in any spelling ``normalise_header`` folds together."""

    key: str
    label: Any
    required: bool = False
    help: Any = ""
    example: Any = ""
    aliases: tuple[str, ...] = ()

    def headers(self) -> set[str]:
        names = {self.key, *self.aliases}
        for lang in ("zh-hans", "en"):
            with override(lang):
                names.add(str(self.label))
        return {normalise_header(name) for name in names}


@dataclass(frozen=True)
class RowError:
    """One fault: its sheet row (1 is the header row; None for the file as a whole), the
    column's label and what is wrong."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            if self.column:
                return gettext("%(column)s: %(message)s") % {
                    "column": self.column,
                    "message": self.message,
                }
            return self.message
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
    """A row's faults as (column key, message) pairs: ``RowInvalid(column, message)`` for one,
    ``RowInvalid.of(faults)`` for several (what ``RowFaults.raise_any`` raises)."""

    def __init__(self, column: Any, message: Any) -> None:
        super().__init__(str(message))
        self.faults: list[tuple[str, str]] = [(str(column), str(message))]

    @classmethod
    def of(cls, faults: Sequence[tuple[str, str]]) -> RowInvalid:
        error = cls(*faults[0])
        error.faults = list(faults)
        return error

    @property
    def column(self) -> str:
        return self.faults[0][0]

    @property
    def message(self) -> str:
        return self.faults[0][1]


class RowFaults:
    """Collects every fault of one row, so that the first never hides the others.

    ``check(parse, *args, fallback=x)`` returns ``parse(*args)``, or records the RowInvalid
    it raised and returns ``fallback`` so the other columns are still checked; ``add``
    records a fault directly; ``raise_any`` raises them all at the end of ``validate_row``.
    """

    def __init__(self) -> None:
        self.faults: list[tuple[str, str]] = []

    def add(self, column: Any, message: Any) -> None:
        self.faults.append((str(column), str(message)))

    def extend(self, error: RowInvalid) -> None:
        self.faults.extend(error.faults)

    def check(self, func: Callable[..., V], *args: Any, fallback: V) -> V:
        try:
            return func(*args)
        except RowInvalid as exc:
            self.faults.extend(exc.faults)
            return fallback

    def has(self, *columns: str) -> bool:
        """Whether any of ``columns`` already has a fault (to skip checks built on it)."""
        return any(column in columns for column, _message in self.faults)

    def __bool__(self) -> bool:
        return bool(self.faults)

    def raise_any(self) -> None:
        if self.faults:
            raise RowInvalid.of(self.faults)


class ImportFailed(InvalidInput):
    """The file was refused and nothing was written.

    ``errors`` lists every fault (row 1 is the header row); ``unknown_columns`` names the
    columns the importer does not recognise. The code is ``unknown_columns`` when they are
    the only reason, else ``import_failed``.
    """

    code = "import_failed"
    default_message = _("The file was not imported: fix the rows listed and upload it again.")

    def __init__(
        self,
        errors: Sequence[RowError],
        message: Any = None,
        *,
        unknown_columns: Sequence[str] = (),
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.errors = list(errors)
        self.unknown_columns = list(unknown_columns)

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["rows"] = [e.as_dict() for e in self.errors]
        body["unknown_columns"] = self.unknown_columns
        return body


def unknown_columns_refused(columns: Sequence[str]) -> ImportFailed:
    """The refusal of a file whose only fault is columns the importer does not know."""
    return ImportFailed(
        [],
        gettext("These columns are not recognised and would not be imported: %(columns)s.")
        % {"columns": join_names(columns)},
        unknown_columns=columns,
        code="unknown_columns",
    )


def join_names(names: Sequence[str]) -> str:
    """Names quoted and listed as the office writes them: “上级”、“备注”."""
    return "、".join(f"“{name}”" for name in names)


def cell_text(value: Any) -> str:
    """A cell as trimmed text; Excel's ``370402.0`` for a typed number becomes ``"370402"``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_length(key: str, text: str, max_length: int) -> str:
    """``text`` unchanged, or RowInvalid for column ``key`` when it is too long to store."""
    if len(text) > max_length:
        raise RowInvalid(key, gettext("is longer than %(max)s characters") % {"max": max_length})
    return text


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    preview: list[Any] = field(default_factory=list)
    # Columns of the file that were left out because the caller chose to ignore them.
    unknown_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HeaderMap:
    """How a file's columns map to an importer's: position → column key, the unknown
    columns, headers that repeat a column and required columns that are missing."""

    keys: dict[int, str]
    unknown: list[str]
    duplicates: list[RowError]
    missing: list[RowError]


def column_spellings(columns: Sequence[ImportColumn]) -> dict[str, ImportColumn]:
    """Every normalised header spelling of ``columns`` → its column."""
    return {spelling: column for column in columns for spelling in column.headers()}


def map_headers(
    columns: Sequence[ImportColumn],
    headers: Sequence[str],
    filled: set[int],
    *,
    letters: bool = True,
) -> HeaderMap:
    """Match each header to a column. ``filled`` holds the positions that have any data, so
    a blank header over data is reported as an unknown column and an empty one is not.
    ``letters`` names columns with their sheet letter too (not for GeoJSON properties)."""
    spellings = column_spellings(columns)
    keys: dict[int, str] = {}
    first: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[RowError] = []
    for index, header in enumerate(headers):
        if not header.strip():
            if index in filled:
                unknown.append(
                    gettext("column %(letter)s (no header)") % {"letter": column_letter(index)}
                )
            continue
        column = spellings.get(normalise_header(header))
        if column is None:
            unknown.append(header.strip())
            continue
        if column.key in first:
            duplicates.append(
                RowError(
                    1,
                    str(column.label),
                    gettext("the columns %(first)s and %(second)s both mean this column; keep one")
                    % {
                        "first": _header_name(headers, first[column.key], letters),
                        "second": _header_name(headers, index, letters),
                    },
                )
            )
            continue
        first[column.key] = index
        keys[index] = column.key
    missing = [
        RowError(1, str(column.label), gettext("column is missing"))
        for column in columns
        if column.required and column.key not in first
    ]
    return HeaderMap(keys, unknown, duplicates, missing)


def _header_name(headers: Sequence[str], index: int, letters: bool) -> str:
    if not letters:
        return f"“{headers[index].strip()}”"
    return gettext("“%(header)s” (column %(letter)s)") % {
        "header": headers[index].strip(),
        "letter": column_letter(index),
    }


class TableImporter(Generic[T]):
    """Base of every spreadsheet importer. Subclasses set ``columns`` and the two hooks.

    ``validate_row`` gets a row's values by column key (only the columns present in the
    file) and returns the item to save, or raises RowInvalid with every fault of the row
    (see ``RowFaults``). A required cell that is empty is reported by the base as "is
    required"; ``validate_row`` still runs, so the row's other faults are listed too, and any
    fault it reports for that empty column is dropped as a repeat.
    """

    columns: Sequence[ImportColumn] = ()
    sheet_title: str = "import"
    max_rows: int = 200_000
    # Whether rows whose code is already stored may be updated (``update_existing``); an
    # importer that only adds rows says False, and the import page offers no such choice.
    supports_update: bool = True

    def __init__(self, *, update_existing: bool = False) -> None:
        self.update_existing = update_existing
        self.unknown_columns: list[str] = []

    def validate_row(self, number: int, values: dict[str, Any], seen: dict[str, Any]) -> T:
        raise NotImplementedError

    def apply(self, items: list[T], *, by: Any) -> ImportResult:
        raise NotImplementedError

    def prepare(self) -> None:
        """Load lookups (codes → objects) once before rows are validated."""

    def label(self, key: str) -> str:
        """The (translated) label of the column ``key``, as errors name it."""
        return next(str(c.label) for c in self.columns if c.key == key)

    def check_file(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        """Faults of the file as a whole (after ``prepare``), reported before the rows'."""
        return []

    def parse(self, fileobj: IO[bytes], filename: str) -> list[tuple[int, dict[str, Any]]]:
        """The data rows as (sheet row number, values by column key).

        Raises InvalidInput when the file is not a readable spreadsheet, has no data rows or
        too many, and ImportFailed when a required column is missing or two headers mean
        the same column. Unknown columns are kept in ``self.unknown_columns`` for ``run``.
        """
        try:
            headers, rows = read_rows(fileobj, filename)
        except SpreadsheetError as exc:
            raise InvalidInput(file_error_message(exc.code), code=exc.code) from exc
        header_map = map_headers(self.columns, headers, _filled(headers, rows))
        self.unknown_columns = header_map.unknown
        if header_map.duplicates or header_map.missing:
            raise ImportFailed(
                header_map.duplicates + header_map.missing, unknown_columns=header_map.unknown
            )
        if len(rows) > self.max_rows:
            raise InvalidInput(
                gettext("The file has more than %(max)s rows.") % {"max": self.max_rows},
                code="too_many_rows",
            )
        if not rows:
            raise InvalidInput(gettext("The file has no data rows."), code="empty")
        positions = list(header_map.keys.items())
        return [
            (
                row.number,
                {key: row.cells[i] if i < len(row.cells) else None for i, key in positions},
            )
            for row in rows
        ]

    def run(
        self,
        fileobj: IO[bytes],
        filename: str,
        *,
        by: Any,
        commit: bool = True,
        ignore_unknown: bool = False,
    ) -> ImportResult:
        """Validate all rows; raise ImportFailed listing every fault, else save them all.

        Unknown columns refuse the file (code ``unknown_columns``) unless ``ignore_unknown``;
        then they are left out and named in the result's ``unknown_columns``.
        """
        parsed = self.parse(fileobj, filename)
        self.prepare()
        errors = self.check_file(parsed)
        items: list[T] = []
        seen: dict[str, Any] = {}
        labels = {c.key: str(c.label) for c in self.columns}
        for number, values in parsed:
            empty = {c.key for c in self.columns if c.required and values.get(c.key) in (None, "")}
            row_errors = [RowError(number, labels[key], gettext("is required")) for key in empty]
            try:
                item = self.validate_row(number, values, seen)
            except RowInvalid as exc:
                row_errors += [
                    RowError(number, labels.get(column, column), message)
                    for column, message in exc.faults
                    if column not in empty
                ]
            else:
                if not row_errors:
                    items.append(item)
                    continue
            errors += sorted(row_errors, key=lambda e: _column_order(self.columns, e.column))
        if errors:
            raise ImportFailed(errors, unknown_columns=self.unknown_columns)
        if self.unknown_columns and not ignore_unknown:
            raise unknown_columns_refused(self.unknown_columns)
        if not commit:
            return ImportResult(
                total=len(items), preview=items[:20], unknown_columns=self.unknown_columns
            )
        with transaction.atomic():
            result = self.apply(items, by=by)
        result.total = len(items)
        result.unknown_columns = self.unknown_columns
        return result

    def template(self) -> IO[bytes]:
        """An empty workbook with the headers (required ones marked *) and one example row."""
        headers = [f"{c.label}*" if c.required else str(c.label) for c in self.columns]
        example = [str(c.example) for c in self.columns]
        return write_xlsx(headers, [example], sheet_title=self.sheet_title)


def _filled(headers: Sequence[str], rows: Sequence[SheetRow]) -> set[int]:
    """Positions under a blank header that hold data in any row."""
    blank = {i for i, header in enumerate(headers) if not header.strip()}
    filled: set[int] = set()
    for row in rows:
        for i in blank - filled:
            if i < len(row.cells) and row.cells[i] is not None:
                filled.add(i)
        if filled == blank:
            break
    return filled


def _column_order(columns: Sequence[ImportColumn], label: str) -> int:
    for index, column in enumerate(columns):
        if str(column.label) == label:
            return index
    return len(columns)


def file_error_message(code: str) -> str:
    """What the user is told when a file is not a readable spreadsheet (SpreadsheetError)."""
    messages = {
        "bad_extension": gettext("Only .xlsx and .csv files can be imported."),
        "not_xlsx": gettext(
            "The file is not an Excel workbook (.xlsx): it may be another kind of file renamed,"
            " or damaged. Save it from Excel as .xlsx and upload it again."
        ),
        "not_text": gettext(
            "The .csv file is not a text file. Save the sheet as CSV (UTF-8) and upload it again."
        ),
        "bad_encoding": gettext("The CSV file must be UTF-8 or GBK encoded."),
        "empty": gettext("The file is empty."),
        "no_header": gettext("The first row must hold the column headers."),
    }
    return messages.get(code, gettext("The file could not be read as a spreadsheet."))
