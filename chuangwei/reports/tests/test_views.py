"""Briefing and milestone pages and API: an authorisation matrix per endpoint (denied calls
change nothing), the archive's query count, and error messages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chuangwei.reports import services
from chuangwei.reports.models import Briefing, Milestone

from .conftest import END, NOW, START

pytestmark = pytest.mark.django_db
WRITERS = {"admin", "office"}
READERS = ["handler_a", "handler_b", "grid_worker", "inspector", "leader", "supervisor"]
ALL = sorted(WRITERS) + READERS


def make(office: Any, status: str = "draft") -> Briefing:
    briefing = services.create_briefing(
        kind="monthly", period_start=START, period_end=END, by=office
    )
    if status != "draft":
        services.generate_briefing(briefing.pk, now=NOW)
        briefing.refresh_from_db()
        services.submit_briefing(briefing, by=office)
    if status == "published":
        services.publish_briefing(briefing, by=office, now=NOW)
    return briefing


@pytest.mark.parametrize("persona", ALL)
def test_everyone_signed_in_reads_the_archive_of_published_briefings(client_as, personas, persona):
    published = make(personas["office"], "published")
    draft = make(personas["office"])
    client = client_as(persona)
    page = client.get("/reports/")
    assert page.status_code == 200
    assert published.headline in page.content.decode()
    assert client.get(f"/reports/briefings/{published.pk}/").status_code == 200
    assert client.get(f"/reports/briefings/{published.pk}/docx/").status_code == 200
    expected = 200 if persona in WRITERS else 404
    assert client.get(f"/reports/briefings/{draft.pk}/").status_code == expected


def test_anonymous_users_are_sent_to_log_in(client_as, personas):
    briefing = make(personas["office"], "published")
    for path in ("/reports/", f"/reports/briefings/{briefing.pk}/", "/reports/milestones/"):
        assert client_as("anonymous").get(path).status_code == 302


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("action", ["generate", "submit", "edit", "sections"])
def test_only_the_office_changes_a_draft(client_as, personas, persona, action):
    briefing = make(personas["office"])
    data = {"heading": "新栏目", "body": "<p>内容</p>", "headline": "新标题", "masthead": "创卫简报",
            "office": "市创卫办", "period_start": "2026-03-01", "period_end": "2026-03-15"}  # fmt: skip
    response = client_as(persona).post(f"/reports/briefings/{briefing.pk}/{action}/", data)
    if persona in WRITERS:
        fresh = Briefing.objects.get(pk=briefing.pk)
        changed = {
            "generate": ("draft", "queued", briefing.headline, 6),
            "submit": ("draft", "idle", briefing.headline, 6),  # refused: not generated yet
            "edit": ("draft", "idle", "新标题", 6),
            "sections": ("draft", "idle", briefing.headline, 7),
        }[action]
        assert (response.status_code, response["Location"]) == (
            302,
            f"/reports/briefings/{briefing.pk}/",
        )
        state = (fresh.status, fresh.generation_status, fresh.headline, fresh.sections.count())
        assert state == changed
    else:
        assert response.status_code == 404
        fresh = Briefing.objects.get(pk=briefing.pk)
        assert (fresh.status, fresh.generation_status, fresh.headline) == (
            "draft",
            "idle",
            briefing.headline,
        )
        assert fresh.sections.count() == 6


@pytest.mark.parametrize("persona", ["leader", "inspector"])
def test_readers_cannot_publish_a_briefing_in_review(client_as, personas, persona):
    briefing = make(personas["office"], "review")
    response = client_as(persona).post(f"/reports/briefings/{briefing.pk}/publish/")
    assert response.status_code == 404
    assert Briefing.objects.get(pk=briefing.pk).status == "review"


def test_the_office_publishes_through_the_page(client_as, personas, march):
    briefing = make(personas["office"], "review")
    response = client_as("office").post(f"/reports/briefings/{briefing.pk}/publish/")
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert (briefing.status, briefing.year_number, briefing.total_number) == ("published", 1, 1)
    assert briefing.document.name == "briefings/2026/briefing-2026-001.docx"


def test_editing_a_published_briefing_shows_a_chinese_message(client_as, personas):
    briefing = make(personas["office"], "published")
    client = client_as("office")
    response = client.post(f"/reports/briefings/{briefing.pk}/generate/", follow=True)
    assert "简报已发布，不能再修改。" in response.content.decode()
    assert Briefing.objects.get(pk=briefing.pk).generation_status == "done"


def test_a_section_keeps_only_safe_rich_text(client_as, personas):
    briefing = make(personas["office"])
    section = briefing.sections.first()
    client_as("office").post(
        f"/reports/briefings/{briefing.pk}/sections/{section.pk}/",
        {"heading": "工作进展", "body": '<p onclick="x()">好<script>bad()</script></p>'},
    )
    section.refresh_from_db()
    assert section.body == "<p>好</p>"


def test_pdf_link_without_libreoffice_returns_to_the_page_with_a_message(
    client_as, personas, monkeypatch
):
    monkeypatch.setattr(services.shutil, "which", lambda name: None)
    briefing = make(personas["office"], "published")
    response = client_as("office").get(f"/reports/briefings/{briefing.pk}/pdf/", follow=True)
    assert response.redirect_chain[-1][1] == 303
    assert "无法生成 PDF" in response.content.decode()


def test_the_archive_runs_a_fixed_number_of_queries(client_as, personas, django_assert_num_queries):
    for _ in range(3):
        make(personas["office"], "published")
    client = client_as("leader")
    client.get("/reports/")
    with django_assert_num_queries(6):
        client.get("/reports/")


def test_the_archive_exports_to_excel(client_as, personas):
    make(personas["office"], "published")
    response = client_as("leader").get("/reports/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("persona", ALL)
def test_only_the_office_edits_milestones(client_as, persona):
    data = {"name": "国家暗访", "date": "2026-05-01", "kind": "national", "note": ""}
    response = client_as(persona).post("/reports/milestones/new/", data)
    assert response.status_code == (302 if persona in WRITERS else 403)
    assert Milestone.objects.count() == (1 if persona in WRITERS else 0)


# API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL)
def test_api_creates_briefings_for_the_office_only(api_as, persona):
    body = {"kind": "weekly", "period_start": "2026-03-09", "period_end": "2026-03-15"}
    response = api_as(persona).post("/api/v1/briefings/", body, format="json")
    assert response.status_code == (201 if persona in WRITERS else 403)
    assert Briefing.objects.count() == (1 if persona in WRITERS else 0)
    if persona not in WRITERS:
        assert response.json()["error"]["code"] == "not_allowed"


def test_api_lists_only_published_briefings_to_readers(api_as, personas):
    published = make(personas["office"], "published")
    make(personas["office"])
    rows = api_as("leader").get("/api/v1/briefings/").json()["results"]
    assert [(r["id"], r["issue_label"]) for r in rows] == [(published.pk, "2026年第1期（总第1期）")]


def test_api_generate_review_publish(api_as, personas, march, django_capture_on_commit_callbacks):
    api = api_as("office")
    briefing = make(personas["office"])
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/briefings/{briefing.pk}/generate/").status_code == 202
    assert api.get(f"/api/v1/briefings/{briefing.pk}/").json()["progress"] == 100
    assert api.post(f"/api/v1/briefings/{briefing.pk}/submit/").status_code == 200
    out = api.post(f"/api/v1/briefings/{briefing.pk}/publish/").json()
    assert (out["status"], out["year_number"], out["total_number"]) == ("published", 1, 1)
    docx = api.get(f"/api/v1/briefings/{briefing.pk}/docx/")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_api_refuses_a_bad_period_with_the_error_shape(api_as):
    body = {"kind": "weekly", "period_start": "2026-03-15", "period_end": "2026-03-09"}
    response = api_as("office").post("/api/v1/briefings/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"period_end": []}
    assert Briefing.objects.count() == 0


def test_api_publishing_a_draft_is_a_conflict(api_as, personas):
    briefing = make(personas["office"])
    response = api_as("office").post(f"/api/v1/briefings/{briefing.pk}/publish/")
    assert response.status_code == 409
    assert Briefing.objects.get(pk=briefing.pk).year_number is None


@pytest.mark.parametrize("persona", ALL)
def test_api_milestones_are_read_by_all_and_written_by_the_office(api_as, persona):
    Milestone.objects.create(name="省级复审", date=date(2026, 6, 1))
    api = api_as(persona)
    assert api.get("/api/v1/milestones/").json()["count"] == 1
    body = {"name": "国家暗访", "date": "2026-05-01", "kind": "national"}
    response = api.post("/api/v1/milestones/", body, format="json")
    assert response.status_code == (201 if persona in WRITERS else 403)
