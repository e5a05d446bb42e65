"""draft_briefings [--kind weekly|monthly|all] [--loop] [--interval 3600]: scheduled drafts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.core.workers import WorkerCommand
from chuangwei.reports.choices import BriefingKind
from chuangwei.reports.services import draft_scheduled_briefing

KINDS = {"weekly": [BriefingKind.WEEKLY], "monthly": [BriefingKind.MONTHLY]}
KINDS["all"] = KINDS["weekly"] + KINDS["monthly"]


class Command(WorkerCommand):
    """Draft (and generate) the weekly ranking briefing for the last full week and the
    monthly briefing for the last full month, if not drafted yet. Idempotent: one scheduled
    draft per kind and period (a database constraint), so reruns and parallel workers are
    harmless. The office then edits, reviews and publishes the drafts."""

    help = (
        "Draft the weekly ranking briefing and the monthly briefing for the last full period. "
        "Runs once for cron, or with --loop until SIGTERM/SIGINT."
    )
    default_interval = 3600.0
    interval_help = "seconds between runs"
    stopped_message = gettext_lazy("Briefing worker stopped.")
    logger = logging.getLogger("chuangwei.reports")
    failure_message = "drafting briefings failed; retrying"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=sorted(KINDS), default="all")

    def run_round(self, options: dict[str, Any], *, looping: bool) -> Sequence[str]:
        now = timezone.now()
        lines = []
        for kind in KINDS[options["kind"]]:
            briefing = draft_scheduled_briefing(kind, now=now)
            if briefing is not None:
                lines.append(
                    _("Drafted %(headline)s (%(period)s).")
                    % {
                        "headline": briefing.headline,
                        "period": f"{briefing.period_start} ～ {briefing.period_end}",
                    }
                )
        return lines
