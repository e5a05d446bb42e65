"""One small POST view per workflow action: access, form, one service call, redirect.

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

from . import services
from .choices import ProblemAction as A
from .forms import ACTION_FORMS, add_domain_error
from .models import Problem
from .permissions import load_problem
from .views import detail_context


class ProblemActionView(LoginRequiredMixin, View):
    """Subclasses name the ``action`` and call exactly one service in ``perform``."""

    action: str
    http_method_names = ["post"]

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = load_problem(request.user, pk)
        form_class = ACTION_FORMS[self.action][0]
        form = form_class(
            request.POST,
            request.FILES,
            problem=problem,
            user=request.user,
            auto_id=f"{self.action}-%s",
        )
        if not form.is_valid():
            return self.refuse(request, problem, form, status=422)
        try:
            self.perform(problem, by=request.user, **form.service_kwargs())
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


class ConfirmReportView(ProblemActionView):
    action = A.CONFIRM_REPORT

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.confirm_report(problem, by=by, **kwargs)


class AcceptView(ProblemActionView):
    action = A.ACCEPT

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.accept_problem(problem, by=by, **kwargs)


class VoidView(ProblemActionView):
    action = A.VOID

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.void_problem(problem, by=by, **kwargs)


class MergeView(ProblemActionView):
    action = A.MERGE

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.merge_problem(problem, by=by, **kwargs)


class DispatchView(ProblemActionView):
    action = A.DISPATCH

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.dispatch_problem(problem, by=by, **kwargs)


class ReturnView(ProblemActionView):
    action = A.RETURN

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.return_problem(problem, by=by, **kwargs)


class RequestExtensionView(ProblemActionView):
    action = A.REQUEST_EXTENSION

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.request_extension(problem, by=by, **kwargs)


class ApproveExtensionView(ProblemActionView):
    action = A.APPROVE_EXTENSION

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.approve_extension(problem, by=by, **kwargs)


class RejectExtensionView(ProblemActionView):
    action = A.REJECT_EXTENSION

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.reject_extension(problem, by=by, **kwargs)


class RequestPauseView(ProblemActionView):
    action = A.REQUEST_PAUSE

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.request_pause(problem, by=by, **kwargs)


class ApprovePauseView(ProblemActionView):
    action = A.APPROVE_PAUSE

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.approve_pause(problem, by=by, **kwargs)


class RejectPauseView(ProblemActionView):
    action = A.REJECT_PAUSE

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.reject_pause(problem, by=by, **kwargs)


class ResumeView(ProblemActionView):
    action = A.RESUME

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.resume_problem(problem, by=by, **kwargs)


class SubmitView(ProblemActionView):
    action = A.SUBMIT

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.submit_rectification(problem, by=by, **kwargs)


class SelfFixView(ProblemActionView):
    action = A.SELF_FIX

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.self_fix_problem(problem, by=by, **kwargs)


class VerifyPassView(ProblemActionView):
    action = A.VERIFY_PASS

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.verify_pass(problem, by=by, **kwargs)


class VerifyFailView(ProblemActionView):
    action = A.VERIFY_FAIL

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.verify_fail(problem, by=by, **kwargs)


class ReopenView(ProblemActionView):
    action = A.REOPEN

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.reopen_problem(problem, by=by, **kwargs)


class CommentView(ProblemActionView):
    action = A.COMMENT

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.comment_problem(problem, by=by, **kwargs)


class RemindView(ProblemActionView):
    action = A.REMIND

    def perform(self, problem: Problem, by: Any, **kwargs: Any) -> Any:
        return services.remind_problem(problem, by=by, **kwargs)
