"""Readiness for the evaluation (DESIGN.md §3.3, §3.11; reference/sanitary-city-standard.md §2–4).

- The evaluation cycle as data: a cycle (创建 or 复审) with its stages, each with dates, an
  owner and deliverables; a stage's feedback list (the province's or the nation's problem
  list) lives in the ledger as ordinary problems linked here, and 回头看 rounds re-check them.
- The evidence dossier (台账资料): what each check item requires, from which units and how
  often; the files units file for it, reviewed by the office.
- Prerequisite and veto conditions (必备条件 / 一票否决): events that fail them.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import ScopedQuerySet, SharedQuerySet, TimeStampedModel, user_ref

from .choices import (
    CycleKind,
    EvidenceAction,
    EvidenceStatus,
    Frequency,
    RecheckOutcome,
    StageKind,
    StageStatus,
)


class EvaluationCycle(TimeStampedModel):
    """One round of the national evaluation: winning the title (创建) over its three years, or
    keeping it at the re-examination (复审). The current cycle's stages drive the countdowns."""

    kind = models.CharField(_("kind"), max_length=10, choices=CycleKind.choices)
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    standard_version = models.ForeignKey(
        "standards.StandardVersion",
        verbose_name=_("standard version"),
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text=_("The edition of the standard this cycle is judged by."),
    )
    is_current = models.BooleanField(_("current cycle"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation cycle")
        verbose_name_plural = _("evaluation cycles")
        ordering = ["-start_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="readiness_cycle_one_current",
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="readiness_cycle_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationStage(TimeStampedModel):
    """A stage of a cycle (申报, 省级评估, 国家暗访 …) with its date, owner and deliverables.

    ``due_on`` is the date that counts (the visit, the deadline); the dashboards count down
    to the next one. ``dossier_clauses`` are the dossier sections the stage needs, and
    ``indicator_snapshot`` freezes the indicator values when the stage is completed.
    """

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=StageKind.choices)
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("date"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    owner = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StageStatus.choices, default=StageStatus.PLANNED
    )
    deliverables = models.TextField(_("deliverables"), blank=True)
    dossier_clauses = models.ManyToManyField(
        "standards.StandardClause",
        verbose_name=_("dossier sections"),
        blank=True,
        related_name="+",
    )
    indicator_snapshot = models.JSONField(_("indicator snapshot"), default=dict, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    note = models.TextField(_("note"), blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation stage")
        verbose_name_plural = _("evaluation stages")
        ordering = ["cycle", "due_on", "sort_order", "id"]
        indexes = [models.Index(fields=["due_on"], name="readiness_stage_due")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.name}"


class StageProblemQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> Self:
        from chuangwei.problems.models import Problem

        visible = Problem.objects.visible_to(user)  # type: ignore[no-untyped-call]
        return self.filter(problem__in=visible.values("pk"))


class StageProblem(models.Model):
    """One item of a stage's feedback list, kept in the ledger as a problem.

    ``item_no`` is the number the list gives it; ``clause`` the article it concerns when the
    list names one. The problem itself may have no coordinates: an item can concern a unit,
    a site or an article rather than a spot.
    """

    stage = models.ForeignKey(
        EvaluationStage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="items"
    )
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        on_delete=models.PROTECT,
        related_name="stage_items",
    )
    item_no = models.CharField(_("item number"), max_length=20, blank=True)
    clause = models.ForeignKey(
        "standards.StandardClause",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    objects = StageProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage problem")
        verbose_name_plural = _("stage problems")
        ordering = ["stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "problem"], name="readiness_stage_problem")
        ]

    def __str__(self) -> str:
        return f"{self.stage} #{self.item_no or self.pk}"


class RecheckRound(TimeStampedModel):
    """A 回头看: the office re-checks every item of a stage's list and records what is still
    open."""

    stage = models.ForeignKey(
        EvaluationStage,
        verbose_name=_("stage"),
        on_delete=models.PROTECT,
        related_name="rechecks",
    )
    name = models.CharField(_("name"), max_length=100)
    held_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    created_by = user_ref(_("created by"))

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("recheck round")
        verbose_name_plural = _("recheck rounds")
        ordering = ["stage", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.stage} · {self.name}"


class RecheckResult(models.Model):
    """What a 回头看 found for one item of the list."""

    round = models.ForeignKey(
        RecheckRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        StageProblem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="rechecks"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=RecheckOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_by = user_ref(_("checked by"))
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("recheck result")
        verbose_name_plural = _("recheck results")
        ordering = ["round", "item"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="readiness_recheck_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.item}: {self.get_outcome_display()}"


class EvidenceRequirement(TimeStampedModel):
    """What must be kept for a check item (应备材料): by which units and how often.

    The units are those of ``unit_kinds`` (e.g. every street) plus ``units`` named one by one
    (e.g. a department); each expects one record per period of ``frequency`` in the years of
    the cycle.
    """

    clause = models.ForeignKey(
        "standards.StandardClause",
        verbose_name=_("check item"),
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    title = models.CharField(_("material"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.YEARLY
    )
    unit_kinds = models.JSONField(
        _("kinds of unit"), default=list, blank=True, help_text=_("e.g. city, district, street")
    )
    units = models.ManyToManyField(
        "org.OrgUnit", verbose_name=_("units"), blank=True, related_name="+"
    )
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence requirement")
        verbose_name_plural = _("evidence requirements")
        ordering = ["clause", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title


class EvidenceQuerySet(ScopedQuerySet):
    scope_field = "unit"


class Evidence(TimeStampedModel):
    """What a unit filed for a requirement and period, and where its review stands.

    ``period`` is ``once``, a year (``2026``), a quarter (``2026-Q1``) or a month
    (``2026-03``); ``year`` repeats the year for filtering. Filing again after a return keeps
    the earlier files and the history (``EvidenceEvent``); ``round`` counts the filings.
    """

    requirement = models.ForeignKey(
        EvidenceRequirement,
        verbose_name=_("requirement"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    round = models.PositiveSmallIntegerField(_("filing"), default=1)
    submitted_by = user_ref(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = user_ref(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    remark = models.TextField(_("reviewer's remark"), blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["requirement", "unit", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "unit", "period"], name="readiness_evidence_one_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="readiness_evidence_year"),
            models.Index(fields=["unit", "year"], name="readiness_evidence_unit_year"),
            # The completeness grid (dossier.dossier_completeness) reads every record of a
            # year: this index covers the columns it reads, so the table is not touched.
            models.Index(
                fields=["year", "requirement", "unit", "period", "status"],
                name="readiness_evidence_grid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.unit} · {self.period}"


class EvidenceFile(models.Model):
    """A file of an evidence record (PDF, Word, Excel, image, video), kept for every filing."""

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="evidence/", max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    sha256 = models.CharField(_("checksum"), max_length=64)
    round = models.PositiveSmallIntegerField(_("filing"), default=1)
    uploaded_by = user_ref(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["evidence", "round", "id"]

    def __str__(self) -> str:
        return self.name


class EvidenceEvent(models.Model):
    """One step of an evidence record's history: filed, filed again, approved, returned."""

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=10, choices=EvidenceAction.choices)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    round = models.PositiveSmallIntegerField(_("filing"))
    remark = models.TextField(_("remark"), blank=True)
    actor = user_ref(_("actor"))
    created_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("evidence event")
        verbose_name_plural = _("evidence events")
        ordering = ["evidence", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.evidence} {self.get_action_display()}"


class ConditionEvent(TimeStampedModel):
    """An event that fails a prerequisite or veto condition (必备条件 / 一票否决): a major
    food-safety incident, an outbreak, tobacco advertising found …

    It turns the condition red for ``year`` and makes the responsible ``unit`` (and its
    subtree) ineligible for honours in that year ("取消一切评先树优资格"): rankings leave it
    off the red list. An event recorded in error is withdrawn with a reason, never deleted.
    """

    clause = models.ForeignKey(
        "standards.StandardClause",
        verbose_name=_("condition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    indicator = models.ForeignKey(
        "standards.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    recorded_by = user_ref(_("recorded by"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = user_ref(_("withdrawn by"))
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("condition event")
        verbose_name_plural = _("condition events")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clause__isnull=False) | Q(indicator__isnull=False),
                name="readiness_condition_event_names_a_condition",
            )
        ]
        indexes = [models.Index(fields=["year", "unit"], name="readiness_condition_year")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.title}"
