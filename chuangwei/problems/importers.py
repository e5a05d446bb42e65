"""Import of a problem list received from a provincial or national inspection (暗访问题清单).

Every row is checked first (category, point, grid, source, points); only a clean file is
imported, each row through ``services.report_problem`` inside the importer's transaction,
so one refused row rolls the whole file back and is listed as "第5行：位置：…".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import DomainError
from chuangwei.core.importing import ImportFailed, ImportResult, RowError, RowInvalid, TableImporter
from chuangwei.core.views import domain_error_message
from chuangwei.lib import geo
from chuangwei.places.importers import AliasColumn, cell_number, cell_text, check_length, parse_crs
from chuangwei.places.services import city_bounds, point_to_wgs84
from chuangwei.standards.models import ProblemCategory

from . import limits, services
from .choices import ProblemSource
from .models import Problem

COLUMNS: tuple[AliasColumn, ...] = (
    AliasColumn(
        "description",
        _("Problem description"),
        required=True,
        aliases=("问题描述",),
        example="光明路与建设路交叉口东南角垃圾桶满溢",
    ),
    AliasColumn(
        "category",
        _("Problem category"),
        required=True,
        aliases=("问题类别",),
        help=_("category code or exact name"),
        example="暴露垃圾",
    ),
    AliasColumn("lng", _("Longitude"), required=True, aliases=("经度",), example="117.5512"),
    AliasColumn("lat", _("Latitude"), required=True, aliases=("纬度",), example="34.8563"),
    AliasColumn(
        "crs",
        _("Coordinate system"),
        aliases=("坐标系",),
        help=_("wgs84 (GPS, Tianditu), gcj02 (AMap, Tencent) or bd09 (Baidu); blank means wgs84"),
        example="wgs84",
    ),
    AliasColumn("address", _("Address"), aliases=("地址",), example="光明路12号"),
    AliasColumn(
        "source",
        _("Source"),
        aliases=("来源",),
        help=_("e.g. 国家暗访 or 省级暗访; blank means provincial covert inspection"),
        example="省级暗访",
    ),
    AliasColumn("points_lost", _("Points lost"), aliases=("扣分",), example="0.5"),
    AliasColumn(
        "external_ref",
        _("External reference"),
        aliases=("外部编号",),
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

    def _point(self, values: dict[str, Any], category: ProblemCategory) -> tuple[float, float]:
        crs = parse_crs(values.get("crs"))
        lng, lat = cell_number(values["lng"]), cell_number(values["lat"])
        if lng is None or lat is None:
            raise RowInvalid("lng", gettext("longitude and latitude must be numbers"))
        try:
            lng, lat = point_to_wgs84(lng, lat, crs, bounds=self._bounds)
            services.route(category, lng, lat)
        except DomainError as exc:
            message = next((str(m) for msgs in exc.fields.values() for m in msgs), str(exc.message))
            raise RowInvalid(str(LOCATION), message) from exc
        return lng, lat

    def _source(self, value: Any) -> str:
        text = cell_text(value)
        if not text:
            return ProblemSource.PROVINCIAL_COVERT.value
        source = self._sources.get(text.lower())
        if source is None:
            raise RowInvalid("source", gettext("unknown source %(value)s") % {"value": text})
        return source

    @staticmethod
    def _points_lost(value: Any) -> Decimal:
        text = cell_text(value)
        if not text:
            return Decimal("0")
        try:
            points = Decimal(text)
        except InvalidOperation as exc:
            raise RowInvalid("points_lost", gettext("must be a number")) from exc
        if points < 0 or points >= 100000:
            raise RowInvalid("points_lost", gettext("must be between 0 and 99999"))
        return points

    def validate_row(
        self, number: int, values: dict[str, Any], seen: dict[str, Any]
    ) -> InspectionRow:
        description = check_length(
            "description", cell_text(values["description"]), limits.DESCRIPTION
        )
        category = self._category(values["category"])
        lng, lat = self._point(values, category)
        ref = check_length("external_ref", cell_text(values.get("external_ref")), 64)
        if ref:
            if ref in seen:
                raise RowInvalid(
                    "external_ref",
                    gettext("duplicate number in this file (also on row %(row)s)")
                    % {"row": seen[ref]},
                )
            if ref in self._taken:
                raise RowInvalid("external_ref", gettext("this number was already imported"))
            seen[ref] = number
        return InspectionRow(
            number=number,
            description=description,
            category=category,
            lng=lng,
            lat=lat,
            address=check_length("address", cell_text(values.get("address")), limits.ADDRESS),
            source=self._source(values.get("source")),
            points_lost=self._points_lost(values.get("points_lost")),
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
