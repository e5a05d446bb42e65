"""The dashboard figures: exact values, scope per role, and the ledger list behind each one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from chuangwei.problems.filters import ProblemFilter
from chuangwei.problems.models import Problem
from chuangwei.reports.models import Milestone
from chuangwei.reports.tests.conftest import at

pytestmark = pytest.mark.django_db
URL = "/dashboard/data/?period=custom&start=2026-03-01&end=2026-03-15"
NOW = datetime(2026, 3, 18, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _clock(monkeypatch):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def kpis(client: Any, url: str = URL) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {k["key"]: k for k in response.json()["kpis"]}


def test_office_sees_the_whole_city(client_as, march):
    values = {k: v["value"] for k, v in kpis(client_as("office")).items()}
    assert values == {
        "open": 2,
        "overdue": 1,
        "closed_week": 0,
        "reported": 4,
        "closed": 3,
        "on_time_rate": 66.7,
        "rework_rate": 33.3,
        "recurrence_rate": 0.0,
        "citizen": 0,
        "satisfaction": None,
    }


@pytest.mark.parametrize(
    ("persona", "opened", "reported"),
    [("leader", 2, 4), ("handler_a", 1, 3), ("handler_b", 1, 1), ("grid_worker", 1, 3)],
)
def test_each_role_sees_only_its_area(client_as, march, persona, opened, reported):
    values = kpis(client_as(persona))
    assert (values["open"]["value"], values["reported"]["value"]) == (opened, reported)


def test_a_leader_of_another_district_sees_nothing(client_as, march, ledger, org_tree):
    from chuangwei.accounts.models import Membership
    from chuangwei.org.services import create_org_unit

    other = create_org_unit(code="370403", name="乙区", kind="district", parent=org_tree["city"])
    Membership.objects.filter(user=ledger["leader"]).update(unit=other)
    values = kpis(client_as("leader"))
    assert (values["open"]["value"], values["reported"]["value"]) == (0, 0)


def _listed(user: Any, url: str) -> int:
    query = QueryDict(urlsplit(url).query)
    request = RequestFactory().get("/problems/")
    request.user = user
    filterset = ProblemFilter(query, queryset=Problem.objects.visible_to(user), request=request)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


@pytest.mark.parametrize("persona", ["office", "leader", "handler_a"])
def test_every_count_links_to_a_ledger_list_of_exactly_that_many(client_as, march, ledger, persona):
    counts = {k: v for k, v in kpis(client_as(persona)).items() if v["url"] and v["suffix"] != "%"}
    assert set(counts) == {"open", "overdue", "closed_week", "reported", "closed", "citizen"}
    for key, kpi in counts.items():
        assert kpi["url"].startswith("/problems/?")
        assert _listed(ledger[persona], kpi["url"]) == kpi["value"], key


def test_a_rate_links_to_the_problems_it_counts(client_as, march, ledger):
    on_time = kpis(client_as("office"))["on_time_rate"]
    params = parse_qs(urlsplit(on_time["url"]).query)
    assert params["on_time"] == ["true"] and params["closed_after"] == ["2026-03-01"]
    assert _listed(ledger["office"], on_time["url"]) == 2


def test_filters_pass_on_to_figures_and_links(client_as, march, ledger):
    values = kpis(client_as("office"), URL + f"&unit={ledger['street_b'].pk}")
    assert values["reported"]["value"] == 1
    assert f"unit={ledger['street_b'].pk}" in values["reported"]["url"]


def test_units_are_rolled_up_to_the_level_below_the_viewer(client_as, march):
    office = client_as("office").get(URL).json()["units"]
    leader = client_as("leader").get(URL).json()["units"]
    assert [(u["name"], u["reported"], u["open"]) for u in office] == [("甲区", 4, 2)]
    assert sorted((u["name"], u["reported"], u["open"]) for u in leader) == [
        ("乙街道", 1, 1),
        ("甲街道", 3, 1),
    ]


def test_trend_counts_reports_and_closures_per_day(client_as, march):
    trend = client_as("office").get(URL).json()["trend"]
    assert len(trend["labels"]) == 15
    assert trend["reported"][1] == 3 and trend["reported"][11] == 1
    assert (trend["closed"][2], trend["closed"][4], trend["closed"][5]) == (1, 1, 1)


def test_grid_values_follow_the_chosen_metric(client_as, march, ledger):
    from chuangwei.places.models import Grid

    ga, gb = Grid.objects.get(code="GA").pk, Grid.objects.get(code="GB").pk
    data = client_as("office").get(URL + "&metric=open").json()["grids"]
    assert (data["metric"], data["values"]) == ("open", {str(ga): 1, str(gb): 1})
    assert _listed(ledger["office"], data["url"] + f"&grid={ga}") == 1


def test_the_next_milestone_is_counted_down(client_as, march):
    Milestone.objects.create(name="国家暗访", date=datetime(2026, 5, 1).date(), kind="national")
    Milestone.objects.create(name="已过", date=datetime(2026, 3, 1).date())
    milestone = client_as("office").get(URL).json()["milestone"]
    assert (milestone["name"], milestone["days"]) == ("国家暗访", 44)


def test_a_bad_period_is_refused_with_the_error_shape(client_as, march):
    response = client_as("office").get("/dashboard/data/?start=2026-03-10&end=2026-03-01")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "end" in response.json()["error"]["fields"]


def test_a_year_is_the_longest_period(client_as, march):
    response = client_as("office").get("/dashboard/data/?start=2025-01-01&end=2026-03-01")
    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["admin", "office", "handler_a", "grid_worker", "inspector",
                                     "leader", "supervisor"])  # fmt: skip
@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/screen/", URL, "/dashboard/export/"])
def test_every_signed_in_role_may_open_the_dashboard(client_as, march, persona, path):
    assert client_as(persona).get(path).status_code == 200


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/screen/", URL, "/dashboard/export/"])
def test_anonymous_users_are_sent_to_log_in(client_as, path):
    response = client_as("anonymous").get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_data_endpoint_runs_a_fixed_number_of_queries(
    client_as, march, django_assert_num_queries
):
    from django.core.cache import cache

    client = client_as("leader")
    client.get(URL)
    cache.clear()
    # The city view's 18 plus the leader's unit ids and their own reports outside them.
    with django_assert_num_queries(20):
        client.get(URL)


def test_the_figures_are_kept_for_half_a_minute(client_as, march, make_problem):
    client = client_as("office")
    first = kpis(client)["reported"]["value"]
    make_problem(reported_at=datetime(2026, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert kpis(client)["reported"]["value"] == first


def test_the_export_lists_the_unit_table(client_as, march):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_as("leader").get(
        "/dashboard/export/?period=custom&start=2026-03-01&end=2026-03-15"
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = sorted(list(sheet.iter_rows(values_only=True))[1:])
    assert rows == [("乙街道", 1, 0, None, 0, 1, 0), ("甲街道", 3, 3, 66.7, 1, 1, 1)]


def test_the_api_returns_the_same_figures(api_as, march):
    response = api_as("leader").get(
        "/api/v1/dashboard-summaries/?period=custom&start=2026-03-01&end=2026-03-15"
    )
    assert response.status_code == 200
    assert {k["key"]: k["value"] for k in response.json()["kpis"]}["reported"] == 4


def test_the_api_refuses_anonymous_callers(api_as):
    response = api_as("anonymous").get("/api/v1/dashboard-summaries/")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")


def test_a_long_period_is_counted_per_month(client_as, march):
    url = "/dashboard/data/?period=custom&start=2026-01-01&end=2026-04-30"
    trend = client_as("office").get(url).json()["trend"]
    assert trend["labels"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert (trend["reported"], trend["closed"]) == ([0, 1, 4, 0], [0, 0, 3, 0])


def test_the_feeds_list_the_newest_reports_and_the_longest_overdue(client_as, march):
    feeds = client_as("leader").get(URL).json()["latest"]
    assert [r["code"] for r in feeds["reported"]][0] == march["open_b"].code
    assert len(feeds["reported"]) == 5
    assert [(r["code"], r["when"]) for r in feeds["overdue"]] == [(march["overdue"].code, "8天")]
    assert feeds["overdue"][0]["url"] == f"/problems/{march['overdue'].pk}/"


def _query(params: dict[str, str] | None = None) -> Any:
    from datetime import date

    from chuangwei.dashboards.selectors import DashboardQuery
    from chuangwei.reports.selectors import Period

    return DashboardQuery(Period(date(2026, 3, 1), date(2026, 3, 15)), params or {})


def _figures(user: Any, params: dict[str, str] | None = None) -> dict[str, Any]:
    from chuangwei.dashboards.selectors import dashboard_data

    return dashboard_data(user, Problem.objects.visible_to(user), _query(params), NOW)


def test_the_city_view_reads_the_daily_counts(march, ledger):
    from chuangwei.dashboards.selectors import DashboardQuery, StoredCounts
    from chuangwei.reports.selectors import Period

    period = Period(datetime(2026, 3, 1).date(), datetime(2026, 3, 15).date())
    assert StoredCounts.for_query(ledger["office"], DashboardQuery(period, {})) is not None
    # A scope sums the rows of its units and departments; a ledger filter reads the ledger.
    assert StoredCounts.for_query(ledger["leader"], DashboardQuery(period, {})) is not None
    assert StoredCounts.for_query(ledger["office"], DashboardQuery(period, {"source": "citizen"})) is None  # fmt: skip


@pytest.mark.parametrize("persona", ["leader", "handler_a", "handler_b", "grid_worker"])
def test_a_scoped_view_from_the_counts_equals_the_ledger(march, ledger, make_problem, monkeypatch, persona):  # fmt: skip
    """Including a problem that a department in the scope handles for a unit outside it, and
    one the user reported outside their area."""
    from chuangwei.dashboards import selectors
    from chuangwei.org.choices import OrgUnitKind
    from chuangwei.org.services import create_org_unit

    desk = create_org_unit(
        code="370402001-CG", name="甲街道城管科", kind=OrgUnitKind.DEPARTMENT,
        parent=ledger["street_a"],
    )  # fmt: skip
    make_problem(unit="community_b", department=desk, status="closed", dispatched_at=at(3),
                 closed_at=at(9), closed_on_time=True, reported_at=at(3))  # fmt: skip
    make_problem(unit="community_b", reporter=ledger[persona], source="citizen",
                 reported_at=at(4))  # fmt: skip
    make_problem(unit="community_b", reporter=ledger[persona], status="closed", rework_count=1,
                 dispatched_at=at(4), closed_at=at(7), closed_on_time=False, reported_at=at(4),
                 recurrence_of=march["open_b"])  # fmt: skip
    # Closed this week (Monday 16 March onwards; NOW is the 18th): one by the department in
    # the scope for a unit outside it, one the user reported outside their area, and one
    # the day before the week began.
    make_problem(unit="community_b", department=desk, status="closed", dispatched_at=at(12),
                 closed_at=at(16, 9), closed_on_time=True, reported_at=at(12))  # fmt: skip
    make_problem(unit="community_b", reporter=ledger[persona], status="closed",
                 dispatched_at=at(13), closed_at=at(17), closed_on_time=True,
                 reported_at=at(13))  # fmt: skip
    make_problem(unit="community_b", reporter=ledger[persona], status="closed",
                 dispatched_at=at(13), closed_at=at(15, 23), closed_on_time=True,
                 reported_at=at(13))  # fmt: skip
    user = ledger[persona]
    assert selectors.StoredCounts.for_query(user, _query()) is not None
    stored = _figures(user)
    monkeypatch.setattr(selectors.StoredCounts, "for_query", classmethod(lambda cls, user, q: None))
    assert stored == _figures(user)
    week = {k["key"]: k["value"] for k in stored["kpis"]}["closed_week"]
    assert week == {"leader": 2, "handler_a": 2, "handler_b": 2, "grid_worker": 1}[persona]


def test_the_daily_counts_give_the_same_figures_as_the_ledger(march, ledger, make_problem, monkeypatch):  # fmt: skip
    from chuangwei.dashboards import selectors

    make_problem(source="citizen", reported_at=datetime(2026, 3, 14, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai")))  # fmt: skip
    make_problem(recurrence_of=march["on_time"], reported_at=datetime(2026, 3, 8, 0, 10, tzinfo=ZoneInfo("Asia/Shanghai")))  # fmt: skip
    # Reported before the period, closed at the first minute of this week (Monday the 16th).
    make_problem(status="closed", dispatched_at=at(16, 0) - timedelta(days=20),
                 closed_at=at(16, 0), reported_at=at(16, 0) - timedelta(days=20),
                 closed_on_time=True)  # fmt: skip
    stored = _figures(ledger["office"])
    monkeypatch.setattr(selectors.StoredCounts, "for_query", classmethod(lambda cls, user, q: None))
    live = _figures(ledger["office"])
    assert stored == live
    assert {k["key"]: k["value"] for k in stored["kpis"]}["reported"] == 6
    assert {k["key"]: k["value"] for k in stored["kpis"]}["closed_week"] == 1


def test_the_city_view_runs_a_fixed_number_of_queries(client_as, march, django_assert_num_queries):
    from django.core.cache import cache

    client = client_as("office")
    client.get(URL)
    cache.clear()
    # Session, user and memberships; three reads of the daily counts (the period per day,
    # unit and grid; the period before; this week) and one of the category counts; open per
    # unit from the open counts and overdue per unit from the ledger (the unit table and the
    # open and overdue figures); the unit and category trees; ratings, milestone, heat, two
    # newest lists and the map points; the next stage of the evaluation cycle.
    with django_assert_num_queries(18):
        client.get(URL)


def test_whole_months_and_the_days_beside_them_split_the_period():
    from datetime import date

    from chuangwei.dashboards.selectors import _month_starts
    from chuangwei.reports.selectors import Period

    whole, rest = _month_starts(Period(date(2026, 1, 20), date(2026, 4, 5)))
    assert whole == [date(2026, 2, 1), date(2026, 3, 1)]
    assert rest == [(date(2026, 1, 20), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 5))]
    assert _month_starts(Period(date(2026, 3, 1), date(2026, 3, 15))) == ([], [(date(2026, 3, 1), date(2026, 3, 15))])  # fmt: skip


def test_the_city_heat_of_whole_months_comes_from_the_cell_counts(march, ledger, make_problem):
    """February 20 – April 5: March from ``ProblemMonthCellCount``, the rest from the
    ledger; the same cells and counts as the ledger alone gives."""
    from datetime import date

    from chuangwei.dashboards import selectors
    from chuangwei.problems.models import ProblemMonthCellCount
    from chuangwei.reports.selectors import Period

    make_problem(unit="community_b", reported_at=datetime(2026, 2, 25, 9, tzinfo=ZoneInfo("Asia/Shanghai")))  # fmt: skip
    make_problem(reported_at=datetime(2026, 4, 5, 23, 50, tzinfo=ZoneInfo("Asia/Shanghai")))
    make_problem(reported_at=datetime(2026, 4, 6, 0, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    query = selectors.DashboardQuery(Period(date(2026, 2, 20), date(2026, 4, 5)), {})
    office = ledger["office"]
    stored = selectors.StoredCounts.for_query(office, query)
    assert ProblemMonthCellCount.objects.filter(month=date(2026, 3, 1)).exists()
    from_counts = selectors.heat(Problem.objects.visible_to(office), query, stored)
    assert from_counts == selectors.heat(Problem.objects.visible_to(office), query, None)
    period = query.period
    in_period = Problem.objects.filter(reported_at__gte=period.since, reported_at__lt=period.until)
    assert {(lat, lng) for lat, lng, _n in from_counts} == {(34.805, 117.305), (34.805, 117.325)}
    assert sum(n for _lat, _lng, n in from_counts) == in_period.count() == 7
