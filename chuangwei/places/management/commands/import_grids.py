"""``manage.py import_grids FILE [--update] [--dry-run] [--ignore-unknown]``: grids from
GeoJSON (.geojson/.json) or a sheet (.xlsx/.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangwei.core.import_command import ImportCommand
from chuangwei.core.importing import ImportResult
from chuangwei.places.geojson import import_grids_geojson
from chuangwei.places.importers import GridImporter


class Command(ImportCommand):
    help = (
        "Import grids from a GeoJSON FeatureCollection (.geojson/.json) or a sheet "
        "(.xlsx/.csv), all or nothing, then reassign every site's grid."
    )
    importer_class = GridImporter
    done = _("Imported %(total)s grids: %(created)s created, %(updated)s updated.")

    def handle(self, *args: Any, **options: Any) -> None:
        suffix = Path(options["file"]).suffix.lower()
        if suffix not in (".geojson", ".json", ".xlsx", ".xlsm", ".csv"):
            raise CommandError(
                gettext("Only .geojson, .json, .xlsx and .csv files can be imported.")
            )
        super().handle(*args, **options)

    def run_import(
        self, fileobj: IO[bytes], path: Path, *, update: bool, commit: bool, ignore_unknown: bool
    ) -> ImportResult:
        if path.suffix.lower() in (".geojson", ".json"):
            return import_grids_geojson(
                fileobj.read(),
                by=None,
                update_existing=update,
                commit=commit,
                ignore_unknown=ignore_unknown,
            )
        return super().run_import(
            fileobj, path, update=update, commit=commit, ignore_unknown=ignore_unknown
        )
