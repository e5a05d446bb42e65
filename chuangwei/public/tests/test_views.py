"""Citizen pages: report, bad input, abuse resistance, tracking and rating, privacy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chuangwei.problems.models import Problem
from chuangwei.problems.tests.conftest import IN_A
from chuangwei.problems.tests.images import make_jpeg, uploaded
from chuangwei.public import services
from chuangwei.public.forms import new_stamp
from chuangwei.public.models import CitizenReport, Exposure, SatisfactionRating

PHONE = "13812345678"
JPEG = make_jpeg(96, 72, text="v")


def _post(client: Client, public: dict[str, Any], **overrides: Any) -> Any:
    data: dict[str, Any] = {
        "category": public["public_category"].pk,
        "lng": str(IN_A[0]),
        "lat": str(IN_A[1]),
        "crs": "wgs84",
        "description": "路边有垃圾",
        "phone": PHONE,
        "started": new_stamp(),
        "website": "",
        "photos": [uploaded(JPEG)],
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post("/public/report/", data, **overrides.pop("extra", {}))


def _nothing_stored() -> None:
    assert (Problem.objects.count(), CitizenReport.objects.count()) == (0, 0)


def test_report_page_needs_no_login_and_sets_a_device_cookie(public: dict[str, Any]) -> None:
    response = Client().get("/public/report/")
    assert response.status_code == 200
    assert len(response.cookies["cw_device"].value) == 32
    assert "暴露垃圾" in response.content.decode()


def test_report_returns_a_tracking_code(public: dict[str, Any]) -> None:
    client = Client()
    response = _post(client, public)
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response.url == f"/public/report/done/{problem.tracking_code}/"
    done = client.get(response.url)
    assert problem.tracking_code in done.content.decode()
    assert problem.source == "citizen"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"lng": "", "lat": ""}, "missing_location"),
        ({"lng": "abc", "lat": "<script>"}, "invalid_coordinates"),
        ({"category": "zzz"}, "unknown_category"),
        ({"phone": "call me"}, "bad_phone"),
        ({"photos": None}, "photo_required"),
        ({"photos": [uploaded(b"not an image", "x.jpg")]}, "photo_not_image"),
        ({"email": "nope"}, "invalid"),
        ({"website": "http://spam.example"}, "honeypot"),
        ({"started": "garbage"}, "form_expired"),
    ],
)
def test_bad_report_gets_a_clear_message_and_stores_nothing(
    public: dict[str, Any], overrides: dict[str, Any], code: str
) -> None:
    response = _post(Client(), public, **overrides)
    assert response.status_code == 422
    assert response.context["error_code"] == code
    assert response.context["error"]
    assert 'id="page-error"' in response.content.decode()
    _nothing_stored()


def test_oversize_photo_is_refused(public: dict[str, Any], settings: Any) -> None:
    settings.CHUANGWEI_MAX_PHOTO_BYTES = 1000
    response = _post(Client(), public, photos=[uploaded(make_jpeg(800, 600, text="big"))])
    assert (response.status_code, response.context["error_code"]) == (422, "photo_too_large")
    _nothing_stored()


def test_too_quick_post_is_refused(public: dict[str, Any], settings: Any) -> None:
    settings.CHUANGWEI_PUBLIC_MIN_FILL_SECONDS = 60
    response = _post(Client(), public)
    assert (response.status_code, response.context["error_code"]) == (422, "too_fast")
    _nothing_stored()


def test_flood_from_one_ip_is_limited(public: dict[str, Any], settings: Any) -> None:
    settings.CHUANGWEI_PUBLIC_RATE_IP = "3/h"
    codes = []
    for _ in range(5):  # a new device each time: only the IP ties them together
        response = _post(Client(), public, lng="", lat="")
        codes.append((response.status_code, response.context["error_code"]))
    assert codes == [(422, "missing_location")] * 3 + [(429, "rate_limited")] * 2
    response = _post(Client(), public)
    assert response.status_code == 429
    _nothing_stored()


def test_flood_from_one_device_is_limited_across_ips(public: dict[str, Any], settings: Any) -> None:
    settings.CHUANGWEI_PUBLIC_RATE_DEVICE = "2/h"
    client = Client()
    client.get("/public/report/")  # gets the device cookie
    statuses = [
        _post(client, public, lng="", lat="", extra={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [422, 422, 429]


def test_daily_cap_per_phone_on_the_page(public: dict[str, Any], settings: Any) -> None:
    settings.CHUANGWEI_PUBLIC_PHONE_DAILY_CAP = 1
    assert _post(Client(), public).status_code == 302
    response = _post(Client(), public, lng=str(IN_A[0] + 0.001))
    assert (response.status_code, response.context["error_code"]) == (409, "phone_daily_cap")
    assert Problem.objects.count() == 1


# Tracking, after photo and rating ---------------------------------------------------------


def test_track_search_redirects_and_unknown_code_says_so(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    problem = citizen_report()
    client = Client()
    found = client.get("/public/track/", {"code": problem.tracking_code.lower()})
    assert found.url == f"/public/track/{problem.tracking_code}/"
    missing = client.get("/public/track/", {"code": "NOPE"})
    assert missing.status_code == 404
    assert missing.context["error"]
    assert client.get("/public/track/NOPE/").status_code == 404


def test_open_problem_cannot_be_rated_on_the_page(citizen_report: Any) -> None:
    problem = citizen_report()
    page = Client().get(f"/public/track/{problem.tracking_code}/")
    assert page.context["can_rate"] is False
    assert 'id="rating-form"' not in page.content.decode()


def test_closed_problem_shows_after_photo_and_takes_a_rating(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    client = Client()
    url = f"/public/track/{problem.tracking_code}/"
    page = client.get(url)
    after = page.context["after_photos"]
    assert [p.kind for p in after] == ["after"]
    assert f"/public/track/{problem.tracking_code}/photos/{after[0].pk}/thumb/" in (
        page.content.decode()
    )
    assert page.context["stage"].key == "done"
    posted = client.post(url, {"level": "satisfied", "comment": "好", "started": new_stamp()})
    assert posted.status_code == 302
    assert SatisfactionRating.objects.get().level == "satisfied"
    assert 'id="rating-given"' in client.get(url).content.decode()


def test_dissatisfied_on_the_page_reopens(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    url = f"/public/track/{problem.tracking_code}/"
    Client().post(url, {"level": "dissatisfied", "comment": "没修好", "started": new_stamp()})
    problem.refresh_from_db()
    assert problem.status == "reported"


def test_rating_honeypot_stores_nothing(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    response = Client().post(
        f"/public/track/{problem.tracking_code}/",
        {"level": "satisfied", "website": "x", "started": new_stamp()},
    )
    assert (response.status_code, response.context["error_code"]) == (422, "honeypot")
    assert SatisfactionRating.objects.count() == 0


def test_tracking_photo_serves_only_the_public_copy(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    problem = citizen_report()
    other = citizen_report(lng=IN_A[0] + 0.002)
    photo = problem.photos.get()
    client = Client()
    response = client.get(f"/public/track/{problem.tracking_code}/photos/{photo.pk}/full/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.public_copy.open("rb").read()
    foreign = other.photos.get()
    url = f"/public/track/{problem.tracking_code}/photos/{foreign.pk}/full/"
    assert client.get(url).status_code == 404


# Nearby duplicates --------------------------------------------------------------------------


def test_nearby_offers_to_follow_an_open_report(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    from django.utils import timezone

    citizen_report(description="桥下垃圾", phone=PHONE, now=timezone.now())
    data = (
        Client()
        .get(
            "/public/report/nearby.json",
            {"category": public["public_category"].pk, "lng": IN_A[0], "lat": IN_A[1]},
        )
        .json()
    )
    assert [(i["stage"], i["description"], i["distance_m"]) for i in data["items"]] == [
        ("已提交", "桥下垃圾", 0)
    ]
    follow = Client().get(data["items"][0]["url"])
    assert follow.status_code == 200
    assert follow.context["rateable"] is False
    assert PHONE not in follow.content.decode()


def test_nearby_with_garbage_returns_nothing(public: dict[str, Any]) -> None:
    data = Client().get("/public/report/nearby.json", {"category": "x", "lng": "y"}).json()
    assert data == {"items": []}


def test_follow_with_a_forged_token_is_404(citizen_report: Any) -> None:
    citizen_report()
    assert Client().get("/public/follow/1/").status_code == 404


# Privacy and moderation ----------------------------------------------------------------------


def test_reporter_phone_never_appears_on_public_pages_or_api(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    from rest_framework.test import APIClient

    problem = close(citizen_report(phone=PHONE, email="me@example.com"), public)
    services.rate_problem(problem, level="satisfied")
    exposure = services.propose_exposure(problem, title="曝光", by=public["office"])
    services.moderate_exposure(exposure, decision="approve", by=public["office"])
    client = Client()
    pages = [
        "/public/",
        f"/public/report/done/{problem.tracking_code}/",
        f"/public/track/{problem.tracking_code}/",
        "/public/exposure/",
        "/public/stats/",
        "/public/red-black/",
        "/public/surveys/",
    ]
    api = APIClient()
    apis = ["/api/v1/exposures/", "/api/v1/public-categories/"]
    bodies = [client.get(u).content.decode() for u in pages]
    bodies += [api.get(u).content.decode() for u in apis]
    assert [b for b in bodies if PHONE in b or "me@example.com" in b or "138****" in b] == []
    assert all("曝光" in b for b in [bodies[3], bodies[-2]])


def test_only_approved_exposures_are_public(citizen_report: Any, public: dict[str, Any]) -> None:
    shown = services.propose_exposure(citizen_report(), title="已发布", by=public["office"])
    services.moderate_exposure(shown, decision="approve", by=public["office"])
    hidden = services.propose_exposure(
        citizen_report(lng=IN_A[0] + 0.002), title="待审核", by=public["office"]
    )
    page = Client().get("/public/exposure/").content.decode()
    assert ("已发布" in page, "待审核" in page) == (True, False)
    photo = hidden.problem.photos.get()
    url = f"/public/exposure/{hidden.pk}/photos/{photo.pk}/thumb/"
    assert Client().get(url).status_code == 404
    shown_photo = shown.problem.photos.get()
    assert (
        Client().get(f"/public/exposure/{shown.pk}/photos/{shown_photo.pk}/thumb/").status_code
        == 200
    )
    assert Exposure.objects.count() == 2


def test_exposure_list_query_count(
    citizen_report: Any, public: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for i in range(4):
        exposure = services.propose_exposure(
            citizen_report(lng=IN_A[0] + 0.001 * i), title=f"曝光{i}", by=public["office"]
        )
        services.moderate_exposure(exposure, decision="approve", by=public["office"])
    with django_assert_num_queries(2):
        assert Client().get("/public/exposure/").status_code == 200


def test_red_black_page_is_empty_until_published(public: dict[str, Any]) -> None:
    page = Client().get("/public/red-black/")
    assert page.context["lists"] == []
    assert 'id="red-black-empty"' in page.content.decode()


def test_stats_page_shows_this_months_rates(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    from chuangwei.public.selectors import progress_stats

    problem = close(citizen_report(), public)
    services.rate_problem(problem, level="basically", now=problem.closed_at)
    stats = progress_stats(now=problem.closed_at)
    assert (stats.closed_month, stats.on_time_rate, stats.satisfaction_rate) == (1, 100.0, 100.0)
    assert Client().get("/public/stats/").status_code == 200


# Surveys and polls on the page -------------------------------------------------------------


def test_poll_vote_once_per_device_on_the_page(public: dict[str, Any]) -> None:
    poll = services.create_poll(
        title="十大难点", options=["甲", "乙"], status="open", by=public["office"]
    )
    option = poll.options.first()
    client = Client()
    client.get(f"/public/polls/{poll.pk}/")
    first = client.post(
        f"/public/polls/{poll.pk}/", {"options": [option.pk], "started": new_stamp()}
    )
    again = client.post(
        f"/public/polls/{poll.pk}/", {"options": [option.pk], "started": new_stamp()}
    )
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.context["error_code"] == "already_voted"
    assert first.context["ballots"] == 1


def test_survey_on_the_page(public: dict[str, Any]) -> None:
    survey = services.create_survey(
        title="满意度",
        kind="satisfaction",
        status="open",
        questions=[("满意吗", [("满意", True), ("不满意", False)])],
        by=public["office"],
    )
    question = survey.questions.get()
    client = Client()
    incomplete = client.post(
        f"/public/surveys/{survey.pk}/",
        {"district": public["district"].pk, "started": new_stamp()},
    )
    assert (incomplete.status_code, incomplete.context["error_code"]) == (422, "incomplete")
    done = client.post(
        f"/public/surveys/{survey.pk}/",
        {"district": public["district"].pk, f"q{question.pk}": "0", "started": new_stamp()},
    )
    assert done.status_code == 200
    assert survey.responses.get().answers.get().positive is True


def test_draft_survey_and_poll_are_not_public(public: dict[str, Any]) -> None:
    survey = services.create_survey(
        title="草稿",
        kind="awareness",
        questions=[("q", [("a", True), ("b", False)])],
        by=public["office"],
    )
    poll = services.create_poll(title="草稿", options=["a", "b"], by=public["office"])
    client = Client()
    assert client.get(f"/public/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/public/polls/{poll.pk}/").status_code == 404


def test_guessing_tracking_codes_is_limited(public: dict[str, Any], settings: Any) -> None:
    settings.CHUANGWEI_PUBLIC_RATE_LOOKUP = "2/h"
    client = Client()
    statuses = [client.get("/public/track/", {"code": f"GUESS{i}"}).status_code for i in range(3)]
    assert statuses == [404, 404, 429]


def test_track_page_query_count(
    citizen_report: Any, close: Any, public: dict[str, Any], django_assert_num_queries: Any
) -> None:
    problem = close(citizen_report(), public)
    with django_assert_num_queries(6):
        assert Client().get(f"/public/track/{problem.tracking_code}/").status_code == 200


def test_reopened_problem_shows_the_dissatisfied_rating_and_no_form(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    services.rate_problem(problem, level="dissatisfied", comment="没修好")
    page = Client().get(f"/public/track/{problem.tracking_code}/")
    assert (page.context["rating"].level, page.context["can_rate"]) == ("dissatisfied", False)
    assert page.context["stage"].key == "submitted"


def test_my_reports_lists_what_this_phone_sent(
    public: dict[str, Any], django_assert_num_queries: Any
) -> None:
    mine, other = Client(), Client()
    _post(mine, public)
    _post(mine, public, lng=str(IN_A[0] + 0.001), phone="")
    _post(other, public, lng=str(IN_A[0] + 0.002), phone="")
    with django_assert_num_queries(1):
        page = mine.get("/public/track/")
    codes = {item["problem"].tracking_code for item in page.context["mine"]}
    sent = set(
        CitizenReport.objects.filter(device_id=mine.cookies["cw_device"].value).values_list(
            "problem__tracking_code", flat=True
        )
    )
    assert (len(codes), codes) == (2, sent)
    assert "mine" not in Client().get("/public/track/").context


def test_the_map_picker_gets_district_outlines_with_names_only(public: dict[str, Any]) -> None:
    from chuangwei.places.tests.factories import GridFactory

    GridFactory(code="D1", name="甲区", level=1, bounds=(117.30, 34.80, 117.34, 34.82))
    data = Client().get("/public/report/outlines.json").json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"] for f in data["features"]] == [{"name": "甲区"}]
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_the_report_form_names_the_outlines_url(public: dict[str, Any]) -> None:
    page = Client().get("/public/report/").content.decode()
    assert 'data-outlines-url="/public/report/outlines.json"' in page
    assert "js/map.js" in page


# One limit per field, a plausible point --------------------------------------------------


def test_description_of_exactly_the_limit_is_accepted(public: dict[str, Any]) -> None:
    """The citizen page allowed 200 characters, the API 2,000: now every path allows 2,000."""
    response = _post(Client(), public, description="垃" * 2000)
    assert response.status_code == 302
    assert len(Problem.objects.get().description) == 2000


def test_description_one_character_longer_is_refused(public: dict[str, Any]) -> None:
    response = _post(Client(), public, description="垃" * 2001)
    assert (response.status_code, response.context["error_code"]) == (422, "invalid")
    assert "2000" in response.context["error"]
    _nothing_stored()


def test_report_page_tells_the_browser_the_limit(public: dict[str, Any]) -> None:
    page = Client().get("/public/report/").content.decode()
    assert 'maxlength="2000"' in page
    assert "/2000</div>" in page


def test_a_point_far_outside_the_city_is_refused(public: dict[str, Any]) -> None:
    response = _post(Client(), public, lng="2.3522", lat="48.8566")
    assert (response.status_code, response.context["error_code"]) == (422, "outside_city")
    assert "2.3522" in response.context["error"]
    _nothing_stored()
