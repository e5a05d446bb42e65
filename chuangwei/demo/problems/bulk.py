"""The older history of the demo ledger, bulk-inserted (see the package docstring).

Each planned life is played in memory, writing field for field what the services would
(statuses, deadlines from ``deadlines``, request rows, event payloads) and what the deadline
sweeper would (reminders, overdue notices and escalations at their exact moments), then
saved with a few bulk inserts. No photos: the rectification service would need one each.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.lib import workcal
from chuangwei.problems import deadlines, sweeper
from chuangwei.problems.choices import CONFIRMED_SOURCES, FINAL_STATUSES, RequestKind, RequestStatus
from chuangwei.problems.choices import ProblemAction as A
from chuangwei.problems.choices import ProblemStatus as S
from chuangwei.problems.models import Problem, ProblemEvent, ProblemRequest
from chuangwei.problems.services import TRACKING_ALPHABET

from .plan import Clock, Plan, Step, World, department_of, life

_COLUMNS = ("remind_at", "overdue_at", "escalate_at")


class _WorkerClock:
    """The sweeper's view of one problem: its worker columns, swept continuously."""

    def __init__(self) -> None:
        self.columns: dict[str, datetime | None] = dict.fromkeys(_COLUMNS)
        self.moments: dict[str, datetime | None] = dict.fromkeys(_COLUMNS)
        self.level = 0
        self.due: datetime | None = None

    def _set(self, name: str, value: datetime | None, at: datetime) -> None:
        # A column set in the past is picked up by the next sweep, i.e. right away.
        self.columns[name] = value
        self.moments[name] = max(value, at) if value else None

    def start(self, at: datetime, due: datetime | None, warn: datetime | None) -> None:
        """Dispatch, approved extension, resume: ``services._clock_fields``."""
        self.due, self.level = due, 0
        self._set("remind_at", warn if warn and warn > at else None, at)
        self._set("overdue_at", due, at)
        self._set("escalate_at", None, at)

    def stop(self) -> None:
        """Submit, pause: the sweeper leaves the problem alone."""
        self.columns = dict.fromkeys(_COLUMNS)
        self.moments = dict.fromkeys(_COLUMNS)

    def rework(self, at: datetime, warn: datetime | None) -> None:
        """``verify_fail``: the reminder if still ahead, and the deadline again."""
        self._set("remind_at", warn if warn and warn > at else None, at)
        self._set("overdue_at", self.due, at)

    def run_until(self, until: datetime) -> list[tuple[datetime, str, str, dict[str, Any]]]:
        """The worker events up to ``until``, as ``sweeper.sweep`` writes them."""
        events: list[tuple[datetime, str, str, dict[str, Any]]] = []
        while True:
            due = [(m, name) for name, m in self.moments.items() if m is not None and m <= until]
            if not due:
                return events
            at, name = min(due)
            assert self.due is not None
            if name == "remind_at":
                self._set(name, None, at)
                if self.due > at:
                    payload = {"due_at": self.due.isoformat()}
                    events.append((at, A.WARN, sweeper.warn_note(self.due), payload))
            elif name == "overdue_at":
                self._set(name, None, at)
                self._set("escalate_at", sweeper.next_escalation_at(self.due, self.level), at)
                payload = {"due_at": self.due.isoformat()}
                events.append((at, A.OVERDUE, sweeper.overdue_note(self.due), payload))
            else:
                self.level += 1
                self._set(name, sweeper.next_escalation_at(self.due, self.level), at)
                events.append(
                    (at, A.ESCALATE, sweeper.escalate_note(self.level), {"level": self.level})
                )


class _Record:
    """One problem as the services would have left it, built in memory."""

    def __init__(self, world: World, plan: Plan, pk: int, tracking: str) -> None:
        self.world, self.plan = world, plan
        self.events: list[tuple[Any, ...]] = []
        self.last_at = plan.reported_at
        self.requests: list[ProblemRequest] = []
        self.clock = _WorkerClock()
        self.final_at: datetime | None = None
        category = plan.category
        self.problem = Problem(
            pk=pk,
            code=f"WT-{timezone.localtime(plan.reported_at).year}-{pk:06d}",
            tracking_code=tracking,
            source=plan.source,
            category=category,
            check_item_id=category.check_item_id,
            description=plan.description,
            lng=plan.lng,
            lat=plan.lat,
            address=plan.address,
            grid_id=plan.grid_id,
            site_id=plan.site_id,
            unit_id=world.grid_unit(plan.grid_id),
            department_id=department_of(category),
            work_line_id=category.default_work_line_id,
            severity=category.severity,
            status=S.VERIFYING_REPORT if plan.source in CONFIRMED_SOURCES else S.REPORTED,
            reported_at=plan.reported_at,
            points_lost=plan.points_lost,
            reporter=world.users.get(plan.reporter or ""),
            reporter_phone=plan.reporter_phone,
            created_at=plan.reported_at,
        )
        self.problem.reporter_name = plan.reporter_name or self._name(plan.reporter)

    def _name(self, key: str | None) -> str:
        user = self.world.users.get(key or "")
        return str(user) if user else ""

    def _event(
        self, at: datetime, action: str, by: str | None, *, to: str = "", **extra: Any
    ) -> None:
        user = self.world.users.get(by or "")
        self.events.append(
            (
                self.problem.pk,
                action,
                extra.get("from_status", self.problem.status),
                to,
                user.pk if user else None,
                extra.get("actor_name", str(user) if user else ""),
                self.problem.unit_id,
                at,
                extra.get("note", ""),
                extra.get("payload", {}),
                extra.get("is_public", False),
                at,  # processed: history is not news
            )
        )
        self.last_at = at

    def _move(self, step: Step, target: str, **extra: Any) -> None:
        self._event(step.at, step.action, step.by, to=target, note=step.note, **extra)
        self.problem.status = target
        self.problem.version += 1
        self.problem.updated_at = step.at
        if target in FINAL_STATUSES:
            self.final_at = step.at

    def _note(self, step: Step, **extra: Any) -> None:
        """A transition that does not move the status (requests, extension)."""
        self._event(step.at, step.action, step.by, note=step.note, **extra)
        self.problem.version += 1
        self.problem.updated_at = step.at

    def _request(self, step: Step, kind: str) -> None:
        due = step.due_at
        self._note(step, payload={"requested_due_at": due.isoformat() if due else None})
        self.requests.append(ProblemRequest(
            problem_id=self.problem.pk, kind=kind, reason=step.note, requested_due_at=due,
            requested_by=self.world.users[step.by or "admin"], created_at=step.at,
        ))  # fmt: skip

    def _decide(self, step: Step, kind: str) -> ProblemRequest:
        request = next(r for r in reversed(self.requests) if r.kind == kind)
        request.status, request.decided_at = RequestStatus.APPROVED, step.at
        request.decided_by, request.decision_note = self.world.users[step.by or "admin"], step.note
        return request

    def sweep(self, until: datetime) -> None:
        worker = _("Deadline worker")
        for at, action, note, payload in self.clock.run_until(until):
            self._event(at, action, None, from_status=S.DISPATCHED, actor_name=worker,
                        note=note, payload=payload)  # fmt: skip
        self.problem.escalation_level = self.clock.level
        for name in _COLUMNS:
            setattr(self.problem, name, self.clock.columns[name])

    def apply(self, step: Step, records: dict[int, _Record]) -> Clock:  # noqa: C901
        p, plan = self.problem, self.plan
        if step.action == A.REPORT:
            recurrence = records.get(plan.recurrence_of if plan.recurrence_of is not None else -1)
            if recurrence and recurrence.final_at and recurrence.problem.status == S.CLOSED:
                if recurrence.final_at < step.at:
                    p.recurrence_of_id = recurrence.problem.pk
            self._event(step.at, A.REPORT, step.by, from_status="", to=p.status, note=p.description,
                        payload={"source": p.source, "recurrence_of": p.recurrence_of_id},
                        is_public=True)  # fmt: skip
        elif step.action == A.CONFIRM_REPORT:
            self._move(step, S.REPORTED)
        elif step.action == A.ACCEPT:
            p.accepted_at = step.at
            self._move(step, S.ACCEPTED)
        elif step.action == A.VOID:
            self._move(step, S.VOIDED)
        elif step.action == A.MERGE:
            original = records[plan.duplicate_of if plan.duplicate_of is not None else -1]
            if original.final_at is not None and original.final_at <= step.at:
                self._move(Step(step.at, A.VOID, step.by, "重复上报，原工单已办结"), S.VOIDED)
            else:
                p.merged_into_id = original.problem.pk
                self._move(step, S.MERGED, payload={"merged_into": original.problem.code})
        elif step.action == A.DISPATCH:
            p.dispatched_at, p.accepted_at = step.at, p.accepted_at or step.at
            p.deadline_amount, p.deadline_unit = self.world.handling_time(p.category, p.severity)
            p.due_at = workcal.add_duration(
                self.world.cal, step.at, p.deadline_amount, p.deadline_unit
            )
            p.warn_at = self.world.warn_time(step.at, p.due_at, p.deadline_unit)
            self.clock.start(step.at, p.due_at, p.warn_at)
            unit_id, department_id = p.unit_id, p.department_id
            payload = {"unit": self.world.unit_names[unit_id],
                       "department": self.world.unit_names[department_id] if department_id else None,
                       "due_at": p.due_at.isoformat() if p.due_at else None}  # fmt: skip
            self._move(step, S.DISPATCHED, payload=payload)
            return p.due_at, p.warn_at, p.deadline_unit
        elif step.action in (A.REQUEST_PAUSE, A.REQUEST_EXTENSION):
            kind = RequestKind.PAUSE if step.action == A.REQUEST_PAUSE else RequestKind.EXTENSION
            self._request(step, kind)
        elif step.action == A.APPROVE_PAUSE:
            self._decide(step, RequestKind.PAUSE)
            p.paused_at = step.at
            self.clock.stop()
            self._move(step, S.PAUSED)
        elif step.action == A.RESUME:
            assert p.due_at is not None and p.paused_at is not None
            unit = p.deadline_unit or "work_days"
            due = deadlines.resumed_deadline(p.paused_at, step.at, p.due_at, unit)
            warn = p.warn_at + (due - p.due_at) if p.warn_at else None
            p.paused_seconds += int((step.at - p.paused_at).total_seconds())
            p.due_at, p.warn_at, p.paused_at = due, warn, None
            self.clock.start(step.at, due, warn)
            self._move(step, S.DISPATCHED, payload={"due_at": due.isoformat()})
            return due, warn, unit
        elif step.action == A.APPROVE_EXTENSION:
            request = self._decide(step, RequestKind.EXTENSION)
            wanted, previous = request.requested_due_at, p.due_at
            assert wanted is not None and p.dispatched_at is not None
            due = wanted
            unit = p.deadline_unit or "work_days"
            p.due_at, p.warn_at = due, self.world.warn_time(p.dispatched_at, due, unit)
            p.extension_count += 1
            self.clock.start(step.at, p.due_at, p.warn_at)
            self._note(step, payload={"due_at": due.isoformat(),
                                      "previous_due_at": previous.isoformat() if previous else None})  # fmt: skip
            return p.due_at, p.warn_at, unit
        elif step.action == A.SUBMIT:
            p.submitted_at, p.submitted_by = step.at, self.world.users[step.by or "admin"]
            self.clock.stop()
            self._move(step, S.SUBMITTED, is_public=True)
        elif step.action == A.VERIFY_FAIL:
            p.rework_count += 1
            p.submitted_at = p.submitted_by = None
            self.clock.rework(step.at, p.warn_at)
            self._move(step, S.DISPATCHED, payload={"rework_count": p.rework_count})
        elif step.action == A.VERIFY_PASS:
            on_time = p.due_at is None or (p.submitted_at or step.at) <= p.due_at
            p.closed_at, p.closed_on_time = step.at, on_time
            self._move(step, S.CLOSED, payload={"on_time": on_time}, is_public=True)
        return None


def _play(record: _Record, records: dict[int, _Record], now: datetime) -> None:
    """Apply the steps of one life up to ``now``, sweeping before each, and after the last."""
    steps = life(record.world, record.plan)
    step = next(steps)
    while step.at <= now:
        record.sweep(step.at)
        reply = record.apply(step, records)
        try:
            step = steps.send(reply)
        except StopIteration:
            break
    steps.close()
    record.sweep(now)


_EVENT_COLUMNS = ("problem", "action", "from_status", "to_status", "actor", "actor_name", "unit",
                  "created_at", "note", "payload", "is_public", "processed_at")  # fmt: skip


def _insert_events(rows: list[tuple[Any, ...]]) -> None:
    """One prepared INSERT for all event rows: ``bulk_create`` spends most of the build
    preparing ~25,000 model instances field by field."""
    meta, ops = ProblemEvent._meta, connection.ops
    fields = [meta.get_field(name) for name in _EVENT_COLUMNS]
    columns = ", ".join(ops.quote_name(str(getattr(f, "column", ""))) for f in fields)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(meta.db_table), columns, ", ".join(["%s"] * len(fields))
    )
    payload = meta.get_field("payload")
    assert isinstance(payload, Field)
    at = ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(sql, [
            (*row[:7], at(row[7]), row[8], payload.get_db_prep_value(row[9], connection),
             row[10], at(row[11]))
            for row in rows
        ])  # fmt: skip


def write_history(world: World, plans: list[Plan], *, seed: int, now: datetime) -> int:
    """Play ``plans`` in memory and insert the problems, events and requests; return the count."""
    start = (Problem.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    rng = random.Random(f"{seed}:tracking")
    records: dict[int, _Record] = {}
    for offset, plan in enumerate(plans):
        tracking = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(10))
        record = _Record(world, plan, start + offset, tracking)
        records[plan.index] = record
        _play(record, records, now)
    problems = [r.problem for r in records.values()]
    # Merge and recurrence targets are earlier rows; one insert order keeps foreign keys valid.
    Problem.objects.bulk_create(problems, batch_size=500)
    _insert_events([e for r in records.values() for e in r.events])
    ProblemRequest.objects.bulk_create([q for r in records.values() for q in r.requests])
    ProblemRequest.objects.filter(problem_id__gte=start).update(
        updated_at=Coalesce("decided_at", "created_at")
    )
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Problem]):
            cursor.execute(sql)
    return len(problems)
