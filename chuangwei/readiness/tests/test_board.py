"""The readiness board of a unit: each section computed exactly, who reads which unit, the API
and the Word readiness report."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document

from chuangwei.problems.models import Problem
from chuangwei.problems.tests.conftest import IN_A, IN_B, ledger  # noqa: F401 - fixture
from chuangwei.readiness.board import readiness_board
from chuangwei.readiness.choices import EvidenceStatus
from chuangwei.readiness.models import (
    EvaluationCycle,
    EvaluationStage,
    Evidence,
    EvidenceRequirement,
    StageProblem,
)
from chuangwei.readiness.services import conditions
from chuangwei.standards.models import Indicator, IndicatorValue, StandardClause, StandardVersion
from chuangwei.standards.services import save_standard_clause

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=SH)


def _problem(ledger: dict[str, Any], n: int, unit: str, status: str, due: datetime) -> Problem:  # noqa: F811
    point = IN_A if unit == "community_a" else IN_B
    return Problem.objects.create(
        code=f"SJ-2026-{n:04d}",
        tracking_code=f"S{n:08d}",
        source="inspection",
        category=ledger["category"],
        lng=point[0],
        lat=point[1],
        unit=ledger[unit],
        status=status,
        reported_at=NOW - timedelta(days=30),
        due_at=due,
    )


@pytest.fixture
def city(ledger: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """A standard with three indicators, one veto article, a yearly requirement for every
    street, a current cycle whose provincial stage left four problems."""
    version = StandardVersion.objects.create(code="V", name="测试标准", year=2026)
    aspect = save_standard_clause(
        StandardClause(version=version, level="aspect", number="一", title="组织管理"), by=None
    )
    food = save_standard_clause(
        StandardClause(
            version=version, parent=aspect, level="article", number="（二十）",
            title="无重大食品安全事故", is_veto=True,
        ),
        by=None,
    )  # fmt: skip
    item = save_standard_clause(
        StandardClause(
            version=version, parent=food, level="item", number="20.1", title="食品安全档案"
        ),
        by=None,
    )
    met = Indicator.objects.create(
        version=version, code="M1", name="群众满意率", comparator="gte", threshold=90, unit="%"
    )
    missed = Indicator.objects.create(
        version=version,
        code="M2",
        name="病媒密度控制水平",
        comparator="gte",
        threshold=95,
        unit="%",
    )
    Indicator.objects.create(
        version=version, code="M3", name="健康知识知晓率", comparator="gte", threshold=80, unit="%"
    )
    for indicator, num, den in ((met, 92, 100), (missed, 90, 100)):
        IndicatorValue.objects.create(
            indicator=indicator, year=2026, unit=ledger["district"], numerator=num, denominator=den
        )
    StandardVersion.objects.filter(pk=version.pk).update(status="published")
    version.refresh_from_db()
    requirement = EvidenceRequirement.objects.create(
        clause=item, title="食品安全工作台账", frequency="yearly", unit_kinds=["street"]
    )
    Evidence.objects.create(
        requirement=requirement, unit=ledger["street_a"], period="2026", year=2026,
        status=EvidenceStatus.APPROVED, submitted_at=NOW,
    )  # fmt: skip
    Evidence.objects.create(
        requirement=requirement, unit=ledger["street_b"], period="2026", year=2026,
        status=EvidenceStatus.RETURNED, submitted_at=NOW,
    )  # fmt: skip
    cycle = EvaluationCycle.objects.create(
        kind="review", name="2026年复审", start_year=2025, end_year=2027,
        standard_version=version, is_current=True,
    )  # fmt: skip
    stage = EvaluationStage.objects.create(
        cycle=cycle, kind="provincial", name="省级评估", due_on=date(2026, 4, 20), status="done"
    )
    EvaluationStage.objects.create(
        cycle=cycle, kind="covert", name="国家暗访", due_on=date(2026, 9, 1)
    )
    problems = [
        _problem(ledger, 1, "community_a", "dispatched", NOW - timedelta(days=2)),
        _problem(ledger, 2, "community_a", "closed", NOW - timedelta(days=9)),
        _problem(ledger, 3, "community_b", "dispatched", NOW + timedelta(days=5)),
        _problem(ledger, 4, "community_b", "closed", NOW - timedelta(days=9)),
    ]
    for n, problem in enumerate(problems, start=1):
        StageProblem.objects.create(stage=stage, problem=problem, item_no=str(n), created_at=NOW)
    return {"version": version, "food": food, "stage": stage, **ledger}


def test_indicators_are_judged_against_their_thresholds(city):
    board = readiness_board(city["district"], year=2026, now=NOW)
    assert [(line.code, line.value, line.met) for line in board.indicators] == [
        ("M1", Decimal("92.00"), True),
        ("M2", Decimal("90.00"), False),
        ("M3", None, None),
    ]
    assert board.indicator_counts == {"met": 1, "missed": 1, "unknown": 1}


def test_dossier_counts_approved_records_of_those_expected(city):
    board = readiness_board(city["district"], year=2026, now=NOW)
    # Two streets owe one yearly record each; one is approved, the other returned.
    assert (board.dossier.approved, board.dossier.expected) == (1, 2)
    assert board.dossier.percent == Decimal("50.0")


def test_a_street_board_counts_its_own_records(city):
    board = readiness_board(city["street_a"], year=2026, now=NOW)
    assert (board.dossier.approved, board.dossier.expected) == (1, 1)


def test_the_stage_list_counts_open_and_overdue_items_in_the_unit(city):
    board = readiness_board(city["district"], year=2026, now=NOW)
    assert board.stage is not None
    assert (board.stage.name, board.stage.total, board.stage.open, board.stage.overdue) == (
        "省级评估", 4, 2, 1,
    )  # fmt: skip
    assert [item.code for item in board.stage.items] == ["SJ-2026-0001", "SJ-2026-0003"]


def test_a_street_sees_only_its_part_of_the_list(city):
    board = readiness_board(city["street_b"], year=2026, now=NOW)
    assert board.stage is not None
    assert (board.stage.total, board.stage.open, board.stage.overdue) == (2, 1, 0)


def test_a_veto_event_turns_the_condition_red(city):
    before = readiness_board(city["district"], year=2026, now=NOW)
    assert before.condition_counts["red"] == 0
    conditions.record_condition_event(
        clause=city["food"], unit=city["street_a"], occurred_on=date(2026, 5, 20),
        title="食物中毒事件", by=city["office"], now=NOW,
    )  # fmt: skip
    after = readiness_board(city["district"], year=2026, now=NOW)
    assert [row.number for row in after.red_conditions] == ["（二十）"]


def test_no_projection_without_scored_sites(city):
    assert readiness_board(city["district"], year=2026, now=NOW).projection is None


def test_the_board_reads_a_fixed_number_of_queries(city, django_assert_num_queries):
    with django_assert_num_queries(17):
        readiness_board(city["district"], year=2026, now=NOW)


# Pages and who reads which unit ---------------------------------------------------------------

CITY_WIDE = ["admin", "office", "inspector"]


@pytest.mark.parametrize("persona", CITY_WIDE)
def test_city_wide_staff_read_the_city_and_every_district(city, client_as, persona):
    response = client_as(persona).get(reverse("readiness:board"), {"year": 2026})
    assert response.status_code == 200
    assert [u.name for u in response.context["units"]] == [
        city["city"].name,
        city["district"].name,
    ]
    assert response.context["unit"] == city["city"]


def test_a_district_leader_reads_only_the_district(city, client_as):
    response = client_as("leader").get(
        reverse("readiness:board"), {"year": 2026, "unit": city["city"].pk}
    )
    assert response.status_code == 200
    assert response.context["units"] == [city["district"]]
    assert response.context["unit"] == city["district"]


@pytest.mark.parametrize("persona", ["handler_a", "grid_worker", "supervisor"])
def test_street_personas_have_no_board(city, client_as, persona):
    assert client_as(persona).get(reverse("readiness:board")).status_code == 403


def test_the_page_shows_the_summary(city, client_as):
    response = client_as("office").get(
        reverse("readiness:board"), {"year": 2026, "unit": city["district"].pk}
    )
    html = response.content.decode()
    assert 'id="sum-indicators">1 / 3<' in html
    assert 'id="sum-dossier">50%<' in html
    assert 'id="sum-stage">2 / 4<' in html


@pytest.mark.parametrize(
    "persona,status,units",
    [
        ("office", 200, "both"),
        ("inspector", 200, "both"),
        ("leader", 200, "district"),
        ("handler_a", 403, None),
        ("grid_worker", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_api_matrix(city, api_as, persona, status, units):
    client = api_as(persona)
    response = client.get("/api/v1/readiness-board/", {"year": 2026})
    assert response.status_code == status
    if status != 200:
        assert "error" in response.json()
        return
    expected_default = city["city"] if units == "both" else city["district"]
    assert response.json()["unit"] == expected_default.pk
    district = client.get(
        "/api/v1/readiness-board/", {"year": 2026, "unit": city["district"].pk}
    ).json()
    assert district["dossier"] == {"approved": 1, "expected": 2, "percent": "50.0"}
    assert district["stage"]["open"] == 2
    refused = client.get("/api/v1/readiness-board/", {"unit": city["street_a"].pk})
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["unit"]


def test_the_word_report_carries_the_board(city, client_as):
    response = client_as("office").get(
        reverse("reports:readiness_report"), {"year": 2026, "unit": city["district"].pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == f"{city['district'].name}2026年国家卫生城市迎检准备情况"
    assert "一、指标达标情况" in texts
    indicators = doc.tables[0]
    assert [c.text for c in indicators.rows[2].cells] == [
        "M2",
        "病媒密度控制水平",
        "90%",
        "≥95%",
        "未达标",
    ]
    stage_rows = [[c.text for c in row.cells] for row in doc.tables[1].rows[1:]]
    assert [row[0] for row in stage_rows] == ["1", "3"]


def test_the_word_report_refuses_a_street_persona(city, client_as):
    assert client_as("handler_a").get(reverse("reports:readiness_report")).status_code == 403
