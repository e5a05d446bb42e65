"""Back up the database and uploaded files into one archive (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangwei.core.backup import backup
from chuangwei.core.errors import DomainError


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz): database and media files. Safe while running."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination",
            nargs="?",
            help="archive file or folder (default: <CHUANGWEI_DATA_DIR>/backups/)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"] or Path(settings.DATA_DIR) / "backups")
        if options["destination"] is None:
            destination.mkdir(parents=True, exist_ok=True)
        try:
            result = backup(destination)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        counts = ", ".join(f"{table} {n:,}" for table, n in result.counts.items())
        self.stdout.write(f"{result.path} ({result.vendor}; {result.files} files; {counts})")
