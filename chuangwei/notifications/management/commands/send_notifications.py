"""send_notifications [--loop] [--interval 10] [--limit 500]: deliver due outbox messages."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connection
from django.utils.translation import gettext as _

from chuangwei.notifications import services

logger = logging.getLogger("chuangwei.notifications")


class Command(BaseCommand):
    help = (
        "Deliver outbox messages whose next attempt is due (new ones a request could not "
        "send, and retries). Runs once for cron, or with --loop until SIGTERM/SIGINT. "
        "Several copies may run at once: each message is claimed before it is sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="seconds between rounds with --loop"
        )
        parser.add_argument("--limit", type=int, default=500, help="messages per round")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["loop"]:
            self._round(options["limit"], quiet=False)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            while not stop.is_set():
                # A long-lived worker must survive a restarted database; never drop a
                # connection that is inside a transaction, though.
                if not connection.in_atomic_block:
                    close_old_connections()
                try:
                    self._round(options["limit"], quiet=True)
                except DatabaseError:
                    logger.exception("notification worker round failed; retrying")
                stop.wait(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(_("Notification worker stopped."))

    def _round(self, limit: int, *, quiet: bool) -> None:
        sent = services.deliver_due(limit=limit)
        if sent or not quiet:
            self.stdout.write(_("Sent %(count)s notifications.") % {"count": sent})
