"""/api/v1/problems/: the authorisation matrix of every endpoint and action, scope, query
counts and bad input.

Matrix rule: the listed personas get 200 (201 for a report), anonymous gets 401,
``handler_b`` (乙街道) cannot see street A's problem and gets 404, every other persona gets
403; whenever the answer is not a success the problem is unchanged (status, version,
events, requests).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangwei.accounts.models import User
from chuangwei.lib import geo
from chuangwei.problems import services, workflow
from chuangwei.problems.models import CalendarDay, Problem, ProblemPhoto

from .conftest import IN_A, IN_B
from .images import make_jpeg, uploaded
from .test_transitions import drive, snapshot

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
JPEG = make_jpeg(96, 72, text="api")
OFFICE = {"admin", "office"}
VERIFIERS = {"admin", "office", "grid_worker", "inspector"}
ALL_SEEING = {"admin", "office", "handler_a", "grid_worker", "inspector", "leader", "supervisor"}


def files() -> list[SimpleUploadedFile]:
    return [uploaded(JPEG)]


def later(days: int = 30) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


# action URL → (state the problem is driven to, payload, personas allowed, multipart)
ACTIONS: dict[str, tuple[str, Any, set[str], bool]] = {
    "confirm-report": ("verifying_report", {}, OFFICE | {"grid_worker"}, False),
    "accept": ("reported", {"note": "立案"}, OFFICE, False),
    "void": ("reported", {"note": "无效"}, OFFICE | {"grid_worker"}, False),
    "merge": ("reported", lambda w: {"into": w["report"](at=timezone.now()).code}, OFFICE, False),
    "dispatch": ("accepted", {}, OFFICE, False),
    "return": ("dispatched", {"note": "派错了"}, {"handler_a"}, False),
    "request-extension": (
        "dispatched",
        lambda w: {"requested_due_at": later(), "note": "材料未到"},
        {"handler_a"},
        False,
    ),
    "approve-extension": ("extension_pending", {}, OFFICE, False),
    "reject-extension": ("extension_pending", {"note": "不同意"}, OFFICE, False),
    "request-pause": ("dispatched", {"note": "需施工"}, {"handler_a"}, False),
    "approve-pause": ("pause_pending", {}, OFFICE, False),
    "reject-pause": ("pause_pending", {"note": "不同意"}, OFFICE, False),
    "resume": ("paused", {}, OFFICE, False),
    "submit": ("dispatched", lambda w: {"note": "已清理", "photos": files()}, {"handler_a"}, True),
    "self-fix": (
        "reported",
        lambda w: {"photos": files()},
        {"admin", "office", "grid_worker", "inspector"},
        True,
    ),
    "verify-pass": ("submitted", lambda w: {"photos": files()}, VERIFIERS, True),
    "verify-fail": ("submitted", {"note": "仍有垃圾"}, VERIFIERS, True),
    "reopen": ("closed", {"note": "反弹"}, OFFICE, False),
    "comment": ("dispatched", {"note": "请尽快"}, ALL_SEEING, False),
    "remind": ("dispatched", {}, OFFICE | {"leader"}, False),
}
MATRIX = [(action, persona) for action in ACTIONS for persona in PERSONAS]


def expected(persona: str, allowed: set[str], ok: int = 200) -> int:
    if persona in allowed:
        return ok
    return {"anonymous": 401, "handler_b": 404}.get(persona, 403)


@pytest.fixture
def who(ledger: dict[str, Any], report: Any) -> dict[str, Any]:
    return {**ledger, "report": report}


def problem_in(who: dict[str, Any], report: Any, state: str) -> Problem:
    return drive(who, report, state, at=timezone.now())


def payload_for(spec: Any, who: dict[str, Any]) -> dict[str, Any]:
    return spec(who) if callable(spec) else dict(spec)


def post(
    api_as: Any, persona: str, problem: Problem, action: str, data: dict[str, Any], multipart: bool
) -> Any:
    url = f"/api/v1/problems/{problem.pk}/{action}/"
    return api_as(persona).post(url, data, format="multipart" if multipart else "json")


def test_matrix_covers_every_workflow_action():
    assert {a.replace("-", "_") for a in ACTIONS} == set(workflow.STEPS)
    # 20 actions, plus report, list and retrieve, over 9 personas.
    assert len(MATRIX) + 3 * len(PERSONAS) == 207


@pytest.mark.parametrize(("action", "persona"), MATRIX)
def test_action_matrix(api_as, who, report, action, persona):
    state, spec, allowed, multipart = ACTIONS[action]
    problem = problem_in(who, report, state)
    data = payload_for(spec, who)
    before = snapshot(problem)
    response = post(api_as, persona, problem, action, data, multipart)
    assert response.status_code == expected(persona, allowed), response.content
    after = snapshot(problem)
    if response.status_code == 200:
        assert response.json()["status"] == after[0]
        assert after[2] == before[2] + 1
    else:
        assert after == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_matrix(api_as, ledger, persona):
    body = {
        "category": ledger["category"].pk,
        "lng": IN_A[0],
        "lat": IN_A[1],
        "source": "grid_patrol",
    }
    response = api_as(persona).post("/api/v1/problems/", body, format="json")
    assert response.status_code == (401 if persona == "anonymous" else 201)
    assert Problem.objects.count() == (0 if persona == "anonymous" else 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_retrieve_matrix(api_as, who, report, persona):
    problem = problem_in(who, report, "dispatched")
    response = api_as(persona).get(f"/api/v1/problems/{problem.pk}/")
    assert response.status_code == expected(persona, ALL_SEEING)


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_matrix(api_as, ledger, persona):
    assert api_as(persona).get("/api/v1/problems/").status_code == (
        401 if persona == "anonymous" else 200
    )


# Scope and output --------------------------------------------------------------------------


@pytest.fixture
def three(report: Any) -> list[Problem]:
    """Two problems in street A, one in street B, all reported by the office."""
    now = timezone.now()
    return [
        report(at=now, by="office"),
        report(at=now, by="office"),
        report(at=now, point=IN_B, by="office"),
    ]


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("admin", 3),
        ("office", 3),
        ("inspector", 3),
        ("leader", 3),
        ("handler_a", 2),
        ("grid_worker", 2),
        ("supervisor", 2),
        ("handler_b", 1),
    ],
)
def test_list_is_scoped(api_as, three, persona, count):
    assert api_as(persona).get("/api/v1/problems/").json()["count"] == count


def test_reporter_sees_own_problem_outside_scope(api_as, report):
    report(at=timezone.now(), point=IN_B, by="grid_worker")
    assert api_as("grid_worker").get("/api/v1/problems/").json()["count"] == 1


def test_list_query_count_is_fixed(api_as, ledger, three, django_assert_num_queries):
    for problem in three:
        services.dispatch_problem(problem, by=ledger["office"])
    services.attach_photos(three[0], [services.Upload(uploaded(JPEG))], by=ledger["office"])
    client = api_as("anonymous")
    client.force_authenticate(User.objects.get(username="handler_a"))
    # scope, the scope's unit ids, count, page, photos (the calendar is cached by
    # deadlines.calendar)
    with django_assert_num_queries(5):
        response = client.get("/api/v1/problems/")
    rows = response.json()["results"]
    assert [r["light"] for r in rows] == ["green", "green"]
    assert len(rows[-1]["photos"]) == 1


def test_list_row_shape(api_as, three):
    row = api_as("office").get("/api/v1/problems/").json()["results"][0]
    assert row["category"] == {"id": three[2].category_id, "code": "06010", "name": "暴露垃圾"}
    assert row["unit"]["name"] == "乙一社区"
    assert row["grid"]["code"] == "GB"
    assert (row["status"], row["light"], row["photos"]) == ("reported", "", [])


def test_list_filters_by_unit_subtree_and_status(api_as, ledger, three):
    street_b = ledger["street_b"].pk
    assert api_as("office").get(f"/api/v1/problems/?unit={street_b}").json()["count"] == 1
    assert api_as("office").get("/api/v1/problems/?status=dispatched").json()["count"] == 0


def test_list_filters_overdue(api_as, ledger, report):
    past = timezone.now() - timedelta(days=10)
    late = report(at=past, by="office")
    services.dispatch_problem(late, by=ledger["office"], now=past)
    report(at=timezone.now(), by="office")
    response = api_as("office").get("/api/v1/problems/?overdue=true").json()
    assert [(r["code"], r["light"]) for r in response["results"]] == [(late.code, "red")]


def test_detail_has_timeline_photos_and_actions(api_as, who, report):
    problem = problem_in(who, report, "submitted")
    body = api_as("inspector").get(f"/api/v1/problems/{problem.pk}/").json()
    assert [e["action"] for e in body["events"]] == ["report", "dispatch", "submit"]
    assert [p["kind"] for p in body["photos"]] == ["after"]
    assert body["available_actions"] == ["verify_pass", "verify_fail", "comment"]


def test_available_actions_follow_row_rules(api_as, who, report):
    problem = problem_in(who, report, "extension_pending")
    url = f"/api/v1/problems/{problem.pk}/"
    actions = api_as("handler_a").get(url).json()["available_actions"]
    assert sorted(actions) == ["comment", "request_pause", "return", "submit"]
    office = api_as("office").get(url).json()["available_actions"]
    assert "approve_extension" in office and "approve_pause" not in office


def test_submitter_does_not_see_verify_actions(api_as, who, report):
    problem = problem_in(who, report, "reported")
    api_as("grid_worker").post(
        f"/api/v1/problems/{problem.pk}/self-fix/", {"photos": files()}, format="multipart"
    )
    actions = (
        api_as("grid_worker").get(f"/api/v1/problems/{problem.pk}/").json()["available_actions"]
    )
    assert actions == ["comment"]


# Reporting and bad input ---------------------------------------------------------------


def report_body(ledger: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "category": ledger["category"].pk,
        "lng": IN_A[0],
        "lat": IN_A[1],
        "source": "grid_patrol",
        "description": "垃圾堆",
        **changes,
    }


def stored_files(settings: Any) -> list[Any]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_report_with_photos_stores_before_photos(api_as, ledger):
    body = report_body(
        ledger, photos=[uploaded(JPEG), uploaded(JPEG)], client_lng=117.3051, client_lat=34.8051
    )
    response = api_as("grid_worker").post("/api/v1/problems/", body, format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["unit"]["name"]) == ("reported", "甲一社区")
    assert [p["kind"] for p in data["photos"]] == ["before", "before"]
    assert ProblemPhoto.objects.filter(client_lng=117.3051).count() == 2


@pytest.mark.parametrize(
    ("persona", "source", "status"),
    [("grid_worker", "grid_patrol", "reported"), ("supervisor", "supervisor", "verifying_report")],
)
def test_report_source_defaults_to_the_role(api_as, ledger, persona, source, status):
    body = {k: v for k, v in report_body(ledger).items() if k != "source"}
    data = api_as(persona).post("/api/v1/problems/", body, format="json").json()
    assert (data["source"], data["status"]) == (source, status)


def test_report_converts_gcj02_to_wgs84(api_as, ledger):
    gcj = geo.wgs84_to_gcj02(*IN_A)
    response = api_as("grid_worker").post(
        "/api/v1/problems/", report_body(ledger, lng=gcj[0], lat=gcj[1], crs="gcj02"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["lng"] == pytest.approx(IN_A[0], abs=1e-5)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"lng": None, "lat": None}, "missing_location"),
        ({"lng": 117.40, "lat": 34.85}, "outside_grids"),  # 6 km east of the grids
        ({"lng": 2.3522, "lat": 48.8566}, "outside_city"),  # Paris
        ({"lng": 250, "lat": 35.5}, "invalid_coordinates"),
        ({"category": 999999}, "unknown_category"),
    ],
)
def test_bad_report_gets_error_code_and_stores_nothing(api_as, ledger, changes, code):
    response = api_as("grid_worker").post(
        "/api/v1/problems/", report_body(ledger, **changes), format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert Problem.objects.count() == 0


def test_report_with_inactive_category_is_refused(api_as, ledger):
    ledger["category"].is_active = False
    ledger["category"].save()
    response = api_as("grid_worker").post("/api/v1/problems/", report_body(ledger), format="json")
    assert response.json()["error"]["code"] == "unknown_category"


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (
            lambda: SimpleUploadedFile("x.jpg", b"\0" * (30 * 1024 * 1024), "image/jpeg"),
            "photo_too_large",
        ),
        (lambda: uploaded(b"%PDF-1.4 not a photo", name="x.jpg"), "photo_not_image"),
    ],
)
def test_bad_photo_on_report_stores_nothing(api_as, ledger, settings, upload, code):
    body = report_body(ledger, photos=[uploaded(JPEG), upload()])
    response = api_as("grid_worker").post("/api/v1/problems/", body, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert (Problem.objects.count(), stored_files(settings)) == (0, [])


def test_bad_photo_on_submit_changes_nothing(api_as, who, report, settings):
    problem = problem_in(who, report, "dispatched")
    before = snapshot(problem)
    body = {"note": "已清理", "photos": [uploaded(b"not an image", name="x.jpg")]}
    response = post(api_as, "handler_a", problem, "submit", body, True)
    assert response.json()["error"]["code"] == "photo_not_image"
    assert (snapshot(problem), stored_files(settings)) == (before, [])


def test_submit_without_photos_is_invalid(api_as, who, report):
    problem = problem_in(who, report, "dispatched")
    before = snapshot(problem)
    response = post(api_as, "handler_a", problem, "submit", {"note": "已清理"}, True)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["photos"]
    assert snapshot(problem) == before


def test_void_without_reason_is_invalid(api_as, who, report):
    problem = problem_in(who, report, "reported")
    response = post(api_as, "office", problem, "void", {}, False)
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["note"])


def test_impossible_transition_is_409_and_changes_nothing(api_as, who, report):
    problem = problem_in(who, report, "reported")
    before = snapshot(problem)
    response = post(api_as, "office", problem, "resume", {}, False)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert snapshot(problem) == before


def test_forbidden_action_names_its_code(api_as, who, report):
    problem = problem_in(who, report, "reported")
    response = post(api_as, "handler_a", problem, "accept", {}, False)
    assert response.json()["error"]["code"] == "action_forbidden"


def test_verification_by_submitter_is_refused(api_as, who, report):
    problem = problem_in(who, report, "reported")
    post(api_as, "grid_worker", problem, "self-fix", {"photos": files()}, True)
    before = snapshot(problem)
    response = post(api_as, "grid_worker", problem, "verify-pass", {}, True)
    assert (response.status_code, response.json()["error"]["code"]) == (
        403,
        "verifier_is_submitter",
    )
    assert snapshot(problem) == before


def test_merge_by_id_links_the_duplicate(api_as, who, report):
    problem = problem_in(who, report, "reported")
    target = report(at=timezone.now())
    response = post(api_as, "office", problem, "merge", {"into": str(target.pk)}, False)
    assert (response.json()["status"], response.json()["merged_into"]) == ("merged", target.pk)


def test_merge_into_unknown_problem_is_invalid(api_as, who, report):
    problem = problem_in(who, report, "reported")
    before = snapshot(problem)
    response = post(api_as, "office", problem, "merge", {"into": "WT-2026-999999"}, False)
    assert response.json()["error"]["code"] == "bad_merge_target"
    assert snapshot(problem) == before


def test_dispatch_to_another_unit_with_deadline(api_as, who, report, ledger):
    problem = problem_in(who, report, "accepted")
    due = timezone.now() + timedelta(days=3)
    body = {"unit": ledger["street_b"].pk, "due_at": due.isoformat()}
    data = post(api_as, "office", problem, "dispatch", body, False).json()
    assert (data["status"], data["unit"]["name"]) == ("dispatched", "乙街道")
    assert data["due_at"] == timezone.localtime(due).isoformat()


def test_request_extension_then_approve_moves_deadline(api_as, who, report):
    problem = problem_in(who, report, "dispatched")
    wanted = later(10)
    post(
        api_as,
        "handler_a",
        problem,
        "request-extension",
        {"requested_due_at": wanted, "note": "等材料"},
        False,
    )
    data = post(api_as, "office", problem, "approve-extension", {}, False).json()
    due = datetime.fromisoformat(data["due_at"])
    assert (due, data["extension_count"]) == (datetime.fromisoformat(wanted), 1)


# Events and calendar ------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_event_feed_is_scoped(api_as, three, persona):
    response = api_as(persona).get("/api/v1/problem-events/")
    if persona == "anonymous":
        assert response.status_code == 401
        return
    counts = {"handler_a": 2, "grid_worker": 2, "supervisor": 2, "handler_b": 1}
    assert response.json()["count"] == counts.get(persona, 3)


@pytest.mark.parametrize("persona", PERSONAS)
def test_calendar_is_readable_and_read_only(api_as, ledger, persona):
    CalendarDay.objects.create(date=date(2026, 10, 1), is_workday=False, name="国庆")
    client = api_as(persona)
    expected_read = 401 if persona == "anonymous" else 200
    assert client.get("/api/v1/calendar-days/").status_code == expected_read
    assert client.get("/api/v1/deadline-rules/").status_code == expected_read
    body = {"date": "2026-10-02", "is_workday": False, "name": "国庆"}
    write = client.post("/api/v1/calendar-days/", body, format="json").status_code
    assert write == (401 if persona == "anonymous" else 405)
    assert CalendarDay.objects.count() == 1
