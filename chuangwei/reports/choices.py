"""Briefing kinds and states, milestone kinds (DESIGN.md §3.7, §3.8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefingKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly ranking briefing")
    MONTHLY = "monthly", _("Monthly briefing")
    SPECIAL = "special", _("Work briefing")


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


BRIEFING_STATUS_COLORS = {
    BriefingStatus.DRAFT: "secondary",
    BriefingStatus.REVIEW: "warning",
    BriefingStatus.PUBLISHED: "success",
}
EDITABLE_STATUSES = frozenset({BriefingStatus.DRAFT, BriefingStatus.REVIEW})


class GenerationStatus(models.TextChoices):
    IDLE = "idle", _("Not generated")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Generated")
    FAILED = "failed", _("Failed")


GENERATION_STATUS_COLORS = {
    GenerationStatus.IDLE: "secondary",
    GenerationStatus.QUEUED: "info",
    GenerationStatus.RUNNING: "primary",
    GenerationStatus.DONE: "success",
    GenerationStatus.FAILED: "danger",
}


class SectionKind(models.TextChoices):
    TEXT = "text", _("Text written by staff")
    STATISTICS = "statistics", _("Statistics of the period")
    RANKINGS = "rankings", _("Rankings and red/black lists")
    TYPICAL = "typical", _("Typical problems with photos")
    OVERDUE = "overdue", _("Overdue problems by unit")


GENERATED_SECTIONS = (
    SectionKind.STATISTICS,
    SectionKind.RANKINGS,
    SectionKind.TYPICAL,
    SectionKind.OVERDUE,
)


class MilestoneKind(models.TextChoices):
    NATIONAL = "national", _("National covert inspection")
    PROVINCIAL = "provincial", _("Provincial review")
    SELF_CHECK = "self_check", _("Self assessment")
    DEADLINE = "deadline", _("Work deadline")
    OTHER = "other", _("Other")
