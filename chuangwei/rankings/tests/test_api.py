"""The rankings API: metrics, snapshots (compute, publish), schemes, accountability."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chuangwei.rankings import services
from chuangwei.rankings.models import AccountabilityRecord, RankingSnapshot
from chuangwei.rankings.periods import period_containing

pytestmark = pytest.mark.django_db
MARCH = {"period": "month", "day": "2026-03-15"}


def test_metrics_endpoint_returns_hand_computed_values(history, api_as):
    body = api_as("leader").get("/api/v1/metrics/", {**MARCH, "dimension": "community"}).json()
    a = next(r for r in body["results"] if r["name"] == "甲一社区")
    assert a["metrics"]["registered"] == 9
    assert a["metrics"]["closure_rate"] == round(4 / 9, 4)
    assert a["metrics"]["inspection_score_rate"] is None
    assert body["start"] == "2026-03-01" and "registered" in body["definitions"]


def test_metrics_endpoint_refuses_anonymous(history, api_as):
    response = api_as("anonymous").get("/api/v1/metrics/")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")


def test_metrics_endpoint_bad_period_uses_the_error_shape(history, api_as):
    response = api_as("office").get(
        "/api/v1/metrics/", {"period": "custom", "day": "2026-03-10", "end": "2026-03-01"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_period"


@pytest.mark.parametrize(
    ("name", "status"),
    [("office", 201), ("admin", 201), ("handler_a", 403), ("leader", 403), ("anonymous", 401)],
)
def test_compute_endpoint_authorisation(history, api_as, name, status):
    scheme = services.default_scheme("community")
    response = api_as(name).post(
        "/api/v1/ranking-snapshots/compute/", {"scheme": scheme.pk, **MARCH}, format="json"
    )
    assert response.status_code == status
    assert RankingSnapshot.objects.exists() is (status == 201)


def test_compute_then_publish_then_publish_again(history, api_as):
    api = api_as("office")
    scheme = services.default_scheme("community")
    snap = api.post(
        "/api/v1/ranking-snapshots/compute/", {"scheme": scheme.pk, **MARCH}, format="json"
    ).json()
    assert [(e["name"], e["rank"], e["score"]) for e in snap["entries"]] == [
        ("甲一社区", 1, "55.55"),
        ("乙一社区", None, None),
    ]
    assert api.post(f"/api/v1/ranking-snapshots/{snap['id']}/publish/").json()["status"] == (
        "published"
    )
    again = api.post(f"/api/v1/ranking-snapshots/{snap['id']}/publish/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_published"


def test_snapshot_list_runs_a_fixed_number_of_queries(history, api_as, django_assert_num_queries):
    scheme = services.default_scheme("community")
    for day in (date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)):
        services.compute_snapshot(scheme, period_containing("month", day))
    api = api_as("leader")
    with django_assert_num_queries(3):
        body = api.get("/api/v1/ranking-snapshots/").json()
    assert body["count"] == 3


@pytest.mark.parametrize(("name", "status"), [("admin", 201), ("handler_a", 403)])
def test_scheme_create_authorisation(history, api_as, name, status):
    response = api_as(name).post(
        "/api/v1/ranking-schemes/",
        {
            "name": "街道",
            "object_kind": "street",
            "weights": {"closure_rate": 50, "on_time_rate": 50},
        },
        format="json",
    )
    assert response.status_code == status


def test_scheme_with_bad_weights_gets_the_error_shape(history, api_as):
    response = api_as("admin").post(
        "/api/v1/ranking-schemes/",
        {"name": "x", "object_kind": "street", "weights": {"closure_rate": -1}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_weights"


def _payload(history: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "circulate",
        "unit": history["street_a"].pk,
        "reason": "三月按期结案率末位",
        "issued_on": "2026-04-02",
        "problems": [history["p"][6].pk],
        "inspection_refs": ["JC-2026-007"],
    }


@pytest.mark.parametrize(
    ("name", "status"), [("office", 201), ("admin", 201), ("handler_a", 403), ("leader", 403)]
)
def test_accountability_create_authorisation(history, api_as, name, status):
    response = api_as(name).post(
        "/api/v1/accountability-records/", _payload(history), format="json"
    )
    assert response.status_code == status
    if status == 201:
        record = AccountabilityRecord.objects.get()
        assert record.inspection_refs == ["JC-2026-007"]
        assert list(record.problems.all()) == [history["p"][6]]
        assert record.created_by == history[name]


@pytest.mark.parametrize(("name", "count"), [("office", 1), ("handler_a", 1), ("handler_b", 0)])
def test_accountability_list_is_scoped(history, api_as, name, count):
    api_as("office").post("/api/v1/accountability-records/", _payload(history), format="json")
    assert api_as(name).get("/api/v1/accountability-records/").json()["count"] == count


def test_accountability_with_deadline_before_issue_is_refused(history, api_as):
    response = api_as("office").post(
        "/api/v1/accountability-records/",
        {**_payload(history), "deadline": "2026-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "deadline" in response.json()["error"]["fields"]
    assert not AccountabilityRecord.objects.exists()


@pytest.mark.parametrize("records", [2, 4])
def test_accountability_list_reads_the_problems_of_all_records_at_once(
    ledger, report, api_as, records, django_assert_num_queries
):
    for n in range(records):
        record = AccountabilityRecord.objects.create(
            kind="circulate", unit=ledger["street_a"], reason="整改不力", issued_on=date(2026, 3, 2)
        )
        record.problems.set(
            [report(point=(117.301 + 0.001 * n, 34.81 + 0.001 * k)) for k in (0, 1)]
        )
    api = api_as("office")
    api.get("/api/v1/accountability-records/")  # the scope is read once per user object
    with django_assert_num_queries(3, info="count, page, the records' problems"):
        body = api.get("/api/v1/accountability-records/").json()
    assert [len(r["problems"]) for r in body["results"]] == [2] * records
