"""A published standard version is immutable on every path: its clauses and indicators can
be neither added, edited, moved out nor deleted through the pages or the API (issue 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from chuangwei.standards import services
from chuangwei.standards.choices import ClauseLevel, VersionStatus
from chuangwei.standards.models import Indicator, StandardClause, StandardVersion


@pytest.fixture
def published(personas: dict[str, Any]) -> dict[str, Any]:
    version = StandardVersion.objects.create(code="V-PUB", name="已发布标准", year=2026)
    clause = services.save_standard_clause(
        StandardClause(version=version, level=ClauseLevel.ASPECT, number="一", title="市容"),
        by=None,
    )
    indicator = services.save_indicator(
        Indicator(version=version, code="I1", name="满意度", comparator="gte", threshold=90),
        by=None,
    )
    services.publish_standard_version(version, by=None)
    draft = StandardVersion.objects.create(code="V-DRAFT", name="草稿", year=2027)
    return {"version": version, "clause": clause, "indicator": indicator, "draft": draft}


def indicator_form(version: StandardVersion, **changes: Any) -> dict[str, Any]:
    data = {
        "version": version.pk,
        "code": "I1",
        "name": "满意度",
        "comparator": "gte",
        "threshold": "90",
        "unit": "",
        "numerator_label": "",
        "denominator_label": "",
        "source": "",
        "note": "",
    }
    return {**data, **changes}


def stored(indicator: Indicator) -> tuple[str, int, int]:
    row = Indicator.objects.get(pk=indicator.pk)
    return row.name, int(row.threshold), row.version_id


# Pages ---------------------------------------------------------------------------------------


def test_page_edit_of_a_published_indicator_is_refused(client_as, published):
    indicator = published["indicator"]
    response = client_as("office").post(
        reverse("standards:indicator_update", args=[indicator.pk]),
        indicator_form(published["version"], name="改过的", threshold="50"),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        str(services.VersionLocked.default_message)
    ]
    assert stored(indicator) == ("满意度", 90, published["version"].pk)


def test_page_cannot_move_an_indicator_out_of_a_published_version(client_as, published):
    indicator = published["indicator"]
    client_as("office").post(
        reverse("standards:indicator_update", args=[indicator.pk]),
        indicator_form(published["draft"]),
    )
    assert stored(indicator) == ("满意度", 90, published["version"].pk)


def test_page_cannot_add_an_indicator_to_a_published_version(client_as, published):
    client_as("office").post(
        reverse("standards:indicator_create"), indicator_form(published["version"], code="I2")
    )
    assert list(Indicator.objects.values_list("code", flat=True)) == ["I1"]


def test_page_delete_of_a_published_indicator_is_refused_with_a_message(client_as, published):
    indicator = published["indicator"]
    response = client_as("office").post(
        reverse("standards:indicator_delete", args=[indicator.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        str(services.VersionLocked.default_message)
    ]
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_page_delete_of_a_published_clause_is_refused(client_as, published):
    clause = published["clause"]
    client_as("office").post(reverse("standards:clause_delete", args=[clause.pk]))
    assert StandardClause.objects.filter(pk=clause.pk).exists()


def test_page_edit_of_a_published_version_is_refused(client_as, published):
    version = published["version"]
    client_as("office").post(
        reverse("standards:version_update", args=[version.pk]),
        {"code": "V-PUB", "name": "改名", "year": 2026},
    )
    assert StandardVersion.objects.get(pk=version.pk).name == "已发布标准"


# API -----------------------------------------------------------------------------------------


def test_api_edit_of_a_published_indicator_is_refused_with_409(api_as, published):
    indicator = published["indicator"]
    response = api_as("office").patch(
        f"/api/v1/indicators/{indicator.pk}/", {"name": "改过的"}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "version_locked")
    assert stored(indicator) == ("满意度", 90, published["version"].pk)


def test_api_cannot_move_an_indicator_out_of_a_published_version(api_as, published):
    indicator = published["indicator"]
    response = api_as("office").patch(
        f"/api/v1/indicators/{indicator.pk}/", {"version": published["draft"].pk}, format="json"
    )
    assert response.status_code == 409
    assert stored(indicator) == ("满意度", 90, published["version"].pk)


def test_api_cannot_add_an_indicator_to_a_published_version(api_as, published):
    response = api_as("office").post(
        "/api/v1/indicators/",
        {"version": published["version"].pk, "code": "I2", "name": "知晓率",
         "comparator": "gte", "threshold": "80"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 409
    assert list(Indicator.objects.values_list("code", flat=True)) == ["I1"]


def test_api_delete_of_a_published_indicator_is_refused_with_409(api_as, published):
    indicator = published["indicator"]
    response = api_as("office").delete(f"/api/v1/indicators/{indicator.pk}/")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "version_locked")
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_api_edit_of_a_published_clause_is_refused_with_409(api_as, published):
    clause = published["clause"]
    response = api_as("office").patch(
        f"/api/v1/standard-clauses/{clause.pk}/", {"title": "改过的"}, format="json"
    )
    assert response.status_code == 409
    assert StandardClause.objects.get(pk=clause.pk).title == "市容"


def test_api_delete_of_a_published_version_is_refused_with_409(api_as, published):
    version = published["version"]
    response = api_as("office").delete(f"/api/v1/standard-versions/{version.pk}/")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "version_locked")
    assert StandardVersion.objects.get(pk=version.pk).status == VersionStatus.PUBLISHED


def test_draft_indicator_is_still_edited_through_the_api(api_as, published):
    draft_indicator = services.save_indicator(
        Indicator(version=published["draft"], code="D1", name="草稿指标", comparator="gte",
                  threshold=1),
        by=None,
    )  # fmt: skip
    response = api_as("office").patch(
        f"/api/v1/indicators/{draft_indicator.pk}/", {"name": "改过的"}, format="json"
    )
    assert (response.status_code, Indicator.objects.get(pk=draft_indicator.pk).name) == (
        200,
        "改过的",
    )
