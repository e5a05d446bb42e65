"""One limit per field on every path (problems.limits): a text of exactly the limit is
accepted, one character more is refused with a message naming the field, and nothing is
stored. Open311 and the citizen page have the same tests in their apps."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from chuangwei.core.errors import InvalidInput
from chuangwei.problems import limits
from chuangwei.problems.models import Problem

from .conftest import IN_A
from .images import make_jpeg, uploaded
from .test_transitions import drive, snapshot

JPEG = make_jpeg(96, 72, text="limits")


def test_the_limits():
    assert (limits.DESCRIPTION, limits.NOTE, limits.ADDRESS, limits.PHONE) == (2000, 2000, 200, 20)


@pytest.mark.parametrize(("field", "limit"), [("description", 2000), ("address", 200)])
def test_service_accepts_exactly_the_limit(report, field, limit):
    problem = report(**{field: "垃" * limit})
    assert len(getattr(problem, field)) == limit


@pytest.mark.parametrize(
    ("field", "limit", "label"), [("description", 2000, "描述"), ("address", 200, "地址")]
)
def test_service_refuses_one_more_naming_the_field(report, field, limit, label):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as exc:
        report(**{field: "垃" * (limit + 1)})
    assert (exc.value.code, list(exc.value.fields)) == ("too_long", [field])
    assert str(exc.value.message).startswith(label)
    assert Problem.objects.count() == 0


def _api_report(api_as: Any, ledger: dict[str, Any], **changes: Any) -> Any:
    body = {"category": ledger["category"].pk, "lng": IN_A[0], "lat": IN_A[1], **changes}
    return api_as("grid_worker").post("/api/v1/problems/", body, format="json")


def test_api_accepts_a_description_of_exactly_the_limit(api_as, ledger):
    response = _api_report(api_as, ledger, description="垃" * 2000)
    assert response.status_code == 201
    assert len(Problem.objects.get().description) == 2000


def test_api_refuses_one_character_more(api_as, ledger):
    response = _api_report(api_as, ledger, description="垃" * 2001)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", ["description"])
    assert "2000" in error["fields"]["description"][0]
    assert Problem.objects.count() == 0


def _page_report(client_as: Any, ledger: dict[str, Any], description: str) -> Any:
    data = {
        "category": ledger["category"].pk,
        "lng": IN_A[0],
        "lat": IN_A[1],
        "description": description,
        "photos": [uploaded(JPEG)],
    }
    return client_as("grid_worker").post(reverse("problems:report"), data)


def test_report_page_accepts_a_description_of_exactly_the_limit(client_as, ledger):
    response = _page_report(client_as, ledger, "垃" * 2000)
    assert response.status_code == 302
    assert len(Problem.objects.get().description) == 2000


def test_report_page_refuses_one_character_more(client_as, ledger):
    response = _page_report(client_as, ledger, "垃" * 2001)
    assert response.status_code == 422
    assert "2000" in response.context["error"]
    assert Problem.objects.count() == 0


def test_report_page_tells_the_browser_the_limit(client_as, ledger):
    page = client_as("grid_worker").get(reverse("problems:report")).content.decode()
    assert 'maxlength="2000"' in page


def test_action_note_of_exactly_the_limit_is_kept(api_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    response = api_as("office").post(
        f"/api/v1/problems/{problem.pk}/comment/", {"note": "催" * 2000}, format="json"
    )
    assert response.status_code == 200
    assert len(problem.events.order_by("-id").first().note) == 2000


def test_action_note_one_character_longer_is_refused_on_the_page(client_as, ledger, report):
    """The page's note had no limit before; the API's was 2,000."""
    problem = drive(ledger, report, "dispatched")
    before = snapshot(problem)
    response = client_as("office").post(
        reverse("problems:problem_comment", args=[problem.pk]), {"note": "催" * 2001}
    )
    assert response.status_code == 422
    assert snapshot(problem) == before


def test_service_refuses_a_note_one_character_longer(ledger, report):
    from chuangwei.problems import services

    problem = drive(ledger, report, "dispatched")
    before = snapshot(problem)
    with pytest.raises(InvalidInput) as exc:
        services.comment_problem(problem, by=ledger["office"], note="催" * 2001)
    assert (exc.value.code, snapshot(problem)) == ("too_long", before)


def test_import_refuses_a_description_one_character_longer(client_as, ledger):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangwei.lib.excel import write_xlsx

    headers = ["问题描述", "问题类别", "经度", "纬度"]
    rows = [["垃" * 2000, "06010", IN_A[0], IN_A[1]], ["垃" * 2001, "06010", IN_A[0], IN_A[1]]]
    with write_xlsx(headers, rows) as out:
        upload = SimpleUploadedFile("list.xlsx", out.read())
    response = client_as("office").post(reverse("problems:problem_import"), {"file": upload})
    assert response.status_code == 422
    assert [(e.row, "2000" in e.message) for e in response.context["errors"]] == [(3, True)]
    assert Problem.objects.count() == 0
