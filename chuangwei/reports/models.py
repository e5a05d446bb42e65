"""Work briefings (工作简报), their issue counters, and campaign milestones."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.permissions import can_manage_config
from chuangwei.core.models import (
    ScopedQuerySet,
    SharedQuerySet,
    TimeStampedModel,
    user_ref,
    user_scope,
)

from .choices import (
    BriefingKind,
    BriefingStatus,
    GenerationStatus,
    MilestoneKind,
    SectionKind,
)


class Milestone(TimeStampedModel):
    """A dated step of the campaign (国家暗访, 省级复审, 倒排工期 deadlines).

    The dashboards count down to the next one; the office keeps the dates.
    """

    name = models.CharField(_("name"), max_length=100)
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=12, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign milestone")
        verbose_name_plural = _("campaign milestones")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"], name="reports_milestone_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class IssueCounter(models.Model):
    """The last issue numbers an office gave out: ``year_number`` within ``year`` (第N期) and
    ``total_number`` since the series began (总第N期).

    Only ``services.assign_issue_number`` changes it, inside the publishing transaction, so a
    rolled-back publication gives its number back and numbers never skip or repeat.
    """

    office = models.CharField(_("issuing office"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    year_number = models.PositiveIntegerField(_("issue number of the year"), default=0)
    total_number = models.PositiveIntegerField(_("cumulative issue number"), default=0)

    class Meta:
        verbose_name = _("issue counter")
        verbose_name_plural = _("issue counters")

    def __str__(self) -> str:
        return f"{self.office} {self.year}/{self.year_number} ({self.total_number})"


class BriefingQuerySet(ScopedQuerySet):
    """Published briefings are read by every signed-in user; drafts only by the office."""

    def visible_to(self, user: Any) -> Self:
        if user_scope(user) is None:
            return self.none()
        if can_manage_config(user):
            return self
        return self.filter(status=BriefingStatus.PUBLISHED)

    def editable_by(self, user: Any) -> Self:
        return self.all() if can_manage_config(user) else self.none()

    def published(self) -> Self:
        return self.filter(status=BriefingStatus.PUBLISHED)


class Briefing(TimeStampedModel):
    """One issue of a work briefing (工作简报): title block, sections, distribution.

    A draft gets its issue numbers only when published (``services.publish_briefing``), so
    drafts that are thrown away burn no number. Generated sections read ``data``, the figures
    frozen by the last generation. A published briefing never changes: its .docx is stored.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=BriefingKind.choices)
    masthead = models.CharField(_("masthead"), max_length=60)
    office = models.CharField(_("issuing office"), max_length=100)
    headline = models.CharField(_("headline"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    year_number = models.PositiveIntegerField(
        _("issue number of the year"), null=True, blank=True, editable=False
    )
    total_number = models.PositiveIntegerField(
        _("cumulative issue number"), null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BriefingStatus.choices,
        default=BriefingStatus.DRAFT,
        editable=False,
    )
    generation_status = models.CharField(
        _("generation"),
        max_length=10,
        choices=GenerationStatus.choices,
        default=GenerationStatus.IDLE,
        editable=False,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    generation_error = models.CharField(_("generation error"), max_length=300, blank=True)
    data = models.JSONField(_("generated figures"), default=dict, blank=True, editable=False)
    distribution_bao = models.TextField(_("report to (报)"), blank=True)
    distribution_song = models.TextField(_("send to (送)"), blank=True)
    distribution_fa = models.TextField(_("issue to (发)"), blank=True)
    scheduled = models.BooleanField(_("drafted by the scheduler"), default=False, editable=False)
    document = models.FileField(
        _("document"), upload_to="briefings/", max_length=255, blank=True, editable=False
    )
    created_by = user_ref(_("created by"))
    published_by = user_ref(_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["status", "-issue_date"], name="reports_briefing_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "year_number"],
                condition=Q(year_number__isnull=False),
                name="reports_briefing_year_number_unique",
            ),
            models.UniqueConstraint(
                fields=["office", "total_number"],
                condition=Q(total_number__isnull=False),
                name="reports_briefing_total_number_unique",
            ),
            # The scheduler drafts one briefing per kind and period; a rerun finds it.
            models.UniqueConstraint(
                fields=["kind", "period_start"],
                condition=Q(scheduled=True),
                name="reports_briefing_scheduled_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masthead} {self.issue_label}"

    @property
    def issue_label(self) -> str:
        """2026年第10期（总第54期）, or （草稿） before publication."""
        if self.year_number is None:
            return str(_("(draft, number given at publication)"))
        return str(
            _("%(year)s issue %(number)s (issue %(total)s overall)")
            % {"year": self.year, "number": self.year_number, "total": self.total_number}
        )

    def distribution_lines(self) -> list[tuple[str, str]]:
        """The 报/送/发 lines, recipients joined by 、 (empty lists left out)."""
        rows = [
            ("报", self.distribution_bao),
            ("送", self.distribution_song),
            ("发", self.distribution_fa),
        ]
        joined = [(k, "、".join(x.strip() for x in v.splitlines() if x.strip())) for k, v in rows]
        return [(k, v) for k, v in joined if v]

    @property
    def is_published(self) -> bool:
        return self.status == BriefingStatus.PUBLISHED


class BriefingSection(models.Model):
    """One section of a briefing: text written by staff (sanitised HTML) or a generated table."""

    briefing = models.ForeignKey(
        Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("kind"), max_length=12, choices=SectionKind.choices, default=SectionKind.TEXT
    )
    heading = models.CharField(_("heading"), max_length=100)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("briefing section")
        verbose_name_plural = _("briefing sections")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading
