"""sweep_deadlines [--loop] [--interval 60] [--batch 1000]: reminders, overdue, escalation."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.core.workers import WorkerCommand
from chuangwei.problems.sweeper import sweep


class Command(WorkerCommand):
    """Run the deadline sweep once (cron) or every ``--interval`` seconds (``--loop``).

    Writes ``warn``, ``overdue`` and ``escalate`` events for dispatched problems whose
    reminder, deadline or escalation time has come (docs/deadline-worker.md). Idempotent
    and safe with several copies running: each row is claimed before its event is written.
    """

    help = (
        "Send deadline reminders, overdue notices and escalations (督办/通报/约谈) for "
        "dispatched problems. Runs once for cron, or with --loop until SIGTERM/SIGINT."
    )
    default_interval = 60.0
    interval_help = "seconds between sweeps with --loop"
    stopped_message = gettext_lazy("Deadline worker stopped.")
    logger = logging.getLogger("chuangwei.problems")
    failure_message = "deadline sweep failed; retrying"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")

    def check_options(self, options: dict[str, Any]) -> None:
        if options["batch"] < 1 or options["interval"] <= 0:
            raise CommandError(_("--batch and --interval must be positive."))

    def run_round(self, options: dict[str, Any], *, looping: bool) -> Sequence[str]:
        result = sweep(batch=options["batch"])
        if looping and not result.total:
            return []
        return [
            _(
                "Deadline sweep: %(warned)s reminders, %(overdue)s overdue notices, "
                "%(escalated)s escalations in %(seconds)ss."
            )
            % {
                "warned": result.warned,
                "overdue": result.overdue,
                "escalated": result.escalated,
                "seconds": result.seconds,
            }
        ]
