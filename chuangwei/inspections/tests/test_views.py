"""Pages: who may open what, what they show, bad input answered with a clear message."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from chuangwei.inspections import services
from chuangwei.inspections.models import Deduction, InspectionTask, SamplingDraw, SiteResult
from chuangwei.problems.models import Problem

from .conftest import MONDAY_9

PAGES = ["task_list", "sheet_list", "results", "projection", "patrol_coverage"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("office", 200), ("inspector", 200), ("handler_a", 200), ("leader", 200), ("anonymous", 302)],
)
def test_menu_pages_open_for_signed_in_users(
    client_as: Any, insp: dict[str, Any], name: str, persona: str, status: int
) -> None:
    response = client_as(persona).get(reverse(f"inspections:{name}"))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("inspector", 403),
        ("handler_a", 403),
        ("grid_worker", 403),
        ("leader", 403),
    ],
)
def test_only_the_office_plans_inspections(
    client_as: Any, insp: dict[str, Any], persona: str, status: int
) -> None:
    assert client_as(persona).get(reverse("inspections:task_create")).status_code == status


def test_planning_a_task_from_the_form(client_as: Any, insp: dict[str, Any]) -> None:
    response = client_as("office").post(
        reverse("inspections:task_create"),
        {
            "name": "四月明查",
            "kind": "open",
            "planned_date": "2026-04-01",
            "sites": [insp["site_a"].pk],
            "team": [insp["inspector"].pk],
        },
    )
    task = InspectionTask.objects.get()
    assert response.status_code == 302
    assert (task.kind, task.results.count(), list(task.team.all())) == (
        "open",
        1,
        [insp["inspector"]],
    )


def test_planning_without_sites_shows_a_message_and_saves_nothing(
    client_as: Any, insp: dict[str, Any]
) -> None:
    response = client_as("office").post(
        reverse("inspections:task_create"),
        {
            "name": "空",
            "kind": "open",
            "planned_date": "2026-04-01",
            "team": [insp["inspector"].pk],
        },
    )
    assert response.status_code == 422
    assert "至少选择一个点位" in response.content.decode()
    assert InspectionTask.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("admin", 200),
        ("inspector", 200),
        ("handler_a", 403),
        ("grid_worker", 403),
        ("leader", 403),
        ("anonymous", 302),
    ],
)
def test_sampling_is_hidden_from_inspected_units(
    client_as: Any, insp: dict[str, Any], persona: str, status: int
) -> None:
    assert client_as(persona).get(reverse("inspections:sampling")).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("inspector", 200),
        ("handler_a", 404),
        ("handler_b", 404),
        ("grid_worker", 404),
        ("leader", 404),
        ("supervisor", 404),
    ],
)
def test_planned_task_is_hidden_from_inspected_units(
    client_as: Any, task: Any, persona: str, status: int
) -> None:
    assert (
        client_as(persona).get(reverse("inspections:task_detail", args=[task.pk])).status_code
        == status
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("inspector", 200),
        ("handler_a", 200),
        ("handler_b", 200),
        ("grid_worker", 200),
        ("leader", 200),
        ("supervisor", 200),
    ],
)
def test_submitted_task_is_visible_to_scope(
    client_as: Any, finished: Any, persona: str, status: int
) -> None:
    assert (
        client_as(persona).get(reverse("inspections:task_detail", args=[finished.pk])).status_code
        == status
    )


def test_handler_sees_only_results_of_own_units(
    client_as: Any, finished: Any, insp: dict[str, Any]
) -> None:
    body = (
        client_as("handler_a")
        .get(reverse("inspections:task_detail", args=[finished.pk]))
        .content.decode()
    )
    assert "甲市场" in body and "乙市场" not in body


def test_handler_cannot_open_another_units_result(
    client_as: Any, finished: Any, insp: dict[str, Any]
) -> None:
    result = SiteResult.objects.get(task=finished, site=insp["site_a"])
    assert (
        client_as("handler_b")
        .get(reverse("inspections:result_score", args=[result.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 302),
        ("admin", 302),
        ("inspector", 302),
        ("handler_a", 404),
        ("grid_worker", 404),
        ("leader", 404),
        ("supervisor", 403),
    ],
)
def test_deduction_matrix(
    client_as: Any, task: Any, insp: dict[str, Any], persona: str, status: int
) -> None:
    # The supervisor is in the team but their role does not score: visible, not allowed.
    task.team.add(insp["supervisor"])
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    response = client_as(persona).post(
        reverse("inspections:result_deduct", args=[result.pk]),
        {"item": insp["clean"].pk, "points": "2", "note": "积水"},
    )
    assert response.status_code == status
    assert Deduction.objects.count() == (1 if status == 302 else 0)


def test_deduction_beyond_cap_on_the_page_shows_the_error(
    client_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    client = client_as("inspector")
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    response = client.post(
        reverse("inspections:result_deduct", args=[result.pk]),
        {"item": insp["clean"].pk, "points": "12", "note": "积水"},
        follow=True,
    )
    assert "该条目共 10 分，最多还能扣 10 分" in response.content.decode()
    assert (Deduction.objects.count(), Problem.objects.count()) == (0, 0)


def test_deduction_beyond_cap_on_the_page_says_so_once(
    client_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    client = client_as("inspector")
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    response = client.post(
        reverse("inspections:result_deduct", args=[result.pk]),
        {"item": insp["clean"].pk, "points": "12", "note": "积水"},
        follow=True,
    )
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "This item is worth %(points)s points; at most %(remaining)s more can be deducted."
        ) % {"points": "10", "remaining": "10"}
    assert [str(m) for m in response.context["messages"]] == [expected]


def test_scoring_page_lists_items_and_state(
    client_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    services.add_deduction(result, insp["clean"], points="2", note="积水", by=insp["inspector"])
    body = (
        client_as("inspector")
        .get(reverse("inspections:result_score", args=[result.pk]))
        .content.decode()
    )
    assert "1.1 地面干净" in body and "−2 积水" in body


def test_band_and_finish_from_the_page(client_as: Any, task: Any, insp: dict[str, Any]) -> None:
    client = client_as("inspector")
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    client.post(
        reverse("inspections:result_band", args=[result.pk]),
        {"item": insp["look"].pk, "band": "中"},
    )
    client.post(reverse("inspections:result_finish", args=[result.pk]))
    result.refresh_from_db()
    assert (result.status, result.obtained) == ("done", D("27.00"))


def test_sheet_editor_refuses_negative_points(client_as: Any, insp: dict[str, Any]) -> None:
    sheet = services.new_sheet_version(insp["sheet"], by=insp["office"])
    response = client_as("office").post(
        reverse("inspections:sheet_item_create", args=[sheet.pk]),
        {"number": "2", "title": "负分", "points": "-3", "mode": "deduction", "sort_order": 9},
        follow=True,
    )
    assert "分值不能为负数" in response.content.decode()
    assert sheet.items.count() == 3


def test_sheet_export_and_import_round_trip(client_as: Any, insp: dict[str, Any]) -> None:
    client = client_as("office")
    response = client.get(
        reverse("inspections:sheet_detail", args=[insp["sheet"].pk]) + "?export=xlsx"
    )
    data = b"".join(response.streaming_content)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sheet.xlsx", data)
    client.post(
        reverse("inspections:sheet_action", args=[insp["sheet"].pk, "import"]), {"file": upload}
    )
    copy = insp["sheet"].__class__.objects.get(code="MKT", version=2)
    rows = list(copy.items.values_list("number", "points", "mode", "parent__number"))
    assert rows == [
        ("1", D("30.00"), "group", None),
        ("1.1", D("10.00"), "deduction", "1"),
        ("1.2", D("20.00"), "band", "1"),
    ]
    assert copy.items.get(number="1.2").bands[0] == {"label": "好", "low": "17.50", "high": "20.00"}


def test_sheet_import_of_a_renamed_image_is_refused_with_a_message(
    client_as: Any, insp: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangwei.core.importing import file_error_message

    upload = SimpleUploadedFile("sheet.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    response = client_as("office").post(
        reverse("inspections:sheet_action", args=[insp["sheet"].pk, "import"]),
        {"file": upload},
        follow=True,
    )
    with translation.override("zh-hans"):
        expected = file_error_message("not_xlsx")
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert insp["sheet"].__class__.objects.filter(code="MKT").count() == 1


def sheet_upload(headers: list[str], rows: list[list[Any]]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangwei.lib.excel import write_xlsx

    with write_xlsx(headers, rows) as out:
        return SimpleUploadedFile("sheet.xlsx", out.read())


def post_sheet_import(client: Any, sheet: Any, upload: Any, **extra: Any) -> list[str]:
    with translation.override("en"):
        response = client.post(
            reverse("inspections:sheet_action", args=[sheet.pk, "import"]),
            {"file": upload, **extra},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    return [str(m) for m in response.context["messages"]]


def test_sheet_import_refuses_an_unknown_column_naming_it(
    client_as: Any, insp: dict[str, Any]
) -> None:
    upload = sheet_upload(["编号", "名称", "分值", "权重"], [["1", "环境", 10, "0.5"]])

    messages = post_sheet_import(client_as("office"), insp["sheet"], upload)

    assert len(messages) == 1
    assert "“权重”" in messages[0]
    assert insp["sheet"].__class__.objects.filter(code="MKT").count() == 1


def test_sheet_import_leaves_out_an_unknown_column_when_told_to(
    client_as: Any, insp: dict[str, Any]
) -> None:
    upload = sheet_upload(["编号", "名称", "分值", "权重"], [["1", "环境", 10, "0.5"]])

    post_sheet_import(client_as("office"), insp["sheet"], upload, ignore_unknown="1")

    copy = insp["sheet"].__class__.objects.get(code="MKT", version=2)
    assert list(copy.items.values_list("number", "title")) == [("1", "环境")]


def test_sheet_import_reports_every_fault_of_a_row(client_as: Any, insp: dict[str, Any]) -> None:
    headers = ["编号", "上级编号", "名称", "分值", "计分方式", "问题类别"]
    upload = sheet_upload(headers, [["1", "9", "环境", "十分", "打分", "NOPE"]])

    messages = post_sheet_import(client_as("office"), insp["sheet"], upload)

    assert messages == [
        "Row 2: Parent number: parent 9 must come on an earlier row; "
        "Row 2: Points: Points must be a number; "
        "Row 2: Scoring mode: unknown scoring mode; "
        "Row 2: Problem category: unknown problem category NOPE"
    ]
    assert insp["sheet"].__class__.objects.filter(code="MKT").count() == 1


def test_sheet_import_refuses_points_too_large_to_store(
    client_as: Any, insp: dict[str, Any]
) -> None:
    upload = sheet_upload(["编号", "名称", "分值"], [["1", "环境", "1e10"]])

    messages = post_sheet_import(client_as("office"), insp["sheet"], upload)

    assert messages == ["Row 2: Points: Points must be less than 100000"]
    assert insp["sheet"].__class__.objects.filter(code="MKT").count() == 1


def test_sheet_import_reports_a_duplicate_number(client_as: Any, insp: dict[str, Any]) -> None:
    upload = sheet_upload(["编号", "名称", "分值"], [["1", "环境", 10], ["1", "秩序", 5]])

    messages = post_sheet_import(client_as("office"), insp["sheet"], upload)

    assert messages == ["Row 3: Number: duplicate number in this file (also on row 2)"]
    assert insp["sheet"].__class__.objects.filter(code="MKT").count() == 1


def test_sheet_import_reports_a_deduction_above_the_points(
    client_as: Any, insp: dict[str, Any]
) -> None:
    upload = sheet_upload(["编号", "名称", "分值", "每处扣分"], [["1", "环境", 2, 5]])

    messages = post_sheet_import(client_as("office"), insp["sheet"], upload)

    assert messages == [
        "Row 2: Deduction per finding: the deduction per finding (5) is more than the "
        "item's points (2)"
    ]


def test_sheet_import_says_how_to_write_a_band(client_as: Any, insp: dict[str, Any]) -> None:
    headers = ["编号", "名称", "分值", "计分方式", "分档"]
    upload = sheet_upload(headers, [["1", "观感", 20, "分档", "好17.5-20"]])

    messages = post_sheet_import(client_as("office"), insp["sheet"], upload)

    assert messages == [
        "Row 2: Bands: write each band as name:lowest-highest score, e.g. "
        "好:17.5-20；中:9.5-17；差:0-9 (check 好17.5-20)"
    ]


def test_sheet_import_says_a_banded_item_needs_bands(client_as: Any, insp: dict[str, Any]) -> None:
    headers = ["编号", "名称", "分值", "计分方式"]
    upload = sheet_upload(headers, [["1", "观感", 20, "分档"]])

    messages = post_sheet_import(client_as("office"), insp["sheet"], upload)

    assert messages == [
        "Row 2: Bands: a banded item needs its bands, e.g. 好:17.5-20；中:9.5-17；差:0-9"
    ]


def test_sheet_import_page_links_to_the_template(client_as: Any, insp: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    client = client_as("office")
    page = client.get(reverse("inspections:sheet_detail", args=[insp["sheet"].pk]))
    assert 'href="?template=xlsx"' in page.content.decode()
    response = client.get(
        reverse("inspections:sheet_detail", args=[insp["sheet"].pk]) + "?template=xlsx"
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    with translation.override("zh-hans"):
        number = translation.gettext("Number")
    assert sheet.cell(1, 1).value == f"{number}*"


def test_sampling_draw_from_the_page(client_as: Any, insp: dict[str, Any]) -> None:
    field = f"q_market_{insp['district'].pk}"
    response = client_as("office").post(
        reverse("inspections:sampling"), {field: "2", "seed": "11", "name": "抽样"}
    )
    draw = SamplingDraw.objects.get()
    assert response.status_code == 302
    assert (draw.seed, sorted(draw.site_ids)) == (
        11,
        sorted([insp["site_a"].pk, insp["site_b"].pk]),
    )


def test_sampling_with_negative_quota_shows_error(client_as: Any, insp: dict[str, Any]) -> None:
    field = f"q_market_{insp['district'].pk}"
    response = client_as("office").post(reverse("inspections:sampling"), {field: "-1"})
    assert response.status_code == 422
    assert SamplingDraw.objects.count() == 0


def test_inspector_cannot_draw(client_as: Any, insp: dict[str, Any]) -> None:
    field = f"q_market_{insp['district'].pk}"
    assert (
        client_as("inspector").post(reverse("inspections:sampling"), {field: "1"}).status_code
        == 403
    )


def test_results_list_query_count(
    client_as: Any, task: Any, insp: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for site in (insp["site_a"], insp["site_b"]):
        result = SiteResult.objects.get(task=task, site=site)
        services.record_band(result, insp["look"], band="好", by=insp["office"])
        services.finish_result(result, by=insp["office"])
    services.submit_task(task, by=insp["office"])
    client = client_as("office")
    with django_assert_num_queries(12):
        response = client.get(reverse("inspections:results") + "?from=2020-01-01&to=2030-01-01")
    assert "甲市场" in response.content.decode()


def test_checkin_page_for_grid_worker(client_as: Any, insp: dict[str, Any]) -> None:
    client = client_as("grid_worker")
    response = client.post(
        reverse("inspections:patrol_checkin"), {"lng": "117.305", "lat": "34.805"}
    )
    assert response.status_code == 302


def test_checkin_page_refuses_a_point_far_outside_the_city(
    client_as: Any, insp: dict[str, Any]
) -> None:
    from chuangwei.inspections.models import PatrolCheckin

    response = client_as("grid_worker").post(
        reverse("inspections:patrol_checkin"), {"lng": "2.3522", "lat": "48.8566"}, follow=True
    )
    assert "2.3522" in response.content.decode()
    assert PatrolCheckin.objects.count() == 0


@pytest.mark.parametrize(
    ("point", "message"),
    [
        (("117.305", "34.805"), "打卡成功。"),
        (("117.325", "34.805"), "不在您负责的区域"),
        (("117.40", "34.85"), "不在任何网格内"),  # 6 km east of the grids
    ],
)
def test_checkin_warns_outside_the_workers_area(
    client_as: Any, insp: dict[str, Any], point: tuple[str, str], message: str
) -> None:
    from chuangwei.inspections.models import PatrolCheckin

    client = client_as("grid_worker")
    response = client.post(
        reverse("inspections:patrol_checkin"), {"lng": point[0], "lat": point[1]}, follow=True
    )
    assert message in response.content.decode()
    assert PatrolCheckin.objects.count() == 1  # kept in every case


@pytest.mark.parametrize(
    ("persona", "status"), [("handler_a", 403), ("inspector", 403), ("anonymous", 302)]
)
def test_checkin_page_denied(
    client_as: Any, insp: dict[str, Any], persona: str, status: int
) -> None:
    assert client_as(persona).get(reverse("inspections:patrol_checkin")).status_code == status


def test_task_list_query_count(
    client_as: Any, insp: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for n in range(3):
        services.create_task(
            name=f"t{n}",
            kind="open",
            planned_date=MONDAY_9.date(),
            sites=[insp["site_a"]],
            by=insp["office"],
        )
    client = client_as("office")
    with django_assert_num_queries(6):
        response = client.get(reverse("inspections:task_list"))
    assert sorted(row["obj"].name for row in response.context["rows"]) == ["t0", "t1", "t2"]


def test_my_tasks_lists_the_open_tasks_of_my_team(client_as: Any, task: Any) -> None:
    body = client_as("inspector").get(reverse("inspections:my_tasks")).content.decode()
    assert "三月模拟暗访" in body and "0/2 个点位" in body


def test_my_tasks_is_empty_outside_the_team(client_as: Any, task: Any) -> None:
    body = client_as("office").get(reverse("inspections:my_tasks")).content.decode()
    assert "三月模拟暗访" not in body


# QA fixes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["task_score", "result_score"])
def test_phone_pages_with_a_submit_bar_end_with_a_spacer(
    client_as: Any, task: Any, page: str
) -> None:
    pk = task.pk if page == "task_score" else task.results.order_by("sort_order").first().pk
    html = client_as("inspector").get(reverse(f"inspections:{page}", args=[pk])).content.decode()
    bar, spacer = html.index("cw-m-submit-bar"), html.index('class="cw-m-bar-spacer"')
    assert bar < spacer
    assert "height: calc(2.875rem + 2px + 16px + 12px)" in html


def test_checkin_page_ends_with_a_spacer(client_as: Any, insp: dict[str, Any]) -> None:
    html = client_as("grid_worker").get(reverse("inspections:patrol_checkin")).content.decode()
    assert html.index("checkin-submit") < html.index('class="cw-m-bar-spacer"')


def test_task_detail_shows_dashes_for_pending_results(client_as: Any, task: Any) -> None:
    html = client_as("office").get(reverse("inspections:task_detail", args=[task.pk])).content
    html = html.decode()
    rows = html.split('id="site-results"')[1].split("</table>")[0]
    assert rows.count('<td class="text-end text-secondary cw-lost">--</td>') == 2
    assert "text-danger" not in rows and "0.0" not in rows
    totals = html.split('id="unit-totals"')[1].split("</table>")[0]
    assert "0.0 / 1000.0" not in totals and "0.0%" not in totals
    assert "尚无已评分的点位" in totals or "No scored sites yet." in totals


def test_task_detail_totals_count_finished_results_only(
    client_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    services.add_deduction(result, insp["clean"], points=D("3"), note="积水", by=insp["inspector"])
    services.record_band(result, insp["look"], band="好", by=insp["inspector"])
    services.finish_result(result, by=insp["inspector"])
    html = client_as("office").get(reverse("inspections:task_detail", args=[task.pk])).content
    totals = html.decode().split('id="unit-totals"')[1].split("</table>")[0]
    assert "甲一社区" in totals and "乙一社区" not in totals
    assert "27 / 30" in totals and "90.0%" in totals


def test_unjudged_band_is_neutral_and_band_buttons_have_no_trailing_zeros(
    client_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    url = reverse("inspections:result_score", args=[result.pk])
    html = client_as("inspector").get(url).content.decode()
    item = html.split(f'id="item-{insp["look"].pk}"')[1].split("</button>")[0]
    assert "text-secondary" in item and "text-success" not in item
    assert "--/20" in " ".join(item.split())
    assert '<span class="small">17.5–20</span>' in html
    assert '<span class="small">9.5–17</span>' in html
    assert "17.50" not in html and "20.00" not in html
    services.record_band(result, insp["look"], band="中", score=D("15.5"), by=insp["inspector"])
    html = client_as("inspector").get(url).content.decode()
    item = html.split(f'id="item-{insp["look"].pk}"')[1].split("</button>")[0]
    assert "中 15.5/20" in " ".join(item.split()) and "text-danger" in item


def test_finish_message_has_no_trailing_zeros(
    client_as: Any, task: Any, insp: dict[str, Any]
) -> None:
    result = SiteResult.objects.get(task=task, site=insp["site_a"])
    services.record_band(result, insp["look"], band="好", by=insp["inspector"])
    client = client_as("inspector")
    response = client.post(reverse("inspections:result_finish", args=[result.pk]), follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "30 / 30" in text and "30.00" not in text


def test_draw_shortfall_names_type_and_district_once(client_as: Any, insp: dict[str, Any]) -> None:
    from chuangwei.places.tests.factories import SiteTypeFactory

    SiteTypeFactory(code="main_road", name="主干道")
    insp["district"].name = "市中区"
    insp["district"].save()
    client = client_as("office")
    client.post(
        reverse("inspections:sampling"),
        {f"q_main_road_{insp['district'].pk}": "1", "seed": "3", "name": "抽样"},
    )
    draw = SamplingDraw.objects.get()
    draw.shortfalls = draw.shortfalls * 2  # an older draw stored the row twice
    draw.save()
    html = client.get(reverse("inspections:draw_detail", args=[draw.pk])).content.decode()
    notice = html.split('id="draw-shortfalls"')[1].split("</div>")[0]
    assert notice.count("<li>") == 1
    assert "<li>主干道 · 市中区 0/1</li>" in notice
    assert "main_road" not in notice


def test_projection_and_sampling_show_no_repository_paths(client_as: Any, finished: Any) -> None:
    client = client_as("office")
    for url in (reverse("inspections:projection"), reverse("inspections:sampling") + "?preset=x"):
        assert "reference/" not in client.get(url).content.decode()


def test_projection_chart_fits_its_card(client_as: Any, insp: dict[str, Any]) -> None:
    from django.core.management import call_command

    call_command("load_score_sheets")
    html = client_as("office").get(reverse("inspections:projection")).content.decode()
    assert "containLabel: true" in html
    assert "max-width: 100%" in html
    assert "reference/" not in html


def test_results_export_is_named_with_a_timestamp(client_as: Any, finished: Any) -> None:
    from datetime import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    at = datetime(2026, 3, 9, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=at):
        response = client_as("office").get(
            reverse("inspections:results") + "?from=2020-01-01&to=2030-01-01&export=xlsx"
        )
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "20260309_1430.xlsx" in disposition
    assert "inspection_results" not in disposition


def test_planning_without_team_is_refused_and_saves_nothing(
    client_as: Any, insp: dict[str, Any]
) -> None:
    response = client_as("office").post(
        reverse("inspections:task_create"),
        {
            "name": "四月明查",
            "kind": "open",
            "planned_date": "2026-04-01",
            "sites": [insp["site_a"].pk],
        },
    )
    assert response.status_code == 422
    assert InspectionTask.objects.count() == 0
    assert response.context["form"].errors["team"] == ["请至少选择一名检查组成员。"]
    assert "请至少选择一名检查组成员。" in response.content.decode()


def test_team_picker_offers_inspectors_and_office_not_grid_workers(
    client_as: Any, insp: dict[str, Any]
) -> None:
    form = client_as("office").get(reverse("inspections:task_create")).context["form"]
    team = set(form.fields["team"].queryset)
    assert insp["inspector"] in team and insp["office"] in team
    assert insp["grid_worker"] not in team


def test_planning_from_a_draw_without_sheets_shows_one_short_message(
    client_as: Any, insp: dict[str, Any]
) -> None:
    from chuangwei.places.tests.factories import SiteFactory, SiteTypeFactory

    road = SiteTypeFactory(code="main_road", name="主干道")
    sites = [
        SiteFactory(site_type=road, unit=insp["community_a"], lng=117.305, lat=34.805)
        for _ in range(10)
    ]
    draw = SamplingDraw.objects.create(
        code="CY-1",
        name="抽样",
        seed=1,
        site_ids=[s.pk for s in sites],
        drawn_at=MONDAY_9,
        drawn_by=insp["office"],
    )
    response = client_as("office").post(
        reverse("inspections:task_create"),
        {
            "name": "四月暗访",
            "kind": "mock_covert",
            "planned_date": "2026-04-01",
            "draw": draw.pk,
            "team": [insp["inspector"].pk],
        },
    )
    assert response.status_code == 422
    assert InspectionTask.objects.count() == 0
    assert response.context["error"] == (
        "无法创建该检查任务。 10 个点位没有评分表（类型：主干道），请选择默认评分表或为这些类型发布评分表。"
    )


@pytest.mark.parametrize("more", [2, 5])
def test_sheet_list_reads_the_site_types_with_the_sheets(
    client_as: Any, insp: dict[str, Any], more: int, django_assert_num_queries: Any
) -> None:
    from chuangwei.inspections.models import ScoreSheet
    from chuangwei.places.tests.factories import SiteTypeFactory

    for n in range(more):
        ScoreSheet.objects.create(code=f"X{n}", name=f"测评表{n}", site_type=SiteTypeFactory())
    client = client_as("office")
    client.get(reverse("inspections:sheet_list"))
    with django_assert_num_queries(6, info="session, user, scope, count, page, unread badge"):
        response = client.get(reverse("inspections:sheet_list"))
    assert response.context["paginator"].count == 1 + more


@pytest.mark.parametrize(("persona", "shown"), [("office", False), ("grid_worker", True)])
def test_patrol_coverage_links_to_check_in_only_for_who_may(
    client_as: Any, insp: dict[str, Any], persona: str, shown: bool
) -> None:
    html = client_as(persona).get(reverse("inspections:patrol_coverage")).content.decode()
    assert (reverse("inspections:patrol_checkin") in html) is shown
