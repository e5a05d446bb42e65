"""Dossier completeness per unit (the dossier's own pages extend this module)."""

from __future__ import annotations

from decimal import Decimal

from chuangwei.org.models import OrgUnit

from .choices import EvidenceStatus, Frequency
from .models import Evidence, EvidenceRequirement


def periods(frequency: str, year: int) -> list[str]:
    if frequency == Frequency.ONCE:
        return ["once"]
    if frequency == Frequency.QUARTERLY:
        return [f"{year}-Q{q}" for q in range(1, 5)]
    if frequency == Frequency.MONTHLY:
        return [f"{year}-{m:02d}" for m in range(1, 13)]
    return [str(year)]


def unit_completeness(unit: OrgUnit, year: int) -> tuple[int, int, Decimal | None]:
    from .selectors import current_version

    version = current_version()
    units = list(OrgUnit.objects.filter(path__startswith=unit.path, is_active=True))
    ids = {u.pk for u in units}
    expected: set[tuple[int, int, str]] = set()
    for req in EvidenceRequirement.objects.filter(
        clause__version=version, is_active=True
    ).prefetch_related("units"):
        kinds = set(req.unit_kinds or [])
        targets = {u.pk for u in units if u.kind in kinds} | {
            u.pk for u in req.units.all() if u.pk in ids
        }
        for t in targets:
            for p in periods(req.frequency, year):
                expected.add((req.pk, t, p))
    approved = sum(
        1
        for key in Evidence.objects.filter(
            status=EvidenceStatus.APPROVED, unit_id__in=ids
        ).values_list("requirement_id", "unit_id", "period")
        if key in expected
    )
    pct = (Decimal(approved) * 100 / len(expected)).quantize(Decimal("0.1")) if expected else None
    return approved, len(expected), pct
