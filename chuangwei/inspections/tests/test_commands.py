"""The shipped sheets: loaded once, the national sheet's parts and points as in the reference."""

from __future__ import annotations

from decimal import Decimal as D
from io import StringIO
from typing import Any

from django.core.management import call_command

from chuangwei.inspections import services
from chuangwei.inspections.models import ScoreSheet


def test_load_score_sheets_is_idempotent(db: Any) -> None:
    out = StringIO()
    call_command("load_score_sheets", stdout=out)
    call_command("load_score_sheets", stdout=out)
    assert out.getvalue().splitlines() == [
        "score sheets: 6 created, 0 already there",
        "score sheets: 0 created, 6 already there",
    ]
    assert ScoreSheet.objects.count() == 6


def test_national_sheet_has_the_11_parts_of_the_reference(db: Any) -> None:
    call_command("load_score_sheets", stdout=StringIO())
    sheet = ScoreSheet.objects.get(is_national=True)
    parts = list(sheet.items.filter(parent__isnull=True).values_list("number", "points"))
    assert [p for _n, p in parts] == [
        D(x) for x in (50, 70, 230, 100, 120, 110, 100, 50, 50, 70, 50)
    ]
    assert sum(i.points for i in services.scored_items(sheet)) == D("1000")


def test_every_local_sheet_totals_100_points(db: Any) -> None:
    call_command("load_score_sheets", stdout=StringIO())
    totals = {
        s.code: sum(i.points for i in services.scored_items(s))
        for s in ScoreSheet.objects.filter(is_national=False)
    }
    assert totals == {
        c: D("100") for c in ("MARKET", "TOILET", "SMALL-CATERING", "BACK-LANE", "VECTOR")
    }


def test_banded_items_of_the_national_sheet_are_judged_in_bands(db: Any) -> None:
    call_command("load_score_sheets", stdout=StringIO())
    item = ScoreSheet.objects.get(is_national=True).items.get(number="一.1.1")
    assert (item.mode, item.bands[0]) == ("band", {"label": "好", "low": "8.50", "high": "10.00"})


def test_shipped_bands_leave_no_gap(db: Any) -> None:
    """Toilet (and national) bands: 差 0–4, 中 4.5–8, 好 8.5–10, every half point in a band."""
    from chuangwei.inspections import scoring
    from chuangwei.inspections.models import SheetItem

    call_command("load_score_sheets", stdout=StringIO())
    banded = list(SheetItem.objects.filter(mode="band").select_related("sheet"))
    assert len(banded) == 6
    assert {tuple((b["label"], b["low"], b["high"]) for b in i.bands) for i in banded} == {
        (("好", "8.50", "10.00"), ("中", "4.50", "8.00"), ("差", "0.00", "4.00"))
    }
    assert any(i.sheet.code == "TOILET" for i in banded)
    for item in banded:
        bands = scoring.parse_bands(item.bands, item.points)  # strict: refuses gaps
        half_points = [D(n) / 2 for n in range(0, int(item.points * 2) + 1)]
        assert all(any(b.low <= v <= b.high for b in bands) for v in half_points)
