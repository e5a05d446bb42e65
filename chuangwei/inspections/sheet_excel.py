"""Score sheets to and from Excel (one row per line; parents by number)."""

from __future__ import annotations

from typing import IO, Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.core.importing import (
    ImportColumn,
    ImportFailed,
    ImportResult,
    RowFaults,
    RowInvalid,
    TableImporter,
    cell_text,
    join_names,
)
from chuangwei.lib.excel import write_xlsx
from chuangwei.standards.models import ProblemCategory

from . import scoring, services
from .choices import ScoringMode
from .forms import format_bands, parse_band_text
from .models import ScoreSheet

COLUMNS = ("编号", "上级编号", "名称", "分值", "计分方式", "分档", "每处扣分", "问题类别", "备注")
MODE_LABELS = {ScoringMode.DEDUCTION: "扣分", ScoringMode.BAND: "分档", ScoringMode.GROUP: "分组"}
MODES = {v: k for k, v in MODE_LABELS.items()} | {m.value: m.value for m in ScoringMode}


def export_sheet(sheet: ScoreSheet) -> IO[bytes]:
    items = list(sheet.items.select_related("parent", "category"))
    rows = [
        [
            i.number,
            i.parent.number if i.parent else "",
            i.title,
            float(i.points),
            MODE_LABELS.get(i.mode, i.mode),  # type: ignore[call-overload]
            format_bands(i.bands) if i.bands else "",
            float(i.deduction_step) if i.deduction_step is not None else None,
            f"{i.category.kind}:{i.category.code}" if i.category else "",
            i.note,
        ]
        for i in items
    ]
    return write_xlsx(COLUMNS, rows, sheet_title=sheet.name)


class ScoreSheetImporter(TableImporter[dict[str, Any]]):
    """A score sheet's lines, imported as the next draft version of ``sheet``.

    Headers as the export writes them (编号, 上级编号, 名称, 分值, 计分方式, 分档, 每处扣分, 问题
    类别, 备注) or any usual spelling; every fault of every row is reported and nothing is
    saved unless all rows are good. A parent must come on an earlier row.
    """

    columns = (
        ImportColumn(
            "number", gettext_lazy("Number"), required=True, aliases=("编号",), example="1.1"
        ),
        ImportColumn("parent", gettext_lazy("Parent number"), aliases=("上级编号",)),
        ImportColumn(
            "title", gettext_lazy("Name"), required=True, aliases=("名称",), example="路面清洁"
        ),
        ImportColumn(
            "points", gettext_lazy("Points"), required=True, aliases=("分值",), example="10"
        ),
        ImportColumn(
            "mode",
            gettext_lazy("Scoring mode"),
            aliases=("计分方式",),
            help=gettext_lazy("扣分, 分档 or 分组; blank means 扣分"),
            example="扣分",
        ),
        ImportColumn(
            "bands",
            gettext_lazy("Bands"),
            aliases=("分档",),
            help=gettext_lazy("for 分档 items, e.g. 好:17.5-20；中:9.5-17；差:0-9"),
        ),
        ImportColumn(
            "deduction_step",
            gettext_lazy("Deduction per finding"),
            aliases=("每处扣分",),
            example="1",
        ),
        ImportColumn("category", gettext_lazy("Problem category"), aliases=("问题类别",)),
        ImportColumn("note", gettext_lazy("Note"), aliases=("备注",)),
    )
    sheet_title = "score_sheet"

    def __init__(self, sheet: ScoreSheet) -> None:
        super().__init__()
        self.sheet = sheet
        self.version: ScoreSheet | None = None

    def prepare(self) -> None:
        self._categories = {f"{c.kind}:{c.code}": c for c in ProblemCategory.objects.all()}
        self._by_code = {c.code: c for c in self._categories.values()}
        self._position = 0
        self._rows: dict[str, int] = {}

    def validate_row(
        self, number: int, values: dict[str, Any], seen: dict[str, Any]
    ) -> dict[str, Any]:
        faults = RowFaults()
        item_number = cell_text(values.get("number"))
        rows = self._rows  # number → its sheet row
        if item_number in rows:
            faults.add(
                "number",
                _("duplicate number in this file (also on row %(row)s)")
                % {"row": rows[item_number]},
            )
        points = faults.check(_points, "points", values.get("points"), fallback=None)
        mode = MODES.get(cell_text(values.get("mode")) or "扣分")
        if mode is None:
            faults.add("mode", _("unknown scoring mode"))
        bands: list[dict[str, str]] = []
        if mode == ScoringMode.BAND:
            bands = faults.check(_band_text, cell_text(values.get("bands")), fallback=[])
            if bands and points is not None:
                faults.check(_checked, "bands", scoring.parse_bands, bands, points, fallback=None)
        parent_no = cell_text(values.get("parent"))
        if parent_no and parent_no not in seen:
            faults.add("parent", _("parent %(n)s must come on an earlier row") % {"n": parent_no})
        cat_key = cell_text(values.get("category"))
        category = (
            (self._categories.get(cat_key) or self._by_code.get(cat_key)) if cat_key else None
        )
        if cat_key and category is None:
            faults.add("category", _("unknown problem category %(c)s") % {"c": cat_key})
        step = None
        if cell_text(values.get("deduction_step")):
            step = faults.check(
                _points, "deduction_step", values.get("deduction_step"), fallback=None
            )
            if step is not None and points is not None and step > points:
                faults.add(
                    "deduction_step",
                    _(
                        "the deduction per finding (%(step)s) is more than the item's points (%(points)s)"
                    )
                    % {
                        "step": scoring.format_points(step),
                        "points": scoring.format_points(points),
                    },
                )
        faults.raise_any()
        if item_number:
            rows[item_number] = number
            seen[item_number] = self._position
        self._position += 1
        return {
            "number": item_number,
            "title": cell_text(values.get("title")),
            "points": points,
            "mode": mode,
            "bands": bands,
            "deduction_step": step,
            "category": category,
            "note": cell_text(values.get("note")),
            "parent": seen[parent_no] if parent_no else None,
        }

    def apply(self, items: list[dict[str, Any]], *, by: Any) -> ImportResult:
        self.version = services.import_sheet_version(self.sheet, items, by=by)
        return ImportResult(created=len(items))


def _checked(column: str, func: Any, *args: Any) -> Any:
    """``func(*args)``, its domain error turned into a fault of ``column``."""
    try:
        return func(*args)
    except DomainError as exc:
        raise RowInvalid(column, exc.message) from exc


def _points(column: str, value: Any) -> Any:
    return _checked(column, scoring.to_points, value)


def _band_text(text: str) -> list[dict[str, str]]:
    """The bands of a 分档 cell, each written ``label:low-high``; RowInvalid names the
    first band that is not (or says the cell is empty)."""
    example = "好:17.5-20；中:9.5-17；差:0-9"
    if not text:
        raise RowInvalid(
            "bands",
            _("a banded item needs its bands, e.g. %(example)s") % {"example": example},
        )
    bands = parse_band_text(text)
    for band in bands:
        if not band["label"] or "x" in (band["low"], band["high"]):
            raise RowInvalid(
                "bands",
                _("write each band as name:lowest-highest score, e.g. %(example)s (check %(band)s)")
                % {"example": example, "band": band["label"] or "?"},
            )
        for key in ("low", "high"):
            try:
                scoring.to_points(band[key], field_name="bands")
            except DomainError as exc:
                raise RowInvalid(
                    "bands",
                    _("the scores of band %(band)s must be numbers of points (%(value)s)")
                    % {"band": band["label"], "value": band[key]},
                ) from exc
    return bands


def import_sheet_file(
    sheet: ScoreSheet,
    fileobj: IO[bytes],
    filename: str,
    *,
    by: Any,
    ignore_unknown: bool = False,
) -> ScoreSheet:
    """Check every row of the file, then save it as the next draft version of ``sheet``.

    Raises InvalidInput, writing nothing, for a file that is not a spreadsheet, and one
    listing every fault (第N行：列：…) and every column it does not recognise (refused unless
    ``ignore_unknown``).
    """
    importer = ScoreSheetImporter(sheet)
    try:
        importer.run(fileobj, filename, by=by, ignore_unknown=ignore_unknown)
    except ImportFailed as exc:
        parts = [str(error) for error in exc.errors]
        if exc.unknown_columns:
            parts.insert(
                0,
                _("These columns are not recognised and would not be imported: %(columns)s.")
                % {"columns": join_names(exc.unknown_columns)},
            )
            parts.append(
                _("Tick “Ignore columns that are not recognised” to import the file without them.")
            )
        # One fault after another with a separator (；), so they do not run together.
        separator = _("; ")
        message = separator.join(str(p).rstrip("。.；; ") for p in parts)
        raise InvalidInput(message, code=exc.code) from exc
    return cast(ScoreSheet, importer.version)  # set by apply
