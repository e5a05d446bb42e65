"""The POST view of every workflow action: access, the action's form, its one service call,
a redirect. What each action calls and asks for is its row of ``actions.ACTIONS``; the
routes (``problems/urls.py``) name the action for each URL.

A problem the user cannot see is 404. A refusal by the service (wrong state, wrong role,
missing note or photo) re-renders the detail page with the message and changes nothing:
403 for a forbidden role, 422 otherwise.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from chuangwei.core.errors import DomainError
from chuangwei.core.views import domain_error_message

from .actions import ACTIONS
from .choices import ProblemAction as A
from .forms import add_domain_error
from .models import Problem
from .permissions import load_problem
from .views import detail_context


class ProblemActionView(LoginRequiredMixin, View):
    """``ProblemActionView.as_view(action=…)`` serves one row of ``actions.ACTIONS``."""

    action: str = ""
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        spec = ACTIONS[self.action]
        problem = load_problem(request.user, pk)
        form = spec.bound_form(problem, request.user, request.POST, request.FILES)
        if not form.is_valid():
            return self.refuse(request, problem, form, status=422)
        try:
            spec.perform(problem, by=request.user, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc, summary=False)
            messages.error(request, domain_error_message(exc))
            return self.refuse(request, problem, form, status=403 if exc.status == 403 else 422)
        label = dict(A.choices).get(self.action, self.action)
        messages.success(
            request, _("%(code)s: %(action)s succeeded.") % {"code": problem.code, "action": label}
        )
        return HttpResponseRedirect(reverse("problems:problem_detail", args=[problem.pk]))

    def refuse(
        self, request: HttpRequest, problem: Problem, form: Any, *, status: int
    ) -> HttpResponse:
        problem = load_problem(request.user, problem.pk)  # unchanged row, fresh state
        context = detail_context(request, problem, bound=(self.action, form))
        return render(request, "problems/problem_detail.html", context, status=status)
