"""import_sites FILE [--update]: import key sites from an .xlsx or .csv file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.importing import ImportFailed
from chuangwei.places.importers import SiteImporter


class Command(BaseCommand):
    help = "Import key sites from an .xlsx or .csv file (columns in docs/imports.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an .xlsx or .csv file")
        parser.add_argument(
            "--update", action="store_true", help="update sites whose code already exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open("rb") as fileobj:
                result = SiteImporter(update_existing=options["update"]).run(
                    fileobj, path.name, by=None
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc.message)) from exc
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            _("Imported %(total)s sites: %(created)s created, %(updated)s updated.")
            % {"total": result.total, "created": result.created, "updated": result.updated}
        )
