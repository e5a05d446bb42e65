"""Choices of the readiness app: cycle and stage kinds, evidence frequency and review states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleKind(models.TextChoices):
    """Winning the title (创建) or keeping it at the three-yearly re-examination (复审)."""

    CREATE = "create", _("Creation (创建)")
    REVIEW = "review", _("Re-examination (复审)")


class StageKind(models.TextChoices):
    """The stages of a cycle (reference/sanitary-city-standard.md §4.1, §4.3)."""

    APPLY = "apply", _("Application (申报)")
    PROVINCIAL = "provincial", _("Provincial assessment (省级评估)")
    COVERT = "covert", _("National covert inspection (国家暗访)")
    RECTIFY = "rectify", _("Rectification and acceptance (整改验收)")
    TECHNICAL = "technical", _("Technical evaluation (技术评估)")
    REVIEW = "review", _("Comprehensive review and publicity (综合评审/公示)")
    NAMING = "naming", _("Naming (命名)")
    SELF_CHECK = "self_check", _("Annual self-check (年度自查)")
    REEXAM = "reexam", _("Re-examination (复审)")
    OTHER = "other", _("Other")


class StageStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("In progress")
    DONE = "done", _("Done")


STAGE_STATUS_COLORS = {
    StageStatus.PLANNED: "secondary",
    StageStatus.ACTIVE: "primary",
    StageStatus.DONE: "success",
}


class Frequency(models.TextChoices):
    """How often a unit must file a piece of evidence: the periods of the completeness grid."""

    ONCE = "once", _("Once")
    YEARLY = "yearly", _("Yearly")
    QUARTERLY = "quarterly", _("Quarterly")
    MONTHLY = "monthly", _("Monthly")


class EvidenceStatus(models.TextChoices):
    """待审 → 通过 / 退回; a returned record is filed again and goes back to 待审."""

    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


EVIDENCE_STATUS_COLORS = {
    EvidenceStatus.PENDING: "warning",
    EvidenceStatus.APPROVED: "success",
    EvidenceStatus.RETURNED: "danger",
}


class EvidenceAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    RESUBMIT = "resubmit", _("Submitted again")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")


class RecheckOutcome(models.TextChoices):
    """What a 回头看 found for one item of a stage's problem list."""

    FIXED = "fixed", _("Fixed")
    OPEN = "open", _("Still open")
    REGRESSED = "regressed", _("Came back")


RECHECK_OUTCOME_COLORS = {
    RecheckOutcome.FIXED: "success",
    RecheckOutcome.OPEN: "warning",
    RecheckOutcome.REGRESSED: "danger",
}


class ConditionState(models.TextChoices):
    """A prerequisite or veto condition on the board."""

    GREEN = "green", _("Met")
    RED = "red", _("Failed")
    UNKNOWN = "unknown", _("Unknown")


CONDITION_STATE_COLORS = {
    ConditionState.GREEN: "success",
    ConditionState.RED: "danger",
    ConditionState.UNKNOWN: "secondary",
}
