"""The menu shows each role only what it may open; refusals are Chinese pages in the frame."""

import pytest


def _leaves(response):
    return {
        leaf.url_name
        for group in response.context["nav_menu"]
        for leaf in group.children or [group]
    }


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("office", {"public:moderation", "public:survey_list", "inspections:my_tasks"}, set()),
        ("leader", {"public:survey_list", "public:poll_list"}, {"public:moderation"}),
        ("inspector", {"inspections:my_tasks"}, {"public:moderation", "public:survey_list"}),
        (
            "handler_b",
            set(),
            {"public:moderation", "public:survey_list", "public:poll_list", "inspections:my_tasks"},
        ),
        ("grid_worker", set(), {"public:moderation", "public:poll_list"}),
    ],
)
def test_menu_items_follow_the_role(client_as, persona, shown, hidden):
    leaves = _leaves(client_as(persona).get("/"))
    assert shown <= leaves
    assert not hidden & leaves


def test_a_refused_page_is_a_chinese_page_in_the_frame(client_as):
    response = client_as("handler_b").get("/public/manage/moderation/")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'id="cw-error-page"' in body
    assert "无权访问" in body
    assert 'class="cw-sidebar' in body or "cw-sidebar" in body


@pytest.mark.django_db
def test_a_refused_page_for_a_visitor_is_plain_chinese(client, settings):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from chuangwei.core.views_pages import permission_denied

    request = RequestFactory().get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
