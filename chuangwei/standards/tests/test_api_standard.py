"""The standards API's new actions: publish, retire, copy-as-draft, workbook export, template
and import, recompute and indicator status — who may call them, and a published version
refusing every change (409 ``version_locked`` / 400 ``import_failed``)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from chuangwei.standards import services, workbook
from chuangwei.standards.choices import ClauseLevel, VersionStatus
from chuangwei.standards.models import Indicator, IndicatorValue, StandardClause, StandardVersion
from chuangwei.standards.tests.test_workbook import GOOD_TREE, make_book

PERSONAS = (
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
    "anonymous",
)
MANAGERS = {"admin", "office"}


@pytest.fixture
def draft(personas: dict[str, Any]) -> StandardVersion:
    version = StandardVersion.objects.create(code="D1", name="草稿", year=2026)
    services.save_standard_clause(
        StandardClause(version=version, level=ClauseLevel.ASPECT, number="一", title="市容"),
        by=None,
    )
    services.save_indicator(
        Indicator(
            version=version,
            code="C1",
            name="结案率",
            unit="%",
            comparator="gte",
            threshold=90,
            computed_by="problems.closure_rate",
        ),
        by=None,
    )
    return version


def expected(persona: str, allowed: set[str], ok: int) -> int:
    if persona == "anonymous":
        return 401
    return ok if persona in allowed else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_publish_matrix(api_as: Any, draft: StandardVersion, persona: str) -> None:
    response = api_as(persona).post(f"/api/v1/standard-versions/{draft.pk}/publish/")
    assert response.status_code == expected(persona, MANAGERS, 200)
    draft.refresh_from_db()
    assert (draft.status == VersionStatus.PUBLISHED) == (persona in MANAGERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_copy_matrix(api_as: Any, draft: StandardVersion, persona: str) -> None:
    response = api_as(persona).post(
        f"/api/v1/standard-versions/{draft.pk}/copy/", {"code": "D2", "name": "副本"}, format="json"
    )
    assert response.status_code == expected(persona, MANAGERS, 201)
    assert StandardVersion.objects.filter(code="D2").exists() == (persona in MANAGERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_workbook_export_matrix(api_as: Any, draft: StandardVersion, persona: str) -> None:
    response = api_as(persona).get(f"/api/v1/standard-versions/{draft.pk}/workbook/")
    signed_in = set(PERSONAS) - {"anonymous"}
    assert response.status_code == expected(persona, signed_in, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_workbook_import_matrix(api_as: Any, personas: Any, persona: str) -> None:
    upload = make_book(GOOD_TREE)
    upload.name = "a.xlsx"
    response = api_as(persona).post(
        "/api/v1/standard-versions/import-workbook/", {"file": upload}, format="multipart"
    )
    assert response.status_code == expected(persona, MANAGERS, 201)
    assert StandardVersion.objects.filter(code="LOCAL-1").exists() == (persona in MANAGERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_recompute_matrix(api_as: Any, draft: StandardVersion, persona: str) -> None:
    response = api_as(persona).post(
        "/api/v1/indicators/recompute/", {"version": draft.pk, "year": 2026}, format="json"
    )
    assert response.status_code == expected(persona, MANAGERS, 200)


# Which units' status each persona reads: its scope's subtree (admin, office and the city's
# inspector: all; the district leader: the district and its streets; street staff: theirs).
STATUS_READERS = {
    "city": {"admin", "office", "inspector"},
    "district": {"admin", "office", "inspector", "leader"},
    "street_a": {"admin", "office", "inspector", "leader", "handler_a", "supervisor"},
    "street_b": {"admin", "office", "inspector", "leader", "handler_b"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_status_matrix(
    api_as: Any, draft: StandardVersion, org_tree: dict[str, Any], persona: str
) -> None:
    client = api_as(persona)
    seen = set()
    for unit_key in STATUS_READERS:
        response = client.get(
            "/api/v1/indicators/status/",
            {"version": draft.pk, "unit": org_tree[unit_key].pk, "year": 2026},
        )
        if response.status_code == 200:
            seen.add(unit_key)
        else:
            assert response.status_code == (401 if persona == "anonymous" else 404)
    assert seen == {u for u, readers in STATUS_READERS.items() if persona in readers}


def test_status_answers_rates_and_met(
    api_as: Any, draft: StandardVersion, org_tree: dict[str, Any]
) -> None:
    IndicatorValue.objects.create(
        indicator=draft.indicators.get(),
        year=2026,
        unit=org_tree["city"],
        numerator=Decimal(45),
        denominator=Decimal(50),
        origin="computed",
    )
    response = api_as("office").get(
        "/api/v1/indicators/status/",
        {"version": draft.pk, "unit": org_tree["city"].pk, "year": 2026},
    )
    [row] = response.json()
    assert (row["code"], row["rate"], row["met"], row["origin"]) == (
        "C1",
        "90.00",
        True,
        "computed",
    )


# A published version refuses every change --------------------------------------------------


@pytest.fixture
def published(draft: StandardVersion) -> StandardVersion:
    return services.publish_standard_version(draft, by=None)


def test_api_edit_of_a_published_clause_is_409(api_as: Any, published: StandardVersion) -> None:
    clause = published.clauses.get()
    response = api_as("office").patch(
        f"/api/v1/standard-clauses/{clause.pk}/", {"title": "改"}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "version_locked")
    assert StandardClause.objects.get(pk=clause.pk).title == "市容"


def test_api_new_rule_under_a_published_version_is_409(
    api_as: Any, published: StandardVersion
) -> None:
    clause = published.clauses.get()
    response = api_as("office").post(
        "/api/v1/standard-clauses/",
        {
            "version": published.pk,
            "parent": clause.pk,
            "level": "rule",
            "number": "1",
            "title": "细则",
            "points": "2",
        },
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "version_locked")
    assert published.clauses.count() == 1


def test_api_import_into_a_published_version_is_refused(
    api_as: Any, published: StandardVersion
) -> None:
    upload = io.BytesIO(workbook.export_workbook(published))
    upload.name = "d1.xlsx"
    response = api_as("office").post(
        "/api/v1/standard-versions/import-workbook/", {"file": upload}, format="multipart"
    )
    body = response.json()["error"]
    assert (response.status_code, body["code"]) == (400, "import_failed")
    assert [r["row"] for r in body["rows"]] == [2]
    assert published.clauses.count() == 1


def test_api_import_of_a_broken_tree_lists_every_fault(api_as: Any, personas: Any) -> None:
    broken = [
        ["A", "", "方面", "一", "市容", None],
        ["A", "", "方面", "二", "重复", None],
        ["B", "X", "条", "（一）", "无上级", None],
        ["C", "C", "条", "（二）", "自环", None],
    ]
    upload = make_book(broken)
    upload.name = "b.xlsx"
    response = api_as("office").post(
        "/api/v1/standard-versions/import-workbook/", {"file": upload}, format="multipart"
    )
    body = response.json()["error"]
    assert (response.status_code, [r["row"] for r in body["rows"]]) == (400, [3, 4, 5])
    assert StandardVersion.objects.count() == 0


def test_api_retire_then_edit_is_409(api_as: Any, published: StandardVersion) -> None:
    client = api_as("office")
    assert client.post(f"/api/v1/standard-versions/{published.pk}/retire/").status_code == 200
    response = client.patch(
        f"/api/v1/standard-versions/{published.pk}/", {"name": "改"}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "version_locked")


def test_api_retire_of_a_draft_is_400(api_as: Any, draft: StandardVersion) -> None:
    response = api_as("office").post(f"/api/v1/standard-versions/{draft.pk}/retire/")
    assert (response.status_code, response.json()["error"]["code"]) == (
        400,
        "version_not_published",
    )


def test_page_edit_of_a_published_rule_is_refused(
    client_as: Any, published: StandardVersion
) -> None:
    clause = published.clauses.get()
    response = client_as("office").post(
        reverse("standards:clause_update", args=[clause.pk]),
        {
            "version": published.pk,
            "level": "aspect",
            "number": "一",
            "title": "改过的",
            "points": "5",
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        str(services.VersionLocked.default_message)
    ]
    assert StandardClause.objects.get(pk=clause.pk).title == "市容"


def test_page_copy_makes_an_editable_draft(client_as: Any, published: StandardVersion) -> None:
    response = client_as("office").post(
        reverse("standards:version_copy", args=[published.pk]), {"code": "D1-L", "name": "本地"}
    )
    copy = StandardVersion.objects.get(code="D1-L")
    assert response.url == reverse("standards:version_detail", args=[copy.pk])
    assert (copy.status, copy.clauses.count(), copy.indicators.count()) == ("draft", 1, 1)


def test_page_publish_and_retire(client_as: Any, draft: StandardVersion) -> None:
    client = client_as("office")
    client.post(reverse("standards:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    client.post(reverse("standards:version_retire", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.RETIRED


@pytest.mark.parametrize("name", ["version_publish", "version_retire", "version_copy"])
def test_page_actions_are_for_managers(client_as: Any, draft: StandardVersion, name: str) -> None:
    response = client_as("handler_a").post(
        reverse(f"standards:{name}", args=[draft.pk]), {"code": "X", "name": "X"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.status, StandardVersion.objects.count()) == ("draft", 1)


def test_points_below_zero_are_refused(draft: StandardVersion) -> None:
    from chuangwei.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        services.save_standard_clause(
            StandardClause(
                version=draft,
                parent=draft.clauses.get(),
                level=ClauseLevel.RULE,
                number="1",
                title="细则",
                points=Decimal("-1"),
            ),
            by=None,
        )
    assert caught.value.code == "bad_points"


@pytest.mark.parametrize("persona", ["office", "handler_a"])
def test_version_page_shows_actions_by_status(
    client_as: Any, published: StandardVersion, persona: str
) -> None:
    response = client_as(persona).get(reverse("standards:version_detail", args=[published.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="locked-note"' in html
    assert ('id="retire-button"' in html, 'id="copy-form"' in html) == (
        (True, True) if persona == "office" else (False, False)
    )
    assert 'id="publish-button"' not in html


def test_draft_page_offers_publish(client_as: Any, draft: StandardVersion) -> None:
    html = client_as("office").get(reverse("standards:version_detail", args=[draft.pk])).content
    assert b'id="publish-button"' in html
    assert b'id="locked-note"' not in html
