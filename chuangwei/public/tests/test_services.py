"""Services of the public side: reports, verification, ratings, caps, votes, moderation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.lib import geo
from chuangwei.problems.models import Problem, ProblemEvent
from chuangwei.problems.notify import recipients
from chuangwei.problems.tests.conftest import IN_A, MONDAY_9, SH
from chuangwei.public import services
from chuangwei.public.models import (
    CitizenReport,
    Exposure,
    Poll,
    PollBallot,
    SatisfactionRating,
    SurveyResponse,
)
from chuangwei.public.selectors import poll_results, survey_results

from .conftest import photo

# Reports and verification ------------------------------------------------------------------


def test_citizen_report_is_a_ledger_problem_from_the_public(citizen_report: Any) -> None:
    problem = citizen_report(phone="13812345678", description=" 路边垃圾 ")
    problem.refresh_from_db()
    assert (problem.source, problem.reporter_id, problem.reporter_phone) == (
        "citizen",
        None,
        "13812345678",
    )
    assert problem.description == "路边垃圾"
    assert len(problem.tracking_code) == 10
    assert problem.photos.count() == 1


def test_category_needing_verification_waits_for_a_grid_worker(citizen_report: Any) -> None:
    assert citizen_report().status == "verifying_report"


def test_category_without_verification_goes_straight_to_the_office(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    services.set_category_verification(
        public["public_category"], needs_verification=False, by=public["office"]
    )
    assert citizen_report().status == "reported"


def test_only_the_office_switches_verification(public: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        services.set_category_verification(
            public["public_category"], needs_verification=False, by=public["handler_a"]
        )


def test_grid_worker_confirms_a_citizen_report_through_the_ledger(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    from chuangwei.problems.services import confirm_report

    problem = citizen_report()
    confirm_report(problem, by=public["grid_worker"], now=MONDAY_9)
    problem.refresh_from_db()
    assert problem.status == "reported"


def test_gcj02_point_is_converted_to_wgs84(citizen_report: Any) -> None:
    gcj = (117.311, 34.806)
    problem = citizen_report(lng=gcj[0], lat=gcj[1], crs="gcj02")
    problem.refresh_from_db()
    assert (problem.lng, problem.lat) == pytest.approx(geo.gcj02_to_wgs84(*gcj))
    assert (problem.lng, problem.lat) != pytest.approx(gcj)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"lng": "", "lat": ""}, "missing_location"),
        ({"uploads": []}, "photo_required"),
        ({"uploads": [photo() for _ in range(10)]}, "too_many_photos"),
        ({"phone": "12345"}, "bad_phone"),
        ({"notify": True}, "notify_without_contact"),
        ({"public_category": None}, "unknown_category"),
        ({"lng": 117.40, "lat": 34.85}, "outside_grids"),  # 6 km east of the grids
        ({"lng": 100.0, "lat": 30.0}, "outside_city"),
    ],
)
def test_bad_report_is_refused_and_stores_nothing(
    citizen_report: Any, kwargs: dict[str, Any], code: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        citizen_report(**kwargs)
    assert caught.value.code == code
    assert (Problem.objects.count(), CitizenReport.objects.count()) == (0, 0)


def test_daily_cap_per_phone(citizen_report: Any, settings: Any) -> None:
    settings.CHUANGWEI_PUBLIC_PHONE_DAILY_CAP = 2
    citizen_report(phone="13812345678")
    citizen_report(phone="13812345678", now=MONDAY_9 + timedelta(hours=1))
    with pytest.raises(Conflict) as caught:
        citizen_report(phone="13812345678", now=MONDAY_9 + timedelta(hours=2))
    assert caught.value.code == "phone_daily_cap"
    assert Problem.objects.count() == 2


def test_daily_cap_counts_per_shanghai_day_and_per_phone(
    citizen_report: Any, settings: Any
) -> None:
    settings.CHUANGWEI_PUBLIC_PHONE_DAILY_CAP = 1
    citizen_report(phone="13812345678")
    citizen_report(phone="13900000000")
    citizen_report(phone="13812345678", now=MONDAY_9 + timedelta(days=1))
    assert sorted(CitizenReport.objects.values_list("day", flat=True)) == [
        date(2026, 3, 2),
        date(2026, 3, 2),
        date(2026, 3, 3),
    ]


# Satisfaction ---------------------------------------------------------------------------


def test_satisfied_rating_keeps_the_problem_closed(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    rating = services.rate_problem(problem, level="satisfied", now=MONDAY_9 + timedelta(hours=2))
    problem.refresh_from_db()
    assert (rating.level, problem.status) == ("satisfied", "closed")


def test_dissatisfied_rating_reopens_the_problem_to_the_office(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    services.rate_problem(
        problem, level="dissatisfied", comment="又脏了", now=MONDAY_9 + timedelta(hours=2)
    )
    problem.refresh_from_db()
    event = problem.events.order_by("-created_at", "-id").first()
    assert (problem.status, problem.closed_at) == ("reported", None)
    assert (event.action, event.from_status, event.to_status, event.is_public) == (
        "reopen",
        "closed",
        "reported",
        True,
    )
    assert event.note.endswith("又脏了")
    assert recipients(event) == {public["office"]}


def test_dissatisfied_needs_a_comment(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    with pytest.raises(InvalidInput) as caught:
        services.rate_problem(problem, level="dissatisfied")
    assert caught.value.code == "comment_required"
    problem.refresh_from_db()
    assert (problem.status, SatisfactionRating.objects.count()) == ("closed", 0)


def test_a_problem_is_rated_once(citizen_report: Any, close: Any, public: dict[str, Any]) -> None:
    problem = close(citizen_report(), public)
    services.rate_problem(problem, level="basically")
    with pytest.raises(Conflict) as caught:
        services.rate_problem(problem, level="satisfied")
    assert caught.value.code == "already_rated"
    assert SatisfactionRating.objects.get().level == "basically"


def test_an_open_problem_cannot_be_rated(citizen_report: Any) -> None:
    with pytest.raises(Conflict) as caught:
        services.rate_problem(citizen_report(), level="satisfied")
    assert caught.value.code == "not_closed"


# Status updates ---------------------------------------------------------------------------


def test_opted_in_citizen_gets_an_sms_when_the_stage_changes(
    citizen_report: Any, public: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from chuangwei.notifications.models import OutboxMessage
    from chuangwei.problems.services import confirm_report, dispatch_problem

    problem = citizen_report(phone="13812345678", notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_report(problem, by=public["grid_worker"], now=MONDAY_9)  # still 已提交
        dispatch_problem(problem, by=public["office"], now=MONDAY_9)  # → 处理中
    sms = OutboxMessage.objects.filter(channel="sms")
    assert [(m.address, m.link) for m in sms] == [
        ("13812345678", f"/public/track/{problem.tracking_code}/")
    ]


def test_citizen_without_opt_in_gets_nothing(
    citizen_report: Any, public: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from chuangwei.notifications.models import OutboxMessage
    from chuangwei.problems.services import dispatch_problem

    services.set_category_verification(
        public["public_category"], needs_verification=False, by=public["office"]
    )
    problem = citizen_report(phone="13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_problem(problem, by=public["office"], now=MONDAY_9)
    assert OutboxMessage.objects.filter(address="13812345678").count() == 0


# Exposure moderation --------------------------------------------------------------------


def test_only_approved_exposures_are_published(citizen_report: Any, public: dict[str, Any]) -> None:
    first, second = citizen_report(), citizen_report(lng=IN_A[0] + 0.001)
    shown = services.propose_exposure(first, title="甲", by=public["office"])
    services.propose_exposure(second, title="乙", by=public["office"])
    services.moderate_exposure(shown, decision="approve", by=public["office"])
    assert list(Exposure.objects.published().values_list("title", flat=True)) == ["甲"]
    services.moderate_exposure(shown, decision="withdraw", by=public["office"])
    assert Exposure.objects.published().count() == 0


def test_exposure_needs_the_office(citizen_report: Any, public: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        services.propose_exposure(citizen_report(), title="甲", by=public["leader"])


def test_a_rejected_exposure_cannot_be_approved(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    exposure = services.propose_exposure(citizen_report(), title="甲", by=public["office"])
    services.moderate_exposure(exposure, decision="reject", by=public["office"])
    with pytest.raises(Conflict):
        services.moderate_exposure(exposure, decision="approve", by=public["office"])


def test_one_live_exposure_per_problem(citizen_report: Any, public: dict[str, Any]) -> None:
    problem = citizen_report()
    services.propose_exposure(problem, title="甲", by=public["office"])
    with pytest.raises(Conflict) as caught:
        services.propose_exposure(problem, title="乙", by=public["office"])
    assert caught.value.code == "already_exposed"


# Polls ----------------------------------------------------------------------------------------


@pytest.fixture
def poll(public: dict[str, Any]) -> Any:
    return services.create_poll(
        title="十大难点",
        options=["甲", "乙", "丙"],
        max_choices=2,
        status="open",
        by=public["office"],
    )


def test_one_ballot_per_device(poll: Any) -> None:
    a, b, c = poll.options.all()
    services.cast_ballot(poll, option_ids=[a.pk], device_id="d1")
    with pytest.raises(Conflict) as caught:
        services.cast_ballot(poll, option_ids=[b.pk], device_id="d1")
    assert caught.value.code == "already_voted"
    assert PollBallot.objects.count() == 1


def test_one_ballot_per_phone_across_devices(poll: Any) -> None:
    a, b, c = poll.options.all()
    services.cast_ballot(poll, option_ids=[a.pk], device_id="d1", phone="13812345678")
    with pytest.raises(Conflict):
        services.cast_ballot(poll, option_ids=[b.pk], device_id="d2", phone="13812345678")
    services.cast_ballot(poll, option_ids=[b.pk, c.pk], device_id="d3")
    ballots, results = poll_results(poll)
    assert ballots == 2
    assert [(r.option.label, r.votes, r.share) for r in results] == [
        ("甲", 1, 50.0),
        ("乙", 1, 50.0),
        ("丙", 1, 50.0),
    ]


@pytest.mark.parametrize(
    ("pick", "code"), [([], "no_choice"), ([0, 1, 2], "too_many_choices"), ([99], "no_choice")]
)
def test_bad_ballots_are_refused(poll: Any, pick: list[int], code: str) -> None:
    options = list(poll.options.all())
    ids = [options[i].pk if i < 3 else 999999 for i in pick]
    with pytest.raises(InvalidInput) as caught:
        services.cast_ballot(poll, option_ids=ids, device_id="d1")
    assert caught.value.code == code
    assert PollBallot.objects.count() == 0


def test_closed_poll_takes_no_votes(poll: Any, public: dict[str, Any]) -> None:
    services.set_publication_status(poll, status="closed", by=public["office"])
    with pytest.raises(Conflict):
        services.cast_ballot(poll, option_ids=[poll.options.first().pk], device_id="d1")


# Surveys --------------------------------------------------------------------------------------


@pytest.fixture
def survey(public: dict[str, Any]) -> Any:
    return services.create_survey(
        title="满意度",
        kind="satisfaction",
        status="open",
        questions=[
            ("环境满意吗", [("满意", True), ("基本满意", True), ("不满意", False)]),
            ("知道创卫吗", [("知道", True), ("不知道", False)]),
        ],
        by=public["office"],
    )


def _answer(survey: Any, district: Any, choices: tuple[int, int], device: str, at: Any) -> None:
    q1, q2 = survey.questions.all()
    services.submit_survey(
        survey,
        district_id=district.pk,
        answers={q1.pk: choices[0], q2.pk: choices[1]},
        device_id=device,
        now=at,
    )


def test_survey_results_by_district_and_period(survey: Any, public: dict[str, Any]) -> None:
    from chuangwei.org.services import create_org_unit

    jia = public["district"]
    yi = create_org_unit(code="370403", name="乙区", kind="district", parent=public["city"])
    march = MONDAY_9
    april = MONDAY_9 + timedelta(days=40)
    _answer(survey, jia, (0, 0), "a", march)  # 2 positive of 2
    _answer(survey, jia, (2, 1), "b", march)  # 0 of 2
    _answer(survey, jia, (1, 0), "c", march)  # 2 of 2
    _answer(survey, yi, (2, 0), "d", march)  # 1 of 2
    _answer(survey, yi, (0, 0), "e", april)  # 2 of 2, outside March
    q1, q2 = survey.questions.all()

    march_only = survey_results(survey, start=date(2026, 3, 1), end=date(2026, 3, 31))
    rows = {r.district: (r.responses, r.positive, r.answers, r.rate) for r in march_only.rows}
    assert rows == {"甲区": (3, 4, 6, 66.7), "乙区": (1, 1, 2, 50.0)}
    jia_row = next(r for r in march_only.rows if r.district == "甲区")
    assert jia_row.by_question == {q1.pk: (2, 3, 66.7), q2.pk: (2, 3, 66.7)}
    assert (march_only.total.responses, march_only.total.positive, march_only.total.rate) == (
        4,
        5,
        62.5,
    )
    everything = survey_results(survey)
    assert (everything.total.responses, everything.total.positive, everything.total.rate) == (
        5,
        7,
        70.0,
    )


def test_survey_period_uses_shanghai_days(survey: Any, public: dict[str, Any]) -> None:
    from datetime import datetime

    late = datetime(2026, 3, 31, 23, 30, tzinfo=SH)  # 15:30 UTC, still March in Shanghai
    _answer(survey, public["district"], (0, 0), "a", late)
    march = survey_results(survey, start=date(2026, 3, 1), end=date(2026, 3, 31))
    april = survey_results(survey, start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert (march.total.responses, april.total.responses) == (1, 0)


def test_one_survey_response_per_device(survey: Any, public: dict[str, Any]) -> None:
    _answer(survey, public["district"], (0, 0), "a", MONDAY_9)
    with pytest.raises(Conflict):
        _answer(survey, public["district"], (1, 1), "a", MONDAY_9)
    assert SurveyResponse.objects.count() == 1


def test_incomplete_survey_is_refused(survey: Any, public: dict[str, Any]) -> None:
    q1, _q2 = survey.questions.all()
    with pytest.raises(InvalidInput) as caught:
        services.submit_survey(
            survey, district_id=public["district"].pk, answers={q1.pk: 0}, device_id="a"
        )
    assert sorted(caught.value.fields) == [f"q{_q2.pk}"]
    assert SurveyResponse.objects.count() == 0


def test_reopen_event_row_count(citizen_report: Any, close: Any, public: dict[str, Any]) -> None:
    problem = close(citizen_report(), public)
    before = ProblemEvent.objects.filter(problem=problem).count()
    services.rate_problem(problem, level="dissatisfied", comment="x")
    assert ProblemEvent.objects.filter(problem=problem).count() == before + 1


def test_a_reopened_problem_can_be_rated_again_after_it_closes_again(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    services.rate_problem(problem, level="dissatisfied", comment="没修好")
    close(problem, public, at=MONDAY_9 + timedelta(days=1))
    services.rate_problem(problem, level="satisfied")
    assert list(problem.satisfaction_ratings.order_by("id").values_list("level", flat=True)) == [
        "dissatisfied",
        "satisfied",
    ]


# Nothing the office types is cut short: a text longer than its column is refused, named.


def test_exposure_title_longer_than_its_column_is_refused(
    citizen_report: Any, public: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.propose_exposure(citizen_report(), title="标" * 101, by=public["office"])
    assert (refused.value.code, list(refused.value.fields)) == ("too_long", ["title"])
    assert Exposure.objects.count() == 0


def test_moderation_note_longer_than_its_column_is_refused(
    citizen_report: Any, public: dict[str, Any]
) -> None:

    exposure = services.propose_exposure(citizen_report(), title="甲", by=public["office"])
    with pytest.raises(InvalidInput) as refused:
        services.moderate_exposure(
            exposure, decision="reject", note="理" * 201, by=public["office"]
        )
    assert (refused.value.code, list(refused.value.fields)) == ("too_long", ["note"])
    exposure.refresh_from_db()
    assert (exposure.status, exposure.moderation_note) == ("pending", "")


def test_poll_option_longer_than_its_column_is_refused(public: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.create_poll(title="十大难点", options=["甲", "乙" * 101], by=public["office"])
    assert list(refused.value.fields) == ["options"]
    assert Poll.objects.count() == 0


def test_poll_title_longer_than_its_column_is_refused(public: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.create_poll(title="题" * 101, options=["甲", "乙"], by=public["office"])
    assert list(refused.value.fields) == ["title"]
    assert Poll.objects.count() == 0
