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

from chuangwei.core.importing import ImportColumn, ImportResult, RowInvalid, TableImporter

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

# Chinese headers accepted even before the zh_Hans catalogue translates the labels.
HEADER_ALIASES: dict[str, str] = {
    "编码": "code",
    "代码": "code",
    "区划代码": "code",
    "名称": "name",
    "上级编码": "parent",
    "上级代码": "parent",
    "类型": "kind",
    "层级": "kind",
    "简称": "short_name",
    "排序": "sort_order",
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


def cell_code(value: Any) -> str:
    """A code cell as text: spreadsheets turn 370402 into a number, often a float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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

    Row errors: duplicate code in the file, code already in the database (without
    ``update_existing``), unknown kind, unknown parent code, a parent chain that loops
    back to the unit, a sort order that is not a whole number.
    """

    columns = (
        ImportColumn("code", _("Code"), required=True, example="370402001"),
        ImportColumn("name", _("Name"), required=True, example="中心街街道"),
        ImportColumn("parent", _("Parent code"), example="370402"),
        ImportColumn(
            "kind",
            _("Kind"),
            required=True,
            help=_("市/区/县/开发区/街道/镇/社区/村/部门"),
            example="街道",
        ),
        ImportColumn("short_name", _("Short name"), example="中心街"),
        ImportColumn("sort_order", _("Sort order"), example="1"),
    )
    sheet_title = "org_units"

    def __init__(self, *, update_existing: bool = False) -> None:
        super().__init__(update_existing=update_existing)
        self._file_parents: dict[str, str] = {}
        self._db_parents: dict[str, str] = {}
        self._cyclic: set[str] = set()

    def _map_headers(self, headers: list[str]) -> dict[str, str]:
        mapping = super()._map_headers(headers)
        for header in headers:
            alias = HEADER_ALIASES.get(header.strip().rstrip("*").strip())
            if header not in mapping and alias:
                mapping[header] = alias
        return mapping

    def parse(self, fileobj: Any, filename: str) -> list[tuple[int, dict[str, Any]]]:
        parsed = super().parse(fileobj, filename)
        # Parents may come later in the file, so every row's code and parent is known
        # before any row is validated.
        self._file_parents = {}
        for _number, values in parsed:
            code = cell_code(values.get("code"))
            if code and code not in self._file_parents:
                self._file_parents[code] = cell_code(values.get("parent"))
        return parsed

    def prepare(self) -> None:
        self._db_parents = {
            code: parent or ""
            for code, parent in OrgUnit.objects.values_list("code", "parent__code")
        }
        self._cyclic = self._find_cycles()

    def _find_cycles(self) -> set[str]:
        parents = dict(self._db_parents)
        parents.update(self._file_parents)
        cyclic: set[str] = set()
        for start in self._file_parents:
            seen = {start}
            code = parents.get(start, "")
            while code:
                if code == start:
                    cyclic.add(start)
                    break
                if code in seen:
                    break  # a loop above this unit; reported on the rows in it
                seen.add(code)
                code = parents.get(code, "")
        return cyclic

    def validate_row(self, number: int, values: dict[str, Any], seen: dict[str, Any]) -> OrgUnitRow:
        code = cell_code(values.get("code"))
        if code in seen:
            raise RowInvalid(
                "code",
                gettext("The code %(code)s is already used on row %(row)s.")
                % {"code": code, "row": seen[code]},
            )
        seen[code] = number
        if code in self._db_parents and not self.update_existing:
            raise RowInvalid(
                "code",
                gettext(
                    "A unit with the code %(code)s already exists; import with updates allowed to change it."
                )
                % {"code": code},
            )
        kind = resolve_kind(values.get("kind"))
        if kind is None:
            raise RowInvalid(
                "kind",
                gettext(
                    "Unknown kind “%(kind)s”: use 市, 区, 县, 开发区, 街道, 镇, 社区, 村 or 部门."
                )
                % {"kind": values.get("kind")},
            )
        parent_code = cell_code(values.get("parent"))
        if (
            parent_code
            and parent_code not in self._file_parents
            and parent_code not in self._db_parents
        ):
            raise RowInvalid(
                "parent",
                gettext("No unit has the parent code %(code)s, in the file or in the system.")
                % {"code": parent_code},
            )
        if code in self._cyclic:
            raise RowInvalid(
                "parent", gettext("The parent chain of this unit leads back to the unit itself.")
            )
        return OrgUnitRow(
            number=number,
            code=code,
            name=str(values["name"]).strip(),
            kind=kind,
            parent_code=parent_code,
            short_name=str(values.get("short_name") or "").strip(),
            sort_order=_sort_order(values.get("sort_order")),
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
    return int(number)


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
