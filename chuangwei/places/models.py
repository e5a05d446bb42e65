"""Responsibility grids (three levels, polygons) and key sites (重点场所)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import ScopedQuerySet, SharedQuerySet, TimeStampedModel, TreeModel

from .choices import GridLevel, SiteStatus


class GridQuerySet(ScopedQuerySet):
    scope_field = "unit"


class Grid(TreeModel):
    """A responsibility grid (网格): polygon, owning unit, grid leader and workers.

    Geometry is a WGS-84 GeoJSON Polygon/MultiPolygon; the bbox columns let SQL
    prefilter before the cached STRtree answers point-in-polygon.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=GridLevel.choices)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="grids"
    )
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    bbox_min_lng = models.FloatField(editable=False, default=0)
    bbox_min_lat = models.FloatField(editable=False, default=0)
    bbox_max_lng = models.FloatField(editable=False, default=0)
    bbox_max_lat = models.FloatField(editable=False, default=0)
    area_m2 = models.FloatField(_("area (m²)"), editable=False, default=0)
    leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("grid leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_grids",
    )
    workers = models.ManyToManyField(
        "org.Person", verbose_name=_("grid workers"), blank=True, related_name="worker_grids"
    )

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["path"]
        indexes = [
            # Bbox prefilter of point-in-polygon: WHERE min_lng <= x <= max_lng AND ...
            models.Index(
                fields=["bbox_min_lng", "bbox_max_lng", "bbox_min_lat", "bbox_max_lat"],
                name="places_grid_bbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SiteType(TimeStampedModel):
    """A type of key site (农贸市场, 公共厕所, 小餐饮, …)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("site type")
        verbose_name_plural = _("site types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SiteTypeGroup(TimeStampedModel):
    """A city's bundle of site types ("五小/六小/九小" differ by city)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    site_types = models.ManyToManyField(
        SiteType, verbose_name=_("site types"), related_name="groups"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("site type group")
        verbose_name_plural = _("site type groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SiteQuerySet(ScopedQuerySet):
    scope_field = "unit"

    def with_list_related(self):  # type: ignore[no-untyped-def]
        return self.select_related("site_type", "grid", "unit", "supervising_department")


class Site(TimeStampedModel):
    """A key site inspectors visit: a market, toilet, eatery, back lane, building site…

    ``grid`` is assigned from the point; ``outside_grid`` flags a point inside no grid
    (it is kept, never dropped, so the office can fix the point or the grids).
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    site_type = models.ForeignKey(
        SiteType, verbose_name=_("site type"), on_delete=models.PROTECT, related_name="sites"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sites",
    )
    outside_grid = models.BooleanField(_("outside every grid"), default=False)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    supervising_department = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("supervising department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_sites",
    )
    frontage_party = models.CharField(
        _("frontage responsible party (门前三包)"), max_length=100, blank=True
    )
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    licence_no = models.CharField(_("licence number"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.OPERATING
    )

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["site_type", "status"], name="places_site_type_status"),
            models.Index(fields=["lng", "lat"], name="places_site_point"),
        ]

    def __str__(self) -> str:
        return self.name
