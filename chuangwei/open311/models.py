"""Open311 GeoReport v2: client applications (API keys), service attributes, and the
Open311 side of problems that arrived through ``POST requests``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import SharedQuerySet, TimeStampedModel


class Datatype(models.TextChoices):
    """The datatypes GeoReport v2 allows for a service attribute."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLEVALUELIST = "singlevaluelist", _("Single choice")
    MULTIVALUELIST = "multivaluelist", _("Multiple choice")


LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})


class Open311ClientQuerySet(SharedQuerySet):
    def active(self):  # type: ignore[no-untyped-def]
        return self.filter(is_active=True)


class Open311Client(TimeStampedModel):
    """An application allowed to POST service requests, with its own API key.

    Only a SHA-256 hash of the key is stored; the key itself is shown once when it is
    created or rotated. ``key_prefix`` (the first characters) identifies it in lists.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"),
        default=30,
        help_text=_("Most service requests this application may POST in one minute."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    key_rotated_at = models.DateTimeField(_("key issued at"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    objects = Open311ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(TimeStampedModel):
    """One extra question of a service (``attributes/attribute`` of a service definition)."""

    category = models.ForeignKey(
        "standards.ProblemCategory",
        verbose_name=_("service (category)"),
        on_delete=models.CASCADE,
        related_name="open311_attributes",
    )
    code = models.SlugField(_("code"), max_length=40)
    variable = models.BooleanField(
        _("asks for input"),
        default=True,
        help_text=_("Off: the description is only shown to the user, no answer is expected."),
    )
    datatype = models.CharField(_("datatype"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("datatype description"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=1)
    description = models.CharField(_("question"), max_length=300)
    values = models.JSONField(
        _("values"),
        default=list,
        blank=True,
        help_text=_('For choice lists: [{"key": "...", "name": "..."}, ...]'),
    )

    objects = SharedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_code")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    @property
    def value_keys(self) -> set[str]:
        return {str(v.get("key")) for v in self.values or [] if isinstance(v, dict)}


class Open311Request(models.Model):
    """What arrived with a POSTed service request besides the problem itself.

    Contact details (email, names, device) stay here and are never returned by GET.
    """

    problem = models.OneToOneField(
        "problems.Problem",
        verbose_name=_("problem"),
        on_delete=models.CASCADE,
        related_name="open311",
    )
    client = models.ForeignKey(
        Open311Client,
        verbose_name=_("client application"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    token = models.CharField(_("token"), max_length=32, unique=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    media_urls = models.JSONField(_("media URLs"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=50, blank=True)
    last_name = models.CharField(_("last name"), max_length=50, blank=True)
    device_id = models.CharField(_("device"), max_length=100, blank=True)
    account_id = models.CharField(_("account"), max_length=100, blank=True)
    address_id = models.CharField(_("address ID"), max_length=100, blank=True)
    zipcode = models.CharField(_("postal code"), max_length=20, blank=True)
    remote_addr = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "created_at"], name="open311_request_client")]

    def __str__(self) -> str:
        return self.token
