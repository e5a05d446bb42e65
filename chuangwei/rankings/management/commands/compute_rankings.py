"""compute_rankings [--period month] [--date 2026-03-15] [--end …] [--kind street] [--loop]."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwei.core.errors import DomainError
from chuangwei.core.workers import WorkerCommand
from chuangwei.rankings import services
from chuangwei.rankings.choices import ObjectKind, PeriodKind
from chuangwei.rankings.models import RankingScheme
from chuangwei.rankings.periods import Period, last_complete_period, period_containing


class Command(WorkerCommand):
    """Compute draft ranking snapshots (idempotent: a draft is recomputed in place).

    Without ``--date`` the last complete period is ranked; ``--loop`` ranks the last
    complete and the current week and month every ``--interval`` seconds.
    """

    help = (
        "Compute ranking snapshots as drafts for a period (week, month, quarter, custom); "
        "published snapshots are never touched."
    )
    default_interval = 3600.0
    interval_help = "seconds with --loop"
    logger = logging.getLogger("chuangwei.rankings")
    failure_message = "ranking run failed; retrying"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=PeriodKind.values, default=PeriodKind.MONTH)
        parser.add_argument("--date", type=date.fromisoformat, help="a date in the period")
        parser.add_argument("--end", type=date.fromisoformat, help="last day (custom period)")
        parser.add_argument(
            "--kind", action="append", choices=ObjectKind.values, help="ranked objects (repeat)"
        )

    def _schemes(self, kinds: list[str] | None) -> list[RankingScheme]:
        wanted = kinds or list(ObjectKind.values)
        return [services.default_scheme(kind) for kind in wanted]

    def _run(self, periods: list[Period], kinds: list[str] | None) -> list[str]:
        schemes = self._schemes(kinds)
        lines = []
        for period in periods:
            for snap in services.compute_snapshots(schemes, period, by=None):
                lines.append(
                    _("%(period)s %(kind)s: %(n)s entries (draft %(pk)s)")
                    % {
                        "period": snap.label,
                        "kind": snap.get_object_kind_display(),
                        "n": snap.entries.count(),
                        "pk": snap.pk,
                    }
                )
        return lines

    def run_round(self, options: dict[str, Any], *, looping: bool) -> Sequence[str]:
        kinds = options["kind"]
        if looping:
            periods = [
                last_complete_period(PeriodKind.WEEK),
                last_complete_period(PeriodKind.MONTH),
            ]
            return self._run(periods, kinds)
        kind = options["period"]
        try:
            if options["date"] is None:
                if kind == PeriodKind.CUSTOM:
                    raise CommandError(_("A custom period needs --date and --end."))
                period = last_complete_period(kind)
            else:
                period = period_containing(kind, options["date"], options["end"])
            return self._run([period], kinds)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
