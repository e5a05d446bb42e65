"""The organisation: unit tree (块), work lines (条), people and responsibility."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import ScopedQuerySet, SharedQuerySet, TimeStampedModel, TreeModel

from .choices import OrgUnitKind


class OrgUnitQuerySet(ScopedQuerySet):
    scope_field = ""

    def territorial(self):  # type: ignore[no-untyped-def]
        from .choices import TERRITORIAL_KINDS

        return self.filter(kind__in=TERRITORIAL_KINDS)

    def departments(self):  # type: ignore[no-untyped-def]
        return self.filter(kind=OrgUnitKind.DEPARTMENT)


class OrgUnit(TreeModel):
    """A unit that answers for part of the city: district, street, community or department.

    ``code`` is the administrative division code (GB/T 2260 style) where one exists,
    otherwise a local code; it is how imports refer to units.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    sort_order = models.IntegerField(_("sort order"), default=0)
    head = models.ForeignKey(
        "org.Person",
        verbose_name=_("unit head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    liaison = models.ForeignKey(
        "org.Person",
        verbose_name=_("liaison"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_path(self) -> str:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        names = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
        return " › ".join(names.get(i, "?") for i in ids)


class WorkLine(TimeStampedModel):
    """A key work line (专线): a lead department, member departments and what they own."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    lead_department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_work_lines",
        limit_choices_to={"kind": OrgUnitKind.DEPARTMENT},
    )
    member_departments = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("member departments"),
        blank=True,
        related_name="member_of_work_lines",
        limit_choices_to={"kind": OrgUnitKind.DEPARTMENT},
    )
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("work line")
        verbose_name_plural = _("work lines")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """Someone the office contacts: unit heads, liaisons, grid workers, leaders."""

    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class LeaderAssignment(TimeStampedModel):
    """A city leader is assigned (帮包) to a district or street and answers for it."""

    leader = models.ForeignKey(
        Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("assigned unit"),
        on_delete=models.PROTECT,
        related_name="leader_assignments",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("leader assignment")
        verbose_name_plural = _("leader assignments")
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "unit"], name="org_leaderassignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.unit}"


class ResponsibilityAgreement(TimeStampedModel):
    """A target responsibility agreement (目标责任书) a unit signed for a year."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agreements"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    targets = models.TextField(_("targets"), blank=True)
    closure_rate_target = models.DecimalField(
        _("on-time closure target (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    document = models.FileField(
        _("signed document"), upload_to="agreements/", blank=True, max_length=255
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility agreement")
        verbose_name_plural = _("responsibility agreements")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="org_agreement_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}"
