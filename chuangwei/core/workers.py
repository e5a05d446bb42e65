"""The base of the time-driven worker commands (ARCHITECTURE.md §6).

``sweep_deadlines``, ``send_notifications``, ``compute_rankings`` and ``draft_briefings``
each do one round of work. Without options they run one round and exit, for cron; with
``--loop`` they run a round every ``--interval`` seconds until SIGTERM or SIGINT, finish the
round under way and exit cleanly. A round's report (the lines ``run_round`` returns) is
written after it; with ``--loop`` a round with nothing to report writes nothing. A database
error in a round is logged and the next round tries again, with a fresh connection.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connection
from django.utils.translation import gettext as _

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class WorkerCommand(BaseCommand):
    """A command that runs ``run_round`` once, or in a loop with ``--loop``.

    Subclasses set ``default_interval`` and ``logger``, add their own options in
    ``add_options``, check them in ``check_options`` and implement ``run_round``.
    ``stopped_message`` is written when a loop ends.
    """

    default_interval: float = 60.0
    interval_help = "seconds between rounds with --loop"
    stopped_message: Any = None
    logger = logging.getLogger("chuangwei")
    failure_message = "worker round failed; retrying"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument(
            "--interval", type=float, default=self.default_interval, help=self.interval_help
        )
        self.add_options(parser)

    def add_options(self, parser: CommandParser) -> None:
        """The command's own options."""

    def check_options(self, options: dict[str, Any]) -> None:
        """Raise CommandError for options that make no sense, before any round runs."""

    def run_round(self, options: dict[str, Any], *, looping: bool) -> Sequence[str]:
        """Do one round of work; return the lines that report it (none: nothing to say)."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        self.check_options(options)
        if options["interval"] <= 0:
            raise CommandError(_("--interval must be positive."))
        if not options["loop"]:
            self.report(self.run_round(options, looping=False))
            return
        self._stop = threading.Event()
        previous = {sig: signal.signal(sig, self._request_stop) for sig in STOP_SIGNALS}
        try:
            while not self._stop.is_set():
                # A long-lived worker must survive a restarted database; never drop a
                # connection that is inside a transaction, though.
                if not connection.in_atomic_block:
                    close_old_connections()
                try:
                    self.report(self.run_round(options, looping=True))
                except DatabaseError:
                    self.logger.exception(self.failure_message)
                if not self._stop.is_set():
                    self.sleep(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.stopped_message:
            self.stdout.write(str(self.stopped_message))

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stop.set()

    def sleep(self, seconds: float) -> None:
        """Wait for the next round; a stop signal ends the wait at once."""
        self._stop.wait(seconds)

    def report(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.stdout.write(line)
