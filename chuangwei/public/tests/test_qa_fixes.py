"""QA fixes: internal inspection findings never reach citizens, development zones in
surveys, the fill timer across an error, the citizen site name, the text-size switch,
required markers, question headers and distinct category icons."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chuangwei.core.errors import InvalidInput
from chuangwei.problems.choices import ProblemSource
from chuangwei.problems.models import Problem
from chuangwei.problems.tests.conftest import IN_A
from chuangwei.public import selectors, services
from chuangwei.public.choices import PUBLIC_SOURCES
from chuangwei.public.forms import new_stamp
from chuangwei.public.models import Exposure, SatisfactionRating

INTERNAL = {
    "national_covert",
    "provincial_covert",
    "city_supervision",
    "mock_covert",
    "covert_check",
    "open_check",
    "cross_check",
    "routine_check",
    "leader",
    "department_check",
}


def _as_source(problem: Any, source: str) -> Any:
    Problem.objects.filter(pk=problem.pk).update(source=source)
    problem.refresh_from_db()
    return problem


def _nearby(public: dict[str, Any]) -> list[dict[str, Any]]:
    return list(
        Client()
        .get(
            "/public/report/nearby.json",
            {"category": public["public_category"].pk, "lng": IN_A[0], "lat": IN_A[1]},
        )
        .json()["items"]
    )


# 1. Privacy ---------------------------------------------------------------------------------


def test_public_sources_are_exactly_the_public_facing_ones() -> None:
    assert set(PUBLIC_SOURCES) == {
        "citizen",
        "supervisor",
        "hotline",
        "media",
        "open311",
        "grid_patrol",
    }
    assert set(ProblemSource.values) == set(PUBLIC_SOURCES) | INTERNAL


def test_mock_covert_problem_nearby_is_not_offered_a_citizen_one_is(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    now = timezone.now()
    covert = _as_source(citizen_report(description="暗访发现", now=now), "mock_covert")
    citizen_report(description="市民反映", now=now)
    items = _nearby(public)
    assert [i["description"] for i in items] == ["市民反映"]
    assert covert.description not in str(items)


@pytest.mark.parametrize("source", sorted(INTERNAL))
def test_no_internal_source_is_offered_as_a_duplicate(
    citizen_report: Any, public: dict[str, Any], source: str
) -> None:
    _as_source(citizen_report(now=timezone.now()), source)
    assert _nearby(public) == []


def test_follow_tracking_and_photos_refuse_an_internal_problem(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    from django.core import signing

    from chuangwei.public.views import FOLLOW_SALT

    problem = _as_source(citizen_report(), "national_covert")
    token = signing.dumps(problem.pk, salt=FOLLOW_SALT)
    photo = problem.photos.get()
    client = Client()
    assert client.get(f"/public/follow/{token}/").status_code == 404
    assert client.get(f"/public/follow/{token}/photos/{photo.pk}/thumb/").status_code == 404
    assert client.get(f"/public/track/{problem.tracking_code}/").status_code == 404
    assert selectors.problem_by_tracking_code(problem.tracking_code) is None


def test_stats_count_only_public_sources(citizen_report: Any, public: dict[str, Any]) -> None:
    now = timezone.now()
    citizen_report(now=now)
    _as_source(citizen_report(lng=IN_A[0] + 0.002, now=now), "covert_check")
    stats = selectors.progress_stats(now)
    assert (stats.reported_month, dict((s.key, n) for s, n in stats.by_stage)["submitted"]) == (
        1,
        1,
    )


def test_proposing_an_open_internal_problem_is_refused_in_chinese(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    problem = _as_source(citizen_report(), "mock_covert")
    with pytest.raises(InvalidInput) as caught:
        services.propose_exposure(problem, title="暗访", by=public["office"])
    assert caught.value.code == "internal_source"
    from django.utils import translation

    with translation.override("zh-hans"):
        assert "内部" in str(caught.value.message)
    assert Exposure.objects.count() == 0


def test_closed_internal_problem_can_be_exposed(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    problem = _as_source(problem, "mock_covert")
    exposure = services.propose_exposure(problem, title="已整改", by=public["office"])
    services.moderate_exposure(exposure, decision="approve", by=public["office"])
    assert "已整改" in Client().get("/public/exposure/").content.decode()


def test_moderation_page_shows_the_refusal(
    citizen_report: Any, public: dict[str, Any], client_as: Any
) -> None:
    problem = _as_source(citizen_report(), "city_supervision")
    client = client_as("office")
    response = client.post(
        "/public/manage/exposures/new/",
        {"code": problem.code, "title": "督查"},
        follow=True,
    )
    assert "内部" in response.content.decode()
    assert Exposure.objects.count() == 0


def test_published_exposure_of_a_reopened_internal_problem_is_hidden(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = _as_source(close(citizen_report(), public), "mock_covert")
    exposure = services.propose_exposure(problem, title="已整改", by=public["office"])
    services.moderate_exposure(exposure, decision="approve", by=public["office"])
    Problem.objects.filter(pk=problem.pk).update(status="reported")
    assert "已整改" not in Client().get("/public/exposure/").content.decode()
    assert Client().get("/api/v1/exposures/").json()["count"] == 0


# 2. Development zones in surveys -----------------------------------------------------------


def test_survey_picker_and_results_include_development_zones(
    public: dict[str, Any], client_as: Any
) -> None:
    from chuangwei.org.services import create_org_unit

    zone = create_org_unit(code="370499", name="高新区", kind="zone", parent=public["city"])
    survey = services.create_survey(
        title="满意度",
        kind="satisfaction",
        status="open",
        questions=[("您对市容环境满意吗", [("满意", True), ("不满意", False)])],
        by=public["office"],
    )
    q = survey.questions.get()
    page = Client().get(f"/public/surveys/{survey.pk}/")
    assert [d.name for d in page.context["districts"]] == [public["district"].name, "高新区"]
    done = Client().post(
        f"/public/surveys/{survey.pk}/",
        {"district": zone.pk, f"q{q.pk}": "0", "started": new_stamp()},
    )
    assert done.status_code == 200
    results = client_as("leader").get(f"/public/manage/surveys/{survey.pk}/").context["results"]
    assert [(r.district, r.responses, r.positive, r.answers, r.rate) for r in results.rows] == [
        (public["district"].name, 0, 0, 0, None),
        ("高新区", 1, 1, 1, 100.0),
    ]


# 3. Fill timer across an error -------------------------------------------------------------


def test_rating_corrected_after_an_error_is_not_too_fast(
    citizen_report: Any, close: Any, public: dict[str, Any], settings: Any
) -> None:
    import time

    from django.core import signing

    from chuangwei.public.forms import STAMP_SALT

    settings.CHUANGWEI_PUBLIC_MIN_FILL_SECONDS = 3
    problem = close(citizen_report(), public)
    url = f"/public/track/{problem.tracking_code}/"
    opened = signing.dumps(time.time() - 10, salt=STAMP_SALT)  # opened 10 s ago
    client = Client()
    refused = client.post(url, {"level": "dissatisfied", "comment": "", "started": opened})
    assert refused.status_code == 422
    assert refused.context["form"].stamp == opened  # the original start time is kept
    again = client.post(url, {"level": "dissatisfied", "comment": "没修好", "started": opened})
    assert again.status_code == 302
    assert SatisfactionRating.objects.get().level == "dissatisfied"


def test_forged_stamp_is_renewed_after_an_error(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    url = f"/public/track/{problem.tracking_code}/"
    refused = Client().post(url, {"level": "satisfied", "started": "forged"})
    assert refused.context["error_code"] == "form_expired"
    assert refused.context["form"].stamp != "forged"


# 4–5. Site name and text-size switch ---------------------------------------------------------


@pytest.mark.parametrize("url", ["/public/", "/public/report/", "/public/track/", "/public/stats/"])
def test_citizen_pages_use_the_citizen_site_name(public: dict[str, Any], url: str) -> None:
    html = Client().get(url).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert title.endswith("· 创卫随手拍")
    assert "管理平台" not in title


def test_text_size_switch_names_the_current_level(public: dict[str, Any]) -> None:
    html = Client().get("/public/").content.decode()
    assert '<span class="cw-p-font-level">标准</span>' in html
    assert 'data-label-large="大"' in html
    assert 'data-label-xlarge="特大"' in html


# 6–7. Manage pages --------------------------------------------------------------------------


def test_moderation_marks_required_fields(public: dict[str, Any], client_as: Any) -> None:
    html = client_as("office").get("/public/manage/moderation/").content.decode()
    assert 'for="id_code"><span class="text-danger">*</span>' in html
    assert 'for="id_title"><span class="text-danger">*</span>' in html
    assert 'for="id_summary"><span class="text-danger">' not in html


def test_survey_results_headers_show_the_question_text(
    public: dict[str, Any], client_as: Any
) -> None:
    survey = services.create_survey(
        title="满意度",
        kind="satisfaction",
        status="open",
        questions=[("您对本市公共厕所的卫生状况是否满意", [("满意", True), ("不满意", False)])],
        by=public["office"],
    )
    html = client_as("leader").get(f"/public/manage/surveys/{survey.pk}/").content.decode()
    head = html.split('class="text-end cw-p-qhead" title="您对本市公共厕所的卫生状况是否满意">')[1]
    assert head.split("</th>")[0] == "您对本市公共厕所的..."
    assert ">Q1</th>" not in html


def test_a_short_survey_question_has_no_tooltip_repeating_it(
    public: dict[str, Any], client_as: Any
) -> None:
    survey = services.create_survey(
        title="满意度",
        kind="satisfaction",
        status="open",
        questions=[("厕所干净吗", [("满意", True), ("不满意", False)])],
        by=public["office"],
    )
    html = client_as("leader").get(f"/public/manage/surveys/{survey.pk}/").content.decode()
    assert '<th class="text-end cw-p-qhead">厕所干净吗</th>' in html


# 8. Icons ---------------------------------------------------------------------------------


def test_each_public_category_has_its_own_icon() -> None:
    icons = list(services.ICONS.values())
    assert len(icons) == len(set(icons))
    assert services.DEFAULT_ICON not in icons
    assert {services.ICONS[c] for c in ("CW01001", "CW03003", "03005")} == {
        "bi-bug",
        "bi-ban",
        "bi-wrench-adjustable",
    }


def test_sync_gives_existing_default_icon_rows_their_icon(public: dict[str, Any]) -> None:
    from chuangwei.public.models import PublicCategory

    PublicCategory.objects.filter(pk=public["public_category"].pk).update(
        icon=services.DEFAULT_ICON
    )
    services.sync_public_categories()
    assert PublicCategory.objects.get(pk=public["public_category"].pk).icon == "bi-trash"
