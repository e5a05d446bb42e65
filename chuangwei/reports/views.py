"""Briefing pages: archive, create, edit with sections, generate with progress, review,
publish, downloads; campaign milestones (configuration pages)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from chuangwei.core.errors import DomainError
from chuangwei.core.tables import Column
from chuangwei.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    domain_error_message,
)

from . import services
from .choices import BRIEFING_STATUS_COLORS, EDITABLE_STATUSES, GENERATION_STATUS_COLORS
from .filters import BriefingFilter, MilestoneFilter
from .forms import BriefingCreateForm, BriefingEditForm, MilestoneForm, SectionForm
from .models import Briefing, BriefingSection, Milestone
from .permissions import access_briefing, can_manage

REPORTS = (_("Dashboard and briefings"), "")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

BRIEFING_URLS = {
    "list": "reports:briefing_list",
    "detail": "reports:briefing_detail",
    "create": "reports:briefing_create",
}
BRIEFING_COLUMNS = [
    Column("issue_label", _("Issue"), link=True),
    Column("headline", _("Headline"), link=True, truncate=40),
    Column("kind", _("Kind"), kind="badge"),
    Column("period_start", _("Period from"), kind="date"),
    Column("period_end", _("Period until"), kind="date"),
    Column("issue_date", _("Issue date"), kind="date"),
    Column("status", _("Status"), kind="badge", colors=BRIEFING_STATUS_COLORS),
]


class BriefingListView(ObjectListView):
    """The archive: published briefings for everyone; drafts and reviews for the office."""

    model = Briefing
    title = _("Work briefings")
    url_names = BRIEFING_URLS
    breadcrumbs = (REPORTS,)
    filterset_class = BriefingFilter
    columns = BRIEFING_COLUMNS


class BriefingCreateView(ObjectFormView):
    model = Briefing
    url_names = BRIEFING_URLS
    breadcrumbs = (REPORTS,)
    form_class = BriefingCreateForm

    def save_object(self, form: Any) -> Any:
        data = form.cleaned_data
        return services.create_briefing(
            kind=data["kind"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            headline=data.get("headline") or "",
            by=self.request.user,
        )


def _detail_context(request: HttpRequest, briefing: Briefing, **extra: Any) -> dict[str, Any]:
    editable = briefing.status in EDITABLE_STATUSES and can_manage(request.user)
    return {
        "title": briefing.headline,
        "breadcrumbs": (REPORTS, (_("Work briefings"), "reports:briefing_list")),
        "briefing": briefing,
        "sections": list(briefing.sections.all()),
        "editable": editable,
        "can_manage": can_manage(request.user),
        "edit_form": BriefingEditForm(instance=briefing) if editable else None,
        "status_colors": BRIEFING_STATUS_COLORS,
        "generation_colors": GENERATION_STATUS_COLORS,
        "pdf_available": services.libreoffice() is not None,
        "distribution": briefing.distribution_lines(),
        **extra,
    }


@login_required
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk)
    return render(request, "reports/briefing_detail.html", _detail_context(request, briefing))


@login_required
def briefing_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The generation badge and bar, polled by htmx while generation runs."""
    briefing = access_briefing(request.user, pk)
    return render(
        request,
        "reports/_progress.html",
        {"briefing": briefing, "generation_colors": GENERATION_STATUS_COLORS},
    )


def _act(request: HttpRequest, briefing: Briefing, call: Any, done: Any) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, done)
    return redirect("reports:briefing_detail", pk=briefing.pk)


@login_required
@require_POST
def briefing_update(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk, manage=True)
    form = BriefingEditForm(request.POST, instance=Briefing.objects.get(pk=pk))
    if not form.is_valid():
        context = _detail_context(request, briefing, edit_form=form)
        return render(request, "reports/briefing_detail.html", context, status=422)
    fields = {k: form.cleaned_data[k] for k in form.changed_data}
    return _act(
        request,
        briefing,
        lambda: services.update_briefing(briefing, by=request.user, **fields),
        _("Saved."),
    )


@login_required
@require_POST
def section_save(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    briefing = access_briefing(request.user, pk, manage=True)
    section = None
    if section_pk is not None:
        section = get_object_or_404(BriefingSection, pk=section_pk, briefing=briefing)
    form = SectionForm(request.POST)
    form.is_valid()
    heading = str(form.cleaned_data.get("heading") or "")
    body = str(form.cleaned_data.get("body") or "")
    return _act(
        request,
        briefing,
        lambda: services.save_section(
            briefing, by=request.user, section=section, heading=heading, body=body
        ),
        _("Saved."),
    )


@login_required
@require_POST
def section_delete(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk, manage=True)
    section = get_object_or_404(BriefingSection, pk=section_pk, briefing=briefing)
    return _act(
        request,
        briefing,
        lambda: services.delete_section(briefing, section, by=request.user),
        _("Deleted."),
    )


def _step_view(service: Any, done: Any) -> Any:
    """A POST view that runs one briefing workflow step (``service(briefing, by=user)``) and
    returns to the briefing with its message or the refusal."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        briefing = access_briefing(request.user, pk, manage=True)
        return _act(request, briefing, lambda: service(briefing, by=request.user), done)

    return view


briefing_generate = _step_view(services.request_generation, _("Generation started."))
briefing_submit = _step_view(services.submit_briefing, _("Sent for review."))
briefing_return = _step_view(services.return_briefing, _("Returned to draft."))
briefing_publish = _step_view(services.publish_briefing, _("Published."))


def _filename(briefing: Briefing, ext: str) -> str:
    number = f"{briefing.year}-{briefing.year_number:03d}" if briefing.year_number else "draft"
    return f"{briefing.masthead}_{number}.{ext}"


@login_required
def briefing_docx(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk)
    response = HttpResponse(services.briefing_docx(briefing), content_type=DOCX)
    response["Content-Disposition"] = _disposition(_filename(briefing, "docx"))
    return response


@login_required
def briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk)
    try:
        content = services.briefing_pdf(briefing)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
        response = redirect("reports:briefing_detail", pk=briefing.pk)
        response.status_code = 303
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = _disposition(_filename(briefing, "pdf"))
    return response


def _disposition(name: str) -> str:
    return f"attachment; filename=\"briefing.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"


# Readiness report --------------------------------------------------------------------------


@login_required
def readiness_report(request: HttpRequest) -> HttpResponse:
    """The readiness board of ``?unit=`` for ``?year=`` as a Word document (公文 layout)."""
    from django.conf import settings
    from django.utils import timezone

    from chuangwei.readiness.board import readiness_board
    from chuangwei.readiness.views_board import board_year, chosen_board_unit

    from .documents import render_readiness_report

    unit, _units = chosen_board_unit(request)
    year = board_year(request)
    board = readiness_board(unit, year=year)
    content = render_readiness_report(
        board, office=settings.CHUANGWEI_BRIEFING_OFFICE, issued=timezone.localdate()
    )
    response = HttpResponse(content, content_type=DOCX)
    name = f"{unit.name}{year}年创卫迎检准备情况.docx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"readiness.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


# Milestones --------------------------------------------------------------------------------

MILESTONE_URLS = {
    "list": "reports:milestone_list",
    "detail": "reports:milestone_detail",
    "create": "reports:milestone_create",
    "update": "reports:milestone_update",
    "delete": "reports:milestone_delete",
}
MILESTONE_COLUMNS = [
    Column("name", _("Name"), link=True),
    Column("date", _("Date"), kind="date"),
    Column("kind", _("Kind"), kind="badge"),
    Column("note", _("Note"), truncate=40),
]


class MilestoneListView(ObjectListView):
    model = Milestone
    title = _("Campaign milestones")
    url_names = MILESTONE_URLS
    breadcrumbs = (REPORTS,)
    filterset_class = MilestoneFilter
    columns = MILESTONE_COLUMNS


class MilestoneDetailView(ObjectDetailView):
    model = Milestone
    url_names = MILESTONE_URLS
    breadcrumbs = (REPORTS,)
    fields = MILESTONE_COLUMNS


class MilestoneFormView(ObjectFormView):
    model = Milestone
    url_names = MILESTONE_URLS
    breadcrumbs = (REPORTS,)
    form_class = MilestoneForm

    save_service = services.save_milestone


class MilestoneDeleteView(ObjectDeleteView):
    model = Milestone
    url_names = MILESTONE_URLS
    delete_service = services.delete_milestone
