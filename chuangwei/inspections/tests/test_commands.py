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
    assert (item.mode, item.bands[0]) == ("band", {"label": "好", "low": "9.00", "high": "10.00"})
