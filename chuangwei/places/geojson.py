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
from chuangwei.core.importing import (
    ImportFailed,
    ImportResult,
    RowError,
    RowInvalid,
    column_spellings,
    normalise_header,
    unknown_columns_refused,
)
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
        except (ValueError, RecursionError) as exc:  # deep nesting exhausts the decoder
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


# Properties the export writes for people to read; an import reads past them.
EXPORT_ONLY_PROPERTIES = ("unit_name", "leader")
_EXPORT_ONLY = {normalise_header(name) for name in EXPORT_ONLY_PROPERTIES}


def _read_properties(
    records: list[tuple[int, dict[str, Any]]], errors: list[RowError]
) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Each record's properties by column key, and the property names no column knows.

    Names are matched like spreadsheet headers (``Parent Code``, ``上级网格编码``…); a feature
    with two names for one column gets an error in ``errors``.
    """
    spellings = column_spellings(GRID_COLUMNS)
    unknown: dict[str, None] = {}
    out: list[tuple[int, dict[str, Any]]] = []
    for index, properties in records:
        values: dict[str, Any] = {}
        names: dict[str, str] = {}
        for name, value in properties.items():
            folded = normalise_header(name)
            column = spellings.get(folded)
            if column is None or column.key == "geometry":
                if folded not in _EXPORT_ONLY:
                    unknown[name] = None
                continue
            if column.key in names:
                errors.append(
                    RowError(
                        index,
                        str(column.label),
                        gettext(
                            "the properties %(first)s and %(second)s both mean this column; keep one"
                        )
                        % {"first": f"“{names[column.key]}”", "second": f"“{name}”"},
                    )
                )
                continue
            names[column.key] = name
            values[column.key] = value
        out.append((index, values))
    return out, list(unknown)


def import_grids_geojson(
    data: Any,
    *,
    by: Any = None,
    update_existing: bool = False,
    ignore_unknown: bool = False,
    commit: bool = True,
) -> ImportResult:
    """Create (or with ``update_existing`` also update) grids from a GeoJSON FeatureCollection.

    ``data`` is a dict or JSON text/bytes; each feature's properties give code, name, level,
    parent_code (in the file or the database) and unit_code, named in any spelling a sheet
    header may use. Every feature is checked first; any bad one raises ImportFailed whose
    RowError ``row`` is the 0-based feature index, and nothing is written. A property no
    column knows (other than the export's ``unit_name`` and ``leader``) refuses the file
    unless ``ignore_unknown``. Raises InvalidInput when the file is not a FeatureCollection.
    With ``commit`` false every check runs and nothing is written.
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
            records.append((index, dict(properties or {})))
    records, unknown = _read_properties(records, errors)
    for index, values in records:
        values["geometry"] = features[index].get("geometry")
    rules = GridRules(update_existing=update_existing)
    rules.load_file(values for _index, values in records)
    flat = rules.flat_file_error()
    if flat:
        errors.append(RowError(None, str(_LABELS["parent_code"]), flat))
    specs: list[GridSpec] = []
    seen: dict[str, Any] = {}
    for index, values in records:
        try:
            specs.append(rules.check(index, values, seen))
        except RowInvalid as exc:
            errors += [
                RowError(index, str(_LABELS.get(column, column)), message)
                for column, message in exc.faults
            ]
    if errors:
        raise ImportFailed(
            sorted(errors, key=lambda e: -1 if e.row is None else e.row), unknown_columns=unknown
        )
    if unknown and not ignore_unknown:
        raise unknown_columns_refused(unknown)
    if not commit:
        return ImportResult(total=len(specs), unknown_columns=unknown)
    with transaction.atomic():
        result = save_grid_specs(specs, by=by)
    result.unknown_columns = unknown
    return result
