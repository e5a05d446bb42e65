"""The whole transition table walked through the services, plus the concurrent-action race.

``drive`` puts a fresh report into any state through the services themselves, so every
case starts from a row the real workflow produced. For each (action, source state) in
``workflow.STEPS`` an allowed persona moves the problem to the step's target with exactly
one new event, and refused personas change nothing. Every other (action, state) pair is
refused as ``TransitionNotAllowed``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection

from chuangwei.accounts.models import User
from chuangwei.core.errors import Conflict, NotAllowed
from chuangwei.problems import services, workflow
from chuangwei.problems.choices import ProblemAction as A
from chuangwei.problems.choices import ProblemStatus as S
from chuangwei.problems.models import Problem, ProblemEvent, ProblemRequest

from .conftest import MONDAY_9
from .images import make_jpeg, uploaded

JPEG = make_jpeg(96, 72, text="fix")
NOTE = "说明"


def photo() -> services.Upload:
    return services.Upload(uploaded(JPEG))


# Driving a problem into a state -------------------------------------------------------

Step = Callable[[Problem, dict[str, Any], datetime], Any]


def _accept(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.accept_problem(p, by=who["office"], now=at)


def _dispatch(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.dispatch_problem(p, by=who["office"], now=at)


def _ask_extension(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.request_extension(
        p, by=who["handler_a"], requested_due_at=at + timedelta(days=30), note=NOTE, now=at
    )


def _ask_pause(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.request_pause(p, by=who["handler_a"], note=NOTE, now=at)


def _pause(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.approve_pause(p, by=who["office"], now=at)


def _submit(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.submit_rectification(
        p, by=who["handler_a"], note=NOTE, uploads=[photo()], now=at
    )


def _close(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.verify_pass(p, by=who["inspector"], now=at)


def _void(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    return services.void_problem(p, by=who["office"], note=NOTE, now=at)


def _merge(p: Problem, who: dict[str, Any], at: datetime) -> Any:
    into = who["report"](at=at)
    return services.merge_problem(p, into=into, by=who["office"], now=at)


# Named states: a status, or a status with a pending request waiting for a decision.
PATHS: dict[str, list[Step]] = {
    "verifying_report": [],
    "reported": [],
    "accepted": [_accept],
    "dispatched": [_dispatch],
    "extension_pending": [_dispatch, _ask_extension],
    "pause_pending": [_dispatch, _ask_pause],
    "paused": [_dispatch, _ask_pause, _pause],
    "submitted": [_dispatch, _submit],
    "closed": [_dispatch, _submit, _close],
    "voided": [_void],
    "merged": [_merge],
}


def drive(ledger: dict[str, Any], report: Any, state: str, *, at: datetime = MONDAY_9) -> Problem:
    """A problem reported by the grid worker and moved through the services into ``state``."""
    problem = report(at=at, source="citizen" if state == "verifying_report" else "grid_patrol")
    who = {**ledger, "report": report}
    for step in PATHS[state]:
        step(problem, who, at)
    problem.refresh_from_db()
    return problem


def snapshot(problem: Problem) -> tuple[str, int, int, int]:
    """Status, version, events and requests of the row as stored."""
    fresh = Problem.objects.get(pk=problem.pk)
    return (
        fresh.status,
        fresh.version,
        ProblemEvent.objects.filter(problem=problem).count(),
        ProblemRequest.objects.filter(problem=problem).count(),
    )


# Taking each action with valid input ---------------------------------------------------

Call = Callable[[Problem, Any, datetime, dict[str, Any]], Any]
CALLS: dict[str, Call] = {
    A.CONFIRM_REPORT: lambda p, by, at, w: services.confirm_report(p, by=by, now=at),
    A.ACCEPT: lambda p, by, at, w: services.accept_problem(p, by=by, now=at),
    A.VOID: lambda p, by, at, w: services.void_problem(p, by=by, note=NOTE, now=at),
    A.MERGE: lambda p, by, at, w: services.merge_problem(p, into=w["report"](at=at), by=by, now=at),
    A.DISPATCH: lambda p, by, at, w: services.dispatch_problem(p, by=by, now=at),
    A.RETURN: lambda p, by, at, w: services.return_problem(p, by=by, note=NOTE, now=at),
    A.REQUEST_EXTENSION: lambda p, by, at, w: services.request_extension(
        p, by=by, requested_due_at=at + timedelta(days=30), note=NOTE, now=at
    ),
    A.APPROVE_EXTENSION: lambda p, by, at, w: services.approve_extension(p, by=by, now=at),
    A.REJECT_EXTENSION: lambda p, by, at, w: services.reject_extension(p, by=by, note=NOTE, now=at),
    A.REQUEST_PAUSE: lambda p, by, at, w: services.request_pause(p, by=by, note=NOTE, now=at),
    A.APPROVE_PAUSE: lambda p, by, at, w: services.approve_pause(p, by=by, now=at),
    A.REJECT_PAUSE: lambda p, by, at, w: services.reject_pause(p, by=by, note=NOTE, now=at),
    A.RESUME: lambda p, by, at, w: services.resume_problem(p, by=by, now=at),
    A.SUBMIT: lambda p, by, at, w: services.submit_rectification(
        p, by=by, note=NOTE, uploads=[photo()], now=at
    ),
    A.VERIFY_PASS: lambda p, by, at, w: services.verify_pass(p, by=by, now=at),
    A.VERIFY_FAIL: lambda p, by, at, w: services.verify_fail(p, by=by, note=NOTE, now=at),
    A.SELF_FIX: lambda p, by, at, w: services.self_fix_problem(p, by=by, uploads=[photo()], now=at),
    A.REOPEN: lambda p, by, at, w: services.reopen_problem(p, by=by, note=NOTE, now=at),
    A.COMMENT: lambda p, by, at, w: services.comment_problem(p, by=by, note=NOTE, now=at),
    A.REMIND: lambda p, by, at, w: services.remind_problem(p, by=by, now=at),
}

# Who takes each action in the walk, and who must be refused (role, unit or no role at all).
ALLOWED = {
    A.CONFIRM_REPORT: "grid_worker",
    A.ACCEPT: "office",
    A.VOID: "grid_worker",
    A.MERGE: "office",
    A.DISPATCH: "office",
    A.RETURN: "handler_a",
    A.REQUEST_EXTENSION: "handler_a",
    A.APPROVE_EXTENSION: "office",
    A.REJECT_EXTENSION: "office",
    A.REQUEST_PAUSE: "handler_a",
    A.APPROVE_PAUSE: "office",
    A.REJECT_PAUSE: "office",
    A.RESUME: "office",
    A.SUBMIT: "handler_a",
    A.VERIFY_PASS: "inspector",
    A.VERIFY_FAIL: "inspector",
    A.SELF_FIX: "grid_worker",
    A.REOPEN: "office",
    A.COMMENT: "supervisor",
    A.REMIND: "office",
}
REFUSED = {
    A.CONFIRM_REPORT: ("handler_a", "inspector", "supervisor"),
    A.ACCEPT: ("grid_worker", "handler_a", "leader"),
    A.VOID: ("handler_a", "inspector", "leader"),
    A.MERGE: ("grid_worker", "handler_a"),
    A.DISPATCH: ("handler_a", "inspector", "leader"),
    A.RETURN: ("office", "handler_b", "grid_worker"),
    A.REQUEST_EXTENSION: ("office", "handler_b"),
    A.APPROVE_EXTENSION: ("handler_a", "inspector"),
    A.REJECT_EXTENSION: ("handler_a", "leader"),
    A.REQUEST_PAUSE: ("office", "handler_b"),
    A.APPROVE_PAUSE: ("handler_a", "inspector"),
    A.REJECT_PAUSE: ("handler_a", "leader"),
    A.RESUME: ("handler_a", "inspector"),
    A.SUBMIT: ("office", "handler_b", "grid_worker"),
    A.VERIFY_PASS: ("handler_a", "leader", "supervisor"),
    A.VERIFY_FAIL: ("handler_a", "leader"),
    A.SELF_FIX: ("handler_a", "leader", "supervisor"),
    A.REOPEN: ("handler_a", "inspector"),
    A.COMMENT: ("nobody",),
    A.REMIND: ("handler_a", "grid_worker", "inspector"),
}
# The driving state for a source status: decisions need a pending request.
NEEDS = {
    A.APPROVE_EXTENSION: "extension_pending",
    A.REJECT_EXTENSION: "extension_pending",
    A.APPROVE_PAUSE: "pause_pending",
    A.REJECT_PAUSE: "pause_pending",
}
TABLE = [
    (a, NEEDS.get(a, src)) for a, step in workflow.STEPS.items() for src in sorted(step.sources)
]
OUTSIDE = [
    (a, state)
    for a, step in workflow.STEPS.items()
    for state in S.values
    if state not in step.sources
]


@pytest.fixture
def who(ledger: dict[str, Any], report: Any) -> dict[str, Any]:
    nobody = User.objects.create_user(username="nobody", password="x-Pass-2026")
    return {**ledger, "report": report, "nobody": nobody}


def test_table_covers_every_action():
    assert set(CALLS) == set(ALLOWED) == set(REFUSED) == set(workflow.STEPS)
    assert len(TABLE) == 32


@pytest.mark.parametrize(("action", "state"), TABLE)
def test_allowed_persona_moves_to_target_with_one_event(who, report, action, state):
    problem = drive(who, report, state)
    status, _, events, _ = snapshot(problem)
    CALLS[action](problem, who[ALLOWED[action]], MONDAY_9, who)
    after = snapshot(problem)
    assert after[0] == (workflow.STEPS[action].target or status)
    assert after[2] == events + 1
    assert ProblemEvent.objects.filter(problem=problem).last().action == action


@pytest.mark.parametrize(("action", "state"), TABLE)
def test_refused_persona_changes_nothing(who, report, action, state):
    problem = drive(who, report, state)
    before = snapshot(problem)
    for persona in REFUSED[action]:
        with pytest.raises(workflow.ActionForbidden):
            CALLS[action](problem, who[persona], MONDAY_9, who)
        assert snapshot(problem) == before, persona


@pytest.mark.parametrize(("action", "status"), OUTSIDE)
def test_action_outside_its_source_states_is_not_allowed(who, report, action, status):
    problem = drive(who, report, status)
    before = snapshot(problem)
    with pytest.raises(workflow.TransitionNotAllowed):
        CALLS[action](problem, who[ALLOWED[action]], MONDAY_9, who)
    assert snapshot(problem) == before


def test_decision_without_pending_request_is_not_allowed(who, report):
    problem = drive(who, report, "dispatched")
    before = snapshot(problem)
    with pytest.raises(workflow.TransitionNotAllowed) as exc:
        services.approve_extension(problem, by=who["office"], now=MONDAY_9)
    assert exc.value.code == "no_pending_request"
    assert snapshot(problem) == before


def test_submitter_cannot_verify_own_self_fix(who, report):
    problem = drive(who, report, "reported")
    services.self_fix_problem(problem, by=who["grid_worker"], uploads=[photo()], now=MONDAY_9)
    before = snapshot(problem)
    with pytest.raises(NotAllowed) as exc:
        services.verify_pass(problem, by=who["grid_worker"], now=MONDAY_9)
    assert exc.value.code == "verifier_is_submitter"
    assert snapshot(problem) == before


def test_self_fix_verified_by_another_person_closes(who, report):
    problem = drive(who, report, "reported")
    services.self_fix_problem(problem, by=who["grid_worker"], uploads=[photo()], now=MONDAY_9)
    services.verify_pass(problem, by=who["inspector"], now=MONDAY_9 + timedelta(hours=1))
    problem.refresh_from_db()
    assert (problem.status, problem.submitted_by, problem.closed_on_time) == (
        S.CLOSED,
        who["grid_worker"],
        True,
    )


def test_happy_path_with_one_rework_closes_on_time(who, report):
    problem = drive(who, report, "reported")
    at = MONDAY_9
    services.accept_problem(problem, by=who["office"], now=at)
    services.dispatch_problem(problem, by=who["office"], now=at)  # due 14:30
    services.submit_rectification(
        problem, by=who["handler_a"], note="已清理", uploads=[photo()], now=at + timedelta(hours=1)
    )
    services.verify_fail(problem, by=who["inspector"], note="仍有垃圾", now=at + timedelta(hours=2))
    assert (problem.status, problem.rework_count) == (S.DISPATCHED, 1)
    services.submit_rectification(
        problem,
        by=who["handler_a"],
        note="再次清理",
        uploads=[photo()],
        now=at + timedelta(hours=3),
    )
    services.verify_pass(problem, by=who["inspector"], now=at + timedelta(hours=6))
    problem.refresh_from_db()
    assert (problem.status, problem.rework_count, problem.closed_on_time) == (S.CLOSED, 1, True)
    assert list(problem.events.values_list("action", flat=True)) == [
        "report",
        "accept",
        "dispatch",
        "submit",
        "verify_fail",
        "submit",
        "verify_pass",
    ]


# Concurrency: two connections act on one problem at the same moment ----------------------


def _busy_retry(call: Callable[[], Any]) -> Any:
    """Retry while SQLite reports the table locked, as a file database's busy handler would.

    The in-memory test database uses SQLite's shared cache, where a second writer gets
    SQLITE_LOCKED at once instead of waiting ``timeout`` seconds as on the WAL file the
    project runs on. The service's transaction was rolled back, so calling it again is
    what the busy wait amounts to. PostgreSQL never takes this path (it waits on the row).
    """
    for _ in range(500):
        try:
            return call()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def race(pk: int, *calls: Callable[[Problem], Any]) -> list[Any]:
    """Run each call in its own thread (own DB connection), released together by a barrier.

    Returns "ok" or the exception for each call.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[Problem], Any]) -> None:
        try:
            problem = Problem.objects.select_related("unit", "department").get(pk=pk)
            barrier.wait(timeout=10)
            _busy_retry(lambda: call(problem))
            results[index] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_one_wins_one_conflicts(ledger, report):
    problem = report()
    office, admin = ledger["office"], ledger["admin"]
    office.scope, admin.scope  # noqa: B018 - resolve scopes before the threads start
    results = race(
        problem.pk,
        lambda p: services.accept_problem(p, by=office, now=MONDAY_9),
        lambda p: services.accept_problem(p, by=admin, now=MONDAY_9),
    )
    assert results.count("ok") == 1, results
    assert sum(isinstance(r, services.StaleTransition) for r in results) == 1, results
    assert ProblemEvent.objects.filter(problem=problem).count() == 2
    assert Problem.objects.get(pk=problem.pk).status == S.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_concurrent_void_and_accept_leave_one_event(ledger, report):
    problem = report()
    office, worker = ledger["office"], ledger["grid_worker"]
    office.scope, worker.scope  # noqa: B018
    results = race(
        problem.pk,
        lambda p: services.accept_problem(p, by=office, now=MONDAY_9),
        lambda p: services.void_problem(p, by=worker, note="无效", now=MONDAY_9),
    )
    winners = [r for r in results if r == "ok"]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    final = Problem.objects.get(pk=problem.pk)
    assert final.status in (S.ACCEPTED, S.VOIDED)
    assert list(final.events.values_list("action", flat=True))[1:] == [
        "accept" if final.status == S.ACCEPTED else "void"
    ]
