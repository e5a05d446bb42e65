"""Reads of the evaluation cycle for pages, the API, the dashboards and the big screen:
the next stage and its countdown, a stage's list with where each item stands, and the
report of a 回头看 round.

Each returns model rows, dataclasses or plain values, never a queryset to write through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, Q

from chuangwei.problems.choices import OPEN_STATUSES

from .choices import RecheckOutcome, StageStatus
from .models import EvaluationCycle, EvaluationStage, RecheckResult, RecheckRound, StageProblem


def current_cycle() -> EvaluationCycle | None:
    """The cycle marked current, else the newest one."""
    cycles = EvaluationCycle.objects.select_related("standard_version")
    return cycles.filter(is_current=True).first() or cycles.order_by("-start_year", "-id").first()


def next_stage(today: date) -> EvaluationStage | None:
    """The next stage not yet done whose date is today or later, in the current cycle (or,
    without a current cycle, in any cycle). The dashboards count down to it. One query."""
    no_current = ~Exists(EvaluationCycle.objects.filter(is_current=True))
    return (
        EvaluationStage.objects.filter(due_on__gte=today)
        .exclude(status=StageStatus.DONE)
        .filter(Q(cycle__is_current=True) | no_current)
        .select_related("cycle")
        .order_by("due_on", "sort_order", "id")
        .first()
    )


@dataclass(frozen=True)
class Countdown:
    """The dashboard widget: "距<stage>还有 N 天"."""

    stage: EvaluationStage
    days: int

    @property
    def name(self) -> str:
        return self.stage.name

    def as_dict(self) -> dict[str, Any]:
        """For the dashboards' JSON: name, kind, date, days left and the stage's page."""
        from django.urls import reverse

        return {
            "name": self.stage.name,
            "kind": self.stage.kind,
            "date": self.stage.due_on.isoformat(),
            "days": self.days,
            "url": reverse("readiness:stage_detail", args=[self.stage.pk]),
        }


def countdown(today: date) -> Countdown | None:
    """The next stage and the days left until it (0 on its day), or None."""
    stage = next_stage(today)
    if stage is None:
        return None
    return Countdown(stage=stage, days=(stage.due_on - today).days)


def stage_items(stage: EvaluationStage, user: Any, round: RecheckRound | None = None) -> list[Any]:
    """The items of ``stage``'s list the user may see, with problem, unit and site joined;
    with ``round``, each carries the round's result (``result`` attribute, or None)."""
    items = list(
        StageProblem.objects.visible_to(user)
        .filter(stage=stage)
        .select_related("problem", "problem__unit", "problem__site", "problem__category", "clause")
        .order_by("id")
    )
    if round is not None:
        results = {r.item_id: r for r in RecheckResult.objects.filter(round=round)}
        for item in items:
            item.result = results.get(item.pk)
    return items


def stage_counts(stage: EvaluationStage) -> dict[str, int]:
    """Items of the list: ``total``, ``open`` (problem still open in the ledger), ``closed``."""
    counts = StageProblem.objects.filter(stage=stage).aggregate(
        total=Count("id"), open=Count("id", filter=Q(problem__status__in=OPEN_STATUSES))
    )
    return {
        "total": counts["total"],
        "open": counts["open"],
        "closed": counts["total"] - counts["open"],
    }


@dataclass(frozen=True)
class RoundReport:
    """What a 回头看 found: counts per outcome, items not yet checked, and the items still
    open (``open`` or ``regressed``) or not checked, in list order."""

    round: RecheckRound
    total: int
    fixed: int
    still_open: int
    regressed: int
    unchecked: int
    open_items: tuple[Any, ...]

    @property
    def checked(self) -> int:
        return self.total - self.unchecked


def round_report(round: RecheckRound, user: Any) -> RoundReport:
    """The report of ``round`` over the items of its stage the user may see."""
    items = stage_items(round.stage, user, round)
    counts = {outcome: 0 for outcome in RecheckOutcome.values}
    unchecked = 0
    still: list[Any] = []
    for item in items:
        if item.result is None:
            unchecked += 1
            still.append(item)
            continue
        counts[item.result.outcome] += 1
        if item.result.outcome != RecheckOutcome.FIXED:
            still.append(item)
    return RoundReport(
        round=round,
        total=len(items),
        fixed=counts[RecheckOutcome.FIXED],
        still_open=counts[RecheckOutcome.OPEN],
        regressed=counts[RecheckOutcome.REGRESSED],
        unchecked=unchecked,
        open_items=tuple(still),
    )
