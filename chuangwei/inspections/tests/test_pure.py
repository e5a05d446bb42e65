"""Sampling, projection and coverage arithmetic with exact values (no database)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from chuangwei.inspections import coverage, projection, sampling

UTC = ZoneInfo("UTC")
SH = ZoneInfo("Asia/Shanghai")

CANDIDATES = [
    sampling.Candidate(
        site_id=i, site_type="market" if i % 2 else "toilet", district_id=1 if i <= 10 else 2
    )
    for i in range(1, 21)
]


def test_same_seed_draws_the_same_sites() -> None:
    quotas = {("market", 1): 2, ("toilet", 2): 3}
    first = sampling.draw_sites(CANDIDATES, quotas, seed=42)
    again = sampling.draw_sites(list(reversed(CANDIDATES)), dict(reversed(quotas.items())), seed=42)
    assert first.site_ids == again.site_ids


def test_different_seeds_draw_differently() -> None:
    quotas = {("market", 1): 2, ("toilet", 2): 3}
    seeds = {tuple(sampling.draw_sites(CANDIDATES, quotas, seed=s).site_ids) for s in range(5)}
    assert len(seeds) > 1


def test_quotas_are_honoured_per_type_and_district() -> None:
    quotas = {("market", 1): 2, ("toilet", 2): 3}
    draw = sampling.draw_sites(CANDIDATES, quotas, seed=7)
    picked = [c for c in CANDIDATES if c.site_id in draw.site_ids]
    counts = {
        (t, d): sum(1 for c in picked if (c.site_type, c.district_id) == (t, d)) for t, d in quotas
    }
    assert counts == quotas
    assert draw.shortfalls == []


def test_excluded_sites_are_never_drawn_and_shortfall_is_reported() -> None:
    market_1 = [c.site_id for c in CANDIDATES if c.site_type == "market" and c.district_id == 1]
    draw = sampling.draw_sites(CANDIDATES, {("market", 1): 5}, seed=1, exclude=market_1[:2])
    assert set(draw.site_ids) == set(market_1[2:])
    assert draw.shortfalls == [("market", 1, 5, 3)]


def test_spread_quota_gives_the_remainder_to_the_first_districts() -> None:
    assert sampling.spread_quota(8, [3, 1, 2]) == {1: 3, 2: 3, 3: 2}


def test_projection_on_a_constructed_example() -> None:
    parts = [
        projection.PartSpec("A", "甲", D("100")),
        projection.PartSpec("B", "乙", D("50")),
        projection.PartSpec("C", "丙", D("50")),
    ]
    obs = [
        projection.Observation("A", 1, D("80"), D("100")),
        projection.Observation("A", 2, D("90"), D("100")),
        projection.Observation("B", 3, D("10"), D("10")),
    ]
    result = projection.project_score(parts, obs, rounds=200, seed=3)
    # A: mean rate 0.85 → 85; B: 1.0 → 50; C has no sites: mean of part rates 0.925 → 46.25.
    assert [p.expected for p in result.parts] == [D("85.0"), D("50.0"), D("46.3")]
    assert result.parts[2].assumed is True
    assert result.expected == D("181.3")
    assert result.low <= result.expected <= result.high


def test_projection_band_collapses_when_sites_agree() -> None:
    parts = [projection.PartSpec("A", "甲", D("100"))]
    obs = [projection.Observation("A", i, D("7"), D("10")) for i in range(1, 5)]
    result = projection.project_score(parts, obs, rounds=100, seed=1)
    assert (result.low, result.expected, result.high) == (D("70.0"), D("70.0"), D("70.0"))


def test_projection_band_is_reproducible_and_brackets_the_spread() -> None:
    parts = [projection.PartSpec("A", "甲", D("100"))]
    obs = [
        projection.Observation("A", 1, D("0"), D("10")),
        projection.Observation("A", 2, D("10"), D("10")),
    ]
    first = projection.project_score(parts, obs, rounds=400, seed=9)
    again = projection.project_score(parts, obs, rounds=400, seed=9)
    assert (first.low, first.high) == (again.low, again.high) == (D("0.0"), D("100.0"))
    assert first.expected == D("50.0")


def _at(y: int, m: int, d: int, h: int, mi: int) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SH)


def test_coverage_splits_days_at_local_midnight() -> None:
    days = [date(2026, 3, 2), date(2026, 3, 3)]
    checkins = [
        coverage.Checkin(1, "/1/2/", _at(2026, 3, 2, 23, 50).astimezone(UTC)),
        coverage.Checkin(1, "/1/3/", _at(2026, 3, 3, 0, 10).astimezone(UTC)),
    ]
    table = coverage.daily_coverage({1: ["/1/2/", "/1/3/"]}, checkins, days)
    assert table[1].covered == {date(2026, 3, 2): 1, date(2026, 3, 3): 1}
    assert table[1].checkins == {date(2026, 3, 2): 1, date(2026, 3, 3): 1}


def test_coverage_counts_a_child_grid_for_its_parent_but_not_a_neighbour() -> None:
    day = date(2026, 3, 2)
    checkins = [
        coverage.Checkin(1, "/1/2/7/", _at(2026, 3, 2, 9, 0)),  # small grid inside assigned /1/2/
        coverage.Checkin(1, "/1/20/", _at(2026, 3, 2, 9, 30)),  # neighbour: path /1/20/ ≠ /1/2/
        coverage.Checkin(1, None, _at(2026, 3, 2, 10, 0)),  # outside every grid
    ]
    table = coverage.daily_coverage({1: ["/1/2/", "/1/3/"]}, checkins, [day])
    assert table[1].covered == {day: 1}
    assert table[1].checkins == {day: 3}
    assert table[1].share(day) == 0.5


def test_coverage_lists_idle_workers_with_zero() -> None:
    day = date(2026, 3, 2)
    table = coverage.daily_coverage(
        {1: ["/1/2/"], 2: ["/1/3/"]}, [], [day], [(2, _at(2026, 3, 2, 8, 0))]
    )
    assert table[1].mean_share([day]) == 0.0
    assert table[2].reports == {day: 1}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("30.00"), "30"),
        (D("25.00"), "25"),
        (D("9.50"), "9.5"),
        (D("0.25"), "0.25"),
        (D("0.00"), "0"),
        ("10.00", "10"),
        (93, "93"),
        (None, "--"),
    ],
)
def test_format_points_drops_trailing_zeros(value: object, text: str) -> None:
    from chuangwei.inspections.scoring import format_points

    assert format_points(value) == text


def test_over_cap_message_has_no_trailing_zeros() -> None:
    from django.utils import translation

    from chuangwei.core.errors import InvalidInput
    from chuangwei.inspections.scoring import check_deduction

    with translation.override("zh-hans"), pytest.raises(InvalidInput) as exc:
        check_deduction(D("30.00"), [D("5.00")], D("26.00"))
    assert str(exc.value.message) == "该条目共 30 分，最多还能扣 25 分。"
