from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chuangwei.core.api import ModelSerializer

from ..choices import InputCRS
from ..models import Grid, Site, SiteType, SiteTypeGroup


class GridSerializer(ModelSerializer):
    class Meta:
        model = Grid
        fields = [
            "id",
            "code",
            "name",
            "level",
            "parent",
            "unit",
            "leader",
            "workers",
            "geometry",
            "bbox_min_lng",
            "bbox_min_lat",
            "bbox_max_lng",
            "bbox_max_lat",
            "area_m2",
            "path",
        ]
        read_only_fields = [
            "bbox_min_lng",
            "bbox_min_lat",
            "bbox_max_lng",
            "bbox_max_lat",
            "area_m2",
            "path",
        ]


class SiteTypeSerializer(ModelSerializer):
    class Meta:
        model = SiteType
        fields = ["id", "code", "name", "description", "sort_order"]


class SiteTypeGroupSerializer(ModelSerializer):
    class Meta:
        model = SiteTypeGroup
        fields = ["id", "code", "name", "site_types", "description"]


class SiteSerializer(ModelSerializer):
    crs = serializers.ChoiceField(
        choices=InputCRS.choices,
        write_only=True,
        required=False,
        default=InputCRS.WGS84,
        help_text=_("Coordinate system of lng/lat on input; stored as WGS-84."),
    )

    class Meta:
        model = Site
        fields = [
            "id",
            "code",
            "name",
            "site_type",
            "address",
            "lng",
            "lat",
            "crs",
            "grid",
            "outside_grid",
            "unit",
            "supervising_department",
            "frontage_party",
            "contact_name",
            "contact_phone",
            "licence_no",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["grid", "outside_grid", "created_at", "updated_at"]

    # The point is checked once, by places.services.save_site (ranges and the city's bounds).
