"""Who hears about a problem event, and what they are told (called after commit).

The event row is the outbox: ``processed_at`` marks an event whose notices are queued,
so running this twice for one event queues nothing more.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import User
from chuangwei.accounts.permissions import users_with_roles

from .choices import ProblemAction as A
from .models import ProblemEvent

# Event actions and who is told: "handlers" of the unit/department, "office", "reporter",
# "heads" (unit head and liaison with a user account), "requester".
AUDIENCE: dict[str, tuple[str, ...]] = {
    A.DISPATCH: ("handlers",),
    A.REOPEN: ("handlers",),
    A.VERIFY_FAIL: ("handlers",),
    A.REMIND: ("handlers", "heads"),
    A.WARN: ("handlers",),
    A.OVERDUE: ("handlers", "heads"),
    A.ESCALATE: ("handlers", "heads", "office"),
    A.RETURN: ("office",),
    A.REQUEST_EXTENSION: ("office",),
    A.REQUEST_PAUSE: ("office",),
    A.SUBMIT: ("office",),
    A.APPROVE_EXTENSION: ("handlers",),
    A.REJECT_EXTENSION: ("handlers",),
    A.APPROVE_PAUSE: ("handlers",),
    A.REJECT_PAUSE: ("handlers",),
    A.VERIFY_PASS: ("handlers", "reporter"),
}
LEVEL: dict[str, str] = {
    A.OVERDUE: "danger",
    A.ESCALATE: "danger",
    A.VERIFY_FAIL: "warning",
    A.WARN: "warning",
    A.REMIND: "warning",
}


def _handlers(problem: Any) -> set[User]:
    units = [problem.unit] + ([problem.department] if problem.department_id else [])
    users: set[User] = set()
    for unit in units:
        # Handlers whose membership unit is this unit or one of its ancestors.
        ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        users |= set(users_with_roles(Role.HANDLER, unit_ids=ids))
    return users


def _heads(problem: Any) -> set[User]:
    users: set[User] = set()
    for unit in [problem.unit] + ([problem.department] if problem.department_id else []):
        for person in (unit.head, unit.liaison):
            if person is not None and person.user_id and person.user.is_active:
                users.add(person.user)
    return users


def _office() -> set[User]:
    return set(users_with_roles(Role.OFFICE))


def recipients(event: ProblemEvent) -> set[User]:
    problem = event.problem
    found: set[User] = set()
    groups = AUDIENCE.get(event.action, ())
    if event.action == A.REOPEN and (event.payload or {}).get("by") == "citizen":
        # A dissatisfied citizen's rating goes back to the office for review.
        groups = ("office",)
    for group in groups:
        if group == "handlers":
            found |= _handlers(problem)
        elif group == "heads":
            found |= _heads(problem)
        elif group == "office":
            found |= _office()
        elif group == "reporter" and problem.reporter is not None and problem.reporter.is_active:
            found.add(problem.reporter)
    if event.actor_id:
        found.discard(event.actor)
    return found


def notify_event(event_pk: int) -> None:
    """Queue the notices for one event, once."""
    from chuangwei.notifications.services import notify

    with transaction.atomic():
        claimed = ProblemEvent.objects.filter(pk=event_pk, processed_at__isnull=True).update(
            processed_at=timezone.now()
        )
        if not claimed:
            return
        event = ProblemEvent.objects.select_related(
            "problem__unit__head__user",
            "problem__unit__liaison__user",
            "problem__department__head__user",
            "problem__department__liaison__user",
            "problem__category",
            "problem__reporter",
        ).get(pk=event_pk)
        users = recipients(event)
        if not users:
            return
        problem = event.problem
        label = dict(A.choices).get(event.action, event.action)
        title = _("%(code)s %(action)s: %(category)s") % {
            "code": problem.code,
            "action": label,
            "category": problem.category.name,
        }
        channels = ("inapp", "sms") if event.action in (A.OVERDUE, A.ESCALATE) else ("inapp",)
        notify(
            users,
            title=title,
            body=event.note or problem.description[:200],
            link=reverse("problems:problem_detail", args=[problem.pk]),
            level=LEVEL.get(event.action, "info"),
            channels=channels,
            source="problems.ProblemEvent",
            source_id=event.pk,
            dedupe_key=f"problem-event:{event.pk}",
        )
