"""The demo's evaluation cycle: 复审 in progress, 省级评估 done with its list half rectified,
some items without coordinates, one 回头看 round."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chuangwei.demo.generator import build_demo_city
from chuangwei.readiness import stages
from chuangwei.readiness.demo_cycle import build_demo_cycle
from chuangwei.readiness.models import EvaluationCycle, RecheckRound, StageProblem

TODAY = date(2026, 3, 18)


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any) -> str:
    settings.MEDIA_ROOT = tmp_path
    build_demo_city(seed=7, sites=300, problems=False)
    return build_demo_cycle(today=TODAY)


def test_the_demo_cycle_is_a_current_review_with_the_provincial_stage_done(demo):
    cycle = EvaluationCycle.objects.get(is_current=True)
    assert cycle.kind == "review"
    done = set(cycle.stages.filter(status="done").values_list("kind", flat=True))
    assert done == {"apply", "self_check", "provincial"}


def test_the_countdown_points_at_the_national_covert_inspection(demo):
    countdown = stages.countdown(TODAY)
    assert (countdown.stage.kind, countdown.days) == ("covert", 45)
    assert countdown.stage.due_on == TODAY + timedelta(days=45)


def test_the_provincial_list_is_half_rectified_with_items_without_coordinates(demo):
    items = StageProblem.objects.select_related("problem")
    assert items.count() == 20
    assert sum(i.problem.lng is None for i in items) == 8
    assert sum(i.problem.status == "closed" for i in items) == 10


def test_the_round_reports_what_is_still_open(demo):
    round = RecheckRound.objects.get()
    from chuangwei.accounts.models import User

    report = stages.round_report(round, User.objects.get(username="office"))
    assert (report.total, report.fixed, report.regressed, report.still_open, report.unchecked) == (
        20,
        8,
        2,
        4,
        6,
    )
