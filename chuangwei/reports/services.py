"""Writes of the reports app: briefings from draft to published, issue numbers, milestones.

Issue numbers are given at publication (drafts burn no number): ``publish_briefing`` claims
the briefing with a guarded update, then ``assign_issue_number`` takes the office's counter
row (``select_for_update`` on PostgreSQL; SQLite writers are serialised by its IMMEDIATE
transactions) and moves it with a compare-and-set UPDATE, all in one transaction. A failure
anywhere rolls the counter back with the briefing, so numbers never repeat or skip.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.permissions import can_manage_config
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.models import delete_row
from chuangwei.core.tasks import enqueue
from chuangwei.problems.models import Problem

from . import providers, selectors
from .choices import (
    EDITABLE_STATUSES,
    BriefingKind,
    BriefingStatus,
    GenerationStatus,
    SectionKind,
)
from .documents import render_briefing
from .models import Briefing, BriefingSection, IssueCounter, Milestone
from .richtext import clean_html

TYPICAL_LIMIT = 6
EDITABLE_FIELDS = frozenset(
    {
        "headline",
        "masthead",
        "office",
        "period_start",
        "period_end",
        "issue_date",
        "distribution_bao",
        "distribution_song",
        "distribution_fa",
    }
)
DEFAULT_DISTRIBUTION = {
    "distribution_bao": "市委、市政府主要领导\n市创卫领导小组各位领导",
    "distribution_song": "市创卫领导小组各成员单位",
    "distribution_fa": "各区（市）创卫办，各街道（镇）",
}


class BriefingLocked(Conflict):
    code = "briefing_locked"
    default_message = _("A published briefing cannot be changed.")


class PdfUnavailable(InvalidInput):
    code = "pdf_unavailable"
    status = 404
    default_message = _("PDF needs LibreOffice on the server; download the .docx instead.")


def _require_office(by: Any) -> None:
    if not can_manage_config(by):
        raise NotAllowed()


def default_sections() -> list[tuple[str, str]]:
    return [
        (SectionKind.TEXT, str(_("Progress of the work"))),
        (SectionKind.STATISTICS, str(_("Problems found and rectified"))),
        (SectionKind.RANKINGS, str(_("Rankings and red/black lists"))),
        (SectionKind.TYPICAL, str(_("Typical problems"))),
        (SectionKind.OVERDUE, str(_("Problems overdue by unit"))),
        (SectionKind.TEXT, str(_("Next steps"))),
    ]


def default_headline(kind: str, period: selectors.Period) -> str:
    if kind == BriefingKind.WEEKLY:
        text = _("Weekly ranking of problem rectification, %(period)s")
    elif kind == BriefingKind.MONTHLY:
        text = _("The campaign in %(year)s, month %(month)s")
    else:
        text = _("Work briefing, %(period)s")
    return str(text) % {
        "period": period.label(),
        "year": period.start.year,
        "month": period.start.month,
    }


def create_briefing(
    *,
    kind: str,
    period_start: date,
    period_end: date,
    by: Any,
    headline: str = "",
    scheduled: bool = False,
) -> Briefing:
    """A new draft with the default sections and distribution lists. Raises InvalidInput for
    a period that ends before it starts; NotAllowed unless ``by`` is office staff (``None`` is
    the scheduler)."""
    if by is not None:
        _require_office(by)
    if period_end < period_start:
        raise InvalidInput(
            _("The period must end on or after its first day."), fields={"period_end": []}
        )
    period = selectors.Period(period_start, period_end)
    with transaction.atomic():
        briefing = Briefing.objects.create(
            kind=kind,
            masthead=settings.CHUANGWEI_BRIEFING_MASTHEAD,
            office=settings.CHUANGWEI_BRIEFING_OFFICE,
            headline=headline or default_headline(kind, period),
            period_start=period_start,
            period_end=period_end,
            scheduled=scheduled,
            created_by=by,
            **DEFAULT_DISTRIBUTION,
        )
        BriefingSection.objects.bulk_create(
            BriefingSection(briefing=briefing, position=i, kind=k, heading=h)
            for i, (k, h) in enumerate(default_sections())
        )
    return briefing


def _guard_editable(briefing: Briefing, **changes: Any) -> None:
    """Apply ``changes`` only while the briefing is a draft or in review."""
    changes["updated_at"] = timezone.now()
    if not Briefing.objects.filter(pk=briefing.pk, status__in=EDITABLE_STATUSES).update(**changes):
        raise BriefingLocked()
    for key, value in changes.items():
        setattr(briefing, key, value)


def update_briefing(briefing: Briefing, *, by: Any, **fields: Any) -> Briefing:
    """Change the title block, period or distribution of an unpublished briefing."""
    _require_office(by)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(fields={k: [_("This field cannot be changed.")] for k in unknown})
    start = fields.get("period_start", briefing.period_start)
    end = fields.get("period_end", briefing.period_end)
    if end < start:
        raise InvalidInput(
            _("The period must end on or after its first day."), fields={"period_end": []}
        )
    _guard_editable(briefing, **fields)
    return briefing


def save_section(
    briefing: Briefing,
    *,
    by: Any,
    heading: str,
    body: str = "",
    section: BriefingSection | None = None,
    kind: str = SectionKind.TEXT,
) -> BriefingSection:
    """Add or change a section; staff text is reduced to the allowed rich-text subset."""
    _require_office(by)
    if not heading.strip():
        raise InvalidInput(fields={"heading": [_("This field is required.")]})
    with transaction.atomic():
        _guard_editable(briefing)
        if section is None:
            last = briefing.sections.order_by("-position").first()
            section = BriefingSection(
                briefing=briefing, kind=kind, position=(last.position + 1) if last else 0
            )
        elif section.briefing_id != briefing.pk:
            raise InvalidInput()
        section.heading = heading.strip()[:100]
        section.body = clean_html(body) if section.kind == SectionKind.TEXT else ""
        section.save()
    return section


def delete_section(briefing: Briefing, section: BriefingSection, *, by: Any) -> None:
    _require_office(by)
    with transaction.atomic():
        _guard_editable(briefing)
        BriefingSection.objects.filter(pk=section.pk, briefing=briefing).delete()


def request_generation(briefing: Briefing, *, by: Any) -> Briefing:
    """Queue the generation of the figures; progress shows on the briefing (status + %)."""
    _require_office(by)
    with transaction.atomic():
        _guard_editable(
            briefing, generation_status=GenerationStatus.QUEUED, progress=0, generation_error=""
        )
        enqueue(generate_briefing_task, briefing.pk)
    return briefing


def _progress(pk: int, percent: int, status: str = GenerationStatus.RUNNING) -> None:
    Briefing.objects.filter(pk=pk).update(generation_status=status, progress=percent)


def briefing_figures(
    briefing: Briefing, now: datetime, *, typical_limit: int = TYPICAL_LIMIT
) -> dict[str, Any]:
    """The frozen figures of the generated sections (see ``documents``), reporting progress."""
    period = selectors.Period(briefing.period_start, briefing.period_end)
    problems = Problem.objects.all()
    until = min(now, period.until)
    _progress(briefing.pk, 10)
    totals = selectors.period_totals(problems, period, until)
    units = selectors.unit_table(problems, period, until, depth=1)
    _progress(briefing.pk, 40)
    typical = selectors.typical_problems(period, typical_limit)
    _progress(briefing.pk, 70)
    overdue_items = selectors.overdue_list(problems, until)
    return {
        "period": period.label(),
        "generated_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        "totals": totals,
        "units": [
            {
                "id": u.unit_id,
                "name": u.name,
                "reported": u.reported,
                "closed": u.closed,
                "on_time_rate": u.on_time_rate,
                "reworked": u.reworked,
                "open": u.open,
                "overdue": u.overdue,
            }
            for u in units
        ],
        "red_black": providers.red_black_lists(period.start, period.end),
        "typical": typical,
        "overdue": {
            "by_unit": [{"name": u.name, "count": u.overdue} for u in units if u.overdue],
            "items": overdue_items,
        },
    }


def generate_briefing(
    pk: int, *, now: datetime | None = None, typical_limit: int = TYPICAL_LIMIT
) -> None:
    """Compute and store the figures of an unpublished briefing; status and percent show the
    progress. A failure is recorded on the row (``failed`` + message), never raised."""
    now = now or timezone.now()
    briefing = Briefing.objects.filter(pk=pk, status__in=EDITABLE_STATUSES).first()
    if briefing is None:
        return
    _progress(pk, 5)
    try:
        data = briefing_figures(briefing, now, typical_limit=typical_limit)
    except Exception as exc:  # the office sees the failure on the page and can retry
        Briefing.objects.filter(pk=pk).update(
            generation_status=GenerationStatus.FAILED, generation_error=str(exc)[:300]
        )
        return
    Briefing.objects.filter(pk=pk, status__in=EDITABLE_STATUSES).update(
        data=data, generation_status=GenerationStatus.DONE, progress=100, updated_at=now
    )


def generate_briefing_task(pk: int) -> None:
    generate_briefing(pk)


def _move(briefing: Briefing, source: str, target: str, **changes: Any) -> None:
    changes.update(status=target, updated_at=timezone.now())
    if not Briefing.objects.filter(pk=briefing.pk, status=source).update(**changes):
        raise Conflict()
    for key, value in changes.items():
        setattr(briefing, key, value)


def submit_briefing(briefing: Briefing, *, by: Any) -> Briefing:
    """Draft → in review; the figures must have been generated."""
    _require_office(by)
    if briefing.generation_status != GenerationStatus.DONE:
        raise InvalidInput(_("Generate the figures before sending the briefing for review."))
    _move(briefing, BriefingStatus.DRAFT, BriefingStatus.REVIEW)
    return briefing


def return_briefing(briefing: Briefing, *, by: Any) -> Briefing:
    """In review → draft (the reviewer wants changes)."""
    _require_office(by)
    _move(briefing, BriefingStatus.REVIEW, BriefingStatus.DRAFT)
    return briefing


def assign_issue_number(office: str, year: int) -> tuple[int, int]:
    """The next (year number, cumulative number) of ``office``; call inside the transaction
    that publishes, so a rollback returns the number. A new year restarts the year number."""
    if not IssueCounter.objects.filter(office=office).exists():
        try:
            with transaction.atomic():
                IssueCounter.objects.create(office=office, year=year)
        except IntegrityError:
            pass  # another publisher created it first
    while True:
        counter = IssueCounter.objects.select_for_update().get(office=office)
        number = counter.year_number + 1 if counter.year == year else 1
        total = counter.total_number + 1
        moved = IssueCounter.objects.filter(
            pk=counter.pk, total_number=counter.total_number
        ).update(year=year, year_number=number, total_number=total)
        if moved:
            return number, total


def publish_briefing(briefing: Briefing, *, by: Any, now: datetime | None = None) -> Briefing:
    """In review → published: issue numbers, issue date (today unless set) and the stored
    .docx, in one transaction. Raises Conflict if someone else published or returned it."""
    _require_office(by)
    now = now or timezone.now()
    issue_date = briefing.issue_date or timezone.localdate(now)
    with transaction.atomic():
        _move(
            briefing,
            BriefingStatus.REVIEW,
            BriefingStatus.PUBLISHED,
            issue_date=issue_date,
            published_by=by,
            published_at=now,
        )
        number, total = assign_issue_number(briefing.office, issue_date.year)
        Briefing.objects.filter(pk=briefing.pk).update(
            year=issue_date.year, year_number=number, total_number=total
        )
        briefing.year, briefing.year_number, briefing.total_number = issue_date.year, number, total
        content = render_briefing(briefing)
        briefing.document.save(
            # Stored as briefings/<year>/… (the field's upload_to is the "briefings/" folder).
            f"{issue_date.year}/briefing-{issue_date.year}-{number:03d}.docx",
            ContentFile(content),
            save=False,
        )
        Briefing.objects.filter(pk=briefing.pk).update(document=briefing.document.name)
    return briefing


def briefing_docx(briefing: Briefing) -> bytes:
    """The stored document of a published briefing, or a fresh rendering of a draft."""
    if briefing.is_published and briefing.document:
        with briefing.document.open("rb") as handle:
            return handle.read()
    return render_briefing(briefing)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def briefing_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF through ``libreoffice --headless --convert-to pdf``.

    Raises PdfUnavailable when LibreOffice is not installed or the conversion fails."""
    binary = libreoffice()
    if binary is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "briefing.docx"
        source.write_bytes(briefing_docx(briefing))
        try:
            subprocess.run(
                [binary, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            return (Path(folder) / "briefing.pdf").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable() from exc


def draft_scheduled_briefing(kind: str, *, now: datetime) -> Briefing | None:
    """The scheduler's draft for the last full week or month before ``now``, generated.

    Idempotent: returns None when that period's scheduled draft already exists."""
    today = timezone.localdate(now)
    if kind == BriefingKind.WEEKLY:
        period = selectors.week_of(today - timedelta(days=7))
    else:
        period = selectors.month_of(today.replace(day=1) - timedelta(days=1))
    if Briefing.objects.filter(kind=kind, period_start=period.start, scheduled=True).exists():
        return None
    try:
        with transaction.atomic():
            briefing = create_briefing(
                kind=kind, period_start=period.start, period_end=period.end, by=None, scheduled=True
            )
    except IntegrityError:
        return None  # a parallel run drafted it
    generate_briefing(briefing.pk, now=now)
    briefing.refresh_from_db()
    return briefing


def save_milestone(milestone: Milestone, *, by: Any) -> Milestone:
    _require_office(by)
    milestone.full_clean()
    milestone.save()
    return milestone


def delete_milestone(milestone: Milestone, *, by: Any) -> None:
    """Delete a campaign milestone (office only)."""
    _require_office(by)
    delete_row(milestone)
