"""compute_rankings [--period month] [--date 2026-03-15] [--end …] [--kind street] [--loop]."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import date
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connection
from django.utils.translation import gettext as _

from chuangwei.core.errors import DomainError
from chuangwei.rankings import services
from chuangwei.rankings.choices import ObjectKind, PeriodKind
from chuangwei.rankings.models import RankingScheme
from chuangwei.rankings.periods import Period, last_complete_period, period_containing

logger = logging.getLogger("chuangwei.rankings")


class Command(BaseCommand):
    """Compute draft ranking snapshots (idempotent: a draft is recomputed in place).

    Without ``--date`` the last complete period is ranked; ``--loop`` ranks the last
    complete and the current week and month every ``--interval`` seconds.
    """

    help = (
        "Compute ranking snapshots as drafts for a period (week, month, quarter, custom); "
        "published snapshots are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=PeriodKind.values, default=PeriodKind.MONTH)
        parser.add_argument("--date", type=date.fromisoformat, help="a date in the period")
        parser.add_argument("--end", type=date.fromisoformat, help="last day (custom period)")
        parser.add_argument(
            "--kind", action="append", choices=ObjectKind.values, help="ranked objects (repeat)"
        )
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument("--interval", type=float, default=3600.0, help="seconds with --loop")

    def _schemes(self, kinds: list[str] | None) -> list[RankingScheme]:
        wanted = kinds or list(ObjectKind.values)
        return [services.default_scheme(kind) for kind in wanted]

    def _run(self, periods: list[Period], kinds: list[str] | None) -> None:
        schemes = self._schemes(kinds)
        for period in periods:
            for snap in services.compute_snapshots(schemes, period, by=None):
                self.stdout.write(
                    _("%(period)s %(kind)s: %(n)s entries (draft %(pk)s)")
                    % {
                        "period": snap.label,
                        "kind": snap.get_object_kind_display(),
                        "n": snap.entries.count(),
                        "pk": snap.pk,
                    }
                )

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options["kind"]
        if not options["loop"]:
            kind = options["period"]
            try:
                if options["date"] is None:
                    if kind == PeriodKind.CUSTOM:
                        raise CommandError(_("A custom period needs --date and --end."))
                    period = last_complete_period(kind)
                else:
                    period = period_containing(kind, options["date"], options["end"])
                self._run([period], kinds)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            return
        if options["interval"] <= 0:
            raise CommandError(_("--interval must be positive."))
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            while not stop.is_set():
                if not connection.in_atomic_block:
                    close_old_connections()
                periods = [
                    last_complete_period(PeriodKind.WEEK),
                    last_complete_period(PeriodKind.MONTH),
                ]
                try:
                    self._run(periods, kinds)
                except DatabaseError:
                    logger.exception("ranking run failed; retrying")
                stop.wait(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
