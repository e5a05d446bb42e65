"""Snapshots: computed drafts are idempotent and follow new data; published ones are frozen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import F

from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.problems import services as problem_services
from chuangwei.rankings import services
from chuangwei.rankings.models import RankingEntry, RankingScheme, RankingSnapshot
from chuangwei.rankings.periods import period_containing

from .conftest import at, spot

pytestmark = pytest.mark.django_db
MARCH = period_containing("month", date(2026, 3, 15))


@pytest.fixture
def community_scheme(history: dict[str, Any]) -> RankingScheme:
    return services.default_scheme("community")


def entries(snapshot: RankingSnapshot) -> list[tuple[Any, ...]]:
    return list(
        snapshot.entries.order_by(F("rank").asc(nulls_last=True), "name").values_list(
            "name", "rank", "score", "grade"
        )
    )


def test_community_ranking_by_hand(history, community_scheme):
    snap = services.compute_snapshot(community_scheme, MARCH, by=history["office"])
    # 甲一社区: 9 cases → 100 (fewer than 10 in the ×10 community bands); public 1/9;
    # closure 4/9; on time 3/9 (rates kept to 4 places). 乙一社区 has no case registered in
    # March → listed unranked.
    expected = (100 * 20 + (1 - 0.1111) * 100 * 10 + 0.4444 * 100 * 30 + 0.3333 * 100 * 40) / 100
    assert round(expected, 2) == 55.55
    assert entries(snap) == [
        ("甲一社区", 1, Decimal("55.55"), "D"),
        ("乙一社区", None, None, ""),
    ]


def test_recomputing_a_draft_keeps_one_draft(history, community_scheme):
    first = services.compute_snapshot(community_scheme, MARCH, by=history["office"])
    second = services.compute_snapshot(community_scheme, MARCH, by=None)
    assert first.pk == second.pk
    assert RankingSnapshot.objects.count() == 1
    assert RankingEntry.objects.count() == 2


def _late_arrival(history: dict[str, Any]) -> None:
    """A problem found and dispatched on 03-25 but entered in April (back-dated import)."""
    late = problem_services.report_problem(
        source="grid_patrol", category=history["category"], lng=spot(15)[0], lat=spot(15)[1],
        by=history["grid_worker"], now=at(3, 25, 9),
    )  # fmt: skip
    problem_services.dispatch_problem(
        late, by=history["office"], due_at=at(3, 26, 9), now=at(3, 25, 9, 30)
    )


def test_published_snapshot_does_not_change_when_later_events_arrive(history, community_scheme):
    snap = services.compute_snapshot(community_scheme, MARCH, by=history["office"])
    services.publish_snapshot(snap, by=history["office"])
    frozen = entries(snap)
    _late_arrival(history)
    draft = services.compute_snapshot(community_scheme, MARCH, by=history["office"])
    assert draft.pk != snap.pk
    assert entries(snap) == frozen
    assert snap.entries.get(name="甲一社区").metrics["registered"] == 9
    assert draft.entries.get(name="甲一社区").metrics["registered"] == 10


def test_recomputed_draft_follows_later_events(history, community_scheme):
    snap = services.compute_snapshot(community_scheme, MARCH, by=history["office"])
    _late_arrival(history)
    services.compute_snapshot(community_scheme, MARCH, by=history["office"])
    assert snap.entries.get(name="甲一社区").metrics["registered"] == 10


def test_publishing_twice_is_a_conflict(history, community_scheme):
    snap = services.compute_snapshot(community_scheme, MARCH, by=history["office"])
    services.publish_snapshot(snap, by=history["office"])
    with pytest.raises(Conflict):
        services.publish_snapshot(snap, by=history["office"])


@pytest.mark.parametrize("name", ["handler_a", "leader", "inspector", "grid_worker"])
def test_only_the_office_computes_and_publishes(history, community_scheme, name):
    with pytest.raises(NotAllowed):
        services.compute_snapshot(community_scheme, MARCH, by=history[name])
    assert RankingSnapshot.objects.count() == 0


def test_movement_against_the_previous_period(history, community_scheme):
    feb = period_containing("month", date(2026, 2, 10))
    services.compute_snapshot(community_scheme, feb, by=None)
    # February: only P10 (乙一社区) registered → 乙一社区 rank 1.
    snap = services.compute_snapshot(community_scheme, MARCH, by=None)
    a = snap.entries.get(name="甲一社区")
    assert (a.rank, a.previous_rank, a.movement) == (1, None, None)
    b = snap.entries.get(name="乙一社区")
    assert (b.rank, b.previous_rank) == (None, 1)


def test_scheme_with_unknown_metric_is_refused(history):
    scheme = RankingScheme(name="x", object_kind="street", weights={"nonsense": 10})
    with pytest.raises(InvalidInput) as exc:
        services.save_scheme(scheme, by=history["admin"])
    assert exc.value.code == "bad_weights"
    assert RankingScheme.objects.count() == 0


def test_scheme_with_bad_grade_bands_is_refused(history):
    scheme = RankingScheme(
        name="x", object_kind="street", weights={"closure_rate": 1}, grade_bands=[[90]]
    )
    with pytest.raises(InvalidInput):
        services.save_scheme(scheme, by=history["admin"])


def test_new_default_scheme_replaces_the_old_default(history):
    old = services.default_scheme("street")
    new = services.save_scheme(
        RankingScheme(
            name="新", object_kind="street", weights={"closure_rate": 1}, is_default=True
        ),
        by=history["admin"],
    )
    old.refresh_from_db()
    assert (old.is_default, new.is_default) == (False, True)


def test_week_and_quarter_periods_in_shanghai_dates():
    week = period_containing("week", date(2026, 3, 4))
    quarter = period_containing("quarter", date(2026, 3, 4))
    assert (week.start, week.end) == (date(2026, 3, 2), date(2026, 3, 8))
    assert (quarter.start, quarter.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter.end_at.isoformat() == "2026-04-01T00:00:00+08:00"
    assert MARCH.previous().start == date(2026, 2, 1)


def test_custom_period_with_reversed_dates_is_refused():
    with pytest.raises(InvalidInput):
        period_containing("custom", date(2026, 3, 4), date(2026, 3, 1))


def test_worker_command_is_idempotent_for_drafts(history):
    from django.core.management import call_command

    call_command(
        "compute_rankings", "--period", "month", "--date", "2026-03-15", "--kind", "street"
    )
    call_command(
        "compute_rankings", "--period", "month", "--date", "2026-03-15", "--kind", "street"
    )
    snap = RankingSnapshot.objects.get()
    assert (snap.object_kind, snap.start, snap.status) == ("street", date(2026, 3, 1), "draft")
    assert list(snap.entries.values_list("name", "rank")) == [("甲街道", 1), ("乙街道", None)]


def test_preset_scheme_is_named_in_chinese_outside_a_request(history):
    from django.utils import translation

    with translation.override("en"):
        scheme = services.default_scheme("street")
    assert scheme.name == "街道（区域评价公式）"
