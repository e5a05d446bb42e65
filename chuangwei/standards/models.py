"""Standards library: versioned standard tree, indicators and problem categories."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import ScopedQuerySet, SharedQuerySet, TimeStampedModel, TreeModel

from .choices import (
    CategoryKind,
    ClauseLevel,
    Comparator,
    DeadlineUnit,
    Severity,
    ValueOrigin,
    VersionStatus,
)


class StandardVersion(TimeStampedModel):
    """An edition of a standard (国家卫生城市标准 2021版) or a local check list.

    Published versions are immutable: history (inspections, problems) points at their
    rows; edits go into a new draft version.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.status != VersionStatus.DRAFT


class StandardClauseQuerySet(SharedQuerySet):
    def with_list_related(self):  # type: ignore[no-untyped-def]
        return self.select_related("version", "parent", "lead_work_line")


class StandardClause(TreeModel):
    """A node of a standard: aspect (方面), article (条) or check item (小项)."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="clauses"
    )
    level = models.CharField(_("level"), max_length=10, choices=ClauseLevel.choices)
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("content"), blank=True)
    lead_work_line = models.ForeignKey(
        "org.WorkLine",
        verbose_name=_("lead work line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clauses",
    )
    evidence_required = models.TextField(_("evidence required"), blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    pass_rule = models.TextField(
        _("pass rule"), blank=True, help_text=_("How the item passes when it carries no points.")
    )
    is_prerequisite = models.BooleanField(_("prerequisite (必备条件)"), default=False)
    is_veto = models.BooleanField(_("one-vote veto (一票否决)"), default=False)
    sort_order = models.IntegerField(_("sort order"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the sources do not give (text not found …).")
    )

    objects = StandardClauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard clause")
        verbose_name_plural = _("standard clauses")
        ordering = ["version", "path"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "parent", "number"], name="standards_clause_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Indicator(TimeStampedModel):
    """A quantitative indicator with its threshold for one standard version.

    Values are kept as numerator/denominator pairs (IndicatorValue), never as bare rates.
    """

    version = models.ForeignKey(
        StandardVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    clause = models.ForeignKey(
        StandardClause,
        verbose_name=_("clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    comparator = models.CharField(_("comparator"), max_length=4, choices=Comparator.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=4)
    is_veto = models.BooleanField(_("one-vote veto (一票否决)"), default=False)
    numerator_label = models.CharField(_("numerator"), max_length=100, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=100, blank=True)
    computed_by = models.CharField(
        _("computed by"),
        max_length=50,
        blank=True,
        help_text=_("A source of the platform that computes the values; empty: entered."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="standards_indicator_code")
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValueQuerySet(ScopedQuerySet):
    scope_field = "unit"


class IndicatorValue(TimeStampedModel):
    """A measured value of an indicator for a year (and optionally a unit)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=4)
    denominator = models.DecimalField(
        _("denominator"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=ValueOrigin.choices, default=ValueOrigin.ENTERED
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="indicator-evidence/", max_length=255, blank=True
    )

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "unit"], name="standards_indicatorvalue_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class ProblemCategoryQuerySet(SharedQuerySet):
    def with_list_related(self):  # type: ignore[no-untyped-def]
        return self.select_related("parent", "default_work_line", "default_department")

    def active(self):  # type: ignore[no-untyped-def]
        return self.filter(is_active=True)


class ProblemCategory(TreeModel):
    """A kind of problem: urban-management 部件/事项 code or a 创卫-specific class.

    Routing and deadlines come from here: default work line and department, default
    handling time (amount + unit, on the working calendar or around the clock) and
    severity. ``code`` is unique together with ``kind`` because GB/T 47678.5-2026 reuses
    the same 5-digit code for a component and a matter.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=CategoryKind.choices)
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    public_name = models.CharField(_("name shown to citizens"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    standard_ref = models.CharField(_("standard reference"), max_length=100, blank=True)
    legacy_code = models.CharField(_("legacy code (GB/T 30428.2-2013)"), max_length=16, blank=True)
    sanitary_class = models.CharField(_("sanitary-city class"), max_length=50, blank=True)
    default_work_line = models.ForeignKey(
        "org.WorkLine",
        verbose_name=_("default work line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
    )
    default_department = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("default department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
    )
    deadline_amount = models.PositiveIntegerField(_("handling time"), null=True, blank=True)
    deadline_unit = models.CharField(
        _("handling time unit"),
        max_length=12,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORK_DAYS,
    )
    severity = models.CharField(
        _("default severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    check_item = models.ForeignKey(
        StandardClause,
        verbose_name=_("check item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
    )
    is_local_extension = models.BooleanField(_("local extension"), default=False)
    is_public = models.BooleanField(_("offered to citizens"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = ProblemCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="standards_category_kind_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_leaf(self) -> bool:
        return not self.children.exists()
