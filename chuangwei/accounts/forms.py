from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import ModelForm
from chuangwei.org.models import OrgUnit

from .choices import Role
from .models import Membership, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # form-control: the inputs fill their input group (the card's width), not a browser's
        # default text-box width.
        self.fields["username"].widget.attrs.update(
            placeholder=_("Username"), autofocus=True, **{"class": "form-control"}
        )
        self.fields["password"].widget.attrs.update(
            placeholder=_("Password"), **{"class": "form-control"}
        )


class UserForm(ModelForm):
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "phone", "email", "is_active"]


class MembershipForm(ModelForm):
    init_kwargs = ("user",)

    class Meta:
        model = Membership
        fields = ["user", "unit", "role"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)
        self.fields["role"].choices = Role.choices
