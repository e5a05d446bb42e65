"""Ledger pages: list, filters, scope, bulk actions, export, map, detail, action views, the
phone report, my tasks, photos, import and the calendar configuration.

Problems are put into a state through the services (``drive``); the pages run on the real
clock, so ``MONDAY_9`` (2026-03-02) lies in their past: anything dispatched then is overdue.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from chuangwei.lib.excel import write_xlsx
from chuangwei.problems import services
from chuangwei.problems.choices import ProblemAction as A
from chuangwei.problems.choices import ProblemStatus as S
from chuangwei.problems.exports import LEDGER_HEADERS, export_ledger
from chuangwei.problems.models import CalendarDay, Problem, ProblemEvent

from .conftest import IN_A, IN_B
from .images import make_jpeg, uploaded
from .test_transitions import drive, snapshot

JPEG = make_jpeg(96, 72, text="view")


def url(name: str, problem: Problem | None = None) -> str:
    return reverse(f"problems:{name}", args=[problem.pk] if problem else [])


def codes(response: Any) -> list[str]:
    return [row["obj"].code for row in response.context["rows"]]


def message_texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# List, filters and scope ---------------------------------------------------------------


def test_list_shows_every_problem_to_the_office(client_as, report):
    made = [report().code for _ in range(3)]
    response = client_as("office").get(url("problem_list"))
    assert response.status_code == 200
    assert sorted(codes(response)) == sorted(made)


def test_list_filters_by_status(client_as, ledger, report):
    dispatched = drive(ledger, report, "dispatched")
    report()
    response = client_as("office").get(url("problem_list"), {"status": "dispatched"})
    assert codes(response) == [dispatched.code]


def test_list_filters_by_several_statuses(client_as, ledger, report):
    dispatched = drive(ledger, report, "dispatched")
    accepted = drive(ledger, report, "accepted")
    report()
    response = client_as("office").get(url("problem_list") + "?status=dispatched&status=accepted")
    assert sorted(codes(response)) == sorted([dispatched.code, accepted.code])


def test_list_filters_overdue(client_as, ledger, report):
    late = drive(ledger, report, "dispatched")  # due on 2026-03-02, long past
    report()
    response = client_as("office").get(url("problem_list"), {"overdue": "true"})
    assert codes(response) == [late.code]


def test_overdue_page_presets_the_overdue_filter(client_as, ledger, report):
    late = drive(ledger, report, "dispatched")
    report()
    assert codes(client_as("office").get(url("problem_overdue"))) == [late.code]


def test_list_unit_filter_covers_the_subtree(client_as, ledger, report):
    in_a = report(point=IN_A)
    report(point=IN_B)
    response = client_as("office").get(url("problem_list"), {"unit": ledger["street_a"].pk})
    assert codes(response) == [in_a.code]


def test_list_unit_filter_matches_the_department(client_as, ledger, report):
    made = report(point=IN_B)
    response = client_as("office").get(url("problem_list"), {"unit": ledger["department"].pk})
    assert codes(response) == [made.code]


def test_list_text_search_finds_exact_code(client_as, report):
    wanted = report()
    report()
    response = client_as("office").get(url("problem_list"), {"q": wanted.code.lower()})
    assert codes(response) == [wanted.code]


@pytest.mark.parametrize("broad_from", [200, 2])
def test_list_code_prefix_finds_the_same_problems_either_way(client_as, report, monkeypatch, broad_from):  # fmt: skip
    from chuangwei.problems import filters

    monkeypatch.setattr(filters, "BROAD_PREFIX", broad_from)  # 2: the list-order path
    made = sorted(report().code for _ in range(3))
    response = client_as("office").get(url("problem_list"), {"q": "wt-2026"})
    assert sorted(codes(response)) == made


def test_broad_code_prefix_is_counted_through_the_code_range(client_as, report, monkeypatch):
    from chuangwei.problems import filters

    monkeypatch.setattr(filters, "BROAD_PREFIX", 2)
    for _ in range(3):
        report()
    client = client_as("office")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("problem_list"), {"q": "WT-2026", "status": "reported"})
    ledger_reads = [q["sql"] for q in captured if 'FROM "problems_problem"' in q["sql"]]
    # Every read of the ledger is bounded: nothing fetches all matches.
    assert all("LIMIT" in sql for sql in ledger_reads), ledger_reads
    rows = response.context["paginator"].object_list
    count_sql = str(rows.count_source.query)
    assert "SUBSTR" not in count_sql.upper() and '"code" >=' in count_sql
    assert "SUBSTR" in str(rows.query).upper()
    assert response.context["paginator"].count == 3


def test_list_reported_date_range_uses_shanghai_days(client_as, report):
    report()  # 2026-03-02 09:00 Shanghai
    client = client_as("office")
    assert len(codes(client.get(url("problem_list"), {"reported_after": "2026-03-02"}))) == 1
    assert codes(client.get(url("problem_list"), {"reported_before": "2026-03-01"})) == []


def test_handler_b_does_not_see_street_a_problem(client_as, report):
    report(point=IN_A)
    in_b = report(point=IN_B)
    assert codes(client_as("handler_b").get(url("problem_list"))) == [in_b.code]


def test_list_shows_red_deadline_badge_for_overdue(client_as, ledger, report):
    drive(ledger, report, "dispatched")
    response = client_as("office").get(url("problem_list"))
    assert response.context["rows"][0]["deadline"]["color"] == "danger"
    assert 'data-light="red"' in response.content.decode()


def test_list_query_count_is_pinned(client_as, ledger, report, django_assert_num_queries):
    drive(ledger, report, "dispatched")
    report()
    report(point=IN_B)
    client = client_as("office")
    client.get(url("problem_list"))
    # session, user, memberships (scope), unread notices, count, one page of rows with their
    # joins, and the four filter selects (units, categories, grids, departments).
    with django_assert_num_queries(
        6, info="session, user, scope, unread, count, page; filter options cached"
    ):
        response = client.get(url("problem_list"))
    assert len(response.context["rows"]) == 3


def test_anonymous_is_sent_to_login(client_as, ledger):
    response = client_as("anonymous").get(url("problem_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Bulk actions --------------------------------------------------------------------------


def test_bulk_dispatch_reports_successes_and_refusals(client_as, ledger, report):
    fresh = report()
    already = drive(ledger, report, "dispatched")
    before = snapshot(already)
    response = client_as("office").post(url("bulk_dispatch"), {"ids": [fresh.pk, already.pk]})
    assert response.status_code == 302
    ok, refused = message_texts(response)
    label = str(A.DISPATCH.label)
    assert ok == gettext("%(action)s: %(count)s succeeded.") % {"action": label, "count": 1}
    assert refused.startswith(
        gettext("%(action)s: %(count)s refused (nothing changed for them): %(details)s")
        % {"action": label, "count": 1, "details": already.code}
    )
    assert Problem.objects.get(pk=fresh.pk).status == S.DISPATCHED
    assert snapshot(already) == before


def test_bulk_remind_writes_one_remind_event_per_problem(client_as, ledger, report):
    problems = [drive(ledger, report, "dispatched") for _ in range(2)]
    client_as("office").post(url("bulk_remind"), {"ids": [p.pk for p in problems]})
    assert ProblemEvent.objects.filter(action="remind").count() == 2


def test_bulk_dispatch_is_for_the_office_only(client_as, report):
    problem = report()
    response = client_as("handler_a").post(url("bulk_dispatch"), {"ids": [problem.pk]})
    assert response.status_code == 403
    assert Problem.objects.get(pk=problem.pk).status == S.REPORTED


# Export and map --------------------------------------------------------------------------


def test_export_returns_xlsx_with_ledger_headers(client_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    response = client_as("office").get(url("problem_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert list(rows[0]) == [str(h) for h in LEDGER_HEADERS]
    assert rows[1][:2] == (1, problem.code)
    assert rows[1][12] == str(S.DISPATCHED.label)
    assert len(rows) == 2


def test_export_ledger_writes_into_a_given_file(ledger, report):
    report()
    report()
    out = export_ledger(Problem.objects.order_by("pk"), io.BytesIO())
    out.seek(0)
    rows = list(load_workbook(out).active.values)
    assert [r[0] for r in rows[1:]] == [1, 2]
    assert len(rows[0]) == 17


def test_map_points_follow_the_filter(client_as, ledger, report):
    dispatched = drive(ledger, report, "dispatched")
    report()
    data = client_as("office").get(url("map_points"), {"status": "dispatched"}).json()
    assert [p[2] for p in data["points"]] == [dispatched.code]
    assert data["truncated"] is False


def test_map_points_without_a_filter_are_every_visible_problem(client_as, ledger, report):
    in_a, in_b = report(), report(point=IN_B)
    office = client_as("office").get(url("map_points")).json()
    handler_b = client_as("handler_b").get(url("map_points")).json()
    assert sorted(p[2] for p in office["points"]) == sorted([in_a.code, in_b.code])
    assert [p[2] for p in handler_b["points"]] == [in_b.code]


def test_map_page_renders(client_as, ledger):
    assert client_as("office").get(url("map")).status_code == 200


# Detail and photos ---------------------------------------------------------------------


def test_detail_is_404_for_an_outsider(client_as, report):
    problem = report(point=IN_A)
    assert client_as("handler_b").get(url("problem_detail", problem)).status_code == 404


def test_detail_timeline_lists_events_newest_first(client_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    response = client_as("office").get(url("problem_detail", problem))
    assert [e["obj"].action for e in response.context["events"]] == ["dispatch", "report"]


def test_detail_offers_only_the_roles_actions(client_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    handler = client_as("handler_a").get(url("problem_detail", problem)).context["actions"]
    office = client_as("office").get(url("problem_detail", problem)).context["actions"]
    assert [a["name"] for a in handler] == [
        "return",
        "request_extension",
        "request_pause",
        "submit",
        "comment",
    ]
    assert [a["name"] for a in office] == ["comment", "remind"]


def test_detail_hides_verification_from_the_submitter(client_as, ledger, report):
    from chuangwei.accounts.choices import Role
    from chuangwei.accounts.models import Membership

    Membership.objects.create(
        user=ledger["handler_a"], unit=ledger["street_a"], role=Role.INSPECTOR
    )
    problem = drive(ledger, report, "submitted")
    names = [
        a["name"]
        for a in client_as("handler_a").get(url("problem_detail", problem)).context["actions"]
    ]
    assert "verify_pass" not in names


def test_photo_original_is_served_only_within_scope(client_as, ledger, report):
    problem = report(uploads=[services.Upload(uploaded(JPEG))])
    photo = problem.photos.get()
    ok = client_as("office").get(reverse("problems:photo", args=[photo.pk, "thumb"]))
    assert (ok.status_code, ok["Content-Type"]) == (200, "image/jpeg")
    denied = client_as("handler_b").get(reverse("problems:photo", args=[photo.pk, "original"]))
    assert denied.status_code == 404


# Action views: allowed persona moves the problem ----------------------------------------

FUTURE = "2099-06-30"
ALLOWED = [
    # action, start state, persona, form data, expected status
    ("confirm_report", "verifying_report", "grid_worker", {}, S.REPORTED),
    ("accept", "reported", "office", {}, S.ACCEPTED),
    ("void", "reported", "office", {"note": "无效"}, S.VOIDED),
    ("dispatch", "reported", "office", {}, S.DISPATCHED),
    ("return", "dispatched", "handler_a", {"note": "非本单位"}, S.ACCEPTED),
    (
        "request_extension",
        "dispatched",
        "handler_a",
        {"note": "需采购", "requested_due_at": FUTURE},
        S.DISPATCHED,
    ),
    ("approve_extension", "extension_pending", "office", {"due_at": FUTURE}, S.DISPATCHED),
    ("reject_extension", "extension_pending", "office", {"note": "不同意"}, S.DISPATCHED),
    ("request_pause", "dispatched", "handler_a", {"note": "施工中"}, S.DISPATCHED),
    ("approve_pause", "pause_pending", "office", {}, S.PAUSED),
    ("reject_pause", "pause_pending", "office", {"note": "不同意"}, S.DISPATCHED),
    ("resume", "paused", "office", {}, S.DISPATCHED),
    ("verify_pass", "submitted", "inspector", {}, S.CLOSED),
    ("verify_fail", "submitted", "inspector", {"note": "仍有垃圾"}, S.DISPATCHED),
    ("reopen", "closed", "office", {"note": "反弹"}, S.DISPATCHED),
    ("comment", "dispatched", "office", {"note": "请尽快"}, S.DISPATCHED),
    ("remind", "dispatched", "office", {}, S.DISPATCHED),
]


@pytest.mark.parametrize(("action", "state", "persona", "data", "target"), ALLOWED)
def test_action_view_moves_the_problem(
    client_as, ledger, report, action, state, persona, data, target
):
    problem = drive(ledger, report, state)
    events = problem.events.count()
    response = client_as(persona).post(url(f"problem_{action}", problem), data)
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == target
    assert problem.events.count() == events + 1
    assert problem.events.order_by("-id").first().action == action


@pytest.mark.parametrize(
    ("action", "state", "persona"),
    [("submit", "dispatched", "handler_a"), ("self_fix", "reported", "grid_worker")],
)
def test_photo_action_view_stores_the_after_photo(
    client_as, ledger, report, action, state, persona
):
    problem = drive(ledger, report, state)
    data = {
        "note": "已清理",
        "photos": [uploaded(JPEG)],
        "client_lng": "117.305",
        "client_lat": "34.805",
    }
    response = client_as(persona).post(url(f"problem_{action}", problem), data)
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == S.SUBMITTED
    after = problem.photos.get(kind="after")
    assert (after.client_lng, after.client_lat) == (117.305, 34.805)


def test_merge_view_merges_into_the_given_code(client_as, ledger, report):
    problem, target = report(), report()
    response = client_as("office").post(url("problem_merge", problem), {"merged_into": target.code})
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).merged_into_id == target.pk


# Action views: refusals change nothing ------------------------------------------------------

REFUSED = [
    # action, start state, persona, form data, expected HTTP status
    ("dispatch", "reported", "grid_worker", {}, 403),
    ("verify_pass", "submitted", "handler_a", {}, 403),
    ("submit", "dispatched", "office", {"note": "x", "photos": []}, 403),
    ("accept", "dispatched", "office", {}, 422),
    ("void", "reported", "office", {}, 422),  # the reason is required
    ("submit", "dispatched", "handler_b", {"note": "x"}, 404),
    ("remind", "dispatched", "grid_worker", {}, 403),
]


@pytest.mark.parametrize(("action", "state", "persona", "data", "status"), REFUSED)
def test_refused_action_changes_nothing(
    client_as, ledger, report, action, state, persona, data, status
):
    problem = drive(ledger, report, state)
    before = snapshot(problem)
    response = client_as(persona).post(url(f"problem_{action}", problem), data)
    assert response.status_code == status
    assert snapshot(problem) == before


def test_submit_without_photo_shows_the_field_error(client_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    response = client_as("handler_a").post(url("problem_submit", problem), {"note": "已清理"})
    assert response.status_code == 422
    form = next(a["form"] for a in response.context["actions"] if a["name"] == "submit")
    assert form.errors["photos"]


def test_action_view_refuses_get(client_as, ledger, report):
    problem = report()
    assert client_as("office").get(url("problem_accept", problem)).status_code == 405


# Phone report --------------------------------------------------------------------------


def report_post(client: Any, ledger: dict[str, Any], **overrides: Any) -> Any:
    data = {
        "category": ledger["category"].pk,
        "lng": IN_A[0],
        "lat": IN_A[1],
        "description": "垃圾满溢",
        "address": "光明路12号",
        "photos": [uploaded(JPEG)],
    }
    data.update(overrides)
    return client.post(url("report"), {k: v for k, v in data.items() if v is not None})


def test_report_page_renders_for_the_phone(client_as, ledger):
    response = client_as("grid_worker").get(url("report"))
    html = response.content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert "mobile.css" in html


def test_report_post_with_photo_creates_a_problem(client_as, ledger):
    response = report_post(client_as("grid_worker"), ledger)
    problem = Problem.objects.get()
    assert response["Location"] == url("report_done", problem)
    assert (problem.source, problem.status, problem.unit) == (
        "grid_patrol",
        S.REPORTED,
        ledger["community_a"],
    )
    assert problem.photos.get().kind == "before"


def test_report_outside_every_grid_says_so_once(client_as, ledger):
    response = report_post(client_as("grid_worker"), ledger, lng=117.40, lat=34.85)
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The location lies outside every grid of the city. Check the point on the map."
        )
    assert response.context["error"] == expected


def test_report_done_page_shows_the_code(client_as, ledger):
    client = client_as("grid_worker")
    report_post(client, ledger)
    problem = Problem.objects.get()
    assert problem.code in client.get(url("report_done", problem)).content.decode()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"lng": None, "lat": None}, "missing_location"),
        ({"lng": 117.40, "lat": 34.85}, "outside_grids"),  # 6 km east of the grids
        ({"lng": 2.3522, "lat": 48.8566}, "outside_city"),  # Paris
        ({"category": 999999}, "unknown_category"),
        ({"description": "长" * 2001}, "invalid"),
        ({"photos": [uploaded(b"\xff" * (30 * 1024 * 1024), "big.jpg")]}, "photo_too_large"),
        ({"photos": [uploaded(b"just text", "note.txt", "text/plain")]}, "photo_not_image"),
    ],
)
def test_bad_report_stores_nothing_and_says_why(client_as, ledger, overrides, code):
    response = report_post(client_as("grid_worker"), ledger, **overrides)
    assert response.status_code == 422
    assert response.context["error_code"] == code
    assert response.context["error"] in response.content.decode()
    assert Problem.objects.count() == 0


def test_nearby_lists_open_problems_of_the_category(client_as, ledger, report):
    existing = report(at=services.timezone.now())
    params = {"category": ledger["category"].pk, "lng": IN_A[0], "lat": IN_A[1]}
    items = client_as("grid_worker").get(url("nearby"), params).json()["items"]
    assert [i["code"] for i in items] == [existing.code]
    assert items[0]["url"] == url("problem_detail", existing)


# My tasks ------------------------------------------------------------------------------


def task_codes(response: Any) -> dict[str, list[str]]:
    return {
        str(s["title"]): [i["obj"].code for i in s["items"]] for s in response.context["sections"]
    }


def test_my_tasks_lists_the_handlers_dispatched_problems(client_as, ledger, report):
    problem = drive(ledger, report, "dispatched")
    drive(ledger, report, "paused")
    assert list(task_codes(client_as("handler_a").get(url("mine"))).values()) == [[problem.code]]


def test_my_tasks_lists_reports_to_confirm_for_the_grid_worker(client_as, ledger, report):
    citizen = drive(ledger, report, "verifying_report")
    sections = task_codes(client_as("grid_worker").get(url("mine")))
    assert list(sections.values())[0] == [citizen.code]


def test_my_tasks_hides_own_submission_from_verifiers(client_as, ledger, report):
    problem = drive(ledger, report, "submitted")
    inspector = task_codes(client_as("inspector").get(url("mine")))
    assert list(inspector.values()) == [[problem.code]]


# Import --------------------------------------------------------------------------------


def sheet(rows: list[list[Any]]) -> Any:
    headers = ["问题描述", "问题类别", "经度", "纬度", "来源", "扣分", "外部编号"]
    with write_xlsx(headers, rows) as out:
        return SimpleUploadedFile("list.xlsx", out.read())


def test_import_creates_problems_from_an_inspection_list(client_as, ledger):
    client = client_as("office")
    rows = [
        ["垃圾满溢", "06010", IN_A[0], IN_A[1], "国家暗访", 0.5, "GJ-1"],
        ["乱堆放", "暴露垃圾", IN_B[0], IN_B[1], "", "", "GJ-2"],
    ]
    checked = client.post(url("problem_import"), {"file": sheet(rows)})
    client.post(url("problem_import"), {"token": checked.context["token"]})
    stored = sorted(Problem.objects.values_list("external_ref", "source", "points_lost"))
    assert [(r, s, float(p)) for r, s, p in stored] == [
        ("GJ-1", "national_covert", 0.5),
        ("GJ-2", "provincial_covert", 0.0),
    ]


def test_import_with_a_point_outside_every_grid_stores_nothing(client_as, ledger):
    rows = [
        ["垃圾满溢", "06010", IN_A[0], IN_A[1], "", "", ""],
        ["乱堆放", "06010", 117.40, 34.85, "", "", ""],  # 6 km east of the grids
    ]
    response = client_as("office").post(url("problem_import"), {"file": sheet(rows)})
    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "位置")]
    assert Problem.objects.count() == 0


def test_import_lists_every_fault_of_a_row(client_as, ledger):
    rows = [["垃圾满溢", "不存在", "东经", IN_A[1], "月球暗访", "很多", ""]]
    response = client_as("office").post(url("problem_import"), {"file": sheet(rows)})
    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["errors"]] == [
        (2, "问题类别"),
        (2, "经度"),
        (2, "来源"),
        (2, "扣分"),
    ]


def test_import_with_a_point_far_outside_the_city_names_the_coordinate(client_as, ledger):
    rows = [["乱堆放", "06010", 2.3522, 48.8566, "", "", ""]]
    response = client_as("office").post(url("problem_import"), {"file": sheet(rows)})
    assert response.status_code == 422
    [error] = response.context["errors"]
    assert (error.row, error.column) == (2, "位置")
    assert "2.3522" in error.message
    assert Problem.objects.count() == 0


def test_import_page_is_for_the_office_only(client_as, ledger):
    assert client_as("handler_a").get(url("problem_import")).status_code == 403


# Calendar days and deadline rules --------------------------------------------------------


def test_office_adds_a_holiday(client_as, ledger):
    response = client_as("office").post(
        url("calendarday_create"), {"date": "2026-10-01", "name": "国庆节"}
    )
    assert response.status_code == 302
    assert list(CalendarDay.objects.values_list("name", "is_workday")) == [("国庆节", False)]


def test_handler_cannot_open_the_calendar(client_as, ledger):
    assert client_as("handler_a").get(url("calendarday_list")).status_code == 403


def test_office_adds_a_deadline_rule(client_as, ledger):
    from chuangwei.problems.models import DeadlineRule

    data = {"category": ledger["category"].pk, "severity": "urgent", "amount": 2, "unit": "hours"}
    assert client_as("office").post(url("deadlinerule_create"), data).status_code == 302
    assert DeadlineRule.objects.get().amount == 2


def test_deadline_rule_of_zero_hours_is_refused(client_as, ledger):
    from chuangwei.problems.models import DeadlineRule

    data = {"category": ledger["category"].pk, "severity": "urgent", "amount": 0, "unit": "hours"}
    response = client_as("office").post(url("deadlinerule_create"), data)
    assert response.context["form"].errors == {"amount": [gettext("Enter a positive number.")]}
    assert DeadlineRule.objects.count() == 0


def test_second_rule_for_every_category_at_one_severity_is_refused(client_as, ledger):
    from chuangwei.problems.models import DeadlineRule

    data = {"category": "", "severity": "urgent", "amount": 2, "unit": "hours"}
    assert client_as("office").post(url("deadlinerule_create"), data).status_code == 302
    response = client_as("office").post(url("deadlinerule_create"), {**data, "amount": 3})
    assert response.context["form"].errors == {
        "severity": [gettext("Edit the existing rule instead.")]
    }
    assert list(DeadlineRule.objects.values_list("amount", flat=True)) == [2]


def _rule(ledger: dict[str, Any]) -> Any:
    from chuangwei.problems.models import DeadlineRule

    return services.save_deadline_rule(
        DeadlineRule(category=ledger["category"], severity="urgent", amount=2, unit="hours"),
        by=ledger["office"],
    )


def test_deadline_rule_names_its_severity_by_label(ledger):
    with translation.override("en"):
        assert str(_rule(ledger)) == "06010 暴露垃圾 Urgent"


def test_deadline_rule_list_has_one_number_column(client_as, ledger):
    _rule(ledger)
    response = client_as("office").get(url("deadlinerule_list"))
    headers = [str(c.label) for c in response.context["columns"]]
    with translation.override("zh-hans"):
        assert headers[0] == translation.gettext("Category")
    assert "pk" not in [c.key for c in response.context["columns"]]


def test_deadline_rule_pages_label_severity_in_chinese(client_as, ledger):
    rule = _rule(ledger)
    client = client_as("office")
    with translation.override("zh-hans"):
        label = translation.gettext("severity")
    for name, args in [
        ("deadlinerule_list", []),
        ("deadlinerule_create", []),
        ("deadlinerule_detail", [rule.pk]),
    ]:
        html = client.get(reverse(f"problems:{name}", args=args)).content.decode()
        assert "Severity" not in html and label in html, name


def test_deadline_rule_severity_filter_label_follows_the_language(client_as, ledger):
    from chuangwei.problems.filters import DeadlineRuleFilter

    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            label = str(DeadlineRuleFilter().form.fields["severity"].label)
            assert label == translation.gettext("Severity")


def test_office_deletes_a_holiday(client_as, ledger):
    day = CalendarDay.objects.create(date="2026-10-01", is_workday=False, name="国庆节")
    response = client_as("office").post(reverse("problems:calendarday_delete", args=[day.pk]))
    assert (response.status_code, CalendarDay.objects.count()) == (302, 0)


def test_dispatch_with_a_year_1_deadline_is_a_form_error_and_changes_nothing(
    client_as, ledger, report
):
    """A year-1 deadline has no UTC value: SQLite failed with OverflowError (a 500)."""
    problem = drive(ledger, report, "accepted")
    before = snapshot(problem)
    response = client_as("office").post(
        url("problem_dispatch", problem),
        {
            "unit": ledger["street_a"].pk,
            "department": ledger["department"].pk,
            "due_at": "0001-01-01T08:00",
        },
    )
    assert response.status_code == 422
    assert "请输入1900-01-01至2999-12-31之间的日期。" in response.content.decode()
    assert snapshot(problem) == before


def test_import_lists_every_row_and_coordinate_outside_the_city(client_as, ledger):
    rows = [
        ["乱堆放", "06010", 2.3522, 48.8566, "", "", ""],  # Paris: both coordinates outside
        ["垃圾满溢", "06010", IN_A[0], IN_A[1], "", "", ""],
        ["占道经营", "06010", 139.6917, IN_A[1], "", "", ""],  # Tokyo's longitude only
    ]
    response = client_as("office").post(url("problem_import"), {"file": sheet(rows)})
    assert response.status_code == 422
    found = [
        (e.row, "2.3522" in e.message, "48.8566" in e.message, "139.6917" in e.message)
        for e in response.context["errors"]
    ]
    assert found == [(2, True, True, False), (4, False, False, True)]
    assert Problem.objects.count() == 0


def test_ledger_status_filter_offers_all_once(client_as, ledger):
    response = client_as("office").get(url("problem_list"))
    choices = list(response.context["filter"].form.fields["status"].widget.choices)
    assert [value for value, _label in choices].count("") == 1


def test_problem_import_page_offers_no_update_choice(client_as, ledger):
    html = client_as("office").get(url("problem_import")).content.decode()
    assert 'name="update_existing"' not in html


def test_site_import_page_offers_the_update_choice(client_as, ledger):
    html = client_as("office").get(reverse("places:site_import")).content.decode()
    assert 'name="update_existing"' in html


def test_problem_import_refuses_a_known_number_even_when_asked_to_update(client_as, ledger):
    client = client_as("office")
    rows = [["垃圾满溢", "06010", IN_A[0], IN_A[1], "", "", "GJ-1"]]
    checked = client.post(url("problem_import"), {"file": sheet(rows)})
    client.post(url("problem_import"), {"token": checked.context["token"]})
    again = client.post(url("problem_import"), {"file": sheet(rows), "update_existing": "on"})
    assert again.status_code == 422
    assert [(e.row, e.column) for e in again.context["errors"]] == [(2, "外部编号")]
    assert Problem.objects.count() == 1
