"""The demo inspections: months of scored mock inspections, routed problems, patrols."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.demo.generator import build_demo_city
from chuangwei.demo.inspections import build_demo_inspections
from chuangwei.inspections.models import Deduction, InspectionTask, PatrolCheckin, ScoreSheet
from chuangwei.inspections.selectors import projection_inputs

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(db: Any) -> Any:
    build_demo_city(seed=7, sites=300, problems=False)
    return build_demo_inspections(seed=7, now=NOW)


def test_demo_inspections_are_meaningful(demo: Any) -> None:
    assert demo.tasks == 5
    assert InspectionTask.objects.filter(status="reviewed").count() == 4
    assert InspectionTask.objects.filter(status="in_progress").count() == 1
    assert ScoreSheet.objects.filter(status="published").count() == 6
    parts, observations, _latest = projection_inputs(days=120, now=NOW)
    assert len(parts) == 11
    assert {o.part for o in observations} == {"三", "四", "五"}
    assert PatrolCheckin.objects.count() == demo.checkins > 0


def test_every_demo_deduction_is_a_problem_with_its_points(demo: Any) -> None:
    rows = list(Deduction.objects.select_related("problem"))
    assert len(rows) == demo.deductions > 0
    assert all(
        d.problem.points_lost == d.points and d.problem.source == "mock_covert" for d in rows
    )


def test_the_whole_demo_city_builds_with_inspections(db: Any) -> None:
    summary = build_demo_city(seed=7, sites=300)
    assert summary.problems > 0
    assert InspectionTask.objects.count() == 5
    assert Deduction.objects.filter(problem__isnull=True).count() == 0
