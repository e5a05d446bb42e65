"""The problem workflow as data (DESIGN.md §4).

Each ``Step`` says which states an action starts from, where it goes, who may take it and
what it needs. ``can`` decides which buttons show; ``require`` raises
``TransitionNotAllowed``. Nothing here touches the database, so it is tested without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.choices import Role
from chuangwei.core.errors import DomainError

from .choices import ProblemAction as A
from .choices import ProblemStatus as S

ANY_OPEN = frozenset(
    {S.VERIFYING_REPORT, S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.PAUSED, S.SUBMITTED}
)


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409
    default_message = _("This action is not possible for the problem in its current state.")


class ActionForbidden(DomainError):
    code = "action_forbidden"
    status = 403
    default_message = _("Your role does not allow this action on this problem.")


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    roles: frozenset[str]
    requires: frozenset[str] = field(default_factory=frozenset)
    # Only members of the problem's responsible unit/department (not just anyone in scope).
    unit_member: bool = False
    # The actor must not be the person who submitted the rectification (核查 independence).
    not_submitter: bool = False

    def moves(self) -> bool:
        return self.target is not None


def _step(
    action: str,
    sources: Iterable[str],
    target: str | None,
    roles: Iterable[str],
    requires: Iterable[str] = (),
    **flags: bool,
) -> Step:
    return Step(action, frozenset(sources), target, frozenset(roles), frozenset(requires), **flags)


OFFICE = {Role.ADMIN, Role.OFFICE}
FIELD_REPORTERS = {
    Role.OFFICE,
    Role.ADMIN,
    Role.INSPECTOR,
    Role.GRID_WORKER,
    Role.SUPERVISOR,
    Role.HANDLER,
    Role.LEADER,
}
VERIFIERS = {Role.OFFICE, Role.ADMIN, Role.INSPECTOR, Role.GRID_WORKER}

STEPS: dict[str, Step] = {
    s.action: s
    for s in (
        _step(A.CONFIRM_REPORT, {S.VERIFYING_REPORT}, S.REPORTED, {*OFFICE, Role.GRID_WORKER}),
        _step(A.ACCEPT, {S.REPORTED}, S.ACCEPTED, OFFICE),
        _step(
            A.VOID,
            {S.VERIFYING_REPORT, S.REPORTED, S.ACCEPTED},
            S.VOIDED,
            {*OFFICE, Role.GRID_WORKER},
            {"note"},
        ),
        _step(
            A.MERGE, {S.VERIFYING_REPORT, S.REPORTED, S.ACCEPTED}, S.MERGED, OFFICE, {"merged_into"}
        ),
        _step(A.DISPATCH, {S.REPORTED, S.ACCEPTED}, S.DISPATCHED, OFFICE, {"unit"}),
        _step(A.RETURN, {S.DISPATCHED}, S.ACCEPTED, {Role.HANDLER}, {"note"}, unit_member=True),
        _step(
            A.REQUEST_EXTENSION,
            {S.DISPATCHED},
            None,
            {Role.HANDLER},
            {"note", "requested_due_at"},
            unit_member=True,
        ),
        _step(A.APPROVE_EXTENSION, {S.DISPATCHED}, None, OFFICE),
        _step(A.REJECT_EXTENSION, {S.DISPATCHED}, None, OFFICE, {"note"}),
        _step(A.REQUEST_PAUSE, {S.DISPATCHED}, None, {Role.HANDLER}, {"note"}, unit_member=True),
        _step(A.APPROVE_PAUSE, {S.DISPATCHED}, S.PAUSED, OFFICE),
        _step(A.REJECT_PAUSE, {S.DISPATCHED}, None, OFFICE, {"note"}),
        _step(A.RESUME, {S.PAUSED}, S.DISPATCHED, OFFICE),
        _step(
            A.SUBMIT,
            {S.DISPATCHED},
            S.SUBMITTED,
            {Role.HANDLER},
            {"note", "photos"},
            unit_member=True,
        ),
        _step(A.VERIFY_PASS, {S.SUBMITTED}, S.CLOSED, VERIFIERS, not_submitter=True),
        _step(A.VERIFY_FAIL, {S.SUBMITTED}, S.DISPATCHED, VERIFIERS, {"note"}, not_submitter=True),
        _step(
            A.SELF_FIX,
            {S.REPORTED},
            S.SUBMITTED,
            {Role.GRID_WORKER, Role.INSPECTOR, *OFFICE},
            {"photos"},
        ),
        _step(A.REOPEN, {S.CLOSED}, S.DISPATCHED, OFFICE, {"note"}),
        _step(A.COMMENT, ANY_OPEN | {S.CLOSED}, None, FIELD_REPORTERS | VERIFIERS, {"note"}),
        # 催办 by the office; leaders issue 督办 instructions the same way, only over problems
        # of their own scope (not one they merely reported elsewhere: a reporter sees it).
        _step(A.REMIND, {S.DISPATCHED, S.PAUSED}, None, {*OFFICE, Role.LEADER}, unit_member=True),
    )
}


def step_for(action: str) -> Step:
    try:
        return STEPS[action]
    except KeyError as exc:
        raise TransitionNotAllowed(code="unknown_action") from exc


def roles_allow(step: Step, roles: Iterable[str], *, is_superuser: bool = False) -> bool:
    return is_superuser or bool(step.roles & set(roles))


def can(action: str, status: str, roles: Iterable[str], *, is_superuser: bool = False) -> bool:
    """Whether someone holding ``roles`` may take ``action`` from ``status`` (no row rules)."""
    step = STEPS.get(action)
    return bool(
        step and status in step.sources and roles_allow(step, roles, is_superuser=is_superuser)
    )


def available_actions(
    status: str, roles: Iterable[str], *, is_superuser: bool = False
) -> list[str]:
    roles = set(roles)
    return [
        a
        for a, s in STEPS.items()
        if status in s.sources and roles_allow(s, roles, is_superuser=is_superuser)
    ]


def require(action: str, status: str, roles: Iterable[str], *, is_superuser: bool = False) -> Step:
    """The step, or TransitionNotAllowed (wrong state) / ActionForbidden (wrong role)."""
    step = step_for(action)
    if status not in step.sources:
        raise TransitionNotAllowed()
    if not roles_allow(step, roles, is_superuser=is_superuser):
        raise ActionForbidden()
    return step


def missing_fields(step: Step, given: dict[str, object]) -> list[str]:
    return sorted(f for f in step.requires if given.get(f) in (None, "", [], ()))
