"""Account pages: writes through the services, the last administrator, who may delete."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import Membership, User
from chuangwei.accounts.services import LastAdministrator

PERSONAS = [
    "admin",
    "office",
    "handler_a",
    "handler_b",
    "grid_worker",
    "inspector",
    "leader",
    "supervisor",
    "anonymous",
]
MANAGERS = {"admin", "office"}


def _zh(message: object) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


LAST_ADMIN_ZH = _zh(LastAdministrator.default_message)


def _form(user: User, **changes: object) -> dict[str, object]:
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "password": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_admin_unticking_active_on_themself_is_refused(client_as, personas):
    admin = personas["admin"]
    response = client_as("admin").post(
        reverse("accounts:user_update", args=[admin.pk]), _form(admin, is_active="")
    )
    assert response.status_code == 200
    assert LAST_ADMIN_ZH in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active is True


def test_removing_the_last_admin_role_is_refused_with_a_message(client_as, personas):
    membership = Membership.objects.get(user=personas["admin"], role=Role.ADMIN)
    response = client_as("admin").post(
        reverse("accounts:membership_remove", args=[membership.pk]), follow=True
    )
    assert any(LAST_ADMIN_ZH in m for m in _messages(response))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_deleting_the_last_admin_is_refused_with_a_message(client_as, personas):
    admin = personas["admin"]
    response = client_as("admin").post(
        reverse("accounts:user_delete", args=[admin.pk]), follow=True
    )
    assert any(LAST_ADMIN_ZH in m for m in _messages(response))
    assert User.objects.filter(pk=admin.pk).exists()


ADMIN_ONLY = "Only administrators can change the accounts of administrators and office staff."


def test_office_cannot_take_over_the_admin_account(client_as, personas):
    admin = personas["admin"]
    response = client_as("office").post(
        reverse("accounts:user_update", args=[admin.pk]),
        _form(admin, password="Taken-over-2026"),
    )
    assert response.status_code == 200
    assert _zh(ADMIN_ONLY) in response.content.decode()
    assert User.objects.get(pk=admin.pk).check_password("Taken-over-2026") is False


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_account_page_matrix(client_as, personas, persona):
    target = User.objects.create_user(username="mistake")
    response = client_as(persona).post(reverse("accounts:user_delete", args=[target.pk]))
    if persona in MANAGERS:
        assert (response.status_code, response["Location"]) == (302, reverse("accounts:user_list"))
        assert not User.objects.filter(pk=target.pk).exists()
    else:
        assert response.status_code == (302 if persona == "anonymous" else 403)
        assert User.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_account_page_matrix(client_as, personas, persona):
    target = personas["handler_b"]
    response = client_as(persona).post(
        reverse("accounts:user_update", args=[target.pk]), _form(target, phone="13900000000")
    )
    phone = User.objects.get(pk=target.pk).phone
    if persona in MANAGERS:
        assert (response.status_code, phone) == (302, "13900000000")
    else:
        assert (response.status_code, phone) == (302 if persona == "anonymous" else 403, "")


def test_password_change_goes_through_the_service(client_as, personas):
    response = client_as("handler_a").post(
        reverse("accounts:password_change"),
        {
            "old_password": "Test-pass-2026",
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:profile"))
    assert User.objects.get(username="handler_a").check_password("Another-pass-2026") is True


def test_account_views_forms_and_serializers_write_nothing_themselves():
    """Every account write goes through accounts.services (the house rule, pinned)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = [root / "views.py", root / "forms.py", *sorted((root / "api").glob("*.py"))]
    found = [
        f"{path.name}:{n}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.(save|delete|create)\(|objects\..*\.update\(", line)
    ]
    assert found == []


def test_login_inputs_fill_their_input_group(client, db):
    from chuangwei.accounts.forms import LoginForm

    response = client.get(reverse("accounts:login"))
    form = response.context["form"]
    assert isinstance(form, LoginForm)
    assert [form.fields[n].widget.attrs.get("class") for n in ("username", "password")] == [
        "form-control",
        "form-control",
    ]
