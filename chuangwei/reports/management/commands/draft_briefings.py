"""draft_briefings [--kind weekly|monthly|all] [--loop] [--interval 3600]: scheduled drafts."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.reports.choices import BriefingKind
from chuangwei.reports.services import draft_scheduled_briefing

logger = logging.getLogger("chuangwei.reports")
KINDS = {"weekly": [BriefingKind.WEEKLY], "monthly": [BriefingKind.MONTHLY]}
KINDS["all"] = KINDS["weekly"] + KINDS["monthly"]


class Command(BaseCommand):
    """Draft (and generate) the weekly ranking briefing for the last full week and the
    monthly briefing for the last full month, if not drafted yet. Idempotent: one scheduled
    draft per kind and period (a database constraint), so reruns and parallel workers are
    harmless. The office then edits, reviews and publishes the drafts."""

    help = (
        "Draft the weekly ranking briefing and the monthly briefing for the last full period. "
        "Runs once for cron, or with --loop until SIGTERM/SIGINT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=sorted(KINDS), default="all")
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument("--interval", type=float, default=3600.0, help="seconds between runs")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0:
            raise CommandError(_("--interval must be positive."))
        kinds = KINDS[options["kind"]]
        if not options["loop"]:
            self._run(kinds)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {s: signal.signal(s, request_stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not stop.is_set():
                if not connection.in_atomic_block:
                    close_old_connections()
                try:
                    self._run(kinds)
                except DatabaseError:
                    logger.exception("drafting briefings failed; retrying")
                stop.wait(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(_("Briefing worker stopped."))

    def _run(self, kinds: list[str]) -> None:
        now = timezone.now()
        for kind in kinds:
            briefing = draft_scheduled_briefing(kind, now=now)
            if briefing is not None:
                self.stdout.write(
                    _("Drafted %(headline)s (%(period)s).")
                    % {
                        "headline": briefing.headline,
                        "period": f"{briefing.period_start} ～ {briefing.period_end}",
                    }
                )
