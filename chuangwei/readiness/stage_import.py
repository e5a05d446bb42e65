"""Import of a stage's feedback list (the province's or the nation's problem list) into the
ledger, one problem per item, routed to the named unit.

Columns: 序号, 问题描述, 责任单位, 点位/场所, 条款编号, 问题类别, 地址, 经度, 纬度, 扣分.
Coordinates are optional: an item that concerns a unit, a site or an article has none. The
responsible unit is required unless the row names a site (whose unit is taken). The category
may be left blank when the article has a category linked to it. Every row is checked first;
only a clean file is imported, each row through ``services.cycles.report_stage_item`` in
one transaction. Items whose number the stage already holds are skipped, so importing the
same list again adds nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.utils.translation import gettext
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
from chuangwei.org.models import OrgUnit
from chuangwei.places.importers import cell_number
from chuangwei.places.models import Site
from chuangwei.places.services import city_bounds, point_to_wgs84
from chuangwei.problems import limits
from chuangwei.problems.importers import cell_points_lost
from chuangwei.standards.models import ProblemCategory, StandardClause

from .models import EvaluationStage, StageProblem
from .services import cycles

COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "item_no", _("No."), required=True, aliases=("序号", "编号", "问题序号"), example="1"
    ),
    ImportColumn(
        "description",
        _("Problem description"),
        required=True,
        aliases=("问题描述", "问题内容", "存在问题", "描述"),
        example="农贸市场活禽宰杀区未实行隔离",
    ),
    ImportColumn(
        "unit",
        _("Responsible unit"),
        aliases=("责任单位", "责任部门", "属地"),
        help=_("code or exact name of a unit; may be blank when a site is named"),
        example="甲街道",
    ),
    ImportColumn(
        "site",
        _("Site"),
        aliases=("点位/场所", "点位", "场所", "点位场所"),
        help=_("code or exact name of a site"),
    ),
    ImportColumn(
        "clause",
        _("Article number"),
        aliases=("条款编号", "条款", "标准条款"),
        help=_("the number of an article or item of the cycle's standard"),
    ),
    ImportColumn(
        "category",
        _("Problem category"),
        aliases=("问题类别", "问题类型", "类别"),
        help=_("category code or exact name; blank takes the category linked to the article"),
        example="暴露垃圾",
    ),
    ImportColumn("address", _("Address"), aliases=("地址", "问题地址"), example="光明路12号"),
    ImportColumn(
        "lng", _("Longitude"), aliases=("经度", "lon"), help=_("optional, WGS-84"), example=""
    ),
    ImportColumn("lat", _("Latitude"), aliases=("纬度",), help=_("optional, WGS-84"), example=""),
    ImportColumn("points_lost", _("Points lost"), aliases=("扣分", "扣分值"), example="0.5"),
)


class StageListImporter(TableImporter[cycles.StageItem]):
    """A stage's feedback list; subclasses bind ``stage`` (``for_stage``)."""

    columns = COLUMNS
    sheet_title = "stage_list"
    max_rows = 5_000
    stage: EvaluationStage
    now: datetime | None = None  # the moment the problems are reported (tests fix it)

    @classmethod
    def for_stage(cls, stage: EvaluationStage) -> type[StageListImporter]:
        """This importer bound to ``stage`` (what the import page and the API construct)."""
        return type("BoundStageListImporter", (cls,), {"stage": stage})

    def prepare(self) -> None:
        self._taken = set(
            StageProblem.objects.filter(stage=self.stage).values_list("item_no", flat=True)
        )
        self._units = _lookup(OrgUnit.objects.filter(is_active=True))
        self._sites = _lookup(Site.objects.select_related("unit"))
        self._categories = _lookup(ProblemCategory.objects.filter(is_active=True))
        self._clauses: dict[str, list[StandardClause]] = {}
        for clause in StandardClause.objects.filter(
            version_id=self.stage.cycle.standard_version_id
        ):
            self._clauses.setdefault(clause.number, []).append(clause)
        self._clause_categories = {
            c.check_item_id: c
            for c in ProblemCategory.objects.filter(is_active=True, check_item__isnull=False)
        }
        self._bounds = city_bounds()
        self._rows: list[int] = []  # the sheet row of each item validate_row returned

    @staticmethod
    def _find(table: dict[str, list[Any]], key: str, value: Any, what: str) -> Any:
        text = cell_text(value)
        if not text:
            return None
        matches = table.get(text, [])
        if not matches:
            raise RowInvalid(
                key, gettext("unknown %(what)s %(value)s") % {"what": what, "value": text}
            )
        if len(matches) > 1:
            raise RowInvalid(
                key,
                gettext("%(value)s matches several rows; use the code") % {"value": text},
            )
        return matches[0]

    def _clause(self, value: Any) -> StandardClause | None:
        text = cell_text(value)
        if not text:
            return None
        matches = self._clauses.get(text, [])
        if not matches:
            raise RowInvalid(
                "clause",
                gettext("no article %(value)s in the cycle's standard") % {"value": text},
            )
        if len(matches) > 1:
            raise RowInvalid(
                "clause", gettext("%(value)s names several articles") % {"value": text}
            )
        return matches[0]

    def _point(self, values: dict[str, Any]) -> tuple[float | None, float | None]:
        raw_lng, raw_lat = cell_text(values.get("lng")), cell_text(values.get("lat"))
        if not raw_lng and not raw_lat:
            return None, None
        faults = RowFaults()
        lng, lat = (
            cell_number(raw_lng) if raw_lng else None,
            cell_number(raw_lat) if raw_lat else None,
        )
        if lng is None:
            faults.add("lng", gettext("longitude must be a number (or leave both blank)"))
        if lat is None:
            faults.add("lat", gettext("latitude must be a number (or leave both blank)"))
        faults.raise_any()
        try:
            return point_to_wgs84(lng, lat, geo.CRS_WGS84, bounds=self._bounds)
        except DomainError as exc:
            # Every coordinate at fault (longitude and latitude), not the first only.
            details = [str(m) for msgs in exc.fields.values() for m in msgs]
            raise RowInvalid("lng", " ".join(details) or str(exc.message)) from exc

    _points_lost = staticmethod(cell_points_lost)

    def validate_row(
        self, number: int, values: dict[str, Any], seen: dict[str, Any]
    ) -> cycles.StageItem:
        faults = RowFaults()
        item_no = faults.check(
            check_length, "item_no", cell_text(values.get("item_no")), 20, fallback=""
        )
        if item_no in seen:
            faults.add(
                "item_no",
                gettext("duplicate number in this file (also on row %(row)s)")
                % {"row": seen[item_no]},
            )
        elif item_no:
            seen[item_no] = number
        description = faults.check(
            check_length,
            "description",
            cell_text(values.get("description")),
            limits.DESCRIPTION,
            fallback="",
        )
        unit = faults.check(
            self._find, self._units, "unit", values.get("unit"), gettext("unit"), fallback=None
        )
        site = faults.check(
            self._find, self._sites, "site", values.get("site"), gettext("site"), fallback=None
        )
        clause = faults.check(self._clause, values.get("clause"), fallback=None)
        category = faults.check(
            self._find,
            self._categories,
            "category",
            values.get("category"),
            gettext("category"),
            fallback=None,
        )
        if category is None and not faults.has("category"):
            category = self._clause_categories.get(clause.pk) if clause is not None else None
            if category is None and not faults.has("clause"):
                faults.add(
                    "category",
                    gettext("give the category (the article has no category linked to it)")
                    if clause is not None
                    else gettext("give the category or an article with a category"),
                )
        if unit is None and site is not None:
            unit = site.unit
        if unit is None and not faults.has("unit", "site"):
            faults.add("unit", gettext("give the responsible unit or a site"))
        address = faults.check(
            check_length, "address", cell_text(values.get("address")), limits.ADDRESS, fallback=""
        )
        no_point: tuple[float | None, float | None] = (None, None)
        lng, lat = faults.check(self._point, values, fallback=no_point)
        points_lost = faults.check(
            self._points_lost, values.get("points_lost"), fallback=Decimal(0)
        )
        faults.raise_any()
        self._rows.append(number)
        return cycles.StageItem(
            item_no=item_no,
            description=description,
            category=cast(ProblemCategory, category),
            unit=cast(OrgUnit, unit),
            site=site,
            clause=clause,
            address=address,
            lng=lng,
            lat=lat,
            points_lost=points_lost,
        )

    def apply(self, items: list[cycles.StageItem], *, by: Any) -> ImportResult:
        """Report every new item; items already on the stage's list are skipped (counted in
        ``updated`` as "already there"); any refusal fails the file."""
        errors: list[RowError] = []
        created = skipped = 0
        for number, item in zip(self._rows, items, strict=True):
            if item.item_no in self._taken:
                skipped += 1
                continue
            try:
                cycles.report_stage_item(self.stage, item, by=by, now=self.now)
            except DomainError as exc:
                errors.append(RowError(number, "", domain_error_message(exc)))
            else:
                created += 1
        if errors:
            raise ImportFailed(errors)
        return ImportResult(created=created, updated=0, total=created + skipped)


def _lookup(rows: Any) -> dict[str, list[Any]]:
    """Rows by code and by name (a name shared by several rows maps to all of them)."""
    table: dict[str, list[Any]] = {}
    for row in rows:
        table.setdefault(row.code, []).append(row)
        if row.name != row.code:
            table.setdefault(row.name, []).append(row)
    return table
