"""The base of the import commands (``import_org_units``, ``import_sites``, ``import_grids``).

``manage.py import_x FILE [--update] [--dry-run] [--ignore-unknown]``: every fault goes to
standard error, one line each, nothing is written and the command exits with status 1. A
file with columns the import does not recognise is refused, naming them, unless
``--ignore-unknown`` is given; then the columns left out are named on standard output. A
file that is not a spreadsheet is one error line, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from .errors import DomainError
from .importing import ImportFailed, ImportResult, TableImporter, join_names


class ImportCommand(BaseCommand):
    """Subclasses set ``importer_class`` and ``done`` (a translatable "Imported …" message
    with the placeholders total, created and updated), or override ``run_import``."""

    importer_class: type[TableImporter[Any]]
    done: Any = ""
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm", ".csv")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an .xlsx or .csv file")
        parser.add_argument(
            "--update", action="store_true", help="update records whose code already exists"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row but save nothing"
        )
        parser.add_argument(
            "--ignore-unknown",
            action="store_true",
            help="import even though the file has columns the import does not recognise "
            "(they are left out)",
        )

    def run_import(
        self, fileobj: IO[bytes], path: Path, *, update: bool, commit: bool, ignore_unknown: bool
    ) -> ImportResult:
        return self.importer_class(update_existing=update).run(
            fileobj, path.name, by=None, commit=commit, ignore_unknown=ignore_unknown
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            with path.open("rb") as fileobj:
                result = self.run_import(
                    fileobj,
                    path,
                    update=options["update"],
                    commit=not options["dry_run"],
                    ignore_unknown=options["ignore_unknown"],
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ImportFailed as exc:
            raise CommandError(self.report(exc)) from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if result.unknown_columns:
            self.stdout.write(
                _("These columns were left out as you chose: %(columns)s.")
                % {"columns": join_names(result.unknown_columns)}
            )
        if options["dry_run"]:
            self.stdout.write(
                _("%(total)s rows are valid (dry run, nothing saved).") % {"total": result.total}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                str(self.done)
                % {"total": result.total, "created": result.created, "updated": result.updated}
            )
        )

    def report(self, exc: ImportFailed) -> str:
        """Write every fault to standard error; return the closing line."""
        if exc.unknown_columns:
            self.stderr.write(
                _("Columns not recognised: %(columns)s")
                % {"columns": join_names(exc.unknown_columns)}
            )
        for error in exc.errors:
            self.stderr.write(str(error))
        if exc.errors:
            return _("%(count)s faults; nothing was imported.") % {"count": len(exc.errors)}
        return _(
            "%(message)s Rename them to columns of the template, or run again with "
            "--ignore-unknown to import the file without them. Nothing was imported."
        ) % {"message": exc.message}
