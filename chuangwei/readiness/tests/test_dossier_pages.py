"""The evidence dossier's pages and API, per persona (the authorisation matrix)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from chuangwei.readiness.models import Evidence, EvidenceEvent, EvidenceFile, EvidenceRequirement
from chuangwei.readiness.services import evidence as services

from .dossier_fixtures import NOW, pdf

pytestmark = pytest.mark.django_db
SIGNED_IN = [
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
]
OFFICE = {"admin", "office"}


def filed(
    w: dict[str, Any], unit: str = "street_a", req: str = "yearly", period: str = "2026"
) -> Evidence:
    return services.submit_evidence(
        w[req], unit=w[unit], period=period, files=[pdf()], by=w["office"], now=NOW
    )


def submit_url(
    w: dict[str, Any], unit: str = "street_a", req: str = "yearly", period: str = "2026"
) -> str:
    return (
        reverse("readiness:evidence_submit")
        + f"?requirement={w[req].pk}&unit={w[unit].pk}&period={period}"
    )


# Requirements -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_signed_in_persona_reads_the_requirements(dossier_world, client_as, persona):
    response = client_as(persona).get(reverse("readiness:requirement_list"))
    assert response.status_code == 200
    assert response.context["paginator"].count == 3


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_office_opens_the_requirement_form(dossier_world, client_as, persona):
    response = client_as(persona).get(reverse("readiness:requirement_create"))
    assert response.status_code == (200 if persona in OFFICE else 403)


def test_the_office_creates_a_requirement_through_the_page(dossier_world, client_as):
    w = dossier_world
    response = client_as("office").post(
        reverse("readiness:requirement_create"),
        {
            "clause": w["item1"].pk, "title": "爱卫会成员名单", "frequency": "yearly",
            "unit_kinds": ["street"], "units": [w["department"].pk], "sort_order": 2,
            "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    made = EvidenceRequirement.objects.get(title="爱卫会成员名单")
    assert (made.unit_kinds, list(made.units.all())) == (["street"], [w["department"]])


@pytest.mark.parametrize("persona", ["handler_a", "leader"])
def test_others_cannot_deactivate_a_requirement(dossier_world, client_as, persona):
    url = reverse("readiness:requirement_deactivate", args=[dossier_world["yearly"].pk])
    assert client_as(persona).post(url).status_code == 403
    assert EvidenceRequirement.objects.filter(is_active=True).count() == 3


def test_the_office_deactivates_a_requirement(dossier_world, client_as):
    url = reverse("readiness:requirement_deactivate", args=[dossier_world["yearly"].pk])
    assert client_as("office").post(url).status_code == 302
    assert list(EvidenceRequirement.objects.filter(is_active=False)) == [dossier_world["yearly"]]


def requirement_sheet(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["版本", "小项编号", "材料名称", "频次", "单位类型", "单位编码"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("requirements.xlsx", out.getvalue())


def test_an_import_lists_every_fault_and_writes_nothing(dossier_world, client_as):
    upload = requirement_sheet(
        [
            ["GWS", "1", "会议纪要", "每年", "街道", ""],
            ["GWS", "99", "", "每周", "星球", "NOPE"],
            ["OLD", "1", "方案", "每年", "街道", ""],
        ]
    )
    with translation.override("en"):
        response = client_as("office").post(
            reverse("readiness:requirement_import"), {"file": upload}
        )
    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["errors"]] == [
        (3, "小项编号"),
        (3, "材料名称"),
        (3, "报送频次"),
        (3, "单位类型"),
        (3, "单位编码"),
        (4, "标准版本"),
    ]
    assert EvidenceRequirement.objects.count() == 3


def test_a_good_import_creates_the_requirements_after_confirmation(dossier_world, client_as):
    client = client_as("office")
    upload = requirement_sheet([["GWS", "2", "监测月报", "每月", "区、街道", "D-CG"]])
    checked = client.post(reverse("readiness:requirement_import"), {"file": upload})
    assert checked.status_code == 200
    client.post(reverse("readiness:requirement_import"), {"token": checked.context["token"]})
    made = EvidenceRequirement.objects.get(title="监测月报")
    assert (made.clause, made.frequency, made.unit_kinds) == (
        dossier_world["item2"],
        "monthly",
        ["district", "street"],
    )
    assert [u.code for u in made.units.all()] == ["D-CG"]


def test_the_import_template_downloads(dossier_world, client_as):
    response = client_as("office").get(reverse("readiness:requirement_import") + "?template=1")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_column == 8


# Filing and review pages ------------------------------------------------------------------------


def test_my_evidence_lists_what_my_street_owes(dossier_world, client_as):
    response = client_as("handler_a").get(reverse("readiness:evidence_mine"), {"year": 2026})
    assert [(r["row"].title, r["unit"], r["cell"].state) for r in response.context["rows"]] == [
        ("爱卫会会议纪要", "甲街道", "missing")
    ]


def test_a_street_files_evidence_through_the_page(dossier_world, client_as):
    response = client_as("handler_a").post(
        reverse("readiness:evidence_submit"),
        {"requirement": dossier_world["yearly"].pk, "unit": dossier_world["street_a"].pk,
         "period": "2026", "note": "见附件", "files": [pdf()]},
    )  # fmt: skip
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert (evidence.status, evidence.note, evidence.submitted_by.username) == (
        "pending",
        "见附件",
        "handler_a",
    )


def test_a_bad_file_is_named_on_the_page_and_the_note_is_kept(dossier_world, client_as):
    bad = SimpleUploadedFile("宣传片.exe", b"MZ\x00\x00")
    with translation.override("en"):
        response = client_as("handler_a").post(
            reverse("readiness:evidence_submit"),
            {"requirement": dossier_world["yearly"].pk, "unit": dossier_world["street_a"].pk,
             "period": "2026", "note": "保留的说明", "files": [pdf(), bad]},
        )  # fmt: skip
    assert response.status_code == 422
    assert "宣传片.exe：不接受此类型的文件" in response.content.decode()
    assert response.context["form"]["note"].value() == "保留的说明"
    assert (Evidence.objects.count(), EvidenceFile.objects.count()) == (0, 0)


@pytest.mark.parametrize("persona", ["handler_b", "leader", "grid_worker", "inspector"])
def test_others_cannot_file_for_a_street(dossier_world, client_as, persona):
    assert client_as(persona).get(submit_url(dossier_world)).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office", 200), ("admin", 200), ("handler_a", 200), ("leader", 200), ("handler_b", 404),
     ("grid_worker", 404)],
)  # fmt: skip
def test_evidence_detail_follows_the_units_scope(dossier_world, client_as, persona, status):
    evidence = filed(dossier_world)
    url = reverse("readiness:evidence_detail", args=[evidence.pk])
    assert client_as(persona).get(url).status_code == status


@pytest.mark.parametrize("persona", ["handler_a", "leader", "inspector"])
def test_only_the_office_approves_or_returns(dossier_world, client_as, persona):
    evidence = filed(dossier_world)
    client = client_as(persona)
    assert client.post(reverse("readiness:evidence_approve", args=[evidence.pk])).status_code == 403
    response = client.post(
        reverse("readiness:evidence_return", args=[evidence.pk]), {"remark": "x"}
    )
    assert response.status_code == 403
    assert EvidenceEvent.objects.exclude(action="submit").count() == 0


def test_the_office_returns_with_a_remark_through_the_page(dossier_world, client_as):
    evidence = filed(dossier_world)
    client_as("office").post(
        reverse("readiness:evidence_return", args=[evidence.pk]), {"remark": "缺少盖章"}
    )
    evidence.refresh_from_db()
    assert (evidence.status, evidence.remark) == ("returned", "缺少盖章")


def test_the_review_queue_shows_a_handler_only_its_units(dossier_world, client_as):
    filed(dossier_world, "street_a")
    filed(dossier_world, "street_b")
    response = client_as("handler_a").get(reverse("readiness:evidence_review"))
    assert [row["obj"].unit.name for row in response.context["rows"]] == ["甲街道"]


def test_a_file_downloads_only_within_scope(dossier_world, client_as):
    stored = filed(dossier_world).files.get()
    url = reverse("readiness:evidence_file", args=[stored.pk])
    response = client_as("handler_a").get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_as("handler_b").get(url).status_code == 404


# Completeness and export pages ------------------------------------------------------------------


def test_the_grid_colours_each_cell_by_its_state(dossier_world, client_as):
    w = dossier_world
    services.approve_evidence(filed(w, "street_a"), by=w["office"], now=NOW)
    filed(w, "district", "quarterly", "2026-Q1")
    response = client_as("office").get(reverse("readiness:completeness"), {"year": 2026})
    html = response.content.decode()
    assert response.context["grid"].counts["approved"] == 1
    assert html.count('data-state="approved"') == 1
    assert html.count('data-state="pending"') == 1
    assert html.count('data-state="missing"') == 5


def test_the_grid_filters_by_district_and_aspect(dossier_world, client_as):
    w = dossier_world
    response = client_as("office").get(
        reverse("readiness:completeness"),
        {"year": 2026, "district": w["district"].pk, "aspect": w["aspect1"].pk},
    )
    assert [u.name for u in response.context["columns"]] == ["甲街道", "乙街道"]
    assert response.context["grid"].expected == 2


def test_a_handler_sees_only_its_units_in_the_grid(dossier_world, client_as):
    response = client_as("handler_a").get(reverse("readiness:completeness"), {"year": 2026})
    assert [u.name for u in response.context["columns"]] == ["甲街道"]


@pytest.mark.parametrize("persona", ["handler_a", "leader", "inspector"])
def test_only_the_office_exports_the_dossier(dossier_world, client_as, persona):
    assert client_as(persona).get(reverse("readiness:dossier_export")).status_code == 403


def test_the_office_downloads_the_dossier_zip(dossier_world, client_as):
    w = dossier_world
    services.approve_evidence(filed(w), by=w["office"], now=NOW)
    response = client_as("office").get(reverse("readiness:dossier_export"), {"year": 2026})
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()[1].endswith("甲街道_2026_方案.pdf")


# API --------------------------------------------------------------------------------------------


def test_a_handler_files_evidence_through_the_api(dossier_world, api_as):
    w = dossier_world
    response = api_as("handler_a").post(
        "/api/v1/evidence/",
        {"requirement": w["yearly"].pk, "unit": w["street_a"].pk, "period": "2026",
         "files": [pdf(), pdf("b.pdf")]},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201
    assert [f["name"] for f in response.json()["files"]] == ["方案.pdf", "b.pdf"]


def test_the_api_refuses_a_bad_file_with_every_fault(dossier_world, api_as):
    w = dossier_world
    with translation.override("en"):
        response = api_as("handler_a").post(
            "/api/v1/evidence/",
            {"requirement": w["yearly"].pk, "unit": w["street_a"].pk, "period": "2026",
             "files": [SimpleUploadedFile("a.bat", b"x"), SimpleUploadedFile("b.png", b"%PDF-")]},
            format="multipart",
        )  # fmt: skip
    body = response.json()["error"]
    assert (response.status_code, body["code"]) == (400, "bad_files")
    assert body["fields"]["files"] == [
        "a.bat：不接受此类型的文件（允许：avi, doc, docx, gif, jpeg, jpg, mov, mp4, pdf, png, "
        "webp, xls, xlsx）。",
        "b.png：文件内容与扩展名不符。",
    ]
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_api_review_actions_are_for_the_office(dossier_world, api_as, persona):
    evidence = filed(dossier_world)
    response = api_as(persona).post(f"/api/v1/evidence/{evidence.pk}/return/", {"remark": "补充"})
    assert response.status_code == (200 if persona in OFFICE else 403)
    evidence.refresh_from_db()
    assert evidence.status == ("returned" if persona in OFFICE else "pending")


def test_api_approve_moves_the_record(dossier_world, api_as):
    evidence = filed(dossier_world)
    response = api_as("office").post(f"/api/v1/evidence/{evidence.pk}/approve/")
    assert (response.status_code, response.json()["status"]) == (200, "approved")


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_office_creates_requirements_through_the_api(dossier_world, api_as, persona):
    response = api_as(persona).post(
        "/api/v1/evidence-requirements/",
        {"clause": dossier_world["item1"].pk, "title": "新材料", "frequency": "yearly",
         "unit_kinds": ["street"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == (201 if persona in OFFICE else 403)
    assert EvidenceRequirement.objects.count() == (4 if persona in OFFICE else 3)


def test_the_api_answers_the_completeness(dossier_world, api_as):
    w = dossier_world
    services.approve_evidence(filed(w), by=w["office"], now=NOW)
    body = api_as("office").get("/api/v1/evidence-completeness/", {"year": 2026}).json()
    assert (body["expected"], body["counts"]["approved"], body["percent"]) == (7, 1, "14.3")
    assert body["records"] == [
        [
            str(w["yearly"].pk),
            str(w["street_a"].pk),
            "2026",
            "approved",
            str(Evidence.objects.get().pk),
        ]
    ]


def test_the_completeness_api_is_scoped_for_a_handler(dossier_world, api_as):
    body = api_as("handler_b").get("/api/v1/evidence-completeness/", {"year": 2026}).json()
    assert [u["name"] for u in body["units"]] == ["乙街道"]
    assert body["expected"] == 1


@pytest.mark.parametrize(
    "name",
    ["requirement_list", "evidence_mine", "evidence_review", "completeness", "dossier_export"],
)
def test_anonymous_is_sent_to_the_login(dossier_world, client_as, name):
    response = client_as("anonymous").get(reverse(f"readiness:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_api_deactivates_a_requirement_for_the_office(dossier_world, api_as):
    url = f"/api/v1/evidence-requirements/{dossier_world['yearly'].pk}/deactivate/"
    assert api_as("handler_a").post(url).status_code == 403
    response = api_as("office").post(url)
    assert (response.status_code, response.json()["is_active"]) == (200, False)


def test_the_api_refuses_a_requirement_of_a_retired_version(dossier_world, api_as):
    from chuangwei.standards.models import StandardVersion

    StandardVersion.objects.filter(pk=dossier_world["version"].pk).update(status="retired")
    response = api_as("office").post(
        "/api/v1/evidence-requirements/",
        {"clause": dossier_world["item1"].pk, "title": "新材料", "unit_kinds": ["street"]},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "retired_version")
    assert EvidenceRequirement.objects.count() == 3


def more_records(w: dict[str, Any], n: int) -> None:
    from chuangwei.org.services import create_org_unit

    for i in range(n):
        street = create_org_unit(code=f"S{i}", name=f"街道{i}", kind="street", parent=w["district"])
        services.submit_evidence(
            w["yearly"], unit=street, period="2026", files=[pdf()], by=w["office"], now=NOW
        )


@pytest.mark.parametrize("n", [3, 6])
def test_the_grid_page_runs_a_fixed_number_of_queries(
    dossier_world, client_as, django_assert_num_queries, n
):
    more_records(dossier_world, n)
    client = client_as("office")
    url = reverse("readiness:completeness") + "?year=2026"
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.context["grid"].counts["pending"] == n


@pytest.mark.parametrize("n", [3, 6])
def test_my_evidence_runs_a_fixed_number_of_queries(
    dossier_world, client_as, django_assert_num_queries, n
):
    more_records(dossier_world, n)
    client = client_as("handler_a")
    url = reverse("readiness:evidence_mine") + "?year=2026"
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["rows"]) == 1


@pytest.mark.parametrize("requirement", ["abc", "9" * 30, ""])
def test_a_bad_requirement_in_the_filing_link_is_not_found(dossier_world, client_as, requirement):
    url = reverse("readiness:evidence_submit") + f"?requirement={requirement}&unit=1&period=2026"
    assert client_as("office").get(url).status_code == 404
