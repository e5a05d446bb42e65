"""The demo ledger (issue 3, item 9): months of problems in every state, for the demo city.

``build_demo_problems`` first plans every problem (``plan.py``, pure and deterministic for a
seed and ``now``): when and where it was found, by whom, its category and source, and its
fate (closed on time or late, reworked, extended, paused, left overdue and escalated,
voided, merged as a duplicate, recurring, or still waiting for confirmation, dispatch or
核查). A problem's life is one generator of timed steps, played in one of two ways:

* the last ``service_days`` days **through the services** (``live.py``): report, confirm,
  accept, dispatch, submit, verify … with historical ``now``, in time order across all
  problems, with the deadline sweeper run at every reminder, deadline and escalation
  moment; before-photos for the most recent ``photos`` problems and an after-photo for
  every rectification (the service requires one), drawn by ``scene_jpeg``;
* older days **bulk-inserted** (``bulk.py``): field for field what those services and the
  sweeper write, but without photos. Playing 4,500 problems through the services with an
  after-photo each takes minutes on SQLite; this keeps the default build within seconds.

Every event is marked as notified: historical events must not fill the demo inboxes.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any, Protocol, TypedDict

from django.db import transaction
from django.db.models import F, Max, Model, OuterRef, Subquery
from django.utils import timezone

from chuangwei.problems import stats
from chuangwei.problems.models import Problem, ProblemEvent

from .bulk import write_history
from .live import play_recent
from .plan import load_world, plan_problems

DEFAULT_MONTHS = 6
DEFAULT_PER_DAY = 25
SERVICE_DAYS = 14
PHOTO_PROBLEMS = 300


class _Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def build_demo_problems(
    *,
    seed: int,
    months: int = DEFAULT_MONTHS,
    per_day: int = DEFAULT_PER_DAY,
    now: datetime | None = None,
    stdout: _Writer | None = None,
    service_days: int = SERVICE_DAYS,
    photos: int = PHOTO_PROBLEMS,
) -> int:
    """Fill the ledger of the demo city with ``months`` of problems up to ``now``; return
    how many were made. All or nothing (one transaction). Needs the demo city (small
    grids, logins ``admin`` and ``office``) and the shipped problem categories; without
    them it makes nothing and returns 0. Photos are written to ``MEDIA_ROOT``.
    """
    now = now or timezone.now()
    started = time.monotonic()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(f"[{time.monotonic() - started:5.1f}s] {message}\n")

    world = load_world()
    if world is None:
        say("demo ledger skipped: no demo city or no problem categories")
        return 0
    plans = plan_problems(world, seed=seed, months=months, per_day=per_day, now=now)
    cutoff = now - timedelta(days=service_days)
    older = [p for p in plans if p.reported_at < cutoff]
    recent = [p for p in plans if p.reported_at >= cutoff]
    with transaction.atomic():
        first = _next_pk(Problem), _next_pk(ProblemEvent)
        made = write_history(world, older, seed=seed, now=now)
        say(f"{made} older problems (bulk)")
        result = play_recent(world, recent, now=now, photos=photos)
        say(
            f"{result.problems} recent problems through the services, {result.photos} photos, "
            f"{result.sweeps} deadline sweeps, {result.refused} steps refused"
        )
        # History is not news: the notices of these events count as sent.
        ProblemEvent.objects.filter(pk__gte=first[1], processed_at__isnull=True).update(
            processed_at=F("created_at")
        )
        # Row timestamps as if each row had been written at its time, not today.
        last = ProblemEvent.objects.filter(problem=OuterRef("pk")).order_by("-created_at")
        Problem.objects.filter(pk__gte=first[0]).update(
            created_at=F("reported_at"), updated_at=Subquery(last.values("created_at")[:1])
        )
        # The bulk rows bypass the services that keep the daily counts: count them afresh.
        stats.rebuild()
    return made + result.problems


class LedgerSize(TypedDict):
    per_day: int
    service_days: int
    photos: int


def ledger_size(sites: int, default_sites: int) -> LedgerSize:
    """The ledger of a demo city with ``sites`` sites: the default ledger at the default
    size, proportionally fewer problems a day for a smaller city. Below half the default
    size (test cities) the ledger is bulk-inserted only: fast, and no photo files."""
    share = min(1.0, sites / default_sites)
    return {
        "per_day": max(1, round(DEFAULT_PER_DAY * share)),
        "service_days": round(SERVICE_DAYS * share) if share >= 0.5 else 0,
        "photos": round(PHOTO_PROBLEMS * share),
    }


def _next_pk(model: type[Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
