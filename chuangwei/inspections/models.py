"""Score sheets (测评表), inspection tasks with per-site results, deductions, sampling draws
and grid-worker patrol check-ins (DESIGN.md §3.5, §3.6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import (
    ScopedQuerySet,
    SharedQuerySet,
    TimeStampedModel,
    user_ref,
    user_scope,
)

from .choices import InspectionKind, ResultStatus, ScoringMode, SheetStatus, TaskStatus


class ScoreSheet(TimeStampedModel):
    """One version of a score sheet (测评表): the items inspectors score at a kind of site.

    Rows with the same ``code`` are versions of one sheet. A version that a result has
    used is never edited again (the service refuses); the office copies it into a new
    version instead, so a finished inspection keeps the exact sheet it was scored with.
    ``national_part`` names the part of the national 1,000-point sheet whose score this
    sheet's results inform in the projection.
    """

    code = models.CharField(_("code"), max_length=32)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    site_type = models.ForeignKey(
        "places.SiteType",
        verbose_name=_("site type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="score_sheets",
    )
    area = models.CharField(_("area scored"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    is_national = models.BooleanField(_("national covert-inspection sheet"), default=False)
    national_part = models.CharField(_("national sheet part"), max_length=16, blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="inspections_sheet_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class SheetItem(TimeStampedModel):
    """One line of a score sheet: a part (parent is None), a group or a scored item.

    Only leaves are scored. ``deduction`` items lose points per finding, never more than
    ``points``; ``band`` items take a judgement inside one of ``bands``
    (``[{"label": "好", "low": 18, "high": 20}, …]``).
    """

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    mode = models.CharField(
        _("scoring mode"), max_length=12, choices=ScoringMode.choices, default=ScoringMode.DEDUCTION
    )
    bands = models.JSONField(_("bands"), default=list, blank=True)
    deduction_step = models.DecimalField(
        _("points per finding"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    check_item = models.ForeignKey(
        "standards.StandardClause",
        verbose_name=_("check item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        "standards.ProblemCategory",
        verbose_name=_("problem category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("score sheet item")
        verbose_name_plural = _("score sheet items")
        ordering = ["sheet", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=0), name="inspections_item_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class SamplingDraw(TimeStampedModel):
    """A recorded random draw of sites (抽样): quotas, seed and the sites drawn.

    Drawing again with the same seed, quotas and candidate sites gives the same list.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    seed = models.BigIntegerField(_("random seed"))
    quotas = models.JSONField(_("quotas"), default=list)
    exclude_days = models.PositiveIntegerField(
        _("exclude sites inspected in the last N days"), null=True, blank=True
    )
    site_ids = models.JSONField(_("sites drawn"), default=list)
    shortfalls = models.JSONField(_("shortfalls"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"))
    drawn_by = user_ref(_("drawn by"))

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sampling draw")
        verbose_name_plural = _("sampling draws")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InspectionTaskQuerySet(ScopedQuerySet):
    """Tasks are visible to their team, and once submitted to users whose scope covers one
    of their sites; office-wide roles see all."""

    def visible_to(self, user: Any) -> Any:
        scope = user_scope(user)
        if scope is None:
            return self.none()
        if scope.everything:
            return self
        # Covert means covert: units see an inspection of their sites only once it is
        # submitted; the team sees its own tasks from the start.
        finished = Q(status__in=["submitted", "reviewed"]) & scope.q("results__site__unit")
        ids = self.model.objects.filter(finished | Q(team=user)).values("pk")
        return self.filter(pk__in=ids)

    def with_list_related(self) -> Any:
        return self.select_related("sheet", "created_by")


class InspectionTask(TimeStampedModel):
    """An inspection (检查任务): who inspects which sites, when, with which kind.

    planned → in progress (first score) → submitted (team done) → reviewed (office).
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    planned_date = models.DateField(_("date"))
    sheet = models.ForeignKey(
        ScoreSheet,
        verbose_name=_("default score sheet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team"),
        blank=True,
        related_name="inspection_tasks",
    )
    scope_units = models.ManyToManyField(
        "org.OrgUnit", verbose_name=_("units in scope"), blank=True, related_name="+"
    )
    scope_grids = models.ManyToManyField(
        "places.Grid", verbose_name=_("grids in scope"), blank=True, related_name="+"
    )
    draw = models.ForeignKey(
        SamplingDraw,
        verbose_name=_("sampling draw"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = user_ref(_("planned by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = user_ref(_("reviewed by"))

    objects = InspectionTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        ordering = ["-planned_date", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def status_color(self) -> str:
        from .choices import TASK_STATUS_COLORS

        return TASK_STATUS_COLORS.get(self.status, "secondary")  # type: ignore[call-overload]


class SiteResultQuerySet(ScopedQuerySet):
    """A result is visible to users whose scope covers the site's unit once its task is
    submitted, and to the task's team."""

    scope_field = "site__unit"

    def visible_to(self, user: Any) -> Any:
        scope = user_scope(user)
        if scope is None:
            return self.none()
        if scope.everything:
            return self
        finished = Q(task__status__in=["submitted", "reviewed"]) & scope.q("site__unit")
        ids = self.model.objects.filter(finished | Q(task__team=user)).values("pk")
        return self.filter(pk__in=ids)

    def with_list_related(self) -> Any:
        return self.select_related("task", "site", "site__unit", "site__site_type", "sheet")

    def finished(self) -> Any:
        return self.filter(task__status__in=["submitted", "reviewed"], status=ResultStatus.DONE)


class SiteResult(TimeStampedModel):
    """The score of one site in one task, on the sheet version it was scored with.

    ``obtained``/``possible``/``lost`` are kept by the scoring services after every change.
    """

    task = models.ForeignKey(
        InspectionTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="results"
    )
    site = models.ForeignKey(
        "places.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.PROTECT, related_name="results"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.PENDING
    )
    obtained = models.DecimalField(
        _("points obtained"), default=Decimal("0"), max_digits=7, decimal_places=2
    )
    possible = models.DecimalField(
        _("points possible"), default=Decimal("0"), max_digits=7, decimal_places=2
    )
    lost = models.DecimalField(
        _("points lost"), default=Decimal("0"), max_digits=7, decimal_places=2
    )
    scored_by = user_ref(_("scored by"))
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    sort_order = models.IntegerField(_("route order"), default=0)

    objects = SiteResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("site result")
        verbose_name_plural = _("site results")
        ordering = ["task", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "site"], name="inspections_result_task_site"),
        ]
        indexes = [models.Index(fields=["site", "scored_at"], name="inspections_result_site")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.site}"

    @property
    def status_color(self) -> str:
        from .choices import RESULT_STATUS_COLORS

        return RESULT_STATUS_COLORS.get(self.status, "secondary")  # type: ignore[call-overload]

    @property
    def rate(self) -> Decimal | None:
        return self.obtained / self.possible if self.possible else None


class ItemScore(TimeStampedModel):
    """The judgement recorded for one banded item of one result (deduction items are summed
    from their ``Deduction`` rows)."""

    result = models.ForeignKey(
        SiteResult, verbose_name=_("site result"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        SheetItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    band = models.CharField(_("band"), max_length=20, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["result", "item"], name="inspections_score_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} = {self.score}"


class Deduction(TimeStampedModel):
    """One finding (扣分) on a deduction item, and the ledger problem it became."""

    result = models.ForeignKey(
        SiteResult,
        verbose_name=_("site result"),
        on_delete=models.CASCADE,
        related_name="deductions",
    )
    item = models.ForeignKey(
        SheetItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points deducted"), max_digits=7, decimal_places=2)
    note = models.CharField(_("finding"), max_length=300)
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    found_by = user_ref(_("found by"))
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["result", "found_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="inspections_deduction_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} −{self.points}"


class PatrolCheckinQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> Any:
        scope = user_scope(user)
        if scope is None:
            return self.none()
        if scope.everything:
            return self
        return self.filter(scope.q("grid__unit") | Q(worker=user))


class PatrolCheckin(models.Model):
    """A grid worker's patrol check-in (巡查打卡): where and when, and the grid it fell in."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.PROTECT,
        related_name="patrol_checkins",
    )
    grid = models.ForeignKey(
        "places.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    at = models.DateTimeField(_("time"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = PatrolCheckinQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol check-in")
        verbose_name_plural = _("patrol check-ins")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["worker", "at"], name="inspections_checkin_worker")]

    def __str__(self) -> str:
        return f"{self.worker} {self.at:%Y-%m-%d %H:%M}"
