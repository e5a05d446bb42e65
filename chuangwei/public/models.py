"""The public side of the ledger (DESIGN.md §3.9): what citizens see and send.

Citizen reports themselves are ledger problems (``problems.Problem`` with source
``citizen``); this app keeps what only the public side needs: the friendly category
grid, the reporter's device and opt-in contact, satisfaction ratings, the 曝光台 with its
moderation state, surveys and polls.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import SharedQuerySet, TimeStampedModel

from .choices import (
    PUBLIC_SOURCES,
    ExposureStatus,
    PublicationStatus,
    Satisfaction,
    SurveyKind,
)


class PublicCategory(TimeStampedModel):
    """How a ledger category appears on the citizen page, and whether its reports are
    confirmed on site by a grid worker (核实) before the office dispatches them."""

    category = models.OneToOneField(
        "standards.ProblemCategory",
        verbose_name=_("problem category"),
        on_delete=models.CASCADE,
        related_name="public",
    )
    name = models.CharField(_("name shown to citizens"), max_length=50)
    description = models.CharField(_("plain description"), max_length=200, blank=True)
    icon = models.CharField(_("icon"), max_length=40, default="bi-exclamation-circle")
    needs_verification = models.BooleanField(_("confirm on site before dispatch"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown to citizens"), default=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("public category")
        verbose_name_plural = _("public categories")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class CitizenReport(models.Model):
    """The public side of one citizen-reported problem: device, contact and opt-in.

    ``phone`` is never shown on a public page or in the public API; it serves the daily
    cap and, when ``notify`` is on, status updates by SMS.
    """

    problem = models.OneToOneField(
        "problems.Problem",
        verbose_name=_("problem"),
        on_delete=models.CASCADE,
        related_name="citizen_report",
    )
    device_id = models.CharField(_("device id"), max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notify = models.BooleanField(_("send status updates"), default=False)
    created_at = models.DateTimeField(_("reported at"))
    day = models.DateField(_("day (Shanghai)"), db_index=True)

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        indexes = [models.Index(fields=["phone", "day"], name="public_report_phone_day")]

    def __str__(self) -> str:
        return str(self.problem_id)


class SatisfactionRating(models.Model):
    """The citizen's rating of a closed problem (满意度评价): one per closing, so a problem
    reopened by a dissatisfied citizen can be rated again once it is closed again."""

    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        on_delete=models.CASCADE,
        related_name="satisfaction_ratings",
    )
    closed_at = models.DateTimeField(_("closing rated"))
    level = models.CharField(_("rating"), max_length=16, choices=Satisfaction.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    device_id = models.CharField(_("device id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("rated at"), db_index=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "closed_at"], name="public_rating_one_per_closing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.level}"


class ExposureQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def published(self):  # type: ignore[no-untyped-def]
        """Approved items; a problem from an internal inspection only once it is closed."""
        from chuangwei.problems.choices import ProblemStatus

        return self.filter(status=ExposureStatus.APPROVED).filter(
            models.Q(problem__source__in=PUBLIC_SOURCES)
            | models.Q(problem__status=ProblemStatus.CLOSED)
        )


class Exposure(TimeStampedModel):
    """A problem the office chooses to show on the 曝光台, with a moderation state."""

    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        on_delete=models.CASCADE,
        related_name="exposures",
    )
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("moderation state"),
        max_length=12,
        choices=ExposureStatus.choices,
        default=ExposureStatus.PENDING,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_note = models.CharField(_("moderation note"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ExposureQuerySet.as_manager()

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem"],
                condition=Q(status__in=["pending", "approved"]),
                name="public_exposure_one_live_per_problem",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Publication(TimeStampedModel):
    """What the office publishes to citizens and takes down again (surveys, polls): a title,
    a description and a draft → published → closed status."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Survey(Publication):
    """A questionnaire: satisfaction, awareness (知晓率) or support (支持率)."""

    kind = models.CharField(_("kind"), max_length=16, choices=SurveyKind.choices)

    class Meta(Publication.Meta):
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")


class SurveyQuestion(models.Model):
    """One single-choice question. ``choices`` is a list of ``{"label", "positive"}``;
    the rate of a question is positive answers over all answers."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=200)
    choices = models.JSONField(_("choices"), default=list)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One filled questionnaire: the respondent's district and the time (for periods)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    district = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    device_id = models.CharField(_("device id"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "device_id"],
                condition=~Q(device_id=""),
                name="public_survey_one_per_device",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.submitted_at:%Y-%m-%d}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(_("choice"))
    positive = models.BooleanField(_("positive"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="public_answer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice}"


class Poll(Publication):
    """A vote among options (e.g. choose the ten hardest problems); one ballot per device
    and per phone."""

    max_choices = models.PositiveSmallIntegerField(_("choices per ballot"), default=1)

    class Meta(Publication.Meta):
        verbose_name = _("poll")
        verbose_name_plural = _("polls")


class PollOption(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("option"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.label


class PollBallot(models.Model):
    """One voter's ballot. Unique per poll and device, and per poll and phone."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    device_id = models.CharField(_("device id"), max_length=64)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    options = models.ManyToManyField(PollOption, related_name="ballots")
    created_at = models.DateTimeField(_("voted at"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["poll", "device_id"], name="public_ballot_per_device"),
            models.UniqueConstraint(
                fields=["poll", "phone"],
                condition=~Q(phone=""),
                name="public_ballot_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id} {self.device_id[:8]}"
