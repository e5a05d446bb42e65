"""Ledger pages: list (+ bulk actions, map, export), detail and photos."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import DomainError
from chuangwei.core.tables import Column, choice_label
from chuangwei.core.views import (
    ObjectListView,
    domain_error_message,
)
from chuangwei.places.views import map_config
from chuangwei.standards.choices import SEVERITY_COLORS

from . import deadlines, photos, services
from .actions import ACTIONS
from .choices import (
    PROBLEM_STATUS_COLORS,
    REQUEST_STATUS_COLORS,
    PhotoKind,
    ProblemAction,
    ProblemStatus,
    RequestStatus,
)
from .exports import ledger_response
from .filters import ProblemFilter
from .forms import BulkForm
from .models import Problem, ProblemPhoto
from .permissions import (  # noqa: F401
    REPORT_SOURCES,
    actions_for,
    can_report,
    covers_problem,
    load_problem,
    report_source,
)

LEDGER = (gettext_lazy("Problem ledger"), "")
MAP_POINTS_LIMIT = 5000
# Bootstrap colours as hex for map markers (the badges use the class names).
HEX = {
    "primary": "#0d6efd",
    "info": "#0dcaf0",
    "warning": "#f59f00",
    "success": "#198754",
    "secondary": "#6c757d",
    "danger": "#dc3545",
}
LIGHT_COLORS = {"green": "success", "yellow": "warning", "red": "danger"}


# Deadline badge (红黄灯) ------------------------------------------------------------------


def _span(delta: timedelta) -> tuple[int, int, int]:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return days, hours, minutes


def deadline_text(due: datetime, now: datetime) -> str:
    """剩余 2天3小时 / 剩余 3小时20分 / 超期 5天 / 超期 3小时 (wall-clock time)."""
    if now > due:
        days, hours, minutes = _span(now - due)
        if days:
            return _("Overdue %(days)s d") % {"days": days}
        if hours:
            return _("Overdue %(hours)s h") % {"hours": hours}
        return _("Overdue %(minutes)s min") % {"minutes": max(minutes, 1)}
    days, hours, minutes = _span(due - now)
    if days:
        return _("%(days)s d %(hours)s h left") % {"days": days, "hours": hours}
    return _("%(hours)s h %(minutes)s min left") % {"hours": hours, "minutes": minutes}


def deadline_badge(
    problem: Problem, now: datetime, light: str | None = None
) -> dict[str, str] | None:
    """Colour and text of the deadline light, or None ("--") when no clock runs.

    Lists use the stored ``warn_at`` (the 80 % mark) so no calendar is needed per row;
    the detail page passes ``deadlines.light``.
    """
    if problem.status == ProblemStatus.PAUSED:
        return {"color": "secondary", "text": _("Clock stopped")}
    if problem.status != ProblemStatus.DISPATCHED or problem.due_at is None:
        return None
    if light is None:
        if now > problem.due_at:
            light = "red"
        elif problem.warn_at is not None and now > problem.warn_at:
            light = "yellow"
        else:
            light = "green"
    color = LIGHT_COLORS.get(light, "success")
    return {"color": color, "text": deadline_text(problem.due_at, now), "light": light}


def deadline_html(badge: dict[str, str] | None) -> SafeString:
    """The list's deadline cell: the coloured light with its text, or ``--``."""
    if badge is None:
        return mark_safe("--")
    return format_html(
        '<span class="badge text-bg-{} cw-deadline" data-light="{}">{}</span>',
        badge["color"],
        badge.get("light", ""),
        badge["text"],
    )


# Rows the user sees -------------------------------------------------------------------


def visible_problems(user: Any) -> QuerySet[Problem]:
    return Problem.objects.visible_to(user)


# Ledger list -------------------------------------------------------------------------

LIST_COLUMNS = [
    Column("code", gettext_lazy("Code"), link=True),
    Column("category.name", gettext_lazy("Category"), truncate=12),
    Column("source", gettext_lazy("Source"), getter=lambda p: choice_label(p, "source")),
    Column("unit.name", gettext_lazy("Responsible unit")),
    Column("department.name", gettext_lazy("Department")),
    Column("status", gettext_lazy("Status"), kind="badge", colors=PROBLEM_STATUS_COLORS),
    Column("due_at", gettext_lazy("Deadline"), kind="deadline"),
    Column("reported_at", gettext_lazy("Reported at"), kind="datetime"),
    Column("rework_count", gettext_lazy("Rework"), kind="number"),
]
PROBLEM_URLS = {
    "list": "problems:problem_list",
    "detail": "problems:problem_detail",
    "import": "problems:problem_import",
}


class ProblemListView(ObjectListView):
    """全部问题: the ledger with its filters, 红黄灯, bulk actions, map and export."""

    model = Problem
    filterset_class = ProblemFilter
    columns = LIST_COLUMNS
    url_names = PROBLEM_URLS
    template_name = "problems/problem_list.html"
    table_template = "problems/_problem_table.html"
    title = gettext_lazy("All problems")
    breadcrumbs = (LEDGER,)
    preset: dict[str, str] = {}

    def get_filterset(self) -> Any:
        data = self.request.GET.copy()
        for key, value in self.preset.items():
            data.setdefault(key, value)
        return self.filterset_class(
            data or None, queryset=self.get_queryset(), request=self.request
        )

    def can_edit(self) -> bool:
        return is_office(self.request.user)

    def row(self, obj: Any, can_edit: bool) -> dict[str, Any]:
        row = super().row(obj, can_edit)
        row["deadline"] = badge = deadline_badge(obj, self.now)
        for cell in row["cells"]:
            if cell["column"].kind == "deadline":
                cell["html"] = deadline_html(badge)
        return row

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.now = timezone.now()
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            is_office=is_office(user),
            can_report=can_report(user),
            map_url=reverse("problems:map") + "?" + context["query_string"],
        )
        return context

    def export(self, rows: QuerySet[Any]) -> HttpResponse:
        return ledger_response(rows)


class OverdueListView(ProblemListView):
    title = gettext_lazy("Overdue problems")
    preset = {"overdue": "true"}


# Bulk dispatch / remind ------------------------------------------------------------------


def _back_to_list(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return HttpResponseRedirect(target or reverse("problems:problem_list"))


def _bulk(request: HttpRequest, action: str) -> HttpResponse:
    """Run one service per checked problem; report how many succeeded and why others failed."""
    if not is_office(request.user):
        raise PermissionDenied
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Select at least one problem first."))
        return _back_to_list(request)
    ids = form.cleaned_data["ids"]
    found = {
        p.pk: p
        for p in visible_problems(request.user)
        .select_related("unit", "department", "category")
        .filter(pk__in=ids)
    }
    run = services.dispatch_problem if action == "dispatch" else services.remind_problem
    done, refused = [], []
    for pk in ids:
        problem = found.get(pk)
        if problem is None:
            refused.append(_("#%(id)s: not found") % {"id": pk})
            continue
        try:
            run(problem, by=request.user)
        except DomainError as exc:
            refused.append(f"{problem.code}: {domain_error_message(exc)}")
        else:
            done.append(problem.code)
    label = ProblemAction(action).label
    if done:
        messages.success(
            request,
            _("%(action)s: %(count)s succeeded.") % {"action": label, "count": len(done)},
        )
    if refused:
        messages.error(
            request,
            _("%(action)s: %(count)s refused (nothing changed for them): %(details)s")
            % {"action": label, "count": len(refused), "details": "；".join(refused)},
        )
    return _back_to_list(request)


@require_POST
@login_required
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    return _bulk(request, ProblemAction.DISPATCH)


@require_POST
@login_required
def bulk_remind(request: HttpRequest) -> HttpResponse:
    return _bulk(request, ProblemAction.REMIND)


# Map of the same filter -----------------------------------------------------------------


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    filterset = ProblemFilter(request.GET or None, queryset=Problem.objects.none(), request=request)
    return render(
        request,
        "problems/problem_map.html",
        {
            "title": _("Problem map"),
            "breadcrumbs": (LEDGER,),
            "filter": filterset,
            "map_config": map_config(),
            "legend": [
                {"label": str(label), "color": HEX[PROBLEM_STATUS_COLORS[value]]}
                for value, label in ProblemStatus.choices
            ],
            "list_url": reverse("problems:problem_list") + "?" + request.GET.urlencode(),
            "limit": MAP_POINTS_LIMIT,
        },
    )


@login_required
def map_points(request: HttpRequest) -> JsonResponse:
    """Points of the filtered ledger as [lng, lat, code, status, id, colour] (≤ 5,000)."""
    filterset = ProblemFilter(
        request.GET or None, queryset=visible_problems(request.user), request=request
    )
    # No parameters is no filter (an unbound form is never valid): every visible row.
    qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else Problem.objects.none()
    # A problem without a point (it concerns a unit, a site or an article) has no marker.
    rows = list(
        qs.filter(lng__isnull=False, lat__isnull=False).values_list(
            "lng", "lat", "code", "status", "pk"
        )[:MAP_POINTS_LIMIT]
    )
    labels = {k: str(v) for k, v in ProblemStatus.choices}
    points = [
        [
            lng,
            lat,
            code,
            labels.get(status, status),
            pk,
            HEX[PROBLEM_STATUS_COLORS.get(status, "secondary")],
        ]
        for lng, lat, code, status, pk in rows
    ]
    return JsonResponse(
        {"points": points, "limit": MAP_POINTS_LIMIT, "truncated": len(points) >= MAP_POINTS_LIMIT}
    )


# Detail ------------------------------------------------------------------------------


def _photo(photo: ProblemPhoto) -> dict[str, Any]:
    return {
        "obj": photo,
        "original": reverse("problems:photo", args=[photo.pk, "original"]),
        "thumb": reverse("problems:photo", args=[photo.pk, "thumb"]),
    }


def _fields(problem: Problem) -> list[tuple[str, Any]]:
    return [
        (_("Source"), problem.get_source_display()),
        (_("Category"), problem.category),
        (_("Severity"), problem.get_severity_display()),
        (_("Responsible unit"), problem.unit),
        (_("Department"), problem.department or "--"),
        (_("Work line"), problem.work_line or "--"),
        (_("Grid"), problem.grid or "--"),
        (_("Site"), problem.site or "--"),
        (_("Address"), problem.address or "--"),
        (
            _("Coordinates (WGS-84)"),
            f"{problem.lng:.6f}, {problem.lat:.6f}"
            if problem.lng is not None and problem.lat is not None
            else _("No coordinates"),
        ),
        (_("Reported at"), problem.reported_at),
        (_("Reporter"), problem.reporter_name or "--"),
        (_("Dispatched at"), problem.dispatched_at),
        (_("Deadline"), problem.due_at),
        (_("Submitted at"), problem.submitted_at),
        (_("Closed at"), problem.closed_at),
        (_("Extensions"), problem.extension_count),
        (_("External reference"), problem.external_ref or "--"),
    ]


def detail_context(
    request: HttpRequest, problem: Problem, *, bound: tuple[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the detail page shows; ``bound`` = (action, form with errors) to reopen."""
    now = timezone.now()
    user = request.user
    requests = list(problem.requests.select_related("requested_by", "decided_by"))
    for r in requests:
        r.color = REQUEST_STATUS_COLORS.get(r.status, "secondary")  # type: ignore[attr-defined]
    pending = [r for r in requests if r.status == RequestStatus.PENDING]
    events = list(
        problem.events.select_related("actor")
        .prefetch_related(Prefetch("photos", queryset=ProblemPhoto.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )
    all_photos = list(problem.photos.order_by("created_at", "id"))
    light = None
    if problem.status == ProblemStatus.DISPATCHED and problem.due_at:
        light = deadlines.light(
            problem.dispatched_at, problem.due_at, now, problem.deadline_unit or "work_days"
        )
    action_labels = dict(ProblemAction.choices)
    actions = []
    for name in actions_for(user, problem, {r.kind for r in pending}):
        spec = ACTIONS[name]
        if bound and bound[0] == name:
            form = bound[1]
        else:
            form = spec.bound_form(problem, user)
        actions.append(
            {
                "name": name,
                "label": action_labels.get(name, name),
                "summary": spec.summary,
                "form": form,
                "style": spec.style,
                "url": reverse(f"problems:problem_{name}", args=[problem.pk]),
                "open": bool(bound and bound[0] == name),
            }
        )
    checks = getattr(photos, "photo_checks", None)
    grid = problem.grid
    return {
        "title": problem.code,
        "breadcrumbs": (LEDGER, (_("All problems"), reverse("problems:problem_list"))),
        "problem": problem,
        "status_color": PROBLEM_STATUS_COLORS.get(problem.status, "secondary"),
        "severity_color": SEVERITY_COLORS.get(problem.severity, "secondary"),
        "deadline": deadline_badge(problem, now, light),
        "fields": _fields(problem),
        "before_photos": [_photo(p) for p in all_photos if p.kind == PhotoKind.BEFORE],
        "after_photos": [_photo(p) for p in all_photos if p.kind != PhotoKind.BEFORE],
        "photo_checks": checks(problem) if checks else None,
        "requests": requests,
        "pending_requests": pending,
        "events": [
            {
                "obj": e,
                "label": action_labels.get(e.action, e.action),
                "to_status": dict(ProblemStatus.choices).get(e.to_status, ""),
                "photos": [_photo(p) for p in e.photos.all()],
            }
            for e in events
        ],
        "actions": actions,
        "duplicates": list(problem.duplicates.only("pk", "code")[:20]),
        "map_data": {
            "grids": [
                {
                    "code": grid.code,
                    "name": grid.name,
                    "level": grid.level,
                    "geometry": grid.geometry,
                }
            ]
            if grid
            else [],
            "sites": [[problem.lng, problem.lat, problem.code, str(problem.category), ""]]
            if problem.lng is not None and problem.lat is not None
            else [],
        },
        "map_config": map_config(),
    }


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = load_problem(request.user, pk)
    return render(request, "problems/problem_detail.html", detail_context(request, problem))


@login_required
def photo_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A photo's original or thumbnail, only for users who may see its problem."""
    photo = get_object_or_404(
        ProblemPhoto.objects.filter(problem__in=visible_problems(request.user)), pk=pk
    )
    field = photo.original if variant == "original" else photo.thumbnail
    if not field:
        raise Http404
    content_type = photo.content_type if variant == "original" else "image/jpeg"
    return FileResponse(field.open("rb"), content_type=content_type or "image/jpeg")
