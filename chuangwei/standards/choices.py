from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


VERSION_STATUS_COLORS = {
    VersionStatus.DRAFT: "secondary",
    VersionStatus.PUBLISHED: "success",
    VersionStatus.RETIRED: "dark",
}


class ClauseLevel(models.TextChoices):
    """Levels of the standard tree: aspect (方面) → article (条) → check item (小项) →
    assessment rule (测评细则)."""

    ASPECT = "aspect", _("Aspect")
    ARTICLE = "article", _("Article")
    ITEM = "item", _("Check item")
    RULE = "rule", _("Assessment rule")


CLAUSE_LEVEL_COLORS = {
    ClauseLevel.ASPECT: "primary",
    ClauseLevel.ARTICLE: "info",
    ClauseLevel.ITEM: "secondary",
    ClauseLevel.RULE: "light",
}


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="


class CategoryKind(models.TextChoices):
    """Urban-management 部件 (components) and 事项 (matters), plus 创卫 classes."""

    COMPONENT = "component", _("Component (部件)")
    MATTER = "matter", _("Matter (事项)")
    SANITARY = "sanitary", _("Sanitary-city class")


CATEGORY_KIND_COLORS = {
    CategoryKind.COMPONENT: "info",
    CategoryKind.MATTER: "primary",
    CategoryKind.SANITARY: "success",
}


class DeadlineUnit(models.TextChoices):
    """How a category's handling time is counted."""

    WORK_HOURS = "work_hours", _("Working hours")
    WORK_DAYS = "work_days", _("Working days")
    HOURS = "hours", _("Clock hours (24×7)")
    DAYS = "days", _("Calendar days")


class Severity(models.TextChoices):
    LOW = "low", _("Minor")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Serious")
    URGENT = "urgent", _("Urgent")


SEVERITY_COLORS = {
    Severity.LOW: "secondary",
    Severity.NORMAL: "primary",
    Severity.HIGH: "warning",
    Severity.URGENT: "danger",
}


class ValueOrigin(models.TextChoices):
    """Where an indicator value comes from: typed in with its evidence, or computed by the
    platform from what it already holds (never typed twice)."""

    ENTERED = "entered", _("Entered")
    COMPUTED = "computed", _("Computed")
