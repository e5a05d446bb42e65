"""Prerequisite and veto conditions: events, the board's states, and honours in the red lists."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.rankings.models import RankingEntry, RankingScheme, RankingSnapshot
from chuangwei.rankings.selectors import red_black_of
from chuangwei.readiness import selectors
from chuangwei.readiness.choices import EvidenceStatus
from chuangwei.readiness.models import (
    ConditionEvent,
    EvaluationCycle,
    Evidence,
    EvidenceRequirement,
)
from chuangwei.readiness.services import conditions
from chuangwei.standards.models import Indicator, IndicatorValue, StandardClause, StandardVersion
from chuangwei.standards.services import save_standard_clause

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def standard(personas: dict[str, Any]) -> dict[str, Any]:
    version = StandardVersion.objects.create(code="V", name="测试标准", year=2026)
    aspect = save_standard_clause(
        StandardClause(version=version, level="aspect", number="一", title="组织管理"), by=None
    )
    food = save_standard_clause(
        StandardClause(
            version=version,
            parent=aspect,
            level="article",
            number="（二十）",
            title="无重大食品安全事故",
            is_veto=True,
        ),
        by=None,
    )
    plain = save_standard_clause(
        StandardClause(
            version=version, parent=aspect, level="article", number="（一）", title="领导"
        ),
        by=None,
    )
    satisfaction = Indicator.objects.create(
        version=version, code="M1", name="群众满意率", comparator="gte", threshold=90, unit="%",
        is_veto=True,
    )  # fmt: skip
    EvaluationCycle.objects.create(
        kind="review", name="复审", start_year=2025, end_year=2027, standard_version=version,
        is_current=True,
    )  # fmt: skip
    return {
        "version": version,
        "food": food,
        "plain": plain,
        "satisfaction": satisfaction,
        **personas,
    }


def record(standard: dict[str, Any], unit: Any, **kwargs: Any) -> ConditionEvent:
    values = {
        "clause": standard["food"],
        "occurred_on": date(2026, 5, 20),
        "title": "某餐馆食物中毒事件",
        "by": standard["office"],
        "now": NOW,
    }
    values.update(kwargs)
    return conditions.record_condition_event(unit=unit, **values)


def test_recording_an_event_sets_its_year(standard, org_tree):
    event = record(standard, org_tree["street_a"])
    assert (event.year, event.unit, event.clause) == (2026, org_tree["street_a"], standard["food"])


@pytest.mark.parametrize("persona", ["handler_a", "leader", "inspector", "grid_worker"])
def test_only_the_office_records_events(standard, org_tree, persona):
    with pytest.raises(NotAllowed):
        record(standard, org_tree["street_a"], by=standard[persona])
    assert ConditionEvent.objects.count() == 0


def test_an_event_needs_a_veto_or_prerequisite_condition(standard, org_tree):
    with pytest.raises(InvalidInput) as refused:
        record(standard, org_tree["street_a"], clause=standard["plain"])
    assert list(refused.value.fields) == ["clause"]


def test_every_fault_of_an_event_is_listed(standard, org_tree):
    with pytest.raises(InvalidInput) as refused:
        record(standard, org_tree["street_a"], clause=None, occurred_on=date(2026, 7, 1), title=" ")
    assert sorted(refused.value.fields) == ["clause", "occurred_on", "title"]
    assert ConditionEvent.objects.count() == 0


def test_a_withdrawn_event_stays_on_record_and_cannot_be_withdrawn_twice(standard, org_tree):
    event = record(standard, org_tree["street_a"])
    conditions.withdraw_condition_event(event, reason="录入错误", by=standard["office"], now=NOW)
    assert (event.withdrawn_reason, event.withdrawn_by) == ("录入错误", standard["office"])
    with pytest.raises(Conflict):
        conditions.withdraw_condition_event(event, reason="再次", by=standard["office"])


def test_an_event_bars_the_unit_and_its_subtree_from_honours_that_year(standard, org_tree):
    record(standard, org_tree["street_a"])
    assert selectors.ineligible_unit_ids(2026) == {
        org_tree["street_a"].pk,
        org_tree["community_a"].pk,
    }
    assert selectors.ineligible_unit_ids(2025) == frozenset()


def test_a_withdrawn_event_bars_nobody(standard, org_tree):
    event = record(standard, org_tree["street_a"])
    conditions.withdraw_condition_event(event, reason="录入错误", by=standard["office"])
    assert selectors.ineligible_unit_ids(2026) == frozenset()


def states(rows: list[selectors.ConditionRow]) -> dict[str, str]:
    return {row.number: row.state for row in rows}


def test_the_board_is_unknown_without_data(standard):
    assert states(selectors.condition_board(year=2026)) == {"（二十）": "unknown", "M1": "unknown"}


def test_a_veto_event_turns_its_condition_red(standard, org_tree):
    record(standard, org_tree["street_a"])
    board = selectors.condition_board(year=2026)
    assert states(board) == {"（二十）": "red", "M1": "unknown"}
    assert [e.title for e in board[0].events] == ["某餐馆食物中毒事件"]


def test_the_board_of_another_district_stays_unknown(standard, org_tree):
    from chuangwei.org.services import create_org_unit

    other = create_org_unit(code="370403", name="乙区", kind="district", parent=org_tree["city"])
    record(standard, org_tree["street_a"])
    assert states(selectors.condition_board(year=2026, unit=other))["（二十）"] == "unknown"
    assert states(selectors.condition_board(year=2026, unit=org_tree["district"]))["（二十）"] == (
        "red"
    )


def test_approved_evidence_turns_a_clause_condition_green(standard, org_tree):
    requirement = EvidenceRequirement.objects.create(clause=standard["food"], title="食品安全台账")
    Evidence.objects.create(
        requirement=requirement, unit=org_tree["city"], period="2026", year=2026,
        status=EvidenceStatus.APPROVED, submitted_at=NOW, reviewed_at=NOW,
    )  # fmt: skip
    [food, _m1] = selectors.condition_board(year=2026)
    assert (food.state, food.evidence_on) == ("green", date(2026, 6, 1))


@pytest.mark.parametrize(("numerator", "state"), [(92, "green"), (85, "red")])
def test_an_indicator_condition_follows_the_city_value(standard, org_tree, numerator, state):
    IndicatorValue.objects.create(
        indicator=standard["satisfaction"], year=2026, unit=org_tree["city"],
        numerator=numerator, denominator=100,
    )  # fmt: skip
    row = selectors.condition_board(year=2026)[1]
    assert (row.state, row.value) == (state, Decimal(numerator).quantize(Decimal("0.01")))


def test_the_board_reads_a_fixed_number_of_queries(standard, org_tree, django_assert_num_queries):
    record(standard, org_tree["street_a"])
    record(standard, org_tree["street_b"], title="第二起")
    with django_assert_num_queries(7):
        selectors.condition_board(year=2026)


@pytest.fixture
def street_ranking(standard, org_tree) -> RankingSnapshot:
    scheme = RankingScheme.objects.create(name="街道排名", object_kind="street")
    snapshot = RankingSnapshot.objects.create(
        scheme=scheme, object_kind="street", period_kind="month", start=date(2026, 5, 1),
        end=date(2026, 5, 31), label="2026年5月", computed_at=NOW, settings_used={"list_size": 1},
    )  # fmt: skip
    for rank, key in enumerate(("street_a", "street_b"), start=1):
        unit = org_tree[key]
        RankingEntry.objects.create(
            snapshot=snapshot, object_id=unit.pk, name=unit.name, rank=rank, score=100 - rank
        )
    return snapshot


def test_the_red_list_skips_a_unit_that_lost_its_honours(standard, org_tree, street_ranking):
    assert [e.name for e in red_black_of(street_ranking)[0]] == ["甲街道"]
    record(standard, org_tree["street_a"])
    red, black = red_black_of(street_ranking)
    assert ([e.name for e in red], [e.name for e in black]) == (["乙街道"], ["乙街道"])


def test_an_event_of_another_year_leaves_the_red_list_alone(standard, org_tree, street_ranking):
    record(standard, org_tree["street_a"], occurred_on=date(2025, 12, 31))
    assert [e.name for e in red_black_of(street_ranking)[0]] == ["甲街道"]
