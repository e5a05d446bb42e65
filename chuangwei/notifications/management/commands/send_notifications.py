"""send_notifications [--loop] [--interval 10] [--limit 500]: deliver due outbox messages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.core.workers import WorkerCommand
from chuangwei.notifications import services


class Command(WorkerCommand):
    help = (
        "Deliver outbox messages whose next attempt is due (new ones a request could not "
        "send, and retries). Runs once for cron, or with --loop until SIGTERM/SIGINT. "
        "Several copies may run at once: each message is claimed before it is sent."
    )
    default_interval = 10.0
    stopped_message = gettext_lazy("Notification worker stopped.")
    logger = logging.getLogger("chuangwei.notifications")
    failure_message = "notification worker round failed; retrying"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="messages per round")

    def run_round(self, options: dict[str, Any], *, looping: bool) -> Sequence[str]:
        sent = services.deliver_due(limit=options["limit"])
        if looping and not sent:
            return []
        return [_("Sent %(count)s notifications.") % {"count": sent}]
