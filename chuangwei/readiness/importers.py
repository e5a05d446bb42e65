"""Import of evidence requirements (应备材料) from Excel, with a downloadable template.

One row per requirement: the standard version's code, the check item's number, the
material, how often, the kinds of unit and/or the unit codes that keep it. Every fault of
every row is listed and nothing is written unless the whole file is right.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from chuangwei.core.importing import (
    ImportColumn,
    ImportResult,
    RowFaults,
    TableImporter,
    cell_text,
    check_length,
)
from chuangwei.org.importers import resolve_kind
from chuangwei.org.models import OrgUnit
from chuangwei.standards.choices import VersionStatus
from chuangwei.standards.models import StandardClause, StandardVersion

from .choices import Frequency
from .models import EvidenceRequirement
from .services import evidence as services

FREQUENCY_WORDS = {
    "一次": Frequency.ONCE,
    "一次性": Frequency.ONCE,
    "每年": Frequency.YEARLY,
    "年度": Frequency.YEARLY,
    "每年度": Frequency.YEARLY,
    "每季度": Frequency.QUARTERLY,
    "季度": Frequency.QUARTERLY,
    "每月": Frequency.MONTHLY,
    "月度": Frequency.MONTHLY,
}
_SPLIT = re.compile(r"[,，、;；\s]+")


def resolve_frequency(text: str) -> str | None:
    text = text.strip()
    if text in FREQUENCY_WORDS:
        return FREQUENCY_WORDS[text]
    for choice in Frequency:
        labels = {choice.value}
        for lang in ("en", "zh-hans"):
            with override(lang):
                labels.add(str(choice.label).lower())
        if text.lower() in labels:
            return choice.value
    return None


class EvidenceRequirementImporter(TableImporter[tuple[EvidenceRequirement, list[OrgUnit]]]):
    """Requirements by version code and check item number (always new rows).

    Row faults: unknown version, retired version, unknown or ambiguous item number, a
    missing or too long material, an unknown frequency, an unknown kind of unit, an unknown
    unit code, neither kinds nor units, a sort order that is not a whole number.
    """

    sheet_title = "evidence requirements"
    columns = (
        ImportColumn(
            "version",
            _("Standard version"),
            required=True,
            example="GWS-2021",
            aliases=("版本", "标准版本", "版本编码", "version_code"),
        ),
        ImportColumn(
            "clause",
            _("Check item number"),
            required=True,
            example="（二十一）",
            aliases=("小项", "小项编号", "编号", "条款编号", "clause_number"),
        ),
        ImportColumn(
            "title",
            _("Material"),
            required=True,
            example="病媒生物防制工作方案",
            aliases=("材料", "材料名称", "应备材料"),
        ),
        ImportColumn("description", _("Description"), aliases=("说明", "要求")),
        ImportColumn(
            "frequency",
            _("Frequency"),
            required=True,
            help=_("一次/每年/每季度/每月"),
            example="每年",
            aliases=("频次", "报送频次"),
        ),
        ImportColumn(
            "unit_kinds",
            _("Kinds of unit"),
            help=_("市/区/街道/镇/社区/部门, separated by 、"),
            example="街道",
            aliases=("单位类型", "责任单位类型"),
        ),
        ImportColumn(
            "units",
            _("Unit codes"),
            help=_("codes of named units, separated by 、"),
            aliases=("单位编码", "责任单位编码"),
        ),
        ImportColumn("sort_order", _("Sort order"), example="1", aliases=("排序",)),
    )

    def prepare(self) -> None:
        self._versions = {v.code: v for v in StandardVersion.objects.all()}
        self._clauses: dict[tuple[int, str], list[StandardClause]] = {}
        for clause in StandardClause.objects.exclude(level="aspect").select_related("version"):
            self._clauses.setdefault((clause.version_id, clause.number), []).append(clause)
        self._units = {u.code: u for u in OrgUnit.objects.all()}

    def validate_row(
        self, number: int, values: dict[str, Any], seen: dict[str, Any]
    ) -> tuple[EvidenceRequirement, list[OrgUnit]]:
        faults = RowFaults()
        code = cell_text(values.get("version"))
        version = self._versions.get(code)
        clause = None
        if code and version is None:
            faults.add(
                "version", gettext("No standard version has the code %(code)s.") % {"code": code}
            )
        elif version is not None and version.status == VersionStatus.RETIRED:
            faults.add(
                "version",
                gettext("The version %(code)s is retired: nothing more is filed under it.")
                % {"code": code},
            )
        item = cell_text(values.get("clause"))
        if version is not None and item:
            found = self._clauses.get((version.pk, item), [])
            if not found:
                faults.add(
                    "clause",
                    gettext("The version has no check item %(number)s.") % {"number": item},
                )
            elif len(found) > 1:
                faults.add(
                    "clause",
                    gettext("The number %(number)s names several clauses of the version.")
                    % {"number": item},
                )
            else:
                clause = found[0]
        title = faults.check(
            check_length, "title", cell_text(values.get("title")), 200, fallback=""
        )
        raw_frequency = cell_text(values.get("frequency"))
        frequency = resolve_frequency(raw_frequency) if raw_frequency else None
        if raw_frequency and frequency is None:
            faults.add(
                "frequency", gettext("Unknown frequency %(value)s.") % {"value": raw_frequency}
            )
        kinds: list[str] = []
        for word in filter(None, _SPLIT.split(cell_text(values.get("unit_kinds")))):
            kind = resolve_kind(word)
            if kind is None:
                faults.add(
                    "unit_kinds", gettext("Unknown kind of unit %(value)s.") % {"value": word}
                )
            else:
                kinds.append(kind)
        units: list[OrgUnit] = []
        for unit_code in filter(None, _SPLIT.split(cell_text(values.get("units")))):
            unit = self._units.get(unit_code)
            if unit is None:
                faults.add("units", gettext("No unit has the code %(code)s.") % {"code": unit_code})
            else:
                units.append(unit)
        if not kinds and not units and not faults.has("unit_kinds", "units"):
            faults.add("unit_kinds", gettext("Name the kinds of unit or the units that keep it."))
        sort_text = cell_text(values.get("sort_order"))
        sort_order = 0
        if sort_text:
            try:
                sort_order = int(float(sort_text))
            except ValueError:
                faults.add("sort_order", gettext("Enter a whole number."))
        if clause is None and not faults.has("version", "clause"):
            faults.add("clause" if code else "version", gettext("is required"))
        if frequency is None and not faults.has("frequency"):
            faults.add("frequency", gettext("is required"))
        faults.raise_any()
        assert clause is not None and frequency is not None
        requirement = EvidenceRequirement(
            clause=clause,
            title=title,
            description=cell_text(values.get("description")),
            frequency=frequency,
            unit_kinds=kinds,
            sort_order=sort_order,
        )
        return requirement, units

    def apply(
        self, items: list[tuple[EvidenceRequirement, list[OrgUnit]]], *, by: Any
    ) -> ImportResult:
        created = services.create_evidence_requirements(items, by=by)
        return ImportResult(created=created)
