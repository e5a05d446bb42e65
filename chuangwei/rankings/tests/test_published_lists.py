"""Published red/black lists as other apps read them: the public page and the briefings."""

from __future__ import annotations

from datetime import date

import pytest

from chuangwei.public.providers import published_red_black
from chuangwei.rankings import services
from chuangwei.rankings.periods import period_containing
from chuangwei.rankings.selectors import latest_published, red_black_of
from chuangwei.reports.providers import red_black_lists

pytestmark = pytest.mark.django_db
MARCH = period_containing("month", date(2026, 3, 15))


@pytest.fixture
def published(history):
    snap = services.compute_snapshot(services.default_scheme("community"), MARCH, by=None)
    services.publish_snapshot(snap, by=history["office"])
    return snap


def test_red_and_black_lists_leave_out_unranked_entries(published):
    red, black = red_black_of(published)
    assert [(e.name, e.rank) for e in red] == [("甲一社区", 1)]
    assert [(e.name, e.rank) for e in black] == [("甲一社区", 1)]


def test_drafts_are_not_published(history):
    services.compute_snapshot(services.default_scheme("community"), MARCH, by=None)
    assert latest_published() == []
    assert published_red_black() == []
    assert red_black_lists(date(2026, 3, 1), date(2026, 3, 31)) == {}


def test_the_public_page_gets_the_newest_published_list_of_each_kind(published):
    assert published_red_black() == [
        {
            "title": "社区",
            "period": published.label,
            "red": [{"rank": 1, "name": "甲一社区", "score": 55.55}],
            "black": [{"rank": 1, "name": "甲一社区", "score": 55.55}],
        }
    ]


def test_a_briefing_gets_the_list_published_for_its_period(published):
    lists = red_black_lists(date(2026, 3, 1), date(2026, 3, 31))
    assert lists["red"] == [{"name": "甲一社区", "score": 55.55, "note": "D"}]
    assert lists["period"] == published.label


def test_a_briefing_before_the_period_ends_gets_nothing(published):
    assert red_black_lists(date(2026, 3, 1), date(2026, 3, 15)) == {}
