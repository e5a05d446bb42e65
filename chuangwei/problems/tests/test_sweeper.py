"""The deadline worker: reminders, overdue notices, escalation; idempotent and race-safe."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import Membership, User
from chuangwei.notifications.models import Notification
from chuangwei.org.models import Person
from chuangwei.problems import services, sweeper
from chuangwei.problems.choices import EscalationLevel
from chuangwei.problems.models import Problem, ProblemEvent
from chuangwei.problems.notify import recipients
from chuangwei.problems.sweeper import SweepResult, sweep

from .conftest import MONDAY_9, SH
from .images import make_jpeg, uploaded

DUE = datetime(2026, 3, 2, 14, 30, tzinfo=SH)  # 4 working hours after MONDAY_9
AT_13_45 = datetime(2026, 3, 2, 13, 45, tzinfo=SH)
AT_14_31 = datetime(2026, 3, 2, 14, 31, tzinfo=SH)


@pytest.fixture
def dispatched(report: Any, ledger: dict[str, Any]) -> Problem:
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    problem.refresh_from_db()
    return problem


def worker_events(problem: Problem) -> list[tuple[str, dict[str, Any]]]:
    return list(
        problem.events.filter(action__in=["warn", "overdue", "escalate"])
        .order_by("id")
        .values_list("action", "payload")
    )


def counts(result: SweepResult) -> tuple[int, int, int]:
    return result.warned, result.overdue, result.escalated


def test_nothing_is_due_before_the_warning_time(dispatched: Problem) -> None:
    result = sweep(datetime(2026, 3, 2, 13, 0, tzinfo=SH))
    assert counts(result) == (0, 0, 0)
    assert worker_events(dispatched) == []


def test_reminder_is_written_once_after_the_warning_time(dispatched: Problem) -> None:
    assert dispatched.warn_at == datetime(2026, 3, 2, 13, 42, tzinfo=SH)
    assert counts(sweep(AT_13_45)) == (1, 0, 0)
    [(action, payload)] = worker_events(dispatched)
    assert (action, datetime.fromisoformat(payload["due_at"])) == ("warn", DUE)
    dispatched.refresh_from_db()
    assert dispatched.remind_at is None


def test_second_sweep_at_the_same_time_does_nothing(dispatched: Problem) -> None:
    sweep(AT_13_45)
    assert counts(sweep(AT_13_45)) == (0, 0, 0)
    assert len(worker_events(dispatched)) == 1


def test_overdue_notice_schedules_first_escalation(dispatched: Problem) -> None:
    sweep(AT_13_45)
    assert counts(sweep(AT_14_31)) == (0, 1, 0)
    assert [a for a, _p in worker_events(dispatched)] == ["warn", "overdue"]
    dispatched.refresh_from_db()
    assert (dispatched.overdue_at, dispatched.escalate_at) == (None, DUE + timedelta(hours=24))
    assert dispatched.escalation_level == 0


def test_late_first_sweep_sends_overdue_without_stale_reminder(dispatched: Problem) -> None:
    assert counts(sweep(AT_14_31)) == (0, 1, 0)
    assert [a for a, _p in worker_events(dispatched)] == ["overdue"]


def test_first_escalation_is_supervision_and_schedules_the_next(dispatched: Problem) -> None:
    sweep(AT_14_31)
    assert counts(sweep(DUE + timedelta(hours=25))) == (0, 0, 1)
    dispatched.refresh_from_db()
    assert dispatched.escalation_level == EscalationLevel.SUPERVISE
    assert dispatched.escalate_at == DUE + timedelta(hours=72)
    assert worker_events(dispatched)[-1] == ("escalate", {"level": 1})


def test_levels_advance_one_per_sweep_up_to_interview_then_stop(dispatched: Problem) -> None:
    sweep(AT_14_31)
    late = DUE + timedelta(hours=200)
    levels = []
    for _ in range(4):
        sweep(late)
        dispatched.refresh_from_db()
        levels.append(dispatched.escalation_level)
    assert levels == [1, 2, 3, 3]
    assert dispatched.escalate_at is None
    assert [p for a, p in worker_events(dispatched) if a == "escalate"] == [
        {"level": 1},
        {"level": 2},
        {"level": 3},
    ]


def test_escalation_spans_come_from_settings(dispatched: Problem, settings: Any) -> None:
    settings.CHUANGWEI_ESCALATION_HOURS = ["2", "4", "8"]
    sweep(AT_14_31)
    dispatched.refresh_from_db()
    assert dispatched.escalate_at == DUE + timedelta(hours=2)


def test_paused_problem_is_never_swept(dispatched: Problem, ledger: dict[str, Any]) -> None:
    at_10 = MONDAY_9 + timedelta(hours=1)
    services.request_pause(dispatched, by=ledger["handler_a"], note="需施工", now=at_10)
    services.approve_pause(dispatched, by=ledger["office"], now=at_10)
    for hours in (5, 30, 100, 200):
        assert counts(sweep(MONDAY_9 + timedelta(hours=hours))) == (0, 0, 0)
    assert worker_events(dispatched) == []


def test_submitted_problem_is_not_overdue_notified(
    dispatched: Problem, ledger: dict[str, Any]
) -> None:
    services.submit_rectification(
        dispatched,
        by=ledger["handler_a"],
        note="已清理",
        uploads=[services.Upload(uploaded(make_jpeg()))],
        now=datetime(2026, 3, 2, 11, 0, tzinfo=SH),
    )
    assert counts(sweep(DUE + timedelta(hours=30))) == (0, 0, 0)
    assert worker_events(dispatched) == []


def test_candidate_taken_before_another_sweep_claims_is_written_once(dispatched: Problem) -> None:
    rows = list(
        sweeper._candidates(
            "overdue_at", AT_14_31, ("status", "unit_id", "due_at", "escalation_level"), 10
        )
    )
    assert counts(sweep(AT_14_31)) == (0, 1, 0)  # the other copy wins
    assert sweeper._claim_overdue(AT_14_31, rows[0]) is None
    assert [a for a, _p in worker_events(dispatched)] == ["overdue"]


def test_two_sweeps_write_each_event_once(report: Any, ledger: dict[str, Any]) -> None:
    for point in ((117.305, 34.805), (117.306, 34.806), (117.325, 34.805)):
        problem = report(point=point)
        services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    first, second = sweep(AT_14_31, batch=2), sweep(AT_14_31, batch=2)
    assert (first.overdue, second.overdue) == (3, 0)
    assert ProblemEvent.objects.filter(action="overdue").count() == 3


def test_sweep_pages_through_more_rows_than_one_batch(report: Any, ledger: dict[str, Any]) -> None:
    for i in range(5):
        problem = report(point=(117.301 + i * 0.001, 34.805))
        services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    assert counts(sweep(DUE + timedelta(hours=25), batch=2)) == (0, 5, 5)


def test_command_runs_once_and_reports_counts(dispatched: Problem) -> None:
    Problem.objects.filter(pk=dispatched.pk).update(overdue_at=datetime(2026, 1, 1, tzinfo=SH))
    out = StringIO()
    with translation.override("en"):
        call_command("sweep_deadlines", stdout=out)
    assert "0 reminders, 1 overdue notices, 1 escalations" in out.getvalue()


@pytest.fixture
def community_heads(ledger: dict[str, Any]) -> None:
    """甲一社区 gets a head with a handler login and a liaison (the leader persona)."""
    community = ledger["community_a"]
    head_user = User.objects.create_user(username="head", password="x", display_name="社区书记")
    Membership.objects.create(user=head_user, unit=community, role=Role.HANDLER)
    community.head = Person.objects.create(name="社区书记", unit=community, user=head_user)
    community.liaison = Person.objects.create(name="联络员", unit=community, user=ledger["leader"])
    community.save()


@pytest.mark.usefixtures("community_heads")
def test_overdue_notice_goes_to_handlers_head_and_liaison(dispatched: Problem) -> None:
    sweep(AT_14_31)
    event = ProblemEvent.objects.select_related("problem__unit").get(action="overdue")
    assert {u.username for u in recipients(event)} == {"head", "leader", "handler_a"}


@pytest.mark.usefixtures("community_heads")
def test_overdue_notice_lands_in_their_inboxes_after_commit(
    dispatched: Problem, django_capture_on_commit_callbacks: Any
) -> None:
    try:
        reverse("problems:problem_detail", args=[dispatched.pk])
    except NoReverseMatch:
        pytest.skip("the ledger pages are not wired yet")
    with django_capture_on_commit_callbacks(execute=True):
        sweep(AT_14_31)
    event = ProblemEvent.objects.get(problem=dispatched, action="overdue")
    told = Notification.objects.filter(source_id=event.pk).values_list("recipient__username")
    assert {name for (name,) in told} == {"head", "leader", "handler_a"}
