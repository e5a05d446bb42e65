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
from django.utils.translation import gettext_lazy
from django.views import View

from chuangwei.core.errors import DomainError
from chuangwei.core.views import domain_error_message

from .actions import ACTIONS
from .choices import ProblemAction as A
from .forms import add_domain_error
from .models import Problem
from .permissions import load_problem
from .views import detail_context

# What happened, said the way the office says it ("已退回整改", not "核查不通过成功").
DONE: dict[str, Any] = {
    A.CONFIRM_REPORT: gettext_lazy("%(code)s: the report is confirmed."),
    A.ACCEPT: gettext_lazy("%(code)s: registered."),
    A.VOID: gettext_lazy("%(code)s: voided."),
    A.MERGE: gettext_lazy("%(code)s: merged into the problem it repeats."),
    A.DISPATCH: gettext_lazy("%(code)s: dispatched."),
    A.RETURN: gettext_lazy("%(code)s: returned to the office."),
    A.REQUEST_EXTENSION: gettext_lazy("%(code)s: extension requested."),
    A.APPROVE_EXTENSION: gettext_lazy("%(code)s: extension granted."),
    A.REJECT_EXTENSION: gettext_lazy("%(code)s: extension refused."),
    A.REQUEST_PAUSE: gettext_lazy("%(code)s: pause requested."),
    A.APPROVE_PAUSE: gettext_lazy("%(code)s: paused; the deadline clock has stopped."),
    A.REJECT_PAUSE: gettext_lazy("%(code)s: pause refused."),
    A.RESUME: gettext_lazy("%(code)s: handling resumed."),
    A.SUBMIT: gettext_lazy("%(code)s: rectification submitted for verification."),
    A.VERIFY_PASS: gettext_lazy("%(code)s: verified and closed."),
    A.VERIFY_FAIL: gettext_lazy("%(code)s: sent back for rectification."),
    A.SELF_FIX: gettext_lazy("%(code)s: fixed on the spot."),
    A.REOPEN: gettext_lazy("%(code)s: reopened."),
    A.COMMENT: gettext_lazy("%(code)s: note added."),
    A.REMIND: gettext_lazy("%(code)s: reminder sent."),
}


def done_message(action: str, code: str) -> str:
    """The success message after ``action`` on the problem ``code``."""
    template = DONE.get(action)
    if template is None:
        label = dict(A.choices).get(action, action)
        return _("%(code)s: %(action)s succeeded.") % {"code": code, "action": label}
    return str(template) % {"code": code}


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
        messages.success(request, done_message(self.action, problem.code))
        return HttpResponseRedirect(reverse("problems:problem_detail", args=[problem.pk]))

    def refuse(
        self, request: HttpRequest, problem: Problem, form: Any, *, status: int
    ) -> HttpResponse:
        problem = load_problem(request.user, problem.pk)  # unchanged row, fresh state
        context = detail_context(request, problem, bound=(self.action, form))
        return render(request, "problems/problem_detail.html", context, status=status)
