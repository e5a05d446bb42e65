"""Reads of the evidence dossier (台账资料): periods, the completeness grid, a unit's share.

Interfaces other modules use (keep the signatures):

- ``dossier_completeness(*, year, units=None, clauses=None, aspect=None, district=None,
  version=None) -> Completeness``: every expected cell requirement × unit × period of
  ``year`` with its state (missing / pending / returned / approved) and the totals, in four
  queries whatever the size (plus one to find the current version when none is given);
- ``unit_completeness(unit, year) -> (approved, expected, percent)``: the cells of the units
  in ``unit``'s subtree (the city: everything) — the readiness board's dossier figure;
  ``percent`` is approved / expected × 100 to one decimal, None when nothing is expected.

A requirement expects one record per period of its frequency from each active unit whose
kind is in ``unit_kinds`` and from each unit it names. Periods: ``once``; a year ``2026``;
quarters ``2026-Q1`` … ``2026-Q4``; months ``2026-01`` … ``2026-12``. A ``once`` record
counts in every year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Q

from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import StandardClause, StandardVersion

from .choices import EvidenceStatus, Frequency
from .models import Evidence, EvidenceRequirement

MISSING = "missing"
STATES = (MISSING, EvidenceStatus.PENDING, EvidenceStatus.RETURNED, EvidenceStatus.APPROVED)
STATE_COLORS = {
    MISSING: "danger",
    EvidenceStatus.PENDING: "warning",
    EvidenceStatus.RETURNED: "danger",
    EvidenceStatus.APPROVED: "success",
}
ONCE = "once"


# Periods ------------------------------------------------------------------------------------


def periods_for(frequency: str, year: int) -> tuple[str, ...]:
    """The periods a requirement of ``frequency`` expects in ``year``."""
    if frequency == Frequency.ONCE:
        return (ONCE,)
    if frequency == Frequency.QUARTERLY:
        return tuple(f"{year}-Q{q}" for q in range(1, 5))
    if frequency == Frequency.MONTHLY:
        return tuple(f"{year}-{m:02d}" for m in range(1, 13))
    return (str(year),)


def period_year(period: str) -> int | None:
    """The year of a period (None for ``once``); ValueError when it is not a period."""
    if period == ONCE:
        return None
    if len(period) < 4 or not period[:4].isdigit():
        raise ValueError(period)
    return int(period[:4])


def period_start(period: str) -> date | None:
    """The first day of a period (None for ``once``)."""
    year = period_year(period)
    if year is None:
        return None
    rest = period[5:]
    if not rest:
        return date(year, 1, 1)
    if rest.startswith("Q"):
        return date(year, (int(rest[1]) - 1) * 3 + 1, 1)
    return date(year, int(rest), 1)


def is_period_of(period: str, frequency: str) -> bool:
    """Whether ``period`` is one of the periods a requirement of ``frequency`` expects."""
    try:
        year = period_year(period)
    except ValueError:
        return False
    if year is None:
        return frequency == Frequency.ONCE
    return 1900 <= year <= 2999 and period in periods_for(frequency, year)


# The grid -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierRow:
    """One requirement of the grid: the check item it belongs to and what it expects."""

    requirement_id: int
    title: str
    frequency: str
    clause_id: int
    clause_number: str
    clause_title: str
    clause_path: str
    periods: tuple[str, ...]
    unit_ids: tuple[int, ...]


@dataclass(frozen=True)
class UnitColumn:
    pk: int
    name: str
    path: str
    kind: str


@dataclass(frozen=True)
class Cell:
    requirement_id: int
    unit_id: int
    period: str
    state: str
    evidence_id: int | None


@dataclass
class Completeness:
    """The completeness of the dossier for a year and a selection.

    ``found`` maps (requirement, unit, period) to (state, evidence id) for the expected cells
    that have a record; every other expected cell is missing. ``expected`` counts the
    expected cells and ``counts`` them per state; ``percent`` is approved / expected × 100
    (one decimal), None when nothing is expected."""

    year: int
    rows: list[DossierRow]
    units: list[UnitColumn]
    records: list[tuple[int, int, int, str, str]]
    expected: int
    counts: dict[str, int]
    per_unit: dict[int, tuple[int, int]] = field(default_factory=dict)
    _found: dict[tuple[int, int, str], tuple[str, int]] | None = None

    @property
    def found(self) -> dict[tuple[int, int, str], tuple[str, int]]:
        """(requirement, unit, period) → (state, evidence id) of the cells with a record
        (built on first use from ``records``: (id, requirement, unit, period, status))."""
        if self._found is None:
            self._found = {(r, u, p): (s, pk) for pk, r, u, p, s in self.records}
        return self._found

    @property
    def approved(self) -> int:
        return self.counts[EvidenceStatus.APPROVED]

    @property
    def percent(self) -> Decimal | None:
        return percent_of(self.approved, self.expected)

    def state(self, requirement_id: int, unit_id: int, period: str) -> str:
        return self.found.get((requirement_id, unit_id, period), (MISSING, 0))[0]

    def evidence_id(self, requirement_id: int, unit_id: int, period: str) -> int | None:
        found = self.found.get((requirement_id, unit_id, period))
        return found[1] if found else None

    def cells(self) -> Iterator[Cell]:
        """Every expected cell, row by row, unit by unit, period by period."""
        for row in self.rows:
            for unit_id in row.unit_ids:
                for period in row.periods:
                    state, pk = self.found.get(
                        (row.requirement_id, unit_id, period), (MISSING, None)
                    )
                    yield Cell(row.requirement_id, unit_id, period, state, pk)


def percent_of(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _pk(value: Any) -> int:
    return int(getattr(value, "pk", value))


def _subtree_q(paths: Iterable[str], field_name: str) -> Q:
    return reduce(or_, (Q(**{f"{field_name}__startswith": p}) for p in paths), Q(pk__in=[]))


def _version(version: StandardVersion | None) -> StandardVersion | None:
    if version is not None:
        return version
    from .selectors import current_version

    return current_version()


def dossier_completeness(
    *,
    year: int,
    units: Iterable[OrgUnit | int] | None = None,
    clauses: Iterable[StandardClause] | None = None,
    aspect: StandardClause | None = None,
    district: OrgUnit | None = None,
    version: StandardVersion | None = None,
) -> Completeness:
    """The grid of active requirements × expected units × periods of ``year``.

    ``units`` keeps only those units; ``district`` only the units of its subtree (itself
    included); ``clauses`` and ``aspect`` only the requirements of the check items under
    them. ``version`` defaults to the current cycle's (selectors.current_version).
    """
    version = _version(version)
    empty = Completeness(year, [], [], [], 0, dict.fromkeys(STATES, 0))
    if version is None:
        return empty
    requirements = EvidenceRequirement.objects.filter(is_active=True, clause__version=version)
    scopes = [c.path for c in clauses or ()] + ([aspect.path] if aspect is not None else [])
    if clauses is not None or aspect is not None:
        requirements = requirements.filter(_subtree_q(scopes, "clause__path"))
    found_rows = list(
        requirements.order_by("clause__path", "sort_order", "pk").values_list(
            "pk",
            "title",
            "frequency",
            "unit_kinds",
            "clause_id",
            "clause__number",
            "clause__title",
            "clause__path",
        )
    )
    if not found_rows:
        return empty
    ids = [r[0] for r in found_rows]
    named: dict[int, set[int]] = {}
    through = EvidenceRequirement.units.through.objects.filter(evidencerequirement_id__in=ids)
    for req_id, unit_id in through.values_list("evidencerequirement_id", "orgunit_id"):
        named.setdefault(req_id, set()).add(unit_id)
    kinds = {kind for r in found_rows for kind in (r[3] or [])}
    named_ids = set().union(*named.values()) if named else set()
    unit_qs = OrgUnit.objects.filter(is_active=True).filter(Q(kind__in=kinds) | Q(pk__in=named_ids))
    if district is not None:
        unit_qs = unit_qs.filter(path__startswith=district.path)
    if units is not None:
        unit_qs = unit_qs.filter(pk__in=[_pk(u) for u in units])
    columns = [
        UnitColumn(*u) for u in unit_qs.order_by("path").values_list("pk", "name", "path", "kind")
    ]
    order = [c.pk for c in columns]
    by_kind: dict[str, set[int]] = {}
    for column in columns:
        by_kind.setdefault(column.kind, set()).add(column.pk)
    present = set(order)
    # Rows with the same kinds and named units expect the same units: work each set out once.
    unit_sets: dict[tuple[frozenset[str], frozenset[int]], tuple[int, ...]] = {}
    rows: list[DossierRow] = []
    for pk, title, frequency, unit_kinds, clause_id, number, clause_title, path in found_rows:
        key = (frozenset(unit_kinds or ()), frozenset(named.get(pk, ())))
        unit_ids = unit_sets.get(key)
        if unit_ids is None:
            chosen = key[1] & present
            for kind in key[0]:
                chosen |= by_kind.get(kind, set())
            unit_ids = tuple(u for u in order if u in chosen)
            unit_sets[key] = unit_ids
        periods = periods_for(frequency, year)
        rows.append(
            DossierRow(
                pk, title, frequency, clause_id, number, clause_title, path, periods, unit_ids
            )
        )
    expected_sets: dict[int, tuple[frozenset[int], frozenset[str]]] = {}
    frozen: dict[tuple[int, ...], frozenset[int]] = {}
    periods_per_units: dict[tuple[int, ...], int] = {}
    for row in rows:
        units_set = frozen.get(row.unit_ids)
        if units_set is None:
            units_set = frozen[row.unit_ids] = frozenset(row.unit_ids)
        expected_sets[row.requirement_id] = (units_set, frozenset(row.periods))
        periods_per_units[row.unit_ids] = periods_per_units.get(row.unit_ids, 0) + len(row.periods)
    counts = dict.fromkeys(STATES, 0)
    kept: list[tuple[int, int, int, str, str]] = []
    per_unit_approved: dict[int, int] = {}
    approved_status = EvidenceStatus.APPROVED.value
    # ``once`` records have no year. Both halves of the OR read the covering index
    # readiness_evidence_grid alone; the rows are fetched in one go, without Django's
    # per-row machinery (~75,000 rows for 600 streets × 210 items).
    records = (
        Evidence.objects.filter(Q(year=year) | Q(year__isnull=True))
        .order_by()
        .values_list("pk", "requirement_id", "unit_id", "period", "status")
    )
    sql, params = records.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    no_set: tuple[frozenset[int], frozenset[str]] = (frozenset(), frozenset())
    for record in fetched:
        unit_set, period_set = expected_sets.get(record[1], no_set)
        if record[2] in unit_set and record[3] in period_set:
            kept.append(record)
            if record[4] == approved_status:
                per_unit_approved[record[2]] = per_unit_approved.get(record[2], 0) + 1
    for status, n in Counter(record[4] for record in kept).items():
        counts[status] += n
    per_unit_expected: dict[int, int] = {}
    expected = 0
    for unit_ids, n in periods_per_units.items():
        expected += n * len(unit_ids)
        for unit_id in unit_ids:
            per_unit_expected[unit_id] = per_unit_expected.get(unit_id, 0) + n
    counts[MISSING] = expected - sum(counts[s] for s in STATES if s != MISSING)
    per_unit = {u: (per_unit_approved.get(u, 0), n) for u, n in per_unit_expected.items()}
    return Completeness(year, rows, columns, kept, expected, counts, per_unit)


def unit_completeness(unit: OrgUnit, year: int) -> tuple[int, int, Decimal | None]:
    """(approved, expected, percent) of the dossier cells of the units in ``unit``'s
    subtree for ``year`` (for the city: the whole dossier). The readiness board's figure."""
    grid = dossier_completeness(year=year, district=unit)
    return grid.approved, grid.expected, grid.percent
