"""Indicators with numerator/denominator per year and unit: computed values equal a hand
count, are stored per period and never typed in; status against thresholds and trends
(issue 14, item 2)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from chuangwei.core.errors import InvalidInput
from chuangwei.problems.sources import closure_rate, on_time_rate
from chuangwei.problems.tests.conftest import ledger  # noqa: F401 - fixture
from chuangwei.standards import services, sources
from chuangwei.standards.choices import ValueOrigin
from chuangwei.standards.models import Indicator, IndicatorValue, StandardVersion
from chuangwei.standards.selectors import indicator_status, indicator_trend
from tests import rows

SH = ZoneInfo("Asia/Shanghai")
IN_2025 = datetime(2025, 6, 1, 9, 0, tzinfo=SH)


def problem(w: dict[str, Any], unit: str, *, accepted: datetime = IN_2025, **fields: Any) -> Any:
    return rows.problems(w, [unit], accepted_at=accepted, **fields)[0]


@pytest.fixture
def ledger_2025(ledger: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Problems registered in 2025: 甲街道 3 (closed on time, closed late, open) and one
    voided; 乙街道 1 closed on time; one of 2024 and one registered on 2026-01-01 00:00."""
    closed = {"status": "closed", "closed_at": IN_2025}
    problem(ledger, "street_a", closed_on_time=True, **closed)
    problem(ledger, "street_a", closed_on_time=False, **closed)
    problem(ledger, "street_a")
    problem(ledger, "street_a", status="voided")
    problem(ledger, "community_b", closed_on_time=True, **closed)
    problem(ledger, "street_a", accepted=datetime(2024, 12, 31, 23, 0, tzinfo=SH), **closed)
    problem(ledger, "street_a", accepted=datetime(2026, 1, 1, 0, 0, tzinfo=SH), **closed)
    return ledger


@pytest.fixture
def version(db: Any) -> StandardVersion:
    version = StandardVersion.objects.create(code="LOCAL", name="本市测评细则", year=2026)
    for code, name, key in (
        ("C1", "结案率", "problems.closure_rate"),
        ("C2", "按期结案率", "problems.on_time_rate"),
        ("E1", "生活垃圾无害化处理率", ""),
    ):
        services.save_indicator(
            Indicator(
                version=version,
                code=code,
                name=name,
                unit="%",
                comparator="gte",
                threshold=Decimal("70"),
                computed_by=key,
            ),
            by=None,
        )
    return version


def test_closure_rate_equals_the_hand_count(ledger_2025: dict[str, Any]) -> None:
    w = ledger_2025
    assert closure_rate(w["city"], 2025) == (Decimal(3), Decimal(4))
    assert closure_rate(w["street_a"], 2025) == (Decimal(2), Decimal(3))
    assert closure_rate(w["street_b"], 2025) == (Decimal(1), Decimal(1))


def test_on_time_rate_equals_the_hand_count(ledger_2025: dict[str, Any]) -> None:
    w = ledger_2025
    assert on_time_rate(w["city"], 2025) == (Decimal(2), Decimal(4))
    assert on_time_rate(w["street_a"], 2025) == (Decimal(1), Decimal(3))


def test_a_year_without_problems_has_no_value(ledger_2025: dict[str, Any]) -> None:
    assert closure_rate(ledger_2025["city"], 2023) is None


def test_the_apps_register_their_sources() -> None:
    assert [s.key for s in sources.all_sources()] == [
        "inspections.covert_score_rate",
        "problems.closure_rate",
        "problems.on_time_rate",
        "public.survey_awareness",
        "public.survey_satisfaction",
    ]


def test_covert_score_rate_equals_the_hand_count(ledger: dict[str, Any]) -> None:  # noqa: F811
    from chuangwei.inspections.models import SiteResult

    a, b = rows.site_results(ledger, ["street_a", "street_b"])
    scored = datetime(2026, 3, 18, 10, 0, tzinfo=SH)
    SiteResult.objects.filter(pk=a.pk).update(obtained=18, possible=20, scored_at=scored)
    SiteResult.objects.filter(pk=b.pk).update(obtained=15, possible=20, scored_at=scored)
    compute = sources.get("inspections.covert_score_rate").compute  # type: ignore[union-attr]
    assert compute(ledger["city"], 2026) == (Decimal(33), Decimal(40))
    assert compute(ledger["street_a"], 2026) == (Decimal(18), Decimal(20))
    assert compute(ledger["city"], 2025) is None


def test_survey_satisfaction_equals_the_hand_count(ledger: dict[str, Any]) -> None:  # noqa: F811
    from chuangwei.public import services as public
    from chuangwei.public.models import SurveyAnswer, SurveyResponse

    survey = public.create_survey(
        title="满意度调查",
        kind="satisfaction",
        status="open",
        questions=[("满意吗", [("满意", True), ("不满意", False)])],
        by=ledger["office"],
    )
    question = survey.questions.get()
    for positive in (True, True, False):
        response = SurveyResponse.objects.create(
            survey=survey,
            district=ledger["district"],
            submitted_at=datetime(2026, 2, 1, tzinfo=SH),
        )
        SurveyAnswer.objects.create(
            response=response, question=question, choice=0 if positive else 1, positive=positive
        )
    compute = sources.get("public.survey_satisfaction").compute  # type: ignore[union-attr]
    assert compute(ledger["city"], 2026) == (Decimal(2), Decimal(3))
    assert compute(ledger["street_a"], 2026) is None
    awareness = sources.get("public.survey_awareness").compute  # type: ignore[union-attr]
    assert awareness(ledger["city"], 2026) is None


def test_recompute_stores_values_per_unit_and_year(
    ledger_2025: dict[str, Any], version: StandardVersion
) -> None:
    result = services.recompute_indicator_values(version, 2025)
    assert (result.indicators, result.units, result.written) == (2, 4, 8)
    stored = {
        (v.indicator.code, v.unit.name): (v.numerator, v.denominator, v.origin)
        for v in IndicatorValue.objects.select_related("indicator", "unit")
    }
    assert stored[("C1", "测试市")] == (Decimal(3), Decimal(4), ValueOrigin.COMPUTED)
    assert stored[("C2", "甲街道")] == (Decimal(1), Decimal(3), ValueOrigin.COMPUTED)
    assert len(stored) == 8


def test_recompute_again_replaces_and_never_adds(
    ledger_2025: dict[str, Any], version: StandardVersion
) -> None:
    services.recompute_indicator_values(version, 2025)
    again = services.recompute_indicator_values(version, 2025)
    assert (again.written, again.unchanged, again.removed) == (0, 8, 0)
    assert IndicatorValue.objects.count() == 8


def test_recompute_for_a_year_without_data_stores_nothing(
    ledger_2025: dict[str, Any], version: StandardVersion
) -> None:
    result = services.recompute_indicator_values(version, 2023)
    assert (result.written, IndicatorValue.objects.count()) == (0, 0)


def test_status_compares_with_the_threshold(
    ledger_2025: dict[str, Any], version: StandardVersion
) -> None:
    services.recompute_indicator_values(version, 2025)
    status = indicator_status(version, ledger_2025["city"], 2025)
    assert [(s.indicator.code, s.rate, s.met, s.origin) for s in status] == [
        ("C1", Decimal("75.00"), True, "computed"),
        ("C2", Decimal("50.00"), False, "computed"),
        ("E1", None, None, None),
    ]


def test_status_takes_two_queries(
    ledger_2025: dict[str, Any], version: StandardVersion, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        indicator_status(version, ledger_2025["city"], 2025)


def test_entered_value_without_denominator_is_the_numerator(
    org_tree: dict[str, Any], version: StandardVersion
) -> None:
    indicator = Indicator.objects.get(code="E1")
    services.save_indicator_value(
        IndicatorValue(indicator=indicator, year=2026, unit=org_tree["city"], numerator=65),
        by=None,
    )
    [*_, entered] = indicator_status(version, org_tree["city"], 2026)
    assert (entered.rate, entered.met, entered.origin) == (Decimal("65.00"), False, "entered")


def test_trend_gives_each_year_in_order(org_tree: dict[str, Any], version: StandardVersion) -> None:
    indicator = Indicator.objects.get(code="E1")
    for year, num in ((2024, 60), (2026, 80)):
        services.save_indicator_value(
            IndicatorValue(
                indicator=indicator,
                year=year,
                unit=org_tree["city"],
                numerator=num,
                denominator=100,
            ),
            by=None,
        )
    trend = indicator_trend(indicator, org_tree["city"], [2024, 2025, 2026])
    assert [(p.year, p.rate, p.met) for p in trend] == [
        (2024, Decimal("60.00"), False),
        (2025, None, None),
        (2026, Decimal("80.00"), True),
    ]


# Computed values are never typed in -------------------------------------------------------


def test_service_refuses_a_typed_value_for_a_computed_indicator(
    org_tree: dict[str, Any], version: StandardVersion
) -> None:
    computed = Indicator.objects.get(code="C1")
    with pytest.raises(InvalidInput) as caught:
        services.save_indicator_value(
            IndicatorValue(indicator=computed, year=2026, unit=org_tree["city"], numerator=1),
            by=None,
        )
    assert caught.value.code == "computed_indicator"
    assert IndicatorValue.objects.count() == 0


def test_entry_form_offers_only_entered_indicators(
    client_as: Any, version: StandardVersion
) -> None:
    response = client_as("office").get(reverse("standards:indicatorvalue_create"))
    offered = [i.code for i in response.context["form"].fields["indicator"].queryset]
    assert offered == ["E1"]


def test_api_refuses_a_typed_value_for_a_computed_indicator(
    api_as: Any, org_tree: dict[str, Any], version: StandardVersion
) -> None:
    computed = Indicator.objects.get(code="C1")
    response = api_as("office").post(
        "/api/v1/indicator-values/",
        {"indicator": computed.pk, "year": 2026, "unit": org_tree["city"].pk, "numerator": "1"},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (
        400,
        "computed_indicator",
    )
    assert IndicatorValue.objects.count() == 0


def test_unknown_source_is_refused(version: StandardVersion) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.save_indicator(
            Indicator(
                version=version,
                code="X",
                name="x",
                comparator="gte",
                threshold=1,
                computed_by="nowhere",
            ),
            by=None,
        )
    assert caught.value.code == "unknown_source"


# Pages -------------------------------------------------------------------------------------


def test_recompute_button_stores_the_values(
    ledger_2025: dict[str, Any], version: StandardVersion, client_as: Any
) -> None:
    indicator = Indicator.objects.get(code="C1")
    response = client_as("office").post(
        reverse("standards:indicator_recompute", args=[indicator.pk]), {"year": 2025}
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(origin=ValueOrigin.COMPUTED).count() == 8


def test_recompute_button_is_for_managers(
    ledger_2025: dict[str, Any], version: StandardVersion, client_as: Any
) -> None:
    indicator = Indicator.objects.get(code="C1")
    response = client_as("handler_a").post(
        reverse("standards:indicator_recompute", args=[indicator.pk]), {"year": 2025}
    )
    assert response.status_code == 403
    assert IndicatorValue.objects.count() == 0


def test_indicator_page_shows_the_trend_of_a_unit_in_scope(
    ledger_2025: dict[str, Any], version: StandardVersion, client_as: Any
) -> None:
    services.recompute_indicator_values(version, 2025)
    indicator = Indicator.objects.get(code="C1")
    response = client_as("handler_a").get(
        reverse("standards:indicator_detail", args=[indicator.pk])
    )
    assert response.context["unit"] == ledger_2025["street_a"]
    assert [u.name for u in response.context["units"]] == ["甲街道"]
    chart = response.context["chart"]
    assert chart["threshold"] == 70.0
    assert len(chart["years"]) == 5


def test_management_command_recomputes(
    ledger_2025: dict[str, Any], version: StandardVersion
) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("recompute_indicators", "--standard", "LOCAL", "--year", "2025", stdout=out)
    assert IndicatorValue.objects.count() == 8
    assert "LOCAL 2025" in out.getvalue()


def _page_queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_indicator_page_queries_do_not_grow_with_values(
    org_tree: dict[str, Any], version: StandardVersion, client_as: Any
) -> None:
    indicator = Indicator.objects.get(code="E1")
    url = reverse("standards:indicator_detail", args=[indicator.pk])
    client = client_as("office")
    units = ["city", "district", "street_a", "street_b"]

    def add(years: range) -> None:
        for year in years:
            for key in units:
                IndicatorValue.objects.create(
                    indicator=indicator, year=year, unit=org_tree[key], numerator=1
                )

    add(range(2020, 2022))
    few = _page_queries(client, url)
    add(range(2022, 2026))
    assert _page_queries(client, url) == few == 9


def test_demo_indicators_have_values_and_a_few_reds(
    ledger_2025: dict[str, Any],
) -> None:
    from chuangwei.standards.demo import build_demo_indicators
    from chuangwei.standards.loaders import load_all

    load_all()
    made = build_demo_indicators(seed=7)
    assert made.version is not None and made.version.status == "published"
    # 4 entered indicators × (city + district) × 3 years
    assert made.entered == 24
    assert 1 <= len(made.red) <= 8
    city = ledger_2025["city"]
    closure = indicator_status(made.version, city, 2025)[0]
    assert (closure.indicator.code, closure.rate, closure.origin) == (
        "L-01",
        Decimal("75.00"),
        "computed",
    )
    again = build_demo_indicators(seed=7)
    assert again.entered == 0


def test_status_rows_freeze_into_the_stage_snapshot_json(
    org_tree: dict[str, Any], version: StandardVersion
) -> None:
    from chuangwei.readiness.services.cycles import _jsonable

    indicator = Indicator.objects.get(code="E1")
    services.save_indicator_value(
        IndicatorValue(
            indicator=indicator, year=2026, unit=org_tree["city"], numerator=9, denominator=10
        ),
        by=None,
    )
    frozen = _jsonable(indicator_status(version, org_tree["city"], 2026))
    assert frozen[2] == {
        "indicator": indicator.pk,
        "value": IndicatorValue.objects.get().pk,
        "numerator": "9.0000",
        "denominator": "10.0000",
        "rate": "90.00",
        "threshold": "70.0000",
        "comparator": "gte",
        "met": True,
        "origin": "entered",
    }
