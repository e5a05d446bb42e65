"""Writes to accounts: users and their memberships.

Two rules hold for every write here, whoever calls (UI, API, commands):

- **At least one active administrator stays.** An administrator here is an active user
  holding the ``admin`` role in a membership. Superusers do not count: they are a technical
  back door (``createsuperuser``), not the city's administrator, so one cannot stand in for
  the last holder of the role. Deactivating or deleting the last holder, or
  taking the role from them (revoking the membership, changing its role), raises
  ``LastAdministrator`` and changes nothing. Moving an admin membership to another unit is
  fine.
- **City-wide accounts are administrators' business.** Accounts holding ``admin`` or
  ``office`` (or superusers) are changed only by administrators (or by themselves), and only
  administrators grant, change or take those roles, so office staff cannot raise or remove
  anyone's city-wide rights.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from chuangwei.core.errors import Conflict, InUse, InvalidInput, NotAllowed

from .choices import CITY_WIDE_ROLES, Role
from .models import Membership, User


class LastAdministrator(Conflict):
    """The change would leave the system without an active administrator."""

    code = "last_admin"
    default_message = _(
        "The system needs at least one active administrator: the last one cannot be "
        "deactivated, deleted or lose the administrator role. Make someone else an "
        "administrator first."
    )


def active_administrators() -> QuerySet[User]:
    """Active users holding the ``admin`` role in a membership (superusers do not count)."""
    admin_ids = Membership.objects.filter(role=Role.ADMIN).values("user_id")
    return User.objects.filter(is_active=True, pk__in=admin_ids)


@contextmanager
def _keeping_an_administrator(user: User) -> Iterator[None]:
    """Run a change to ``user`` in a transaction; refuse it if it left no administrator.

    When ``user`` is an active administrator, every administrator row is locked first
    (PostgreSQL; SQLite's immediate transactions already queue writers), so two
    administrators removing each other at the same moment cannot both succeed.
    """
    with transaction.atomic():
        if user.pk is None or not active_administrators().filter(pk=user.pk).exists():
            yield
            return
        list(
            active_administrators().select_for_update().order_by("pk").values_list("pk", flat=True)
        )
        yield
        if not active_administrators().exists():
            raise LastAdministrator()


def _is_city_wide(user: User) -> bool:
    if user.pk is None:
        return False
    return user.is_superuser or user.memberships.filter(role__in=CITY_WIDE_ROLES).exists()


def _check_may_manage(user: User, by: Any) -> None:
    """Only administrators (or the person themself) change a city-wide account."""
    if by is None or by.scope.has_role(Role.ADMIN) or by.pk == user.pk:
        return
    if _is_city_wide(user):
        raise NotAllowed(
            _("Only administrators can change the accounts of administrators and office staff."),
            code="admin_only",
        )


def _check_may_change_role(role: str, by: Any) -> None:
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), code="unknown_role", fields={"role": [role]})
    if by is not None and role in CITY_WIDE_ROLES and not by.scope.has_role(Role.ADMIN):
        raise NotAllowed(
            _("Only administrators can grant, change or remove administrator or office roles."),
            code="admin_only",
        )


def _forget_scope(user: User) -> None:
    user.__dict__.pop("scope", None)


def save_user(user: User, *, password: str | None = None, by: Any = None) -> User:
    """Create or update an account; set the password when one is given.

    A new account without a password cannot sign in until one is set. Raises NotAllowed
    (``admin_only``) and LastAdministrator (deactivating the last administrator).
    """
    _check_may_manage(user, by)
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    with _keeping_an_administrator(user):
        user.save()
    _forget_scope(user)
    return user


def deactivate_user(user: User, *, by: Any = None) -> User:
    """Stop an account from signing in; its history stays. Raises as ``save_user``."""
    user.is_active = False
    return save_user(user, by=by)


def change_password(user: User, *, password: str, by: Any = None) -> User:
    """Set a new password (already validated by the caller's form)."""
    if not password:
        raise InvalidInput(
            _("Enter a password."), code="missing_password", fields={"password": [_("Required.")]}
        )
    return save_user(user, password=password, by=by)


def delete_user(user: User, *, by: Any = None) -> None:
    """Delete an account that has no history; one with history is deactivated instead.

    Raises NotAllowed (``admin_only``), LastAdministrator, and InUse when reports, events or
    other records point at the account.
    """
    _check_may_manage(user, by)
    try:
        with _keeping_an_administrator(user):
            # A copy, so a refused delete leaves the caller's object as it was (with its pk).
            User.objects.get(pk=user.pk).delete()
    except ProtectedError as exc:
        raise InUse(
            _("This account has history (reports, events, records). Deactivate it instead.")
        ) from exc


def grant_membership(user: User, *, unit: Any, role: str, by: Any = None) -> Membership:
    """Give ``user`` ``role`` over ``unit``'s subtree (idempotent).

    Only administrators grant the city-wide roles (admin, office).
    """
    _check_may_change_role(role, by)
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    _forget_scope(user)
    return membership


def update_membership(
    membership: Membership, *, unit: Any, role: str, by: Any = None
) -> Membership:
    """Move a membership to another unit and/or role.

    Raises NotAllowed when a city-wide role is involved and ``by`` is not an administrator,
    InvalidInput (``duplicate_membership``) when the user already holds that role there, and
    LastAdministrator when the last administrator would lose the role.
    """
    stored = Membership.objects.get(pk=membership.pk)
    _check_may_change_role(stored.role, by)
    _check_may_change_role(role, by)
    clash = Membership.objects.filter(user_id=stored.user_id, unit=unit, role=role)
    if clash.exclude(pk=stored.pk).exists():
        raise InvalidInput(
            _("This person already holds this role for this unit."),
            code="duplicate_membership",
            fields={"role": [_("This person already holds this role for this unit.")]},
        )
    user = User.objects.get(pk=stored.user_id)
    with _keeping_an_administrator(user):
        membership.unit = unit
        membership.role = role
        membership.save()
    _forget_scope(membership.user)
    return membership


def revoke_membership(membership: Membership, *, by: Any = None) -> None:
    """Take a role away; the user keeps their account and history.

    Raises NotAllowed (a city-wide role, ``by`` not an administrator) and LastAdministrator.
    """
    _check_may_change_role(membership.role, by)
    user = User.objects.get(pk=membership.user_id)
    with _keeping_an_administrator(user):
        Membership.objects.get(pk=membership.pk).delete()
    _forget_scope(membership.user)


def issue_token(user: User, *, by: Any = None) -> str:
    """The API token of ``user`` (signed in by the token endpoint), made on first request."""
    token, _created = Token.objects.get_or_create(user=user)
    return str(token.key)
