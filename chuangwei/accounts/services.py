"""Writes to accounts: users and their memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput, NotAllowed

from .choices import Role
from .models import Membership, User


def save_user(user: User, *, password: str | None = None, by: Any = None) -> User:
    """Create or update a user; set the password when one is given."""
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    user.save()
    return user


def grant_membership(user: User, *, unit: Any, role: str, by: Any = None) -> Membership:
    """Give ``user`` ``role`` over ``unit``'s subtree (idempotent).

    Only city-wide managers may grant city-wide roles.
    """
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), code="unknown_role", fields={"role": [role]})
    if by is not None and role in (Role.ADMIN, Role.OFFICE) and not by.scope.has_role(Role.ADMIN):
        raise NotAllowed(_("Only administrators can grant administrator or office roles."))
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    user.__dict__.pop("scope", None)
    return membership


def revoke_membership(membership: Membership, *, by: Any = None) -> None:
    """Take a role away; the user keeps their account and history."""
    membership.delete()
    membership.user.__dict__.pop("scope", None)
