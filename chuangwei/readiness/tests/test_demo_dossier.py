"""The demo dossier: deterministic, about 60 % approved, real files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from chuangwei.readiness import dossier
from chuangwei.readiness.demo_dossier import build_demo_dossier, demo_pdf, demo_png
from chuangwei.readiness.models import Evidence, EvidenceFile, EvidenceRequirement
from chuangwei.readiness.uploads import sniff

from .dossier_fixtures import NOW, clause

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_standard(dossier_world):
    version = dossier_world["version"]
    from chuangwei.standards.models import StandardVersion

    StandardVersion.objects.filter(pk=version.pk).update(status="draft")
    aspect = dossier_world["aspect1"]
    third = clause(version, aspect, "article", "（三）", "工作机制")
    clause(version, third, "item", "1", "有计划有总结")
    clause(version, third, "item", "3", "群众性爱国卫生运动")
    toilets = clause(version, aspect, "article", "（十五）", "厕所革命")
    clause(version, toilets, "item", "2", "公厕干净整洁")
    return dossier_world


def test_the_demo_dossier_is_deterministic_and_mostly_complete(demo_standard):
    made = build_demo_dossier(seed=2026, now=NOW, version=demo_standard["version"])
    assert (made.requirements, made.records) == (4, 7)
    assert (made.approved, made.pending, made.returned) == (4, 2, 1)
    assert EvidenceRequirement.objects.count() == 7
    assert Evidence.objects.filter(status="returned").exclude(remark="").count() == 1
    grid = dossier.dossier_completeness(year=2026, version=demo_standard["version"])
    assert grid.percent == Decimal("15.4")  # of the whole year; Q3 and Q4 have not begun


def test_the_demo_files_are_what_their_names_say(demo_standard):
    build_demo_dossier(seed=2026, now=NOW, version=demo_standard["version"])
    for row in EvidenceFile.objects.all()[:5]:
        with default_storage.open(row.file.name, "rb") as handle:
            head = handle.read(16)
        assert sniff(head) == ("pdf" if row.name.endswith(".pdf") else "png")


def test_the_generated_documents_have_valid_signatures():
    assert demo_pdf("材料").startswith(b"%PDF-1.4") and demo_pdf("材料").endswith(b"%%EOF\n")
    assert sniff(demo_png(1)) == "png"
