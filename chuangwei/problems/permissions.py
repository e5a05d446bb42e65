"""Fetch-and-authorise helpers for problems, shared by the UI and the API.

``access_problem`` loads through ``visible_to`` (404 when the user may not see the problem)
and, given an action, raises PermissionDenied when the action is not offered to the user.
``actions_for`` decides which buttons and API actions a user is offered; the services check
the same rules again when the action is taken.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from chuangwei.accounts import permissions as who
from chuangwei.accounts.choices import Role

from . import workflow
from .choices import ProblemAction, ProblemSource, RequestKind, RequestStatus
from .models import Problem


def covers_problem(user: Any, problem: Problem) -> bool:
    """The user's scope includes the problem's responsible unit or its department."""
    scope = user.scope
    if scope.everything:
        return True
    paths = [problem.unit.path]
    if problem.department_id:
        paths.append(problem.department.path)  # type: ignore[union-attr]
    return any(scope.covers_path(p) for p in paths)


def actions_for(user: Any, problem: Problem, pending: set[str] | None = None) -> list[str]:
    """The workflow actions to offer ``user`` on ``problem`` (the services check again)."""
    pending = (
        pending
        if pending is not None
        else set(
            problem.requests.filter(status=RequestStatus.PENDING).values_list("kind", flat=True)
        )
    )
    needs_request: dict[str, str] = {
        ProblemAction.APPROVE_EXTENSION: RequestKind.EXTENSION,
        ProblemAction.REJECT_EXTENSION: RequestKind.EXTENSION,
        ProblemAction.APPROVE_PAUSE: RequestKind.PAUSE,
        ProblemAction.REJECT_PAUSE: RequestKind.PAUSE,
    }
    blocked_by_request: dict[str, str] = {
        ProblemAction.REQUEST_EXTENSION: RequestKind.EXTENSION,
        ProblemAction.REQUEST_PAUSE: RequestKind.PAUSE,
    }
    names = workflow.available_actions(
        problem.status, user.scope.roles, is_superuser=user.is_superuser
    )
    offered = []
    for name in names:
        step = workflow.STEPS[name]
        if step.unit_member and not covers_problem(user, problem):
            continue
        if step.not_submitter and problem.submitted_by_id == user.pk:
            continue
        if name in needs_request and needs_request[name] not in pending:
            continue
        if name in blocked_by_request and blocked_by_request[name] in pending:
            continue
        offered.append(name)
    return offered


def can_report(user: Any) -> bool:
    """May report a problem from the field (the page's and the API's report; not citizens)."""
    return who.holds_any_role(user, workflow.FIELD_REPORTERS)


def load_problem(user: Any, pk: int) -> Problem:
    """The problem if ``user`` may see it, else 404."""
    qs = Problem.objects.visible_to(user).select_related(  # type: ignore[no-untyped-call]
        "category",
        "unit",
        "department",
        "grid",
        "site",
        "work_line",
        "recurrence_of",
        "merged_into",
        "reporter",
        "submitted_by",
        "check_item",
    )
    return get_object_or_404(qs, pk=pk)


def access_problem(user: Any, pk: int, action: str | None = None) -> Problem:
    """Load a problem the user may see (else 404); with ``action``, also require that the
    action is offered to the user (else PermissionDenied)."""
    problem = load_problem(user, pk)
    if action is not None and action not in actions_for(user, problem):
        raise PermissionDenied
    return problem


REPORT_SOURCES = (
    (Role.GRID_WORKER, ProblemSource.GRID_PATROL),
    (Role.INSPECTOR, ProblemSource.CITY_SUPERVISION),
    (Role.OFFICE, ProblemSource.CITY_SUPERVISION),
    (Role.ADMIN, ProblemSource.CITY_SUPERVISION),
    (Role.HANDLER, ProblemSource.DEPARTMENT_CHECK),
    (Role.LEADER, ProblemSource.LEADER),
    (Role.SUPERVISOR, ProblemSource.SUPERVISOR),
)


def report_source(user: Any) -> str:
    roles = user.scope.roles
    return next((s for role, s in REPORT_SOURCES if role in roles), ProblemSource.CITY_SUPERVISION)
