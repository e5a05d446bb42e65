"""Grid boundaries as GeoJSON: export all grids, import a FeatureCollection all or nothing.

Features are checked by the same ``GridRules`` as the grid spreadsheet importer (code, level,
parent in the file or the database, unit, polygon), each error reported with the feature's
0-based index as its "row"; only when all are valid are the grids saved, parents first, and
every site's grid recomputed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.importing import ImportFailed, ImportResult, RowError, RowInvalid
from chuangwei.lib import geo

from .importers import GRID_COLUMNS, GridRules, GridSpec, save_grid_specs
from .models import Grid

_LABELS = {column.key: column.label for column in GRID_COLUMNS}


def export_grids_geojson(queryset: QuerySet[Grid] | None = None) -> dict[str, Any]:
    """The grids as a GeoJSON FeatureCollection, parents before children.

    Properties: code, name, level, parent_code, unit_code, unit_name, leader (the grid
    leader's name or null), which ``import_grids_geojson`` reads back (it ignores unit_name
    and leader).
    """
    grids = (Grid.objects.all() if queryset is None else queryset).select_related(
        "parent", "unit", "leader"
    )
    return geo.feature_collection(
        (
            grid.geometry,
            {
                "code": grid.code,
                "name": grid.name,
                "level": grid.level,
                "parent_code": grid.parent.code if grid.parent else None,
                "unit_code": grid.unit.code,
                "unit_name": grid.unit.name,
                "leader": grid.leader.name if grid.leader else None,
            },
        )
        for grid in grids.order_by("path")
    )


def _features(data: Any) -> list[Any]:
    if isinstance(data, (bytes, bytearray)):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                _("The GeoJSON file must be UTF-8 encoded."), code="bad_encoding"
            ) from exc
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise InvalidInput(_("The file is not valid JSON."), code="bad_file") from exc
    features = data.get("features") if isinstance(data, Mapping) else None
    if (
        not isinstance(data, Mapping)
        or data.get("type") != "FeatureCollection"
        or not isinstance(features, list)
    ):
        raise InvalidInput(_("The file must be a GeoJSON FeatureCollection."), code="bad_file")
    if not features:
        raise InvalidInput(_("The file has no features."), code="empty")
    return features


def import_grids_geojson(
    data: Any, *, by: Any = None, update_existing: bool = False
) -> ImportResult:
    """Create (or with ``update_existing`` also update) grids from a GeoJSON FeatureCollection.

    ``data`` is a dict or JSON text/bytes; each feature's properties give code, name, level,
    parent_code (in the file or the database) and unit_code. Every feature is checked first;
    any bad one raises ImportFailed whose RowError ``row`` is the 0-based feature index, and
    nothing is written. Raises InvalidInput when the file is not a FeatureCollection.
    """
    features = _features(data)
    errors: list[RowError] = []
    records: list[tuple[int, dict[str, Any]]] = []
    for index, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, Mapping) else None
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            errors.append(RowError(index, "", gettext("not a GeoJSON Feature")))
        elif properties is not None and not isinstance(properties, Mapping):
            errors.append(RowError(index, "", gettext("properties must be an object")))
        else:
            records.append((index, {**(properties or {}), "geometry": feature.get("geometry")}))
    rules = GridRules(update_existing=update_existing)
    rules.load_file(values for _index, values in records)
    specs: list[GridSpec] = []
    seen: dict[str, Any] = {}
    for index, values in records:
        try:
            specs.append(rules.check(index, values, seen))
        except RowInvalid as exc:
            errors.append(RowError(index, str(_LABELS.get(exc.column, exc.column)), exc.message))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    with transaction.atomic():
        return save_grid_specs(specs, by=by)
