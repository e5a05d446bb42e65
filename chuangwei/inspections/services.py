"""Every write of the inspections app: sheets, tasks, scoring, sampling draws, check-ins.

One function per action; validation first, then one transaction, so bad input changes
nothing. Deductions become ledger problems only through ``problems.services.report_problem``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.limits import check_length, column_length
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Site, SiteType
from chuangwei.places.services import locate_grid, point_to_wgs84
from chuangwei.problems import services as problem_services
from chuangwei.problems.choices import ProblemSource
from chuangwei.standards.models import ProblemCategory

from . import permissions, sampling, scoring
from .choices import (
    KIND_SOURCE,
    SCORING_TASK_STATUSES,
    InspectionKind,
    ResultStatus,
    ScoringMode,
    SheetStatus,
    TaskStatus,
)
from .models import (
    Deduction,
    InspectionTask,
    ItemScore,
    PatrolCheckin,
    SamplingDraw,
    ScoreSheet,
    SheetItem,
    SiteResult,
)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require_planner(by: Any) -> None:
    if by is not None and not permissions.is_planner(by):
        raise NotAllowed()


# Score sheets -------------------------------------------------------------------------


def sheet_in_use(sheet: ScoreSheet) -> bool:
    """A version some inspection has scored with is frozen."""
    return sheet.pk is not None and SiteResult.objects.filter(sheet=sheet).exists()


def _refuse_if_in_use(sheet: ScoreSheet) -> None:
    if sheet_in_use(sheet):
        raise Conflict(
            _(
                "This sheet version has been used by inspections and cannot change. Create a new version."
            ),
            code="sheet_in_use",
        )


def save_sheet(sheet: ScoreSheet, *, by: Any = None) -> ScoreSheet:
    """Create or edit a sheet's heading (not its status). Raises Conflict when in use."""
    _require_planner(by)
    if not sheet.code.strip() or not sheet.name.strip():
        raise InvalidInput(code="missing_fields", fields={"name": [_("This field is required.")]})
    if sheet.pk is None:
        top = ScoreSheet.objects.filter(code=sheet.code).aggregate(v=Max("version"))["v"]
        sheet.version = (top or 0) + 1
    else:
        _refuse_if_in_use(sheet)
    sheet.save()
    return sheet


def _band_json(bands: Sequence[scoring.Band]) -> list[dict[str, str]]:
    return [{"label": b.label, "low": str(b.low), "high": str(b.high)} for b in bands]


def save_sheet_item(item: SheetItem, *, by: Any = None) -> SheetItem:
    """Add or edit a sheet line after checking points, bands and parent.

    Raises InvalidInput (negative points, bad bands, parent on another sheet or not a
    group) or Conflict (the version is in use).
    """
    _require_planner(by)
    item.points = scoring.to_points(item.points)
    if item.deduction_step is not None:
        item.deduction_step = scoring.to_points(item.deduction_step, field_name="deduction_step")
    if item.mode == ScoringMode.BAND:
        item.bands = _band_json(scoring.parse_bands(item.bands, item.points))
    else:
        item.bands = []
    if not item.title.strip() or not item.number.strip():
        raise InvalidInput(code="missing_fields", fields={"title": [_("This field is required.")]})
    if item.parent_id is not None:
        parent = SheetItem.objects.get(pk=item.parent_id)
        if parent.sheet_id != item.sheet_id or parent.pk == item.pk:
            raise InvalidInput(
                _("The parent line belongs to another sheet."),
                code="bad_parent",
                fields={"parent": [_("Choose a line of this sheet.")]},
            )
    _refuse_if_in_use(item.sheet)
    with transaction.atomic():
        item.save()
        if item.parent_id is not None:
            SheetItem.objects.filter(pk=item.parent_id).update(mode=ScoringMode.GROUP, bands=[])
    return item


def delete_sheet_item(item: SheetItem, *, by: Any = None) -> None:
    _require_planner(by)
    _refuse_if_in_use(item.sheet)
    item.delete()


def scored_items(sheet: ScoreSheet) -> list[SheetItem]:
    """The lines inspectors score (leaves), in sheet order."""
    items = list(sheet.items.all())
    parents = {i.parent_id for i in items if i.parent_id}
    return [i for i in items if i.pk not in parents]


def publish_sheet(sheet: ScoreSheet, *, by: Any = None) -> ScoreSheet:
    """Put a version in use and retire the other published versions of the same sheet.

    Raises InvalidInput (``sheet_empty``) for a sheet without scored items.
    """
    _require_planner(by)
    if not scored_items(sheet):
        raise InvalidInput(
            _("A score sheet needs at least one item before it can be used."), code="sheet_empty"
        )
    with transaction.atomic():
        ScoreSheet.objects.filter(code=sheet.code, status=SheetStatus.PUBLISHED).exclude(
            pk=sheet.pk
        ).update(status=SheetStatus.RETIRED)
        sheet.status = SheetStatus.PUBLISHED
        sheet.save(update_fields=["status", "updated_at"])
    return sheet


def _copy_items(
    source: Sequence[Mapping[str, Any]], sheet: ScoreSheet, *, allow_gaps: bool = False
) -> int:
    """Create lines from dicts (``parent`` = index of an earlier dict or None); copies of a
    stored version may keep its band gaps (``allow_gaps``), new data may not."""
    made: list[SheetItem] = []
    for order, row in enumerate(source):
        parent_index = row.get("parent")
        item = SheetItem(
            sheet=sheet,
            parent=made[parent_index] if parent_index is not None else None,
            number=str(row["number"]),
            title=str(row["title"]),
            points=scoring.to_points(row["points"]),
            mode=row.get("mode") or ScoringMode.DEDUCTION,
            bands=row.get("bands") or [],
            deduction_step=row.get("deduction_step"),
            category=row.get("category"),
            check_item=row.get("check_item"),
            note=str(row.get("note") or ""),
            sort_order=order,
        )
        if item.mode == ScoringMode.BAND:
            item.bands = _band_json(
                scoring.parse_bands(item.bands, item.points, allow_gaps=allow_gaps)
            )
        item.save()
        made.append(item)
    parents = {m.parent_id for m in made if m.parent_id}
    SheetItem.objects.filter(pk__in=parents).update(mode=ScoringMode.GROUP, bands=[])
    return len(made)


def _item_rows(sheet: ScoreSheet) -> list[dict[str, Any]]:
    items = list(sheet.items.all())
    index = {item.pk: n for n, item in enumerate(items)}
    return [
        {
            "parent": index.get(item.parent_id) if item.parent_id else None,
            "number": item.number,
            "title": item.title,
            "points": item.points,
            "mode": item.mode,
            "bands": item.bands,
            "deduction_step": item.deduction_step,
            "category": item.category,
            "check_item": item.check_item,
            "note": item.note,
        }
        for item in items
    ]


def new_sheet_version(sheet: ScoreSheet, *, by: Any = None) -> ScoreSheet:
    """Copy a version with its items into the next draft version of the same sheet."""
    _require_planner(by)
    return _next_version(sheet, _item_rows(sheet), allow_gaps=True)


def import_sheet_version(
    sheet: ScoreSheet, rows: Sequence[Mapping[str, Any]], *, by: Any = None
) -> ScoreSheet:
    """A new draft version of ``sheet`` whose items are ``rows`` (already checked by the
    importer). Raises InvalidInput when there are no rows."""
    _require_planner(by)
    if not rows:
        raise InvalidInput(_("The file holds no items."), code="sheet_empty")
    return _next_version(sheet, rows)


def _next_version(
    sheet: ScoreSheet, rows: Sequence[Mapping[str, Any]], *, allow_gaps: bool = False
) -> ScoreSheet:
    """The next draft version of ``sheet`` (same code and header) holding ``rows``."""
    top = ScoreSheet.objects.filter(code=sheet.code).aggregate(v=Max("version"))["v"] or 0
    with transaction.atomic():
        copy = ScoreSheet.objects.create(
            code=sheet.code,
            version=top + 1,
            name=sheet.name,
            site_type=sheet.site_type,
            area=sheet.area,
            is_national=sheet.is_national,
            national_part=sheet.national_part,
            source=sheet.source,
            note=sheet.note,
            status=SheetStatus.DRAFT,
        )
        _copy_items(rows, copy, allow_gaps=allow_gaps)
    return copy


def load_sheet_data(data: Mapping[str, Any]) -> tuple[ScoreSheet, bool]:
    """Create one shipped sheet from its JSON form unless that code and version exist.

    Returns the sheet and whether it was created. Items name their problem category by
    ``category`` = "kind:code" and are linked when that category exists.
    """
    existing = ScoreSheet.objects.filter(code=data["code"], version=data.get("version", 1)).first()
    if existing is not None:
        return existing, False
    categories = {f"{c.kind}:{c.code}": c for c in ProblemCategory.objects.all()}
    site_type = SiteType.objects.filter(code=data.get("site_type") or "").first()
    rows: list[dict[str, Any]] = []

    def walk(nodes: Sequence[Mapping[str, Any]], parent: int | None) -> None:
        for node in nodes:
            rows.append(
                {
                    **{k: v for k, v in node.items() if k != "children"},
                    "parent": parent,
                    "category": categories.get(node.get("category") or ""),
                }
            )
            walk(node.get("children") or [], len(rows) - 1)

    walk(data["items"], None)
    with transaction.atomic():
        sheet = ScoreSheet.objects.create(
            code=data["code"],
            version=data.get("version", 1),
            name=data["name"],
            site_type=site_type,
            area=data.get("area", ""),
            is_national=bool(data.get("is_national")),
            national_part=data.get("national_part", ""),
            source=data.get("source", ""),
            note=data.get("note", ""),
            status=SheetStatus.PUBLISHED,
        )
        _copy_items(rows, sheet)
    return sheet, True


# Tasks --------------------------------------------------------------------------------


def _new_code(prefix: str, model: Any, at: datetime) -> str:
    year = timezone.localtime(at).year
    count = model.objects.filter(code__startswith=f"{prefix}-{year}-").count()
    return f"{prefix}-{year}-{count + 1:04d}-{secrets.token_hex(2).upper()}"


def sheet_for_site(site: Site, default: ScoreSheet | None) -> ScoreSheet | None:
    """The published sheet of the site's type, else the task's default sheet."""
    sheet = (
        ScoreSheet.objects.filter(site_type_id=site.site_type_id, status=SheetStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    return sheet or default


def create_task(
    *,
    name: str,
    kind: str,
    planned_date: date,
    sites: Sequence[Site],
    by: Any,
    team: Sequence[Any] = (),
    scope_units: Sequence[OrgUnit] = (),
    scope_grids: Sequence[Any] = (),
    sheet: ScoreSheet | None = None,
    draw: SamplingDraw | None = None,
    note: str = "",
    now: datetime | None = None,
) -> InspectionTask:
    """Plan an inspection of ``sites``; each site gets the sheet of its type (or ``sheet``).

    Raises NotAllowed (not office), InvalidInput (unknown kind, no sites, a site with no
    usable sheet, a sheet with no items).
    """
    now = _now(now)
    _require_planner(by)
    errors: dict[str, list[Any]] = {}
    if kind not in InspectionKind.values:
        errors["kind"] = [_("Choose a kind of inspection.")]
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    if not sites:
        errors["sites"] = [_("Choose at least one site.")]
    plan: list[tuple[Site, ScoreSheet]] = []
    missing: dict[str, int] = {}
    for site in sites:
        chosen = sheet_for_site(site, sheet)
        if chosen is None or not scored_items(chosen):
            missing[str(site.site_type)] = missing.get(str(site.site_type), 0) + 1
        else:
            plan.append((site, chosen))
    if missing:
        # One short message for the whole draw, not one line per site.
        errors.setdefault("sites", []).append(
            _(
                "%(count)s sites have no score sheet (types: %(types)s): choose a default "
                "score sheet or publish a sheet for these types."
            )
            % {"count": sum(missing.values()), "types": "、".join(missing)}
        )
    if errors:
        raise InvalidInput(_("The inspection cannot be planned."), code="bad_task", fields=errors)
    with transaction.atomic():
        task = InspectionTask.objects.create(
            code=_new_code("JC", InspectionTask, now),
            name=name.strip(),
            kind=kind,
            planned_date=planned_date,
            sheet=sheet,
            draw=draw,
            note=note,
            created_by=by,
        )
        task.team.set(team)
        task.scope_units.set(scope_units)
        task.scope_grids.set(scope_grids)
        SiteResult.objects.bulk_create(
            SiteResult(
                task=task,
                site=site,
                sheet=chosen,
                possible=sum((i.points for i in scored_items(chosen)), Decimal("0")),
                sort_order=n,
            )
            for n, (site, chosen) in enumerate(plan)
        )
    return task


def result_for(task: InspectionTask, site_id: Any) -> SiteResult:
    """The task's result for a site; InvalidInput (``site_not_in_task``) when the site is
    not on the task's list."""
    result = SiteResult.objects.filter(task=task, site_id=site_id).select_related("sheet").first()
    if result is None:
        raise InvalidInput(
            _("This site is not part of the inspection."),
            code="site_not_in_task",
            fields={"site": [_("Choose a site of this inspection.")]},
        )
    return result


def _check_scoring(result: SiteResult, item: SheetItem, by: Any) -> InspectionTask:
    task = InspectionTask.objects.get(pk=result.task_id)
    if by is not None and not permissions.can_score(by, task):
        if task.status not in SCORING_TASK_STATUSES:
            raise Conflict(
                _("This inspection has been submitted; scores can no longer change."),
                code="task_closed",
            )
        raise NotAllowed()
    if task.status not in SCORING_TASK_STATUSES:
        raise Conflict(
            _("This inspection has been submitted; scores can no longer change."),
            code="task_closed",
        )
    if item.sheet_id != result.sheet_id or item.mode == ScoringMode.GROUP:
        raise InvalidInput(
            _("This item is not a scored line of the site's score sheet."),
            code="item_not_in_sheet",
            fields={"item": [_("Choose an item of this sheet.")]},
        )
    return task


def _touch(result: SiteResult, task: InspectionTask, by: Any, now: datetime) -> None:
    """Recompute the result's totals; the first score moves the task to in progress."""
    items = list(SheetItem.objects.filter(sheet_id=result.sheet_id))
    parents = {i.parent_id for i in items if i.parent_id}
    by_id = {i.pk: i for i in items}

    def part_of(item: SheetItem) -> int:
        while item.parent_id is not None:
            item = by_id[item.parent_id]
        return item.pk

    specs = [
        scoring.ItemSpec(i.pk, part_of(i), i.points, i.mode) for i in items if i.pk not in parents
    ]
    deductions: dict[int, list[Decimal]] = {}
    for item_id, points in Deduction.objects.filter(result=result).values_list("item_id", "points"):
        deductions.setdefault(item_id, []).append(points)
    bands = dict(ItemScore.objects.filter(result=result).values_list("item_id", "score"))
    totals = scoring.sheet_totals(specs, deductions, bands)
    status = result.status if result.status == ResultStatus.DONE else ResultStatus.PARTIAL
    SiteResult.objects.filter(pk=result.pk).update(
        obtained=totals.obtained,
        possible=totals.possible,
        lost=totals.lost,
        status=status,
        scored_by=by,
        scored_at=now,
        updated_at=now,
    )
    result.obtained, result.possible, result.lost, result.status = (
        totals.obtained,
        totals.possible,
        totals.lost,
        status,
    )
    if task.status == TaskStatus.PLANNED:
        InspectionTask.objects.filter(pk=task.pk, status=TaskStatus.PLANNED).update(
            status=TaskStatus.IN_PROGRESS, updated_at=now
        )


def record_band(
    result: SiteResult,
    item: SheetItem,
    *,
    band: str,
    score: Any = None,
    note: str = "",
    by: Any,
    now: datetime | None = None,
) -> ItemScore:
    """Judge a banded item (好/中/差, optionally an exact score inside the band)."""
    now = _now(now)
    task = _check_scoring(result, item, by)
    if item.mode != ScoringMode.BAND:
        raise InvalidInput(_("This item is scored by deductions, not bands."), code="not_banded")
    bands = scoring.parse_bands(item.bands, item.points, allow_gaps=True)
    exact = None if score in (None, "") else scoring.to_points(score, field_name="score")
    value = scoring.band_score(bands, band, exact)
    with transaction.atomic():
        row, _created = ItemScore.objects.update_or_create(
            result=result, item=item, defaults={"band": band, "score": value, "note": note}
        )
        _touch(result, task, by, now)
    return row


def add_deduction(
    result: SiteResult,
    item: SheetItem,
    *,
    points: Any,
    note: str,
    by: Any,
    uploads: Sequence[problem_services.Upload] = (),
    lng: float | None = None,
    lat: float | None = None,
    now: datetime | None = None,
) -> Deduction:
    """Record a finding on a deduction item and put it in the ledger as a routed problem.

    The problem (source from the task kind, the site, the item's check item and category,
    the points lost, photos) is made by ``problems.services.report_problem``. Raises
    InvalidInput for a non-positive deduction, one beyond the item's points, a missing
    note or an item without a problem category; Conflict once the task is submitted.
    """
    now = _now(now)
    task = _check_scoring(result, item, by)
    if item.mode != ScoringMode.DEDUCTION:
        raise InvalidInput(_("This item is judged by bands, not deductions."), code="not_deduction")
    amount = scoring.to_points(points)
    already = list(
        Deduction.objects.filter(result=result, item=item).values_list("points", flat=True)
    )
    scoring.check_deduction(item.points, already, amount)
    if not note.strip():
        raise InvalidInput(
            _("Describe what was found."),
            code="missing_note",
            fields={"note": [_("This field is required.")]},
        )
    check_length(note.strip(), column_length(Deduction, "note"), field="note", label=_("Finding"))
    if item.category_id is None:
        raise InvalidInput(
            _("This item has no problem category; set one in the score sheet first."),
            code="item_without_category",
        )
    if lng is not None or lat is not None:
        # Where the inspector stood: plausible like every other point (places.point_to_wgs84).
        lng, lat = point_to_wgs84(lng, lat)
    site = Site.objects.select_related("site_type").get(pk=result.site_id)
    with transaction.atomic():
        problem = problem_services.report_problem(
            source=KIND_SOURCE[InspectionKind(task.kind)],
            category=item.category,
            lng=site.lng,
            lat=site.lat,
            by=by,
            description=f"{item.number} {item.title}：{note.strip()}（{task.code}）",
            address=site.address or site.name,
            site=site,
            check_item=item.check_item,
            uploads=[problem_services.Upload(u.file, u.kind, lng, lat) for u in uploads],
            points_lost=amount,
            external_ref=f"{task.code}/{result.pk}/{item.pk}"[:64],
            now=now,
        )
        deduction = Deduction.objects.create(
            result=result,
            item=item,
            points=amount,
            note=note.strip(),
            problem=problem,
            lng=lng,
            lat=lat,
            found_by=by,
            found_at=now,
        )
        _touch(result, task, by, now)
    return deduction


def finish_result(result: SiteResult, *, by: Any, now: datetime | None = None) -> SiteResult:
    """Mark a site scored. Raises InvalidInput when banded items are still unjudged."""
    now = _now(now)
    task = InspectionTask.objects.get(pk=result.task_id)
    if by is not None and not permissions.can_score(by, task):
        raise NotAllowed()
    items = scored_items(result.sheet)
    judged = set(ItemScore.objects.filter(result=result).values_list("item_id", flat=True))
    missing = [i for i in items if i.mode == ScoringMode.BAND and i.pk not in judged]
    if missing:
        raise InvalidInput(
            _("Judge every banded item first: %(items)s.")
            % {"items": "、".join(f"{i.number} {i.title}" for i in missing)},
            code="bands_missing",
        )
    with transaction.atomic():
        _touch(result, task, by, now)
        SiteResult.objects.filter(pk=result.pk).update(status=ResultStatus.DONE)
        result.status = ResultStatus.DONE
    return result


def submit_task(task: InspectionTask, *, by: Any, now: datetime | None = None) -> InspectionTask:
    """The team hands the inspection in. Every site must be scored."""
    now = _now(now)
    task.refresh_from_db(fields=["status"])
    if by is not None and not permissions.can_submit(by, task):
        raise NotAllowed()
    if task.status not in SCORING_TASK_STATUSES:
        raise Conflict(_("This inspection has already been submitted."), code="task_closed")
    open_sites = task.results.exclude(status=ResultStatus.DONE).count()
    if open_sites:
        raise InvalidInput(
            _("%(n)s sites are not scored yet.") % {"n": open_sites}, code="sites_not_scored"
        )
    if not InspectionTask.objects.filter(pk=task.pk, status__in=SCORING_TASK_STATUSES).update(
        status=TaskStatus.SUBMITTED, submitted_at=now, updated_at=now
    ):
        raise Conflict()
    task.status, task.submitted_at = TaskStatus.SUBMITTED, now
    return task


def review_task(task: InspectionTask, *, by: Any, now: datetime | None = None) -> InspectionTask:
    """The office accepts a submitted inspection."""
    now = _now(now)
    _require_planner(by)
    if not InspectionTask.objects.filter(pk=task.pk, status=TaskStatus.SUBMITTED).update(
        status=TaskStatus.REVIEWED, reviewed_at=now, reviewed_by=by, updated_at=now
    ):
        raise Conflict(_("Only a submitted inspection can be reviewed."), code="not_submitted")
    task.status, task.reviewed_at, task.reviewed_by = TaskStatus.REVIEWED, now, by
    return task


# Sampling -----------------------------------------------------------------------------


def district_of(unit_paths: Mapping[int, str], districts: Sequence[OrgUnit]) -> dict[int, int]:
    """Map unit id → id of the district above it (by path)."""
    out: dict[int, int] = {}
    for unit_id, path in unit_paths.items():
        for district in districts:
            if path.startswith(district.path):
                out[unit_id] = district.pk
                break
    return out


def sampling_candidates(
    *, exclude_days: int | None, now: datetime
) -> tuple[list[sampling.Candidate], set[int]]:
    """Operating sites with their type code and district, and the ids inspected recently.

    Sites outside every grid are left out: a deduction there could not be routed to a
    handler (the sites page flags them for correction)."""
    districts = list(OrgUnit.objects.filter(kind__in=[OrgUnitKind.DISTRICT, OrgUnitKind.ZONE]))
    rows = list(
        Site.objects.filter(status="operating", outside_grid=False).values_list(
            "pk", "site_type__code", "unit_id", "unit__path"
        )
    )
    district = district_of({r[2]: r[3] for r in rows}, districts)
    candidates = [
        sampling.Candidate(pk, type_code, district[unit_id])
        for pk, type_code, unit_id, _path in rows
        if unit_id in district
    ]
    recent: set[int] = set()
    if exclude_days:
        recent = set(
            SiteResult.objects.filter(
                scored_at__gte=now - timedelta(days=exclude_days), status=ResultStatus.DONE
            ).values_list("site_id", flat=True)
        )
    return candidates, recent


def draw_sample(
    *,
    name: str,
    quotas: Mapping[tuple[str, int], int],
    seed: int | None = None,
    exclude_days: int | None = None,
    by: Any,
    now: datetime | None = None,
) -> SamplingDraw:
    """Draw and record sites for a mock covert inspection. Raises InvalidInput for negative
    quotas, all-zero quotas or a negative day count."""
    now = _now(now)
    _require_planner(by)
    if any(n < 0 for n in quotas.values()) or (exclude_days is not None and exclude_days < 0):
        raise InvalidInput(_("Quotas and days cannot be negative."), code="negative_quota")
    if not any(quotas.values()):
        raise InvalidInput(_("Set at least one quota above zero."), code="empty_quota")
    seed = seed if seed is not None else secrets.randbelow(10**9)
    candidates, recent = sampling_candidates(exclude_days=exclude_days, now=now)
    draw = sampling.draw_sites(candidates, quotas, seed=seed, exclude=recent)
    return SamplingDraw.objects.create(
        code=_new_code("CY", SamplingDraw, now),
        name=name.strip() or str(_("Sampling draw")),
        seed=seed,
        quotas=[
            {"site_type": t, "district": d, "count": n} for (t, d), n in sorted(quotas.items()) if n
        ],
        exclude_days=exclude_days,
        site_ids=draw.site_ids,
        shortfalls=[
            {"site_type": t, "district": d, "wanted": w, "found": f}
            for t, d, w, f in draw.shortfalls
        ],
        drawn_at=now,
        drawn_by=by,
    )


# Patrols ------------------------------------------------------------------------------


def check_in(
    *, by: Any, lng: Any, lat: Any, note: str = "", crs: str = "wgs84", now: datetime | None = None
) -> PatrolCheckin:
    """A grid worker's patrol check-in at a point; the grid is found from the point (a point
    outside every grid is kept with no grid). Raises NotAllowed, InvalidInput."""
    now = _now(now)
    if by is None or not permissions.can_patrol(by):
        raise NotAllowed()
    if lng in (None, "") or lat in (None, ""):
        raise InvalidInput(
            _("The location is required."),
            code="missing_location",
            fields={"lng": [_("The location is required.")]},
        )
    lng, lat = point_to_wgs84(lng, lat, crs)
    check_length(note, column_length(PatrolCheckin, "note"), field="note", label=_("Note"))
    grid = locate_grid(lng, lat)
    return PatrolCheckin.objects.create(worker=by, grid=grid, lng=lng, lat=lat, at=now, note=note)


PATROL_SOURCE = ProblemSource.GRID_PATROL
