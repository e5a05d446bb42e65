"""Services: routing, deadlines on the working calendar, pause clock, requests, conflicts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chuangwei.core.errors import Conflict, InvalidInput
from chuangwei.problems import services, workflow
from chuangwei.problems.choices import ProblemStatus as S
from chuangwei.problems.models import CalendarDay, Problem, ProblemEvent

from .conftest import IN_A, IN_B, MONDAY_9, SH


def test_report_routes_to_grid_owner_and_category_department(report, ledger):
    problem = report()
    assert problem.status == S.REPORTED
    assert problem.grid.code == "GA"
    assert problem.unit == ledger["community_a"]
    assert problem.department == ledger["department"]
    assert problem.work_line == ledger["line"]
    assert problem.code == f"WT-2026-{problem.pk:06d}"


def test_report_writes_one_report_event(report):
    problem = report()
    assert list(problem.events.values_list("action", "to_status")) == [("report", "reported")]


def test_report_outside_every_grid_is_refused_and_stores_nothing(report):
    with pytest.raises(InvalidInput) as exc:
        report(point=(117.40, 34.85))  # 6 km east of the grids
    assert exc.value.code == "outside_grids"
    assert Problem.objects.count() == 0


def test_report_without_location_is_refused(ledger):
    with pytest.raises(InvalidInput) as exc:
        services.report_problem(
            source="grid_patrol",
            category=ledger["category"],
            lng=None,
            lat=None,
            by=ledger["grid_worker"],
            now=MONDAY_9,
        )
    assert exc.value.code == "missing_location"


def test_report_with_unknown_category_is_refused(ledger):
    with pytest.raises(InvalidInput) as exc:
        services.report_problem(
            source="grid_patrol",
            category=None,
            lng=IN_A[0],
            lat=IN_A[1],
            by=ledger["grid_worker"],
            now=MONDAY_9,
        )
    assert exc.value.code == "unknown_category"


def test_citizen_report_awaits_confirmation(report):
    assert report(source="citizen").status == S.VERIFYING_REPORT


def test_dispatch_sets_working_hours_deadline(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    problem.refresh_from_db()
    assert problem.status == S.DISPATCHED
    # 4 working hours from Mon 09:00: 09:00–12:00 (3 h) + 13:30–14:30 (1 h).
    assert problem.due_at == datetime(2026, 3, 2, 14, 30, tzinfo=SH)
    # 80 % = 3.2 h: 09:00 + 3 h = 12:00, + 0.2 h after lunch = 13:42.
    assert problem.warn_at == datetime(2026, 3, 2, 13, 42, tzinfo=SH)


def test_deadline_skips_weekend_and_holiday(report, ledger):
    CalendarDay.objects.create(date=datetime(2026, 3, 9).date(), is_workday=False, name="测试假日")
    friday_16 = datetime(2026, 3, 6, 16, 0, tzinfo=SH)
    problem = report(at=friday_16)
    services.dispatch_problem(problem, by=ledger["office"], now=friday_16)
    problem.refresh_from_db()
    # Fri 16:00–17:30 = 1.5 h; Sat, Sun off; Mon 9th a holiday; Tue 08:30 + 2.5 h = 11:00.
    assert problem.due_at == datetime(2026, 3, 10, 11, 0, tzinfo=SH)


def test_adjusted_working_saturday_counts(report, ledger):
    CalendarDay.objects.create(date=datetime(2026, 3, 7).date(), is_workday=True, name="调休")
    friday_16 = datetime(2026, 3, 6, 16, 0, tzinfo=SH)
    problem = report(at=friday_16)
    services.dispatch_problem(problem, by=ledger["office"], now=friday_16)
    problem.refresh_from_db()
    assert problem.due_at == datetime(2026, 3, 7, 11, 0, tzinfo=SH)


def test_pause_stops_the_clock_and_resume_adds_the_rest(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)  # due 14:30
    at_10 = MONDAY_9 + timedelta(hours=1)
    services.request_pause(problem, by=ledger["handler_a"], note="需施工", now=at_10)
    services.approve_pause(problem, by=ledger["office"], now=at_10)
    assert problem.status == S.PAUSED
    # Resume Tuesday 09:00: 3 working hours were left (10:00–12:00, 13:30–14:30).
    tuesday_9 = datetime(2026, 3, 3, 9, 0, tzinfo=SH)
    services.resume_problem(problem, by=ledger["office"], now=tuesday_9)
    problem.refresh_from_db()
    assert problem.status == S.DISPATCHED
    assert problem.due_at == datetime(2026, 3, 3, 12, 0, tzinfo=SH)
    assert problem.paused_seconds == 23 * 3600


def test_extension_moves_deadline_and_counts(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    wanted = datetime(2026, 3, 6, 17, 0, tzinfo=SH)
    services.request_extension(
        problem, by=ledger["handler_a"], requested_due_at=wanted, note="材料未到", now=MONDAY_9
    )
    services.approve_extension(problem, by=ledger["office"], now=MONDAY_9)
    problem.refresh_from_db()
    assert (problem.due_at, problem.extension_count) == (wanted, 1)


def test_second_pending_extension_request_is_refused(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    wanted = datetime(2026, 3, 6, 17, 0, tzinfo=SH)
    services.request_extension(
        problem, by=ledger["handler_a"], requested_due_at=wanted, note="a", now=MONDAY_9
    )
    with pytest.raises(Conflict):
        services.request_extension(
            problem, by=ledger["handler_a"], requested_due_at=wanted, note="b", now=MONDAY_9
        )


def test_handler_of_other_street_cannot_return(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    with pytest.raises(workflow.ActionForbidden):
        services.return_problem(problem, by=ledger["handler_b"], note="不是我们的")
    problem.refresh_from_db()
    assert problem.status == S.DISPATCHED


def test_return_goes_back_to_accepted_and_clears_deadline(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    services.return_problem(problem, by=ledger["handler_a"], note="派错了", now=MONDAY_9)
    problem.refresh_from_db()
    assert (problem.status, problem.due_at) == (S.ACCEPTED, None)


def test_stale_copy_gets_conflict_and_no_event(report, ledger):
    problem = report()
    stale = Problem.objects.get(pk=problem.pk)
    services.accept_problem(problem, by=ledger["office"], now=MONDAY_9)
    events = ProblemEvent.objects.count()
    with pytest.raises(Conflict):
        services.void_problem(stale, by=ledger["office"], note="重复", now=MONDAY_9)
    assert ProblemEvent.objects.count() == events


def test_impossible_transition_changes_nothing(report, ledger):
    problem = report()
    with pytest.raises(workflow.TransitionNotAllowed):
        services.resume_problem(problem, by=ledger["office"], now=MONDAY_9)
    problem.refresh_from_db()
    assert problem.status == S.REPORTED
    assert problem.events.count() == 1


def test_duplicate_proposed_for_same_category_nearby(report, ledger):
    from chuangwei.problems.selectors import find_duplicates

    first = report()
    near = find_duplicates(ledger["category"].pk, IN_A[0] + 0.0001, IN_A[1], MONDAY_9)
    assert [p.code for p in near] == [first.code]
    assert find_duplicates(ledger["category"].pk, IN_B[0], IN_B[1], MONDAY_9) == []


def test_recurrence_links_to_recently_closed_problem(report, ledger):
    first = report()
    Problem.objects.filter(pk=first.pk).update(status=S.CLOSED, closed_at=MONDAY_9)
    second = report(at=MONDAY_9 + timedelta(days=10))
    assert second.recurrence_of_id == first.pk
    third = report(at=MONDAY_9 + timedelta(days=40), point=(IN_A[0] + 0.0001, IN_A[1]))
    assert third.recurrence_of_id is None


def test_supervisor_report_always_awaits_confirmation(report):
    problem = report(by="supervisor", source="grid_patrol")
    assert (problem.source, problem.status) == ("supervisor", S.VERIFYING_REPORT)


def test_handler_deciding_an_extension_is_told_forbidden_not_nothing_pending(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    with pytest.raises(workflow.ActionForbidden):
        services.approve_extension(problem, by=ledger["handler_a"], now=MONDAY_9)
