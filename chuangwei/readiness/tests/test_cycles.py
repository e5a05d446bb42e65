"""Evaluation cycles: the template of stages, stage status and snapshot, the stage list import
(problems without coordinates, routed to the named unit), 回头看 rounds and the countdown."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.importing import ImportFailed
from chuangwei.lib.excel import write_xlsx
from chuangwei.problems.models import Problem
from chuangwei.problems.tests.conftest import ledger  # noqa: F401 - fixture
from chuangwei.readiness import stages
from chuangwei.readiness.models import EvaluationCycle, EvaluationStage, StageProblem
from chuangwei.readiness.services import cycles
from chuangwei.readiness.stage_import import StageListImporter
from chuangwei.standards.models import StandardClause, StandardVersion
from chuangwei.standards.services import save_standard_clause

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=SH)
HEADERS = [
    "序号",
    "问题描述",
    "责任单位",
    "点位/场所",
    "条款编号",
    "问题类别",
    "地址",
    "经度",
    "纬度",
]


@pytest.fixture
def cycle(ledger: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    version = StandardVersion.objects.create(code="V", name="测试标准", year=2026)
    aspect = save_standard_clause(
        StandardClause(version=version, level="aspect", number="一", title="市容环境"), by=None
    )
    article = save_standard_clause(
        StandardClause(
            version=version, parent=aspect, level="article", number="（八）", title="垃圾"
        ),
        by=None,
    )
    made = cycles.create_cycle(
        kind="review", name="2026年复审", start_year=2025, end_year=2027,
        standard_version=version, is_current=True, by=ledger["office"], now=MONDAY_9,
    )  # fmt: skip
    provincial = made.stages.get(kind="provincial")
    return {**ledger, "cycle": made, "stage": provincial, "version": version, "article": article}


def workbook(*rows: list[Any], headers: list[str] = HEADERS) -> io.BytesIO:
    data = write_xlsx(headers, [list(r) for r in rows]).read()
    return io.BytesIO(data)


def run(stage: EvaluationStage, by: Any, fileobj: io.BytesIO) -> Any:
    importer = StageListImporter.for_stage(stage)()
    importer.now = MONDAY_9
    return importer.run(fileobj, "list.xlsx", by=by)


# The template and the stages ---------------------------------------------------------------


def test_a_new_cycle_gets_the_nine_standard_stages_with_their_dates(cycle):
    got = list(cycle["cycle"].stages.order_by("sort_order").values_list("kind", "due_on", "status"))
    assert got == [
        ("apply", date(2025, 3, 31), "planned"),
        ("provincial", date(2025, 9, 30), "planned"),
        ("covert", date(2026, 6, 30), "planned"),
        ("rectify", date(2026, 9, 30), "planned"),
        ("technical", date(2027, 4, 30), "planned"),
        ("review", date(2027, 9, 30), "planned"),
        ("naming", date(2027, 12, 31), "planned"),
        ("self_check", date(2025, 12, 31), "planned"),
        ("reexam", date(2027, 11, 30), "planned"),
    ]


def test_a_cycle_made_current_replaces_the_previous_current_one(cycle):
    second = cycles.create_cycle(
        kind="create", name="下一轮", start_year=2028, end_year=2030,
        standard_version=cycle["version"], is_current=True, from_template=False,
        by=cycle["office"],
    )  # fmt: skip
    assert list(EvaluationCycle.objects.filter(is_current=True)) == [second]
    assert second.stages.count() == 0


def test_a_faulty_cycle_names_every_field_and_writes_nothing(cycle):
    with pytest.raises(InvalidInput) as exc:
        cycles.create_cycle(
            kind="x", name="", start_year=2027, end_year=2025,
            standard_version=cycle["version"], by=cycle["office"],
            stages=[{"kind": "covert", "due_on": None}],
        )  # fmt: skip
    assert sorted(exc.value.fields) == ["end_year", "kind", "name", "stages.0.due_on"]
    assert EvaluationCycle.objects.count() == 1


@pytest.mark.parametrize("persona", ["handler_a", "grid_worker", "inspector", "leader"])
def test_only_the_office_creates_a_cycle(cycle, persona):
    with pytest.raises(NotAllowed):
        cycles.create_cycle(
            kind="review", name="x", start_year=2025, end_year=2027,
            standard_version=cycle["version"], by=cycle[persona],
        )  # fmt: skip


def test_completing_a_stage_freezes_an_empty_snapshot_for_a_standard_without_indicators(cycle):
    stage = cycles.complete_stage(cycle["stage"], by=cycle["office"], now=MONDAY_9)
    assert (stage.status, stage.indicator_snapshot, stage.ends_on) == (
        "done",
        {"year": 2025, "indicators": []},
        date(2026, 3, 2),
    )


def test_completing_a_stage_freezes_what_the_standards_hook_returns(cycle, monkeypatch):
    from chuangwei.standards import selectors

    calls = []

    def indicator_status(version, unit, year):  # type: ignore[no-untyped-def]
        calls.append((version, unit, year))
        return [{"code": "M1", "value": 92.5, "met": True}]

    monkeypatch.setattr(selectors, "indicator_status", indicator_status)
    stage = cycles.complete_stage(cycle["stage"], by=cycle["office"], now=MONDAY_9)
    assert stage.indicator_snapshot == {
        "year": 2025,
        "indicators": [{"code": "M1", "value": 92.5, "met": True}],
    }
    assert calls == [(cycle["version"], cycle["city"], 2025)]


def test_a_done_stage_cannot_be_completed_or_started_again(cycle):
    cycles.complete_stage(cycle["stage"], by=cycle["office"])
    with pytest.raises(Conflict):
        cycles.complete_stage(cycle["stage"], by=cycle["office"])
    with pytest.raises(Conflict):
        cycles.start_stage(cycle["stage"], by=cycle["office"])


def test_a_stage_cannot_start_after_its_date(cycle):
    with pytest.raises(InvalidInput) as exc:
        cycles.create_stage(
            cycle["cycle"], kind="other", due_on=date(2026, 5, 1),
            starts_on=date(2026, 6, 1), by=cycle["office"],
        )  # fmt: skip
    assert list(exc.value.fields) == ["starts_on"]


# next_stage and the countdown ---------------------------------------------------------------


def test_next_stage_is_the_nearest_stage_not_done_of_the_current_cycle(cycle):
    assert stages.next_stage(date(2025, 9, 1)).kind == "provincial"
    cycles.complete_stage(cycle["stage"], by=cycle["office"])
    assert stages.next_stage(date(2025, 9, 1)).kind == "self_check"
    assert stages.next_stage(date(2027, 12, 1)).kind == "naming"
    assert stages.next_stage(date(2028, 1, 1)) is None


def test_next_stage_ignores_cycles_that_are_not_current(cycle):
    cycles.create_cycle(
        kind="create", name="旧", start_year=2020, end_year=2030,
        standard_version=cycle["version"], by=cycle["office"],
        stages=[{"kind": "covert", "due_on": date(2025, 4, 1)}],
    )  # fmt: skip
    assert stages.next_stage(date(2025, 3, 31)).due_on == date(2025, 3, 31)
    assert stages.next_stage(date(2025, 4, 1)).kind == "provincial"


def test_the_countdown_counts_the_days_left(cycle):
    countdown = stages.countdown(date(2025, 9, 20))
    assert (countdown.stage, countdown.days) == (cycle["stage"], 10)


# The stage list import ----------------------------------------------------------------------


def test_a_list_without_coordinates_creates_problems_routed_to_the_named_unit(cycle):
    result = run(
        cycle["stage"],
        cycle["office"],
        workbook(
            ["1", "门前三包未落实", "甲街道", "", "（八）", "暴露垃圾", "", "", ""],
            ["2", "垃圾桶满溢", "370402002", "", "", "06010", "建设路", "", ""],
        ),
    )
    assert (result.total, result.created) == (2, 2)
    items = StageProblem.objects.select_related("problem").order_by("item_no")
    got = [
        (
            i.item_no,
            i.clause_id,
            i.problem.unit_id,
            i.problem.grid_id,
            i.problem.lng,
            i.problem.lat,
            i.problem.status,
            i.problem.source,
            i.problem.due_at,
        )
        for i in items
    ]
    due = datetime(2026, 3, 2, 14, 30, tzinfo=SH)  # 4 working hours, lunch 12:00–13:30
    assert got == [
        ("1", cycle["article"].pk, cycle["street_a"].pk, None, None, None, "dispatched",
         "provincial_covert", due),
        ("2", None, cycle["street_b"].pk, None, None, None, "dispatched",
         "provincial_covert", due),
    ]  # fmt: skip


def test_an_item_with_coordinates_keeps_its_point_and_goes_to_the_named_unit(cycle):
    run(
        cycle["stage"],
        cycle["office"],
        workbook(["7", "暴露垃圾", "乙街道", "", "", "暴露垃圾", "", "117.305", "34.805"]),
    )
    problem = Problem.objects.get()
    assert (problem.lng, problem.lat, problem.grid.code, problem.unit) == (
        117.305,
        34.805,
        "GA",
        cycle["street_b"],
    )


def test_importing_the_same_list_again_adds_nothing(cycle):
    rows = [["1", "问题一", "甲街道", "", "", "暴露垃圾", "", "", ""],
            ["2", "问题二", "乙街道", "", "", "暴露垃圾", "", "", ""]]  # fmt: skip
    run(cycle["stage"], cycle["office"], workbook(*rows))
    again = run(cycle["stage"], cycle["office"], workbook(*rows, ["3", "问题三", "甲街道", "", "", "暴露垃圾", "", "", ""]))  # fmt: skip
    assert (again.total, again.created) == (3, 1)
    assert sorted(StageProblem.objects.values_list("item_no", flat=True)) == ["1", "2", "3"]
    assert Problem.objects.count() == 3


def test_a_bad_list_names_every_fault_and_writes_nothing(cycle):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ImportFailed) as exc:
        run(
            cycle["stage"],
            cycle["office"],
            workbook(
                ["1", "好的一行", "甲街道", "", "", "暴露垃圾", "", "", ""],
                ["1", "", "无此单位", "", "（九十）", "", "", "117.3", ""],
                ["3", "没有单位", "", "", "", "暴露垃圾", "", "abc", "34.8"],
            ),
        )
    faults = [(e.row, e.column) for e in exc.value.errors]
    assert faults == [
        (3, "No."),
        (3, "Problem description"),
        (3, "Responsible unit"),
        (3, "Article number"),
        (3, "Latitude"),
        (4, "Responsible unit"),
        (4, "Longitude"),
    ]
    assert (Problem.objects.count(), StageProblem.objects.count()) == (0, 0)


def test_a_site_names_the_unit_when_the_unit_is_blank(cycle):
    from chuangwei.places.tests.factories import SiteFactory

    site = SiteFactory(name="光明农贸市场", unit=cycle["street_b"], lng=117.33, lat=34.81)
    run(
        cycle["stage"],
        cycle["office"],
        workbook(["1", "活禽未隔离", "", "光明农贸市场", "", "暴露垃圾", "", "", ""]),
    )
    problem = Problem.objects.get()
    assert (problem.unit, problem.site, problem.lng) == (cycle["street_b"], site, None)


def test_only_the_office_imports_a_list(cycle):
    with pytest.raises(ImportFailed) as exc:
        run(
            cycle["stage"],
            cycle["inspector"],
            workbook(["1", "问题", "甲街道", "", "", "暴露垃圾", "", "", ""]),
        )
    assert exc.value.errors[0].row == 2
    assert Problem.objects.count() == 0


# 回头看 --------------------------------------------------------------------------------------


@pytest.fixture
def listed(cycle: dict[str, Any]) -> dict[str, Any]:
    run(
        cycle["stage"],
        cycle["office"],
        workbook(
            *[[str(n), f"问题{n}", "甲街道", "", "", "暴露垃圾", "", "", ""] for n in range(1, 6)]
        ),
    )
    items = list(StageProblem.objects.order_by("id"))
    round = cycles.create_recheck_round(
        cycle["stage"], by=cycle["office"], held_on=date(2026, 3, 10)
    )
    return {**cycle, "items": items, "round": round}


def test_a_round_counts_what_it_found_and_lists_what_is_still_open(listed):
    round, items = listed["round"], listed["items"]
    for item, outcome in zip(items[:4], ["fixed", "fixed", "open", "regressed"], strict=True):
        cycles.record_recheck_result(round, item, outcome=outcome, by=listed["inspector"])
    report = stages.round_report(round, listed["office"])
    assert (report.total, report.fixed, report.still_open, report.regressed, report.unchecked) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert [i.item_no for i in report.open_items] == ["3", "4", "5"]


def test_recording_an_item_again_corrects_the_result(listed):
    round, item = listed["round"], listed["items"][0]
    cycles.record_recheck_result(round, item, outcome="open", by=listed["office"])
    cycles.record_recheck_result(round, item, outcome="fixed", note="已整改", by=listed["office"])
    assert list(round.results.values_list("outcome", "note")) == [("fixed", "已整改")]


def test_a_round_is_named_by_its_number(listed):
    assert listed["round"].name == "第1轮回头看"


def test_an_item_of_another_stage_is_refused(listed):
    other = listed["cycle"].stages.get(kind="covert")
    round = cycles.create_recheck_round(other, by=listed["office"], held_on=date(2026, 3, 10))
    with pytest.raises(InvalidInput) as exc:
        cycles.record_recheck_result(round, listed["items"][0], outcome="x", by=listed["office"])
    assert sorted(exc.value.fields) == ["item", "outcome"]


@pytest.mark.parametrize("persona", ["handler_a", "grid_worker", "leader", "supervisor"])
def test_only_the_office_and_inspectors_record_a_recheck(listed, persona):
    with pytest.raises(NotAllowed):
        cycles.record_recheck_result(
            listed["round"], listed["items"][0], outcome="fixed", by=listed[persona]
        )
