"""Account writes: at least one active administrator stays; city-wide accounts and roles
are administrators' business. ``admin`` is the only administrator of the persona city."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.accounts import services
from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import Membership, User
from chuangwei.core.errors import InUse, InvalidInput, NotAllowed


def _admin_membership(personas: dict[str, Any]) -> Membership:
    return Membership.objects.get(user=personas["admin"], role=Role.ADMIN)


def _active(user: User) -> bool:
    return User.objects.get(pk=user.pk).is_active


def test_last_admin_cannot_deactivate_themself(personas):
    admin = personas["admin"]
    with pytest.raises(services.LastAdministrator) as exc:
        services.deactivate_user(admin, by=admin)
    assert (exc.value.code, exc.value.status) == ("last_admin", 409)
    assert _active(admin) is True


def test_last_admin_cannot_be_deactivated_by_saving_the_form(personas):
    admin = personas["admin"]
    admin.is_active = False
    with pytest.raises(services.LastAdministrator):
        services.save_user(admin, by=admin)
    assert _active(admin) is True


def test_last_admin_cannot_be_deleted(personas):
    admin = personas["admin"]
    with pytest.raises(services.LastAdministrator):
        services.delete_user(admin, by=admin)
    assert User.objects.filter(pk=admin.pk).exists()


def test_last_admin_membership_cannot_be_revoked(personas):
    membership = _admin_membership(personas)
    with pytest.raises(services.LastAdministrator):
        services.revoke_membership(membership, by=personas["admin"])
    assert Membership.objects.filter(pk=membership.pk, role=Role.ADMIN).exists()


def test_last_admin_membership_cannot_change_role(personas, org_tree):
    membership = _admin_membership(personas)
    with pytest.raises(services.LastAdministrator):
        services.update_membership(
            membership, unit=org_tree["city"], role=Role.OFFICE, by=personas["admin"]
        )
    assert Membership.objects.get(pk=membership.pk).role == Role.ADMIN


def test_last_admin_membership_may_move_to_another_unit(personas, org_tree):
    membership = _admin_membership(personas)
    services.update_membership(
        membership, unit=org_tree["district"], role=Role.ADMIN, by=personas["admin"]
    )
    assert Membership.objects.get(pk=membership.pk).unit == org_tree["district"]


def test_admin_may_deactivate_themself_when_another_admin_is_active(personas, org_tree):
    services.grant_membership(
        personas["office"], unit=org_tree["city"], role=Role.ADMIN, by=personas["admin"]
    )
    services.deactivate_user(personas["admin"], by=personas["admin"])
    assert _active(personas["admin"]) is False


def test_an_inactive_admin_does_not_count(personas, org_tree):
    other = User.objects.create_user(username="old_admin", is_active=False)
    Membership.objects.create(user=other, unit=org_tree["city"], role=Role.ADMIN)
    with pytest.raises(services.LastAdministrator):
        services.deactivate_user(personas["admin"], by=personas["admin"])


def test_a_superuser_does_not_stand_in_for_the_last_admin_role_holder(personas):
    User.objects.create_superuser(username="root", password="x")
    membership = _admin_membership(personas)
    with pytest.raises(services.LastAdministrator):
        services.revoke_membership(membership, by=personas["admin"])
    assert Membership.objects.filter(pk=membership.pk, role=Role.ADMIN).exists()


def test_the_last_admin_role_holder_cannot_be_deactivated_beside_a_superuser(personas):
    User.objects.create_superuser(username="root", password="x")
    with pytest.raises(services.LastAdministrator):
        services.deactivate_user(personas["admin"], by=personas["admin"])
    assert _active(personas["admin"]) is True


def test_a_superuser_without_the_admin_role_may_be_deactivated(personas):
    root = User.objects.create_superuser(username="root", password="x")
    services.deactivate_user(root, by=personas["admin"])
    assert _active(root) is False


def test_other_accounts_change_freely_with_one_admin(personas):
    services.deactivate_user(personas["handler_b"], by=personas["office"])
    assert _active(personas["handler_b"]) is False


def test_office_cannot_change_an_administrator_account(personas):
    admin = personas["admin"]
    admin.phone = "13800000000"
    with pytest.raises(NotAllowed) as exc:
        services.save_user(admin, password="Taken-over-2026", by=personas["office"])
    assert exc.value.code == "admin_only"
    assert User.objects.get(pk=admin.pk).check_password("Test-pass-2026") is True


def test_office_cannot_revoke_an_office_role(personas):
    membership = Membership.objects.get(user=personas["office"], role=Role.OFFICE)
    with pytest.raises(NotAllowed):
        services.revoke_membership(membership, by=personas["office"])
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_office_may_edit_their_own_account(personas):
    office = personas["office"]
    office.phone = "13800000001"
    services.save_user(office, by=office)
    assert User.objects.get(pk=office.pk).phone == "13800000001"


def test_account_with_history_is_not_deleted(personas, org_tree):
    from chuangwei.inspections.models import PatrolCheckin

    worker = personas["grid_worker"]
    PatrolCheckin.objects.create(worker=worker, lng=117.3, lat=34.8, at="2026-03-02T01:00Z")
    with pytest.raises(InUse):
        services.delete_user(worker, by=personas["admin"])
    assert User.objects.filter(pk=worker.pk).exists()


def test_account_without_history_is_deleted_with_its_roles(personas):
    services.delete_user(personas["handler_b"], by=personas["office"])
    assert not User.objects.filter(username="handler_b").exists()
    assert not Membership.objects.filter(user_id=personas["handler_b"].pk).exists()


def test_update_membership_refuses_a_duplicate(personas, org_tree):
    handler = personas["handler_a"]
    extra = services.grant_membership(handler, unit=org_tree["street_b"], role=Role.HANDLER)
    with pytest.raises(InvalidInput) as exc:
        services.update_membership(
            extra, unit=org_tree["street_a"], role=Role.HANDLER, by=personas["office"]
        )
    assert exc.value.code == "duplicate_membership"
    assert Membership.objects.get(pk=extra.pk).unit == org_tree["street_b"]


def test_change_password_sets_the_new_password(personas):
    handler = personas["handler_a"]
    services.change_password(handler, password="New-pass-2026", by=handler)
    assert User.objects.get(pk=handler.pk).check_password("New-pass-2026") is True


@pytest.mark.django_db(transaction=True)
def test_two_admins_deactivating_each_other_at_once_leave_one(personas, org_tree, monkeypatch):
    """Each transaction sees two administrators at first; the locked check lets one win.

    Saving is slowed so the two transactions overlap (without the lock both would commit)."""
    import time

    slow_save = User.save

    def save(self: User, *args: Any, **kwargs: Any) -> None:
        slow_save(self, *args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(User, "save", save)
    import threading

    from django.db import connection

    from chuangwei.problems.tests.test_transitions import _busy_retry

    second = personas["office"]
    services.grant_membership(second, unit=org_tree["city"], role=Role.ADMIN)
    admins = [personas["admin"], second]
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        try:
            me = User.objects.get(pk=admins[index].pk)
            other = User.objects.get(pk=admins[1 - index].pk)
            me.scope  # noqa: B018 - resolved before the race
            barrier.wait(timeout=10)
            _busy_retry(lambda: services.deactivate_user(other, by=me))
            results[index] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(type(r).__name__ for r in results) == ["LastAdministrator", "str"], results
    assert services.active_administrators().count() == 1
