"""Every answer under /api/ is JSON in the one error shape, and inputs out of range are 400s.

Before: a route that matched nothing, a non-numeric id and a server error answered with Django's
HTML pages; ``calendar-days/?year=99999999999`` and ``problems/?reported_after=0001-01-01`` (on
SQLite) were server errors; ``pk__in`` with an id of 2**70 failed in the database.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chuangwei.problems.models import Problem
from chuangwei.problems.tests.conftest import ledger, report  # noqa: F401

ERROR_KEYS = {"code", "message", "fields"}


def _error(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    return body["error"]


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-resource/", "/api/v1/problems/abc/", "/api/v1/problems//accept/"]
)
def test_unknown_api_route_is_a_json_404(api_as: Any, path: str) -> None:
    response = api_as("office").get(path)
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_api_server_error_is_json(personas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from chuangwei.notifications.api import views

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(views.NotificationViewSet, "list", explode)
    client = Client(raise_request_exception=False)
    client.force_login(personas["office"])
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 500
    assert _error(response) == {
        "code": "server_error",
        "message": "服务器未能完成请求，请稍后再试。",
        "fields": {},
    }


def test_ui_404_stays_html(client_as: Any) -> None:
    response = client_as("office").get("/problems/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_year_out_of_range_is_a_field_error(api_as: Any) -> None:
    response = api_as("office").get("/api/v1/calendar-days/", {"year": "99999999999"})
    assert response.status_code == 400
    assert _error(response)["fields"] == {"year": ["请输入1900至2999之间的年份。"]}


def test_fractional_year_is_a_field_error(api_as: Any) -> None:
    response = api_as("office").get("/api/v1/calendar-days/", {"year": "2.5e-21"})
    assert response.status_code == 400
    assert list(_error(response)["fields"]) == ["year"]


def test_date_before_1900_is_a_field_error(api_as: Any) -> None:
    response = api_as("office").get("/api/v1/problems/", {"reported_after": "0001-01-01"})
    assert response.status_code == 400
    assert _error(response)["fields"] == {
        "reported_after": ["请输入1900-01-01至2999-12-31之间的日期。"]
    }


def test_number_past_64_bits_is_a_field_error_in_a_body(api_as: Any) -> None:
    response = api_as("office").post(
        "/api/v1/inspection-tasks/",
        {"name": "抽查", "kind": "mock", "planned_date": "2026-03-02", "sites": [2**70]},
        format="json",
    )
    assert response.status_code == 400
    assert _error(response)["fields"] == {"sites.0": ["数字太大。"]}


def test_date_before_1900_is_refused_in_a_body(api_as: Any) -> None:
    response = api_as("office").post(
        "/api/v1/inspection-tasks/",
        {"name": "抽查", "kind": "mock", "planned_date": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert list(_error(response)["fields"]) == ["planned_date"]


@pytest.mark.django_db
@pytest.mark.parametrize("ids", [[2**70], [-(2**80)], [2**63]])
def test_in_lookup_ignores_ids_no_column_holds(ids: list[int]) -> None:
    assert list(Problem.objects.filter(pk__in=ids)) == []
    assert list(Problem.objects.filter(unit__in=ids)) == []


@pytest.mark.django_db
def test_in_lookup_keeps_the_ids_in_range(report: Any) -> None:  # noqa: F811
    problem = report()
    assert list(Problem.objects.filter(pk__in=[2**70, problem.pk])) == [problem]


def test_ui_filter_with_a_year_1_date_shows_the_form_error(client_as: Any) -> None:
    response = client_as("office").get("/problems/", {"reported_after": "0001-01-01"})
    assert response.status_code == 200
    assert "请输入1900-01-01至2999-12-31之间的日期。" in response.content.decode()


@pytest.mark.django_db
def test_foreign_key_equal_to_an_id_no_column_holds_matches_nothing() -> None:
    assert list(Problem.objects.filter(unit_id=2**70)) == []
    assert list(Problem.objects.filter(site=2**63)) == []


def test_model_validation_error_from_a_service_is_a_400_with_its_fields() -> None:
    from django.core.exceptions import ValidationError

    from chuangwei.core.api import exception_handler

    response = exception_handler(ValidationError({"title": ["标题太长。"]}), {})
    assert response is not None
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"
    assert response.data["error"]["fields"] == {"title": ["标题太长。"]}


def test_event_feed_with_a_time_past_2999_is_a_field_error(api_as: Any) -> None:
    """The event filter was a plain FilterSet without the bounds: PostgreSQL failed on it."""
    response = api_as("office").get(
        "/api/v1/problem-events/", {"created_at__gte": "7070-11-06T03:05:32+08:00"}
    )
    assert response.status_code == 400
    assert list(_error(response)["fields"]) == ["created_at__gte"]
