"""Users, their memberships (unit, role) and what those let them see."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwei.core.models import ScopedQuerySet, TimeStampedModel

from .choices import Role
from .scope import Scope, minimal_paths


class UserQuerySet(ScopedQuerySet):
    """Users are visible when one of their memberships lies in the viewer's subtree."""

    scope_field = "memberships__unit"

    def visible_to(self, user):  # type: ignore[no-untyped-def]
        return super().visible_to(user).distinct()


class ChuangweiUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    # Migrations build no users, so they need not import this manager (they import no
    # application code at all).
    use_in_migrations = False


class User(AbstractUser):
    """A person who signs in: office staff, handlers, grid workers, inspectors, leaders."""

    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = ChuangweiUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @cached_property
    def scope(self) -> Scope:
        rows = list(self.memberships.values_list("role", "unit_id", "unit__path"))
        roles_by_unit: dict[int, set[str]] = {}
        for role, unit_id, _path in rows:
            roles_by_unit.setdefault(unit_id, set()).add(role)
        return Scope(
            roles=frozenset(r for r, _u, _p in rows),
            unit_paths=minimal_paths([p for _r, _u, p in rows]),
            unit_ids=tuple(sorted({u for _r, u, _p in rows})),
            is_superuser=self.is_superuser,
            roles_by_unit={k: frozenset(v) for k, v in roles_by_unit.items()},
        )

    @property
    def primary_role(self) -> str | None:
        order = [r.value for r in Role]
        roles = sorted(self.scope.roles, key=order.index)
        return roles[0] if roles else (Role.ADMIN.value if self.is_superuser else None)


class MembershipQuerySet(ScopedQuerySet):
    scope_field = "unit"


class Membership(TimeStampedModel):
    """A user holds ``role`` for ``unit`` and its subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="accounts_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
