"""Briefings: generated figures, the .docx layout, immutability, PDF without LibreOffice,
the rich-text subset and the scheduled drafts."""

from __future__ import annotations

import io
from datetime import date
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from docx import Document

from chuangwei.problems.models import ProblemPhoto
from chuangwei.problems.tests.images import make_jpeg
from chuangwei.reports import services
from chuangwei.reports.models import Briefing
from chuangwei.reports.richtext import clean_html

from .conftest import END, NOW, START, at

pytestmark = pytest.mark.django_db


def draft(office: Any, **kwargs: Any) -> Briefing:
    return services.create_briefing(
        kind="monthly", period_start=START, period_end=END, by=office, **kwargs
    )


def add_photos(problem: Any, seed: int) -> None:
    from django.core.files.base import ContentFile

    for kind in ("before", "after"):
        content = make_jpeg(width=400, height=300, color=(seed * 40 % 255, 120, 90))
        photo = ProblemPhoto(
            problem=problem, kind=kind, content_type="image/jpeg", size=len(content),
            sha256=f"{seed}{kind}", created_at=at(3),
        )  # fmt: skip
        for field in ("original", "thumbnail", "public_copy"):
            getattr(photo, field).save(f"{kind}.jpg", ContentFile(content), save=False)
        photo.save()


def published(office: Any) -> Briefing:
    briefing = draft(office)
    services.generate_briefing(briefing.pk, now=NOW)
    briefing.refresh_from_db()
    services.submit_briefing(briefing, by=office)
    return services.publish_briefing(briefing, by=office, now=NOW)


def test_a_new_draft_has_the_default_sections_and_distribution(personas):
    briefing = draft(personas["office"])
    kinds = list(briefing.sections.values_list("kind", flat=True))
    assert kinds == ["text", "statistics", "rankings", "typical", "overdue", "text"]
    assert briefing.distribution_bao.splitlines() == [
        "市委、市政府主要领导",
        "市创卫领导小组各位领导",
    ]
    assert (briefing.status, briefing.generation_status) == ("draft", "idle")


def test_generation_freezes_the_figures_of_the_period(personas, march):
    briefing = draft(personas["office"])
    services.generate_briefing(briefing.pk, now=NOW)
    briefing.refresh_from_db()
    totals = briefing.data["totals"]
    assert (briefing.generation_status, briefing.progress) == ("done", 100)
    assert (totals["reported"], totals["closed"], totals["on_time_rate"]) == (4, 3, 66.7)
    assert [(u["name"], u["open"], u["overdue"]) for u in briefing.data["units"]] == [
        ("甲区", 2, 1)
    ]
    assert [i["code"] for i in briefing.data["overdue"]["items"]] == [march["overdue"].code]
    assert briefing.data["red_black"] == {}


def test_requesting_generation_runs_it_in_the_background_after_commit(
    personas, march, django_capture_on_commit_callbacks
):
    briefing = draft(personas["office"])
    with django_capture_on_commit_callbacks(execute=True):
        services.request_generation(briefing, by=personas["office"])
        assert Briefing.objects.get(pk=briefing.pk).generation_status == "queued"
    briefing.refresh_from_db()
    assert (briefing.generation_status, briefing.progress) == ("done", 100)


def test_a_failed_generation_is_shown_on_the_briefing(personas):
    briefing = draft(personas["office"])
    with mock.patch.object(services.selectors, "unit_table", side_effect=ValueError("boom")):
        services.generate_briefing(briefing.pk, now=NOW)
    briefing.refresh_from_db()
    assert (briefing.generation_status, briefing.generation_error) == ("failed", "boom")


def test_the_docx_has_the_title_block_tables_photos_and_distribution(personas, march):
    add_photos(march["on_time"], 1)
    office = personas["office"]
    briefing = published(office)
    doc = Document(io.BytesIO(services.briefing_docx(briefing)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "创卫工作简报"
    assert "2026年第1期（总第1期）" in texts
    assert any(t.startswith("市创卫办\t2026年3月18日") for t in texts)
    assert texts[-3:] == [
        "报：市委、市政府主要领导、市创卫领导小组各位领导",
        "送：市创卫领导小组各成员单位",
        "发：各区（市）创卫办，各街道（镇）",
    ]
    statistics = doc.tables[0]
    assert [c.text for c in statistics.rows[1].cells] == ["甲区", "4", "3", "66.7%", "1", "2", "1"]
    assert len(doc.inline_shapes) == 3  # the chart, one before and one after photo
    assert doc.sections[0].top_margin.mm == pytest.approx(37, abs=0.1)


def test_a_published_briefing_cannot_change(personas, march):
    office = personas["office"]
    briefing = published(office)
    section = briefing.sections.first()
    with pytest.raises(services.BriefingLocked):
        services.update_briefing(briefing, by=office, headline="改")
    with pytest.raises(services.BriefingLocked):
        services.save_section(briefing, by=office, section=section, heading="改")
    with pytest.raises(services.BriefingLocked):
        services.request_generation(briefing, by=office)
    assert Briefing.objects.get(pk=briefing.pk).headline == briefing.headline


def test_a_published_briefing_downloads_its_stored_document(personas, march):
    briefing = published(personas["office"])
    stored = briefing.document.read()
    assert services.briefing_docx(Briefing.objects.get(pk=briefing.pk)) == stored


def test_review_needs_generated_figures(personas):
    briefing = draft(personas["office"])
    with pytest.raises(services.InvalidInput):
        services.submit_briefing(briefing, by=personas["office"])


@pytest.mark.parametrize("persona", ["leader", "handler_a", "inspector"])
def test_only_the_office_writes_briefings(personas, persona):
    with pytest.raises(services.NotAllowed):
        draft(personas[persona])


def test_pdf_without_libreoffice_says_so(personas, march, monkeypatch):
    monkeypatch.setattr(services.shutil, "which", lambda name: None)
    with pytest.raises(services.PdfUnavailable):
        services.briefing_pdf(draft(personas["office"]))


def test_staff_text_keeps_only_paragraphs_emphasis_and_lists():
    html = '<p style="x">一、<b onclick="y">重点</b><script>alert(1)</script></p><ul><li>甲</li><li><i>乙</i></li></ul><div>丙<br>丁</div>'
    assert (
        clean_html(html)
        == "<p>一、<b>重点</b></p><ul><li>甲</li><li><i>乙</i></li></ul><p>丙</p><p>丁</p>"
    )


def test_the_scheduler_drafts_last_week_and_last_month_once(personas, march, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    call_command("draft_briefings", stdout=StringIO())
    call_command("draft_briefings", stdout=StringIO())
    rows = sorted(
        Briefing.objects.values_list("kind", "period_start", "period_end", "generation_status")
    )
    assert rows == [
        ("monthly", date(2026, 2, 1), date(2026, 2, 28), "done"),
        ("weekly", date(2026, 3, 9), date(2026, 3, 15), "done"),
    ]
