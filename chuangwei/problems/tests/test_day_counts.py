"""The ledger's daily counts (``ProblemDayCount``) stay equal to a recount of the ledger."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command

from chuangwei.problems import services, stats
from chuangwei.problems.models import (
    Problem,
    ProblemDayCategoryCount,
    ProblemDayCount,
    ProblemDayScopeCount,
    ProblemMonthCellCount,
    ProblemOpenCount,
)

from .conftest import IN_B, MONDAY_9, SH
from .images import make_jpeg, uploaded

NOTE = "现场已处理"
JPEG = make_jpeg(96, 72, text="fix")


def photo() -> services.Upload:
    return services.Upload(uploaded(JPEG))


def stored() -> dict[tuple[date, int, int], tuple[int, ...]]:
    """The stored counts without all-zero rows (a reversed change leaves one behind)."""
    rows = ProblemDayCount.objects.values_list("day", "unit", "grid", *stats.MEASURES)
    return {(d, u, g): tuple(m) for d, u, g, *m in rows if any(m)}


def by_department() -> dict[tuple[date, int, int, int], tuple[int, ...]]:
    rows = ProblemDayScopeCount.objects.values_list("day", "unit", "grid", "department", *stats.MEASURES)  # fmt: skip
    return {(d, u, g, dep): tuple(m) for d, u, g, dep, *m in rows if any(m)}


def rolled_up() -> dict[tuple[date, int, int], tuple[int, ...]]:
    """The per-department counts summed over departments."""
    out: dict[tuple[date, int, int], list[int]] = {}
    for (d, u, g, _dep), m in by_department().items():
        sums = out.setdefault((d, u, g), [0] * len(m))
        out[(d, u, g)] = [a + b for a, b in zip(sums, m, strict=True)]
    return {k: tuple(v) for k, v in out.items()}


def by_category() -> dict[tuple[date, int, str], tuple[int, int]]:
    rows = ProblemDayCategoryCount.objects.values_list("day", "category", "source", "reported", "recurred")  # fmt: skip
    return {(d, c, s): (n, r) for d, c, s, n, r in rows if n or r}


def by_cell() -> dict[tuple[date, int, int], int]:
    rows = ProblemMonthCellCount.objects.values_list("month", "y", "x", "reported")
    return {(m, y, x): n for m, y, x, n in rows if n}


def by_open() -> dict[tuple[int, int], int]:
    rows = ProblemOpenCount.objects.values_list("unit", "department", "open")
    return {(u, d): n for u, d, n in rows if n}


def recounted() -> dict[tuple[date, int, int], tuple[int, ...]]:
    before = stored(), by_department(), by_category(), by_cell(), by_open()
    stats.rebuild()
    after = stored(), by_department(), by_category(), by_cell(), by_open()
    assert before == after, "the kept counts differ from a recount of the ledger"
    assert rolled_up() == after[0], "the per-department counts do not add up"
    return after[0]


def _close(problem: Problem, who: dict[str, Any], at: datetime) -> None:
    services.dispatch_problem(problem, by=who["office"], now=at)
    services.submit_rectification(
        problem, by=who["handler_a"], note=NOTE, uploads=[photo()], now=at + timedelta(hours=1)
    )
    services.verify_pass(problem, by=who["inspector"], now=at + timedelta(hours=2))


def test_a_report_counts_on_its_shanghai_day(report, ledger):
    late = datetime(2026, 3, 2, 23, 30, tzinfo=SH)  # 15:30 UTC, still Monday in Shanghai
    problem = report(at=late)
    key = (date(2026, 3, 2), problem.unit_id, problem.grid_id)
    assert stored() == {key: (1, 0, 0, 0, 0, 0)}


def test_a_citizen_report_and_a_recurrence_are_counted(report, ledger):
    first = report(source="citizen", needs_confirmation=False)
    _close(first, ledger, MONDAY_9)
    again = report(at=MONDAY_9 + timedelta(hours=5))
    assert again.recurrence_of_id == first.pk
    key = (date(2026, 3, 2), first.unit_id, first.grid_id)
    assert stored() == {key: (2, 1, 1, 1, 1, 0)}


def test_closing_counts_on_the_closing_day_with_on_time_and_rework(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], now=MONDAY_9)
    submit = MONDAY_9 + timedelta(hours=1)
    services.submit_rectification(problem, by=ledger["handler_a"], note=NOTE, uploads=[photo()], now=submit)  # fmt: skip
    services.verify_fail(problem, by=ledger["inspector"], note="未整改到位", now=submit + timedelta(hours=1))  # fmt: skip
    services.submit_rectification(problem, by=ledger["handler_a"], note=NOTE, uploads=[photo()], now=submit + timedelta(hours=2))  # fmt: skip
    tuesday = datetime(2026, 3, 3, 10, 0, tzinfo=SH)
    services.verify_pass(problem, by=ledger["inspector"], now=tuesday)
    unit, grid = problem.unit_id, problem.grid_id
    assert stored() == {
        (date(2026, 3, 2), unit, grid): (1, 0, 0, 0, 0, 0),
        (date(2026, 3, 3), unit, grid): (0, 0, 0, 1, int(problem.closed_on_time), 1),
    }
    assert recounted() == stored()


def test_a_reopen_takes_the_closure_back(report, ledger):
    problem = report()
    _close(problem, ledger, MONDAY_9)
    services.reopen_problem(problem, by=ledger["office"], note="又出现了", now=MONDAY_9 + timedelta(days=1))  # fmt: skip
    assert stored() == {(date(2026, 3, 2), problem.unit_id, problem.grid_id): (1, 0, 0, 0, 0, 0)}


def test_a_citizen_review_reopen_takes_the_closure_back(report, ledger):
    problem = report()
    _close(problem, ledger, MONDAY_9)
    services.reopen_for_review(problem, note="不满意", now=MONDAY_9 + timedelta(days=1))
    assert stored() == {(date(2026, 3, 2), problem.unit_id, problem.grid_id): (1, 0, 0, 0, 0, 0)}


def test_dispatching_to_another_unit_moves_the_report(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], unit=ledger["community_b"], now=MONDAY_9)  # fmt: skip
    assert stored() == {(date(2026, 3, 2), ledger["community_b"].pk, problem.grid_id): (1, 0, 0, 0, 0, 0)}  # fmt: skip


def test_dispatching_to_a_department_moves_the_report_to_its_key(report, ledger):
    from chuangwei.org.choices import OrgUnitKind
    from chuangwei.org.services import create_org_unit

    other = create_org_unit(
        code="D-YL", name="市园林局", kind=OrgUnitKind.DEPARTMENT, parent=ledger["city"]
    )
    problem = report()
    assert {k[3] for k in by_department()} == {problem.department_id or 0}
    services.dispatch_problem(problem, by=ledger["office"], department=other, now=MONDAY_9)
    key = (date(2026, 3, 2), problem.unit_id, problem.grid_id, other.pk)
    assert by_department() == {key: (1, 0, 0, 0, 0, 0)}
    assert recounted() == stored() == rolled_up()


def test_voiding_and_merging_keep_the_report(report, ledger):
    kept, dropped, merged = report(), report(point=IN_B), report()
    services.void_problem(dropped, by=ledger["office"], note="无效", now=MONDAY_9)
    services.merge_problem(merged, into=kept, by=ledger["office"], now=MONDAY_9)
    assert sum(row[0] for row in stored().values()) == 3
    assert recounted() == stored()


def test_a_direct_save_is_counted_and_an_edit_moves_the_count(ledger):
    from chuangwei.places.models import Grid

    grid = Grid.objects.get(code="GA")
    problem = Problem.objects.create(
        code="WT-X-1", tracking_code="TX1", source="hotline", category=ledger["category"],
        lng=117.305, lat=34.805, unit=ledger["community_a"], grid=grid, status="reported",
        reported_at=MONDAY_9,
    )  # fmt: skip
    problem.status, problem.closed_at, problem.closed_on_time = "closed", MONDAY_9 + timedelta(days=2), True  # fmt: skip
    problem.save()
    unit = ledger["community_a"].pk
    assert stored() == {
        (date(2026, 3, 2), unit, grid.pk): (1, 0, 0, 0, 0, 0),
        (date(2026, 3, 4), unit, grid.pk): (0, 0, 0, 1, 1, 0),
    }


def test_a_failed_transition_changes_no_count(report, ledger):
    problem = report()
    stale = Problem.objects.get(pk=problem.pk)
    services.accept_problem(problem, by=ledger["office"], now=MONDAY_9)
    with pytest.raises(services.StaleTransition):
        services.dispatch_problem(stale, by=ledger["office"], unit=ledger["community_b"], now=MONDAY_9)  # fmt: skip
    assert stored() == {(date(2026, 3, 2), problem.unit_id, problem.grid_id): (1, 0, 0, 0, 0, 0)}


def test_the_command_rebuilds_lost_counts(report, ledger, capsys):
    problem = report()
    _close(problem, ledger, MONDAY_9)
    ProblemDayCount.objects.all().delete()
    call_command("rebuild_day_counts")
    # one per table: day × unit × grid, the same with the department, day × category × source,
    # month × map cell
    assert "4 daily counting rows rebuilt." in capsys.readouterr().out
    assert stored() == {(date(2026, 3, 2), problem.unit_id, problem.grid_id): (1, 0, 0, 1, 1, 0)}


def test_reports_are_counted_per_category_and_source(report, ledger):
    first = report(source="citizen", needs_confirmation=False)
    _close(first, ledger, MONDAY_9)
    report(at=MONDAY_9 + timedelta(hours=5))  # a recurrence of the first
    report(point=IN_B, source="hotline", at=datetime(2026, 3, 3, 0, 30, tzinfo=SH))
    category = ledger["category"].pk
    assert by_category() == {
        (date(2026, 3, 2), category, "citizen"): (1, 0),
        (date(2026, 3, 2), category, "grid_patrol"): (1, 1),
        (date(2026, 3, 3), category, "hotline"): (1, 0),
    }
    assert recounted() == stored()


def test_the_migration_form_of_the_rebuild_gives_the_same_counts(report, ledger):
    from django.apps import apps

    problem = report()
    _close(problem, ledger, MONDAY_9)
    report(point=IN_B)  # still open
    kept = stored(), by_department(), by_category(), by_cell(), by_open()
    ProblemDayCount.objects.all().delete()
    ProblemDayScopeCount.objects.all().delete()
    ProblemDayCategoryCount.objects.all().delete()
    ProblemMonthCellCount.objects.all().delete()
    ProblemOpenCount.objects.all().delete()
    # day × unit × grid twice (and with the department), day × category × source, month ×
    # cell twice, and the open one's unit × department
    assert stats.rebuild(apps) == 8
    assert (stored(), by_department(), by_category(), by_cell(), by_open()) == kept


def test_a_report_counts_in_its_shanghai_month_and_map_cell(report, ledger):
    report(at=datetime(2026, 3, 31, 23, 30, tzinfo=SH))  # 15:30 UTC, still March in Shanghai
    report(point=IN_B, at=datetime(2026, 4, 1, 0, 30, tzinfo=SH))
    report(point=(117.3054, 34.8056), at=datetime(2026, 3, 5, 9, 0, tzinfo=SH))
    assert by_cell() == {
        (date(2026, 3, 1), 34805, 117305): 1,
        (date(2026, 4, 1), 34805, 117325): 1,
        (date(2026, 3, 1), 34806, 117305): 1,
    }
    assert recounted() == stored()


def test_a_voided_report_stays_on_the_heat_map(report, ledger):
    """Like the ledger's heat query: every report of the period, whatever became of it."""
    problem = report()
    services.void_problem(problem, by=ledger["office"], note="重复上报", now=MONDAY_9)
    assert by_cell() == {(date(2026, 3, 1), 34805, 117305): 1}


@pytest.mark.parametrize(
    ("degrees", "cell"),
    [(117.3054, 117305), (117.3056, 117306), (34.8, 34800), (-0.0016, -2), (-0.0014, -1)],
)
def test_a_coordinate_falls_in_the_nearest_cell(degrees, cell):
    assert stats.cell_of(degrees) == cell


def test_the_database_puts_coordinates_in_the_same_cells(report, ledger):
    """``HeatCell`` in SQL (the ledger's heat query and the recount) agrees with ``cell_of``."""
    from chuangwei.core.expressions import HeatCell

    points = [(117.3054, 34.8056), (117.30549, 34.80451), (-0.0016, -0.0014), (0.0, 0.0)]
    for lng, lat in points:
        Problem.objects.filter(pk=report().pk).update(lng=lng, lat=lat)
    rows = Problem.objects.annotate(y=HeatCell("lat", 1000), x=HeatCell("lng", 1000))
    cells = sorted((int(y), int(x)) for y, x in rows.values_list("y", "x"))
    assert cells == sorted((stats.cell_of(lat), stats.cell_of(lng)) for lng, lat in points)


def test_open_problems_are_counted_per_unit_and_department_until_closed(report, ledger):
    problem = report()
    assert by_open() == {(problem.unit_id, problem.department_id or 0): 1}
    _close(problem, ledger, MONDAY_9)
    assert by_open() == {}
    assert recounted() == stored()


def test_dispatch_to_a_department_moves_the_open_count(report, ledger):
    problem = report()
    services.dispatch_problem(problem, by=ledger["office"], department=ledger["department"], now=MONDAY_9)  # fmt: skip
    assert by_open() == {(problem.unit_id, ledger["department"].pk): 1}
    assert recounted() == stored()


def test_a_migration_fills_the_counts_of_an_existing_ledger(report, ledger):
    from django.apps import apps

    problem = report()
    kept = stored(), by_department(), by_category(), by_cell(), by_open()
    ProblemMonthCellCount.objects.all().delete()
    ProblemOpenCount.objects.all().delete()
    stats.fill_from_ledger(apps, None)
    assert (stored(), by_department(), by_category(), by_cell(), by_open()) == kept
    assert by_open() == {(problem.unit_id, problem.department_id or 0): 1}


def test_a_migration_on_an_empty_ledger_writes_no_counts(db):
    from django.apps import apps

    stats.fill_from_ledger(apps, None)
    assert (stored(), by_cell(), by_open()) == ({}, {}, {})
