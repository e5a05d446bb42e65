"""Ranking schemes, stored ranking snapshots and accountability records (DESIGN.md §3.6)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import ScopedQuerySet, SharedQuerySet, TimeStampedModel, user_ref

from .choices import MeasureKind, ObjectKind, PeriodKind, RecordStatus, SnapshotStatus


class RankingScheme(TimeStampedModel):
    """How one kind of object is scored: metric weights, count bands and grade bands.

    ``weights`` maps metric keys of ``metrics.METRICS`` to weights (they are used as
    shares of their sum). ``count_bands`` turns 立案数 into a score: a list of
    ``[upper_bound_exclusive, score]`` checked in order, the last pair's score applying
    above every bound. ``grade_bands`` is a list of ``[minimum_score, grade]``, highest
    first. Every city changes these, so they are data (reference/urban-management.md §3.3).
    """

    name = models.CharField(_("name"), max_length=100)
    object_kind = models.CharField(_("ranked objects"), max_length=12, choices=ObjectKind.choices)
    weights = models.JSONField(_("weights"), default=dict)
    count_bands = models.JSONField(_("case count bands"), default=list, blank=True)
    grade_bands = models.JSONField(_("grade bands"), default=list)
    list_size = models.PositiveSmallIntegerField(_("red/black list size"), default=3)
    is_default = models.BooleanField(_("default for its kind"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking scheme")
        verbose_name_plural = _("ranking schemes")
        ordering = ["object_kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_kind"],
                condition=Q(is_default=True),
                name="rankings_scheme_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SnapshotQuerySet(ScopedQuerySet):
    """Snapshots are city-wide documents: every signed-in user reads them."""

    scope_field = None


class RankingSnapshot(TimeStampedModel):
    """A ranking of every object of one kind for one period, stored.

    A draft is recomputed in place (idempotent); publishing freezes it: its entries are
    never rewritten, whatever events arrive later.
    """

    scheme = models.ForeignKey(
        RankingScheme,
        verbose_name=_("scheme"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    object_kind = models.CharField(_("ranked objects"), max_length=12, choices=ObjectKind.choices)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    label = models.CharField(_("period label"), max_length=60)
    status = models.CharField(
        _("status"), max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.DRAFT
    )
    settings_used = models.JSONField(_("scheme as used"), default=dict, editable=False)
    computed_at = models.DateTimeField(_("computed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = user_ref(_("published by"))

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        ordering = ["-start", "object_kind", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "period_kind", "start", "end"],
                condition=Q(status="draft"),
                name="rankings_snapshot_one_draft",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.get_object_kind_display()}"

    @property
    def is_published(self) -> bool:
        return self.status == SnapshotStatus.PUBLISHED


class RankingEntry(models.Model):
    """One ranked object in a snapshot, with its frozen name, metrics and score."""

    snapshot = models.ForeignKey(
        RankingSnapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    name = models.CharField(_("name"), max_length=200)
    parent_name = models.CharField(_("belongs to"), max_length=200, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=4, blank=True)
    previous_rank = models.PositiveIntegerField(_("previous rank"), null=True, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict)
    parts = models.JSONField(_("score parts"), default=dict)

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["snapshot", models.F("rank").asc(nulls_last=True), "name"]
        indexes = [models.Index(fields=["snapshot", "rank"], name="rankings_entry_rank")]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}"

    @property
    def movement(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


class AccountabilityQuerySet(ScopedQuerySet):
    scope_field = "unit"


class AccountabilityRecord(TimeStampedModel):
    """A measure taken against a unit (and optionally a person): 通报批评, 约谈, 限期整改, 问责.

    ``inspection_refs`` holds the ids or references of the inspections behind it (a list
    of strings) until the inspections app is linked by foreign key.
    """

    kind = models.CharField(_("measure"), max_length=12, choices=MeasureKind.choices)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("target unit"),
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("target person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    reason = models.TextField(_("reason"))
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.OPEN
    )
    problems = models.ManyToManyField(
        "problems.Problem",
        verbose_name=_("linked problems"),
        blank=True,
        related_name="accountability_records",
    )
    inspection_refs = models.JSONField(_("linked inspections"), default=list, blank=True)
    snapshot = models.ForeignKey(
        RankingSnapshot,
        verbose_name=_("ranking snapshot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    created_by = user_ref(_("recorded by"))

    objects = AccountabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}"
