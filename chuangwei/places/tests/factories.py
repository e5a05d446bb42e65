"""factory_boy factories for grids, site types and sites.

Grids are axis-aligned rectangles: pass ``bounds=(min_lng, min_lat, max_lng, max_lat)``, or
get a fresh 0.01° square east of the previous one. They are saved through
``services.save_grid`` so path, depth, bbox and area are right. A site saved without an
explicit ``grid`` goes through ``services.save_site``, which assigns the grid from its point.
"""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.org.services import create_org_unit
from chuangwei.places import services
from chuangwei.places.choices import GridLevel
from chuangwei.places.models import Grid, Site, SiteType


def rectangle(min_lng: float, min_lat: float, max_lng: float, max_lat: float) -> dict[str, Any]:
    """A GeoJSON Polygon for the box, counter-clockwise as RFC 7946 wants."""
    ring = [[min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat], [min_lng, max_lat]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def default_unit() -> OrgUnit:
    """One shared street-level unit for rows whose test does not care about the unit."""
    unit = OrgUnit.objects.filter(code="FACTORY-UNIT").first()
    return unit or create_org_unit(code="FACTORY-UNIT", name="工厂街道", kind=OrgUnitKind.STREET)


class SiteTypeFactory(DjangoModelFactory):
    class Meta:
        model = SiteType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"场所类型{n}")


class GridFactory(DjangoModelFactory):
    class Meta:
        model = Grid

    class Params:
        bounds = factory.Sequence(lambda n: (117.0 + 0.01 * n, 34.8, 117.01 + 0.01 * n, 34.81))

    code = factory.Sequence(lambda n: f"WG{n:04d}")
    name = factory.Sequence(lambda n: f"网格{n}")
    level = GridLevel.LARGE
    unit = factory.LazyFunction(default_unit)
    geometry = factory.LazyAttribute(lambda o: rectangle(*o.bounds))

    @classmethod
    def _create(cls, model_class: type[Grid], *args: Any, **kwargs: Any) -> Grid:
        return services.save_grid(model_class(*args, **kwargs))


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"DW{n:05d}")
    name = factory.Sequence(lambda n: f"点位{n}")
    site_type = factory.SubFactory(SiteTypeFactory)
    lng = 117.005
    lat = 34.805
    unit = factory.LazyFunction(default_unit)

    @classmethod
    def _create(cls, model_class: type[Site], *args: Any, **kwargs: Any) -> Site:
        site = model_class(*args, **kwargs)
        if "grid" in kwargs or "grid_id" in kwargs:
            site.save()
            return site
        return services.save_site(site)
