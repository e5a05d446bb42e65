"""The readiness board of a unit: the page a leader reads before an evaluation.

For the city or one district and a year it gathers, in a fixed number of queries:
- the indicators of the standard against their thresholds (met / missed / no value);
- the evidence dossier's completeness (approved records of those expected);
- the prerequisite and veto conditions (red / green / unknown);
- the open problems of the current stage's feedback list (the province's or the nation's);
- the projected covert-inspection score of the unit's sites.

The Word readiness report (reports app) renders the same ``ReadinessBoard``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from chuangwei.inspections import projection as projection_lib
from chuangwei.inspections import selectors as inspection_selectors
from chuangwei.org.models import OrgUnit
from chuangwei.problems.choices import OPEN_STATUSES
from chuangwei.standards.models import StandardVersion
from chuangwei.standards.selectors import indicator_status

from . import dossier
from .choices import ConditionState
from .models import EvaluationCycle, EvaluationStage, StageProblem
from .selectors import ConditionRow, condition_board, condition_counts, current_version

# Days of inspection results the projection reads (as the projection page's default).
PROJECTION_DAYS = 90
# Open items of the stage's list shown on the board (the count covers all of them).
STAGE_ITEMS_SHOWN = 15


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator for the unit and year; ``met`` is None when there is no value."""

    code: str
    name: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    threshold: Decimal
    comparator: str
    unit_of_measure: str
    met: bool | None
    origin: str
    is_veto: bool


@dataclass(frozen=True)
class DossierLine:
    approved: int
    expected: int

    @property
    def percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.approved) * 100 / self.expected).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class StageItemLine:
    item_no: str
    code: str
    problem_id: int
    title: str
    unit: str
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class StageLine:
    """The stage whose feedback list the board follows, and its open items in the unit."""

    pk: int
    name: str
    due_on: date
    total: int
    open: int
    overdue: int
    items: tuple[StageItemLine, ...]


@dataclass
class ReadinessBoard:
    unit: OrgUnit
    year: int
    version: StandardVersion | None
    indicators: list[IndicatorLine] = field(default_factory=list)
    dossier: DossierLine = field(default_factory=lambda: DossierLine(0, 0))
    conditions: list[ConditionRow] = field(default_factory=list)
    condition_counts: dict[str, int] = field(default_factory=dict)
    stage: StageLine | None = None
    projection: projection_lib.Projection | None = None

    @property
    def indicator_counts(self) -> dict[str, int]:
        counts = {"met": 0, "missed": 0, "unknown": 0}
        for line in self.indicators:
            key = "unknown" if line.met is None else "met" if line.met else "missed"
            counts[key] += 1
        return counts

    @property
    def red_conditions(self) -> list[ConditionRow]:
        return [row for row in self.conditions if row.state == ConditionState.RED]

    @property
    def missed_indicators(self) -> list[IndicatorLine]:
        return [line for line in self.indicators if line.met is False]


def indicator_lines(version: StandardVersion, unit: OrgUnit, year: int) -> list[IndicatorLine]:
    """Every indicator of ``version`` with the unit's value for ``year`` (two queries,
    ``standards.selectors.indicator_status``)."""
    return [
        IndicatorLine(
            code=status.indicator.code,
            name=status.indicator.name,
            value=status.rate,
            numerator=status.numerator,
            denominator=status.denominator,
            threshold=status.threshold,
            comparator=str(status.indicator.get_comparator_display()),
            unit_of_measure=status.indicator.unit,
            met=status.met,
            origin=status.value.get_origin_display() if status.value is not None else "",
            is_veto=status.indicator.is_veto,
        )
        for status in indicator_status(version, unit, year)
    ]


def board_stage(today: date) -> EvaluationStage | None:
    """The stage whose list the board follows: of the current cycle's stages that have a
    feedback list, the latest one due by ``today``, else the earliest one still ahead."""
    cycle = EvaluationCycle.objects.filter(is_current=True).first()
    if cycle is None:
        return None
    with_items = EvaluationStage.objects.filter(cycle=cycle, items__isnull=False).distinct()
    past = with_items.filter(due_on__lte=today).order_by("-due_on", "-sort_order", "-pk").first()
    return past or with_items.order_by("due_on", "sort_order", "pk").first()


def stage_line(stage: EvaluationStage, unit: OrgUnit, now: datetime) -> StageLine:
    """The stage's list in the unit's subtree: how many items, how many still open and
    overdue, and the first open ones (most overdue first)."""
    items = StageProblem.objects.filter(stage=stage, problem__unit__path__startswith=unit.path)
    total = items.count()
    open_items = items.filter(problem__status__in=OPEN_STATUSES)
    rows = list(
        open_items.select_related("problem", "problem__unit", "problem__category").order_by(
            F("problem__due_at").asc(nulls_last=True), "pk"
        )
    )
    lines = tuple(
        StageItemLine(
            item_no=row.item_no,
            code=row.problem.code,
            problem_id=row.problem_id,
            title=(row.problem.description or str(row.problem.category or ""))[:80],
            unit=row.problem.unit.name if row.problem.unit else "",
            due_at=row.problem.due_at,
            overdue=bool(row.problem.due_at and row.problem.due_at < now),
        )
        for row in rows
    )
    return StageLine(
        pk=stage.pk,
        name=stage.name,
        due_on=stage.due_on,
        total=total,
        open=len(lines),
        overdue=sum(1 for line in lines if line.overdue),
        items=lines[:STAGE_ITEMS_SHOWN],
    )


def unit_projection(unit: OrgUnit, now: datetime) -> projection_lib.Projection | None:
    """The projected covert-inspection score from the latest results of the unit's sites;
    None when the national sheet is missing or no site of the unit was scored."""
    path = None if unit.parent_id is None else unit.path
    parts, observations, _results = inspection_selectors.projection_inputs(
        days=PROJECTION_DAYS, now=now, unit_path=path
    )
    if not parts or not observations:
        return None
    return projection_lib.project_score(parts, observations, seed=now.date().toordinal())


def readiness_board(
    unit: OrgUnit, *, year: int, now: datetime | None = None, with_projection: bool = True
) -> ReadinessBoard:
    """The readiness board of ``unit`` (the city or a district) for ``year``."""
    now = now or timezone.now()
    version = current_version()
    board = ReadinessBoard(unit=unit, year=year, version=version)
    city_view = unit.parent_id is None
    if version is not None:
        board.indicators = indicator_lines(version, unit, year)
        board.conditions = condition_board(
            year=year, unit=None if city_view else unit, version=version
        )
        board.condition_counts = condition_counts(board.conditions)
    approved, expected, _percent = dossier.unit_completeness(unit, year)
    board.dossier = DossierLine(approved, expected)
    stage = board_stage(timezone.localdate(now))
    if stage is not None:
        board.stage = stage_line(stage, unit, now)
    if with_projection:
        board.projection = unit_projection(unit, now)
    return board
