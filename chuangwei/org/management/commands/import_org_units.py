"""``manage.py import_org_units FILE [--update] [--dry-run] [--ignore-unknown]``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chuangwei.core.import_command import ImportCommand
from chuangwei.org.importers import OrgUnitImporter


class Command(ImportCommand):
    """Import org units (code, name, parent code, kind, short name, sort order).

    Nothing is saved unless every row is valid and the tree comes out whole (no loops, only
    cities at the top); each fault is printed with its row number and the command exits with
    status 1. ``--update`` changes the name, kind and parent of codes that already exist
    instead of reporting them as errors.
    """

    help = "Import the org unit tree from an .xlsx or .csv file (all rows or none)."
    importer_class = OrgUnitImporter
    done = _("%(total)s rows imported: %(created)s created, %(updated)s updated.")
