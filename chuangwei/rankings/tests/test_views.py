"""Pages: who may open them, what they show, exports, and the query budget."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangwei.rankings import services
from chuangwei.rankings.models import AccountabilityRecord, RankingSnapshot
from chuangwei.rankings.periods import period_containing

pytestmark = pytest.mark.django_db
MARCH_Q = {"period": "month", "day": "2026-03-15"}
EVERYONE = ["admin", "office", "handler_a", "grid_worker", "inspector", "leader", "supervisor"]


@pytest.fixture
def published(history: dict[str, Any]) -> RankingSnapshot:
    scheme = services.default_scheme("community")
    snap = services.compute_snapshot(scheme, period_containing("month", date(2026, 3, 15)), by=None)
    return services.publish_snapshot(snap, by=history["office"])


def sheet(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


READ_PAGES = [
    "rankings:metrics",
    "rankings:snapshot_list",
    "rankings:redblack",
    "rankings:points_lost",
]


@pytest.mark.parametrize("url_name", READ_PAGES)
def test_anonymous_is_sent_to_login(history, client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("url_name", READ_PAGES)
def test_signed_in_users_read_the_ranking_pages(history, client_as, name, url_name):
    assert client_as(name).get(reverse(url_name)).status_code == 200


def test_metrics_page_shows_hand_computed_values_and_definitions(history, client_as):
    response = client_as("office").get(
        reverse("rankings:metrics"), {**MARCH_Q, "dimension": "community"}
    )
    html = response.content.decode()
    assert "2026年3月" in html
    assert "44.4%" in html  # 结案率 4/9 of 甲一社区
    assert "结案数 ÷" in html or "Cases closed ÷" in html  # the definition is on the page


def test_metrics_export(history, client_as):
    response = client_as("office").get(
        reverse("rankings:metrics"), {**MARCH_Q, "dimension": "community", "export": "xlsx"}
    )
    rows = sheet(response)
    a = next(r for r in rows if r[0] == "甲一社区")
    assert a[2:4] == (9, 4)


def test_metrics_page_runs_a_fixed_number_of_queries(history, client_as, django_assert_num_queries):
    client = client_as("office")
    with django_assert_num_queries(13):
        client.get(reverse("rankings:metrics"), {**MARCH_Q, "dimension": "street"})


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("office", True),
        ("admin", True),
        ("handler_a", False),
        ("leader", False),
        ("inspector", False),
    ],
)
def test_compute_from_the_page_is_for_the_office(history, client_as, name, allowed):
    scheme = services.default_scheme("street")
    response = client_as(name).post(
        reverse("rankings:snapshot_compute"), {"scheme": scheme.pk, **MARCH_Q}
    )
    assert response.status_code == (302 if allowed else 403)
    assert RankingSnapshot.objects.exists() is allowed


@pytest.mark.parametrize(("name", "allowed"), [("office", True), ("handler_a", False)])
def test_publish_from_the_page_is_for_the_office(history, client_as, name, allowed):
    snap = services.compute_snapshot(
        services.default_scheme("street"), period_containing("month", date(2026, 3, 1))
    )
    response = client_as(name).post(reverse("rankings:snapshot_publish", args=[snap.pk]))
    snap.refresh_from_db()
    assert response.status_code == (302 if allowed else 403)
    assert snap.is_published is allowed


def test_snapshot_detail_and_export(history, client_as, published):
    client = client_as("leader")
    html = client.get(reverse("rankings:snapshot_detail", args=[published.pk])).content.decode()
    assert "甲一社区" in html and "55.55" in html
    rows = sheet(
        client.get(reverse("rankings:snapshot_detail", args=[published.pk]), {"export": "xlsx"})
    )
    assert rows[1][:6] == (1, None, "甲一社区", "甲街道", 55.55, "D")


def test_red_black_page_shows_the_published_lists(history, client_as, published):
    html = (
        client_as("leader")
        .get(reverse("rankings:redblack"), {"kind": "community"})
        .content.decode()
    )
    assert 'id="red-list"' in html and "甲一社区" in html
    present = client_as("leader").get(
        reverse("rankings:redblack"), {"snapshot": published.pk, "present": 1}
    )
    assert "cw-sidebar" not in present.content.decode()


def test_red_black_export(history, client_as, published):
    rows = sheet(
        client_as("office").get(
            reverse("rankings:redblack"), {"snapshot": published.pk, "export": "xlsx"}
        )
    )
    assert [r[:3] for r in rows[1:]] == [("红榜", 1, "甲一社区"), ("黑榜", 1, "甲一社区")]


def test_points_lost_table_and_drill_down(history, client_as):
    client = client_as("office")
    html = client.get(
        reverse("rankings:points_lost"), {**MARCH_Q, "level": "street"}
    ).content.decode()
    assert "甲街道" in html and 'id="points-total">3.5<' in html
    drill = client.get(
        reverse("rankings:points_lost_problems"),
        {"unit": history["street_a"].pk, **MARCH_Q},
    ).content.decode()
    assert history["p"][1].code in drill and history["p"][6].code in drill


def test_points_lost_drill_down_is_scoped(history, client_as):
    drill = (
        client_as("handler_b")
        .get(reverse("rankings:points_lost_problems"), {"unit": history["street_a"].pk, **MARCH_Q})
        .content.decode()
    )
    assert history["p"][1].code not in drill


def _record(history: dict[str, Any]) -> AccountabilityRecord:
    return services.save_accountability_record(
        AccountabilityRecord(
            kind="interview", unit=history["street_a"], reason="连续两期排名末位",
            issued_on=date(2026, 4, 2), inspection_refs=["JC-2026-03"],
        ),
        by=history["office"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "sees"),
    [("office", True), ("leader", True), ("handler_a", True), ("handler_b", False)],
)
def test_accountability_register_is_scoped_by_unit(history, client_as, name, sees):
    record = _record(history)
    html = client_as(name).get(reverse("rankings:accountability_list")).content.decode()
    assert (reverse("rankings:accountability_detail", args=[record.pk]) in html) is sees


@pytest.mark.parametrize(("name", "status"), [("office", 302), ("handler_a", 403), ("leader", 403)])
def test_accountability_create_is_for_the_office(history, client_as, name, status):
    response = client_as(name).post(
        reverse("rankings:accountability_create"),
        {
            "kind": "rectify",
            "unit": history["community_a"].pk,
            "reason": "超期问题多",
            "issued_on": "2026-04-02",
            "deadline": "2026-04-10",
            "status": "open",
            "inspection_refs": "JC-1, JC-2",
            "problem_codes": f"{history['p'][6].code}\n{history['p'][4].code}",
        },
    )
    assert response.status_code == status
    if status == 302:
        record = AccountabilityRecord.objects.get()
        assert record.inspection_refs == ["JC-1", "JC-2"]
        assert set(record.problems.all()) == {history["p"][6], history["p"][4]}


def test_accountability_with_unknown_problem_code_changes_nothing(history, client_as):
    response = client_as("office").post(
        reverse("rankings:accountability_create"),
        {"kind": "rectify", "unit": history["community_a"].pk, "reason": "x",
         "issued_on": "2026-04-02", "status": "open", "problem_codes": "WT-0000-000000"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "WT-0000-000000" in response.content.decode()
    assert not AccountabilityRecord.objects.exists()


def test_accountability_deadline_before_issue_is_refused(history, client_as):
    response = client_as("office").post(
        reverse("rankings:accountability_create"),
        {"kind": "rectify", "unit": history["community_a"].pk, "reason": "x",
         "issued_on": "2026-04-02", "deadline": "2026-04-01", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not AccountabilityRecord.objects.exists()


def test_accountability_list_exports_and_runs_a_fixed_number_of_queries(
    history, client_as, django_assert_num_queries
):
    _record(history)
    client = client_as("office")
    with django_assert_num_queries(7):
        client.get(reverse("rankings:accountability_list"))
    rows = sheet(client.get(reverse("rankings:accountability_list"), {"export": "xlsx"}))
    assert rows[1][2] == "甲街道"


def test_candidates_suggest_units_with_long_overdue_problems(history, client_as):
    html = (
        client_as("office")
        .get(reverse("rankings:accountability_candidates"), {"count": 2, "days": 3})
        .content.decode()
    )
    assert "甲一社区" in html  # P4 and P6 dispatched and long overdue


def test_bottom_twice_rule(history):
    from chuangwei.rankings.selectors import bottom_twice_candidates

    scheme = services.default_scheme("community")
    for day in (date(2026, 2, 1), date(2026, 3, 1)):
        snap = services.compute_snapshot(scheme, period_containing("month", day))
        services.publish_snapshot(snap, by=history["office"])
    # Each month only one community is ranked, so it is the bottom one both times only if
    # the same: February ranks 乙一社区, March 甲一社区 → no candidate.
    assert bottom_twice_candidates(3) == []


def test_candidates_page_is_for_the_office(history, client_as):
    assert (
        client_as("handler_a").get(reverse("rankings:accountability_candidates")).status_code == 403
    )


@pytest.mark.parametrize(
    ("name", "status"), [("admin", 200), ("office", 200), ("handler_a", 403), ("leader", 403)]
)
def test_scheme_pages_are_for_configuration_managers(history, client_as, name, status):
    assert client_as(name).get(reverse("rankings:scheme_list")).status_code == status


def test_presets_create_one_default_scheme_per_kind(history, client_as):
    client_as("admin").post(reverse("rankings:scheme_presets"))
    from chuangwei.rankings.models import RankingScheme

    assert RankingScheme.objects.filter(is_default=True).count() == 7


def test_scheme_form_refuses_unknown_metric(history, client_as):
    response = client_as("admin").post(
        reverse("rankings:scheme_create"),
        {"name": "x", "object_kind": "street", "weights": '{"nonsense": 1}', "list_size": 3},
    )
    assert response.status_code == 200
    assert "nonsense" in response.content.decode()


def test_snapshot_entries_drill_down_to_the_ledger(history, client_as, published):
    html = client_as("office").get(reverse("rankings:snapshot_detail", args=[published.pk]))
    unit = history["community_a"].pk
    expected = (
        f"/problems/?unit={unit}&amp;reported_after=2026-03-01&amp;reported_before=2026-03-31"
    )
    assert expected in html.content.decode()


def _scheme_body(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "街道排名",
        "object_kind": "street",
        "weights": '{"closure_rate": 1}',
        "count_bands": "",
        "grade_bands": "",
        "list_size": 3,
        "note": "",
    }
    body.update(changes)
    return body


def test_scheme_form_accepts_empty_bands(history, client_as):
    """Empty count bands stay empty; empty grade bands take the default grades."""
    from chuangwei.rankings import scoring
    from chuangwei.rankings.models import RankingScheme

    response = client_as("admin").post(reverse("rankings:scheme_create"), _scheme_body())
    assert response.status_code == 302
    stored = RankingScheme.objects.values_list("count_bands", "grade_bands").get(name="街道排名")
    assert stored == ([], [list(b) for b in scoring.DEFAULT_GRADES])


def test_scheme_form_shows_empty_bands_as_an_empty_box_not_null(history, client_as):
    from chuangwei.rankings.models import RankingScheme

    client = client_as("admin")
    client.post(reverse("rankings:scheme_create"), _scheme_body())
    scheme = RankingScheme.objects.get(name="街道排名")
    response = client.get(reverse("rankings:scheme_update", args=[scheme.pk]))
    assert response.context["form"]["count_bands"].value() == ""
    assert "null" not in response.content.decode()
