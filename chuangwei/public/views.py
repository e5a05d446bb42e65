"""Citizen pages (no login, phone first): 随手拍, tracking and rating, 曝光台, red/black
lists, progress statistics, surveys and polls. Never shows reporter data."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangwei.core.errors import DomainError
from chuangwei.core.views import domain_error_message
from chuangwei.places.views import map_config
from chuangwei.problems.choices import PhotoKind, ProblemStatus
from chuangwei.problems.models import Problem, ProblemPhoto

from . import abuse, providers, selectors, services
from .choices import SURVEY_DISTRICT_KINDS, PublicationStatus, Satisfaction
from .forms import CitizenReportForm, FrictionForm, RatingForm, form_errors
from .models import CitizenReport, Exposure, Poll, PublicCategory, Survey

FOLLOW_SALT = "chuangwei.public.follow"
RATE_LIMITED = "rate_limited"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return abuse.keep_device(request, render(request, template, context, status=status))


def _limited_error() -> DomainError:
    return DomainError(
        _("Too many submissions from this network or device. Wait a while and try again."),
        code=RATE_LIMITED,
    )


def _status_for(exc: DomainError) -> int:
    return 429 if exc.code == RATE_LIMITED else (exc.status if exc.status != 400 else 422)


def _error_context(exc: DomainError) -> dict[str, Any]:
    return {
        "error": domain_error_message(exc),
        "error_code": exc.code,
        "error_fields": sorted(exc.fields),
    }


# Home --------------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "public/home.html",
        {
            "title": _("Citizen service"),
            "stats": selectors.progress_stats(),
            "exposures": Exposure.objects.published()
            .select_related("problem")
            .order_by("-published_at")[:3],
            "surveys": Survey.objects.filter(status=PublicationStatus.OPEN)[:3],
            "polls": Poll.objects.filter(status=PublicationStatus.OPEN)[:3],
        },
    )


# Report (随手拍) -------------------------------------------------------------------------------


def _report_context(form: CitizenReportForm) -> dict[str, Any]:
    return {
        "title": _("Snap and report"),
        "form": form,
        "categories": form.fields["category"].queryset,  # type: ignore[attr-defined]
        "map_config": map_config(),
        "max_photos": services.MAX_PHOTOS,
    }


def report(request: HttpRequest) -> HttpResponse:
    """随手拍: category grid, photos, location, description, optional phone."""
    if request.method != "POST":
        return _page(request, "public/report.html", _report_context(CitizenReportForm()))
    form = CitizenReportForm(request.POST, request.FILES)
    try:
        if abuse.over_limit(request):
            raise _limited_error()
        form.check_friction()
        if not form.is_valid():
            raise form_errors(form)
        data = form.cleaned_data
        problem = services.submit_citizen_report(
            public_category=data["category"],
            lng=data["lng"],
            lat=data["lat"],
            crs=data["crs"] or "wgs84",
            description=data["description"],
            address=data["address"],
            phone=data["phone"],
            email=data["email"],
            notify=data["notify"],
            uploads=form.uploads(),
            device_id=abuse.device_id(request),
            ip=abuse.client_ip(request),
        )
    except DomainError as exc:
        context = {**_report_context(form), **_error_context(exc)}
        # The original start time stays: fixing the form is not a robot re-posting it.
        form.data = form.data.copy()
        form.data["started"] = form.keep_stamp()
        return _page(request, "public/report.html", context, status=_status_for(exc))
    return abuse.keep_device(request, redirect("public:report_done", code=problem.tracking_code))


@require_GET
def report_done(request: HttpRequest, code: str) -> HttpResponse:
    problem = selectors.problem_by_tracking_code(code)
    if problem is None:
        raise Http404
    return _page(
        request,
        "public/report_done.html",
        {"title": _("Reported successfully"), "problem": problem},
    )


@require_GET
def nearby(request: HttpRequest) -> JsonResponse:
    """Open problems of the category near the point, so the citizen can follow one instead
    of reporting it again. Only the public stage, a short description and a follow link."""
    try:
        public = PublicCategory.objects.get(pk=int(request.GET["category"]), is_active=True)
        lng, lat = float(request.GET["lng"]), float(request.GET["lat"])
        crs = request.GET.get("crs", "wgs84")
        from chuangwei.places.services import point_to_wgs84

        lng, lat = point_to_wgs84(lng, lat, crs)
    except (KeyError, ValueError, PublicCategory.DoesNotExist, DomainError):
        return JsonResponse({"items": []})
    except Exception:  # noqa: BLE001 - a bad point from the page is simply "nothing nearby"
        return JsonResponse({"items": []})
    found = selectors.public_duplicates(public.category_id, lng, lat, timezone.now())
    items = [
        {
            "stage": str(selectors.public_stage(f.status).label),
            "description": f.description[:60],
            "distance_m": round(f.distance_m),
            "reported_at": timezone.localtime(f.reported_at).strftime("%m-%d %H:%M"),
            "url": reverse("public:follow", args=[signing.dumps(f.pk, salt=FOLLOW_SALT)]),
        }
        for f in found[:5]
    ]
    return JsonResponse({"items": items})


# Tracking and rating ---------------------------------------------------------------------


@require_GET
def outlines(request: HttpRequest) -> JsonResponse:
    """The districts' outlines (names only) that the citizens' map picker draws, so the
    map shows where the city is even without map tiles."""
    return JsonResponse(selectors.district_outlines())


def track_search(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    context: dict[str, Any] = {"title": _("Track my report"), "code": code}
    if code:
        if abuse.lookups_over_limit(request):
            context["error"] = _limited_error().message
            return _page(request, "public/track_search.html", context, status=429)
        problem = selectors.problem_by_tracking_code(code)
        if problem is not None:
            return redirect("public:track", code=problem.tracking_code)
        context["error"] = _("No report has this tracking code. Check it and try again.")
        return _page(request, "public/track_search.html", context, status=404)
    device = request.COOKIES.get(abuse.DEVICE_COOKIE, "")
    if abuse.DEVICE_RE.match(device):
        # Reports sent from this phone (its device cookie), so the code need not be kept.
        reports = (
            CitizenReport.objects.filter(device_id=device)
            .select_related("problem", "problem__category__public")
            .order_by("-created_at")[:20]
        )
        context["mine"] = [
            {"problem": r.problem, "stage": selectors.public_stage(r.problem.status)}
            for r in reports
        ]
    return _page(request, "public/track_search.html", context)


def _status_context(problem: Problem, *, rateable: bool) -> dict[str, Any]:
    stage = selectors.public_stage(problem.status)
    rating = None
    if rateable and problem.closed_at is not None:
        rating = problem.satisfaction_ratings.filter(closed_at=problem.closed_at).first()
    elif rateable:
        # Reopened after a dissatisfied rating: show that rating until the next closing.
        rating = problem.satisfaction_ratings.order_by("-created_at").first()
    return {
        "problem": problem,
        "stage": stage,
        "stages": selectors.STAGES,
        "timeline": selectors.public_timeline(problem),
        "before_photos": selectors.public_photos(problem, PhotoKind.BEFORE),
        "after_photos": selectors.public_photos(problem, PhotoKind.AFTER),
        "rateable": rateable,
        "rating": rating,
        "can_rate": rateable and problem.status == ProblemStatus.CLOSED and rating is None,
        "levels": Satisfaction.choices,
    }


def track(request: HttpRequest, code: str) -> HttpResponse:
    """The status page of one report, reached with its tracking code; rating after closing."""
    problem = selectors.problem_by_tracking_code(code)
    if problem is None:
        raise Http404
    context = {
        "title": _("Progress"),
        **_status_context(problem, rateable=True),
        "form": RatingForm(),
    }
    if request.method != "POST":
        return _page(request, "public/track.html", context)
    form = RatingForm(request.POST)
    try:
        if abuse.over_limit(request):
            raise _limited_error()
        form.check_friction()
        if not form.is_valid():
            raise form_errors(form)
        services.rate_problem(
            problem,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
            device_id=abuse.device_id(request),
        )
    except DomainError as exc:
        context.update(form=form, **_error_context(exc))
        form.data = form.data.copy()
        form.data["started"] = form.keep_stamp()
        return _page(request, "public/track.html", context, status=_status_for(exc))
    return abuse.keep_device(request, redirect("public:track", code=problem.tracking_code))


@require_GET
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """Read-only progress of a nearby report (from the duplicate hint); no rating."""
    try:
        pk = int(signing.loads(token, salt=FOLLOW_SALT))
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise Http404 from exc
    problem = get_object_or_404(
        selectors.public_problems().select_related("category", "unit"), pk=pk
    )
    return _page(
        request,
        "public/track.html",
        {
            "title": _("Progress"),
            "follow": True,
            "follow_token": token,
            **_status_context(problem, rateable=False),
        },
    )


def _photo_response(photo: ProblemPhoto, variant: str) -> FileResponse:
    # Citizens only ever get the EXIF-free public copy or its thumbnail.
    field = photo.thumbnail if variant == "thumb" else photo.public_copy
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), content_type="image/jpeg")


@require_GET
def track_photo(request: HttpRequest, code: str, pk: int, variant: str) -> FileResponse:
    problem = selectors.problem_by_tracking_code(code)
    if problem is None:
        raise Http404
    return _photo_response(get_object_or_404(ProblemPhoto, pk=pk, problem=problem), variant)


@require_GET
def follow_photo(request: HttpRequest, token: str, pk: int, variant: str) -> FileResponse:
    try:
        problem_pk = int(signing.loads(token, salt=FOLLOW_SALT))
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise Http404 from exc
    problem = get_object_or_404(selectors.public_problems(), pk=problem_pk)
    return _photo_response(get_object_or_404(ProblemPhoto, pk=pk, problem=problem), variant)


# Exposure board (曝光台), red/black lists, statistics ---------------------------------------


@require_GET
def exposure_list(request: HttpRequest) -> HttpResponse:
    items = list(
        Exposure.objects.published()
        .select_related("problem", "problem__unit", "problem__category")
        .order_by("-published_at", "-id")[:50]
    )
    photos: dict[int, list[ProblemPhoto]] = {}
    for photo in ProblemPhoto.objects.filter(problem_id__in=[e.problem_id for e in items]).order_by(
        "created_at", "id"
    ):
        photos.setdefault(photo.problem_id, []).append(photo)
    rows = [
        {
            "exposure": e,
            "stage": selectors.public_stage(e.problem.status),
            "before": [p for p in photos.get(e.problem_id, []) if p.kind == PhotoKind.BEFORE][:3],
            "after": [p for p in photos.get(e.problem_id, []) if p.kind == PhotoKind.AFTER][:3],
        }
        for e in items
    ]
    return _page(request, "public/exposure_list.html", {"title": _("Exposure board"), "rows": rows})


@require_GET
def exposure_photo(request: HttpRequest, pk: int, photo_pk: int, variant: str) -> FileResponse:
    exposure = get_object_or_404(Exposure.objects.published(), pk=pk)
    photo = get_object_or_404(ProblemPhoto, pk=photo_pk, problem_id=exposure.problem_id)
    return _photo_response(photo, variant)


@require_GET
def red_black(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "public/red_black.html",
        {"title": _("Red and black lists"), "lists": providers.published_red_black()},
    )


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    data = selectors.progress_stats()
    return _page(request, "public/stats.html", {"title": _("Progress statistics"), "stats": data})


# Surveys and polls ------------------------------------------------------------------------


@require_GET
def survey_index(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "public/survey_index.html",
        {
            "title": _("Surveys and polls"),
            "surveys": Survey.objects.filter(status=PublicationStatus.OPEN),
            "polls": Poll.objects.filter(status=PublicationStatus.OPEN),
        },
    )


def survey_take(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.exclude(status=PublicationStatus.DRAFT), pk=pk)
    from chuangwei.org.models import OrgUnit

    questions = list(survey.questions.all())
    context: dict[str, Any] = {
        "title": survey.title,
        "survey": survey,
        "questions": [{"q": q, "chosen": None, "invalid": False} for q in questions],
        "districts": OrgUnit.objects.filter(kind__in=SURVEY_DISTRICT_KINDS).order_by("code"),
        "form": FrictionForm(),
    }
    if request.method != "POST":
        return _page(request, "public/survey_take.html", context)
    form = FrictionForm(request.POST)
    answers = {q.pk: request.POST.get(f"q{q.pk}") for q in questions}
    try:
        if abuse.over_limit(request):
            raise _limited_error()
        form.check_friction()
        services.submit_survey(
            survey,
            district_id=request.POST.get("district"),
            answers=answers,
            device_id=abuse.device_id(request),
        )
    except DomainError as exc:
        form.data = form.data.copy()
        form.data["started"] = form.keep_stamp()
        context.update(
            form=form,
            questions=[
                {"q": q, "chosen": answers[q.pk], "invalid": f"q{q.pk}" in exc.fields}
                for q in questions
            ],
            district=request.POST.get("district", ""),
            **_error_context(exc),
        )
        return _page(request, "public/survey_take.html", context, status=_status_for(exc))
    return _page(
        request,
        "public/thanks.html",
        {"title": survey.title, "message": _("Thank you for your answers.")},
    )


def poll_vote(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(Poll.objects.exclude(status=PublicationStatus.DRAFT), pk=pk)
    from .selectors import poll_results

    context: dict[str, Any] = {
        "title": poll.title,
        "poll": poll,
        "options": list(poll.options.all()),
        "form": FrictionForm(),
        "chosen": [],
    }
    if request.method != "POST":
        return _page(request, "public/poll_vote.html", context)
    form = FrictionForm(request.POST)
    chosen = request.POST.getlist("options")
    try:
        if abuse.over_limit(request):
            raise _limited_error()
        form.check_friction()
        services.cast_ballot(
            poll,
            option_ids=chosen,
            device_id=abuse.device_id(request),
            phone=request.POST.get("phone", ""),
        )
    except DomainError as exc:
        form.data = form.data.copy()
        form.data["started"] = form.keep_stamp()
        context.update(form=form, chosen=chosen, **_error_context(exc))
        return _page(request, "public/poll_vote.html", context, status=_status_for(exc))
    ballots, results = poll_results(poll)
    return _page(
        request,
        "public/poll_results.html",
        {"title": poll.title, "poll": poll, "ballots": ballots, "results": results},
    )
