"""Restore a backup archive over this installation (stop the server and workers first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangwei.core.backup import read_manifest, restore
from chuangwei.core.errors import DomainError


class Command(BaseCommand):
    help = "Replace the database and media files with those of a backup archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current data (required)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            manifest = read_manifest(archive)
            if not options["yes"]:
                raise CommandError(
                    f"{archive} was made {manifest['created_at']} ({manifest['vendor']}); "
                    "restoring replaces ALL current data. Run again with --yes."
                )
            restore(archive)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        counts = ", ".join(f"{table} {n:,}" for table, n in manifest["counts"].items())
        self.stdout.write(f"restored {archive} ({counts})")
