"""import_grids FILE [--update]: import grids from GeoJSON (.geojson/.json) or .xlsx/.csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.importing import ImportFailed, ImportResult
from chuangwei.places.geojson import import_grids_geojson
from chuangwei.places.importers import GridImporter


class Command(BaseCommand):
    help = (
        "Import grids from a GeoJSON FeatureCollection (.geojson/.json) or a sheet "
        "(.xlsx/.csv), all or nothing, then reassign every site's grid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .geojson, .json, .xlsx or .csv file")
        parser.add_argument(
            "--update", action="store_true", help="update grids whose code already exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        suffix = path.suffix.lower()
        if suffix not in (".geojson", ".json", ".xlsx", ".xlsm", ".csv"):
            raise CommandError(_("Only .geojson, .json, .xlsx and .csv files can be imported."))
        try:
            result = self._import(path, suffix, update=options["update"])
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc.message)) from exc
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            _("Imported %(total)s grids: %(created)s created, %(updated)s updated.")
            % {"total": result.total, "created": result.created, "updated": result.updated}
        )

    @staticmethod
    def _import(path: Path, suffix: str, *, update: bool) -> ImportResult:
        with path.open("rb") as fileobj:
            if suffix in (".geojson", ".json"):
                return import_grids_geojson(fileobj.read(), by=None, update_existing=update)
            return GridImporter(update_existing=update).run(fileobj, path.name, by=None)
