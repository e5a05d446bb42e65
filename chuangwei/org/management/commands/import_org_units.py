"""``manage.py import_org_units FILE [--update] [--dry-run]``: load the unit tree from a sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.importing import ImportFailed
from chuangwei.org.importers import OrgUnitImporter


class Command(BaseCommand):
    """Import org units (code, name, parent code, kind, short name, sort order).

    Nothing is saved unless every row is valid; each bad row is printed with its number
    and the command exits with status 1. ``--update`` changes the name, kind and parent
    of codes that already exist instead of reporting them as errors.
    """

    help = "Import the org unit tree from an .xlsx or .csv file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an .xlsx or .csv file")
        parser.add_argument(
            "--update", action="store_true", help="update units whose code already exists"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate every row but save nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        importer = OrgUnitImporter(update_existing=options["update"])
        try:
            with path.open("rb") as fh:
                result = importer.run(fh, path.name, by=None, commit=not options["dry_run"])
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s rows have errors; nothing was imported.") % {"count": len(exc.errors)}
            ) from exc
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        if options["dry_run"]:
            self.stdout.write(
                _("%(total)s rows are valid (dry run, nothing saved).") % {"total": result.total}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("%(total)s rows imported: %(created)s created, %(updated)s updated.")
                % {"total": result.total, "created": result.created, "updated": result.updated}
            )
        )
