"""The home page, the leaders' dashboard (一张图), its big-screen mode, data and export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from chuangwei.core.errors import InvalidInput
from chuangwei.core.views import domain_error_message
from chuangwei.lib.excel import write_xlsx
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Grid, Site
from chuangwei.places.views import map_config
from chuangwei.problems.selectors import ledger_counts
from chuangwei.standards.models import ProblemCategory

from .board import read_query
from .selectors import cached_dashboard_data


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "dashboards/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = gettext_lazy("Home")
        context["breadcrumbs"] = ()
        counts = ledger_counts(user, timezone.now())
        context["ledger"] = [
            (gettext_lazy("Open problems"), counts.open, reverse("problems:problem_list")),
            (gettext_lazy("Overdue problems"), counts.overdue, reverse("problems:problem_overdue")),
            (
                gettext_lazy("Closed in the last 7 days"),
                counts.closed_7d,
                reverse("problems:problem_list") + "?status=closed",
            ),
        ]
        context["stats"] = [
            (
                gettext_lazy("Org units"),
                OrgUnit.objects.visible_to(user).count(),
                "org:orgunit_list",
            ),
            (gettext_lazy("Grids"), Grid.objects.visible_to(user).count(), "places:grid_list"),
            (gettext_lazy("Sites"), Site.objects.visible_to(user).count(), "places:site_list"),
            (
                gettext_lazy("Problem categories"),
                ProblemCategory.objects.visible_to(user).count(),
                "standards:category_list",
            ),
        ]
        context["memberships"] = user.memberships.select_related("unit")  # type: ignore[union-attr]
        return context


def _page(request: HttpRequest, template: str, title: Any) -> HttpResponse:
    error = ""
    try:
        problems, query, form, filterset = read_query(request)
        data = cached_dashboard_data(request.user, problems, query)
    except InvalidInput as exc:
        error = domain_error_message(exc)
        problems, query, form, filterset = read_query(request, QueryDict())
        data = cached_dashboard_data(request.user, problems, query)
        form = type(form)(request.GET, today=timezone.localdate())
        form.is_valid()
    query_string = request.GET.urlencode()
    return render(
        request,
        template,
        {
            "title": title,
            "breadcrumbs": (),
            "form": form,
            "filter_form": filterset.form,
            "data": data,
            "error": error,
            "map_config": map_config(),
            "city": settings.CHUANGWEI_CITY_NAME,
            "data_url": reverse("dashboards:data") + (f"?{query_string}" if query_string else ""),
            "screen_url": reverse("dashboards:screen")
            + (f"?{query_string}" if query_string else ""),
            "board_url": reverse("dashboards:board") + (f"?{query_string}" if query_string else ""),
            "export_url": reverse("dashboards:export")
            + (f"?{query_string}" if query_string else ""),
        },
        status=422 if error else 200,
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The dashboard in the admin frame: filters, KPIs, map and charts."""
    return _page(request, "dashboards/board.html", gettext_lazy("Dashboard"))


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """The same dashboard for a meeting-room display: 1920×1080 stage, refreshes itself."""
    return _page(request, "dashboards/screen.html", gettext_lazy("Dashboard"))


@login_required
def data(request: HttpRequest) -> JsonResponse:
    """The dashboard figures as JSON (aggregates only); the page and the big screen poll it."""
    try:
        problems, query, _form, _filterset = read_query(request)
    except InvalidInput as exc:
        return JsonResponse({"error": exc.as_dict()}, status=400)
    return JsonResponse(cached_dashboard_data(request.user, problems, query))


UNIT_HEADERS = (
    gettext_lazy("Unit"),
    gettext_lazy("Reported"),
    gettext_lazy("Closed"),
    gettext_lazy("On-time closure rate (%)"),
    gettext_lazy("Reworked"),
    gettext_lazy("Open"),
    gettext_lazy("Overdue"),
)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The per-unit table of the dashboard as .xlsx, with the current filters."""
    try:
        problems, query, _form, _filterset = read_query(request)
    except InvalidInput as exc:
        return JsonResponse({"error": exc.as_dict()}, status=400)
    rows = cached_dashboard_data(request.user, problems, query)["units"]
    out = write_xlsx(
        [str(h) for h in UNIT_HEADERS],
        (
            [
                r["name"],
                r["reported"],
                r["closed"],
                r["on_time_rate"],
                r["reworked"],
                r["open"],
                r["overdue"],
            ]
            for r in rows
        ),
        sheet_title=_("Dashboard"),
    )
    stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{_('Dashboard')}_{query.period.start:%Y%m%d}-{query.period.end:%Y%m%d}_{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
