"""Import of a problem list received from a provincial or national inspection (暗访问题清单).

Every row is checked first (category, point, grid, source, points); only a clean file is
imported, each row through ``services.report_problem`` inside the importer's transaction,
so one refused row rolls the whole file back and is listed as "第5行：位置：…".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any, cast

from django.db import transaction
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import DomainError
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
from chuangwei.core.views import domain_error_message
from chuangwei.lib import geo
from chuangwei.places.importers import cell_number, parse_crs
from chuangwei.places.services import city_bounds, point_to_wgs84
from chuangwei.standards.models import ProblemCategory

from . import limits, services
from .choices import ProblemSource
from .models import Problem


def cell_points_lost(value: Any) -> Decimal:
    """The 扣分 cell of a problem list: blank is 0, else a finite number in [0, 99999]
    (RowInvalid on ``points_lost`` otherwise). Shared by the problem and stage-list imports."""
    text = cell_text(value)
    if not text:
        return Decimal("0")
    try:
        points = Decimal(text)
    except InvalidOperation as exc:
        raise RowInvalid("points_lost", gettext("must be a number")) from exc
    if not points.is_finite() or points < 0 or points >= 100000:
        raise RowInvalid("points_lost", gettext("must be between 0 and 99999"))
    return points


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "description",
        _("Problem description"),
        required=True,
        aliases=("问题描述", "问题内容", "存在问题", "描述"),
        example="光明路与建设路交叉口东南角垃圾桶满溢",
    ),
    ImportColumn(
        "category",
        _("Problem category"),
        required=True,
        aliases=("问题类别", "问题类型", "问题分类", "类别"),
        help=_("category code or exact name"),
        example="暴露垃圾",
    ),
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
        "address", _("Address"), aliases=("地址", "问题地址", "详细地址"), example="光明路12号"
    ),
    ImportColumn(
        "source",
        _("Source"),
        aliases=("来源", "问题来源"),
        help=_("e.g. 国家暗访 or 省级暗访; blank means provincial covert inspection"),
        example="省级暗访",
    ),
    ImportColumn("points_lost", _("Points lost"), aliases=("扣分", "扣分值"), example="0.5"),
    ImportColumn(
        "external_ref",
        _("External reference"),
        aliases=("外部编号", "问题编号", "原编号"),
        help=_("the inspection's own number; a number already imported is refused"),
    ),
)
LOCATION = _("Location")
SOURCE_ALIASES = {
    "国家暗访": ProblemSource.NATIONAL_COVERT,
    "国家级暗访": ProblemSource.NATIONAL_COVERT,
    "省级暗访": ProblemSource.PROVINCIAL_COVERT,
    "省暗访": ProblemSource.PROVINCIAL_COVERT,
    "市级督查": ProblemSource.CITY_SUPERVISION,
    "模拟暗访": ProblemSource.MOCK_COVERT,
    "暗访": ProblemSource.COVERT_CHECK,
    "明查": ProblemSource.OPEN_CHECK,
    "交叉检查": ProblemSource.CROSS_CHECK,
    "日常巡查": ProblemSource.ROUTINE_CHECK,
}


@dataclass(frozen=True)
class InspectionRow:
    number: int
    description: str
    category: ProblemCategory
    lng: float
    lat: float
    address: str
    source: str
    points_lost: Decimal
    external_ref: str


def source_words() -> dict[str, str]:
    """Every spelling of a source: stored value, English and Chinese label, common aliases."""
    words: dict[str, str] = dict(SOURCE_ALIASES)
    for source in ProblemSource:
        words[source.value] = source.value
        for lang in ("en", "zh-hans"):
            with override(lang):
                words[str(source.label).lower()] = source.value
    return words


class InspectionProblemImporter(TableImporter[InspectionRow]):
    """Problems found by an outside inspection, reported by the importing office user."""

    columns = COLUMNS
    sheet_title = "problems"
    max_rows = 20_000
    # Every row is a new report; an already imported 外部编号 is refused, never updated.
    supports_update = False

    def parse(self, fileobj: IO[bytes], filename: str) -> list[tuple[int, dict[str, Any]]]:
        rows = super().parse(fileobj, filename)
        refs = {cell_text(values.get("external_ref")) for _n, values in rows} - {""}
        self._taken = set(
            Problem.objects.filter(external_ref__in=refs).values_list("external_ref", flat=True)
        )
        return rows

    def prepare(self) -> None:
        self._by_code: dict[str, list[ProblemCategory]] = {}
        self._by_name: dict[str, list[ProblemCategory]] = {}
        for category in ProblemCategory.objects.filter(is_active=True):
            self._by_code.setdefault(category.code, []).append(category)
            self._by_name.setdefault(category.name, []).append(category)
        self._sources = source_words()
        self._bounds = city_bounds()

    def _category(self, value: Any) -> ProblemCategory:
        text = cell_text(value)
        matches = self._by_code.get(text) or self._by_name.get(text) or []
        if not matches:
            raise RowInvalid("category", gettext("unknown category %(value)s") % {"value": text})
        if len(matches) > 1:
            raise RowInvalid(
                "category",
                gettext("%(value)s matches several categories; use the name") % {"value": text},
            )
        return matches[0]

    def _point(
        self, values: dict[str, Any], category: ProblemCategory | None
    ) -> tuple[float, float]:
        faults = RowFaults()
        crs = faults.check(parse_crs, values.get("crs"), fallback=geo.CRS_WGS84)
        lng, lat = cell_number(values.get("lng")), cell_number(values.get("lat"))
        if lng is None:
            faults.add("lng", gettext("longitude must be a number"))
        if lat is None:
            faults.add("lat", gettext("latitude must be a number"))
        faults.raise_any()
        try:
            lng, lat = point_to_wgs84(lng, lat, crs, bounds=self._bounds)
            if category is not None:
                services.route(category, lng, lat)
        except DomainError as exc:
            # Every coordinate at fault (longitude and latitude), not the first only.
            details = [str(m) for msgs in exc.fields.values() for m in msgs]
            raise RowInvalid(str(LOCATION), " ".join(details) or str(exc.message)) from exc
        return lng, lat

    def _source(self, value: Any) -> str:
        text = cell_text(value)
        if not text:
            return ProblemSource.PROVINCIAL_COVERT.value
        source = self._sources.get(text.lower())
        if source is None:
            raise RowInvalid("source", gettext("unknown source %(value)s") % {"value": text})
        return source

    _points_lost = staticmethod(cell_points_lost)

    def validate_row(
        self, number: int, values: dict[str, Any], seen: dict[str, Any]
    ) -> InspectionRow:
        faults = RowFaults()
        description = faults.check(
            check_length,
            "description",
            cell_text(values.get("description")),
            limits.DESCRIPTION,
            fallback="",
        )
        category = faults.check(self._category, values.get("category"), fallback=None)
        # Without a category the point is still checked, but not routed to a unit.
        lng, lat = faults.check(self._point, values, category, fallback=(0.0, 0.0))
        ref = faults.check(
            check_length, "external_ref", cell_text(values.get("external_ref")), 64, fallback=""
        )
        if ref:
            if ref in seen:
                faults.add(
                    "external_ref",
                    gettext("duplicate number in this file (also on row %(row)s)")
                    % {"row": seen[ref]},
                )
            elif ref in self._taken:
                faults.add("external_ref", gettext("this number was already imported"))
            else:
                seen[ref] = number
        address = faults.check(
            check_length, "address", cell_text(values.get("address")), limits.ADDRESS, fallback=""
        )
        source = faults.check(self._source, values.get("source"), fallback="")
        points_lost = faults.check(
            self._points_lost, values.get("points_lost"), fallback=Decimal(0)
        )
        faults.raise_any()
        return InspectionRow(
            number=number,
            description=description,
            category=cast(ProblemCategory, category),  # None is a fault raised above
            lng=lng,
            lat=lat,
            address=address,
            source=source,
            points_lost=points_lost,
            external_ref=ref,
        )

    def apply(self, items: list[InspectionRow], *, by: Any) -> ImportResult:
        """Report every row; any refusal fails the file (the caller's transaction rolls back)."""
        errors: list[RowError] = []
        for item in items:
            try:
                with transaction.atomic():
                    services.report_problem(
                        source=item.source,
                        category=item.category,
                        lng=item.lng,
                        lat=item.lat,
                        crs=geo.CRS_WGS84,
                        description=item.description,
                        address=item.address,
                        points_lost=item.points_lost,
                        external_ref=item.external_ref,
                        by=by,
                    )
            except DomainError as exc:
                errors.append(RowError(item.number, "", domain_error_message(exc)))
        if errors:
            raise ImportFailed(errors)
        return ImportResult(created=len(items))
