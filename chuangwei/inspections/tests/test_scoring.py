"""The score arithmetic: caps, bands and totals (no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from chuangwei.core.errors import InvalidInput
from chuangwei.inspections import scoring

BANDS = scoring.parse_bands(
    [
        {"label": "好", "low": "17.5", "high": 20},
        {"label": "中", "low": "9.5", "high": 17},
        {"label": "差", "low": 0, "high": 9},
    ],
    D("20"),
)


def test_deduction_score_subtracts_findings() -> None:
    assert scoring.deduction_score(D("10"), [D("2"), D("3")]) == D("5")


def test_deduction_score_never_goes_below_zero() -> None:
    assert scoring.deduction_score(D("10"), [D("8"), D("5")]) == D("0")


def test_check_deduction_allows_exactly_the_cap() -> None:
    assert scoring.check_deduction(D("10"), [D("6")], D("4")) == D("0")


def test_check_deduction_refuses_beyond_the_cap() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.check_deduction(D("10"), [D("6")], D("4.5"))
    assert exc.value.code == "deduction_over_cap"


def test_check_deduction_refuses_zero() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.check_deduction(D("10"), [], D("0"))
    assert exc.value.code == "deduction_not_positive"


def test_to_points_refuses_negative() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.to_points("-1")
    assert exc.value.code == "negative_points"


def test_to_points_refuses_text() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.to_points("abc")
    assert exc.value.code == "bad_points"


def test_band_without_score_takes_the_top_of_the_band() -> None:
    assert scoring.band_score(BANDS, "中") == D("17")


def test_band_with_score_inside_keeps_it() -> None:
    assert scoring.band_score(BANDS, "好", D("18.5")) == D("18.5")


def test_band_score_outside_the_band_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.band_score(BANDS, "差", D("10"))
    assert exc.value.code == "score_outside_band"


def test_unknown_band_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.band_score(BANDS, "优", None)
    assert exc.value.code == "unknown_band"


def test_overlapping_bands_are_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.parse_bands(
            [{"label": "好", "low": 10, "high": 20}, {"label": "中", "low": 5, "high": 10}], D("20")
        )
    assert exc.value.code == "bands_overlap"


def test_band_above_item_points_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        scoring.parse_bands([{"label": "好", "low": 18, "high": 25}], D("20"))
    assert exc.value.code == "bad_band"


def test_sheet_totals_sum_parts_and_leaves() -> None:
    items = [
        scoring.ItemSpec(1, 1, D("30"), "group"),
        scoring.ItemSpec(2, 1, D("10"), "deduction"),
        scoring.ItemSpec(3, 1, D("20"), "band"),
        scoring.ItemSpec(4, 4, D("50"), "deduction"),
    ]
    totals = scoring.sheet_totals(items, {2: [D("3")], 4: [D("60")]}, {3: D("17")})
    assert (totals.obtained, totals.possible, totals.lost) == (D("24"), D("80"), D("56"))
    assert totals.by_part == {1: (D("24"), D("30")), 4: (D("0"), D("50"))}


def test_sheet_totals_list_unjudged_bands_and_do_not_count_them_as_lost() -> None:
    items = [scoring.ItemSpec(3, 3, D("20"), "band"), scoring.ItemSpec(4, 4, D("10"), "deduction")]
    totals = scoring.sheet_totals(items, {4: [D("2")]}, {})
    assert totals.unscored_bands == [3]
    assert (totals.obtained, totals.lost) == (D("8"), D("2"))


def test_bands_with_a_gap_are_refused() -> None:
    gapped = [
        {"label": "好", "low": 9, "high": 10},
        {"label": "中", "low": 5, "high": 8},
        {"label": "差", "low": 0, "high": 4},
    ]
    with pytest.raises(InvalidInput) as exc:
        scoring.parse_bands(gapped, D("10"))
    assert exc.value.code == "bands_gap"
    assert [b.low for b in scoring.parse_bands(gapped, D("10"), allow_gaps=True)] == [
        D("9"),
        D("5"),
        D("0"),
    ]


def test_bands_a_half_point_apart_are_contiguous() -> None:
    bands = scoring.parse_bands(
        [
            {"label": "好", "low": "8.5", "high": 10},
            {"label": "中", "low": "4.5", "high": 8},
            {"label": "差", "low": 0, "high": 4},
        ],
        D("10"),
    )
    assert [(b.label, b.low, b.high) for b in bands] == [
        ("好", D("8.50"), D("10.00")),
        ("中", D("4.50"), D("8.00")),
        ("差", D("0.00"), D("4.00")),
    ]
