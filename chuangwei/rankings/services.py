"""Writes of the rankings app: schemes, snapshots (compute, publish) and accountability."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.models import delete_row
from chuangwei.problems.models import Problem

from . import scoring, selectors
from .choices import ObjectKind, SnapshotStatus
from .models import AccountabilityRecord, RankingEntry, RankingScheme, RankingSnapshot
from .periods import Period


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require_office(by: Any) -> None:
    """Rankings and accountability are the office's business. ``by=None`` is the worker."""
    if by is not None and not is_office(by):
        raise NotAllowed(_("Only the office can do this."), code="office_only")


# Schemes --------------------------------------------------------------------------------


def _check_bands(value: Any, name: str, label_ok: bool) -> list[list[Any]]:
    error = InvalidInput(
        _("Bands must be a list of [number, value] pairs."),
        code="bad_bands",
        fields={name: [_('Enter pairs such as [[90, "A"], [75, "B"]].')]},
    )
    if not isinstance(value, list):
        raise error
    bands: list[list[Any]] = []
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise error
        bound, result = pair
        if not isinstance(bound, (int, float)) or isinstance(bound, bool):
            raise error
        if label_ok:
            if not isinstance(result, str) or not result:
                raise error
        elif not isinstance(result, (int, float)) or not 0 <= result <= 100:
            raise error
        bands.append([bound, result])
    return bands


def save_scheme(scheme: RankingScheme, *, by: Any) -> RankingScheme:
    """Validate weights (known metrics, numbers ≥ 0, some positive) and bands, then save.
    A default scheme replaces the previous default of its kind."""
    _require_office(by)
    if scheme.object_kind not in ObjectKind.values:
        raise InvalidInput(_("Unknown kind of ranked objects."), code="bad_kind")
    weights = scheme.weights
    known = set(selectors.METRICS) | set(selectors.SCORE_ONLY)
    scorable = {k for k, m in selectors.METRICS.items() if m.kind in ("rate", "negrate")}
    scorable.add("registered_score")
    if not isinstance(weights, dict) or not weights:
        raise InvalidInput(
            _("Give at least one weight."),
            code="bad_weights",
            fields={"weights": [_("Give at least one weight.")]},
        )
    for key, weight in weights.items():
        if key not in known or key not in scorable:
            raise InvalidInput(
                _("“%(key)s” is not a metric that can be weighted.") % {"key": key},
                code="bad_weights",
                fields={"weights": [_("Unknown metric: %(key)s") % {"key": key}]},
            )
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            raise InvalidInput(
                _("Weights must be numbers of at least 0."),
                code="bad_weights",
                fields={"weights": [_("Weights must be numbers of at least 0.")]},
            )
    if not sum(float(w) for w in weights.values()):
        raise InvalidInput(
            _("At least one weight must be above 0."),
            code="bad_weights",
            fields={"weights": [_("At least one weight must be above 0.")]},
        )
    scheme.count_bands = _check_bands(scheme.count_bands or [], "count_bands", False)
    scheme.grade_bands = _check_bands(
        scheme.grade_bands or scoring.DEFAULT_GRADES, "grade_bands", True
    )
    with transaction.atomic():
        if scheme.is_default:
            RankingScheme.objects.filter(object_kind=scheme.object_kind, is_default=True).exclude(
                pk=scheme.pk
            ).update(is_default=False)
        scheme.save()
    return scheme


def delete_scheme(scheme: RankingScheme, *, by: Any) -> None:
    """Delete a scheme. Raises InUse while snapshots computed with it exist."""
    _require_office(by)
    delete_row(scheme)


def default_scheme(kind: str) -> RankingScheme:
    """The default scheme of ``kind``, created from the preset when there is none."""
    from .presets import preset_values

    scheme = RankingScheme.objects.filter(object_kind=kind, is_default=True).first()
    if scheme is None:
        scheme = RankingScheme(**preset_values(kind), is_default=True)
        scheme.save()
    return scheme


# Snapshots ------------------------------------------------------------------------------


def _previous_ranks(scheme: RankingScheme, period: Period) -> dict[int, int]:
    prev = period.previous()
    snap = (
        RankingSnapshot.objects.filter(
            scheme=scheme, period_kind=period.kind, start=prev.start, end=prev.end
        )
        .order_by("-status", "-computed_at")  # published before draft
        .first()
    )
    if snap is None:
        return {}
    return {
        int(pk): int(rank)
        for pk, rank in snap.entries.filter(rank__isnull=False).values_list("object_id", "rank")
    }


def rank_entries(
    scheme: RankingScheme,
    objects: list[selectors.RankedObject],
    values: dict[int, dict[str, Any]],
    previous: dict[int, int],
) -> list[RankingEntry]:
    """Score and rank: higher score first, ties share a rank (1, 2, 2, 4), objects without
    any activity in the period are listed unranked."""
    kinds = selectors.kinds_of_metric()
    scored: list[tuple[float | None, selectors.RankedObject, dict[str, Any], dict[str, float]]] = []
    for obj in objects:
        vals = values.get(obj.pk)
        if vals is None or not (
            vals.get("registered") or vals.get("valid_report_rate") is not None
        ):
            scored.append((None, obj, vals or {}, {}))
            continue
        score, parts = scoring.composite(vals, scheme.weights, kinds, scheme.count_bands)
        scored.append((score, obj, vals, parts))
    scored.sort(key=lambda s: (s[0] is None, -(s[0] or 0), s[1].name))
    entries: list[RankingEntry] = []
    rank = 0
    last: float | None = None
    for index, (score, obj, vals, parts) in enumerate(scored, start=1):
        if score is not None and score != last:
            rank, last = index, score
        entries.append(
            RankingEntry(
                object_id=obj.pk,
                name=obj.name,
                parent_name=obj.parent_name,
                rank=rank if score is not None else None,
                score=Decimal(str(score)) if score is not None else None,
                grade=scoring.grade_for(score, scheme.grade_bands) if score is not None else "",
                previous_rank=previous.get(obj.pk),
                metrics=vals,
                parts=parts,
            )
        )
    return entries


def scheme_metrics(scheme: RankingScheme) -> set[str]:
    """The metrics a snapshot of ``scheme`` computes and stores."""
    if scheme.object_kind == ObjectKind.REPORTER:
        metrics = set(scheme.weights) | {"valid_report_rate"}
    else:
        metrics = set(scheme.weights) | {"registered", "closure_rate", "on_time_rate"}
    return metrics & set(selectors.METRICS)


def compute_snapshots(
    schemes: list[RankingScheme],
    period: Period,
    *,
    by: Any = None,
    now: datetime | None = None,
) -> list[RankingSnapshot]:
    """Compute the rankings of ``schemes`` for ``period`` into their draft snapshots
    (created or recomputed in place: running it twice leaves one draft per scheme).
    The metrics of all schemes are computed together, one query per metric group for all
    kinds of objects. Published snapshots are never touched."""
    _require_office(by)
    now = _now(now)
    wanted = {scheme.pk: scheme_metrics(scheme) for scheme in schemes}
    dimensions = [selectors.KIND_DIMENSION[scheme.object_kind] for scheme in schemes]
    union = set().union(*wanted.values()) if wanted else set()
    computed = selectors.compute_metrics_for(dimensions, period.start_at, period.end_at, union)
    snapshots = []
    for scheme in schemes:
        metrics = wanted[scheme.pk]
        dimension = selectors.KIND_DIMENSION[scheme.object_kind]
        # Keep only the scheme's metrics (others may be partial for this scheme's needs).
        values = {
            pk: {k: v for k, v in vals.items() if k in metrics}
            for pk, vals in computed[dimension].items()
        }
        snapshots.append(_store(scheme, period, metrics, values, now))
    return snapshots


def compute_snapshot(
    scheme: RankingScheme, period: Period, *, by: Any = None, now: datetime | None = None
) -> RankingSnapshot:
    """Compute the ranking of one scheme for ``period`` into its draft snapshot."""
    return compute_snapshots([scheme], period, by=by, now=now)[0]


def _store(
    scheme: RankingScheme,
    period: Period,
    metrics: set[str],
    values: dict[int, dict[str, Any]],
    now: datetime,
) -> RankingSnapshot:
    kind = scheme.object_kind
    objects = selectors.ranked_objects(kind)
    entries = rank_entries(scheme, objects, values, _previous_ranks(scheme, period))
    used = {
        "weights": scheme.weights,
        "count_bands": scheme.count_bands,
        "grade_bands": scheme.grade_bands,
        "list_size": scheme.list_size,
        "metrics": sorted(metrics),
    }
    with transaction.atomic():
        snapshot, _created = RankingSnapshot.objects.select_for_update().get_or_create(
            scheme=scheme,
            period_kind=period.kind,
            start=period.start,
            end=period.end,
            status=SnapshotStatus.DRAFT,
            defaults={
                "object_kind": kind,
                "label": period.label,
                "computed_at": now,
                "settings_used": used,
            },
        )
        snapshot.computed_at = now
        snapshot.settings_used = used
        snapshot.label = period.label
        snapshot.save(update_fields=["computed_at", "settings_used", "label", "updated_at"])
        snapshot.entries.all().delete()
        for entry in entries:
            entry.snapshot = snapshot
        RankingEntry.objects.bulk_create(entries, batch_size=1000)
    return snapshot


def publish_snapshot(
    snapshot: RankingSnapshot, *, by: Any, now: datetime | None = None
) -> RankingSnapshot:
    """Freeze a draft: from now on it is the published list and never recomputed."""
    _require_office(by)
    now = _now(now)
    updated = RankingSnapshot.objects.filter(pk=snapshot.pk, status=SnapshotStatus.DRAFT).update(
        status=SnapshotStatus.PUBLISHED, published_at=now, published_by=by, updated_at=now
    )
    if not updated:
        raise Conflict(_("This snapshot is already published."), code="already_published")
    snapshot.refresh_from_db()
    return snapshot


def delete_snapshot(snapshot: RankingSnapshot, *, by: Any) -> None:
    """Drafts may be deleted; published snapshots are a record and stay."""
    _require_office(by)
    if snapshot.is_published:
        raise Conflict(_("A published snapshot cannot be deleted."), code="published_snapshot")
    snapshot.delete()


# Accountability ---------------------------------------------------------------------------


def save_accountability_record(
    record: AccountabilityRecord,
    *,
    by: Any,
    problems: Iterable[Problem] | None = None,
    inspection_refs: Any = None,
    now: datetime | None = None,
) -> AccountabilityRecord:
    """Validate then save a record: a target unit, a reason, a deadline not before the
    issue date, a person of the target unit's subtree, inspection references as strings.
    ``inspection_refs`` and ``problems`` (when given) replace the record's own."""
    _require_office(by)
    if inspection_refs is not None:
        record.inspection_refs = inspection_refs
    errors: dict[str, list[Any]] = {}
    if not (record.reason or "").strip():
        errors["reason"] = [_("Give the reason.")]
    if record.deadline and record.issued_on and record.deadline < record.issued_on:
        errors["deadline"] = [_("The deadline cannot be before the issue date.")]
    person = record.person if record.person_id else None
    if person is not None and record.unit_id:
        if not person.unit.path.startswith(record.unit.path):
            errors["person"] = [_("The person does not belong to the target unit.")]
    refs = record.inspection_refs
    if refs in (None, ""):
        refs = []
    if isinstance(refs, str):
        refs = [r.strip() for r in refs.replace("，", ",").split(",") if r.strip()]
    if not isinstance(refs, list) or not all(isinstance(r, (str, int)) for r in refs):
        errors["inspection_refs"] = [_("Give inspection references as a list.")]
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), code="invalid", fields=errors)
    record.inspection_refs = [str(r) for r in refs]
    if record.issued_on is None:
        record.issued_on = timezone.localdate(_now(now))
    if record.pk is None and by is not None:
        record.created_by = by
    with transaction.atomic():
        record.save()
        if problems is not None:
            record.problems.set(list(problems))
    return record


def delete_accountability_record(record: AccountabilityRecord, *, by: Any) -> None:
    """Delete a record entered by mistake (office only)."""
    _require_office(by)
    delete_row(record)
