"""The whole-version workbook: export → import gives the same tree, a broken tree lists every
fault and writes nothing, and a published version refuses the import (issue 14, item 1)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from chuangwei.core.importing import ImportFailed
from chuangwei.standards import services, workbook
from chuangwei.standards.choices import ClauseLevel, VersionStatus
from chuangwei.standards.models import Indicator, StandardClause, StandardVersion

CLAUSE_HEADERS = ["编码", "上级编码", "层级", "编号", "标题", "分值", "达标规则", "应备材料"]


def make_book(
    clauses: list[list[Any]],
    *,
    version: list[Any] | None = None,
    indicators: list[list[Any]] | None = None,
) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "版本"
    sheet.append(["版本编码", "版本名称", "年份"])
    sheet.append(version or ["LOCAL-1", "本市测评细则", 2026])
    clause_sheet = book.create_sheet("条款")
    clause_sheet.append(CLAUSE_HEADERS)
    for row in clauses:
        clause_sheet.append(row)
    indicator_sheet = book.create_sheet("指标")
    indicator_sheet.append(["指标编码", "指标名称", "条款编码", "计量单位", "比较", "阈值"])
    for row in indicators or []:
        indicator_sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


GOOD_TREE = [
    ["A", "", "方面", "一", "市容环境卫生", None, "", ""],
    ["A1", "A", "条", "（十）", "清扫保洁", 40, "", ""],
    ["A1.1", "A1", "小项", "1", "道路平整", 10, "", "巡查记录"],
    ["A1.1.1", "A1.1", "测评细则", "1", "每处破损扣1分", 2.5, "", "照片"],
    ["A1.2", "A1", "小项", "2", "无暴露垃圾", None, "无一处暴露垃圾为达标", ""],
]


def tree_of(version: StandardVersion) -> list[tuple[Any, ...]]:
    rows = StandardClause.objects.filter(version=version).select_related("parent")
    return sorted(
        (
            c.parent.number if c.parent else "",
            c.level,
            c.number,
            c.title,
            c.points,
            c.pass_rule,
            c.evidence_required,
            c.depth,
        )
        for c in rows
    )


def test_import_builds_the_tree_with_points_and_rules(db: Any) -> None:
    result = workbook.import_workbook(make_book(GOOD_TREE), "细则.xlsx", by=None)
    version = result.version
    assert version is not None and version.status == VersionStatus.DRAFT
    assert result.created == {"clause": 5, "indicator": 0}
    rule = StandardClause.objects.get(version=version, level=ClauseLevel.RULE)
    assert (rule.parent.title, rule.points, rule.evidence_required) == (
        "道路平整",
        Decimal("2.50"),
        "照片",
    )
    assert StandardClause.objects.get(version=version, number="2").pass_rule == (
        "无一处暴露垃圾为达标"
    )


def test_broken_tree_lists_every_fault_and_writes_nothing(db: Any) -> None:
    broken = [
        ["A", "", "方面", "一", "市容", None, "", ""],
        ["A", "", "方面", "二", "重复编码", None, "", ""],  # duplicate code
        ["B1", "NOPE", "条", "（一）", "上级不存在", None, "", ""],  # unknown parent
        ["C1", "C2", "条", "（二）", "环一", None, "", ""],  # cycle C1 → C2 → C1
        ["C2", "C1", "条", "（三）", "环二", None, "", ""],
        ["D1", "A", "等级", "（四）", "层级错", None, "", ""],  # bad level
        ["E1", "A", "条", "（五）", "分值错", -3, "", ""],  # bad points
        ["F1", "A", "方面", "（六）", "层级不低于上级", "abc", "", ""],  # level + points
    ]
    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        workbook.import_workbook(make_book(broken), "broken.xlsx", by=None)
    faults = [(e.row, e.column, e.message) for e in caught.value.errors]
    assert faults == [
        (3, "Clauses › Code", "code A is used twice (also row 2)"),
        (7, "Clauses › Level", "等级 is not a level: use 方面, 条, 小项 or 测评细则"),
        (8, "Clauses › Points", "Points must be a number from 0 to 99999.99."),
        (9, "Clauses › Points", "must be a number"),
        (4, "Clauses › Parent code", "no clause in the file has the code NOPE"),
        (5, "Clauses › Parent code", "the parent chain loops: C1 → C2 → C1"),
        (6, "Clauses › Parent code", "the parent chain loops: C1 → C2 → C1"),
        (9, "Clauses › Level", "a 方面 cannot sit under a 方面 (A)"),
    ]
    assert StandardVersion.objects.count() == 0
    assert StandardClause.objects.count() == 0


def _round_trip_source() -> StandardVersion:
    result = workbook.import_workbook(
        make_book(GOOD_TREE, indicators=[["I-1", "道路平整率", "A1.1", "%", "≥", 95]]),
        "a.xlsx",
        by=None,
    )
    assert result.version is not None
    return result.version


def test_export_then_import_gives_the_same_tree(db: Any) -> None:
    original = _round_trip_source()
    exported = io.BytesIO(workbook.export_workbook(original))
    result = workbook.import_workbook(exported, "export.xlsx", by=None, code="LOCAL-2")
    copy = result.version
    assert copy is not None and copy.pk != original.pk
    assert tree_of(copy) == tree_of(original)
    indicator = Indicator.objects.get(version=copy)
    assert (indicator.code, indicator.clause.title, indicator.comparator, indicator.threshold) == (
        "I-1",
        "道路平整",
        "gte",
        Decimal("95.0000"),
    )
    assert workbook.export_workbook(copy) != b""


def test_reimport_into_the_same_draft_updates_in_place(db: Any) -> None:
    original = _round_trip_source()
    ids = set(StandardClause.objects.filter(version=original).values_list("pk", flat=True))
    exported = io.BytesIO(workbook.export_workbook(original))
    result = workbook.import_workbook(exported, "export.xlsx", by=None)
    assert result.version == original
    assert (result.created, result.updated, result.deleted) == (
        {"clause": 0, "indicator": 0},
        {"clause": 5, "indicator": 1},
        {"clause": 0, "indicator": 0},
    )
    assert set(StandardClause.objects.filter(version=original).values_list("pk", flat=True)) == ids


def test_import_drops_clauses_missing_from_the_file(db: Any) -> None:
    original = _round_trip_source()
    shorter = [row for row in GOOD_TREE if row[0] != "A1.2"]
    result = workbook.import_workbook(
        make_book(shorter, indicators=[["I-1", "道路平整率", "A1.1", "%", "≥", 95]]),
        "a.xlsx",
        by=None,
    )
    assert result.deleted == {"clause": 1, "indicator": 0}
    assert StandardClause.objects.filter(version=original).count() == 4


def test_import_into_a_published_version_is_refused(db: Any) -> None:
    version = _round_trip_source()
    services.publish_standard_version(version, by=None)
    before = tree_of(version)
    changed = [[*row[:4], "改过的标题", *row[5:]] for row in GOOD_TREE]
    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        workbook.import_workbook(make_book(changed), "a.xlsx", by=None)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "Version › Version code")]
    assert "LOCAL-1 is published or retired" in caught.value.errors[0].message
    assert tree_of(version) == before


def test_indicator_faults_are_listed(db: Any) -> None:
    book = make_book(
        GOOD_TREE,
        indicators=[
            ["I-1", "甲", "A9", "%", "约等于", "九十"],
            ["I-1", "乙", "A1", "%", "≥", 90],
        ],
    )
    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        workbook.import_workbook(book, "a.xlsx", by=None)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (2, "Indicators › Clause code", "no clause in the file has the code A9"),
        (2, "Indicators › Comparator", "约等于 is not a comparator: use ≥, >, ≤, < or ="),
        (2, "Indicators › Threshold", "must be a number"),
        (3, "Indicators › Indicator code", "code I-1 is used twice (also row 2)"),
    ]
    assert StandardVersion.objects.count() == 0


def test_the_template_has_the_three_sheets_and_imports(db: Any) -> None:
    content = workbook.template_workbook()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["版本", "条款", "指标"]
    result = workbook.import_workbook(io.BytesIO(content), "template.xlsx", by=None)
    assert result.version is not None and result.version.code == "GWS-2021-LOCAL"
    assert result.created == {"clause": 1, "indicator": 1}


def test_a_file_that_is_not_a_workbook_is_refused(db: Any) -> None:
    from chuangwei.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        workbook.import_workbook(io.BytesIO(b"hello"), "a.xlsx", by=None)
    assert caught.value.code == "not_xlsx"


# Pages ---------------------------------------------------------------------------------


def test_import_page_lists_every_fault(client_as: Any) -> None:
    broken = [["A", "NOPE", "方面", "一", "市容", None, "", ""], ["A", "", "条", "二", "x", None]]
    upload = make_book(broken)
    upload.name = "broken.xlsx"
    with translation.override("en"):
        response = client_as("office").post(
            reverse("standards:version_import"), {"file": upload, "code": ""}
        )
    assert response.status_code == 200
    assert len(response.context["errors"]) == 2
    assert StandardVersion.objects.count() == 0


def test_import_page_refuses_a_published_version(client_as: Any) -> None:
    version = _round_trip_source()
    services.publish_standard_version(version, by=None)
    upload = make_book(GOOD_TREE)
    upload.name = "a.xlsx"
    response = client_as("office").post(reverse("standards:version_import"), {"file": upload})
    assert response.status_code == 200
    assert len(response.context["errors"]) == 1
    assert StandardClause.objects.filter(version=version).count() == 5


def test_import_page_is_for_managers(client_as: Any) -> None:
    assert client_as("handler_a").get(reverse("standards:version_import")).status_code == 403


def test_export_link_downloads_the_version(client_as: Any) -> None:
    version = _round_trip_source()
    response = client_as("handler_a").get(reverse("standards:version_export", args=[version.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book["条款"].max_row == 6


def test_sibling_numbers_and_work_lines_are_checked(db: Any) -> None:
    book = Workbook()
    book.active.title = "版本"
    book.active.append(["版本编码", "版本名称", "年份"])
    book.active.append(["LOCAL-1", "本市测评细则", "二〇二六"])
    sheet = book.create_sheet("条款")
    sheet.append(["编码", "上级编码", "层级", "编号", "标题", "牵头条线编码", "一票否决"])
    sheet.append(["A", "", "方面", "一", "市容", "WL-NONE", "也许"])
    sheet.append(["B", "", "方面", "一", "重号", "", "否"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        workbook.import_workbook(out, "a.xlsx", by=None)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (2, "Version › Year", "must be a year such as 2026"),
        (2, "Clauses › One-vote veto", "must be 是 or 否"),
        (2, "Clauses › Lead work line code", "no work line has the code WL-NONE"),
        (3, "Clauses › Number", "number 一 is used twice under the same parent (also row 2)"),
    ]
    assert StandardVersion.objects.count() == 0


def test_loader_reads_points_and_pass_rules(db: Any, tmp_path: Any) -> None:
    import json

    from chuangwei.standards.loaders import load_standard_file

    data = {
        "format": "chuangwei.standard/1",
        "version": {"code": "P-1", "name": "细则", "year": 2026},
        "clauses": [
            {
                "level": "item",
                "number": "1",
                "title": "道路",
                "pass_rule": "无破损为达标",
                "children": [
                    {"level": "rule", "number": "1", "title": "每处扣1分", "points": "2.5"}
                ],
            }
        ],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    load_standard_file(path)
    rule = StandardClause.objects.get(level=ClauseLevel.RULE)
    assert (rule.points, rule.parent.pass_rule) == (Decimal("2.50"), "无破损为达标")
