"""Readiness services: evaluation cycles and their stages, a stage's feedback list in the
ledger, and 回头看 rounds.

- A cycle (创建 or 复审) is created with the standard stages (``STAGE_TEMPLATE``: 申报,
  省级评估, 国家暗访, 整改验收, 技术评估, 综合评审/公示, 命名, 年度自查, 复审), each with an
  editable date; stages are added, edited, started and completed one by one.
- Completing a stage freezes its ``indicator_snapshot`` through the hook
  ``chuangwei.standards.selectors.indicator_status(version, unit, year)`` when the standards
  app provides it (``{}`` otherwise).
- An item of a stage's feedback list becomes an ordinary ledger problem, routed to the named
  unit (no coordinates needed) and dispatched with the deadline of the existing rules, and is
  linked to the stage as a ``StageProblem`` (``report_stage_item``). The Excel list is read by
  ``readiness.stage_import.StageListImporter``, which calls it for each row.
- A 回头看 round re-checks every item: fixed, still open, or came back, with a note.

Every write is the office's, except the results of a round, which inspectors record too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.permissions import can_recheck_stage_lists, is_office
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.limits import check_length, column_length
from chuangwei.lib.bounds import DATE_MAX, DATE_MIN
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.problems import services as problem_services
from chuangwei.problems.choices import ProblemSource
from chuangwei.problems.models import Problem
from chuangwei.standards.models import ProblemCategory, StandardClause, StandardVersion

from ..choices import CycleKind, RecheckOutcome, StageKind, StageStatus
from ..models import EvaluationCycle, EvaluationStage, RecheckResult, RecheckRound, StageProblem

# The standard stages of a cycle (reference/sanitary-city-standard.md §4.1, §4.3), with the
# default date of each as (year offset from the cycle's first year, month, day). Every date
# is editable; the offsets only give a sensible first draft.
STAGE_TEMPLATE: tuple[tuple[str, int, int, int], ...] = (
    (StageKind.APPLY, 0, 3, 31),
    (StageKind.PROVINCIAL, 0, 9, 30),
    (StageKind.COVERT, 1, 6, 30),
    (StageKind.RECTIFY, 1, 9, 30),
    (StageKind.TECHNICAL, 2, 4, 30),
    (StageKind.REVIEW, 2, 9, 30),
    (StageKind.NAMING, 2, 12, 31),
    (StageKind.SELF_CHECK, 0, 12, 31),
    (StageKind.REEXAM, 2, 11, 30),
)

# The ledger source of a stage's problems: who found them.
STAGE_SOURCES = {
    StageKind.PROVINCIAL: ProblemSource.PROVINCIAL_COVERT,
    StageKind.COVERT: ProblemSource.NATIONAL_COVERT,
    StageKind.TECHNICAL: ProblemSource.NATIONAL_COVERT,
    StageKind.REEXAM: ProblemSource.NATIONAL_COVERT,
}


def stage_source(stage: EvaluationStage) -> str:
    """The ledger source of the problems of ``stage``'s list (city supervision by default)."""
    return str(STAGE_SOURCES.get(StageKind(stage.kind), ProblemSource.CITY_SUPERVISION))


def template_stages(start_year: int, end_year: int) -> list[dict[str, Any]]:
    """The standard stages for a cycle of those years with their default dates (each
    clamped to the cycle's last year), in the order of the template."""
    stages = []
    for order, (kind, offset, month, day) in enumerate(STAGE_TEMPLATE):
        year = min(start_year + offset, end_year)
        stages.append(
            {
                "kind": str(kind),
                "name": str(StageKind(kind).label),
                "due_on": date(year, month, day),
                "sort_order": order,
            }
        )
    return stages


def _require_office(by: Any) -> None:
    if not is_office(by):
        raise NotAllowed(_("Only the office manages evaluation cycles and their stages."))


def _text(
    errors: dict[str, list[Any]], model: Any, field: str, value: str, label: Any, required: bool
) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
        return value
    try:
        check_length(value, column_length(model, field), field=field, label=label)
    except InvalidInput as exc:
        errors.update(exc.fields)
    return value


def _date_ok(errors: dict[str, list[Any]], field: str, value: date | None) -> None:
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        errors[field] = [_("Enter a date between 1900-01-01 and 2999-12-31.")]


# Cycles -------------------------------------------------------------------------------------


def _check_cycle(
    *, kind: str, name: str, start_year: int, end_year: int
) -> tuple[dict[str, list[Any]], str]:
    errors: dict[str, list[Any]] = {}
    if kind not in CycleKind.values:
        errors["kind"] = [_("Choose 创建 or 复审.")]
    name = _text(errors, EvaluationCycle, "name", name, _("Name"), required=True)
    if not 1900 <= start_year <= 2999:
        errors["start_year"] = [_("Enter a year between 1900 and 2999.")]
    if not 1900 <= end_year <= 2999:
        errors["end_year"] = [_("Enter a year between 1900 and 2999.")]
    elif end_year < start_year:
        errors["end_year"] = [_("The last year cannot come before the first.")]
    return errors, name


def _make_current(cycle: EvaluationCycle, now: datetime) -> None:
    EvaluationCycle.objects.filter(is_current=True).exclude(pk=cycle.pk).update(
        is_current=False, updated_at=now
    )


def create_cycle(
    *,
    kind: str,
    name: str,
    start_year: int,
    end_year: int,
    standard_version: StandardVersion,
    by: Any,
    is_current: bool = False,
    note: str = "",
    stages: Sequence[dict[str, Any]] | None = None,
    from_template: bool = True,
    now: datetime | None = None,
) -> EvaluationCycle:
    """A new cycle, with the standard stages (``template_stages``) unless ``from_template`` is
    False; ``stages`` replaces the template with the caller's list (e.g. the template with
    the dates the user edited: dicts of ``kind``, ``name``, ``due_on`` and optionally
    ``starts_on``, ``ends_on``, ``owner``, ``deliverables``). Making it current makes the
    previous current cycle not current. Raises NotAllowed or InvalidInput naming every
    faulty field (a faulty stage is named ``stages.<n>.<field>``)."""
    _require_office(by)
    now = now or timezone.now()
    errors, name = _check_cycle(kind=kind, name=name, start_year=start_year, end_year=end_year)
    if stages is None:
        stages = template_stages(start_year, end_year) if from_template else []
    checked = []
    for number, data in enumerate(stages):
        stage_errors, values = _check_stage(**data)
        for field, msgs in stage_errors.items():
            errors[f"stages.{number}.{field}"] = msgs
        checked.append({**values, "sort_order": data.get("sort_order", number)})
    if errors:
        raise InvalidInput(code="bad_cycle", fields=errors)
    with transaction.atomic():
        cycle = EvaluationCycle.objects.create(
            kind=kind,
            name=name,
            start_year=start_year,
            end_year=end_year,
            standard_version=standard_version,
            is_current=False,
            note=(note or "").strip(),
            created_at=now,
        )
        if is_current:
            _make_current(cycle, now)
            EvaluationCycle.objects.filter(pk=cycle.pk).update(is_current=True)
            cycle.is_current = True
        for values in checked:
            EvaluationStage.objects.create(cycle=cycle, created_at=now, **values)
    return cycle


def update_cycle(
    cycle: EvaluationCycle,
    *,
    by: Any,
    kind: str,
    name: str,
    start_year: int,
    end_year: int,
    standard_version: StandardVersion,
    is_current: bool,
    note: str = "",
    now: datetime | None = None,
) -> EvaluationCycle:
    """Edit a cycle's fields; making it current makes the previous current cycle not
    current."""
    _require_office(by)
    now = now or timezone.now()
    errors, name = _check_cycle(kind=kind, name=name, start_year=start_year, end_year=end_year)
    if errors:
        raise InvalidInput(code="bad_cycle", fields=errors)
    with transaction.atomic():
        if is_current:
            _make_current(cycle, now)
        EvaluationCycle.objects.filter(pk=cycle.pk).update(
            kind=kind,
            name=name,
            start_year=start_year,
            end_year=end_year,
            standard_version=standard_version,
            is_current=is_current,
            note=(note or "").strip(),
            updated_at=now,
        )
    cycle.refresh_from_db()
    return cycle


# Stages -------------------------------------------------------------------------------------


def _check_stage(
    *,
    kind: str,
    name: str = "",
    due_on: date | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    owner: OrgUnit | None = None,
    deliverables: str = "",
    note: str = "",
    sort_order: int = 0,
) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    errors: dict[str, list[Any]] = {}
    if kind not in StageKind.values:
        errors["kind"] = [_("Choose a kind of stage from the list.")]
    elif not (name or "").strip():
        name = str(StageKind(kind).label)
    name = _text(errors, EvaluationStage, "name", name, _("Name"), required=True)
    if due_on is None:
        errors["due_on"] = [_("Give the stage its date.")]
    for field, value in (("due_on", due_on), ("starts_on", starts_on), ("ends_on", ends_on)):
        _date_ok(errors, field, value)
    if starts_on and due_on and starts_on > due_on and "starts_on" not in errors:
        errors["starts_on"] = [_("The stage cannot start after its date.")]
    if ends_on and due_on and ends_on < due_on and "ends_on" not in errors:
        errors["ends_on"] = [_("The stage cannot end before its date.")]
    values = {
        "kind": kind,
        "name": name,
        "due_on": due_on,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "owner": owner,
        "deliverables": (deliverables or "").strip(),
        "note": (note or "").strip(),
        "sort_order": sort_order,
    }
    return errors, values


def create_stage(
    cycle: EvaluationCycle,
    *,
    by: Any,
    kind: str,
    due_on: date | None,
    name: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    owner: OrgUnit | None = None,
    deliverables: str = "",
    note: str = "",
    sort_order: int | None = None,
    now: datetime | None = None,
) -> EvaluationStage:
    """Add a stage to ``cycle`` (planned). The name defaults to the kind's."""
    _require_office(by)
    now = now or timezone.now()
    if sort_order is None:
        sort_order = cycle.stages.count()
    errors, values = _check_stage(
        kind=kind, name=name, due_on=due_on, starts_on=starts_on, ends_on=ends_on, owner=owner,
        deliverables=deliverables, note=note, sort_order=sort_order,
    )  # fmt: skip
    if errors:
        raise InvalidInput(code="bad_stage", fields=errors)
    return EvaluationStage.objects.create(cycle=cycle, created_at=now, **values)


def update_stage(
    stage: EvaluationStage,
    *,
    by: Any,
    kind: str,
    due_on: date | None,
    name: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    owner: OrgUnit | None = None,
    deliverables: str = "",
    note: str = "",
    now: datetime | None = None,
) -> EvaluationStage:
    """Edit a stage's dates, owner and deliverables (its status moves through
    ``start_stage`` and ``complete_stage``)."""
    _require_office(by)
    now = now or timezone.now()
    errors, values = _check_stage(
        kind=kind, name=name, due_on=due_on, starts_on=starts_on, ends_on=ends_on, owner=owner,
        deliverables=deliverables, note=note, sort_order=stage.sort_order,
    )  # fmt: skip
    if errors:
        raise InvalidInput(code="bad_stage", fields=errors)
    EvaluationStage.objects.filter(pk=stage.pk).update(updated_at=now, **values)
    stage.refresh_from_db()
    return stage


def start_stage(stage: EvaluationStage, *, by: Any, now: datetime | None = None) -> EvaluationStage:
    """Mark a planned stage in progress. Raises Conflict when it is not planned."""
    _require_office(by)
    now = now or timezone.now()
    updated = EvaluationStage.objects.filter(pk=stage.pk, status=StageStatus.PLANNED).update(
        status=StageStatus.ACTIVE,
        starts_on=stage.starts_on or timezone.localdate(now),
        updated_at=now,
    )
    if not updated:
        raise Conflict(_("Only a planned stage can be started."), code="stage_not_planned")
    stage.refresh_from_db()
    return stage


def _city() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True, kind=OrgUnitKind.CITY).order_by("pk").first()


def _jsonable(value: Any) -> Any:
    """``value`` as plain JSON (dataclasses, decimals and dates become dicts and text)."""
    from dataclasses import asdict, is_dataclass

    def default(item: Any) -> Any:
        if is_dataclass(item) and not isinstance(item, type):
            return asdict(item)
        if isinstance(item, Decimal):
            return str(item)
        if isinstance(item, date | datetime):
            return item.isoformat()
        if hasattr(item, "pk"):
            return item.pk
        return str(item)

    return json.loads(json.dumps(value, default=default, ensure_ascii=False))


def indicator_snapshot(stage: EvaluationStage) -> dict[str, Any]:
    """The indicators of the stage's cycle for the city in the stage's year, as JSON.

    The hook: ``chuangwei.standards.selectors.indicator_status(version, unit, year)`` when the
    standards app provides it; ``{}`` until then (the stage is still completed)."""
    try:
        from chuangwei.standards import selectors as standards_selectors
    except ImportError:
        return {}
    status = getattr(standards_selectors, "indicator_status", None)
    if status is None:
        return {}
    year = stage.due_on.year
    rows = status(stage.cycle.standard_version, _city(), year)
    return {"year": year, "indicators": _jsonable(rows)}


def complete_stage(
    stage: EvaluationStage, *, by: Any, now: datetime | None = None
) -> EvaluationStage:
    """Mark a stage done and freeze its indicator snapshot (see ``indicator_snapshot``).
    Raises Conflict when it is already done."""
    _require_office(by)
    now = now or timezone.now()
    snapshot = indicator_snapshot(stage)
    updated = (
        EvaluationStage.objects.filter(pk=stage.pk)
        .exclude(status=StageStatus.DONE)
        .update(
            status=StageStatus.DONE,
            indicator_snapshot=snapshot,
            ends_on=stage.ends_on or timezone.localdate(now),
            updated_at=now,
        )
    )
    if not updated:
        raise Conflict(_("This stage is already done."), code="stage_done")
    stage.refresh_from_db()
    return stage


# A stage's feedback list --------------------------------------------------------------------


@dataclass(frozen=True)
class StageItem:
    """One item of a stage's feedback list, checked (``stage_import``) and ready to report.

    ``lng``/``lat`` are WGS-84 or both None (the item concerns a unit, a site or an
    article); ``unit`` is the responsible unit the problem is routed to."""

    item_no: str
    description: str
    category: ProblemCategory
    unit: OrgUnit
    site: Any = None
    clause: StandardClause | None = None
    address: str = ""
    lng: float | None = None
    lat: float | None = None
    points_lost: Decimal = Decimal("0")


def report_stage_item(
    stage: EvaluationStage, item: StageItem, *, by: Any, now: datetime | None = None
) -> StageProblem:
    """Put one item of ``stage``'s list in the ledger: a problem reported by the office
    (source from the stage's kind), routed to ``item.unit`` and dispatched to it with the
    deadline of the existing rules, linked to the stage with its number and article.

    Raises Conflict (``item_taken``) when the stage already holds that number, and whatever
    the ledger's services raise; nothing is written then."""
    _require_office(by)
    now = now or timezone.now()
    if item.item_no and StageProblem.objects.filter(stage=stage, item_no=item.item_no).exists():
        raise Conflict(
            _("Item %(no)s of this list is already in the ledger.") % {"no": item.item_no},
            code="item_taken",
        )
    with transaction.atomic():
        problem = problem_services.report_problem(
            source=stage_source(stage),
            category=item.category,
            lng=item.lng,
            lat=item.lat,
            unit=item.unit,
            site=item.site,
            description=item.description,
            address=item.address,
            check_item=item.clause,
            points_lost=item.points_lost,
            external_ref=f"S{stage.pk}-{item.item_no}"[:64] if item.item_no else "",
            needs_confirmation=False,
            by=by,
            now=now,
        )
        problem_services.dispatch_problem(problem, by=by, unit=item.unit, now=now)
        return StageProblem.objects.create(
            stage=stage, problem=problem, item_no=item.item_no, clause=item.clause, created_at=now
        )


def link_stage_problem(
    stage: EvaluationStage,
    problem: Problem,
    *,
    by: Any,
    item_no: str = "",
    clause: StandardClause | None = None,
    now: datetime | None = None,
) -> StageProblem:
    """Link a problem already in the ledger to ``stage``'s list. Raises Conflict when it is
    linked already or the number is taken."""
    _require_office(by)
    now = now or timezone.now()
    item_no = (item_no or "").strip()
    errors: dict[str, list[Any]] = {}
    _text(errors, StageProblem, "item_no", item_no, _("Item number"), required=False)
    if errors:
        raise InvalidInput(code="bad_stage_problem", fields=errors)
    if item_no and StageProblem.objects.filter(stage=stage, item_no=item_no).exists():
        raise Conflict(
            _("Item %(no)s of this list is already in the ledger.") % {"no": item_no},
            code="item_taken",
        )
    try:
        with transaction.atomic():
            return StageProblem.objects.create(
                stage=stage, problem=problem, item_no=item_no, clause=clause, created_at=now
            )
    except IntegrityError:
        raise Conflict(
            _("This problem is already on the stage's list."), code="already_linked"
        ) from None


# 回头看 --------------------------------------------------------------------------------------


def can_recheck(user: Any) -> bool:
    """Walks a 回头看 and records what it finds: the office and inspectors."""
    return can_recheck_stage_lists(user)


def create_recheck_round(
    stage: EvaluationStage,
    *,
    by: Any,
    held_on: date,
    name: str = "",
    summary: str = "",
    now: datetime | None = None,
) -> RecheckRound:
    """Open a 回头看 round over ``stage``'s list (office only). The name defaults to
    "回头看 <n>"."""
    _require_office(by)
    now = now or timezone.now()
    errors: dict[str, list[Any]] = {}
    if held_on is None:
        errors["held_on"] = [_("Give the round its date.")]
    else:
        _date_ok(errors, "held_on", held_on)
    if not (name or "").strip():
        name = str(_("Recheck %(n)s")) % {"n": stage.rechecks.count() + 1}
    name = _text(errors, RecheckRound, "name", name, _("Name"), required=True)
    if errors:
        raise InvalidInput(code="bad_recheck_round", fields=errors)
    return RecheckRound.objects.create(
        stage=stage,
        name=name,
        held_on=held_on,
        summary=(summary or "").strip(),
        created_by=by,
        created_at=now,
    )


def record_recheck_result(
    round: RecheckRound,
    item: StageProblem,
    *,
    outcome: str,
    by: Any,
    note: str = "",
    now: datetime | None = None,
) -> RecheckResult:
    """Record (or correct) what the round found for one item of its stage's list: fixed,
    still open or came back, with a note. Raises NotAllowed (not the office or an
    inspector) or InvalidInput (an item of another stage, an unknown outcome, a too long
    note)."""
    if not can_recheck(by):
        raise NotAllowed(_("Only the office and inspectors record a recheck."))
    now = now or timezone.now()
    errors: dict[str, list[Any]] = {}
    if item.stage_id != round.stage_id:
        errors["item"] = [_("This item is not on the list of the round's stage.")]
    if outcome not in RecheckOutcome.values:
        errors["outcome"] = [_("Choose fixed, still open or came back.")]
    note = _text(errors, RecheckResult, "note", note, _("Note"), required=False)
    if errors:
        raise InvalidInput(code="bad_recheck_result", fields=errors)
    result, _created = RecheckResult.objects.update_or_create(
        round=round,
        item=item,
        defaults={"outcome": outcome, "note": note, "checked_by": by, "checked_at": now},
    )
    return result
