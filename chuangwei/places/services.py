"""Writes to grids and sites, and the point → grid assignment they share."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, Field, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.models import delete_row
from chuangwei.core.trees import save_node
from chuangwei.lib import geo
from chuangwei.org.models import Person

from .models import Grid, Site, SiteType, SiteTypeGroup

_cache_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "index": None}


def _grid_state() -> tuple[Any, ...]:
    agg = Grid.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def grid_index() -> geo.GridIndex:
    """The STRtree over all grids, rebuilt when any grid changed (cheap check per call)."""
    key = _grid_state()
    with _cache_lock:
        if _cache["key"] != key or _cache["index"] is None:
            rows = Grid.objects.values_list("pk", "level", "geometry")
            _cache["index"] = geo.GridIndex((pk, level, g) for pk, level, g in rows)
            _cache["key"] = key
        index: geo.GridIndex = _cache["index"]
    return index


def locate_grid(lng: float, lat: float) -> Grid | None:
    """The smallest grid containing the WGS-84 point, or None when it lies outside all."""
    grid_id = grid_index().locate(lng, lat)
    return Grid.objects.select_related("unit").get(pk=grid_id) if grid_id else None


def _apply_geometry(grid: Grid, geometry: Any) -> None:
    try:
        parsed = geo.parse_geometry(geometry)
    except geo.GeometryError as exc:
        raise InvalidInput(
            _("The boundary is not a valid polygon: %(error)s") % {"error": exc},
            code="invalid_geometry",
            fields={"geometry": [str(exc)]},
        ) from exc
    grid.geometry = parsed
    (grid.bbox_min_lng, grid.bbox_min_lat, grid.bbox_max_lng, grid.bbox_max_lat) = (
        geo.geometry_bbox(parsed)
    )
    grid.area_m2 = round(geo.geometry_area_m2(parsed), 1)


def save_grid(
    grid: Grid,
    *,
    workers: Iterable[Person] | None = None,
    bounds: CityBounds | None = None,
    by: Any = None,
) -> Grid:
    """Validate the boundary, refresh bbox and area, and keep the tree path right;
    ``workers`` (when given) replaces the grid's workers.

    The boundary must lie within the city's bounds computed *without this grid*
    (``city_bounds(excluding=[grid.pk])``; an import passes ``bounds`` computed once without
    every grid of its file), so an edit cannot widen the bounds it is checked against.
    Raises InvalidInput for a bad polygon, a boundary outside the city (``outside_city``) or
    a parent of the same or a smaller level.
    """
    _apply_geometry(grid, grid.geometry)
    if bounds is None:
        bounds = city_bounds(excluding=[grid.pk] if grid.pk else [])
    bounds.check_area((grid.bbox_min_lng, grid.bbox_min_lat, grid.bbox_max_lng, grid.bbox_max_lat))
    parent = cast("Grid | None", grid.parent)
    if parent is not None and parent.level >= grid.level:
        raise InvalidInput(
            _("A grid's parent must be a larger grid."),
            code="grid_level",
            fields={"parent": [_("Choose a grid of a larger level.")]},
        )
    with transaction.atomic():
        save_node(grid)
        if workers is not None:
            grid.workers.set(list(workers))
    return grid


def delete_grid(grid: Grid, *, by: Any) -> None:
    """Delete a grid. Raises InUse while sub-grids, sites or problems point at it."""
    delete_row(grid)


@dataclass(frozen=True)
class CityBounds:
    """The box ``(min_lng, min_lat, max_lng, max_lat)`` in which an input point is plausible."""

    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float

    def _outside(self, label: Any, value: float, low: float, high: float) -> Any:
        return _("%(coordinate)s %(value)s is outside the city (%(low)s–%(high)s).") % {
            "coordinate": label,
            "value": _degrees(value),
            "low": _degrees(low),
            "high": _degrees(high),
        }

    def check(self, lng: float, lat: float, fields: tuple[str, str] = ("lng", "lat")) -> None:
        """Raise InvalidInput ``outside_city`` naming each coordinate that lies outside."""
        faults: dict[str, list[Any]] = {}
        for name, value, low, high, label in (
            (fields[0], lng, self.min_lng, self.max_lng, _("Longitude")),
            (fields[1], lat, self.min_lat, self.max_lat, _("Latitude")),
        ):
            if not low <= value <= high:
                faults[name] = [self._outside(label, value, low, high)]
        if faults:
            raise InvalidInput(
                _("The location is outside the city. Check the point on the map."),
                code="outside_city",
                fields=faults,
            )

    def area_faults(self, bbox: tuple[float, float, float, float]) -> list[Any]:
        """One message per edge of the box ``(min_lng, min_lat, max_lng, max_lat)`` that
        reaches outside; [] when the whole box lies inside."""
        min_lng, min_lat, max_lng, max_lat = bbox
        faults: list[Any] = []
        for label, low_value, high_value, low, high in (
            (_("Longitude"), min_lng, max_lng, self.min_lng, self.max_lng),
            (_("Latitude"), min_lat, max_lat, self.min_lat, self.max_lat),
        ):
            faults += [
                self._outside(label, value, low, high)
                for value in dict.fromkeys((low_value, high_value))
                if not low <= value <= high
            ]
        return faults

    def check_area(self, bbox: tuple[float, float, float, float], field: str = "geometry") -> None:
        """Raise InvalidInput ``outside_city`` when the box reaches outside, naming each
        coordinate at fault under ``field``."""
        faults = self.area_faults(bbox)
        if faults:
            raise InvalidInput(
                _(
                    "The boundary reaches outside the city. Check its coordinates and their "
                    "coordinate system."
                ),
                code="outside_city",
                fields={field: faults},
            )


# No grids and no setting: only the WGS-84 ranges apply.
ANYWHERE = CityBounds(-180.0, -90.0, 180.0, 90.0)


def _degrees(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def city_bounds(*, excluding: Iterable[int] = ()) -> CityBounds:
    """Where input points are plausible: ``CHUANGWEI_CITY_BOUNDS`` when set, else the extent
    of every grid grown by ``CHUANGWEI_CITY_BOUNDS_MARGIN_KM`` (computed with the cached grid
    index, so it follows any grid change), else anywhere on earth.

    ``excluding`` (grid ids) leaves those grids out of the extent: a grid being written is
    checked against the bounds of the *other* grids, so it cannot widen the bounds it is
    checked against. Org units have no geometry of their own, so the grids stand for the
    city's territory.
    """
    fixed = getattr(settings, "CHUANGWEI_CITY_BOUNDS", None)
    if fixed:
        return CityBounds(*(float(v) for v in fixed))
    excluded = [pk for pk in excluding if pk is not None]
    extent: tuple[float, float, float, float] | None
    if excluded:
        agg = Grid.objects.exclude(pk__in=excluded).aggregate(
            min_lng=Min("bbox_min_lng"),
            min_lat=Min("bbox_min_lat"),
            max_lng=Max("bbox_max_lng"),
            max_lat=Max("bbox_max_lat"),
        )
        values = (agg["min_lng"], agg["min_lat"], agg["max_lng"], agg["max_lat"])
        extent = None if None in values else cast("tuple[float, float, float, float]", values)
    else:
        extent = grid_index().bounds
    if extent is None:
        return ANYWHERE
    margin_m = float(getattr(settings, "CHUANGWEI_CITY_BOUNDS_MARGIN_KM", 20)) * 1000.0
    return CityBounds(*geo.expand_bbox(extent, margin_m))


def point_to_wgs84(
    lng: Any,
    lat: Any,
    crs: str = geo.CRS_WGS84,
    *,
    fields: tuple[str, str] = ("lng", "lat"),
    bounds: CityBounds | None = None,
) -> tuple[float, float]:
    """Validate an input point and convert it to WGS-84: the one plausibility rule for every
    point a user, an import or a client sends (reports, sites, check-ins, findings).

    ``fields`` names the two inputs in errors (Open311 calls longitude ``long``); ``bounds``
    (default ``city_bounds()``) lets a bulk import look the bounds up once. Raises
    InvalidInput ``invalid_coordinates`` (not numbers, outside -180..180/-90..90, unknown
    coordinate system) or ``outside_city`` (each coordinate outside the city, named).
    """
    try:
        point = geo.to_wgs84(lng, lat, crs)
    except geo.GeometryError as exc:
        raise InvalidInput(
            _("The location is not valid: longitude -180–180, latitude -90–90."),
            code="invalid_coordinates",
            fields={fields[0]: [str(exc)]},
        ) from exc
    (bounds or city_bounds()).check(*point, fields=fields)
    return point


def assign_site_grid(site: Site, index: geo.GridIndex | None = None) -> None:
    """Set ``grid`` and ``outside_grid`` from the site's point (not saved)."""
    grid_id = (index or grid_index()).locate(site.lng, site.lat)
    site.grid_id = grid_id
    site.outside_grid = grid_id is None


def save_site(site: Site, *, crs: str = geo.CRS_WGS84, by: Any = None) -> Site:
    """Convert the point to WGS-84, assign the smallest grid and save.

    A point outside every grid is saved with ``outside_grid`` set, never dropped.
    """
    site.lng, site.lat = point_to_wgs84(site.lng, site.lat, crs)
    assign_site_grid(site)
    site.save()
    return site


def delete_site(site: Site, *, by: Any) -> None:
    """Delete a site. Raises InUse while problems or inspection results point at it."""
    delete_row(site)


def save_site_type(site_type: SiteType, *, by: Any) -> SiteType:
    """Create or update a kind of site (农贸市场, 公共厕所 …)."""
    site_type.save()
    return site_type


def delete_site_type(site_type: SiteType, *, by: Any) -> None:
    """Delete a kind of site. Raises InUse while sites of that kind exist."""
    delete_row(site_type)


def save_site_type_group(
    group: SiteTypeGroup, *, site_types: Iterable[SiteType] | None = None, by: Any
) -> SiteTypeGroup:
    """Create or update a group of site types (五小, 六小 …); ``site_types`` (when given)
    replaces its members."""
    with transaction.atomic():
        group.save()
        if site_types is not None:
            group.site_types.set(list(site_types))
    return group


def delete_site_type_group(group: SiteTypeGroup, *, by: Any) -> None:
    """Delete a group of site types (the site types themselves stay)."""
    delete_row(group)


def import_sites(sites: Sequence[Site], *, fields: Sequence[str], by: Any) -> tuple[int, int]:
    """Write the checked rows of a site import in bulk: insert the new sites and update
    ``fields`` (with ``updated_at``) of the existing ones. Returns (created, updated).

    The importer (``SiteImporter``) has already done what ``save_site`` does one site at a
    time (WGS-84 point, grid, unit) for every row, and holds the transaction.
    """
    new = [site for site in sites if site.pk is None]
    changed = [site for site in sites if site.pk is not None]
    Site.objects.bulk_create(new, batch_size=2000)
    if changed:
        now = timezone.now()
        for site in changed:
            site.updated_at = now
        _update_sites(changed, fields)
    return len(new), len(changed)


def _update_sites(sites: Sequence[Site], fields: Sequence[str]) -> None:
    """Write ``fields`` of existing sites with one prepared UPDATE run over all of them.

    ``QuerySet.bulk_update`` builds a CASE expression per field over each batch, and SQLite's
    999-parameter limit keeps batches tiny: 20,000 sites took about 50 s. ``executemany`` of a
    plain UPDATE by primary key does the same in well under a second, on SQLite and PostgreSQL.
    """
    connection = connections[router.db_for_write(Site)]
    meta = Site._meta
    model_fields = [cast("Field[Any, Any]", meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in model_fields)
    pk_column = str(meta.pk.column) if meta.pk is not None else "id"
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk_column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(site, field.attname), connection) for field in model_fields]
        + [site.pk]
        for site in sites
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def reassign_site_grids(sites: Sequence[Site] | None = None) -> int:
    """Recompute the grid of every site (after grids changed); returns rows changed."""
    rows: list[tuple[int, float, float, int | None]]
    if sites is None:
        rows = list(Site.objects.values_list("pk", "lng", "lat", "grid_id"))
    else:
        rows = [(s.pk, s.lng, s.lat, s.grid_id) for s in sites]
    located = grid_index().locate_many([r[1] for r in rows], [r[2] for r in rows])
    changed = [
        Site(pk=pk, grid_id=new, outside_grid=new is None)
        for (pk, _lng, _lat, old), new in zip(rows, located, strict=True)
        if old != new
    ]
    Site.objects.bulk_update(changed, ["grid_id", "outside_grid"], batch_size=1000)
    return len(changed)
