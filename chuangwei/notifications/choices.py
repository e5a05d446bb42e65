from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationLevel(models.TextChoices):
    """How urgent a notice is; the inbox colours it."""

    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Urgent")


NOTIFICATION_LEVEL_COLORS = {
    NotificationLevel.INFO: "info",
    NotificationLevel.WARNING: "warning",
    NotificationLevel.DANGER: "danger",
}


class Channel(models.TextChoices):
    """Where one outbox message goes; each channel has one pluggable sender."""

    INAPP = "inapp", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    LOG = "log", _("Log only")


CHANNEL_COLORS = {
    Channel.INAPP: "primary",
    Channel.EMAIL: "info",
    Channel.SMS: "success",
    Channel.LOG: "secondary",
}


class OutboxStatus(models.TextChoices):
    """Delivery state of an outbox message."""

    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Gave up")


OUTBOX_STATUS_COLORS = {
    OutboxStatus.PENDING: "secondary",
    OutboxStatus.SENT: "success",
    OutboxStatus.FAILED: "warning",
    OutboxStatus.GAVE_UP: "danger",
}

# Messages a worker still tries to deliver once their next_attempt_at has come.
DELIVERABLE_STATUSES = frozenset({OutboxStatus.PENDING, OutboxStatus.FAILED})
# Messages an office user may push back into the queue by hand.
RETRYABLE_STATUSES = frozenset({OutboxStatus.FAILED, OutboxStatus.GAVE_UP})
