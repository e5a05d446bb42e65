"""Configuration writes go through each app's services, on the pages and in the API.

Every configuration model is created, changed and deleted by a named service; a row still
referenced is refused (409 ``in_use`` in the API, the same message on the page) and stays.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from chuangwei.core.errors import InUse

# (API resource, UI url prefix, config_rows key, deleted?): rows other rows point at stay.
DELETES = [
    ("org-units", "org:orgunit", "orgunit", False),
    ("work-lines", "org:workline", "workline", False),
    ("people", "org:person", "person", False),
    ("leader-assignments", "org:leaderassignment", "leaderassignment", True),
    ("responsibility-agreements", "org:agreement", "agreement", True),
    ("grids", "places:grid", "grid", False),
    ("site-types", "places:sitetype", "sitetype", False),
    ("site-type-groups", "places:sitetypegroup", "sitetypegroup", True),
    ("sites", "places:site", "site", True),
    ("standard-versions", "standards:version", "version", False),
    ("standard-clauses", "standards:clause", "clause", True),
    ("indicators", "standards:indicator", "indicator", False),
    ("indicator-values", "standards:indicatorvalue", "indicatorvalue", True),
    ("problem-categories", "standards:category", "category", True),
]


def exists(row: Any) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(("resource", "prefix", "key", "deleted"), DELETES)
def test_api_delete_goes_through_the_service(api_as, config_rows, resource, prefix, key, deleted):
    row = config_rows[key]
    response = api_as("office").delete(f"/api/v1/{resource}/{row.pk}/")
    if deleted:
        assert (response.status_code, exists(row)) == (204, False)
    else:
        assert (response.status_code, response.json()["error"]["code"]) == (409, "in_use")
        assert exists(row)


@pytest.mark.parametrize(("resource", "prefix", "key", "deleted"), DELETES)
def test_page_delete_goes_through_the_service(
    client_as, config_rows, resource, prefix, key, deleted
):
    row = config_rows[key]
    response = client_as("office").post(reverse(f"{prefix}_delete", args=[row.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    if deleted:
        assert (messages, exists(row)) == ([f"删除成功：{row}"], False)
    else:
        assert (messages, exists(row)) == ([str(InUse.default_message)], True)


def test_api_site_type_group_members_are_set_by_the_service(api_as, config_rows):
    from chuangwei.places.models import SiteType

    toilet = SiteType.objects.create(code="toilet", name="公共厕所")
    group = config_rows["sitetypegroup"]
    response = api_as("office").patch(
        f"/api/v1/site-type-groups/{group.pk}/", {"site_types": [toilet.pk]}, format="json"
    )
    assert response.status_code == 200
    assert list(group.site_types.values_list("code", flat=True)) == ["toilet"]


def test_page_work_line_members_are_set_by_the_service(client_as, config_rows, org_tree):
    line = config_rows["workline"]
    department = org_tree["department"]
    client_as("office").post(
        reverse("org:workline_update", args=[line.pk]),
        {
            "code": "WL-CG",
            "name": "城管专线",
            "lead_department": department.pk,
            "member_departments": [department.pk],
            "responsibilities": "",
            "sort_order": 0,
        },
    )
    assert list(line.member_departments.values_list("pk", flat=True)) == [department.pk]


def test_api_leader_assignment_ending_before_it_starts_is_refused(api_as, config_rows):
    assignment = config_rows["leaderassignment"]
    response = api_as("office").patch(
        f"/api/v1/leader-assignments/{assignment.pk}/",
        {"start_date": "2026-05-01", "end_date": "2026-04-01"},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "date_order")
    assignment.refresh_from_db()
    assert (assignment.start_date, assignment.end_date) == (None, None)


def test_api_agreement_target_above_100_percent_is_refused(api_as, config_rows):
    agreement = config_rows["agreement"]
    response = api_as("office").patch(
        f"/api/v1/responsibility-agreements/{agreement.pk}/",
        {"closure_rate_target": "120"},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_target")
    agreement.refresh_from_db()
    assert agreement.closure_rate_target is None


def test_api_work_line_led_by_a_street_is_refused(api_as, config_rows, org_tree):
    line = config_rows["workline"]
    response = api_as("office").patch(
        f"/api/v1/work-lines/{line.pk}/",
        {"lead_department": org_tree["street_a"].pk},
        format="json",
    )
    assert response.status_code == 400
    line.refresh_from_db()
    assert line.lead_department_id == org_tree["department"].pk
