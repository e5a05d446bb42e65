"""Phone pages of the ledger: report (上报) with duplicate hints, and my tasks (我的待办)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.accounts import permissions as who
from chuangwei.accounts.choices import Role
from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.core.views import (
    domain_error_message,
)
from chuangwei.places.views import map_config

from . import selectors, services, workflow
from .choices import (
    PROBLEM_STATUS_COLORS,
    ProblemAction,
    ProblemStatus,
    RequestStatus,
)
from .forms import ReportForm
from .models import Problem, ProblemRequest
from .permissions import REPORT_SOURCES, actions_for, covers_problem, load_problem, report_source  # noqa: F401
from .views import deadline_badge, visible_problems

# Phone report --------------------------------------------------------------------------


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """上报: one column for the phone; nothing is stored unless everything is valid."""
    context: dict[str, Any] = {"title": _("Report a problem"), "map_config": map_config()}
    if request.method != "POST":
        return render(request, "problems/report.html", {**context, "form": ReportForm()})
    form = ReportForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise InvalidInput(fields={k: list(v) for k, v in form.errors.items()})
        data = form.cleaned_data
        problem = services.report_problem(
            source=report_source(request.user),
            category=data["category"],
            lng=data["lng"],
            lat=data["lat"],
            description=data["description"],
            address=data["address"],
            uploads=form.uploads(),
            by=request.user,
        )
    except DomainError as exc:
        context.update(
            form=form,
            error=domain_error_message(exc),
            error_code=exc.code,
            error_fields=sorted(exc.fields),
        )
        return render(request, "problems/report.html", context, status=422)
    return redirect("problems:report_done", pk=problem.pk)


@login_required
def report_done(request: HttpRequest, pk: int) -> HttpResponse:
    problem = load_problem(request.user, pk)
    return render(
        request,
        "problems/report_done.html",
        {"title": _("Reported successfully"), "problem": problem},
    )


@login_required
def nearby(request: HttpRequest) -> JsonResponse:
    """Open problems of the category near the point: a hint while reporting (附近已有相同问题)."""
    try:
        category = int(request.GET["category"])
        lng, lat = float(request.GET["lng"]), float(request.GET["lat"])
    except (KeyError, ValueError):
        return JsonResponse({"items": []})
    found = selectors.find_duplicates(category, lng, lat, timezone.now())
    visible = set(
        visible_problems(request.user)
        .filter(pk__in=[f.pk for f in found])
        .values_list("pk", flat=True)
    )
    labels = dict(ProblemStatus.choices)
    items = [
        {
            "code": f.code,
            "status": str(labels.get(f.status, f.status)),
            "description": f.description[:60],
            "distance_m": f.distance_m,
            "url": reverse("problems:problem_detail", args=[f.pk]) if f.pk in visible else "",
        }
        for f in found
    ]
    return JsonResponse({"items": items})


# My tasks -------------------------------------------------------------------------------

TASK_LIMIT = 50


def _unit_paths(user: Any, role: str) -> list[str]:
    return list(user.memberships.filter(role=role).values_list("unit__path", flat=True))


def _in_paths(qs: QuerySet[Problem], paths: list[str], field: str = "unit") -> QuerySet[Problem]:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
        if field == "unit":
            q |= Q(department__path__startswith=path)
    return qs.filter(q)


def task_sections(user: Any) -> list[dict[str, Any]]:
    """What ``user`` must act on, per role: (title, problems) sections."""
    base = visible_problems(user).with_list_related()
    sections: list[tuple[Any, QuerySet[Problem]]] = []
    if who.is_office(user):
        sections.append(
            (
                _("To accept and dispatch"),
                base.filter(status__in=[ProblemStatus.REPORTED, ProblemStatus.ACCEPTED]).order_by(
                    "reported_at", "id"
                ),
            )
        )
        sections.append(
            (
                _("Requests awaiting approval"),
                base.filter(
                    pk__in=ProblemRequest.objects.filter(status=RequestStatus.PENDING).values(
                        "problem_id"
                    )
                ).order_by("due_at", "id"),
            )
        )
    if who.is_handler(user):
        sections.append(
            (
                _("To rectify"),
                _in_paths(
                    base.filter(status=ProblemStatus.DISPATCHED), _unit_paths(user, Role.HANDLER)
                ).order_by("due_at", "id"),
            )
        )
    if who.is_grid_worker(user):
        sections.append(
            (
                _("Reports to confirm on site"),
                _in_paths(
                    base.filter(status=ProblemStatus.VERIFYING_REPORT),
                    _unit_paths(user, Role.GRID_WORKER),
                    field="grid__unit",
                ).order_by("reported_at", "id"),
            )
        )
    # The same people the workflow lets verify a rectification.
    verifiers = workflow.STEPS[ProblemAction.VERIFY_PASS]
    if workflow.roles_allow(verifiers, user.scope.roles, is_superuser=user.is_superuser):
        sections.append(
            (
                _("Rectifications to verify"),
                base.filter(status=ProblemStatus.SUBMITTED)
                .exclude(submitted_by=user)
                .order_by("submitted_at", "id"),
            )
        )
    now = timezone.now()
    out = []
    for title, qs in sections:
        items = list(qs[:TASK_LIMIT])
        out.append(
            {
                "title": title,
                "items": [
                    {
                        "obj": p,
                        "deadline": deadline_badge(p, now),
                        "status_color": PROBLEM_STATUS_COLORS.get(p.status, "secondary"),
                    }
                    for p in items
                ],
            }
        )
    return out


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "problems/my_tasks.html",
        {"title": _("My tasks"), "sections": task_sections(request.user)},
    )
