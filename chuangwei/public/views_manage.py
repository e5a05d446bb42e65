"""Office pages for the public side: moderation of the 曝光台, citizen categories,
satisfaction ratings, surveys and polls with their results. Office and admin manage;
leaders may read results."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.accounts.permissions import can_read_public_feedback, is_office
from chuangwei.core.errors import DomainError
from chuangwei.core.views import domain_error_message
from chuangwei.problems.models import Problem

from . import selectors, services
from .choices import (
    EXPOSURE_COLORS,
    PUBLICATION_COLORS,
    SATISFACTION_COLORS,
    ExposureStatus,
    PublicationStatus,
    SurveyKind,
)
from .models import Exposure, Poll, PublicCategory, SatisfactionRating, Survey

PUBLIC = gettext_lazy("Public")
LIST_LIMIT = 100


def _require_office(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied


def _require_reader(request: HttpRequest) -> None:
    if not can_read_public_feedback(request.user):
        raise PermissionDenied


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, domain_error_message(exc))


# Moderation (曝光台) -------------------------------------------------------------------------


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    status = request.GET.get("status", "")
    qs = Exposure.objects.select_related("problem", "problem__unit", "created_by").order_by(
        "-created_at", "-id"
    )
    if status in ExposureStatus.values:
        qs = qs.filter(status=status)
    ratings = SatisfactionRating.objects.select_related("problem").order_by("-created_at")[:20]
    return render(
        request,
        "public/manage/moderation.html",
        {
            "title": _("Public content"),
            "breadcrumbs": ((PUBLIC, reverse("public:moderation")),),
            "exposures": list(qs[:LIST_LIMIT]),
            "statuses": ExposureStatus.choices,
            "status": status,
            "colors": EXPOSURE_COLORS,
            "ratings": ratings,
            "rating_colors": SATISFACTION_COLORS,
        },
    )


@login_required
@require_POST
def exposure_create(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    code = request.POST.get("code", "").strip()
    problem = Problem.objects.visible_to(request.user).filter(code=code).first()
    if problem is None:
        messages.error(request, _("No problem with code “%(code)s”.") % {"code": code})
        return redirect("public:moderation")
    try:
        services.propose_exposure(
            problem,
            title=request.POST.get("title", ""),
            summary=request.POST.get("summary", ""),
            by=request.user,
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Proposed for the exposure board; approve it to publish."))
    return redirect("public:moderation")


@login_required
@require_POST
def exposure_moderate(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    _require_office(request)
    exposure = get_object_or_404(Exposure, pk=pk)
    try:
        services.moderate_exposure(
            exposure, decision=decision, note=request.POST.get("note", ""), by=request.user
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("public:moderation")


# Citizen categories -----------------------------------------------------------------------


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    if request.method == "POST":
        if "sync" in request.POST:
            created = services.sync_public_categories()
            messages.success(request, _("%(n)d categories added.") % {"n": created})
        else:
            public = get_object_or_404(PublicCategory, pk=request.POST.get("pk"))
            try:
                services.set_category_verification(
                    public,
                    needs_verification=request.POST.get("needs_verification") == "1",
                    by=request.user,
                )
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(request, _("Saved."))
        return redirect("public:category_list")
    return render(
        request,
        "public/manage/category_list.html",
        {
            "title": _("Citizen categories"),
            "breadcrumbs": ((PUBLIC, reverse("public:moderation")),),
            "categories": PublicCategory.objects.select_related("category").order_by(
                "sort_order", "id"
            ),
        },
    )


# Surveys ------------------------------------------------------------------------------------


def parse_questions(text: str) -> list[services.QuestionSpec]:
    """One question per line: ``question | choice+ | choice+ | choice`` (``+`` = positive)."""
    questions: list[services.QuestionSpec] = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        choices = [(p.rstrip("+").strip(), p.endswith("+")) for p in parts[1:] if p.rstrip("+")]
        questions.append((parts[0], choices))
    return questions


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    if request.method == "POST":
        _require_office(request)
        try:
            survey = services.create_survey(
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                description=request.POST.get("description", ""),
                questions=parse_questions(request.POST.get("questions", "")),
                by=request.user,
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Survey created as a draft."))
            return redirect("public:survey_results", pk=survey.pk)
        return redirect("public:survey_list")
    surveys = Survey.objects.annotate(n=Count("responses")).order_by("-created_at", "-id")
    return render(
        request,
        "public/manage/survey_list.html",
        {
            "title": _("Surveys"),
            "breadcrumbs": ((PUBLIC, reverse("public:moderation")),),
            "surveys": list(surveys[:LIST_LIMIT]),
            "kinds": SurveyKind.choices,
            "colors": PUBLICATION_COLORS,
            "can_manage": is_office(request.user),
        },
    )


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    survey = get_object_or_404(Survey, pk=pk)
    start, end = _date(request.GET.get("start")), _date(request.GET.get("end"))
    return render(
        request,
        "public/manage/survey_results.html",
        {
            "title": survey.title,
            "breadcrumbs": (
                (PUBLIC, reverse("public:moderation")),
                (_("Surveys"), reverse("public:survey_list")),
            ),
            "survey": survey,
            "results": selectors.survey_results(survey, start=start, end=end),
            "start": start,
            "end": end,
            "colors": PUBLICATION_COLORS,
            "statuses": PublicationStatus.choices,
            "can_manage": is_office(request.user),
        },
    )


@login_required
@require_POST
def publication_status(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _require_office(request)
    obj: Survey | Poll = get_object_or_404(Survey if kind == "survey" else Poll, pk=pk)
    try:
        services.set_publication_status(obj, status=request.POST.get("status", ""), by=request.user)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Saved."))
    target = "public:survey_results" if kind == "survey" else "public:poll_results"
    return redirect(target, pk=pk)


# Polls --------------------------------------------------------------------------------------


@login_required
def poll_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    if request.method == "POST":
        _require_office(request)
        try:
            poll = services.create_poll(
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                max_choices=int(request.POST.get("max_choices") or 1),
                options=request.POST.get("options", "").splitlines(),
                by=request.user,
            )
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError):
                _fail(request, exc)
            else:
                messages.error(request, _("The number of choices must be a whole number."))
        else:
            messages.success(request, _("Poll created as a draft."))
            return redirect("public:poll_results", pk=poll.pk)
        return redirect("public:poll_list")
    polls = Poll.objects.annotate(n=Count("ballots")).order_by("-created_at", "-id")
    return render(
        request,
        "public/manage/poll_list.html",
        {
            "title": _("Polls"),
            "breadcrumbs": ((PUBLIC, reverse("public:moderation")),),
            "polls": list(polls[:LIST_LIMIT]),
            "colors": PUBLICATION_COLORS,
            "can_manage": is_office(request.user),
        },
    )


@login_required
def poll_results(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    poll = get_object_or_404(Poll, pk=pk)
    ballots, results = selectors.poll_results(poll)
    return render(
        request,
        "public/manage/poll_results.html",
        {
            "title": poll.title,
            "breadcrumbs": (
                (PUBLIC, reverse("public:moderation")),
                (_("Polls"), reverse("public:poll_list")),
            ),
            "poll": poll,
            "ballots": ballots,
            "results": results,
            "colors": PUBLICATION_COLORS,
            "statuses": PublicationStatus.choices,
            "can_manage": is_office(request.user),
        },
    )
