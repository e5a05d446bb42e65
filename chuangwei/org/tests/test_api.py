"""Authorisation matrix and scope of the org API."""

import pytest

from chuangwei.org.models import OrgUnit, WorkLine

WRITERS = {"admin", "office"}
ALL = [
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


@pytest.mark.parametrize("persona", ALL)
def test_org_unit_list_status(api_as, persona):
    response = api_as(persona).get("/api/v1/org-units/")
    assert response.status_code == (401 if persona == "anonymous" else 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", 7),
        ("office", 7),
        ("inspector", 7),
        ("handler_a", 2),
        ("handler_b", 2),
        ("grid_worker", 1),
        ("leader", 5),
        ("supervisor", 2),
    ],
)
def test_org_unit_list_is_scoped(api_as, persona, expected):
    response = api_as(persona).get("/api/v1/org-units/", {"page_size": 50})
    assert response.json()["count"] == expected


@pytest.mark.parametrize("persona", ALL)
def test_org_unit_create_matrix(api_as, org_tree, persona):
    before = OrgUnit.objects.count()
    response = api_as(persona).post(
        "/api/v1/org-units/",
        {
            "code": "370402003",
            "name": "丙街道",
            "kind": "street",
            "parent": org_tree["district"].pk,
        },
        format="json",
    )
    if persona in WRITERS:
        assert response.status_code == 201
        created = OrgUnit.objects.get(code="370402003")
        assert created.path == f"{org_tree['district'].path}{created.pk}/"
    else:
        assert response.status_code == (401 if persona == "anonymous" else 403)
        assert OrgUnit.objects.count() == before


def test_handler_cannot_read_other_street(api_as, org_tree):
    response = api_as("handler_a").get(f"/api/v1/org-units/{org_tree['street_b'].pk}/")
    assert response.status_code == 404


def test_moving_unit_under_its_child_is_refused(api_as, org_tree):
    response = api_as("office").patch(
        f"/api/v1/org-units/{org_tree['street_a'].pk}/",
        {"parent": org_tree["community_a"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "tree_cycle"
    org_tree["street_a"].refresh_from_db()
    assert org_tree["street_a"].parent_id == org_tree["district"].pk


def test_deleting_unit_in_use_is_refused_with_code(api_as, org_tree):
    response = api_as("office").delete(f"/api/v1/org-units/{org_tree['district'].pk}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_use"
    assert OrgUnit.objects.filter(pk=org_tree["district"].pk).exists()


def test_bad_input_gets_structured_error(api_as, org_tree):
    response = api_as("office").post("/api/v1/org-units/", {"name": ""}, format="json")
    body = response.json()
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid"
    assert set(body["error"]["fields"]) >= {"code", "name", "kind"}


@pytest.mark.parametrize("persona", ALL)
def test_work_line_create_matrix(api_as, org_tree, persona):
    response = api_as(persona).post(
        "/api/v1/work-lines/",
        {"code": "WL-CG", "name": "城管专线", "lead_department": org_tree["department"].pk},
        format="json",
    )
    assert response.status_code == (
        201 if persona in WRITERS else 401 if persona == "anonymous" else 403
    )
    assert WorkLine.objects.count() == (1 if persona in WRITERS else 0)
