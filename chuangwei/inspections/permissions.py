"""Who may do what in inspections; shared by the UI and the API (services check again)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from chuangwei.accounts import permissions as who

from .choices import SCORING_TASK_STATUSES
from .models import InspectionTask, SiteResult


def can_see_draws(user: Any) -> bool:
    """Sees the sampling draws (the covert route lists)."""
    return who.can_see_sampling_draws(user)


def is_planner(user: Any) -> bool:
    """Plans tasks, edits score sheets, draws samples and reviews results."""
    return who.can_plan_inspections(user)


def in_team(user: Any, task: InspectionTask) -> bool:
    return bool(task.team.filter(pk=user.pk).exists())


def can_score(user: Any, task: InspectionTask) -> bool:
    """Team members who inspect, and the office, score while the task is open."""
    if not user.is_authenticated or task.status not in SCORING_TASK_STATUSES:
        return False
    if is_planner(user):
        return True
    return who.scores_inspections(user) and in_team(user, task)


def can_submit(user: Any, task: InspectionTask) -> bool:
    return can_score(user, task)


def can_patrol(user: Any) -> bool:
    """Checks in on patrol."""
    return who.can_patrol(user)


def access_task(user: Any, pk: int) -> InspectionTask:
    """The task if visible (404 otherwise)."""
    return get_object_or_404(InspectionTask.objects.visible_to(user), pk=pk)


def access_result(user: Any, pk: int, *, score: bool = False) -> SiteResult:
    """A site result through the task's visibility; with ``score`` the user must be able to
    score it (PermissionDenied otherwise)."""
    result = get_object_or_404(
        SiteResult.objects.select_related("task", "site", "sheet", "site__unit"), pk=pk
    )
    task = access_task(user, result.task_id)
    if not in_team(user, task) and not SiteResult.objects.visible_to(user).filter(pk=pk).exists():
        raise Http404
    if score and not can_score(user, task):
        raise PermissionDenied
    result.task = task
    return result
