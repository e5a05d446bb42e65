"""Read-only public resources: citizen categories and the published 曝光台 (anyone), and
satisfaction ratings (staff, within their scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import permissions, viewsets

from chuangwei.problems.models import Problem, ProblemPhoto

from ..models import Exposure, PublicCategory, SatisfactionRating
from .serializers import ExposureSerializer, PublicCategorySerializer, SatisfactionRatingSerializer


class PublicCategoryViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Categories offered to citizens (随手拍), in display order."""

    permission_classes = [permissions.AllowAny]
    serializer_class = PublicCategorySerializer
    queryset = PublicCategory.objects.filter(is_active=True).select_related("category")
    filterset_fields: list[str] = []


class ExposureViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Published items of the exposure board (曝光台); pending or withdrawn ones never."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ExposureSerializer
    filterset_fields: list[str] = []

    def get_queryset(self) -> QuerySet[Exposure]:
        photos = Prefetch(
            "problem__photos", queryset=ProblemPhoto.objects.order_by("created_at", "id")
        )
        return (
            Exposure.objects.published()
            .select_related("problem", "problem__unit")
            .prefetch_related(photos)
            .order_by("-published_at", "-id")
        )


class SatisfactionRatingViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Citizens' ratings of closed problems the user may see."""

    serializer_class = SatisfactionRatingSerializer
    filterset_fields = ["level"]

    def get_queryset(self) -> QuerySet[Any]:
        visible = Problem.objects.visible_to(self.request.user)  # type: ignore[no-untyped-call]
        return (
            SatisfactionRating.objects.filter(problem__in=visible)
            .select_related("problem")
            .order_by("-created_at", "-id")
        )
