"""Who may do what: the named predicates every view, form, service and API permission asks.

ARCHITECTURE.md §4: rows are decided by ``visible_to``, problem transitions by the workflow
table (``problems.workflow.STEPS``, whose roles per step stay data there), and everything else
by the predicates below. No other module compares a user's roles; the apps' own
``permissions.py`` modules combine these with row rules (``access_<noun>``), and DRF
permission classes and view checks only call them, so the pages and the API cannot drift.

A superuser passes every predicate except the ones about acting in a role on the ground
(``is_handler``, ``is_grid_worker``), which need a membership with that role. ``core`` comes
before ``accounts`` in the dependency order, so the generic views and querysets in ``core``
read ``user.scope.manages_config`` directly: that property is ``can_manage_config``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions
from rest_framework.request import Request

from chuangwei.core.models import user_scope

from .choices import Role

# The campaign office: its staff and the system administrators (city-wide).
OFFICE_ROLES = frozenset({Role.ADMIN, Role.OFFICE})
# Who reads citizens' surveys and polls besides the office.
PUBLIC_FEEDBACK_READERS = OFFICE_ROLES | {Role.LEADER}
# Inspections: who plans tasks and reviews results, who scores on a team, who patrols, who
# sees the covert sampling draws, and who may be put on an inspection team.
INSPECTION_PLANNERS = OFFICE_ROLES
INSPECTION_SCORERS = OFFICE_ROLES | {Role.INSPECTOR, Role.GRID_WORKER}
PATROLLERS = frozenset({Role.GRID_WORKER, Role.ADMIN})
SAMPLING_READERS = OFFICE_ROLES | {Role.INSPECTOR}
# Who walks a 回头看 of an evaluation stage's list (readiness).
RECHECKERS = OFFICE_ROLES | {Role.INSPECTOR}
INSPECTION_TEAM_ROLES = frozenset({Role.INSPECTOR, Role.OFFICE})


def holds_any_role(user: Any, roles: Iterable[str]) -> bool:
    """Signed in, and a superuser or holding one of ``roles`` in some unit."""
    scope = user_scope(user)
    return scope is not None and (scope.is_superuser or bool(scope.roles & set(roles)))


def can_manage_config(user: Any) -> bool:
    """Maintains configuration: org tree, grids, sites, standards, users, clients, schemes."""
    scope = user_scope(user)
    return scope is not None and bool(scope.manages_config)


def is_office(user: Any) -> bool:
    """Works in the campaign office (创卫办) or administers the system: accepts and dispatches
    problems, ranks, issues accountability measures, moderates and writes briefings."""
    return holds_any_role(user, OFFICE_ROLES)


def can_read_public_feedback(user: Any) -> bool:
    """Reads the citizens' surveys and polls: the office and leaders."""
    return holds_any_role(user, PUBLIC_FEEDBACK_READERS)


def can_plan_inspections(user: Any) -> bool:
    """Plans inspection tasks, edits score sheets, draws samples and reviews results."""
    return holds_any_role(user, INSPECTION_PLANNERS)


def scores_inspections(user: Any) -> bool:
    """Holds a role that scores sites (on the tasks whose team they are on)."""
    return holds_any_role(user, INSPECTION_SCORERS)


def can_patrol(user: Any) -> bool:
    """Checks in on patrol (巡查): grid workers, and administrators for testing."""
    return holds_any_role(user, PATROLLERS)


def can_see_sampling_draws(user: Any) -> bool:
    """Sees the covert sampling draws (暗访 routes): the office and inspectors."""
    return holds_any_role(user, SAMPLING_READERS)


def can_recheck_stage_lists(user: Any) -> bool:
    """Walks a 回头看 over an evaluation stage's problem list and records what it finds: the
    office and inspectors."""
    return holds_any_role(user, RECHECKERS)


def is_handler(user: Any) -> bool:
    """Has a membership as a unit's handler (承办人): rectifies dispatched problems."""
    scope = user_scope(user)
    return scope is not None and Role.HANDLER in scope.roles


def is_grid_worker(user: Any) -> bool:
    """Has a membership as a grid worker: patrols and confirms citizens' reports on site."""
    scope = user_scope(user)
    return scope is not None and Role.GRID_WORKER in scope.roles


def is_volunteer_supervisor_only(user: Any) -> bool:
    """A volunteer supervisor (监督员) with no other role: their reports are confirmed on site."""
    scope = user_scope(user)
    return (
        scope is not None
        and not scope.is_superuser
        and bool(scope.roles)
        and scope.roles <= {Role.SUPERVISOR}
    )


def users_with_roles(*roles: str, unit_ids: Iterable[int] | None = None) -> QuerySet[Any]:
    """Active users holding one of ``roles`` (in one of ``unit_ids``, when given)."""
    from .models import User

    # One filter() call, so the role and the unit are those of the same membership.
    same_membership: dict[str, Any] = {"memberships__role__in": roles}
    if unit_ids is not None:
        same_membership["memberships__unit_id__in"] = list(unit_ids)
    return User.objects.filter(is_active=True, **same_membership).distinct()


# The DRF side: permission classes that only call the predicates ------------------------------


class ManagesConfig(permissions.BasePermission):
    """Every method for configuration managers only."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_manage_config(request.user)


class OfficeWrites(permissions.BasePermission):
    """Reads for every signed-in user; writes for the office."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or is_office(request.user)
