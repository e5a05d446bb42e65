"""Run background tasks queued in Redis (CHUANGWEI_TASKS=rq); see docs/deploy.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chuangwei.core import tasks


class Command(BaseCommand):
    help = "Work the RQ queues (default: 'default') until stopped; --burst stops when empty."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("queues", nargs="*", default=["default"])
        parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
        parser.add_argument(
            "--simple",
            action="store_true",
            help="run jobs in this process instead of a forked child (debugging, tests)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from rq import SimpleWorker, Worker

        worker_class = SimpleWorker if options["simple"] else Worker
        queues = [tasks.queue(name) for name in options["queues"]]
        worker = worker_class(queues, connection=tasks.redis_connection())
        worker.work(burst=options["burst"], with_scheduler=False)
