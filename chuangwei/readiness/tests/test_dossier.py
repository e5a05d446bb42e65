"""The evidence dossier: filing and review, bad input, completeness, the zip, reminders."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.notifications.models import OutboxMessage
from chuangwei.readiness import dossier
from chuangwei.readiness.export import dossier_zip
from chuangwei.readiness.models import (
    EvaluationCycle,
    EvaluationStage,
    Evidence,
    EvidenceEvent,
    EvidenceFile,
    EvidenceRequirement,
)
from chuangwei.readiness.services import evidence as services
from chuangwei.standards.models import StandardVersion

from .dossier_fixtures import NOW, pdf, png

pytestmark = pytest.mark.django_db


def file_for(
    w: dict[str, Any], req: str, unit: str, period: str, by: str = "office", **kw: Any
) -> Evidence:
    return services.submit_evidence(
        w[req], unit=w[unit], period=period, files=kw.pop("files", [pdf()]), by=w[by], now=NOW, **kw
    )


# Filing and review ----------------------------------------------------------------------------


def test_a_handler_files_evidence_for_its_street(dossier_world):
    w = dossier_world
    evidence = file_for(w, "yearly", "street_a", "2026", by="handler_a")
    assert (evidence.status, evidence.round, evidence.year) == ("pending", 1, 2026)
    assert list(evidence.files.values_list("name", "round", "content_type")) == [
        ("方案.pdf", 1, "application/pdf")
    ]
    assert list(evidence.events.values_list("action", "to_status")) == [("submit", "pending")]


def test_a_handler_cannot_file_for_another_street(dossier_world):
    with pytest.raises(NotAllowed):
        file_for(dossier_world, "yearly", "street_b", "2026", by="handler_a")
    assert Evidence.objects.count() == 0


def test_a_return_needs_a_remark(dossier_world):
    evidence = file_for(dossier_world, "yearly", "street_a", "2026")
    with pytest.raises(InvalidInput) as exc:
        services.return_evidence(evidence, remark="  ", by=dossier_world["office"])
    assert exc.value.code == "missing_remark"
    evidence.refresh_from_db()
    assert evidence.status == "pending"
    assert EvidenceEvent.objects.filter(action="return").count() == 0


def test_filing_again_after_a_return_keeps_the_history_and_the_files(dossier_world):
    w = dossier_world
    first = file_for(w, "yearly", "street_a", "2026", by="handler_a")
    services.return_evidence(first, remark="缺少签字页", by=w["office"], now=NOW)
    again = file_for(w, "yearly", "street_a", "2026", by="handler_a", files=[pdf("签字版.pdf")])
    services.approve_evidence(again, by=w["office"], now=NOW)
    again.refresh_from_db()
    assert (again.pk, again.status, again.round, again.remark) == (first.pk, "approved", 2, "")
    assert list(again.events.order_by("id").values_list("action", "round", "remark")) == [
        ("submit", 1, ""),
        ("return", 1, "缺少签字页"),
        ("resubmit", 2, ""),
        ("approve", 2, ""),
    ]
    assert list(again.files.order_by("id").values_list("name", "round")) == [
        ("方案.pdf", 1),
        ("签字版.pdf", 2),
    ]


def test_evidence_awaiting_review_cannot_be_filed_twice(dossier_world):
    file_for(dossier_world, "yearly", "street_a", "2026")
    with pytest.raises(Conflict):
        file_for(dossier_world, "yearly", "street_a", "2026")
    assert EvidenceFile.objects.count() == 1


def test_only_the_office_reviews(dossier_world):
    evidence = file_for(dossier_world, "yearly", "street_a", "2026")
    with pytest.raises(NotAllowed):
        services.approve_evidence(evidence, by=dossier_world["handler_a"])
    evidence.refresh_from_db()
    assert evidence.status == "pending"


def test_a_return_tells_the_units_handlers(dossier_world):
    evidence = file_for(dossier_world, "yearly", "street_a", "2026")
    services.return_evidence(evidence, remark="重新上传", by=dossier_world["office"], now=NOW)
    assert list(OutboxMessage.objects.values_list("recipient__username", "body")) == [
        ("handler_a", "重新上传")
    ]


# Bad input writes nothing -----------------------------------------------------------------------


def test_a_file_type_not_allowed_is_named_and_nothing_is_written(dossier_world):
    bad = pdf("病毒.exe", b"MZ\x90\x00")
    with translation.override("en"), pytest.raises(InvalidInput) as exc:
        file_for(dossier_world, "yearly", "street_a", "2026", files=[pdf(), bad])
    assert exc.value.code == "bad_files"
    assert len(exc.value.fields["files"]) == 1
    assert exc.value.fields["files"][0].startswith("病毒.exe: this type of file is not accepted")
    assert (Evidence.objects.count(), EvidenceFile.objects.count()) == (0, 0)


def test_a_file_whose_content_is_not_its_extension_is_refused(dossier_world):
    fake = pdf("照片.jpg")  # a PDF named .jpg
    with translation.override("en"), pytest.raises(InvalidInput) as exc:
        file_for(dossier_world, "yearly", "street_a", "2026", files=[fake])
    assert exc.value.fields["files"] == ["照片.jpg: the content is not what its extension says."]
    assert Evidence.objects.count() == 0


def test_every_file_over_the_size_limit_is_named(dossier_world, settings):
    settings.CHUANGWEI_EVIDENCE_MAX_MB = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    with translation.override("en"), pytest.raises(InvalidInput) as exc:
        file_for(
            dossier_world,
            "yearly",
            "street_a",
            "2026",
            files=[pdf("a.pdf", big), png(), pdf("b.pdf", big)],
        )
    assert exc.value.fields["files"] == [
        "a.pdf: the file is larger than 1 MB.",
        "b.pdf: the file is larger than 1 MB.",
    ]
    assert (Evidence.objects.count(), EvidenceFile.objects.count()) == (0, 0)


def test_evidence_for_an_item_of_a_retired_version_is_refused(dossier_world):
    StandardVersion.objects.filter(pk=dossier_world["version"].pk).update(status="retired")
    requirement = EvidenceRequirement.objects.select_related("clause__version").get(
        pk=dossier_world["yearly"].pk
    )
    with pytest.raises(InvalidInput) as exc:
        services.submit_evidence(
            requirement, unit=dossier_world["street_a"], period="2026", files=[pdf()],
            by=dossier_world["office"],
        )  # fmt: skip
    assert exc.value.code == "retired_version"
    assert Evidence.objects.count() == 0


def test_a_requirement_for_an_item_of_a_retired_version_is_refused(dossier_world):
    StandardVersion.objects.filter(pk=dossier_world["version"].pk).update(status="retired")
    item = (
        type(dossier_world["item1"])
        .objects.select_related("version")
        .get(pk=dossier_world["item1"].pk)
    )
    with pytest.raises(InvalidInput) as exc:
        services.save_evidence_requirement(
            EvidenceRequirement(clause=item, title="新材料", unit_kinds=["street"]),
            by=dossier_world["office"],
        )
    assert exc.value.code == "retired_version"
    assert EvidenceRequirement.objects.count() == 3


def test_a_period_the_requirement_does_not_expect_is_refused(dossier_world):
    with pytest.raises(InvalidInput) as exc:
        file_for(dossier_world, "quarterly", "district", "2026-05")
    assert list(exc.value.fields) == ["period"]


def test_a_unit_the_requirement_does_not_expect_is_refused(dossier_world):
    with pytest.raises(InvalidInput) as exc:
        file_for(dossier_world, "yearly", "district", "2026")
    assert list(exc.value.fields) == ["unit"]


def test_deactivating_a_requirement_keeps_it_and_stops_expecting_it(dossier_world):
    services.deactivate_evidence_requirement(dossier_world["yearly"], by=dossier_world["office"])
    grid = dossier.dossier_completeness(year=2026)
    assert [row.title for row in grid.rows] == ["病媒监测报告", "防制方案文本"]
    assert EvidenceRequirement.objects.filter(is_active=False).count() == 1


# Completeness -----------------------------------------------------------------------------------


def test_periods_of_each_frequency():
    assert dossier.periods_for("once", 2026) == ("once",)
    assert dossier.periods_for("yearly", 2026) == ("2026",)
    assert dossier.periods_for("quarterly", 2026) == ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    assert dossier.periods_for("monthly", 2026)[::11] == ("2026-01", "2026-12")


def test_completeness_is_counted_exactly_on_a_constructed_grid(dossier_world):
    w = dossier_world
    approved = file_for(w, "yearly", "street_a", "2026")
    services.approve_evidence(approved, by=w["office"], now=NOW)
    returned = file_for(w, "quarterly", "district", "2026-Q1")
    services.return_evidence(returned, remark="不全", by=w["office"], now=NOW)
    file_for(w, "quarterly", "district", "2026-Q2")
    once = file_for(w, "once", "department", "once")
    services.approve_evidence(once, by=w["office"], now=NOW)
    file_for(w, "yearly", "street_b", "2025")  # another year: not counted

    grid = dossier.dossier_completeness(year=2026)
    assert grid.expected == 7
    assert grid.counts == {"missing": 3, "pending": 1, "returned": 1, "approved": 2}
    assert grid.percent == Decimal("28.6")
    assert grid.state(w["yearly"].pk, w["street_b"].pk, "2026") == "missing"
    assert grid.state(w["quarterly"].pk, w["district"].pk, "2026-Q1") == "returned"
    assert grid.per_unit == {
        w["street_a"].pk: (1, 1),
        w["street_b"].pk: (0, 1),
        w["district"].pk: (0, 4),
        w["department"].pk: (1, 1),
    }
    assert len(list(grid.cells())) == 7


def test_completeness_filters_by_aspect_and_district(dossier_world):
    w = dossier_world
    by_aspect = dossier.dossier_completeness(year=2026, aspect=w["aspect1"])
    assert [r.title for r in by_aspect.rows] == ["爱卫会会议纪要"]
    assert by_aspect.expected == 2
    by_street = dossier.dossier_completeness(year=2026, district=w["street_a"])
    assert [u.name for u in by_street.units] == ["甲街道"]
    assert by_street.expected == 1


def test_unit_completeness_counts_the_units_subtree(dossier_world):
    w = dossier_world
    services.approve_evidence(file_for(w, "yearly", "street_a", "2026"), by=w["office"], now=NOW)
    assert dossier.unit_completeness(w["district"], 2026) == (1, 6, Decimal("16.7"))
    assert dossier.unit_completeness(w["city"], 2026) == (1, 7, Decimal("14.3"))
    assert dossier.unit_completeness(w["community_a"], 2026) == (0, 0, None)


def test_completeness_runs_four_queries_plus_the_version(dossier_world, django_assert_num_queries):
    file_for(dossier_world, "yearly", "street_a", "2026")
    with django_assert_num_queries(5):
        dossier.dossier_completeness(year=2026)


# The zip ----------------------------------------------------------------------------------------


def test_the_zip_holds_exactly_the_approved_files_of_the_latest_filing(dossier_world):
    w = dossier_world
    first = file_for(w, "yearly", "street_a", "2026", files=[pdf("初稿.pdf")])
    services.return_evidence(first, remark="重做", by=w["office"], now=NOW)
    again = file_for(w, "yearly", "street_a", "2026", files=[pdf("终稿.pdf"), png("现场.png")])
    services.approve_evidence(again, by=w["office"], now=NOW)
    services.approve_evidence(file_for(w, "once", "department", "once"), by=w["office"], now=NOW)
    file_for(w, "quarterly", "district", "2026-Q1")  # pending: left out

    stream = dossier_zip(year=2026)
    body = b"".join(stream)
    assert len(body) == len(stream)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == [
        "目录.xlsx",
        "一 爱国卫生组织管理/（一） 组织机构/1 建立爱卫会/甲街道_2026_终稿.pdf",
        "一 爱国卫生组织管理/（一） 组织机构/1 建立爱卫会/甲街道_2026_现场.png",
        "二 病媒生物预防控制/（二十一） 病媒防制/2 防制方案/市城管局_once_方案.pdf",
    ]
    assert archive.read(archive.namelist()[1]).startswith(b"%PDF-")


def test_the_zip_index_lists_every_file_with_its_path(dossier_world):
    w = dossier_world
    services.approve_evidence(file_for(w, "once", "department", "once"), by=w["office"], now=NOW)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(dossier_zip(year=2026))))
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("目录.xlsx"))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [
        (
            1,
            "二 病媒生物预防控制/（二十一） 病媒防制/2 防制方案/市城管局_once_方案.pdf",
            "2 防制方案",
            "防制方案文本",
            "市城管局",
            "once",
            "方案.pdf",
            len(pdf().read()),
        )
    ]


def test_two_files_of_the_same_name_get_distinct_paths(dossier_world):
    w = dossier_world
    services.approve_evidence(
        file_for(w, "once", "department", "once", files=[pdf(), pdf()]), by=w["office"], now=NOW
    )
    names = zipfile.ZipFile(io.BytesIO(b"".join(dossier_zip(year=2026)))).namelist()
    assert [n.rsplit("/", 1)[1] for n in names[1:]] == [
        "市城管局_once_方案.pdf",
        "市城管局_once_方案(2).pdf",
    ]


# Reminders --------------------------------------------------------------------------------------


def stage(w: dict[str, Any], due: date, status: str = "planned") -> EvaluationStage:
    return EvaluationStage.objects.create(
        cycle=EvaluationCycle.objects.get(), kind="provincial", name="省级评估", due_on=due,
        status=status,
    )  # fmt: skip


def test_the_reminder_tells_units_with_missing_evidence_once_a_day(dossier_world):
    w = dossier_world
    stage(w, NOW.date() + timedelta(days=10))
    services.approve_evidence(file_for(w, "yearly", "street_a", "2026"), by=w["office"], now=NOW)
    first = services.remind_missing_evidence(now=NOW, days=14)
    again = services.remind_missing_evidence(now=NOW, days=14)
    assert first.missing == {w["street_b"].pk: 1, w["district"].pk: 2, w["department"].pk: 1}
    assert (first.units, first.messages) == (1, 1)  # only 乙街道 has a handler
    assert list(OutboxMessage.objects.values_list("recipient__username", flat=True)) == [
        "handler_b"
    ]
    assert again.messages == 0


def test_no_reminder_before_the_window_or_for_a_stage_done(dossier_world):
    stage(dossier_world, NOW.date() + timedelta(days=30))
    stage(dossier_world, NOW.date() + timedelta(days=3), status="done")
    result = services.remind_missing_evidence(now=NOW, days=14)
    assert (result.stage, result.messages) == (None, 0)
    assert OutboxMessage.objects.count() == 0


def test_the_reminder_command_reports_its_round(dossier_world, capsys):
    due = timezone.localdate() + timedelta(days=5)
    stage(dossier_world, due)
    call_command("remind_evidence", "--days", "14")
    assert capsys.readouterr().out == (
        f"省级评估（{due.isoformat()}）台账资料提醒：4 个单位有欠缺资料，已提醒 2 个单位，"
        "发出 2 条通知。\n"
    )
    assert OutboxMessage.objects.count() == 2


def test_the_reminder_command_refuses_negative_days(dossier_world):
    with pytest.raises(CommandError):
        call_command("remind_evidence", "--days", "-1")
