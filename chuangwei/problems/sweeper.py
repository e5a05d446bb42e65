"""The deadline worker (ARCHITECTURE.md §6, DESIGN.md §3.4): reminders, overdue notices
and escalation (督办 → 通报 → 约谈) for dispatched problems.

Each pass reads due rows by one indexed worker column (``remind_at``, ``overdue_at``,
``escalate_at``), claims each row with a conditional update on that column's value and
writes the event in the same transaction; notices go out after commit
(``notify.notify_event``). A claim that matches no row means another sweep, or a
service, got there first, so no event is written: sweeps are idempotent and any number
of copies may run at once.

The sweeper only touches worker columns and ``escalation_level``; it never bumps
``version``, so a handler acting at the same moment is not refused as stale.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import EscalationLevel, ProblemAction, ProblemStatus
from .models import Problem, ProblemEvent
from .notify import notify_event
from .services import default_escalation_hours

logger = logging.getLogger("chuangwei.problems")
Row = tuple[Any, ...]


@dataclass
class SweepResult:
    """What one sweep did: events written per pass, and how long it took."""

    warned: int = 0
    overdue: int = 0
    escalated: int = 0
    seconds: float = 0.0
    notify_seconds: float = 0.0  # part of ``seconds`` spent queueing and sending notices

    @property
    def total(self) -> int:
        return self.warned + self.overdue + self.escalated


@dataclass(frozen=True)
class _Claimed:
    """A claimed row and the event to write for it."""

    pk: int
    unit_id: int
    action: str
    note: str
    payload: dict[str, Any]


def next_escalation_at(due_at: datetime | None, level: int) -> datetime | None:
    """When a problem at escalation ``level`` moves to the next level, or None after the last.

    Level n (1 督办, 2 通报, 3 约谈) is due ``CHUANGWEI_ESCALATION_HOURS[n-1]`` hours after
    the deadline.
    """
    spans = default_escalation_hours()[: len(EscalationLevel.values) - 1]
    if due_at is None or level >= len(spans):
        return None
    return due_at + timedelta(hours=spans[level])


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def warn_note(due_at: datetime) -> str:
    """The note of a ``warn`` event (also used by the demo ledger)."""
    return _("The deadline %(due)s is approaching.") % {"due": _local(due_at)}


def overdue_note(due_at: datetime) -> str:
    """The note of an ``overdue`` event."""
    return _("The deadline %(due)s has passed.") % {"due": _local(due_at)}


def escalate_note(level: int) -> str:
    """The note of an ``escalate`` event to ``level`` (1 督办, 2 通报, 3 约谈)."""
    return _("Escalated: %(level)s.") % {"level": EscalationLevel(level).label}


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return connection.ops.quote_name(field.column)


_UPDATES: dict[tuple[str, ...], str] = {}


def _claim(pk: int, expect: dict[str, Any], changes: dict[str, Any]) -> bool:
    """``UPDATE problem SET changes WHERE pk AND expect``; True when this call won the row.

    The same guarded update as ``filter(...).update(...)``, in plain SQL because the ORM
    spends ~0.3 ms building each statement and a sweep may claim tens of thousands.
    """
    names = (*changes, "id", *expect)
    if names not in _UPDATES:
        columns = [_column(Problem, name) for name in names]
        _UPDATES[names] = "UPDATE {} SET {} WHERE {}".format(
            connection.ops.quote_name(Problem._meta.db_table),
            ", ".join(f"{c} = %s" for c in columns[: len(changes)]),
            " AND ".join(f"{c} = %s" for c in columns[len(changes) :]),
        )
    adapt = connection.ops.adapt_datetimefield_value
    values = (*changes.values(), pk, *expect.values())
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATES[names], [adapt(v) if isinstance(v, datetime) else v for v in values]
        )
        return cursor.rowcount == 1


def _candidates(column: str, now: datetime, fields: tuple[str, ...], batch: int) -> Iterator[Row]:
    """Rows with ``column <= now`` in (column, pk) order, ``batch`` at a time.

    Reads through the column's partial index (``column <= now`` implies NOT NULL) and
    pages by keyset, so rows that cannot be claimed are passed over, not read again.
    """
    base = Problem.objects.filter(**{f"{column}__lte": now}).order_by(column, "pk")
    cursor: tuple[datetime, int] | None = None
    while True:
        page = base
        if cursor is not None:
            value, pk = cursor
            # Written as a range plus a tie-break so the index is scanned from the cursor
            # on in order; the plain OR makes SQLite collect and sort the whole rest.
            after = Q(**{f"{column}__gt": value}) | Q(pk__gt=pk)
            page = base.filter(Q(**{f"{column}__gte": value}) & after)
        rows = list(page.values_list("pk", column, *fields)[:batch])
        yield from rows
        if len(rows) < batch:
            return
        cursor = (rows[-1][1], rows[-1][0])


_EVENT_FIELDS = (
    "problem",
    "action",
    "from_status",
    "to_status",
    "actor",
    "actor_name",
    "unit",
    "created_at",
    "note",
    "payload",
    "is_public",
    "processed_at",
)


def _insert_events(claimed: list[_Claimed], now: datetime) -> list[int]:
    """Insert one worker event per claimed row (no actor); return the new event ids.

    ``bulk_create`` would do, but prepares each field of each row through the ORM; this
    multi-row ``INSERT … RETURNING`` (SQLite ≥ 3.35, PostgreSQL) is several times faster.
    """
    quote = connection.ops.quote_name
    meta = ProblemEvent._meta
    payload_field = meta.get_field("payload")
    assert isinstance(payload_field, Field)
    columns = ", ".join(_column(ProblemEvent, name) for name in _EVENT_FIELDS)
    marks = "(" + ", ".join(["%s"] * len(_EVENT_FIELDS)) + ")"
    at, worker = connection.ops.adapt_datetimefield_value(now), _("Deadline worker")
    rows = [
        (
            c.pk,
            c.action,
            ProblemStatus.DISPATCHED,  # like every event that does not move the status
            "",
            None,
            worker,
            c.unit_id,
            at,
            c.note,
            payload_field.get_db_prep_value(c.payload, connection),
            False,
            None,
        )
        for c in claimed
    ]
    size = connection.ops.bulk_batch_size(list(_EVENT_FIELDS), rows)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                f"{', '.join([marks] * len(chunk))} RETURNING {_column(ProblemEvent, 'id')}",
                [value for row in chunk for value in row],
            )
            ids += [pk for (pk,) in cursor.fetchall()]
    return ids


def _write(claimed: list[_Claimed], now: datetime, result: SweepResult) -> None:
    """Insert the events of claimed rows and queue their notices after commit."""
    if claimed:
        ids = _insert_events(claimed, now)
        transaction.on_commit(partial(_notify, ids, result))


def _notify(event_ids: list[int], result: SweepResult) -> None:
    """Notify each event (after commit); one failing event does not stop the others.

    A failed event keeps ``processed_at`` empty, so it can be notified again later.
    """
    started = time.perf_counter()
    for pk in event_ids:
        try:
            notify_event(pk)
        except Exception:
            logger.exception("notices for problem event %s failed", pk)
    result.notify_seconds += time.perf_counter() - started


def _run(
    column: str,
    fields: tuple[str, ...],
    claim: Callable[[datetime, Row], _Claimed | None],
    *,
    now: datetime,
    batch: int,
    result: SweepResult,
) -> int:
    """One pass: claim candidates a batch per transaction; return the events written.

    A crash rolls back the whole batch, claims and events together, so the next sweep
    finds those rows due again. Each row is claimed at most once per pass.
    """
    seen: set[int] = set()
    written = 0
    page: list[Row] = []

    def flush() -> None:
        nonlocal written
        with transaction.atomic():
            claimed = [c for row in page if (c := claim(now, row)) is not None]
            _write(claimed, now, result)
        written += len(claimed)
        page.clear()

    for row in _candidates(column, now, ("status", *fields), batch):
        if row[0] in seen or row[2] != ProblemStatus.DISPATCHED:
            continue
        seen.add(row[0])
        page.append(row)
        if len(page) >= batch:
            flush()
    if page:
        flush()
    return written


def _claim_reminder(now: datetime, row: Row) -> _Claimed | None:
    pk, remind_at, _status, unit_id, due_at, _level = row
    if not _claim(
        pk, {"remind_at": remind_at, "status": ProblemStatus.DISPATCHED}, {"remind_at": None}
    ):
        return None
    if due_at is not None and due_at <= now:
        return None  # the overdue notice of this same sweep says more
    note = warn_note(due_at) if due_at else ""
    payload = {"due_at": due_at.isoformat() if due_at else None}
    return _Claimed(pk, unit_id, ProblemAction.WARN, note, payload)


def _claim_overdue(now: datetime, row: Row) -> _Claimed | None:
    pk, overdue_at, _status, unit_id, due_at, level = row
    escalate_at = next_escalation_at(due_at, level)
    expect = {
        "overdue_at": overdue_at,
        "escalation_level": level,
        "status": ProblemStatus.DISPATCHED,
    }
    if not _claim(pk, expect, {"overdue_at": None, "escalate_at": escalate_at}):
        return None
    due = due_at or overdue_at
    note = overdue_note(due)
    return _Claimed(pk, unit_id, ProblemAction.OVERDUE, note, {"due_at": due.isoformat()})


def _claim_escalation(now: datetime, row: Row) -> _Claimed | None:
    pk, escalate_at, _status, unit_id, due_at, level = row
    if level >= EscalationLevel.INTERVIEW:
        # Nothing above 约谈; drop the stale column so the row stops coming back.
        _claim(pk, {"escalate_at": escalate_at}, {"escalate_at": None})
        return None
    new_level = level + 1
    expect = {
        "escalate_at": escalate_at,
        "escalation_level": level,
        "status": ProblemStatus.DISPATCHED,
    }
    changes = {"escalation_level": new_level, "escalate_at": next_escalation_at(due_at, new_level)}
    if not _claim(pk, expect, changes):
        return None
    note = escalate_note(new_level)
    return _Claimed(pk, unit_id, ProblemAction.ESCALATE, note, {"level": new_level})


def sweep(now: datetime | None = None, *, batch: int = 1000) -> SweepResult:
    """Run the three passes over dispatched problems at ``now`` and say what was done.

    1. ``remind_at <= now``: a ``warn`` event (deadline approaching), unless the deadline
       has already passed, in which case the overdue notice replaces it.
    2. ``overdue_at <= now``: an ``overdue`` event for the handlers, the unit head and the
       liaison; the first escalation is scheduled.
    3. ``escalate_at <= now``: the escalation level rises by one (at most one level per
       sweep) with an ``escalate`` event; the next level is scheduled, none after 约谈.

    Safe to run twice at the same ``now`` (the second does nothing) and in parallel (each
    event is written once). Paused and submitted problems are never touched.
    """
    now = now or timezone.now()
    started = time.perf_counter()
    result = SweepResult()
    fields = ("unit_id", "due_at", "escalation_level")
    run = partial(_run, fields=fields, now=now, batch=batch, result=result)
    result.warned = run("remind_at", claim=_claim_reminder)
    result.overdue = run("overdue_at", claim=_claim_overdue)
    result.escalated = run("escalate_at", claim=_claim_escalation)
    result.seconds = round(time.perf_counter() - started, 3)
    result.notify_seconds = round(result.notify_seconds, 3)
    return result
