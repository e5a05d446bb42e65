"""A small dossier: a published standard (two aspects, an article and an item each), the
current cycle judged by it, and requirements kept by streets, by the district and by a
department. Files are tiny but real (a PDF, a PNG), so the type sniffing passes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwei.readiness.models import EvaluationCycle, EvidenceRequirement
from chuangwei.standards.models import StandardClause, StandardVersion
from chuangwei.standards.services import save_standard_clause

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def pdf(name: str = "方案.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def clause(version: StandardVersion, parent: Any, level: str, number: str, title: str) -> Any:
    return save_standard_clause(
        StandardClause(version=version, parent=parent, level=level, number=number, title=title),
        by=None,
    )


@pytest.fixture
def dossier_world(
    personas: dict[str, Any], org_tree: dict[str, Any], settings: Any, tmp_path: Any
) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    version = StandardVersion.objects.create(code="GWS", name="国家卫生城市标准", year=2021)
    a1 = clause(version, None, "aspect", "一", "爱国卫生组织管理")
    art1 = clause(version, a1, "article", "（一）", "组织机构")
    item1 = clause(version, art1, "item", "1", "建立爱卫会")
    a2 = clause(version, None, "aspect", "二", "病媒生物预防控制")
    art2 = clause(version, a2, "article", "（二十一）", "病媒防制")
    item2 = clause(version, art2, "item", "2", "防制方案")
    StandardVersion.objects.filter(pk=version.pk).update(status="published")
    version.refresh_from_db()
    EvaluationCycle.objects.create(
        kind="review", name="复审", start_year=2025, end_year=2027, standard_version=version,
        is_current=True,
    )  # fmt: skip
    yearly = EvidenceRequirement.objects.create(
        clause=item1, title="爱卫会会议纪要", frequency="yearly", unit_kinds=["street"]
    )
    quarterly = EvidenceRequirement.objects.create(
        clause=item2, title="病媒监测报告", frequency="quarterly", unit_kinds=["district"]
    )
    once = EvidenceRequirement.objects.create(
        clause=item2, title="防制方案文本", frequency="once", unit_kinds=[]
    )
    once.units.add(org_tree["department"])
    return {
        **personas,
        **org_tree,
        "version": version,
        "aspect1": a1,
        "aspect2": a2,
        "item1": item1,
        "item2": item2,
        "yearly": yearly,
        "quarterly": quarterly,
        "once": once,
    }
