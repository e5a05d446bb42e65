"""The rectification ledger: problems, their event history, photos and requests."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import (
    EventModel,
    ScopedQuerySet,
    SharedQuerySet,
    TimeStampedModel,
    user_ref,
)
from chuangwei.standards.choices import DeadlineUnit, Severity

from .choices import (
    OPEN_STATUSES,
    EscalationLevel,
    PhotoKind,
    ProblemSource,
    ProblemStatus,
    RequestKind,
    RequestStatus,
)


class ProblemQuerySet(ScopedQuerySet):
    """Problems are visible to the units they are assigned to (属地 or 条线) and above.

    A handler of a department sees problems dispatched to that department; a handler of a
    street sees problems of its territory. Reporters always see what they reported.
    """

    scope_field = "unit"

    def visible_to(self, user):  # type: ignore[no-untyped-def]
        from chuangwei.core.models import user_scope

        scope = user_scope(user)
        if scope is None:
            return self.none()
        if scope.everything:
            return self
        ids = scope.subtree_ids()
        return self.filter(Q(unit_id__in_ids=ids) | Q(department_id__in_ids=ids) | Q(reporter=user))

    def open(self):  # type: ignore[no-untyped-def]
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now):  # type: ignore[no-untyped-def]
        return self.filter(status=ProblemStatus.DISPATCHED, due_at__lt=now)

    def with_list_related(self):  # type: ignore[no-untyped-def]
        return self.select_related("category", "unit", "department", "grid")


class Problem(TimeStampedModel):
    """One problem in the ledger (问题台账): found, routed, fixed, verified and closed.

    ``status`` only moves through ``services`` (guarded updates with one event per
    transition). The deadline clock runs while dispatched: ``due_at`` is the deadline,
    ``warn_at`` the moment 80 % of the allowed time is used (the yellow light and the
    reminder), both shifted on resume after a pause.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    source = models.CharField(_("source"), max_length=24, choices=ProblemSource.choices)
    category = models.ForeignKey(
        "standards.ProblemCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    check_item = models.ForeignKey(
        "standards.StandardClause",
        verbose_name=_("check item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    description = models.TextField(_("description"), blank=True)
    # No point when the problem concerns a unit, a site or an article rather than a spot
    # (a stage's feedback list); it is then routed by unit, not by grid.
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    grid = models.ForeignKey(
        "places.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    site = models.ForeignKey(
        "places.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    department = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="department_problems",
    )
    work_line = models.ForeignKey(
        "org.WorkLine",
        verbose_name=_("work line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProblemStatus.choices, db_index=True
    )
    deadline_amount = models.PositiveIntegerField(_("handling time"), null=True, blank=True)
    deadline_unit = models.CharField(
        _("handling time unit"), max_length=12, choices=DeadlineUnit.choices, blank=True
    )
    reported_at = models.DateTimeField(_("reported at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warning time"), null=True, blank=True, editable=False)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    paused_seconds = models.PositiveIntegerField(_("paused for (s)"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_ref(_("submitted by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("rework count"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extension count"), default=0)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    # Worker bookkeeping: the next moment the sweeper must look at this row.
    remind_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalate_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Mostly NULL: indexed by partial indexes (Meta), whose statistics SQLite can use.
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("recurrence of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recurrences",
        db_index=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        db_index=False,
    )
    points_lost = models.DecimalField(
        _("points lost"), max_digits=7, decimal_places=2, default=Decimal("0")
    )
    reporter = user_ref(_("reporter"), related_name="reported_problems")
    reporter_name = models.CharField(_("reporter name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=20, blank=True)
    external_ref = models.CharField(_("external reference"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["-reported_at", "-id"], name="problems_reported_desc"),
            models.Index(fields=["status", "-reported_at"], name="problems_status_reported"),
            models.Index(fields=["unit", "status"], name="problems_unit_status"),
            # Open and overdue per unit now (dashboard, briefings): an index-only range per
            # open status instead of reading ~150,000 rows at 1M problems. Department and
            # reporter ride along so a scoped view (unit, department or own report) is
            # answered from the index too: open problems lie all over the table.
            models.Index(
                fields=["status", "unit", "due_at", "department", "reporter"],
                name="problems_status_scope_due",
            ),
            models.Index(fields=["category", "reported_at"], name="problems_category_reported"),
            models.Index(fields=["source", "reported_at"], name="problems_source_reported"),
            # "Closed in the period" (dashboard, briefings, ledger filter): a range of closed_at.
            models.Index(
                fields=["closed_at"],
                name="problems_closed_at",
                condition=Q(status="closed"),
            ),
            # Deadline sweep: WHERE status='dispatched' AND remind_at <= now (and overdue/escalate).
            models.Index(
                fields=["remind_at"],
                name="problems_remind_due",
                condition=Q(remind_at__isnull=False),
            ),
            models.Index(
                fields=["overdue_at"],
                name="problems_overdue_due",
                condition=Q(overdue_at__isnull=False),
            ),
            models.Index(
                fields=["escalate_at"],
                name="problems_escalate_due",
                condition=Q(escalate_at__isnull=False),
            ),
            # Overdue lists and counts: WHERE status='dispatched' AND due_at < now.
            # ``status`` is constant in it, but SQLite only counts from an index that holds
            # every column the query names (85 ms → a few ms for the overdue count at 1M);
            # unit, department and reporter let it count per unit for any scope.
            models.Index(
                fields=["due_at", "status", "unit", "department", "reporter"],
                name="problems_overdue_scope",
                condition=Q(status="dispatched"),
            ),
            models.Index(fields=["lng", "lat"], name="problems_point"),
            # The period's reports by category and source and by heat cell (dashboard),
            # from the index alone, for the city and for a scope (unit, department or own
            # report): a scoped month read ~85,000 rows at 1M problems (142 ms on SQLite).
            models.Index(
                fields=[
                    "reported_at",
                    "unit",
                    "department",
                    "reporter",
                    "category",
                    "source",
                    "recurrence_of",
                    "lat",
                    "lng",
                ],
                name="problems_reported_scope",
            ),  # fmt: skip
            # A plain index over a column that is NULL in almost every row gets SQLite
            # statistics saying "1,000,000 rows per value", and the planner then scans the
            # table instead (~1 s per problem page at 1M); partial indexes count only the
            # rows that have a value.
            models.Index(
                fields=["merged_into"],
                name="problems_merged_into",
                condition=Q(merged_into__isnull=False),
            ),
            models.Index(
                fields=["recurrence_of"],
                name="problems_recurrence_of",
                condition=Q(recurrence_of__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Keeps the daily counts (``ProblemDayCount``) in step with direct writes of the
        row; the workflow services move rows with guarded updates and count those
        themselves."""
        from django.db import transaction

        from . import stats

        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using):
            before = (
                stats.stored_contributions(self.pk) if self.pk and not self._state.adding else None
            )
            super().save(*args, **kwargs)
            stats.apply(before or stats.Counts(), stats.contributions(self))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DayCountFields(models.Model):
    """The measures of a daily counting row (``problems.stats`` keeps them exact)."""

    day = models.DateField()
    unit = models.IntegerField(default=0)
    grid = models.IntegerField(default=0)
    reported = models.IntegerField(default=0)
    recurred = models.IntegerField(default=0)
    citizen = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    closed_reworked = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ProblemDayCount(DayCountFields):
    """Problems reported and closed per local (Asia/Shanghai) day, unit and grid.

    The city-wide dashboard reads a period's totals, trend and per-unit and per-grid counts
    from here (a month is a few thousand rows instead of ~85,000 problems at 1M).
    ``problems.stats`` keeps it exact: every service that moves a problem applies the
    difference between the row's counts before and after, in the same transaction, and
    ``manage.py rebuild_day_counts`` recomputes it from the ledger. ``unit``/``grid`` are
    ids, 0 for none.
    """

    class Meta:
        verbose_name = _("daily problem count")
        verbose_name_plural = _("daily problem counts")
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "grid"], name="problems_daycount_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit}/{self.grid}"


class ProblemDayScopeCount(DayCountFields):
    """The same counts per day, unit, grid and department (0 for none), kept alongside:
    a scoped dashboard (the units and departments of a subtree) sums these. Several
    departments work in one grid, so a month has ~5 times the rows of ``ProblemDayCount``,
    which the city-wide view keeps reading."""

    department = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily problem count by department")
        verbose_name_plural = _("daily problem counts by department")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "grid", "department"], name="problems_dayscope_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit}/{self.grid}/{self.department}"


class ProblemMonthCellCount(models.Model):
    """Problems reported per local month and heat cell (``problems.stats.cell_of``: 0.001°
    of latitude and of longitude, ~100 m): the city-wide dashboard's heat layer for the
    whole months of its period (a month of the demo generator's 1M problems is ~14,500
    cells instead of ~85,000 rows to group). Kept exact by ``problems.stats``."""

    month = models.DateField()
    y = models.IntegerField()
    x = models.IntegerField()
    reported = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("monthly problem count by map cell")
        verbose_name_plural = _("monthly problem counts by map cell")
        constraints = [
            models.UniqueConstraint(fields=["month", "y", "x"], name="problems_monthcell_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.y}/{self.x}"


class ProblemOpenCount(models.Model):
    """Problems open now per responsible unit and department (0 for none), kept exact by
    ``problems.stats``: the dashboard's open figures per unit without reading the open
    problems (~150,000 index entries in the benchmark's 1M ledger). Overdue depends on the
    clock and is counted from the ledger."""

    unit = models.IntegerField(default=0)
    department = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("open problem count")
        verbose_name_plural = _("open problem counts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "department"], name="problems_opencount_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit}/{self.department}: {self.open}"


class ProblemDayCategoryCount(models.Model):
    """Problems reported per local day, category and source (``problems.stats`` keeps it
    exact like ``ProblemDayCount``): the city-wide dashboard's category and source panels.
    ``category`` is an id, 0 for none."""

    day = models.DateField()
    category = models.IntegerField(default=0)
    source = models.CharField(max_length=24)
    reported = models.IntegerField(default=0)
    recurred = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily problem count by category")
        verbose_name_plural = _("daily problem counts by category")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "category", "source"], name="problems_daycategory_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category}/{self.source}"


class ProblemEvent(EventModel):
    """One thing that happened to a problem: a transition, a reminder, a comment.

    Audit trail, timeline, SLA and ranking source, and the notification outbox
    (``processed_at`` is set once its notifications are queued). Never edited.
    """

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_public = models.BooleanField(_("shown to the public"), default=False)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["problem", "created_at"], name="problems_event_timeline"),
            models.Index(fields=["action", "created_at"], name="problems_event_action"),
            models.Index(
                fields=["created_at"],
                name="problems_event_unprocessed",
                condition=Q(processed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"


class ProblemPhoto(models.Model):
    """Photo evidence: the original is kept; the public copy has no EXIF."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="photos"
    )
    event = models.ForeignKey(
        ProblemEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
        db_index=False,  # partial index in Meta (most photos belong to no event)
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PhotoKind.choices)
    original = models.FileField(_("original"), upload_to="problems/", max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to="problems/", max_length=255)
    public_copy = models.FileField(_("public copy"), upload_to="problems/", max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    phash = models.CharField(_("perceptual hash"), max_length=16, db_index=True, blank=True)
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    exif_lng = models.FloatField(_("EXIF longitude"), null=True, blank=True)
    exif_lat = models.FloatField(_("EXIF latitude"), null=True, blank=True)
    client_lng = models.FloatField(_("device longitude"), null=True, blank=True)
    client_lat = models.FloatField(_("device latitude"), null=True, blank=True)
    uploaded_by = user_ref(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("problem photo")
        verbose_name_plural = _("problem photos")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["event"], name="problems_photo_event", condition=Q(event__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.kind}"


class ProblemRequestQuerySet(ScopedQuerySet):
    scope_field = "problem__unit"


class ProblemRequest(TimeStampedModel):
    """A handler's request for more time (延期) or to park the problem (挂账)."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="requests"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reason = models.TextField(_("reason"))
    requested_due_at = models.DateTimeField(_("requested deadline"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = user_ref(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ProblemRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem request")
        verbose_name_plural = _("problem requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "kind"],
                condition=Q(status="pending"),
                name="problems_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.kind}"


class CalendarDay(TimeStampedModel):
    """An exception to the weekly pattern: a holiday, or a weekend day that is worked (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class DeadlineRule(TimeStampedModel):
    """Handling time for a category at a severity, overriding the category's default."""

    category = models.ForeignKey(
        "standards.ProblemCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_rules",
        help_text=_("Empty: every category."),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    amount = models.PositiveIntegerField(_("handling time"))
    unit = models.CharField(_("handling time unit"), max_length=12, choices=DeadlineUnit.choices)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["category", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "severity"], name="problems_deadlinerule_unique"
            )
        ]

    def __str__(self) -> str:
        category = self.category or _("Every category")
        return f"{category} {self.get_severity_display()}"
