"""Write matrix over every configuration endpoint of /api/v1/: only admin and office
create and delete; everyone else gets 401/403 and the table is unchanged. Which rows each
persona reads is in test_api_read_matrix.py.
"""

from __future__ import annotations

from typing import Any

import pytest

PERSONAS = [
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
    "anonymous",
]
WRITERS = {"admin", "office"}


def payloads(rows: dict[str, Any], tree: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    street = tree["street_a"].pk
    return {
        "org-units": (
            "OrgUnit",
            {"code": "X1", "name": "新社区", "kind": "community", "parent": street},
        ),
        "work-lines": (
            "WorkLine",
            {"code": "WL-X", "name": "新专线", "lead_department": tree["department"].pk},
        ),
        "people": ("Person", {"name": "李四", "unit": street}),
        "leader-assignments": ("LeaderAssignment", {"leader": rows["person"].pk, "unit": street}),
        "responsibility-agreements": (
            "ResponsibilityAgreement",
            {"unit": street, "year": 2027, "title": "2027"},
        ),
        "grids": (
            "Grid",
            {
                "code": "GX",
                "name": "新网格",
                "level": 3,
                "unit": street,
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[117.4, 34.9], [117.41, 34.9], [117.41, 34.91], [117.4, 34.9]]
                    ],
                },
            },
        ),
        "site-types": ("SiteType", {"code": "toilet", "name": "公共厕所"}),
        "site-type-groups": (
            "SiteTypeGroup",
            {"code": "G5", "name": "五小", "site_types": [rows["sitetype"].pk]},
        ),
        "sites": (
            "Site",
            {
                "code": "SX",
                "name": "新点位",
                "site_type": rows["sitetype"].pk,
                "lng": 117.305,
                "lat": 34.805,
                "unit": street,
            },
        ),
        "standard-versions": ("StandardVersion", {"code": "V2", "name": "新标准", "year": 2027}),
        "standard-clauses": (
            "StandardClause",
            {"version": rows["version"].pk, "level": "aspect", "number": "二", "title": "健康教育"},
        ),
        "indicators": (
            "Indicator",
            {
                "version": rows["version"].pk,
                "code": "I2",
                "name": "知晓率",
                "comparator": "gte",
                "threshold": "80",
            },
        ),
        "indicator-values": (
            "IndicatorValue",
            {
                "indicator": rows["indicator"].pk,
                "year": 2027,
                "unit": street,
                "numerator": "8",
                "denominator": "10",
            },
        ),
        "problem-categories": (
            "ProblemCategory",
            {
                "kind": "matter",
                "code": "06011",
                "name": "积存垃圾渣土",
                "deadline_amount": 2,
                "deadline_unit": "work_days",
            },
        ),
    }


ENDPOINTS = [
    "org-units",
    "work-lines",
    "people",
    "leader-assignments",
    "responsibility-agreements",
    "grids",
    "site-types",
    "site-type-groups",
    "sites",
    "standard-versions",
    "standard-clauses",
    "indicators",
    "indicator-values",
    "problem-categories",
]


def model_of(name: str) -> Any:
    from django.apps import apps

    for app in ("org", "places", "standards"):
        try:
            return apps.get_model(app, name)
        except LookupError:
            continue
    raise LookupError(name)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_create_matrix(api_as, config_rows, org_tree, endpoint, persona):
    model_name, body = payloads(config_rows, org_tree)[endpoint]
    model = model_of(model_name)
    before = model.objects.count()
    response = api_as(persona).post(f"/api/v1/{endpoint}/", body, format="json")
    if persona in WRITERS:
        assert response.status_code == 201, response.json()
        assert model.objects.count() == before + 1
    else:
        assert response.status_code == (401 if persona == "anonymous" else 403)
        assert model.objects.count() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_site_matrix(api_as, config_rows, persona):
    from chuangwei.places.models import Site

    response = api_as(persona).delete(f"/api/v1/sites/{config_rows['site'].pk}/")
    expected = 204 if persona in WRITERS else 401 if persona == "anonymous" else 403
    assert (persona, response.status_code) == (persona, expected)
    assert Site.objects.filter(pk=config_rows["site"].pk).exists() is (persona not in WRITERS)


def test_site_posted_in_gcj02_is_stored_in_wgs84(api_as, config_rows, org_tree):
    from chuangwei.lib.geo import gcj02_to_wgs84

    response = api_as("office").post(
        "/api/v1/sites/",
        {
            "code": "SG",
            "name": "高德点位",
            "site_type": config_rows["sitetype"].pk,
            "lng": 117.31,
            "lat": 34.81,
            "crs": "gcj02",
            "unit": org_tree["street_a"].pk,
        },
        format="json",
    )
    body = response.json()
    expected = gcj02_to_wgs84(117.31, 34.81)
    assert (round(body["lng"], 7), round(body["lat"], 7)) == (
        round(expected[0], 7),
        round(expected[1], 7),
    )
    assert body["grid"] == config_rows["grid"].pk


def test_site_with_bad_coordinates_is_refused_and_not_stored(api_as, config_rows, org_tree):
    from chuangwei.places.models import Site

    response = api_as("office").post(
        "/api/v1/sites/",
        {
            "code": "SB",
            "name": "坏点位",
            "site_type": config_rows["sitetype"].pk,
            "lng": 517,
            "lat": 34.81,
            "unit": org_tree["street_a"].pk,
        },
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid_coordinates", ["lng"])
    assert not Site.objects.filter(code="SB").exists()


def test_schema_endpoint_serves_openapi(api_as):
    response = api_as("office").get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/sites/" in response.content
