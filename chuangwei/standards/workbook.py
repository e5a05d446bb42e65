"""A whole standard version as one Excel workbook: export, template and import.

The workbook has three sheets: 版本 (one row: the version's code, name, year …), 条款 (one
row per clause: its code, its parent's code, level, number, title, text, points or pass rule,
lead work line, evidence required …) and 指标 (one row per indicator, linked to a clause by
its code). A clause's code is any text unique in the file; the export writes the clause's
number path (``三/（十）/4``), so an exported file imports back into the same tree.

The import follows docs/imports.md: headers in any usual spelling, every fault of every
row listed (unknown parent, duplicate code, a parent chain that loops, a bad level or one
not below its parent's, bad points …), and nothing written on any fault. It creates a new
draft version, or replaces the tree of an existing **draft** of the same code (rows matched
by number path, rows missing from the file deleted); a published or retired version is
refused, because it is immutable (services.VersionLocked).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import xlsxwriter
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.core.importing import (
    ImportColumn,
    ImportFailed,
    RowError,
    cell_text,
    file_error_message,
    join_names,
    map_headers,
    normalise_header,
)
from chuangwei.org.models import WorkLine

from . import services, sources
from .choices import ClauseLevel, Comparator, VersionStatus
from .loaders import clause_paths
from .models import Indicator, StandardClause, StandardVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000

VERSION_COLUMNS = (
    ImportColumn("code", _("Version code"), True, example="GWS-2021-LOCAL", aliases=("版本编码",)),
    ImportColumn(
        "name", _("Version name"), True, example="本市创卫测评细则", aliases=("版本名称",)
    ),
    ImportColumn("year", _("Year"), True, example="2026", aliases=("年份", "年度")),
    ImportColumn("issuer", _("Issued by"), aliases=("发布机关", "发布单位")),
    ImportColumn("document_no", _("Document number"), aliases=("文号", "发文字号")),
    ImportColumn("source", _("Source"), aliases=("来源",)),
    ImportColumn("note", _("Note"), aliases=("备注", "说明")),
)
CLAUSE_COLUMNS = (
    ImportColumn(
        "code", _("Code"), True, example="一", aliases=("编码", "条款编码", "clause_code")
    ),
    ImportColumn("parent_code", _("Parent code"), aliases=("上级编码", "上级条款编码", "parent")),
    ImportColumn("level", _("Level"), True, example="方面", aliases=("层级", "级别")),
    ImportColumn("number", _("Number"), True, example="一", aliases=("编号", "序号", "条款号")),
    ImportColumn("title", _("Title"), True, example="爱国卫生组织管理", aliases=("标题",)),
    ImportColumn("text", _("Content"), aliases=("内容", "条款内容", "条款原文")),
    ImportColumn("points", _("Points"), aliases=("分值", "分数", "标准分")),
    ImportColumn("pass_rule", _("Pass rule"), aliases=("达标规则", "判定规则", "评分规则")),
    ImportColumn("lead_work_line", _("Lead work line code"), aliases=("牵头条线", "牵头条线编码")),
    ImportColumn("evidence_required", _("Evidence required"), aliases=("应备材料", "佐证材料")),
    ImportColumn("is_prerequisite", _("Prerequisite"), aliases=("必备条件",)),
    ImportColumn("is_veto", _("One-vote veto"), aliases=("一票否决",)),
    ImportColumn("sort_order", _("Sort order"), aliases=("排序", "排序号")),
    ImportColumn("source", _("Source"), aliases=("来源", "出处")),
    ImportColumn("note", _("Note"), aliases=("备注", "说明")),
)
INDICATOR_COLUMNS = (
    ImportColumn("code", _("Indicator code"), True, example="I-01", aliases=("指标编码", "编码")),
    ImportColumn(
        "name", _("Indicator name"), True, example="群众满意率", aliases=("指标名称", "名称")
    ),
    ImportColumn("clause_code", _("Clause code"), aliases=("条款编码", "所属条款")),
    ImportColumn("unit", _("Unit of measure"), aliases=("计量单位", "单位")),
    ImportColumn("comparator", _("Comparator"), True, example="≥", aliases=("比较", "比较符")),
    ImportColumn(
        "threshold", _("Threshold"), True, example="90", aliases=("阈值", "标准值", "目标值")
    ),
    ImportColumn("is_veto", _("One-vote veto"), aliases=("一票否决",)),
    ImportColumn("numerator_label", _("Numerator"), aliases=("分子",)),
    ImportColumn("denominator_label", _("Denominator"), aliases=("分母",)),
    ImportColumn("computed_by", _("Computed by"), aliases=("计算来源", "数据来源")),
    ImportColumn("source", _("Source"), aliases=("来源", "出处")),
    ImportColumn("note", _("Note"), aliases=("备注", "说明")),
)

SHEETS = (
    ("version", "版本", VERSION_COLUMNS),
    ("clauses", "条款", CLAUSE_COLUMNS),
    ("indicators", "指标", INDICATOR_COLUMNS),
)

LEVEL_WORDS = {
    ClauseLevel.ASPECT: ("aspect", "方面"),
    ClauseLevel.ARTICLE: ("article", "条", "条款", "大项"),
    ClauseLevel.ITEM: ("item", "check item", "小项", "检查项"),
    ClauseLevel.RULE: ("rule", "assessment rule", "测评细则", "细则"),
}
LEVEL_NAMES = {ClauseLevel.ASPECT: "方面", ClauseLevel.ARTICLE: "条", ClauseLevel.ITEM: "小项"}
LEVEL_NAMES[ClauseLevel.RULE] = "测评细则"
COMPARATOR_WORDS = {
    Comparator.GTE: ("gte", "≥", ">=", "＞＝", "不低于"),
    Comparator.GT: ("gt", ">", "＞", "高于"),
    Comparator.LTE: ("lte", "≤", "<=", "＜＝", "不高于"),
    Comparator.LT: ("lt", "<", "＜", "低于"),
    Comparator.EQ: ("eq", "=", "＝", "等于"),
}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", ""}


def _lookup(words: dict[Any, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(w): str(key) for key, values in words.items() for w in values}


LEVELS = _lookup(LEVEL_WORDS)
COMPARATORS = _lookup(COMPARATOR_WORDS)


@dataclass
class WorkbookResult:
    """What an import did, per kind of row."""

    version: StandardVersion | None = None
    created: dict[str, int] = field(default_factory=lambda: {"clause": 0, "indicator": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"clause": 0, "indicator": 0})
    deleted: dict[str, int] = field(default_factory=lambda: {"clause": 0, "indicator": 0})
    new_version: bool = False


# --- writing ----------------------------------------------------------------------------


def _bool(value: bool) -> str:
    return "是" if value else ""


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _write(sheets: Sequence[tuple[str, Sequence[ImportColumn], list[list[Any]]]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    head = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#304156"})
    for title, columns, rows in sheets:
        sheet = book.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(columns):
            label = f"{column.label}*" if column.required else str(column.label)
            sheet.write_string(0, index, label, head)
            sheet.set_column(index, index, 14 if column.key != "text" else 40)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def clause_codes(version: StandardVersion) -> dict[int, str]:
    """Each clause's code in the workbook: its number path joined by ``/``."""
    return {pk: "/".join(path) for path, pk in clause_paths(version.code).items()}


def export_workbook(version: StandardVersion) -> bytes:
    """The whole version (description, clause tree, indicators) as .xlsx bytes."""
    codes = clause_codes(version)
    clauses = StandardClause.objects.filter(version=version).select_related("lead_work_line")
    clause_rows = [
        [
            codes[c.pk],
            codes.get(c.parent_id, "") if c.parent_id else "",
            LEVEL_NAMES[ClauseLevel(c.level)],
            c.number,
            c.title,
            c.text,
            _number(c.points),
            c.pass_rule,
            c.lead_work_line.code if c.lead_work_line else "",
            c.evidence_required,
            _bool(c.is_prerequisite),
            _bool(c.is_veto),
            str(c.sort_order),
            c.source,
            c.note,
        ]
        for c in clauses.order_by("path")
    ]
    indicator_rows = [
        [
            i.code,
            i.name,
            codes.get(i.clause_id, "") if i.clause_id else "",
            i.unit,
            i.get_comparator_display(),
            _number(i.threshold),
            _bool(i.is_veto),
            i.numerator_label,
            i.denominator_label,
            i.computed_by,
            i.source,
            i.note,
        ]
        for i in Indicator.objects.filter(version=version).order_by("code")
    ]
    version_row = [
        version.code,
        version.name,
        str(version.year),
        version.issuer,
        version.document_no,
        version.source,
        version.note,
    ]
    return _write(
        [
            ("版本", VERSION_COLUMNS, [version_row]),
            ("条款", CLAUSE_COLUMNS, clause_rows),
            ("指标", INDICATOR_COLUMNS, indicator_rows),
        ]
    )


def template_workbook() -> bytes:
    """An empty workbook with the three sheets' headers and one example row each."""
    return _write(
        [(title, columns, [[str(c.example) for c in columns]]) for _key, title, columns in SHEETS]
    )


# --- reading ----------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict[str, str]


def _read(fileobj: IO[bytes], filename: str) -> dict[str, tuple[list[str], list[Row], int]]:
    """Each known sheet's headers, data rows (as trimmed text) and the count of columns."""
    if not filename.lower().endswith((".xlsx", ".xlsm")):
        raise InvalidInput(
            gettext("Only .xlsx workbooks can be imported as a standard."), code="bad_extension"
        )
    head = fileobj.read(4)
    fileobj.seek(0)
    if head != b"PK\x03\x04":
        raise InvalidInput(file_error_message("not_xlsx"), code="not_xlsx")
    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
        try:
            found: dict[str, list[tuple[Any, ...]]] = {}
            names = {
                normalise_header(n): key
                for key, title, _columns in SHEETS
                for n in (key, title, gettext(key))
            }
            for index, sheet in enumerate(book.worksheets):
                key = names.get(normalise_header(sheet.title))
                if key is None and index < len(SHEETS):
                    key = SHEETS[index][0]
                if key and key not in found:
                    found[key] = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
        finally:
            book.close()
    except Exception as exc:  # openpyxl, zipfile and the XML parser raise many types
        raise InvalidInput(file_error_message("not_xlsx"), code="not_xlsx") from exc
    tables: dict[str, tuple[list[str], list[Row], int]] = {}
    for key, cells in found.items():
        if not cells:
            tables[key] = ([], [], 0)
            continue
        headers = [cell_text(h) for h in cells[0]]
        rows = []
        for number, raw in enumerate(cells[1:], start=2):
            texts = [cell_text(v) for v in raw]
            if any(texts):
                rows.append(Row(number, {str(i): t for i, t in enumerate(texts)}))
        tables[key] = (headers, rows, len(headers))
    return tables


@dataclass
class ClauseRow:
    number_in_sheet: int
    code: str
    parent_code: str
    values: dict[str, Any]


@dataclass
class Checked:
    version: dict[str, Any]
    clauses: list[ClauseRow]
    indicators: list[tuple[int, dict[str, Any]]]


class _Faults:
    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def add(self, sheet: str, row: int | None, column: Any, message: str) -> None:
        label = f"{sheet} › {column}" if column else sheet
        self.errors.append(RowError(row, label, message))


def _parse_bool(text: str) -> bool | None:
    folded = normalise_header(text)
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    return None


def _columns_of(
    faults: _Faults,
    title: str,
    columns: Sequence[ImportColumn],
    table: tuple[list[str], list[Row], int] | None,
) -> list[tuple[int, dict[str, str]]]:
    """The sheet's rows by column key; header faults (missing, repeated or unknown columns)
    are recorded as faults of the sheet."""
    if table is None:
        faults.add(title, None, "", gettext("the sheet is missing"))
        return []
    headers, rows, _width = table
    filled = {int(i) for row in rows for i, t in row.values.items() if t}
    mapping = map_headers(columns, headers, filled)
    for error in mapping.duplicates + mapping.missing:
        faults.add(title, 1, error.column, error.message)
    if mapping.unknown:
        faults.add(
            title,
            1,
            "",
            gettext("these columns are not recognised: %(columns)s")
            % {"columns": join_names(mapping.unknown)},
        )
    out = []
    for row in rows:
        values = {key: row.values.get(str(i), "") for i, key in mapping.keys.items()}
        out.append((row.number, values))
    return out


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _length(
    faults: _Faults, title: str, row: int, label: Any, model: Any, key: str, text: str
) -> None:
    limit = getattr(model._meta.get_field(key), "max_length", None)
    if limit and len(text) > limit:
        faults.add(title, row, label, gettext("is longer than %(max)s characters") % {"max": limit})


def _check(tables: dict[str, tuple[list[str], list[Row], int]], code: str | None) -> Checked:
    faults = _Faults()
    v_title, c_title, i_title = (gettext("Version"), gettext("Clauses"), gettext("Indicators"))
    label = {c.key: str(c.label) for c in CLAUSE_COLUMNS}
    ilabel = {c.key: str(c.label) for c in INDICATOR_COLUMNS}
    vlabel = {c.key: str(c.label) for c in VERSION_COLUMNS}

    # Version ---------------------------------------------------------------------------
    version_rows = _columns_of(faults, v_title, VERSION_COLUMNS, tables.get("version"))
    version: dict[str, Any] = {}
    if tables.get("version") is not None and len(version_rows) != 1:
        faults.add(v_title, None, "", gettext("the sheet must hold exactly one data row"))
    if version_rows:
        number, values = version_rows[0]
        version = dict(values)
        if code:
            version["code"] = code
        for column in VERSION_COLUMNS:
            text = version.get(column.key, "")
            if column.required and not text:
                faults.add(v_title, number, vlabel[column.key], gettext("is required"))
            elif column.key != "year":
                _length(
                    faults, v_title, number, vlabel[column.key], StandardVersion, column.key, text
                )
        year = version.get("year", "")
        if year and not (year.isdigit() and 1949 <= int(year) <= 2100):
            faults.add(v_title, number, vlabel["year"], gettext("must be a year such as 2026"))
        existing = StandardVersion.objects.filter(code=version.get("code", "")).first()
        if existing is not None and existing.status != VersionStatus.DRAFT:
            faults.add(
                v_title,
                number,
                vlabel["code"],
                gettext(
                    "version %(code)s is published or retired and cannot be changed; import "
                    "the workbook under a new version code (or copy the version to a draft)"
                )
                % {"code": existing.code},
            )

    # Clauses ---------------------------------------------------------------------------
    clause_rows = _columns_of(faults, c_title, CLAUSE_COLUMNS, tables.get("clauses"))
    work_lines = set(WorkLine.objects.values_list("code", flat=True))
    rows: list[ClauseRow] = []
    first_row: dict[str, int] = {}
    for number, values in clause_rows:
        item: dict[str, Any] = {}
        for column in CLAUSE_COLUMNS:
            text = values.get(column.key, "")
            if column.required and not text:
                faults.add(c_title, number, label[column.key], gettext("is required"))
        code_text = values.get("code", "")
        if code_text in first_row:
            faults.add(
                c_title,
                number,
                label["code"],
                gettext("code %(code)s is used twice (also row %(row)s)")
                % {"code": code_text, "row": first_row[code_text]},
            )
        elif code_text:
            first_row[code_text] = number
        level_text = values.get("level", "")
        if level_text:
            level = LEVELS.get(normalise_header(level_text))
            if level is None:
                faults.add(
                    c_title,
                    number,
                    label["level"],
                    gettext("%(value)s is not a level: use 方面, 条, 小项 or 测评细则")
                    % {"value": level_text},
                )
            item["level"] = level
        points_text = values.get("points", "")
        item["points"] = None
        if points_text:
            points = _decimal(points_text)
            problem = (
                gettext("must be a number") if points is None else services.check_points(points)
            )
            if problem:
                faults.add(c_title, number, label["points"], problem)
            item["points"] = points
        for key in ("is_prerequisite", "is_veto"):
            flag = _parse_bool(values.get(key, ""))
            if flag is None:
                faults.add(c_title, number, label[key], gettext("must be 是 or 否"))
            item[key] = bool(flag)
        sort_text = values.get("sort_order", "")
        item["sort_order"] = None
        if sort_text:
            try:
                item["sort_order"] = int(sort_text)
                if abs(item["sort_order"]) > 999_999:
                    raise ValueError
            except ValueError:
                faults.add(
                    c_title,
                    number,
                    label["sort_order"],
                    gettext("must be a whole number from -999999 to 999999"),
                )
        line = values.get("lead_work_line", "")
        if line and line not in work_lines:
            faults.add(
                c_title,
                number,
                label["lead_work_line"],
                gettext("no work line has the code %(code)s") % {"code": line},
            )
        for key in ("number", "title", "source"):
            _length(faults, c_title, number, label[key], StandardClause, key, values.get(key, ""))
        for key in ("number", "title", "text", "pass_rule", "evidence_required", "source", "note"):
            item[key] = values.get(key, "")
        item["lead_work_line"] = line
        rows.append(ClauseRow(number, code_text, values.get("parent_code", ""), item))

    # The tree: parents known, no loops, each level below its parent's, numbers unique
    # among siblings.
    by_code = {r.code: r for r in reversed(rows) if r.code}
    for row in rows:
        if row.parent_code and row.parent_code not in by_code:
            faults.add(
                c_title,
                row.number_in_sheet,
                label["parent_code"],
                gettext("no clause in the file has the code %(code)s") % {"code": row.parent_code},
            )
    looped: set[str] = set()
    for row in rows:
        chain: list[str] = []
        current = row.code
        while current in by_code and current not in chain:
            chain.append(current)
            current = by_code[current].parent_code
        if current not in chain:
            continue
        loop = chain[chain.index(current) :]
        if looped & set(loop):
            continue
        looped.update(loop)
        text = " → ".join([*loop, loop[0]])
        for code_in_loop in loop:
            faults.add(
                c_title,
                by_code[code_in_loop].number_in_sheet,
                label["parent_code"],
                gettext("the parent chain loops: %(chain)s") % {"chain": text},
            )
    rank = services.LEVEL_RANK
    siblings: dict[tuple[str, str], int] = {}
    for row in rows:
        parent = by_code.get(row.parent_code) if row.parent_code else None
        level = row.values.get("level")
        if parent is not None and level and parent.values.get("level") and row.code not in looped:
            if rank[ClauseLevel(level)] <= rank[ClauseLevel(parent.values["level"])]:
                faults.add(
                    c_title,
                    row.number_in_sheet,
                    label["level"],
                    gettext("a %(level)s cannot sit under a %(parent)s (%(code)s)")
                    % {
                        "level": LEVEL_NAMES[ClauseLevel(level)],
                        "parent": LEVEL_NAMES[ClauseLevel(parent.values["level"])],
                        "code": parent.code,
                    },
                )
        sibling = (row.parent_code, row.values["number"])
        if row.values["number"] and sibling in siblings:
            faults.add(
                c_title,
                row.number_in_sheet,
                label["number"],
                gettext("number %(number)s is used twice under the same parent (also row %(row)s)")
                % {"number": row.values["number"], "row": siblings[sibling]},
            )
        else:
            siblings.setdefault(sibling, row.number_in_sheet)

    # Indicators ------------------------------------------------------------------------
    indicator_table = tables.get("indicators")
    indicator_rows = (
        _columns_of(faults, i_title, INDICATOR_COLUMNS, indicator_table)
        if indicator_table is not None
        else []
    )
    indicators: list[tuple[int, dict[str, Any]]] = []
    seen_codes: dict[str, int] = {}
    for number, values in indicator_rows:
        item = dict(values)
        for column in INDICATOR_COLUMNS:
            if column.required and not values.get(column.key, ""):
                faults.add(i_title, number, ilabel[column.key], gettext("is required"))
        code_text = values.get("code", "")
        if code_text in seen_codes:
            faults.add(
                i_title,
                number,
                ilabel["code"],
                gettext("code %(code)s is used twice (also row %(row)s)")
                % {"code": code_text, "row": seen_codes[code_text]},
            )
        elif code_text:
            seen_codes[code_text] = number
        clause_code = values.get("clause_code", "")
        if clause_code and clause_code not in by_code:
            faults.add(
                i_title,
                number,
                ilabel["clause_code"],
                gettext("no clause in the file has the code %(code)s") % {"code": clause_code},
            )
        comparator_text = values.get("comparator", "")
        item["comparator"] = COMPARATORS.get(normalise_header(comparator_text))
        if comparator_text and item["comparator"] is None:
            faults.add(
                i_title,
                number,
                ilabel["comparator"],
                gettext("%(value)s is not a comparator: use ≥, >, ≤, < or =")
                % {"value": comparator_text},
            )
        threshold_text = values.get("threshold", "")
        item["threshold"] = _decimal(threshold_text) if threshold_text else None
        if threshold_text and (
            item["threshold"] is None or abs(item["threshold"]) >= Decimal("1e10")
        ):
            faults.add(i_title, number, ilabel["threshold"], gettext("must be a number"))
        flag = _parse_bool(values.get("is_veto", ""))
        if flag is None:
            faults.add(i_title, number, ilabel["is_veto"], gettext("must be 是 or 否"))
        item["is_veto"] = bool(flag)
        computed_by = values.get("computed_by", "")
        if computed_by and sources.get(computed_by) is None:
            faults.add(
                i_title,
                number,
                ilabel["computed_by"],
                gettext("no source of the platform is called %(key)s") % {"key": computed_by},
            )
        for key in ("code", "name", "unit", "numerator_label", "denominator_label", "source"):
            _length(faults, i_title, number, ilabel[key], Indicator, key, values.get(key, ""))
        indicators.append((number, item))

    if faults.errors:
        raise ImportFailed(faults.errors)
    return Checked(version, rows, indicators)


# --- applying ---------------------------------------------------------------------------


def _paths(rows: list[ClauseRow]) -> dict[str, tuple[str, ...]]:
    by_code = {r.code: r for r in rows}
    paths: dict[str, tuple[str, ...]] = {}

    def path_of(code: str) -> tuple[str, ...]:
        if code not in paths:
            row = by_code[code]
            own = (row.values["number"],)
            paths[code] = (*path_of(row.parent_code), *own) if row.parent_code else own
        return paths[code]

    for row in rows:
        path_of(row.code)
    return paths


def _apply(checked: Checked, by: Any) -> WorkbookResult:
    result = WorkbookResult()
    v = checked.version
    version = StandardVersion.objects.filter(code=v["code"]).first()
    if version is None:
        version = StandardVersion(code=v["code"], status=VersionStatus.DRAFT)
        result.new_version = True
    version.name = v["name"]
    version.year = int(v["year"])
    for key in ("issuer", "document_no", "source", "note"):
        setattr(version, key, v.get(key, ""))
    services.save_standard_version(version, by=by)
    result.version = version

    work_lines = dict(WorkLine.objects.values_list("code", "pk"))
    paths = _paths(checked.clauses)
    wanted_codes = {item["code"] for _n, item in checked.indicators}
    for indicator in Indicator.objects.filter(version=version).exclude(code__in=wanted_codes):
        services.delete_indicator(indicator, by=by)
        result.deleted["indicator"] += 1

    existing = clause_paths(version.code)
    stored = StandardClause.objects.in_bulk(list(existing.values()))
    saved: dict[tuple[str, ...], StandardClause] = {}
    order: dict[tuple[str, ...], int] = {}
    for row in sorted(checked.clauses, key=lambda r: len(paths[r.code])):
        path = paths[row.code]
        pk = existing.get(path)
        clause = stored[pk] if pk else StandardClause(version=version)
        parent = saved[path[:-1]] if len(path) > 1 else None
        d = row.values
        order[path[:-1]] = order.get(path[:-1], 0) + 10
        clause.parent = parent
        clause.level = d["level"]
        clause.number = d["number"]
        clause.title = d["title"]
        clause.text = d["text"]
        clause.points = d["points"]
        clause.pass_rule = d["pass_rule"]
        clause.lead_work_line_id = (
            work_lines.get(d["lead_work_line"]) if d["lead_work_line"] else None
        )
        clause.evidence_required = d["evidence_required"]
        clause.is_prerequisite = d["is_prerequisite"]
        clause.is_veto = d["is_veto"]
        clause.sort_order = d["sort_order"] if d["sort_order"] is not None else order[path[:-1]]
        clause.source = d["source"]
        clause.note = d["note"]
        services.save_standard_clause(clause, by=by)
        result.updated["clause"] += int(bool(pk))
        result.created["clause"] += int(not pk)
        saved[path] = clause
    code_to_clause = {row.code: saved[paths[row.code]] for row in checked.clauses}

    current = {i.code: i for i in Indicator.objects.filter(version=version)}
    for _number, d in checked.indicators:
        indicator = current.get(d["code"])
        is_new = indicator is None
        indicator = indicator or Indicator(version=version, code=d["code"])
        indicator.name = d["name"]
        indicator.clause = code_to_clause[d["clause_code"]] if d.get("clause_code") else None
        indicator.unit = d.get("unit", "")
        indicator.comparator = d["comparator"]
        indicator.threshold = d["threshold"]
        indicator.is_veto = d["is_veto"]
        for key in ("numerator_label", "denominator_label", "computed_by", "source", "note"):
            setattr(indicator, key, d.get(key, ""))
        services.save_indicator(indicator, by=by)
        result.created["indicator"] += int(is_new)
        result.updated["indicator"] += int(not is_new)

    kept = {c.pk for c in saved.values()}
    gone = StandardClause.objects.filter(version=version).exclude(pk__in=kept).order_by("-depth")
    for clause in gone:
        services.delete_standard_clause(clause, by=by)
        result.deleted["clause"] += 1
    return result


def import_workbook(
    fileobj: IO[bytes], filename: str, *, by: Any, code: str | None = None
) -> WorkbookResult:
    """Check the whole workbook, then write the version, its clauses and indicators.

    ``code`` imports under that version code instead of the one in the 版本 sheet (to load
    a copy next to the original). Raises ImportFailed listing every fault (nothing written),
    InvalidInput when the file is not a readable .xlsx workbook.
    """
    tables = _read(fileobj, filename)
    checked = _check(tables, code)
    try:
        with transaction.atomic():
            return _apply(checked, by)
    except DomainError as exc:
        # A row the import would delete is still in use (InUse), or someone published the
        # draft meanwhile (VersionLocked): nothing was written.
        raise ImportFailed(
            [RowError(None, "", str(exc.message))],
            gettext("The workbook was not imported: %(reason)s") % {"reason": exc.message},
        ) from exc
