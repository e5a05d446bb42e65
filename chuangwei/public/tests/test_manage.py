"""Office pages of the public side and the public API: who may do what, query counts."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.problems.tests.conftest import IN_A
from chuangwei.public import services
from chuangwei.public.models import Exposure, Poll, PublicCategory, Survey

OFFICE = {"admin", "office"}
READERS = OFFICE | {"leader"}
OTHERS = {"handler_a", "handler_b", "grid_worker", "inspector", "supervisor"}


@pytest.mark.parametrize("persona", sorted(READERS | OTHERS | {"anonymous"}))
@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/public/manage/moderation/", OFFICE),
        ("/public/manage/categories/", OFFICE),
        ("/public/manage/surveys/", READERS),
        ("/public/manage/polls/", READERS),
    ],
)
def test_management_pages_matrix(
    public: dict[str, Any], client_as: Any, persona: str, url: str, allowed: set[str]
) -> None:
    response = client_as(persona).get(url)
    expected = 200 if persona in allowed else 302 if persona == "anonymous" else 403
    assert response.status_code == expected


def test_menu_shows_the_public_pages_to_the_office(public: dict[str, Any], client_as: Any) -> None:
    page = client_as("office").get("/public/manage/moderation/").content.decode()
    for url in ("/public/manage/moderation/", "/public/manage/surveys/", "/public/manage/polls/"):
        assert f'href="{url}"' in page


@pytest.mark.parametrize("persona", ["office", "admin"])
def test_office_proposes_and_approves_an_exposure(
    citizen_report: Any, public: dict[str, Any], client_as: Any, persona: str
) -> None:
    problem = citizen_report()
    client = client_as(persona)
    client.post(
        "/public/manage/exposures/new/", {"code": problem.code, "title": "曝光", "summary": "s"}
    )
    exposure = Exposure.objects.get()
    assert exposure.status == "pending"
    client.post(f"/public/manage/exposures/{exposure.pk}/approve/")
    exposure.refresh_from_db()
    assert (exposure.status, exposure.moderated_by) == ("approved", public[persona])


@pytest.mark.parametrize("persona", ["leader", "handler_a", "grid_worker"])
def test_others_cannot_moderate(
    citizen_report: Any, public: dict[str, Any], client_as: Any, persona: str
) -> None:
    exposure = services.propose_exposure(citizen_report(), title="甲", by=public["office"])
    response = client_as(persona).post(f"/public/manage/exposures/{exposure.pk}/approve/")
    exposure.refresh_from_db()
    assert (response.status_code, exposure.status) == (403, "pending")


def test_unknown_problem_code_is_reported(public: dict[str, Any], client_as: Any) -> None:
    response = client_as("office").post(
        "/public/manage/exposures/new/", {"code": "WT-NOPE", "title": "x"}, follow=True
    )
    assert "WT-NOPE" in response.content.decode()
    assert Exposure.objects.count() == 0


def test_moderation_page_query_count(
    citizen_report: Any,
    public: dict[str, Any],
    client_as: Any,
    django_assert_num_queries: Any,
) -> None:
    for i in range(5):
        problem = citizen_report(lng=IN_A[0] + 0.001 * i)
        services.propose_exposure(problem, title=f"曝光{i}", by=public["office"])
    client = client_as("office")
    with django_assert_num_queries(6):
        assert client.get("/public/manage/moderation/").status_code == 200


def test_category_verification_switch(public: dict[str, Any], client_as: Any) -> None:
    cat = public["public_category"]
    client_as("office").post(
        "/public/manage/categories/", {"pk": cat.pk, "needs_verification": "0"}
    )
    cat.refresh_from_db()
    assert cat.needs_verification is False


def test_sync_adds_categories_with_a_public_name(public: dict[str, Any]) -> None:
    from chuangwei.standards.models import ProblemCategory
    from chuangwei.standards.services import save_problem_category

    save_problem_category(
        ProblemCategory(
            kind="matter", code="09006", name="占道经营", public_name="占道经营", description="d"
        ),
        by=None,
    )
    assert services.sync_public_categories() == 1
    assert services.sync_public_categories() == 0
    assert PublicCategory.objects.get(category__code="09006").icon == "bi-shop"


def test_office_creates_a_survey_from_lines(public: dict[str, Any], client_as: Any) -> None:
    client_as("office").post(
        "/public/manage/surveys/",
        {
            "title": "知晓率调查",
            "kind": "awareness",
            "questions": "知道创卫吗？ | 知道+ | 不知道\n支持吗 | 支持+ | 一般+ | 不支持",
        },
    )
    survey = Survey.objects.get()
    assert [(q.text, q.choices) for q in survey.questions.all()] == [
        (
            "知道创卫吗？",
            [{"label": "知道", "positive": True}, {"label": "不知道", "positive": False}],
        ),
        (
            "支持吗",
            [
                {"label": "支持", "positive": True},
                {"label": "一般", "positive": True},
                {"label": "不支持", "positive": False},
            ],
        ),
    ]
    assert survey.status == "draft"


def test_leader_reads_results_but_cannot_create(public: dict[str, Any], client_as: Any) -> None:
    response = client_as("leader").post("/public/manage/polls/", {"title": "x", "options": "a\nb"})
    assert (response.status_code, Poll.objects.count()) == (403, 0)


def test_survey_results_page_shows_exact_numbers(
    public: dict[str, Any], client_as: Any, django_assert_num_queries: Any
) -> None:
    survey = services.create_survey(
        title="满意度",
        kind="satisfaction",
        status="open",
        questions=[("满意吗", [("满意", True), ("不满意", False)])],
        by=public["office"],
    )
    q = survey.questions.get()
    for device, choice in (("a", 0), ("b", 0), ("c", 1)):
        services.submit_survey(
            survey, district_id=public["district"].pk, answers={q.pk: choice}, device_id=device
        )
    client = client_as("leader")
    with django_assert_num_queries(9):
        page = client.get(f"/public/manage/surveys/{survey.pk}/")
    results = page.context["results"]
    assert [(r.district, r.responses, r.positive, r.answers, r.rate) for r in results.rows] == [
        ("甲区", 3, 2, 3, 66.7)
    ]
    assert "66.7%" in page.content.decode()


def test_poll_open_and_results(public: dict[str, Any], client_as: Any) -> None:
    client = client_as("office")
    client.post(
        "/public/manage/polls/", {"title": "十大难点", "max_choices": "2", "options": "甲\n乙\n丙"}
    )
    poll = Poll.objects.get()
    client.post(f"/public/manage/poll/{poll.pk}/status/", {"status": "open"})
    poll.refresh_from_db()
    assert poll.status == "open"
    services.cast_ballot(poll, option_ids=[poll.options.first().pk], device_id="d")
    page = client.get(f"/public/manage/polls/{poll.pk}/")
    assert page.context["ballots"] == 1


# API --------------------------------------------------------------------------------------


def test_public_categories_api_is_open(public: dict[str, Any], api_as: Any) -> None:
    data = api_as("anonymous").get("/api/v1/public-categories/").json()
    assert [(c["name"], c["category_code"]) for c in data["results"]] == [("暴露垃圾", "06010")]


def test_exposures_api_lists_only_published(
    citizen_report: Any, public: dict[str, Any], api_as: Any, django_assert_num_queries: Any
) -> None:
    shown = services.propose_exposure(citizen_report(), title="已发布", by=public["office"])
    services.moderate_exposure(shown, decision="approve", by=public["office"])
    services.propose_exposure(
        citizen_report(lng=IN_A[0] + 0.002), title="待审", by=public["office"]
    )
    with django_assert_num_queries(3):
        data = api_as("anonymous").get("/api/v1/exposures/").json()
    assert [e["title"] for e in data["results"]] == ["已发布"]
    assert data["results"][0]["photos"][0]["url"].startswith(f"/public/exposure/{shown.pk}/")
    assert "reporter" not in str(data)


@pytest.mark.parametrize(
    ("persona", "status", "count"),
    [
        ("anonymous", 401, None),
        ("office", 200, 1),
        ("leader", 200, 1),
        ("handler_a", 200, 1),
        ("handler_b", 200, 0),
    ],
)
def test_ratings_api_is_scoped(
    citizen_report: Any,
    close: Any,
    public: dict[str, Any],
    api_as: Any,
    persona: str,
    status: int,
    count: int | None,
) -> None:
    problem = close(citizen_report(), public)
    services.rate_problem(problem, level="satisfied")
    response = api_as(persona).get("/api/v1/satisfaction-ratings/")
    assert response.status_code == status
    if count is not None:
        assert response.json()["count"] == count
    else:
        assert response.json()["error"]["code"] == "not_authenticated"


def test_load_command_is_idempotent(public: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_public_categories", stdout=out)
    call_command("load_public_categories", stdout=out)
    assert out.getvalue().splitlines() == ["0 citizen categories added"] * 2


def test_survey_and_poll_lists_query_count(
    public: dict[str, Any], client_as: Any, django_assert_num_queries: Any
) -> None:
    for i in range(4):
        services.create_survey(
            title=f"问卷{i}",
            kind="support",
            questions=[("q", [("a", True), ("b", False)])],
            by=public["office"],
        )
        services.create_poll(title=f"投票{i}", options=["a", "b"], by=public["office"])
    client = client_as("office")
    client.get("/public/manage/surveys/")  # warm the session and menu
    with django_assert_num_queries(5):
        assert client.get("/public/manage/surveys/").status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/public/manage/polls/").status_code == 200


@pytest.mark.parametrize("persona", sorted(READERS | OTHERS | {"anonymous"}))
def test_write_endpoints_matrix(public: dict[str, Any], client_as: Any, persona: str) -> None:
    poll = services.create_poll(title="投票", options=["a", "b"], by=public["office"])
    cat = public["public_category"]
    client = client_as(persona)
    statuses = [
        client.post(f"/public/manage/poll/{poll.pk}/status/", {"status": "open"}).status_code,
        client.post(
            "/public/manage/categories/", {"pk": cat.pk, "needs_verification": "0"}
        ).status_code,
        client.post("/public/manage/exposures/new/", {"code": "x", "title": "t"}).status_code,
    ]
    poll.refresh_from_db()
    cat.refresh_from_db()
    if persona in OFFICE:
        assert statuses == [302, 302, 302]
        assert (poll.status, cat.needs_verification) == ("open", False)
    else:
        assert statuses == [302 if persona == "anonymous" else 403] * 3
        assert (poll.status, cat.needs_verification) == ("draft", True)
