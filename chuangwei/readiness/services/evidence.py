"""Readiness services: the evidence dossier (台账资料).

- Requirements (应备材料): what a check item requires, from which units and how often. The
  office keeps them; a requirement of a retired standard version is refused.
- Evidence: a unit files one record per requirement and period, with its files; the office
  approves it or returns it with a remark; a returned record is filed again (the round goes
  up, the earlier files and every step stay: ``EvidenceFile.round``, ``EvidenceEvent``).
- Reminders: units that still owe evidence hear about it N days before the next stage.

Every refusal raises a DomainError and writes nothing (files are checked before any is
stored).
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.choices import Role
from chuangwei.accounts.permissions import is_handler, is_office, users_with_roles
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.limits import check_length, column_length
from chuangwei.core.models import user_scope
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.standards.choices import VersionStatus
from chuangwei.standards.models import StandardClause

from .. import dossier
from ..choices import EvidenceAction, EvidenceStatus, Frequency, StageStatus
from ..models import (
    EvaluationStage,
    Evidence,
    EvidenceEvent,
    EvidenceFile,
    EvidenceRequirement,
)
from ..uploads import EXTENSIONS, CheckedFile, check_upload

# Requirements -------------------------------------------------------------------------------


def _require_office(by: Any, message: Any = None) -> None:
    if not is_office(by):
        raise NotAllowed(message or _("Only the office keeps the evidence requirements."))


def _refuse_retired(clause: StandardClause, field_name: str = "clause") -> None:
    if clause.version.status == VersionStatus.RETIRED:
        raise InvalidInput(
            _("The standard version %(version)s is retired: nothing more is filed under it.")
            % {"version": clause.version.name},
            code="retired_version",
            fields={
                field_name: [_("This check item belongs to a retired version of the standard.")]
            },
        )


def requirement_faults(
    requirement: EvidenceRequirement, *, units: Sequence[OrgUnit] | None = None
) -> dict[str, list[Any]]:
    """Every fault of a requirement's fields (empty: none). The import lists them per row."""
    errors: dict[str, list[Any]] = {}
    requirement.title = (requirement.title or "").strip()
    if not requirement.title:
        errors["title"] = [_("Name the material to be kept.")]
    elif len(requirement.title) > column_length(EvidenceRequirement, "title"):
        errors["title"] = [_("The name is too long.")]
    if requirement.frequency not in Frequency.values:
        errors["frequency"] = [_("Choose a frequency.")]
    kinds = list(requirement.unit_kinds or [])
    bad = [k for k in kinds if k not in OrgUnitKind.values]
    if bad:
        errors["unit_kinds"] = [
            _("Unknown kind of unit: %(kinds)s.") % {"kinds": ", ".join(map(str, bad))}
        ]
    elif not kinds and not units:
        errors["unit_kinds"] = [_("Name the kinds of unit or the units that keep it.")]
    return errors


def save_evidence_requirement(
    requirement: EvidenceRequirement,
    *,
    by: Any,
    units: Iterable[OrgUnit] | None = None,
    now: datetime | None = None,
) -> EvidenceRequirement:
    """Create or update a requirement (office only). ``units`` replaces the named units when
    given. Raises InvalidInput naming every faulty field, and ``retired_version`` for a
    check item of a retired version."""
    _require_office(by)
    unit_list = list(units) if units is not None else None
    if requirement.clause_id is None:
        raise InvalidInput(fields={"clause": [_("Choose the check item.")]})
    _refuse_retired(requirement.clause)
    named = (
        unit_list
        if unit_list is not None
        else (list(requirement.units.all()) if requirement.pk else [])
    )
    errors = requirement_faults(requirement, units=named)
    if errors:
        raise InvalidInput(code="bad_requirement", fields=errors)
    requirement.unit_kinds = list(dict.fromkeys(requirement.unit_kinds or []))
    with transaction.atomic():
        if requirement.pk is None and now is not None:
            requirement.created_at = now
        requirement.save()
        if unit_list is not None:
            requirement.units.set(unit_list)
    return requirement


def deactivate_evidence_requirement(
    requirement: EvidenceRequirement, *, by: Any
) -> EvidenceRequirement:
    """Stop expecting a requirement (its records stay). Conflict when already inactive."""
    _require_office(by)
    if not EvidenceRequirement.objects.filter(pk=requirement.pk, is_active=True).update(
        is_active=False, updated_at=timezone.now()
    ):
        raise Conflict(_("This requirement is already inactive."), code="already_inactive")
    requirement.refresh_from_db()
    return requirement


def create_evidence_requirements(
    rows: Sequence[tuple[EvidenceRequirement, list[OrgUnit]]], *, by: Any
) -> int:
    """Create the requirements of a checked import, all or none."""
    _require_office(by)
    with transaction.atomic():
        for requirement, units in rows:
            save_evidence_requirement(requirement, by=by, units=units)
    return len(rows)


# Filing and review ----------------------------------------------------------------------------


def max_file_bytes() -> int:
    return int(settings.CHUANGWEI_EVIDENCE_MAX_MB) * 1024 * 1024


def can_file_for(user: Any, unit: OrgUnit) -> bool:
    """Whether ``user`` files evidence for ``unit``: the office for any unit, a handler for
    the units of their subtree."""
    if is_office(user):
        return True
    scope = user_scope(user)
    return scope is not None and is_handler(user) and scope.covers_path(unit.path)


def expects(requirement: EvidenceRequirement, unit: OrgUnit) -> bool:
    return (
        unit.kind in (requirement.unit_kinds or []) or requirement.units.filter(pk=unit.pk).exists()
    )


def check_files(uploads: Sequence[Any]) -> list[CheckedFile]:
    """Check every upload; InvalidInput ``bad_files`` naming each bad file and why."""
    limit = max_file_bytes()
    checked: list[CheckedFile] = []
    faults: list[Any] = []
    messages = {
        "bad_type": gettext("%(name)s: this type of file is not accepted (accepted: %(types)s)."),
        "type_mismatch": gettext("%(name)s: the content is not what its extension says."),
        "too_large": gettext("%(name)s: the file is larger than %(mb)s MB."),
        "empty": gettext("%(name)s: the file is empty."),
    }
    for upload in uploads:
        ok, code = check_upload(upload, max_bytes=limit)
        if ok is None:
            faults.append(
                messages[code]
                % {
                    "name": getattr(upload, "name", "?"),
                    "types": ", ".join(EXTENSIONS),
                    "mb": settings.CHUANGWEI_EVIDENCE_MAX_MB,
                }
            )
        else:
            checked.append(ok)
    if not uploads:
        faults.append(gettext("Attach at least one file."))
    if faults:
        raise InvalidInput(
            _("No file was filed: fix the files listed and upload them again."),
            code="bad_files",
            fields={"files": faults},
        )
    return checked


def _store_files(
    evidence: Evidence, files: Sequence[CheckedFile], *, by: Any, now: datetime
) -> None:
    folder = f"{evidence.year or dossier.ONCE}/{evidence.pk}/r{evidence.round}"
    for checked in files:
        digest = hashlib.sha256()
        checked.file.seek(0)
        while chunk := checked.file.read(64 * 1024):
            digest.update(chunk)
        checked.file.seek(0)
        base = get_valid_filename(posixpath.basename(checked.name)) or "file"
        row = EvidenceFile(
            evidence=evidence,
            name=checked.name[:200],
            size=checked.size,
            content_type=checked.content_type,
            sha256=digest.hexdigest(),
            round=evidence.round,
            uploaded_by=by,
            uploaded_at=now,
        )
        row.file.save(f"{folder}/{base}", checked.file, save=False)
        row.save()


def _event(
    evidence: Evidence, action: str, *, from_status: str, by: Any, now: datetime, remark: str = ""
) -> EvidenceEvent:
    return EvidenceEvent.objects.create(
        evidence=evidence,
        action=action,
        from_status=from_status,
        to_status=evidence.status,
        round=evidence.round,
        remark=remark,
        actor=by,
        created_at=now,
    )


def submit_evidence(
    requirement: EvidenceRequirement,
    *,
    unit: OrgUnit,
    period: str,
    files: Sequence[Any],
    note: str = "",
    by: Any,
    now: datetime | None = None,
) -> Evidence:
    """File evidence for ``requirement`` by ``unit`` for ``period`` (or file it again after a
    return: the round goes up, the earlier files stay).

    Raises NotAllowed (not the office, nor a handler of the unit's subtree), InvalidInput
    (``retired_version``, an inactive requirement, a unit or period the requirement does not
    expect, ``bad_files`` naming each bad file) and Conflict (already awaiting review or
    approved). Nothing is written or stored on any refusal.
    """
    if not can_file_for(by, unit):
        raise NotAllowed(_("You do not file evidence for this unit."))
    now = now or timezone.now()
    _refuse_retired(requirement.clause, "requirement")
    errors: dict[str, list[Any]] = {}
    if not requirement.is_active:
        errors["requirement"] = [_("This requirement is no longer active.")]
    if not expects(requirement, unit):
        errors["unit"] = [_("This requirement does not expect evidence from this unit.")]
    if not dossier.is_period_of(period, requirement.frequency):
        errors["period"] = [_("This is not a period of the requirement.")]
    note = (note or "").strip()
    check_length(note, 2000, field="note", label=_("Note"))
    if errors:
        raise InvalidInput(code="bad_evidence", fields=errors)
    checked = check_files(files)
    with transaction.atomic():
        existing = Evidence.objects.filter(
            requirement=requirement, unit=unit, period=period
        ).first()
        if existing is None:
            try:
                with transaction.atomic():
                    evidence = Evidence.objects.create(
                        requirement=requirement,
                        unit=unit,
                        period=period,
                        year=dossier.period_year(period),
                        status=EvidenceStatus.PENDING,
                        note=note,
                        round=1,
                        submitted_by=by,
                        submitted_at=now,
                        created_at=now,
                    )
            except IntegrityError as exc:
                raise Conflict() from exc
            _event(evidence, EvidenceAction.SUBMIT, from_status="", by=by, now=now)
        else:
            if existing.status != EvidenceStatus.RETURNED:
                raise Conflict(
                    _(
                        "This evidence is already filed (%(status)s); it can be filed again only "
                        "after a return."
                    )
                    % {"status": existing.get_status_display()},
                    code="already_filed",
                )
            moved = Evidence.objects.filter(
                pk=existing.pk, status=EvidenceStatus.RETURNED, round=existing.round
            ).update(
                status=EvidenceStatus.PENDING,
                round=existing.round + 1,
                note=note,
                submitted_by=by,
                submitted_at=now,
                reviewed_by=None,
                reviewed_at=None,
                remark="",
                updated_at=now,
            )
            if not moved:
                raise Conflict()
            evidence = Evidence.objects.get(pk=existing.pk)
            _event(
                evidence,
                EvidenceAction.RESUBMIT,
                from_status=EvidenceStatus.RETURNED,
                by=by,
                now=now,
            )
        _store_files(evidence, checked, by=by, now=now)
    return evidence


def _review(
    evidence: Evidence,
    *,
    to: str,
    action: str,
    remark: str,
    by: Any,
    now: datetime | None,
) -> Evidence:
    _require_office(by, _("Only the office reviews evidence."))
    now = now or timezone.now()
    with transaction.atomic():
        if not Evidence.objects.filter(pk=evidence.pk, status=EvidenceStatus.PENDING).update(
            status=to, reviewed_by=by, reviewed_at=now, remark=remark, updated_at=now
        ):
            raise Conflict(_("This evidence is not awaiting review."), code="not_pending")
        evidence.refresh_from_db()
        event = _event(
            evidence, action, from_status=EvidenceStatus.PENDING, by=by, now=now, remark=remark
        )
        _notify_unit(evidence, event, now=now)
    return evidence


def approve_evidence(
    evidence: Evidence, *, by: Any, remark: str = "", now: datetime | None = None
) -> Evidence:
    """Approve evidence awaiting review (office only). Conflict when not awaiting review."""
    remark = (remark or "").strip()
    check_length(remark, 2000, field="remark", label=_("Remark"))
    return _review(
        evidence,
        to=EvidenceStatus.APPROVED,
        action=EvidenceAction.APPROVE,
        remark=remark,
        by=by,
        now=now,
    )


def return_evidence(
    evidence: Evidence, *, remark: str, by: Any, now: datetime | None = None
) -> Evidence:
    """Return evidence awaiting review to its unit with the reviewer's remark (required).
    The unit's handlers are told; the unit files it again."""
    _require_office(by, _("Only the office reviews evidence."))
    remark = (remark or "").strip()
    if not remark:
        raise InvalidInput(
            code="missing_remark",
            fields={"remark": [_("Say what is wrong: a returned record needs a remark.")]},
        )
    check_length(remark, 2000, field="remark", label=_("Remark"))
    return _review(
        evidence,
        to=EvidenceStatus.RETURNED,
        action=EvidenceAction.RETURN,
        remark=remark,
        by=by,
        now=now,
    )


def _unit_handlers(unit_id: int) -> list[Any]:
    return list(users_with_roles(Role.HANDLER, unit_ids=[unit_id]))


def _notify_unit(evidence: Evidence, event: EvidenceEvent, *, now: datetime) -> None:
    if event.action != EvidenceAction.RETURN:
        return
    from chuangwei.notifications.services import notify

    users = [u for u in _unit_handlers(evidence.unit_id) if u.pk != event.actor_id]
    if not users:
        return
    notify(
        users,
        title=gettext("Evidence returned: %(material)s (%(period)s)")
        % {"material": evidence.requirement.title, "period": evidence.period},
        body=event.remark[:200],
        link=reverse("readiness:evidence_detail", args=[evidence.pk]),
        level="warning",
        source="readiness.EvidenceEvent",
        source_id=event.pk,
        dedupe_key=f"evidence-event:{event.pk}",
        now=now,
    )


# Reminders ------------------------------------------------------------------------------------


@dataclass
class ReminderResult:
    """What one reminder round did: the stage it looked at and the units it told."""

    stage: EvaluationStage | None = None
    units: int = 0
    messages: int = 0
    missing: dict[int, int] = field(default_factory=dict)


def next_stage(today: date) -> EvaluationStage | None:
    """The current cycle's next stage not done whose date is today or later."""
    return (
        EvaluationStage.objects.filter(cycle__is_current=True, due_on__gte=today)
        .exclude(status=StageStatus.DONE)
        .select_related("cycle__standard_version")
        .order_by("due_on", "sort_order", "pk")
        .first()
    )


def remind_missing_evidence(
    *, now: datetime | None = None, days: int | None = None
) -> ReminderResult:
    """Tell each unit that still owes evidence, ``days`` (default: the setting
    CHUANGWEI_EVIDENCE_REMIND_DAYS) or fewer before the next stage's date.

    Owed: a cell of this year's grid (the stage's dossier sections when it names any) whose
    period has begun and that is missing or returned. The unit's handlers get one notice per
    stage, unit and day (the dedupe key), so a rerun the same day sends nothing more.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = settings.CHUANGWEI_EVIDENCE_REMIND_DAYS if days is None else days
    result = ReminderResult()
    stage = next_stage(today)
    if stage is None or (stage.due_on - today) > timedelta(days=days):
        return result
    result.stage = stage
    sections = list(stage.dossier_clauses.all())
    grid = dossier.dossier_completeness(
        year=today.year,
        clauses=sections or None,
        version=stage.cycle.standard_version,
    )
    owed: dict[int, int] = {}
    begun = {
        p for row in grid.rows for p in row.periods if (dossier.period_start(p) or today) <= today
    }
    for cell in grid.cells():
        if cell.period in begun and cell.state in (dossier.MISSING, EvidenceStatus.RETURNED):
            owed[cell.unit_id] = owed.get(cell.unit_id, 0) + 1
    result.missing = owed
    link = reverse("readiness:evidence_mine") + f"?year={today.year}"
    left = (stage.due_on - today).days
    for unit_id, count in sorted(owed.items()):
        users = _unit_handlers(unit_id)
        if not users:
            continue
        sent = _send_reminder(users, stage, unit_id, count, left, link, today, now)
        if sent:
            result.units += 1
            result.messages += sent
    return result


def _send_reminder(
    users: list[Any],
    stage: EvaluationStage,
    unit_id: int,
    count: int,
    left: int,
    link: str,
    today: date,
    now: datetime,
) -> int:
    from chuangwei.notifications.services import notify

    created = notify(
        users,
        title=gettext("%(stage)s in %(days)s days: %(count)s evidence records still missing")
        % {"stage": stage.name, "days": left, "count": count},
        body=gettext("File the missing evidence before %(date)s.")
        % {"date": stage.due_on.isoformat()},
        link=link,
        level="warning",
        source="readiness.EvaluationStage",
        source_id=stage.pk,
        dedupe_key=f"evidence-remind:{stage.pk}:{unit_id}:{today.isoformat()}",
        now=now,
    )
    return len(created)
