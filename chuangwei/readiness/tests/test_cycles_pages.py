"""The cycle pages and API per persona, and problems without coordinates on the ledger's pages,
the dashboard and Open311."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from chuangwei.problems import services as problem_services
from chuangwei.problems.models import Problem
from chuangwei.problems.tests.conftest import report  # noqa: F401 - fixture
from chuangwei.readiness.models import EvaluationCycle, RecheckResult, StageProblem
from chuangwei.readiness.services import cycles

from .test_cycles import MONDAY_9, cycle, ledger, run, workbook  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
READERS = ["admin", "office", "handler_a", "grid_worker", "inspector", "leader", "supervisor"]
NOT_OFFICE = ["handler_a", "grid_worker", "inspector", "leader", "supervisor"]
NOT_RECHECKERS = ["handler_a", "grid_worker", "leader", "supervisor"]


@pytest.fixture
def listed(cycle: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Items 1 and 2 of 甲街道 and 乙街道, without coordinates, and a round."""
    run(
        cycle["stage"],
        cycle["office"],
        workbook(
            ["1", "门前三包未落实", "甲街道", "", "（八）", "暴露垃圾", "", "", ""],
            ["2", "垃圾桶满溢", "乙街道", "", "", "暴露垃圾", "", "", ""],
        ),
    )
    round = cycles.create_recheck_round(
        cycle["stage"], by=cycle["office"], held_on=date(2026, 3, 10)
    )
    items = {i.item_no: i for i in StageProblem.objects.select_related("problem")}
    return {**cycle, "round": round, "items": items}


def page_urls(w: dict[str, Any]) -> list[str]:
    return [
        reverse("readiness:cycle_list"),
        reverse("readiness:cycle_detail", args=[w["cycle"].pk]),
        reverse("readiness:stage_detail", args=[w["stage"].pk]),
        reverse("readiness:recheck_detail", args=[w["round"].pk]),
        reverse("readiness:recheck_export", args=[w["round"].pk]),
    ]


# Reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_every_signed_in_persona_reads_the_cycle_pages(listed, client_as, persona):
    client = client_as(persona)
    assert [client.get(url).status_code for url in page_urls(listed)] == [200] * 5


def test_anonymous_is_sent_to_the_login(listed, client_as):
    client = client_as("anonymous")
    assert {client.get(url).status_code for url in page_urls(listed)} == {302}


@pytest.mark.parametrize(
    ("persona", "items"),
    [("office", ["1", "2"]), ("handler_a", ["1"]), ("handler_b", ["2"]), ("leader", ["1", "2"])],
)
def test_a_stage_shows_the_items_each_persona_may_see(listed, client_as, persona, items):
    response = client_as(persona).get(reverse("readiness:stage_detail", args=[listed["stage"].pk]))
    assert [i.item_no for i in response.context["items"]] == items


def test_an_item_without_coordinates_says_so_on_the_stage_page(listed, client_as):
    response = client_as("office").get(reverse("readiness:stage_detail", args=[listed["stage"].pk]))
    assert response.content.decode().count("data-no-point") == 2


def test_the_stage_page_runs_a_fixed_number_of_queries(
    cycle,  # noqa: F811
    client_as,
    django_assert_num_queries,
):
    client = client_as("office")
    url = reverse("readiness:stage_detail", args=[cycle["stage"].pk])
    for count in (3, 6):
        rows = [
            [str(n), f"问题{n}", "甲街道", "", "", "暴露垃圾", "", "", ""] for n in range(count)
        ]
        run(cycle["stage"], cycle["office"], workbook(*rows))
        client.get(url)
        with django_assert_num_queries(8):
            response = client.get(url)
        assert len(response.context["items"]) == count
        StageProblem.objects.all().delete()


def test_the_walk_runs_a_fixed_number_of_queries(listed, client_as, django_assert_num_queries):
    client = client_as("inspector")
    url = reverse("readiness:recheck_walk", args=[listed["round"].pk])
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["items"]) == 2


# Writing through the pages ------------------------------------------------------------------


def test_the_office_creates_a_cycle_with_an_edited_stage_date(cycle, client_as):  # noqa: F811
    response = client_as("office").post(
        reverse("readiness:cycle_create"),
        {"kind": "create", "name": "2028年创建", "start_year": 2028, "end_year": 2030,
         "standard_version": cycle["version"].pk, "stage_covert": "2029-05-20"},
    )  # fmt: skip
    made = EvaluationCycle.objects.get(name="2028年创建")
    assert response.status_code == 302
    assert made.stages.count() == 9
    assert made.stages.get(kind="covert").due_on == date(2029, 5, 20)
    assert made.stages.get(kind="apply").due_on == date(2028, 3, 31)


def test_a_faulty_cycle_is_shown_again_with_what_was_typed(cycle, client_as):  # noqa: F811
    response = client_as("office").post(
        reverse("readiness:cycle_create"),
        {"kind": "create", "name": "保留的名称", "start_year": 2030, "end_year": 2028,
         "standard_version": cycle["version"].pk},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.context["form"]["name"].value() == "保留的名称"
    assert list(response.context["form"].errors) == ["end_year"]
    assert EvaluationCycle.objects.count() == 1


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_changes_cycles_and_stages(listed, client_as, persona):
    client = client_as(persona)
    stage = listed["stage"].pk
    codes = [
        client.get(reverse("readiness:cycle_create")).status_code,
        client.get(reverse("readiness:cycle_edit", args=[listed["cycle"].pk])).status_code,
        client.get(reverse("readiness:stage_create", args=[listed["cycle"].pk])).status_code,
        client.get(reverse("readiness:stage_edit", args=[stage])).status_code,
        client.post(reverse("readiness:stage_start", args=[stage])).status_code,
        client.post(reverse("readiness:stage_complete", args=[stage])).status_code,
        client.get(reverse("readiness:stage_import", args=[stage])).status_code,
        client.post(reverse("readiness:recheck_create", args=[stage]), {"held_on": "2026-03-11"}).status_code,
    ]  # fmt: skip
    assert codes == [403] * 8
    listed["stage"].refresh_from_db()
    assert listed["stage"].status == "planned"


def test_the_office_starts_and_completes_a_stage(listed, client_as):
    client = client_as("office")
    stage = listed["stage"]
    client.post(reverse("readiness:stage_start", args=[stage.pk]))
    stage.refresh_from_db()
    assert stage.status == "active"
    client.post(reverse("readiness:stage_complete", args=[stage.pk]))
    stage.refresh_from_db()
    # The standard of the fixture has no indicators: the snapshot holds an empty list.
    assert (stage.status, stage.indicator_snapshot) == (
        "done",
        {"year": stage.due_on.year, "indicators": []},
    )


def test_the_import_page_offers_the_template(listed, client_as):
    response = client_as("office").get(
        reverse("readiness:stage_import", args=[listed["stage"].pk]), {"template": 1}
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]][:3] == ["序号*", "问题描述*", "责任单位"]


def test_the_import_page_checks_then_imports_the_list(cycle, client_as):  # noqa: F811
    client = client_as("office")
    url = reverse("readiness:stage_import", args=[cycle["stage"].pk])
    upload = workbook(["9", "公厕不洁", "甲街道", "", "", "暴露垃圾", "", "", ""])
    upload.name = "list.xlsx"
    checked = client.post(url, {"file": upload})
    assert checked.context["result"].total == 1
    done = client.post(url, {"token": checked.context["token"]})
    assert done.status_code == 302
    assert done["Location"] == reverse("readiness:stage_detail", args=[cycle["stage"].pk])
    assert list(StageProblem.objects.values_list("item_no", "problem__lng")) == [("9", None)]


def test_a_bad_list_on_the_page_lists_the_faults(cycle, client_as):  # noqa: F811
    upload = workbook(["1", "", "无此单位", "", "", "暴露垃圾", "", "", ""])
    upload.name = "list.xlsx"
    response = client_as("office").post(
        reverse("readiness:stage_import", args=[cycle["stage"].pk]), {"file": upload}
    )
    assert response.status_code == 422
    assert [e.row for e in response.context["errors"]] == [2, 2]
    assert Problem.objects.count() == 0


def test_the_walk_records_an_outcome_with_a_note(listed, client_as):
    item = listed["items"]["1"]
    response = client_as("inspector").post(
        reverse("readiness:recheck_record", args=[listed["round"].pk, item.pk]),
        {"outcome": "regressed", "note": "又出现了"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    assert list(RecheckResult.objects.values_list("item", "outcome", "note")) == [
        (item.pk, "regressed", "又出现了")
    ]


@pytest.mark.parametrize("persona", NOT_RECHECKERS)
def test_only_the_office_and_inspectors_walk_a_round(listed, client_as, persona):
    client = client_as(persona)
    item = listed["items"]["1"]
    assert (
        client.get(reverse("readiness:recheck_walk", args=[listed["round"].pk])).status_code == 403
    )
    response = client.post(
        reverse("readiness:recheck_record", args=[listed["round"].pk, item.pk]), {"outcome": "fixed"}
    )  # fmt: skip
    assert response.status_code == 403
    assert RecheckResult.objects.count() == 0


def test_the_round_exports_every_item_with_its_outcome(listed, client_as):
    from openpyxl import load_workbook

    cycles.record_recheck_result(
        listed["round"], listed["items"]["2"], outcome="fixed", note="好", by=listed["office"]
    )
    response = client_as("office").get(
        reverse("readiness:recheck_export", args=[listed["round"].pk])
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[3], r[8]) for r in rows] == [("1", "甲街道", ""), ("2", "乙街道", "好")]


# The API ------------------------------------------------------------------------------------


def test_the_api_creates_a_cycle_from_the_template_with_a_date(cycle, api_as):  # noqa: F811
    response = api_as("office").post(
        "/api/v1/evaluation-cycles/",
        {"kind": "review", "name": "API复审", "start_year": 2028, "end_year": 2030,
         "standard_version": cycle["version"].pk,
         "stage_dates": [{"kind": "covert", "due_on": "2029-07-01"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    made = EvaluationCycle.objects.get(pk=response.json()["id"])
    assert (made.stages.count(), str(made.stages.get(kind="covert").due_on)) == (9, "2029-07-01")


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_the_api_refuses_writes_of_other_roles_before_reading_the_input(listed, api_as, persona):
    client = api_as(persona)
    stage = listed["stage"].pk
    codes = [
        client.post("/api/v1/evaluation-cycles/", {"name": 5}, format="json").status_code,
        client.post("/api/v1/evaluation-stages/", {"kind": 5}, format="json").status_code,
        client.post(f"/api/v1/evaluation-stages/{stage}/complete/").status_code,
        client.post(f"/api/v1/evaluation-stages/{stage}/import/", {}).status_code,
        client.post("/api/v1/recheck-rounds/", {"stage": "x"}, format="json").status_code,
    ]
    assert codes == [403] * 5


def test_the_api_import_lists_every_fault_and_writes_nothing(cycle, api_as):  # noqa: F811
    upload = workbook(["1", "", "无此单位", "", "", "", "", "", ""])
    upload.name = "list.xlsx"
    response = api_as("office").post(
        f"/api/v1/evaluation-stages/{cycle['stage'].pk}/import/",
        {"file": upload},
        format="multipart",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], [r["row"] for r in error["rows"]]) == ("import_failed", [2, 2, 2])
    assert Problem.objects.count() == 0


def test_the_api_import_skips_items_already_there(listed, api_as):
    upload = workbook(
        ["1", "门前三包未落实", "甲街道", "", "", "暴露垃圾", "", "", ""],
        ["5", "新问题", "乙街道", "", "", "暴露垃圾", "", "", ""],
    )
    upload.name = "list.xlsx"
    response = api_as("office").post(
        f"/api/v1/evaluation-stages/{listed['stage'].pk}/import/",
        {"file": upload},
        format="multipart",
    )
    assert (response.status_code, response.json()) == (
        201,
        {"total": 2, "created": 1, "skipped": 1},
    )


def test_the_api_gives_the_next_stage_and_its_days(listed, api_as):
    body = api_as("leader").get("/api/v1/evaluation-stages/next/").json()
    assert body["stage"]["kind"] in {"covert", "rectify", "technical", "review", "naming", "reexam"}
    assert body["days"] >= 0


def test_the_api_records_a_result_and_reports_the_round(listed, api_as):
    client = api_as("inspector")
    url = f"/api/v1/recheck-rounds/{listed['round'].pk}/"
    first = listed["items"]["1"].pk
    response = client.post(url + "results/", {"item": first, "outcome": "fixed"}, format="json")
    assert response.status_code == 200
    got = client.get(url + "report/").json()
    assert (got["total"], got["fixed"], got["unchecked"], got["open_items"]) == (
        2,
        1,
        1,
        [listed["items"]["2"].pk],
    )


def test_a_stage_problem_without_coordinates_has_null_lng_and_lat(listed, api_as):
    body = api_as("office").get("/api/v1/stage-problems/", {"stage": listed["stage"].pk}).json()
    assert [(r["item_no"], r["lng"], r["lat"]) for r in body["results"]] == [
        ("1", None, None),
        ("2", None, None),
    ]


# Problems without coordinates elsewhere -----------------------------------------------------


@pytest.fixture
def pointless(listed: dict[str, Any]) -> Problem:
    return listed["items"]["1"].problem


def test_a_problem_without_coordinates_opens_on_the_detail_page(pointless, client_as):
    response = client_as("office").get(reverse("problems:problem_detail", args=[pointless.pk]))
    assert response.status_code == 200
    assert 'id="no-point"' in response.content.decode()
    assert response.context["map_data"]["sites"] == []


def test_a_problem_without_coordinates_is_listed_but_not_mapped(pointless, client_as, report):  # noqa: F811
    client = client_as("office")
    located = report()
    listed_codes = [
        r["obj"].code for r in client.get(reverse("problems:problem_list")).context["rows"]
    ]
    points = client.get(reverse("problems:map_points")).json()["points"]
    assert sorted(listed_codes) == sorted(
        [
            located.code,
            pointless.code,
            Problem.objects.exclude(pk__in=[located.pk, pointless.pk]).get().code,
        ]
    )
    assert [p[2] for p in points] == [located.code]


def test_the_problem_api_gives_null_coordinates(pointless, api_as):
    body = api_as("office").get(f"/api/v1/problems/{pointless.pk}/").json()
    assert (body["lng"], body["lat"]) == (None, None)


def test_the_dashboard_skips_problems_without_coordinates(pointless, client_as, report):  # noqa: F811
    located = report()
    data = (
        client_as("office")
        .get("/dashboard/data/", {"start": "2026-03-01", "end": "2026-03-31"})
        .json()
    )
    assert [p[4] for p in data["points"]] == [located.code]


def test_a_report_without_point_or_unit_is_still_refused(ledger):  # noqa: F811
    from chuangwei.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        problem_services.report_problem(
            source="grid_patrol", category=ledger["category"], lng=None, lat=None,
            by=ledger["office"], now=MONDAY_9,
        )  # fmt: skip
    assert exc.value.code == "missing_location"


def test_a_stage_action_never_sends_the_user_to_another_site(listed, client_as):
    response = client_as("office").post(
        reverse("readiness:stage_start", args=[listed["stage"].pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("readiness:stage_detail", args=[listed["stage"].pk])


def test_an_item_with_coordinates_shows_them_on_the_stage_page(cycle, client_as):  # noqa: F811
    run(
        cycle["stage"],
        cycle["office"],
        workbook(["2", "垃圾桶满溢", "乙街道", "", "", "暴露垃圾", "", "117.325", "34.805"]),
    )
    response = client_as("office").get(reverse("readiness:stage_detail", args=[cycle["stage"].pk]))
    assert response.status_code == 200
    assert "117.3250, 34.8050" in response.content.decode()


@pytest.mark.parametrize("count", [3, 6])
def test_the_round_report_and_the_cycle_page_run_a_fixed_number_of_queries(
    cycle,  # noqa: F811
    client_as,
    django_assert_num_queries,
    count,
):
    rows = [[str(n), f"问题{n}", "甲街道", "", "", "暴露垃圾", "", "", ""] for n in range(count)]
    run(cycle["stage"], cycle["office"], workbook(*rows))
    round = cycles.create_recheck_round(
        cycle["stage"], by=cycle["office"], held_on=date(2026, 3, 10)
    )
    for item in StageProblem.objects.all()[:2]:
        cycles.record_recheck_result(round, item, outcome="open", by=cycle["office"])
    client = client_as("office")
    report_url = reverse("readiness:recheck_detail", args=[round.pk])
    cycle_url = reverse("readiness:cycle_detail", args=[cycle["cycle"].pk])
    client.get(report_url)
    with django_assert_num_queries(7):
        response = client.get(report_url)
    assert response.context["report"].total == count
    client.get(cycle_url)
    with django_assert_num_queries(7):
        response = client.get(cycle_url)
    assert len(response.context["stages"]) == 9
