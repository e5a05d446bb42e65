"""export_grids [--output FILE]: write every grid as a GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwei.places.geojson import export_grids_geojson


class Command(BaseCommand):
    help = "Export all grids as GeoJSON (to stdout, or to --output FILE), parents first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        data = export_grids_geojson()
        text = json.dumps(data, ensure_ascii=False)
        if not options["output"]:
            self.stdout.write(text)
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Wrote %(count)s grids to %(path)s.")
            % {"count": len(data["features"]), "path": options["output"]}
        )
