"""The home page: counts of what the user can see, and their roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Grid, Site
from chuangwei.problems.selectors import ledger_counts
from chuangwei.standards.models import ProblemCategory


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "dashboards/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = _("Home")
        context["breadcrumbs"] = ()
        counts = ledger_counts(user, timezone.now())
        context["ledger"] = [
            (_("Open problems"), counts.open, reverse("problems:problem_list")),
            (_("Overdue problems"), counts.overdue, reverse("problems:problem_overdue")),
            (
                _("Closed in the last 7 days"),
                counts.closed_7d,
                reverse("problems:problem_list") + "?status=closed",
            ),
        ]
        context["stats"] = [
            (_("Org units"), OrgUnit.objects.visible_to(user).count(), "org:orgunit_list"),
            (_("Grids"), Grid.objects.visible_to(user).count(), "places:grid_list"),
            (_("Sites"), Site.objects.visible_to(user).count(), "places:site_list"),
            (
                _("Problem categories"),
                ProblemCategory.objects.visible_to(user).count(),
                "standards:category_list",
            ),
        ]
        context["memberships"] = user.memberships.select_related("unit")  # type: ignore[union-attr]
        return context
