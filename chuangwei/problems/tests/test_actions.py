"""The one action table (actions.ACTIONS) drives the pages, the API and the forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwei.problems import workflow
from chuangwei.problems.actions import ACTIONS
from chuangwei.problems.api.views import ProblemViewSet
from chuangwei.problems.choices import PhotoKind
from chuangwei.problems.choices import ProblemStatus as S

from .images import make_jpeg, uploaded
from .test_transitions import drive

JPEG = make_jpeg(96, 72, text="verify")


def test_every_workflow_step_has_one_row():
    assert set(ACTIONS) == set(workflow.STEPS)


@pytest.mark.parametrize("action", list(workflow.STEPS))
def test_every_row_is_a_page_route_and_an_api_action(action):
    spec = ACTIONS[action]
    assert reverse(f"problems:problem_{action}", args=[1]) == f"/problems/1/{action}/"
    assert getattr(ProblemViewSet, spec.api_method).url_path == spec.api_path


def test_page_verification_stores_verification_photos(client_as, ledger, report):
    problem = drive(ledger, report, "submitted")
    response = client_as("inspector").post(
        reverse("problems:problem_verify_pass", args=[problem.pk]), {"photos": [uploaded(JPEG)]}
    )
    assert response.status_code == 302
    assert list(problem.photos.exclude(kind="after").values_list("kind", flat=True)) == [
        PhotoKind.VERIFICATION
    ]


def test_api_verification_stores_verification_photos(api_as, ledger, report):
    problem = drive(ledger, report, "submitted")
    response = api_as("inspector").post(
        f"/api/v1/problems/{problem.pk}/verify-pass/",
        {"photos": [uploaded(JPEG)]},
        format="multipart",
    )
    assert (response.status_code, response.json()["status"]) == (200, S.CLOSED)
    assert list(problem.photos.exclude(kind="after").values_list("kind", flat=True)) == [
        PhotoKind.VERIFICATION
    ]


def test_every_page_action_has_its_own_success_message():
    from chuangwei.problems.views_actions import DONE

    assert set(DONE) == set(workflow.STEPS) - {"report"}


def test_failed_verification_says_the_problem_went_back_for_rectification(
    client_as, ledger, report
):
    from django.contrib.messages import get_messages
    from django.utils import translation

    problem = drive(ledger, report, "submitted")
    client = client_as("inspector")
    response = client.post(
        reverse("problems:problem_verify_fail", args=[problem.pk]),
        {"note": "仍有垃圾", "photos": [uploaded(JPEG)]},
    )
    assert response.status_code == 302
    with translation.override("zh-hans"):
        expected = translation.gettext("%(code)s: sent back for rectification.") % {
            "code": problem.code
        }
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]


def test_submit_form_marks_its_required_photos_and_note(client_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    response = client_as("handler_a").get(reverse("problems:problem_detail", args=[problem.pk]))
    html = response.content.decode()
    assert 'for="submit-photos"><span class="text-danger">*</span>' in html
    assert 'for="submit-note"><span class="text-danger">*</span>' in html
