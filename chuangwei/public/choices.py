"""Choices of the public side, with their tag colours (UX.md §1 status tags)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwei.org.choices import OrgUnitKind
from chuangwei.problems.choices import ProblemSource


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


# Satisfied and basically satisfied both count as satisfied in the satisfaction rate.
SATISFIED_LEVELS = frozenset({Satisfaction.SATISFIED, Satisfaction.BASICALLY})
SATISFACTION_COLORS = {
    Satisfaction.SATISFIED: "success",
    Satisfaction.BASICALLY: "primary",
    Satisfaction.DISSATISFIED: "danger",
}


class ExposureStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


EXPOSURE_COLORS = {
    ExposureStatus.PENDING: "warning",
    ExposureStatus.APPROVED: "success",
    ExposureStatus.REJECTED: "danger",
    ExposureStatus.WITHDRAWN: "secondary",
}


class SurveyKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction")
    AWARENESS = "awareness", _("Awareness")
    SUPPORT = "support", _("Support")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


PUBLICATION_COLORS = {
    PublicationStatus.DRAFT: "secondary",
    PublicationStatus.OPEN: "primary",
    PublicationStatus.CLOSED: "success",
}


# Sources of problems a citizen may see (as a nearby duplicate to follow, by tracking code,
# in the public figures). Everything else comes from internal inspections (暗访, 督查,
# 交叉检查, 领导交办 …): never shown to the public, and exposed only once fixed.
PUBLIC_SOURCES = frozenset(
    {
        ProblemSource.CITIZEN,
        ProblemSource.SUPERVISOR,
        ProblemSource.HOTLINE,
        ProblemSource.MEDIA,
        ProblemSource.OPEN311,
        ProblemSource.GRID_PATROL,
    }
)

# The units a survey respondent chooses from (and the rows of the results): districts and
# counties, and the development zones (经济开发区, 高新区) beside them.
SURVEY_DISTRICT_KINDS = (OrgUnitKind.DISTRICT, OrgUnitKind.ZONE)
