"""Every write to a problem. One function per action; each transition is a guarded update
plus one event row in the same transaction; notifications go out after commit.

Callers (HTML views, the API, importers, inspections, Open311, workers) pass the actor as
``by`` and may pass ``now``. Errors are DomainError subclasses; on any error nothing changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts import permissions as who
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.limits import check_length
from chuangwei.core.models import delete_row
from chuangwei.lib import geo
from chuangwei.places.services import grid_index, point_to_wgs84
from chuangwei.standards.models import ProblemCategory

from . import deadlines, limits, photos, stats, workflow
from .choices import (
    CONFIRMED_SOURCES,
    PhotoKind,
    ProblemAction,
    ProblemSource,
    ProblemStatus,
    RequestKind,
    RequestStatus,
)
from .models import CalendarDay, DeadlineRule, Problem, ProblemEvent, ProblemRequest
from .permissions import can_report, covers_problem
from .selectors import find_recurrence_of

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class StaleTransition(Conflict):
    code = "stale"
    default_message = _("Someone else acted on this problem first. Reload and try again.")


@dataclass
class Upload:
    """A photo to attach: the uploaded file plus what the phone said about it."""

    file: Any
    kind: str = PhotoKind.BEFORE
    client_lng: float | None = None
    client_lat: float | None = None


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _actor_name(by: Any) -> str:
    return str(by) if by is not None else ""


def _new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def _roles(by: Any) -> tuple[set[str], bool]:
    if by is None:
        return set(), False
    return set(by.scope.roles), bool(by.is_superuser)


def _is_unit_member(by: Any, problem: Problem) -> bool:
    """The actor handles the problem's responsible unit or its department (or above it)."""
    return by is not None and covers_problem(by, problem)


def _record(
    problem: Problem,
    action: str,
    *,
    by: Any,
    now: datetime,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    payload: dict[str, Any] | None = None,
    is_public: bool = False,
) -> ProblemEvent:
    event = ProblemEvent.objects.create(
        problem=problem,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=by,
        actor_name=_actor_name(by),
        unit_id=problem.unit_id,
        created_at=now,
        note=note,
        payload=payload or {},
        is_public=is_public,
    )
    transaction.on_commit(partial(_notify_after_commit, event.pk))
    return event


def _notify_after_commit(event_pk: int) -> None:
    from .notify import notify_event

    notify_event(event_pk)


def _transition(
    problem: Problem,
    action: str,
    *,
    by: Any,
    now: datetime,
    note: str = "",
    given: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    is_public: bool = False,
) -> ProblemEvent:
    """Check the step, move the row with a guarded update and record the event.

    Raises TransitionNotAllowed, ActionForbidden, NotAllowed, InvalidInput or StaleTransition.
    """
    roles, superuser = _roles(by)
    step = workflow.require(action, problem.status, roles, is_superuser=superuser)
    if step.unit_member and not _is_unit_member(by, problem):
        raise workflow.ActionForbidden()
    if step.not_submitter and by is not None and problem.submitted_by_id == by.pk:
        raise NotAllowed(
            _("The person who submitted the rectification cannot verify it."),
            code="verifier_is_submitter",
        )
    check_length(note, limits.NOTE, field="note", label=_("Note"))
    missing = workflow.missing_fields(step, {"note": note, **(given or {})})
    if missing:
        raise InvalidInput(
            _("Required information is missing."),
            code="missing_fields",
            fields={name: [_("This field is required.")] for name in missing},
        )
    target = step.target or problem.status
    values = {"status": target, "updated_at": now, **(changes or {})}
    with transaction.atomic():
        updated = Problem.objects.filter(
            pk=problem.pk, status=problem.status, version=problem.version
        ).update(version=F("version") + 1, **values)
        if not updated:
            raise StaleTransition()
        from_status = problem.status
        counted = stats.contributions(problem)
        for key, value in values.items():
            setattr(problem, key, value)
        problem.version += 1
        stats.apply(counted, stats.contributions(problem))
        event = _record(
            problem,
            action,
            by=by,
            now=now,
            from_status=from_status,
            to_status=target if step.moves() else "",
            note=note,
            payload=payload,
            is_public=is_public,
        )
    return event


# Reporting ---------------------------------------------------------------------------


def route(category: ProblemCategory, lng: float, lat: float) -> dict[str, Any]:
    """Grid, responsible unit, department and work line for a WGS-84 point and category.

    Raises InvalidInput (``outside_grids``) when the point lies in no grid.
    """
    grid_id = grid_index().locate(lng, lat)
    if grid_id is None:
        # One message for the one fault: the field repeats it rather than adding a second.
        message = _("The location lies outside every grid of the city. Check the point on the map.")
        raise InvalidInput(message, code="outside_grids", fields={"lng": [message]})
    from chuangwei.places.models import Grid

    grid = Grid.objects.select_related("unit").get(pk=grid_id)
    work_line = category.default_work_line
    department = category.default_department or (work_line.lead_department if work_line else None)
    return {"grid": grid, "unit": grid.unit, "department": department, "work_line": work_line}


def route_to_unit(category: ProblemCategory, unit: Any) -> dict[str, Any]:
    """Routing of a problem without a point (it concerns a unit, a site or an article, e.g.
    an item of a stage's feedback list): the named unit, no grid, and the category's
    department and work line as ``route`` gives them."""
    work_line = category.default_work_line
    department = category.default_department or (work_line.lead_department if work_line else None)
    return {"grid": None, "unit": unit, "department": department, "work_line": work_line}


def _check_category(category: Any) -> ProblemCategory:
    if not isinstance(category, ProblemCategory) or not category.is_active:
        raise InvalidInput(
            _("Unknown or inactive problem category."),
            code="unknown_category",
            fields={"category": [_("Choose a category from the list.")]},
        )
    return category


def report_problem(
    *,
    source: str,
    category: Any,
    lng: Any,
    lat: Any,
    by: Any,
    crs: str = geo.CRS_WGS84,
    description: str = "",
    address: str = "",
    site: Any = None,
    severity: str | None = None,
    check_item: Any = None,
    uploads: Sequence[Upload] = (),
    points_lost: Decimal | int = 0,
    reporter_name: str = "",
    reporter_phone: str = "",
    external_ref: str = "",
    needs_confirmation: bool | None = None,
    unit: Any = None,
    now: datetime | None = None,
) -> Problem:
    """Record a new problem found by anyone (or the public when ``by`` is None).

    Validates everything (category, point, grid, every photo) before writing, so a bad
    input changes nothing. Routes by grid and category, links a recurrence (反弹) and
    writes the ``report`` event. Citizen-like sources start awaiting confirmation (核实).

    A problem may have no point when it concerns a unit, a site or an article rather than a
    spot: pass ``unit`` (or a ``site``, whose unit is taken) and leave ``lng``/``lat``
    empty; it is then routed to that unit, with no grid and no recurrence search.
    """
    now = _now(now)
    if source not in ProblemSource.values:
        raise InvalidInput(_("Unknown source."), code="unknown_source", fields={"source": [source]})
    if by is not None:
        if not can_report(by):
            raise workflow.ActionForbidden()
        if who.is_volunteer_supervisor_only(by):
            # Volunteer supervisors' reports are always confirmed on site (核实) first.
            source = ProblemSource.SUPERVISOR
    category = _check_category(category)
    check_length(description, limits.DESCRIPTION, field="description", label=_("Description"))
    check_length(address, limits.ADDRESS, field="address", label=_("Address"))
    check_length(reporter_phone, limits.PHONE, field="phone", label=_("Phone"))
    check_length(reporter_name, limits.REPORTER_NAME, field="reporter_name", label=_("Name"))
    no_point = lng in (None, "") and lat in (None, "")
    owner = unit if unit is not None else getattr(site, "unit", None)
    if (no_point and owner is None) or (not no_point and (lng in (None, "") or lat in (None, ""))):
        raise InvalidInput(
            _("The location is required."),
            code="missing_location",
            fields={"lng": [_("The location is required.")]},
        )
    if no_point:
        lng = lat = None
        routing = route_to_unit(category, owner)
    else:
        lng, lat = point_to_wgs84(lng, lat, crs)
        routing = route(category, lng, lat)
    for upload in uploads:
        photos.validate_upload(upload.file)
    severity = severity or category.severity
    if needs_confirmation is None:
        needs_confirmation = source in CONFIRMED_SOURCES
    status = ProblemStatus.VERIFYING_REPORT if needs_confirmation else ProblemStatus.REPORTED
    recurrence = None if no_point else find_recurrence_of(category.pk, lng, lat, now)
    with transaction.atomic():
        problem = Problem.objects.create(
            code=f"TMP-{secrets.token_hex(8)}",
            tracking_code=_new_tracking_code(),
            source=source,
            category=category,
            check_item=check_item or category.check_item,
            description=description,
            lng=lng,
            lat=lat,
            address=address,
            site=site,
            severity=severity,
            status=status,
            reported_at=now,
            points_lost=Decimal(points_lost),
            reporter=by,
            reporter_name=reporter_name or _actor_name(by),
            reporter_phone=reporter_phone,
            external_ref=external_ref,
            recurrence_of_id=recurrence,
            **routing,
        )
        problem.code = f"WT-{timezone.localtime(now).year}-{problem.pk:06d}"
        Problem.objects.filter(pk=problem.pk).update(code=problem.code)
        event = _record(
            problem,
            ProblemAction.REPORT,
            by=by,
            now=now,
            to_status=status,
            note=description,
            payload={"source": source, "recurrence_of": recurrence},
            is_public=True,
        )
        for upload in uploads:
            photos.store_photo(
                problem,
                upload.file,
                kind=upload.kind,
                by=by,
                event=event,
                now=now,
                client_lng=upload.client_lng,
                client_lat=upload.client_lat,
            )
    return problem


def attach_photos(
    problem: Problem,
    uploads: Sequence[Upload],
    *,
    by: Any,
    event: ProblemEvent | None = None,
    now: datetime | None = None,
) -> None:
    """Validate then store photos for an action that needs them (within its transaction)."""
    for upload in uploads:
        photos.validate_upload(upload.file)
    for upload in uploads:
        photos.store_photo(
            problem,
            upload.file,
            kind=upload.kind,
            by=by,
            event=event,
            now=_now(now),
            client_lng=upload.client_lng,
            client_lat=upload.client_lat,
        )


# Triage -------------------------------------------------------------------------------


def confirm_report(
    problem: Problem, *, by: Any, note: str = "", now: datetime | None = None
) -> ProblemEvent:
    """A grid worker confirmed on site that a citizen/supervisor report is real (核实)."""
    return _transition(problem, ProblemAction.CONFIRM_REPORT, by=by, now=_now(now), note=note)


def accept_problem(
    problem: Problem, *, by: Any, note: str = "", now: datetime | None = None
) -> ProblemEvent:
    """The office registers the problem (立案)."""
    now = _now(now)
    return _transition(
        problem, ProblemAction.ACCEPT, by=by, now=now, note=note, changes={"accepted_at": now}
    )


def void_problem(
    problem: Problem, *, by: Any, note: str, now: datetime | None = None
) -> ProblemEvent:
    """Invalid report (作废), with the reason in ``note``."""
    return _transition(problem, ProblemAction.VOID, by=by, now=_now(now), note=note)


def merge_problem(
    problem: Problem, *, into: Problem | None, by: Any, note: str = "", now: datetime | None = None
) -> ProblemEvent:
    """Close ``problem`` as a duplicate of the open problem ``into``."""
    if into is not None and (into.pk == problem.pk or not into.is_open):
        raise InvalidInput(
            _("A problem can only be merged into another open problem."),
            code="bad_merge_target",
            fields={"merged_into": [_("Choose another open problem.")]},
        )
    return _transition(
        problem,
        ProblemAction.MERGE,
        by=by,
        now=_now(now),
        note=note,
        given={"merged_into": into},
        changes={"merged_into": into},
        payload={"merged_into": into.code if into else None},
    )


def _clock_fields(due: datetime | None, warn: datetime | None, now: datetime) -> dict[str, Any]:
    return {
        "due_at": due,
        "warn_at": warn,
        "remind_at": warn if warn and warn > now else None,
        "overdue_at": due,
        "escalate_at": None,
        "escalation_level": 0,
    }


def dispatch_problem(
    problem: Problem,
    *,
    by: Any,
    unit: Any = None,
    department: Any = None,
    due_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> ProblemEvent:
    """Send the problem to its responsible unit and department with a deadline (派遣).

    The unit defaults to the grid's owner, the department to the category's; the office
    may override both. The deadline defaults to the category/severity rule on the
    working calendar.
    """
    now = _now(now)
    unit = unit or problem.unit
    department = department if department is not None else problem.department
    deadline = deadlines.compute_deadline(problem.category, problem.severity, now)
    due = due_at or deadline.due_at
    if due is not None and due <= now:
        raise InvalidInput(
            _("The deadline must be in the future."),
            code="bad_deadline",
            fields={"due_at": [_("The deadline must be in the future.")]},
        )
    warn = (
        deadline.warn_at
        if due_at is None
        else deadlines.warn_time(now, due, deadline.unit)
        if due
        else None
    )
    changes = {
        "unit": unit,
        "department": department,
        "dispatched_at": now,
        "accepted_at": problem.accepted_at or now,
        "deadline_amount": deadline.amount,
        "deadline_unit": deadline.unit,
        **_clock_fields(due, warn, now),
    }
    return _transition(
        problem,
        ProblemAction.DISPATCH,
        by=by,
        now=now,
        note=note,
        given={"unit": unit},
        changes=changes,
        payload={
            "unit": unit.name,
            "department": department.name if department else None,
            "due_at": due.isoformat() if due else None,
        },
    )


def return_problem(
    problem: Problem, *, by: Any, note: str, now: datetime | None = None
) -> ProblemEvent:
    """The unit says it was dispatched to the wrong place (回退); back to the office."""
    now = _now(now)
    return _transition(
        problem,
        ProblemAction.RETURN,
        by=by,
        now=now,
        note=note,
        changes={**_clock_fields(None, None, now), "overdue_at": None},
    )


# Requests: extension (延期) and pause (挂账) ---------------------------------------------


def request_extension(
    problem: Problem,
    *,
    by: Any,
    requested_due_at: datetime | None,
    note: str,
    now: datetime | None = None,
) -> ProblemRequest:
    now = _now(now)
    if requested_due_at is not None and problem.due_at and requested_due_at <= problem.due_at:
        raise InvalidInput(
            _("The requested deadline must be later than the current one."),
            code="bad_deadline",
            fields={"requested_due_at": [_("Choose a later date.")]},
        )
    return _request(
        problem,
        RequestKind.EXTENSION,
        ProblemAction.REQUEST_EXTENSION,
        by=by,
        note=note,
        now=now,
        requested_due_at=requested_due_at,
    )


def request_pause(
    problem: Problem, *, by: Any, note: str, now: datetime | None = None
) -> ProblemRequest:
    return _request(
        problem, RequestKind.PAUSE, ProblemAction.REQUEST_PAUSE, by=by, note=note, now=_now(now)
    )


def _request(
    problem: Problem,
    kind: str,
    action: str,
    *,
    by: Any,
    note: str,
    now: datetime,
    requested_due_at: datetime | None = None,
) -> ProblemRequest:
    with transaction.atomic():
        if ProblemRequest.objects.filter(
            problem=problem, kind=kind, status=RequestStatus.PENDING
        ).exists():
            raise Conflict(
                _("A request of this kind is already waiting for approval."), code="request_pending"
            )
        _transition(
            problem,
            action,
            by=by,
            now=now,
            note=note,
            given={"requested_due_at": requested_due_at},
            payload={
                "requested_due_at": requested_due_at.isoformat() if requested_due_at else None
            },
        )
        return ProblemRequest.objects.create(
            problem=problem,
            kind=kind,
            reason=note,
            requested_due_at=requested_due_at,
            requested_by=by,
        )


def _pending(problem: Problem, kind: str, action: str, by: Any) -> ProblemRequest:
    """The pending request of ``kind``; the role check comes first so a refused user is told
    so, not that nothing is pending."""
    roles, superuser = _roles(by)
    workflow.require(action, problem.status, roles, is_superuser=superuser)
    request = ProblemRequest.objects.filter(
        problem=problem, kind=kind, status=RequestStatus.PENDING
    ).first()
    if request is None:
        raise workflow.TransitionNotAllowed(
            _("There is no pending request to decide."), code="no_pending_request"
        )
    return request


def _decide(request: ProblemRequest, status: str, *, by: Any, note: str, now: datetime) -> None:
    updated = ProblemRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
        status=status, decided_by=by, decided_at=now, decision_note=note, updated_at=now
    )
    if not updated:
        raise StaleTransition()


def approve_extension(
    problem: Problem,
    *,
    by: Any,
    due_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> ProblemEvent:
    """Grant more time: the deadline moves to the requested (or the office's) date."""
    now = _now(now)
    with transaction.atomic():
        request = _pending(problem, RequestKind.EXTENSION, ProblemAction.APPROVE_EXTENSION, by)
        due = due_at or request.requested_due_at
        if due is None or due <= now:
            raise InvalidInput(
                _("The new deadline must be in the future."),
                code="bad_deadline",
                fields={"due_at": [_("The deadline must be in the future.")]},
            )
        start = problem.dispatched_at or now
        warn = deadlines.warn_time(start, due, problem.deadline_unit or "work_days")
        _decide(request, RequestStatus.APPROVED, by=by, note=note, now=now)
        return _transition(
            problem,
            ProblemAction.APPROVE_EXTENSION,
            by=by,
            now=now,
            note=note,
            changes={
                **_clock_fields(due, warn, now),
                "extension_count": problem.extension_count + 1,
            },
            payload={
                "due_at": due.isoformat(),
                "previous_due_at": problem.due_at.isoformat() if problem.due_at else None,
            },
        )


def _settle(
    problem: Problem,
    kind: str,
    action: str,
    decision: str,
    *,
    by: Any,
    note: str,
    now: datetime | None,
    changes: dict[str, Any] | None = None,
) -> ProblemEvent:
    """Decide the pending request of ``kind`` with ``action``: the role is checked, the
    problem moves (guarded) with its event, and the request is marked, in one transaction."""
    now = _now(now)
    with transaction.atomic():
        request = _pending(problem, kind, action, by)
        event = _transition(problem, action, by=by, now=now, note=note, changes=changes)
        _decide(request, decision, by=by, note=note, now=now)
        return event


def reject_extension(
    problem: Problem, *, by: Any, note: str, now: datetime | None = None
) -> ProblemEvent:
    """Refuse the pending extension request; the deadline stays."""
    return _settle(
        problem,
        RequestKind.EXTENSION,
        ProblemAction.REJECT_EXTENSION,
        RequestStatus.REJECTED,
        by=by,
        note=note,
        now=now,
    )


def approve_pause(
    problem: Problem, *, by: Any, note: str = "", now: datetime | None = None
) -> ProblemEvent:
    """Park the problem (挂账): its deadline clock stops until it is resumed."""
    now = _now(now)
    return _settle(
        problem,
        RequestKind.PAUSE,
        ProblemAction.APPROVE_PAUSE,
        RequestStatus.APPROVED,
        by=by,
        note=note,
        now=now,
        changes={"paused_at": now, "remind_at": None, "overdue_at": None, "escalate_at": None},
    )


def reject_pause(
    problem: Problem, *, by: Any, note: str, now: datetime | None = None
) -> ProblemEvent:
    """Refuse the pending pause request; the clock keeps running."""
    return _settle(
        problem,
        RequestKind.PAUSE,
        ProblemAction.REJECT_PAUSE,
        RequestStatus.REJECTED,
        by=by,
        note=note,
        now=now,
    )


def resume_problem(
    problem: Problem, *, by: Any, note: str = "", now: datetime | None = None
) -> ProblemEvent:
    """End the pause: the remaining time is counted again from now."""
    now = _now(now)
    paused_at = problem.paused_at or now
    due = warn = None
    if problem.due_at is not None:
        unit = problem.deadline_unit or "work_days"
        due = deadlines.resumed_deadline(paused_at, now, problem.due_at, unit)
        start = problem.dispatched_at or now
        shift = due - problem.due_at
        warn = (
            (problem.warn_at + shift) if problem.warn_at else deadlines.warn_time(start, due, unit)
        )
    return _transition(
        problem,
        ProblemAction.RESUME,
        by=by,
        now=now,
        note=note,
        changes={
            **_clock_fields(due, warn, now),
            "paused_at": None,
            "paused_seconds": problem.paused_seconds + int((now - paused_at).total_seconds()),
        },
        payload={"due_at": due.isoformat() if due else None},
    )


# Rectification and verification ----------------------------------------------------


def submit_rectification(
    problem: Problem, *, by: Any, note: str, uploads: Sequence[Upload], now: datetime | None = None
) -> ProblemEvent:
    """The unit reports the fix with after-photos (处置完成); it now awaits 核查."""
    now = _now(now)
    with transaction.atomic():
        event = _transition(
            problem,
            ProblemAction.SUBMIT,
            by=by,
            now=now,
            note=note,
            given={"photos": list(uploads)},
            changes={
                "submitted_at": now,
                "submitted_by": by,
                "remind_at": None,
                "overdue_at": None,
                "escalate_at": None,
            },
            is_public=True,
        )
        attach_photos(
            problem,
            [Upload(u.file, PhotoKind.AFTER, u.client_lng, u.client_lat) for u in uploads],
            by=by,
            event=event,
            now=now,
        )
    return event


def self_fix_problem(
    problem: Problem,
    *,
    by: Any,
    note: str = "",
    uploads: Sequence[Upload],
    now: datetime | None = None,
) -> ProblemEvent:
    """The reporter fixed it on the spot (自行处置); someone else verifies."""
    now = _now(now)
    with transaction.atomic():
        event = _transition(
            problem,
            ProblemAction.SELF_FIX,
            by=by,
            now=now,
            note=note,
            given={"photos": list(uploads)},
            changes={
                "submitted_at": now,
                "submitted_by": by,
                "accepted_at": problem.accepted_at or now,
            },
            is_public=True,
        )
        attach_photos(
            problem,
            [Upload(u.file, PhotoKind.AFTER, u.client_lng, u.client_lat) for u in uploads],
            by=by,
            event=event,
            now=now,
        )
    return event


def verify_pass(
    problem: Problem,
    *,
    by: Any,
    note: str = "",
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> ProblemEvent:
    """The fix holds on site (核查通过): the problem is closed (销号)."""
    now = _now(now)
    on_time = problem.due_at is None or (problem.submitted_at or now) <= problem.due_at
    with transaction.atomic():
        event = _transition(
            problem,
            ProblemAction.VERIFY_PASS,
            by=by,
            now=now,
            note=note,
            changes={"closed_at": now, "closed_on_time": on_time},
            payload={"on_time": on_time},
            is_public=True,
        )
        attach_photos(
            problem,
            [Upload(u.file, PhotoKind.VERIFICATION, u.client_lng, u.client_lat) for u in uploads],
            by=by,
            event=event,
            now=now,
        )
    return event


def verify_fail(
    problem: Problem,
    *,
    by: Any,
    note: str,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> ProblemEvent:
    """The fix does not hold (核查不通过): back to the unit as rework (返工)."""
    now = _now(now)
    due = problem.due_at
    with transaction.atomic():
        event = _transition(
            problem,
            ProblemAction.VERIFY_FAIL,
            by=by,
            now=now,
            note=note,
            changes={
                "rework_count": problem.rework_count + 1,
                "submitted_at": None,
                "submitted_by": None,
                "remind_at": problem.warn_at if problem.warn_at and problem.warn_at > now else None,
                "overdue_at": due,
            },
            payload={"rework_count": problem.rework_count + 1},
        )
        attach_photos(
            problem,
            [Upload(u.file, PhotoKind.VERIFICATION, u.client_lng, u.client_lat) for u in uploads],
            by=by,
            event=event,
            now=now,
        )
    return event


def reopen_problem(
    problem: Problem, *, by: Any, note: str, now: datetime | None = None
) -> ProblemEvent:
    """A closed problem is back (recurrence or a dissatisfied citizen): a new clock starts."""
    now = _now(now)
    deadline = deadlines.compute_deadline(problem.category, problem.severity, now)
    return _transition(
        problem,
        ProblemAction.REOPEN,
        by=by,
        now=now,
        note=note,
        changes={
            "closed_at": None,
            "closed_on_time": None,
            "submitted_at": None,
            "submitted_by": None,
            "dispatched_at": now,
            **_clock_fields(deadline.due_at, deadline.warn_at, now),
        },
        payload={"due_at": deadline.due_at.isoformat() if deadline.due_at else None},
    )


def reopen_for_review(problem: Problem, *, note: str, now: datetime | None = None) -> ProblemEvent:
    """A dissatisfied citizen (不满意) sends a closed problem back to the office for review.

    The public has no account, so this is not a role step of the workflow: only a closed
    problem moves, to ``reported`` (the office's queue to accept and dispatch again), with
    a public ``reopen`` event. Raises TransitionNotAllowed or StaleTransition.
    """
    now = _now(now)
    if problem.status != ProblemStatus.CLOSED:
        raise workflow.TransitionNotAllowed()
    values: dict[str, Any] = {
        "status": ProblemStatus.REPORTED,
        "updated_at": now,
        "closed_at": None,
        "closed_on_time": None,
        "submitted_at": None,
        "submitted_by": None,
        **_clock_fields(None, None, now),
        "overdue_at": None,
    }
    with transaction.atomic():
        updated = Problem.objects.filter(
            pk=problem.pk, status=problem.status, version=problem.version
        ).update(version=F("version") + 1, **values)
        if not updated:
            raise StaleTransition()
        counted = stats.contributions(problem)
        for key, value in values.items():
            setattr(problem, key, value)
        problem.version += 1
        stats.apply(counted, stats.contributions(problem))
        return _record(
            problem,
            ProblemAction.REOPEN,
            by=None,
            now=now,
            from_status=ProblemStatus.CLOSED,
            to_status=ProblemStatus.REPORTED,
            note=note,
            payload={"by": "citizen"},
            is_public=True,
        )


def comment_problem(
    problem: Problem, *, by: Any, note: str, now: datetime | None = None
) -> ProblemEvent:
    return _transition(problem, ProblemAction.COMMENT, by=by, now=_now(now), note=note)


def remind_problem(
    problem: Problem, *, by: Any, note: str = "", now: datetime | None = None
) -> ProblemEvent:
    """The office urges the unit (催办); notifies its handlers, head and liaison."""
    return _transition(problem, ProblemAction.REMIND, by=by, now=_now(now), note=note)


def set_points_lost(
    problem: Problem, *, points: Decimal, by: Any, now: datetime | None = None
) -> None:
    """Record the inspection points this problem cost (used by inspections)."""
    if points < 0:
        raise InvalidInput(_("Points lost cannot be negative."), code="negative_points")
    Problem.objects.filter(pk=problem.pk).update(points_lost=points, updated_at=_now(now))
    problem.points_lost = points


# Deadline configuration (the office's working calendar and handling-time rules) -------------


def save_calendar_day(day: CalendarDay, *, by: Any) -> CalendarDay:
    """Record a holiday or a worked weekend day (调休) of the working calendar.

    Raises InvalidInput ``duplicate_day`` when the date is already recorded.
    """
    if CalendarDay.objects.filter(date=day.date).exclude(pk=day.pk).exists():
        raise InvalidInput(
            _("This date is already in the calendar."),
            code="duplicate_day",
            fields={"date": [_("Edit the existing day instead.")]},
        )
    day.save()
    return day


def delete_calendar_day(day: CalendarDay, *, by: Any) -> None:
    """Remove a calendar exception: the date follows the weekly pattern again."""
    delete_row(day)


def save_deadline_rule(rule: DeadlineRule, *, by: Any) -> DeadlineRule:
    """Create or update the handling time of a category (or every category) at a severity.

    Raises InvalidInput for a handling time of zero, and ``duplicate_rule`` when the
    category and severity already have a rule.
    """
    if not rule.amount or rule.amount <= 0:
        raise InvalidInput(
            _("The handling time must be greater than zero."),
            fields={"amount": [_("Enter a positive number.")]},
        )
    clash = DeadlineRule.objects.filter(
        category_id=rule.category_id, severity=rule.severity
    ).exclude(pk=rule.pk)
    if clash.exists():
        raise InvalidInput(
            _("This category already has a rule for that severity."),
            code="duplicate_rule",
            fields={"severity": [_("Edit the existing rule instead.")]},
        )
    rule.save()
    return rule


def delete_deadline_rule(rule: DeadlineRule, *, by: Any) -> None:
    """Remove a rule: the category's own handling time applies again."""
    delete_row(rule)


def default_escalation_hours() -> list[int]:
    return [int(h) for h in settings.CHUANGWEI_ESCALATION_HOURS]
