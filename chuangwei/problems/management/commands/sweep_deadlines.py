"""sweep_deadlines [--loop] [--interval 60] [--batch 1000]: reminders, overdue, escalation."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connection
from django.utils.translation import gettext as _

from chuangwei.problems.sweeper import SweepResult, sweep

logger = logging.getLogger("chuangwei.problems")


class Command(BaseCommand):
    """Run the deadline sweep once (cron) or every ``--interval`` seconds (``--loop``).

    Writes ``warn``, ``overdue`` and ``escalate`` events for dispatched problems whose
    reminder, deadline or escalation time has come (docs/deadline-worker.md). Idempotent
    and safe with several copies running: each row is claimed before its event is written.
    """

    help = (
        "Send deadline reminders, overdue notices and escalations (督办/通报/约谈) for "
        "dispatched problems. Runs once for cron, or with --loop until SIGTERM/SIGINT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between sweeps with --loop"
        )
        parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1 or options["interval"] <= 0:
            raise CommandError(_("--batch and --interval must be positive."))
        if not options["loop"]:
            self._report(sweep(batch=options["batch"]), quiet=False)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            while not stop.is_set():
                # A long-lived worker must survive a restarted database.
                if not connection.in_atomic_block:
                    close_old_connections()
                try:
                    self._report(sweep(batch=options["batch"]), quiet=True)
                except DatabaseError:
                    logger.exception("deadline sweep failed; retrying")
                stop.wait(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(_("Deadline worker stopped."))

    def _report(self, result: SweepResult, *, quiet: bool) -> None:
        if result.total or not quiet:
            self.stdout.write(
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
            )
