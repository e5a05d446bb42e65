"""Every configuration page renders, edits are for managers only, and scope holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

PAGES = [
    ("org", "orgunit"),
    ("org", "workline"),
    ("org", "person"),
    ("org", "leaderassignment"),
    ("org", "agreement"),
    ("places", "grid"),
    ("places", "sitetype"),
    ("places", "sitetypegroup"),
    ("places", "site"),
    ("standards", "version"),
    ("standards", "clause"),
    ("standards", "indicator"),
    ("standards", "indicatorvalue"),
    ("standards", "category"),
]


@pytest.mark.parametrize(("app", "model"), PAGES)
def test_office_opens_list_detail_create_and_edit(client_as, config_rows, app, model):
    client = client_as("office")
    pk = config_rows[model].pk
    for name, args in (("list", []), ("detail", [pk]), ("create", []), ("update", [pk])):
        response = client.get(reverse(f"{app}:{model}_{name}", args=args))
        assert (name, response.status_code) == (name, 200)


@pytest.mark.parametrize(("app", "model"), PAGES)
def test_handler_cannot_open_create_page(client_as, config_rows, app, model):
    response = client_as("handler_a").get(reverse(f"{app}:{model}_create"))
    assert response.status_code == 403


@pytest.mark.parametrize(("app", "model"), PAGES)
def test_anonymous_is_sent_to_login(client_as, config_rows, app, model):
    response = client_as("anonymous").get(reverse(f"{app}:{model}_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("app", "model"), PAGES)
def test_list_export_is_an_xlsx_named_for_the_list(client_as, config_rows, app, model):
    response = client_as("office").get(reverse(f"{app}:{model}_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]


def test_handler_of_other_street_gets_404_on_site(client_as, config_rows):
    response = client_as("handler_b").get(
        reverse("places:site_detail", args=[config_rows["site"].pk])
    )
    assert response.status_code == 404


def test_handler_cannot_delete_a_site(client_as, config_rows):
    from chuangwei.places.models import Site

    response = client_as("handler_a").post(
        reverse("places:site_delete", args=[config_rows["site"].pk])
    )
    assert response.status_code == 403
    assert Site.objects.filter(pk=config_rows["site"].pk).exists()


def test_site_form_converts_gcj02_input(client_as, config_rows):
    from chuangwei.lib.geo import gcj02_to_wgs84
    from chuangwei.places.models import Site

    response = client_as("office").post(
        reverse("places:site_create"),
        {
            "code": "S-NEW",
            "name": "新点位",
            "site_type": config_rows["sitetype"].pk,
            "status": "operating",
            "lng": "117.315",
            "lat": "34.812",
            "crs": "gcj02",
            "unit": config_rows["orgunit"].pk,
        },
    )
    assert response.status_code == 302
    site = Site.objects.get(code="S-NEW")
    expected = gcj02_to_wgs84(117.315, 34.812)
    assert (round(site.lng, 7), round(site.lat, 7)) == (
        round(expected[0], 7),
        round(expected[1], 7),
    )


def test_grid_form_rejects_bad_geojson_in_chinese(client_as, config_rows):
    response = client_as("office").post(
        reverse("places:grid_create"),
        {
            "code": "G-BAD",
            "name": "坏网格",
            "level": 3,
            "unit": config_rows["orgunit"].pk,
            "geometry": '{"type": "Point", "coordinates": [117.3, 34.8]}',
        },
    )
    assert response.status_code == 200
    assert "边界" in response.content.decode()


def test_site_list_query_count_is_pinned(client_as, config_rows, django_assert_num_queries):
    from chuangwei.places.tests.factories import SiteFactory

    SiteFactory.create_batch(
        3, site_type=config_rows["sitetype"], unit=config_rows["orgunit"], lng=117.31, lat=34.81
    )
    client = client_as("office")
    client.get(reverse("places:site_list"))
    with django_assert_num_queries(
        6, info="session, user, scope, unread, count, page; filter options cached"
    ):
        client.get(reverse("places:site_list"))
