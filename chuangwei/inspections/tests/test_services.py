"""Services: planning, scoring, deductions into the ledger, versioning, sampling, patrols."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest

from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.inspections import selectors, services
from chuangwei.inspections.models import (
    Deduction,
    InspectionTask,
    PatrolCheckin,
    ScoreSheet,
    SiteResult,
)
from chuangwei.problems.models import Problem

from .conftest import MONDAY_9

LATER = MONDAY_9 + timedelta(hours=1)


def _result(task: Any, site: Any) -> SiteResult:
    return SiteResult.objects.get(task=task, site=site)


def test_create_task_gives_each_site_the_sheet_of_its_type(task: Any, insp: dict[str, Any]) -> None:
    results = list(task.results.order_by("sort_order"))
    assert [(r.site.code, r.sheet_id, r.possible, r.status) for r in results] == [
        ("S-A", insp["sheet"].pk, D("30.00"), "pending"),
        ("S-B", insp["sheet"].pk, D("30.00"), "pending"),
    ]


def test_create_task_without_sites_is_refused_and_makes_nothing(insp: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.create_task(
            name="空", kind="covert", planned_date=MONDAY_9.date(), sites=[], by=insp["office"]
        )
    assert "sites" in exc.value.fields
    assert InspectionTask.objects.count() == 0


def test_create_task_refuses_a_sheet_with_no_items(insp: dict[str, Any]) -> None:
    from chuangwei.places.tests.factories import SiteFactory, SiteTypeFactory

    empty = ScoreSheet.objects.create(code="EMPTY", name="空表")
    site = SiteFactory(site_type=SiteTypeFactory(code="lane"), lng=117.305, lat=34.805)
    with pytest.raises(InvalidInput) as exc:
        services.create_task(
            name="x",
            kind="covert",
            planned_date=MONDAY_9.date(),
            sites=[site],
            sheet=empty,
            by=insp["office"],
        )
    assert exc.value.code == "bad_task"
    assert InspectionTask.objects.count() == 0


def test_publishing_a_sheet_with_no_items_is_refused(insp: dict[str, Any]) -> None:
    empty = ScoreSheet.objects.create(code="EMPTY", name="空表")
    with pytest.raises(InvalidInput) as exc:
        services.publish_sheet(empty, by=insp["office"])
    assert exc.value.code == "sheet_empty"
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_handler_cannot_plan_a_task(insp: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        services.create_task(
            name="x",
            kind="covert",
            planned_date=MONDAY_9.date(),
            sites=[insp["site_a"]],
            by=insp["handler_a"],
        )


def test_deduction_creates_a_routed_problem_with_its_points(
    task: Any, insp: dict[str, Any]
) -> None:
    result = _result(task, insp["site_a"])
    deduction = services.add_deduction(
        result, insp["clean"], points="3", note="地面有积水", by=insp["inspector"], now=LATER
    )
    problem = Problem.objects.get(pk=deduction.problem_id)
    assert (
        problem.source,
        problem.points_lost,
        problem.site_id,
        problem.unit_id,
        problem.status,
    ) == (
        "mock_covert",
        D("3.00"),
        insp["site_a"].pk,
        insp["community_a"].pk,
        "reported",
    )
    assert problem.external_ref == f"{task.code}/{result.pk}/{insp['clean'].pk}"
    assert problem.department_id == insp["department"].pk


def test_deduction_moves_task_in_progress_and_updates_totals(
    task: Any, insp: dict[str, Any]
) -> None:
    result = _result(task, insp["site_a"])
    services.add_deduction(
        result, insp["clean"], points="3", note="积水", by=insp["inspector"], now=LATER
    )
    result.refresh_from_db()
    task.refresh_from_db()
    assert (task.status, result.status, result.obtained, result.lost) == (
        "in_progress",
        "partial",
        D("7.00"),
        D("3.00"),
    )


@pytest.mark.parametrize(
    ("points", "code"),
    [("-2", "negative_points"), ("0", "deduction_not_positive"), ("11", "deduction_over_cap")],
)
def test_bad_deduction_changes_nothing(
    task: Any, insp: dict[str, Any], points: str, code: str
) -> None:
    result = _result(task, insp["site_a"])
    with pytest.raises(InvalidInput) as exc:
        services.add_deduction(
            result, insp["clean"], points=points, note="x", by=insp["inspector"], now=LATER
        )
    assert exc.value.code == code
    assert (Deduction.objects.count(), Problem.objects.count()) == (0, 0)
    task.refresh_from_db()
    assert task.status == "planned"


def test_second_deduction_beyond_the_cap_is_refused(task: Any, insp: dict[str, Any]) -> None:
    result = _result(task, insp["site_a"])
    services.add_deduction(
        result, insp["clean"], points="8", note="a", by=insp["inspector"], now=LATER
    )
    with pytest.raises(InvalidInput) as exc:
        services.add_deduction(
            result, insp["clean"], points="3", note="b", by=insp["inspector"], now=LATER
        )
    assert exc.value.code == "deduction_over_cap"
    assert Problem.objects.count() == 1


def test_site_outside_the_task_is_refused(task: Any, insp: dict[str, Any]) -> None:
    from chuangwei.places.tests.factories import SiteFactory

    other = SiteFactory(site_type=insp["market"], lng=117.305, lat=34.806)
    with pytest.raises(InvalidInput) as exc:
        services.result_for(task, other.pk)
    assert exc.value.code == "site_not_in_task"


def test_item_of_another_sheet_is_refused(task: Any, insp: dict[str, Any]) -> None:
    other = services.new_sheet_version(insp["sheet"], by=insp["office"])
    item = other.items.get(number="1.1")
    with pytest.raises(InvalidInput) as exc:
        services.add_deduction(
            _result(task, insp["site_a"]), item, points="1", note="x", by=insp["inspector"]
        )
    assert exc.value.code == "item_not_in_sheet"


def test_inspector_outside_the_team_cannot_score(task: Any, insp: dict[str, Any]) -> None:
    task.team.clear()
    with pytest.raises(NotAllowed):
        services.add_deduction(
            _result(task, insp["site_a"]), insp["clean"], points="1", note="x", by=insp["inspector"]
        )


def test_band_judgement_scores_inside_the_band(task: Any, insp: dict[str, Any]) -> None:
    result = _result(task, insp["site_a"])
    services.record_band(
        result, insp["look"], band="中", score="12", by=insp["inspector"], now=LATER
    )
    result.refresh_from_db()
    assert (result.obtained, result.lost) == (D("22.00"), D("8.00"))


def test_finish_requires_every_band(task: Any, insp: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.finish_result(_result(task, insp["site_a"]), by=insp["inspector"], now=LATER)
    assert exc.value.code == "bands_missing"


def _score_all(task: Any, insp: dict[str, Any]) -> None:
    for site, band in ((insp["site_a"], "好"), (insp["site_b"], "差")):
        result = _result(task, site)
        services.record_band(result, insp["look"], band=band, by=insp["inspector"], now=LATER)
        services.finish_result(result, by=insp["inspector"], now=LATER)


def test_submit_then_review(task: Any, insp: dict[str, Any]) -> None:
    _score_all(task, insp)
    services.submit_task(task, by=insp["inspector"], now=LATER)
    services.review_task(task, by=insp["office"], now=LATER)
    task.refresh_from_db()
    assert (task.status, task.reviewed_by_id) == ("reviewed", insp["office"].pk)


def test_submit_with_unscored_sites_is_refused(task: Any, insp: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.submit_task(task, by=insp["inspector"], now=LATER)
    assert exc.value.code == "sites_not_scored"


def test_scores_cannot_change_after_submission(task: Any, insp: dict[str, Any]) -> None:
    _score_all(task, insp)
    services.submit_task(task, by=insp["inspector"], now=LATER)
    with pytest.raises(Conflict):
        services.add_deduction(
            _result(task, insp["site_a"]), insp["clean"], points="1", note="x", by=insp["office"]
        )


def test_used_sheet_version_is_frozen_and_a_new_version_copies_it(
    task: Any, insp: dict[str, Any]
) -> None:
    clean = insp["clean"]
    clean.points = D("12")
    with pytest.raises(Conflict):
        services.save_sheet_item(clean, by=insp["office"])
    copy = services.new_sheet_version(insp["sheet"], by=insp["office"])
    assert (copy.code, copy.version, copy.items.count()) == ("MKT", 2, 3)
    item = copy.items.get(number="1.1")
    item.points = D("12")
    services.save_sheet_item(item, by=insp["office"])
    services.publish_sheet(copy, by=insp["office"])
    assert _result(task, insp["site_a"]).sheet_id == insp["sheet"].pk
    insp["sheet"].refresh_from_db()
    assert insp["sheet"].status == "retired"


def test_sheet_item_with_negative_points_is_refused(insp: dict[str, Any]) -> None:
    from chuangwei.inspections.models import SheetItem

    with pytest.raises(InvalidInput) as exc:
        services.save_sheet_item(
            SheetItem(sheet=insp["sheet"], number="2", title="x", points=D("-5")), by=insp["office"]
        )
    assert exc.value.code == "negative_points"
    assert insp["sheet"].items.count() == 3


def test_scores_by_unit_sums_finished_results_in_the_window(
    task: Any, insp: dict[str, Any]
) -> None:
    services.add_deduction(
        _result(task, insp["site_a"]),
        insp["clean"],
        points="4",
        note="x",
        by=insp["inspector"],
        now=LATER,
    )
    _score_all(task, insp)
    start, end = MONDAY_9, MONDAY_9 + timedelta(days=1)
    assert selectors.scores_by_unit(start, end) == {}  # not submitted yet
    services.submit_task(task, by=insp["inspector"], now=LATER)
    assert selectors.scores_by_unit(start, end) == {
        insp["community_a"].pk: (D("26.00"), D("30.00")),
        insp["community_b"].pk: (D("19.00"), D("30.00")),
    }
    assert selectors.scores_by_unit(end, end + timedelta(days=1)) == {}


def test_draw_sample_is_reproducible_for_a_seed(insp: dict[str, Any]) -> None:
    quotas = {("market", insp["district"].pk): 1}
    first = services.draw_sample(name="a", quotas=quotas, seed=5, by=insp["office"], now=MONDAY_9)
    again = services.draw_sample(name="b", quotas=quotas, seed=5, by=insp["office"], now=MONDAY_9)
    assert first.site_ids == again.site_ids and len(first.site_ids) == 1


def test_draw_sample_excludes_recently_inspected(task: Any, insp: dict[str, Any]) -> None:
    _score_all(task, insp)
    quotas = {("market", insp["district"].pk): 2}
    draw = services.draw_sample(
        name="a", quotas=quotas, seed=5, exclude_days=7, by=insp["office"], now=LATER
    )
    assert draw.site_ids == []
    assert draw.shortfalls == [
        {"site_type": "market", "district": insp["district"].pk, "wanted": 2, "found": 0}
    ]


def test_negative_quota_is_refused(insp: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        services.draw_sample(name="a", quotas={("market", 1): -1}, by=insp["office"])


def test_check_in_finds_the_grid(insp: dict[str, Any]) -> None:
    row = services.check_in(by=insp["grid_worker"], lng=117.305, lat=34.805, now=MONDAY_9)
    assert row.grid.code == "GA"


def test_check_in_outside_grids_is_kept_without_grid(insp: dict[str, Any]) -> None:
    row = services.check_in(by=insp["grid_worker"], lng=117.40, lat=34.85, now=MONDAY_9)
    assert row.grid_id is None


def test_handler_cannot_check_in(insp: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        services.check_in(by=insp["handler_a"], lng=117.305, lat=34.805)
    assert PatrolCheckin.objects.count() == 0


def test_patrol_coverage_selector(insp: dict[str, Any]) -> None:
    from chuangwei.org.models import Person
    from chuangwei.places.models import Grid

    person = Person.objects.create(
        name="网格员甲", unit=insp["community_a"], user=insp["grid_worker"]
    )
    Grid.objects.get(code="GA").workers.add(person)
    Grid.objects.get(code="GB").workers.add(person)
    services.check_in(by=insp["grid_worker"], lng=117.305, lat=34.805, now=MONDAY_9)
    day = MONDAY_9.date()
    start = datetime(day.year, day.month, day.day, tzinfo=MONDAY_9.tzinfo)
    rows = selectors.patrol_coverage(days=[day], start=start, end=start + timedelta(days=1))
    assert [(r.name, r.grids, r.checkins, r.mean_share) for r in rows] == [("网格员甲", 2, 1, 0.5)]


def test_patrol_coverage_across_midnight_and_a_grid_boundary(insp: dict[str, Any]) -> None:
    from zoneinfo import ZoneInfo

    from chuangwei.org.models import Person
    from chuangwei.places.models import Grid

    sh = ZoneInfo("Asia/Shanghai")
    person = Person.objects.create(
        name="网格员甲", unit=insp["community_a"], user=insp["grid_worker"]
    )
    Grid.objects.get(code="GA").workers.add(person)
    # 23:50 inside GA (Monday), then 00:10 just across the boundary in GB (Tuesday).
    services.check_in(
        by=insp["grid_worker"], lng=117.3199, lat=34.81, now=datetime(2026, 3, 2, 23, 50, tzinfo=sh)
    )
    services.check_in(
        by=insp["grid_worker"], lng=117.3201, lat=34.81, now=datetime(2026, 3, 3, 0, 10, tzinfo=sh)
    )
    days = [datetime(2026, 3, 2).date(), datetime(2026, 3, 3).date()]
    start = datetime(2026, 3, 2, tzinfo=sh)
    (row,) = selectors.patrol_coverage(days=days, start=start, end=start + timedelta(days=2))
    assert (row.by_day, row.checkins, row.days_active) == ([1, 0], 2, 2)


def test_draw_sample_leaves_out_sites_outside_every_grid(insp: dict[str, Any]) -> None:
    Site = type(insp["site_a"])
    Site.objects.filter(pk=insp["site_a"].pk).update(outside_grid=True, grid=None)
    quotas = {("market", insp["district"].pk): 5}
    draw = services.draw_sample(name="a", quotas=quotas, seed=5, by=insp["office"], now=MONDAY_9)
    assert insp["site_a"].pk not in draw.site_ids
    assert draw.site_ids == [insp["site_b"].pk]


def test_stored_bands_with_gaps_can_still_be_scored_but_not_saved(
    task: Any, insp: dict[str, Any]
) -> None:
    from chuangwei.inspections.models import SheetItem

    gapped = [
        {"label": "好", "low": "18.00", "high": "20.00"},
        {"label": "中", "low": "10.00", "high": "17.00"},
        {"label": "差", "low": "0.00", "high": "9.00"},
    ]
    SheetItem.objects.filter(pk=insp["look"].pk).update(bands=gapped)
    insp["look"].refresh_from_db()
    score = services.record_band(
        _result(task, insp["site_a"]), insp["look"], band="中", by=insp["inspector"], now=MONDAY_9
    )
    assert score.score == D("17.00")
    draft = services.new_sheet_version(insp["sheet"], by=insp["office"])
    item = draft.items.get(number="1.2")
    assert item.bands == gapped
    with pytest.raises(InvalidInput) as exc:
        services.save_sheet_item(item, by=insp["office"])
    assert exc.value.code == "bands_gap"


def test_check_in_at_paris_is_refused(insp: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.check_in(by=insp["grid_worker"], lng=2.3522, lat=48.8566, now=MONDAY_9)
    assert exc.value.code == "outside_city"
    assert PatrolCheckin.objects.count() == 0


def test_check_in_note_of_the_column_length_is_kept_one_more_refused(insp: dict[str, Any]) -> None:
    """The note used to be cut to 200 characters without a word."""
    kept = services.check_in(
        by=insp["grid_worker"], lng=117.305, lat=34.805, note="巡" * 200, now=MONDAY_9
    )
    assert len(kept.note) == 200
    with pytest.raises(InvalidInput) as exc:
        services.check_in(
            by=insp["grid_worker"], lng=117.305, lat=34.805, note="巡" * 201, now=MONDAY_9
        )
    assert (exc.value.code, list(exc.value.fields)) == ("too_long", ["note"])
    assert PatrolCheckin.objects.count() == 1


def test_deduction_note_longer_than_its_column_is_refused(task: Any, insp: dict[str, Any]) -> None:
    result = _result(task, insp["site_a"])
    with pytest.raises(InvalidInput) as exc:
        services.add_deduction(
            result, insp["clean"], points="2", note="积" * 301, by=insp["inspector"], now=LATER
        )
    assert exc.value.code == "too_long"
    assert (Deduction.objects.count(), Problem.objects.count()) == (0, 0)
