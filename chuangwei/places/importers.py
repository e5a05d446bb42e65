"""Spreadsheet imports of key sites (重点场所) and grids, all or nothing.

``SiteImporter`` reads one row per site, converts each point to WGS-84, finds the grid of
every point in one vectorised ``locate_many`` call, and validates every row before anything
is written. A single bad row fails the whole file (``ImportFailed`` lists every bad row with
its sheet row number); otherwise all sites are written in bulk inside the importer's
transaction.

``GridImporter`` reads grids with their boundary as GeoJSON text. ``GridRules`` checks each
grid record against the whole file and the database and ``save_grid_specs`` saves them
parents first; the GeoJSON importer (geojson.py) shares both.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.importing import (
    ImportColumn,
    ImportFailed,
    ImportResult,
    RowError,
    RowFaults,
    RowInvalid,
    TableImporter,
    cell_text,
    check_length,
)
from chuangwei.lib import geo
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit

from .choices import GridLevel, SiteStatus
from .models import Grid, Site, SiteType
from .services import (
    CityBounds,
    city_bounds,
    grid_index,
    import_sites,
    point_to_wgs84,
    reassign_site_grids,
    save_grid,
)

# --------------------------------------------------------------------------------------------
# Cell parsing shared by the site and grid importers
# --------------------------------------------------------------------------------------------


def cell_number(value: Any) -> float | None:
    """A cell as a finite float, or None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().replace("，", "."))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


class CodeOrName:
    """Find a row's primary key by its code, or else by its exact (unique) name."""

    def __init__(self, rows: Iterable[tuple[int, str, str]]) -> None:
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for pk, code, name in rows:
            self.by_code[code] = pk
            self.by_name.setdefault(name, []).append(pk)

    def find(self, value: str) -> int | None:
        """The pk for ``value``; None when unknown. Raises LookupError when the name is ambiguous."""
        if value in self.by_code:
            return self.by_code[value]
        matches = self.by_name.get(value, [])
        if len(matches) > 1:
            raise LookupError(value)
        return matches[0] if matches else None


_CRS_WORDS = {
    "wgs84": geo.CRS_WGS84,
    "gps": geo.CRS_WGS84,
    "天地图": geo.CRS_WGS84,
    "gcj02": geo.CRS_GCJ02,
    "高德": geo.CRS_GCJ02,
    "腾讯": geo.CRS_GCJ02,
    "火星": geo.CRS_GCJ02,
    "bd09": geo.CRS_BD09,
    "百度": geo.CRS_BD09,
}


def parse_crs(value: Any) -> str:
    """The coordinate system named in a cell (blank means WGS-84).

    Accepts ``wgs84``/``gcj02``/``bd09`` in any case with or without dashes, and the map
    names users know: 高德/腾讯 → GCJ-02, 百度 → BD-09, GPS/天地图 → WGS-84 (also inside a
    longer text such as 高德地图). Raises RowInvalid for anything else.
    """
    text = cell_text(value)
    if not text:
        return geo.CRS_WGS84
    key = text.lower().replace("-", "").replace("_", "").replace(" ", "")
    if key in _CRS_WORDS:
        return _CRS_WORDS[key]
    for word, crs in _CRS_WORDS.items():
        if not word.isascii() and word in key:
            return crs
    raise RowInvalid("crs", gettext("unknown coordinate system %(value)s") % {"value": text})


def _status_words() -> dict[str, str]:
    words = {"营业": SiteStatus.OPERATING, "停业": SiteStatus.SUSPENDED, "关闭": SiteStatus.CLOSED}
    for status in SiteStatus:
        words[status.value] = status.value
        for lang in ("en", "zh-hans"):
            with override(lang):
                words[str(status.label).lower()] = status.value
    return words


def parse_status(value: Any, words: dict[str, str] | None = None) -> str:
    """A site status from 营业/停业/关闭, the stored values or the labels; blank → operating.

    ``words`` is ``_status_words()``, passed in by callers that parse many rows.
    """
    text = cell_text(value)
    if not text:
        return SiteStatus.OPERATING.value
    status = (words or _status_words()).get(text.lower())
    if status is None:
        raise RowInvalid("status", gettext("unknown status %(value)s") % {"value": text})
    return status


# --------------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------------

SITE_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "code",
        _("Site code"),
        required=True,
        aliases=("点位编号", "点位编码", "场所编号", "场所编码", "编号", "编码"),
        example="DW-0001",
    ),
    ImportColumn(
        "name",
        _("Site name"),
        required=True,
        aliases=("点位名称", "场所名称", "名称"),
        example="幸福路农贸市场",
    ),
    ImportColumn(
        "site_type",
        _("Site type"),
        required=True,
        aliases=("点位类型", "场所类型", "类型", "type"),
        help=_("site type name or code"),
        example="农贸市场",
    ),
    ImportColumn("address", _("Address"), aliases=("地址", "详细地址"), example="幸福路12号"),
    ImportColumn("lng", _("Longitude"), required=True, aliases=("经度", "lon"), example="117.5512"),
    ImportColumn("lat", _("Latitude"), required=True, aliases=("纬度",), example="34.8563"),
    ImportColumn(
        "crs",
        _("Coordinate system"),
        aliases=("坐标系", "坐标系统"),
        help=_("wgs84 (GPS, Tianditu), gcj02 (AMap, Tencent) or bd09 (Baidu); blank means wgs84"),
        example="wgs84",
    ),
    ImportColumn(
        "unit",
        _("Responsible unit"),
        aliases=("责任单位", "所属单位", "责任单位编码"),
        help=_("unit code or exact name; blank means the unit owning the grid"),
    ),
    ImportColumn(
        "department",
        _("Supervising department"),
        aliases=("监管部门", "主管部门", "行业主管部门"),
        help=_("department code or exact name"),
    ),
    ImportColumn(
        "frontage_party",
        _("Frontage responsible party"),
        aliases=("门前三包责任人", "门前三包责任单位"),
    ),
    ImportColumn("contact_name", _("Contact"), aliases=("联系人", "contact")),
    ImportColumn(
        "contact_phone", _("Contact phone"), aliases=("联系电话", "电话", "联系方式", "phone")
    ),
    ImportColumn(
        "licence_no",
        _("Licence number"),
        aliases=("许可证号", "许可证编号", "营业执照号", "license_no", "license_number"),
    ),
    ImportColumn(
        "status",
        _("Status"),
        aliases=("状态", "营业状态", "经营状态"),
        help=_("营业, 停业 or 关闭"),
        example="营业",
    ),
)

# Optional columns and the Site field each one fills; on update only the columns present in
# the file are written, so a file without a column never wipes that column.
_OPTIONAL_FIELDS = {
    "address": "address",
    "department": "supervising_department",
    "frontage_party": "frontage_party",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "licence_no": "licence_no",
    "status": "status",
}
_ALWAYS_UPDATED = ["name", "site_type", "lng", "lat", "grid", "outside_grid", "unit", "updated_at"]
_TEXT_LIMITS = {
    "address": 200,
    "frontage_party": 100,
    "contact_name": 50,
    "contact_phone": 20,
    "licence_no": 64,
}

# A located point: WGS-84 lng, lat and the id of its smallest grid (None outside all grids).
_Point = tuple[float, float, int | None]


class SiteImporter(TableImporter[Site]):
    """Sites from a sheet with the columns of ``SITE_COLUMNS`` (see docs/imports.md).

    Without ``update_existing`` a code already in the database is a row error; with it, that
    site is updated. The responsible unit defaults to the unit owning the point's grid; a point
    outside every grid needs an explicit unit (or, on update, keeps the site's unit).
    """

    columns = SITE_COLUMNS
    sheet_title = "sites"

    def parse(self, fileobj: IO[bytes], filename: str) -> list[tuple[int, dict[str, Any]]]:
        rows = super().parse(fileobj, filename)
        # Kept for prepare(), which locates every point in one vectorised call.
        self._rows = rows
        self._present: set[str] = set().union(*(values.keys() for _number, values in rows))
        return rows

    def prepare(self) -> None:
        self._types = CodeOrName(SiteType.objects.values_list("pk", "code", "name"))
        units = list(OrgUnit.objects.values_list("pk", "code", "name", "kind"))
        self._units = CodeOrName((pk, code, name) for pk, code, name, _kind in units)
        self._departments = CodeOrName(
            (pk, code, name) for pk, code, name, kind in units if kind == OrgUnitKind.DEPARTMENT
        )
        self._status_words = _status_words()
        self._grid_units: dict[int, int] = dict(Grid.objects.values_list("pk", "unit_id"))
        self._existing: dict[str, tuple[int, int]] = {
            code: (pk, unit_id)
            for code, pk, unit_id in Site.objects.values_list("code", "pk", "unit_id")
        }
        self._points = self._locate_points(getattr(self, "_rows", []))

    @staticmethod
    def _locate_points(rows: list[tuple[int, dict[str, Any]]]) -> dict[int, _Point | RowInvalid]:
        """Convert every row's point to WGS-84, then find all their grids at once."""
        located: dict[int, _Point | RowInvalid] = {}
        numbers: list[int] = []
        lngs: list[float] = []
        lats: list[float] = []
        crs_cache: dict[Any, str | RowInvalid] = {}
        bounds = city_bounds()
        for number, values in rows:
            raw_lng, raw_lat = values.get("lng"), values.get("lat")
            if raw_lng in (None, "") and raw_lat in (None, ""):
                continue  # the base class reports "is required"
            faults = RowFaults()
            raw_crs = values.get("crs")
            if raw_crs not in crs_cache:
                try:
                    crs_cache[raw_crs] = parse_crs(raw_crs)
                except RowInvalid as exc:
                    crs_cache[raw_crs] = exc
            crs = crs_cache[raw_crs]
            if isinstance(crs, RowInvalid):
                faults.extend(crs)
                crs = geo.CRS_WGS84  # still check the numbers
            point = faults.check(_checked_point, raw_lng, raw_lat, crs, bounds, fallback=None)
            if point is None or faults:
                located[number] = RowInvalid.of(faults.faults)
                continue
            numbers.append(number)
            lngs.append(point[0])
            lats.append(point[1])
        grid_ids = grid_index().locate_many(lngs, lats)
        for number, lng, lat, grid_id in zip(numbers, lngs, lats, grid_ids, strict=True):
            located[number] = (lng, lat, grid_id)
        return located

    def validate_row(self, number: int, values: dict[str, Any], seen: dict[str, Any]) -> Site:
        faults = RowFaults()
        code = faults.check(check_length, "code", cell_text(values.get("code")), 32, fallback="")
        if code in seen:
            faults.add(
                "code",
                gettext("duplicate code in this file (also on row %(row)s)") % {"row": seen[code]},
            )
        elif code:
            seen[code] = number
        existing = self._existing.get(code)
        if existing and not self.update_existing:
            faults.add("code", gettext("a site with this code already exists"))
        name = faults.check(check_length, "name", cell_text(values.get("name")), 200, fallback="")
        site_type_id = faults.check(
            self._find, self._types, "site_type", values.get("site_type"), fallback=0
        )
        lng, lat, grid_id = 0.0, 0.0, None
        point = self._points.get(number)
        if isinstance(point, RowInvalid):
            faults.extend(point)
        elif point is not None:
            lng, lat, grid_id = point
        unit_id = 0
        if point is not None and not isinstance(point, RowInvalid):
            unit_id = faults.check(
                self._responsible_unit, values.get("unit"), grid_id, existing, fallback=0
            )
        elif cell_text(values.get("unit")):
            unit_id = faults.check(self._find, self._units, "unit", values.get("unit"), fallback=0)
        department_id = None
        if cell_text(values.get("department")):
            department_id = faults.check(
                self._find, self._departments, "department", values["department"], fallback=None
            )
        texts = {
            key: faults.check(check_length, key, cell_text(values.get(key)), limit, fallback="")
            for key, limit in _TEXT_LIMITS.items()
        }
        status = faults.check(
            parse_status,
            values.get("status"),
            self._status_words,
            fallback=SiteStatus.OPERATING.value,
        )
        faults.raise_any()
        return Site(
            pk=existing[0] if existing else None,
            code=code,
            name=name,
            site_type_id=site_type_id,
            lng=lng,
            lat=lat,
            grid_id=grid_id,
            outside_grid=grid_id is None,
            unit_id=unit_id,
            supervising_department_id=department_id,
            status=status,
            **texts,
        )

    def _find(self, lookup: CodeOrName, key: str, value: Any) -> int:
        text = cell_text(value)
        try:
            pk = lookup.find(text)
        except LookupError:
            raise RowInvalid(
                key, gettext("several entries are named %(value)s; use the code") % {"value": text}
            ) from None
        if pk is None:
            messages = {
                "site_type": gettext("unknown site type %(value)s"),
                "unit": gettext("unknown unit %(value)s"),
                "department": gettext("unknown department %(value)s"),
            }
            raise RowInvalid(key, messages[key] % {"value": text})
        return pk

    def _responsible_unit(
        self, value: Any, grid_id: int | None, existing: tuple[int, int] | None
    ) -> int:
        if cell_text(value):
            return self._find(self._units, "unit", value)
        if grid_id is not None:
            return self._grid_units[grid_id]
        if existing:
            return existing[1]
        raise RowInvalid(
            "unit", gettext("point lies outside every grid and no responsible unit was given")
        )

    def apply(self, items: list[Site], *, by: Any) -> ImportResult:
        """Insert new sites and update existing ones in bulk (the caller holds the transaction)."""
        fields = _ALWAYS_UPDATED + [
            field for key, field in _OPTIONAL_FIELDS.items() if key in self._present
        ]
        created, updated = import_sites(items, fields=fields, by=by)
        return ImportResult(created=created, updated=updated)


def _checked_point(
    raw_lng: Any, raw_lat: Any, crs: str, bounds: CityBounds | None = None
) -> tuple[float, float]:
    """The WGS-84 point of a row; RowInvalid names each of longitude and latitude at fault,
    and a point outside the city's bounds."""
    faults = RowFaults()
    lng = cell_number(raw_lng)
    if lng is None:
        faults.add("lng", gettext("longitude must be a number"))
    elif not -180.0 <= lng <= 180.0:
        faults.add("lng", gettext("longitude must be between -180 and 180"))
    lat = cell_number(raw_lat)
    if lat is None:
        faults.add("lat", gettext("latitude must be a number"))
    elif not -90.0 <= lat <= 90.0:
        faults.add("lat", gettext("latitude must be between -90 and 90"))
    faults.raise_any()
    try:
        return point_to_wgs84(lng, lat, crs, bounds=bounds)
    except InvalidInput as exc:
        details = [str(m) for msgs in exc.fields.values() for m in msgs]
        if exc.code != "outside_city" or not details:
            details = [str(exc.message)]
        raise RowInvalid(next(iter(exc.fields), "lng"), " ".join(details)) from exc


# --------------------------------------------------------------------------------------------
# Grids (sheet rows here, GeoJSON features in geojson.py)
# --------------------------------------------------------------------------------------------

GRID_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "code",
        _("Grid code"),
        required=True,
        aliases=("网格编码", "网格编号", "网格代码", "编码", "编号"),
        example="WG-01",
    ),
    ImportColumn(
        "name", _("Grid name"), required=True, aliases=("网格名称", "名称"), example="幸福路网格"
    ),
    ImportColumn(
        "level",
        _("Grid level"),
        required=True,
        aliases=("网格级别", "网格层级", "级别", "层级"),
        help=_("1, 2 or 3 (大, 中 or 小)"),
        example="1",
    ),
    ImportColumn(
        "parent_code",
        _("Parent grid code"),
        aliases=(
            "上级网格编码",
            "上级网格编号",
            "上级网格代码",
            "上级编码",
            "parent",
            "parent_grid",
        ),
    ),
    ImportColumn(
        "unit_code",
        _("Unit code"),
        required=True,
        aliases=("所属单位编码", "所属单位代码", "单位编码", "责任单位编码", "unit"),
        example="370402001",
    ),
    ImportColumn(
        "geometry",
        _("Boundary (GeoJSON)"),
        required=True,
        aliases=("边界", "边界(GeoJSON)", "网格边界", "GeoJSON", "几何", "boundary", "geom"),
        help=_("a GeoJSON Polygon or MultiPolygon in WGS-84"),
        example='{"type": "Polygon", "coordinates": [[[117.55, 34.85], [117.56, 34.85], '
        "[117.56, 34.86], [117.55, 34.86], [117.55, 34.85]]]}",
    ),
)


@dataclass(frozen=True)
class GridSpec:
    """One validated grid to create (``existing_pk`` None) or update."""

    row: int
    code: str
    name: str
    level: int
    parent_code: str
    unit_id: int
    geometry: dict[str, Any]
    existing_pk: int | None


def _level_words() -> dict[str, int]:
    words = {"大": 1, "中": 2, "小": 3, "large": 1, "medium": 2, "small": 3}
    for level in GridLevel:
        words[str(level.value)] = level.value
        for lang in ("en", "zh-hans"):
            with override(lang):
                words[str(level.label).lower()] = level.value
    words.update({f"{word}网格": value for word, value in (("大", 1), ("中", 2), ("小", 3))})
    return words


def parse_level(value: Any, words: Mapping[str, int] | None = None) -> int:
    """A grid level from 1/2/3, 大/中/小 (or 大网格…) or the level's label."""
    number = cell_number(value)
    if number is not None and number in (1, 2, 3):
        return int(number)
    level = (words or _level_words()).get(cell_text(value).lower())
    if level is None:
        raise RowInvalid("level", gettext("level must be 1, 2 or 3 (大, 中 or 小)"))
    return level


class GridRules:
    """Checks grid records against the whole file and the database (no writes).

    Call ``load_file`` with every record before ``check``, so a parent may come later in the
    file than its children.
    """

    def __init__(self, *, update_existing: bool = False) -> None:
        self.update_existing = update_existing
        self.units: dict[str, int] = dict(OrgUnit.objects.values_list("code", "pk"))
        self.db: dict[str, tuple[int, int]] = {
            code: (pk, level) for code, pk, level in Grid.objects.values_list("code", "pk", "level")
        }
        self.file: dict[str, tuple[int | None, str]] = {}
        self.level_words = _level_words()

    def load_file(self, records: Iterable[Mapping[str, Any]]) -> None:
        for values in records:
            try:
                level: int | None = parse_level(values.get("level"), self.level_words)
            except RowInvalid:
                level = None
            code = cell_text(values.get("code"))
            self.file.setdefault(code, (level, cell_text(values.get("parent_code"))))
        self.bounds = file_bounds(self.db[code][0] for code in self.file if code in self.db)

    def check(self, row: int, values: Mapping[str, Any], seen: dict[str, Any]) -> GridSpec:
        """Validate one record; raise RowInvalid naming every column at fault."""
        faults = RowFaults()
        code = faults.check(check_length, "code", cell_text(values.get("code")), 32, fallback="")
        if not code and not faults.has("code"):
            faults.add("code", gettext("is required"))
        if code in seen:
            faults.add(
                "code",
                gettext("duplicate code in this file (also on row %(row)s)") % {"row": seen[code]},
            )
        elif code:
            seen[code] = row
        existing = self.db.get(code)
        if existing and not self.update_existing:
            faults.add("code", gettext("a grid with this code already exists"))
        name = faults.check(check_length, "name", cell_text(values.get("name")), 100, fallback="")
        if not name and not faults.has("name"):
            faults.add("name", gettext("is required"))
        level = faults.check(parse_level, values.get("level"), self.level_words, fallback=0)
        parent_code = cell_text(values.get("parent_code"))
        if level:
            faults.check(self._check_parent, code, level, parent_code, fallback="")
        unit_code = cell_text(values.get("unit_code"))
        if not unit_code:
            faults.add("unit_code", gettext("is required"))
        elif unit_code not in self.units:
            faults.add("unit_code", gettext("unknown unit %(value)s") % {"value": unit_code})
        geometry: dict[str, Any] = {}
        if values.get("geometry") in (None, ""):
            faults.add("geometry", gettext("is required"))
        else:
            try:
                geometry = geo.parse_geometry(values["geometry"])
            except geo.GeometryError as exc:
                faults.add(
                    "geometry",
                    gettext("the boundary is not a valid polygon: %(error)s")
                    % {"error": exc.message},
                )
            else:
                outside = self.bounds.area_faults(geo.geometry_bbox(geometry))
                if outside:
                    faults.add("geometry", " ".join(str(m) for m in outside))
        if existing and level and existing[1] != level:
            faults.check(self._check_children, code, existing[0], level, fallback=None)
        faults.raise_any()
        return GridSpec(
            row=row,
            code=code,
            name=name,
            level=level,
            parent_code=parent_code,
            unit_id=self.units[unit_code],
            geometry=geometry,
            existing_pk=existing[0] if existing else None,
        )

    def _check_parent(self, code: str, level: int, parent_code: str) -> str:
        if not parent_code:
            if level > GridLevel.LARGE:
                # Only large grids are roots: a smaller one without a parent flattens the tree.
                raise RowInvalid(
                    "parent_code",
                    gettext(
                        "only a large grid can be at the top; a %(level)s needs a parent grid code"
                    )
                    % {"level": str(GridLevel(level).label).lower()},
                )
            return ""
        if parent_code == code:
            raise RowInvalid("parent_code", gettext("a grid cannot be its own parent"))
        if parent_code in self.file:
            parent_level = self.file[parent_code][0]
        elif parent_code in self.db:
            parent_level = self.db[parent_code][1]
        else:
            raise RowInvalid(
                "parent_code", gettext("unknown parent grid %(value)s") % {"value": parent_code}
            )
        # A parent with an unreadable level is reported on its own row.
        if parent_level is not None and parent_level >= level:
            raise RowInvalid(
                "parent_code",
                gettext("the parent grid %(value)s is not a larger grid") % {"value": parent_code},
            )
        return parent_code

    def _check_children(self, code: str, pk: int, level: int) -> None:
        """A grid whose level changes must stay larger than the children it keeps."""
        for child_code, child_level in Grid.objects.filter(parent_id=pk).values_list(
            "code", "level"
        ):
            file_level, file_parent = self.file.get(child_code, (child_level, code))
            if file_parent == code and file_level is not None and file_level <= level:
                raise RowInvalid(
                    "level",
                    gettext("its child grid %(value)s would not be smaller")
                    % {"value": child_code},
                )

    def flat_file_error(self) -> str:
        """Why a file of several grids none of which names a parent, though some are smaller
        than large, would come out flat; "" when it would not."""
        records = list(self.file.values())
        if (
            len(records) > 1
            and not any(parent for _level, parent in records)
            and any(level is not None and level > GridLevel.LARGE for level, _parent in records)
        ):
            return gettext(
                "no row has a parent grid code, so every grid would be at the top and the tree "
                "would come out flat; fill in the parent grid codes (is the column missing or "
                "named differently?)"
            )
        return ""


def save_grid_specs(specs: list[GridSpec], *, by: Any = None) -> ImportResult:
    """Create or update validated grids, parents first, then reassign every site's grid.

    Must run inside a transaction: an unexpected refusal by ``save_grid`` raises
    ImportFailed for that record and the caller's transaction rolls everything back.
    """
    saved: dict[str, Grid] = {}
    existing = Grid.objects.in_bulk([s.existing_pk for s in specs if s.existing_pk])
    bounds = file_bounds(existing)
    result = ImportResult()
    for spec in sorted(specs, key=lambda s: s.level):
        grid = existing.get(spec.existing_pk) if spec.existing_pk else None
        if grid is None:
            grid = Grid(code=spec.code)
            result.created += 1
        else:
            result.updated += 1
        grid.name, grid.level, grid.unit_id, grid.geometry = (
            spec.name,
            spec.level,
            spec.unit_id,
            spec.geometry,
        )
        grid.parent = _parent(spec.parent_code, saved)
        try:
            save_grid(grid, bounds=bounds, by=by)
        except InvalidInput as exc:
            details = [str(m) for msgs in exc.fields.values() for m in msgs]
            message = " ".join([str(exc.message), *details])
            raise ImportFailed([RowError(spec.row, "", message)]) from exc
        saved[spec.code] = grid
    reassign_site_grids()
    result.total = len(specs)
    return result


def file_bounds(existing_pks: Iterable[int]) -> CityBounds:
    """The city's bounds a file of grids is checked against: those of the grids the file
    does not write (``existing_pks`` are the stored grids it updates), so the file cannot
    widen them; a first file of grids (nothing else stored) may lie anywhere."""
    return city_bounds(excluding=list(existing_pks))


def _parent(code: str, saved: dict[str, Grid]) -> Grid | None:
    if not code:
        return None
    if code not in saved:
        saved[code] = Grid.objects.get(code=code)
    return saved[code]


class GridImporter(TableImporter[GridSpec]):
    """Grids from a sheet with the columns of ``GRID_COLUMNS`` (boundary as GeoJSON text)."""

    columns = GRID_COLUMNS
    sheet_title = "grids"

    def parse(self, fileobj: IO[bytes], filename: str) -> list[tuple[int, dict[str, Any]]]:
        rows = super().parse(fileobj, filename)
        self._rows = rows
        return rows

    def prepare(self) -> None:
        self._rules = GridRules(update_existing=self.update_existing)
        self._rules.load_file(values for _number, values in getattr(self, "_rows", []))

    def check_file(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        reason = self._rules.flat_file_error()
        return [RowError(None, self.label("parent_code"), reason)] if reason else []

    def validate_row(self, number: int, values: dict[str, Any], seen: dict[str, Any]) -> GridSpec:
        return self._rules.check(number, values, seen)

    def apply(self, items: list[GridSpec], *, by: Any) -> ImportResult:
        return save_grid_specs(items, by=by)
