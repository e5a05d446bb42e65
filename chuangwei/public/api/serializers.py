from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chuangwei.core.api import ModelSerializer

from ..models import Exposure, PublicCategory, SatisfactionRating
from ..selectors import public_stage


class PublicCategorySerializer(ModelSerializer):  # type: ignore[type-arg]
    category_code = serializers.CharField(source="category.code", read_only=True)

    class Meta:
        model = PublicCategory
        fields = ["id", "name", "description", "icon", "category_code", "needs_verification"]
        read_only_fields = fields


class ExposureSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A published exposure: no reporter data, only the EXIF-free public photo copies."""

    unit = serializers.CharField(source="problem.unit.name", read_only=True)
    stage = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Exposure
        fields = ["id", "title", "summary", "published_at", "unit", "stage", "photos"]
        read_only_fields = fields

    def get_stage(self, obj: Exposure) -> str:
        return public_stage(obj.problem.status).key

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_photos(self, obj: Exposure) -> list[dict[str, str]]:
        return [
            {
                "kind": p.kind,
                "url": reverse("public:exposure_photo", args=[obj.pk, p.pk, "full"]),
                "thumbnail": reverse("public:exposure_photo", args=[obj.pk, p.pk, "thumb"]),
            }
            for p in obj.problem.photos.all()
        ]


class SatisfactionRatingSerializer(ModelSerializer):  # type: ignore[type-arg]
    problem_code = serializers.CharField(source="problem.code", read_only=True)

    class Meta:
        model = SatisfactionRating
        fields = ["id", "problem", "problem_code", "level", "comment", "created_at"]
        read_only_fields = fields
