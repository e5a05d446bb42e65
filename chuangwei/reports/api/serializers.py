from __future__ import annotations

from rest_framework import serializers

from chuangwei.core.api import ModelSerializer, Serializer

from ..models import Briefing, BriefingSection, Milestone


class BriefingSectionSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BriefingSection
        fields = ["id", "position", "kind", "heading", "body"]
        read_only_fields = ["id", "position", "kind"]


class BriefingSerializer(ModelSerializer):  # type: ignore[type-arg]
    sections = BriefingSectionSerializer(many=True, read_only=True)
    issue_label = serializers.CharField(read_only=True)

    class Meta:
        model = Briefing
        fields = [
            "id", "kind", "masthead", "office", "headline", "period_start", "period_end",
            "issue_date", "year", "year_number", "total_number", "issue_label", "status",
            "generation_status", "progress", "generation_error", "distribution_bao",
            "distribution_song", "distribution_fa", "scheduled", "published_at", "sections",
            "data",
        ]  # fmt: skip
        read_only_fields = fields


class BriefingCreateInput(Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=Briefing._meta.get_field("kind").choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    headline = serializers.CharField(required=False, allow_blank=True, max_length=200)


class BriefingUpdateInput(Serializer):  # type: ignore[type-arg]
    masthead = serializers.CharField(required=False, max_length=60)
    office = serializers.CharField(required=False, max_length=100)
    headline = serializers.CharField(required=False, max_length=200)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    issue_date = serializers.DateField(required=False, allow_null=True)
    distribution_bao = serializers.CharField(required=False, allow_blank=True)
    distribution_song = serializers.CharField(required=False, allow_blank=True)
    distribution_fa = serializers.CharField(required=False, allow_blank=True)


class SectionInput(Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(required=False)
    heading = serializers.CharField(max_length=100)
    body = serializers.CharField(required=False, allow_blank=True)


class MilestoneSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Milestone
        fields = ["id", "name", "date", "kind", "note"]
