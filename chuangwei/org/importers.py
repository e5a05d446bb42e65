"""Importing the org unit tree (块 and departments) from a spreadsheet.

One row per unit: code, name, parent code, kind, short name, sort order. A parent may be
a unit already in the database or a row anywhere in the same file (also further down):
rows are saved parents first. Every bad row is reported with its row number and nothing
is saved unless every row is good (``core.importing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangwei.core.importing import (
    ImportColumn,
    ImportResult,
    RowError,
    RowFaults,
    RowInvalid,
    TableImporter,
    cell_text,
    check_length,
)

from .choices import OrgUnitKind
from .models import OrgUnit
from .services import create_org_unit, save_org_unit

# The words offices write in a "类型" column, mapped to kinds. English values and the
# translated labels of OrgUnitKind are accepted as well (see ``resolve_kind``).
KIND_WORDS: dict[str, str] = {
    "市": OrgUnitKind.CITY,
    "区": OrgUnitKind.DISTRICT,
    "县": OrgUnitKind.DISTRICT,
    "县级市": OrgUnitKind.DISTRICT,
    "开发区": OrgUnitKind.ZONE,
    "高新区": OrgUnitKind.ZONE,
    "园区": OrgUnitKind.ZONE,
    "街道": OrgUnitKind.STREET,
    "镇": OrgUnitKind.TOWN,
    "乡": OrgUnitKind.TOWN,
    "社区": OrgUnitKind.COMMUNITY,
    "村": OrgUnitKind.VILLAGE,
    "部门": OrgUnitKind.DEPARTMENT,
    "其他": OrgUnitKind.OTHER,
}


def resolve_kind(value: Any) -> str | None:
    """The OrgUnitKind value for a cell (Chinese word, English value or label), else None."""
    text = str(value or "").strip()
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    lowered = text.lower()
    for kind in OrgUnitKind:
        if lowered in (kind.value, str(kind.label).lower()):
            return kind.value
    return None


@dataclass(frozen=True)
class OrgUnitRow:
    """One validated row of the file."""

    number: int
    code: str
    name: str
    kind: str
    parent_code: str
    short_name: str
    sort_order: int | None


class OrgUnitImporter(TableImporter[OrgUnitRow]):
    """Org units by code; ``update_existing`` changes name, kind and parent of known codes.

    Row faults: duplicate code in the file, code already in the database (without
    ``update_existing``), unknown kind, unknown parent code, a parent chain that loops back
    to the unit (the loop's codes are named), a unit other than a city without a parent
    (only a city is a root: the tree would come out flat), a text too long, a sort order
    that is not a whole number. A file of several rows none of which has a parent, though
    some need one, is also refused as a whole.
    """

    columns = (
        ImportColumn(
            "code",
            _("Code"),
            required=True,
            example="370402001",
            aliases=(
                "编码",
                "代码",
                "单位编码",
                "单位代码",
                "机构编码",
                "区划代码",
                "行政区划代码",
            ),
        ),
        ImportColumn(
            "name",
            _("Name"),
            required=True,
            example="中心街街道",
            aliases=("名称", "单位名称", "机构名称"),
        ),
        ImportColumn(
            "parent",
            _("Parent code"),
            example="370402",
            aliases=(
                "上级编码",
                "上级代码",
                "上级单位编码",
                "上级单位代码",
                "上级机构编码",
                "上级区划代码",
                "parent_code",
                "parent_unit_code",
            ),
        ),
        ImportColumn(
            "kind",
            _("Kind"),
            required=True,
            help=_("市/区/县/开发区/街道/镇/社区/村/部门"),
            example="街道",
            aliases=("类型", "层级", "级别", "单位类型", "机构类型", "type", "unit_type"),
        ),
        ImportColumn(
            "short_name",
            _("Short name"),
            example="中心街",
            aliases=("简称", "单位简称", "abbreviation"),
        ),
        ImportColumn(
            "sort_order",
            _("Sort order"),
            example="1",
            aliases=("排序", "排序号", "显示顺序", "sort", "order"),
        ),
    )
    sheet_title = "org_units"

    def __init__(self, *, update_existing: bool = False) -> None:
        super().__init__(update_existing=update_existing)
        self._file_parents: dict[str, str] = {}
        self._db_parents: dict[str, str] = {}
        self._loops: dict[str, list[str]] = {}

    def parse(self, fileobj: Any, filename: str) -> list[tuple[int, dict[str, Any]]]:
        parsed = super().parse(fileobj, filename)
        # Parents may come later in the file, so every row's code and parent is known
        # before any row is validated.
        self._file_parents = {}
        for _number, values in parsed:
            code = cell_text(values.get("code"))
            if code and code not in self._file_parents:
                self._file_parents[code] = cell_text(values.get("parent"))
        return parsed

    def prepare(self) -> None:
        self._db_parents = {
            code: parent or ""
            for code, parent in OrgUnit.objects.values_list("code", "parent__code")
        }
        self._loops = self._find_loops()

    def check_file(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        """A file of several units none of which names a parent, though some must have one,
        would come out flat: say so once, besides each row's own fault."""
        kinds = [resolve_kind(values.get("kind")) for _number, values in rows]
        if (
            len(rows) > 1
            and not any(cell_text(values.get("parent")) for _number, values in rows)
            and any(kind is not None and kind != OrgUnitKind.CITY for kind in kinds)
        ):
            return [
                RowError(
                    None,
                    self.label("parent"),
                    gettext(
                        "no row has a parent code, so every unit would be at the top and the "
                        "tree would come out flat; fill in the parent codes (is the column "
                        "missing or named differently?)"
                    ),
                )
            ]
        return []

    def _find_loops(self) -> dict[str, list[str]]:
        """Each file code whose parent chain comes back to it, with the loop's codes."""
        parents = dict(self._db_parents)
        parents.update(self._file_parents)
        loops: dict[str, list[str]] = {}
        for start in self._file_parents:
            chain, seen = [start], {start}
            code = parents.get(start, "")
            while code and code not in seen:
                chain.append(code)
                seen.add(code)
                code = parents.get(code, "")
            if code == start:
                loops[start] = [*chain, start]
            # A chain that meets a loop above the unit is reported on the rows in the loop.
        return loops

    def validate_row(self, number: int, values: dict[str, Any], seen: dict[str, Any]) -> OrgUnitRow:
        faults = RowFaults()
        code = faults.check(check_length, "code", cell_text(values.get("code")), 32, fallback="")
        if code in seen:
            faults.add(
                "code",
                gettext("The code %(code)s is already used on row %(row)s.")
                % {"code": code, "row": seen[code]},
            )
        elif code:
            seen[code] = number
        if code in self._db_parents and not self.update_existing:
            faults.add(
                "code",
                gettext(
                    "A unit with the code %(code)s already exists; import with updates allowed to change it."
                )
                % {"code": code},
            )
        kind = resolve_kind(values.get("kind"))
        if kind is None:
            faults.add(
                "kind",
                gettext(
                    "Unknown kind “%(kind)s”: use 市, 区, 县, 开发区, 街道, 镇, 社区, 村 or 部门."
                )
                % {"kind": values.get("kind")},
            )
        parent_code = cell_text(values.get("parent"))
        if (
            parent_code
            and parent_code not in self._file_parents
            and parent_code not in self._db_parents
        ):
            faults.add(
                "parent",
                gettext("No unit has the parent code %(code)s, in the file or in the system.")
                % {"code": parent_code},
            )
        if code in self._loops:
            faults.add(
                "parent",
                gettext("The parent chain loops back to this unit: %(loop)s.")
                % {"loop": " → ".join(self._loops[code])},
            )
        if not parent_code and kind is not None and kind != OrgUnitKind.CITY:
            faults.add(
                "parent",
                gettext(
                    "Only a city can be at the top of the tree; a unit of kind %(kind)s needs "
                    "a parent code."
                )
                % {"kind": OrgUnitKind(kind).label},
            )
        name = faults.check(check_length, "name", cell_text(values.get("name")), 100, fallback="")
        short_name = faults.check(
            check_length, "short_name", cell_text(values.get("short_name")), 30, fallback=""
        )
        sort_order = faults.check(_sort_order, values.get("sort_order"), fallback=None)
        faults.raise_any()
        return OrgUnitRow(
            number=number,
            code=code,
            name=name,
            kind=kind or "",
            parent_code=parent_code,
            short_name=short_name,
            sort_order=sort_order,
        )

    def apply(self, items: list[OrgUnitRow], *, by: Any) -> ImportResult:
        units = {u.code: u for u in OrgUnit.objects.all()}
        result = ImportResult()
        moved = False
        for row in _parents_first(items):
            parent = units.get(row.parent_code) if row.parent_code else None
            if moved and parent is not None:
                # An earlier move rewrote descendants' paths in SQL; reload this parent's.
                parent.refresh_from_db(fields=["path", "depth"])
            unit = units.get(row.code)
            if unit is None:
                extra: dict[str, Any] = {"short_name": row.short_name}
                if row.sort_order is not None:
                    extra["sort_order"] = row.sort_order
                units[row.code] = create_org_unit(
                    code=row.code, name=row.name, kind=row.kind, parent=parent, by=by, **extra
                )
                result.created += 1
                continue
            moved = moved or unit.parent_id != (parent.pk if parent else None)
            unit.name, unit.kind, unit.parent = row.name, row.kind, parent
            if row.short_name:
                unit.short_name = row.short_name
            if row.sort_order is not None:
                unit.sort_order = row.sort_order
            save_org_unit(unit, by=by)
            result.updated += 1
        return result


def _sort_order(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0.5
    if not number.is_integer():
        raise RowInvalid("sort_order", gettext("The sort order must be a whole number."))
    if abs(number) > MAX_SORT_ORDER:
        raise RowInvalid(
            "sort_order",
            gettext("The sort order must be between -%(max)s and %(max)s.")
            % {"max": MAX_SORT_ORDER},
        )
    return int(number)


# Far inside the integer column's range, so no sort order can overflow it.
MAX_SORT_ORDER = 999_999


def _parents_first(items: list[OrgUnitRow]) -> list[OrgUnitRow]:
    """Rows ordered so that a parent in the file is saved before its children."""
    by_code = {row.code: row for row in items}
    ordered: list[OrgUnitRow] = []
    done: set[str] = set()
    for row in items:
        chain: list[OrgUnitRow] = []
        current: OrgUnitRow | None = row
        while current is not None and current.code not in done:
            chain.append(current)
            done.add(current.code)
            current = by_code.get(current.parent_code)
        ordered.extend(reversed(chain))
    return ordered
