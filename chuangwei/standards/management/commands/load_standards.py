"""``manage.py load_standards [--create-only]``: load the shipped standards and categories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.standards.loaders import DataFileInvalid, load_all

KIND_LABELS = {
    "version": gettext_lazy("versions"),
    "clause": gettext_lazy("clauses"),
    "indicator": gettext_lazy("indicators"),
    "category": gettext_lazy("categories"),
}


class Command(BaseCommand):
    """Load the 2014 and 2021 standards and the problem-category tree from ``data/``.

    Idempotent: rows are matched by natural keys, updated when the file differs and
    created when missing; nothing is deleted. Every file is checked first, so a bad file
    loads nothing and the command exits with status 1. Run it again after the work lines
    exist to fill in the work-line links left empty.
    """

    help = "Load the shipped standards and problem categories (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--create-only",
            action="store_true",
            help="only create missing rows; leave existing rows as they are",
        )
        parser.add_argument(
            "--data-dir", type=Path, default=None, help="read the files from another folder"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = load_all(
                by=None, update=not options["create_only"], data_dir=options["data_dir"]
            )
        except DataFileInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{Path(exc.path).name}: {error}")
            raise CommandError(
                _("%(file)s has errors; nothing was loaded.") % {"file": Path(exc.path).name}
            ) from exc
        for result in results:
            self.stdout.write(Path(result.path).name)
            for kind in result.kinds():
                self.stdout.write(
                    _("  %(kind)s: %(total)s (%(created)s created, %(updated)s updated)")
                    % {
                        "kind": KIND_LABELS[kind],
                        "total": result.total(kind),
                        "created": result.created[kind],
                        "updated": result.updated[kind],
                    }
                )
            if result.unresolved_work_lines:
                self.stdout.write(
                    self.style.WARNING(
                        _("  %(count)s work line codes not found; those links stay empty.")
                        % {"count": result.unresolved_work_lines}
                    )
                )
            if result.unresolved_check_items:
                self.stdout.write(
                    self.style.WARNING(
                        _("  %(count)s check items not found; those links stay empty.")
                        % {"count": result.unresolved_check_items}
                    )
                )
        self.stdout.write(self.style.SUCCESS(_("Standards and categories loaded.")))
