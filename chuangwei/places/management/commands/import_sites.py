"""``manage.py import_sites FILE [--update] [--dry-run] [--ignore-unknown]``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chuangwei.core.import_command import ImportCommand
from chuangwei.places.importers import SiteImporter


class Command(ImportCommand):
    help = "Import key sites from an .xlsx or .csv file (columns in docs/imports.md)."
    importer_class = SiteImporter
    done = _("Imported %(total)s sites: %(created)s created, %(updated)s updated.")
