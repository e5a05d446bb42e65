"""Demo rankings: snapshots for past periods, a published month with lists, accountability."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.demo.generator import build_demo_city
from chuangwei.demo.problems import build_demo_problems
from chuangwei.demo.rankings import build_demo_rankings
from chuangwei.rankings.models import AccountabilityRecord, RankingSnapshot

NOW = datetime(2026, 3, 18, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any) -> int:
    settings.MEDIA_ROOT = tmp_path
    build_demo_city(seed=7, sites=300, problems=False)
    build_demo_problems(seed=7, months=3, per_day=5, now=NOW, service_days=0, photos=0)
    return build_demo_rankings(seed=7, now=NOW, months=2)


def test_demo_has_snapshots_for_past_months_and_weeks(demo):
    assert demo == 2 * 6 + 4 * 2
    months = set(
        RankingSnapshot.objects.filter(period_kind="month").values_list("label", flat=True)
    )
    assert months == {"2026年1月", "2026年2月"}


def test_last_complete_month_is_published_with_ranked_streets(demo):
    snap = RankingSnapshot.objects.get(status="published", object_kind="street", label="2026年2月")
    assert snap.entries.filter(rank=1).exists()
    assert snap.entries.exclude(previous_rank=None).exists()  # movement against January


def test_demo_has_accountability_records(demo):
    assert AccountabilityRecord.objects.count() >= 2
    assert AccountabilityRecord.objects.filter(problems__isnull=False).exists()


def test_demo_rankings_are_deterministic(demo):
    first = list(
        RankingSnapshot.objects.get(
            status="published", object_kind="community", label="2026年2月"
        ).entries.values_list("name", "rank", "score")
    )
    RankingSnapshot.objects.filter(status="draft").delete()
    AccountabilityRecord.objects.all().delete()
    RankingSnapshot.objects.all().delete()
    build_demo_rankings(seed=7, now=NOW, months=2)
    again = list(
        RankingSnapshot.objects.get(
            status="published", object_kind="community", label="2026年2月"
        ).entries.values_list("name", "rank", "score")
    )
    assert first == again


def test_demo_ranks_road_sections_with_problems(demo):
    snap = RankingSnapshot.objects.get(status="published", object_kind="road", label="2026年2月")
    assert snap.entries.filter(rank__isnull=False).exists()
