"""The demo's readiness half tells the story docs/demo.md promises: a 复审 cycle on the local
standard, indicators with a few red, a dossier about 60 % complete, the provincial list half
rectified, and one veto event in force (one withdrawn)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangwei.org.models import OrgUnit
from chuangwei.readiness.board import readiness_board
from chuangwei.readiness.models import ConditionEvent, EvaluationCycle
from chuangwei.readiness.selectors import ineligible_unit_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> OrgUnit:
    call_command("demo", "--sites", "50", "--seed", "3", stdout=StringIO())
    return OrgUnit.objects.get(parent__isnull=True)


def test_the_demo_readiness_board_tells_the_story(city: OrgUnit) -> None:
    cycle = EvaluationCycle.objects.get(is_current=True)
    assert (cycle.kind, cycle.standard_version.code) == ("review", "GWS-2021-LOCAL")
    board = readiness_board(city, year=timezone.localdate().year)
    assert len(board.indicators) == 9
    assert board.dossier.percent is not None
    assert Decimal("45") <= board.dossier.percent <= Decimal("75")
    assert board.stage is not None
    assert (board.stage.name, board.stage.total) == ("省级评估", 20)
    assert 0 < board.stage.open < board.stage.total
    assert [row.number for row in board.red_conditions][:1] == ["（本市1）"]


def test_one_veto_event_is_in_force_and_one_withdrawn(city: OrgUnit) -> None:
    events = ConditionEvent.objects.order_by("occurred_on", "pk")
    assert [e.withdrawn_at is None for e in events] == [True, False]
    in_force = events[0]
    assert in_force.unit.pk in ineligible_unit_ids(in_force.year)
    assert events[1].unit.pk not in ineligible_unit_ids(events[1].year)
