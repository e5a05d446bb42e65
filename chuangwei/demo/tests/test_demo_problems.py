"""The demo ledger: every state, real event trails, the same ledger for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.demo.generator import build_demo_city
from chuangwei.demo.problems import build_demo_problems, ledger_size
from chuangwei.demo.problems.plan import load_world, plan_problems
from chuangwei.problems.models import Problem, ProblemEvent, ProblemPhoto
from chuangwei.problems.sweeper import sweep

NOW = datetime(2026, 3, 18, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday
SMALL = {"seed": 7, "months": 1, "per_day": 5, "now": NOW, "service_days": 4, "photos": 6}


@pytest.fixture
def city(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    build_demo_city(seed=7, sites=300, problems=False)


@pytest.fixture
def ledger(city: None) -> int:
    return build_demo_problems(**SMALL)


def snapshot() -> list[tuple[Any, ...]]:
    rows = Problem.objects.values_list(
        "reported_at", "category_id", "status", "lng", "lat", "rework_count", "escalation_level"
    )
    return sorted(rows)


def test_small_ledger_has_every_state(ledger: int) -> None:
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert statuses >= {"reported", "verifying_report", "accepted", "dispatched", "paused",
                        "submitted", "closed", "voided", "merged"}  # fmt: skip
    assert Problem.objects.count() == ledger


def test_every_closed_problem_has_report_dispatch_submit_and_pass_in_order(ledger: int) -> None:
    wanted = ["report", "dispatch", "submit", "verify_pass"]
    broken = []
    for problem in Problem.objects.filter(status="closed").prefetch_related("events"):
        actions = iter(e.action for e in problem.events.all())  # ordered by time, id
        if not all(action in actions for action in wanted):
            broken.append(problem.code)
    assert broken == []
    assert Problem.objects.filter(status="closed").count() > 50


def test_recent_problems_have_photos_and_older_ones_none(ledger: int) -> None:
    with_photos = Problem.objects.filter(photos__isnull=False).distinct()
    kinds = Counter(ProblemPhoto.objects.values_list("kind", flat=True))
    assert kinds["before"] == 6
    assert (
        kinds["after"]
        == ProblemEvent.objects.filter(action="submit", problem__in=with_photos).count()
    )
    assert with_photos.order_by("reported_at").first().reported_at > datetime(
        2026, 3, 14, tzinfo=NOW.tzinfo
    )


def test_history_is_notified_and_leaves_the_sweeper_nothing_to_do(ledger: int) -> None:
    assert ProblemEvent.objects.filter(processed_at__isnull=True).count() == 0
    result = sweep(NOW)
    assert (result.warned, result.overdue, result.escalated) == (0, 0, 0)


def test_overdue_problems_were_escalated_by_the_sweeper(ledger: int) -> None:
    stuck = Problem.objects.filter(status="dispatched", due_at__lt=NOW)
    assert stuck.exists()
    for problem in stuck:
        actions = list(problem.events.values_list("action", flat=True))
        assert "overdue" in actions
        assert actions.count("escalate") == problem.escalation_level


def test_same_seed_builds_the_same_ledger(ledger: int) -> None:
    first = snapshot()
    Problem.objects.update(merged_into=None, recurrence_of=None)
    Problem.objects.all().delete()
    build_demo_problems(**SMALL)
    assert snapshot() == first


def test_plan_differs_for_another_seed(city: None) -> None:
    world = load_world()
    assert world is not None
    one = plan_problems(world, seed=7, months=1, per_day=5, now=NOW)
    same = plan_problems(world, seed=7, months=1, per_day=5, now=NOW)
    other = plan_problems(world, seed=8, months=1, per_day=5, now=NOW)
    key = [(p.reported_at, p.category.pk, p.fate, p.lng) for p in one]
    assert key == [(p.reported_at, p.category.pk, p.fate, p.lng) for p in same]
    assert key != [(p.reported_at, p.category.pk, p.fate, p.lng) for p in other]


def test_test_sized_city_gets_a_bulk_only_ledger() -> None:
    assert ledger_size(300, 3200) == {"per_day": 2, "service_days": 0, "photos": 28}
    assert ledger_size(3200, 3200) == {"per_day": 25, "service_days": 14, "photos": 300}


def test_the_leader_reports_only_problems_of_the_leaders_district(city: None) -> None:
    """The demo leader leads 市中区; a problem elsewhere would show them another district's
    problem (a reporter sees their own report)."""
    world = load_world()
    assert world is not None
    plans = plan_problems(world, seed=7, months=3, per_day=20, now=NOW)
    paths = {world.unit_paths[world.grid_unit(p.grid_id)] for p in plans if p.reporter == "leader"}
    assert paths and all(path.startswith(world.district_path) for path in paths)
