"""Inspection kinds, task and result states, scoring modes (DESIGN.md §3.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwei.problems.choices import ProblemSource


class InspectionKind(models.TextChoices):
    COVERT = "covert", _("Covert inspection")
    OPEN = "open", _("Open inspection")
    MOCK_COVERT = "mock_covert", _("Mock covert inspection")
    ROUTINE = "routine", _("Routine patrol inspection")
    CROSS = "cross", _("Cross inspection")


# Which ledger source a deduction found by each kind of inspection carries (lead's note).
KIND_SOURCE = {
    InspectionKind.COVERT: ProblemSource.COVERT_CHECK,
    InspectionKind.OPEN: ProblemSource.OPEN_CHECK,
    InspectionKind.MOCK_COVERT: ProblemSource.MOCK_COVERT,
    InspectionKind.ROUTINE: ProblemSource.ROUTINE_CHECK,
    InspectionKind.CROSS: ProblemSource.CROSS_CHECK,
}


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


TASK_STATUS_COLORS = {
    TaskStatus.PLANNED: "secondary",
    TaskStatus.IN_PROGRESS: "primary",
    TaskStatus.SUBMITTED: "warning",
    TaskStatus.REVIEWED: "success",
}
# States whose results count as finished (totals, projection, rankings).
FINISHED_TASK_STATUSES = frozenset({TaskStatus.SUBMITTED, TaskStatus.REVIEWED})
# States in which inspectors may still score.
SCORING_TASK_STATUSES = frozenset({TaskStatus.PLANNED, TaskStatus.IN_PROGRESS})


class ResultStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    PARTIAL = "partial", _("Partly scored")
    DONE = "done", _("Scored")


RESULT_STATUS_COLORS = {
    ResultStatus.PENDING: "secondary",
    ResultStatus.PARTIAL: "warning",
    ResultStatus.DONE: "success",
}


class ScoringMode(models.TextChoices):
    DEDUCTION = "deduction", _("Deduction per finding")
    BAND = "band", _("Banded judgement")
    GROUP = "group", _("Group of items")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In use")
    RETIRED = "retired", _("Retired")


SHEET_STATUS_COLORS = {
    SheetStatus.DRAFT: "secondary",
    SheetStatus.PUBLISHED: "success",
    SheetStatus.RETIRED: "dark",
}
