"""Status updates to citizens, queued after the ledger's event commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from .selectors import public_stage


def _send(event_pk: int) -> None:
    from chuangwei.problems.models import ProblemEvent

    from .services import citizen_update

    event = ProblemEvent.objects.filter(pk=event_pk).first()
    if event is not None:
        with transaction.atomic():
            citizen_update(event)


def on_problem_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or not instance.to_status:
        return
    if public_stage(instance.to_status) == public_stage(instance.from_status or ""):
        return
    if instance.problem.source not in ("citizen",):
        return
    transaction.on_commit(partial(_send, instance.pk), robust=True)
