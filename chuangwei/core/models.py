"""Abstract models and querysets every app builds on."""

from __future__ import annotations

from typing import Any, Self

from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def user_scope(user: Any) -> Any:
    """The ``accounts.scope.Scope`` of a signed-in user, or None for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.scope


class ScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Row scope by org subtree.

    ``scope_field`` is the lookup path from this model to the ``OrgUnit`` that owns a
    row (``"unit"``, ``"grid__unit"``, ``""`` for the unit itself). ``None`` means the
    rows are shared configuration that every signed-in user may read.
    ``editable_by`` defaults to configuration rules: only city-wide managers write.
    """

    scope_field: str | None = "unit"

    def visible_to(self, user: Any) -> Self:
        scope = user_scope(user)
        if scope is None:
            return self.none()
        if self.scope_field is None or scope.everything:
            return self
        return self.filter(scope.q(self.scope_field))

    def editable_by(self, user: Any) -> Self:
        scope = user_scope(user)
        if scope is None or not scope.manages_config:
            return self.none()
        return self.visible_to(user)


def delete_row(row: models.Model) -> None:
    """Delete ``row`` for a service; InUse (409) when other rows still point at it (PROTECT).

    Services call this from their ``delete_<noun>``; views and serializers never delete.
    """
    from .errors import InUse

    try:
        with transaction.atomic():
            row.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise InUse() from exc


class SharedQuerySet(ScopedQuerySet):
    """Configuration visible to every signed-in user (categories, site types, standards)."""

    scope_field = None


def user_ref(verbose_name: Any, *, related_name: str = "+") -> Any:
    """The optional "who did it" column (``created_by``, ``reviewed_by`` …): a login that
    may be missing (the system or an anonymous citizen), never deleted while referenced."""
    from django.conf import settings

    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class TimeStampedModel(models.Model):
    """Creation and last-change times, kept on every row."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TreeModel(TimeStampedModel):
    """A node of a tree with a materialised path of primary keys (``/1/5/23/``).

    The separator on both sides keeps ``/1/`` from being a prefix of ``/12/``. The
    owning app's service keeps ``path`` and ``depth`` right when a node is created or
    moved (see ``core.trees``).
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    class Meta:
        abstract = True

    def ancestors_q(self) -> Q:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        return Q(pk__in=ids[:-1])

    def subtree_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}path__startswith": self.path})


class EventModel(models.Model):
    """Base of every event row: something that happened, who did it, when, and its outbox mark.

    An event doubles as audit trail, timeline and notification outbox: ``processed_at`` is set
    once its side effects (notices) are queued, so a worker can find the rest by an index.
    Event rows are never edited or deleted. Subclasses add the subject FK and what moved.
    """

    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]
