"""Kinds of ranked objects, periods, snapshot states and accountability measures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectKind(models.TextChoices):
    """What a ranking ranks (DESIGN.md §3.6: streets, communities, departments, grids,
    road sections and sites; reporters for the collector formula)."""

    STREET = "street", _("Streets")
    COMMUNITY = "community", _("Communities")
    DEPARTMENT = "department", _("Departments")
    GRID = "grid", _("Grids")
    ROAD = "road", _("Road sections")
    SITE = "site", _("Sites")
    REPORTER = "reporter", _("Reporters")


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    CUSTOM = "custom", _("Custom")


class SnapshotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


SNAPSHOT_STATUS_COLORS = {SnapshotStatus.DRAFT: "secondary", SnapshotStatus.PUBLISHED: "success"}


class MeasureKind(models.TextChoices):
    """Accountability measures, mildest first."""

    CIRCULATE = "circulate", _("Circulated criticism (通报批评)")
    INTERVIEW = "interview", _("Interview (约谈)")
    RECTIFY = "rectify", _("Rectification within a deadline (限期整改)")
    ACCOUNTABLE = "accountable", _("Accountability (问责)")


MEASURE_COLORS = {
    MeasureKind.CIRCULATE: "warning",
    MeasureKind.INTERVIEW: "danger",
    MeasureKind.RECTIFY: "info",
    MeasureKind.ACCOUNTABLE: "dark",
}


class RecordStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Completed")


RECORD_STATUS_COLORS = {RecordStatus.OPEN: "warning", RecordStatus.DONE: "success"}

# Site types whose sites are ranked as road sections (demo city codes).
ROAD_SITE_TYPES = ("main_road", "back_lane")
