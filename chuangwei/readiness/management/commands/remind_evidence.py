"""remind_evidence [--loop] [--interval 3600] [--days N]: remind units of missing evidence."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.core.workers import WorkerCommand
from chuangwei.readiness.services.evidence import remind_missing_evidence


class Command(WorkerCommand):
    """Run the evidence reminder once (cron) or every ``--interval`` seconds (``--loop``).

    ``--days`` (default: the setting CHUANGWEI_EVIDENCE_REMIND_DAYS) before the current
    cycle's next stage that is not done, the handlers of every unit that still owes evidence
    get a notice. Idempotent: one notice per stage, unit and day (docs/readiness.md).
    """

    help = (
        "Remind units of the evidence they still owe before the next stage of the current "
        "evaluation cycle. Runs once for cron, or with --loop until SIGTERM/SIGINT."
    )
    default_interval = 3600.0
    interval_help = "seconds between rounds with --loop"
    stopped_message = gettext_lazy("Evidence reminder stopped.")
    logger = logging.getLogger("chuangwei.readiness")
    failure_message = "evidence reminder failed; retrying"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="days before the stage's date to remind"
        )

    def check_options(self, options: dict[str, Any]) -> None:
        if options["days"] is not None and options["days"] < 0:
            raise CommandError(_("--days must not be negative."))

    def run_round(self, options: dict[str, Any], *, looping: bool) -> Sequence[str]:
        result = remind_missing_evidence(days=options["days"])
        if looping and not result.messages:
            return []
        if result.stage is None:
            return [_("Evidence reminders: no stage is near.")]
        return [
            _(
                "Evidence reminders for %(stage)s (%(date)s): %(units)s units owe evidence, "
                "%(told)s told with %(messages)s notices."
            )
            % {
                "stage": result.stage.name,
                "date": result.stage.due_on.isoformat(),
                "units": len(result.missing),
                "told": result.units,
                "messages": result.messages,
            }
        ]
