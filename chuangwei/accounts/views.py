from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwei.core.errors import DomainError
from chuangwei.core.tables import Column
from chuangwei.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    domain_error_message,
)

from . import services, throttle
from .choices import ROLE_COLORS, Role
from .filters import UserFilter
from .forms import LoginForm, MembershipForm, UserForm
from .models import Membership, User


class LoginView(auth_views.LoginView):
    """Sign-in page; while the address or the username+address pair is locked it answers
    429 with the lock explained, without trying the password (accounts.throttle)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        wait = throttle.locked_for(request, username)
        if wait:
            return throttle.locked_page(request, wait, username)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        # The failure just counted may have been the one that locks.
        username = str(form.data.get("username", ""))
        wait = throttle.locked_for(self.request, username)
        if wait:
            return throttle.locked_page(self.request, wait, username)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("unit")  # type: ignore[union-attr]
    return render(
        request,
        "accounts/profile.html",
        {"title": _("My profile"), "memberships": memberships},
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.change_password(
                form.user, password=form.cleaned_data["new_password1"], by=request.user
            )
        except DomainError as exc:
            form.add_error(None, domain_error_message(exc))
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Password changed."))
            return HttpResponseRedirect(reverse("accounts:profile"))
    return render(
        request,
        "core/object_form.html",
        {"form": form, "title": _("Change password"), "cancel_url": reverse("accounts:profile")},
        status=422 if form.errors else 200,
    )


USER_URLS = {
    "list": "accounts:user_list",
    "detail": "accounts:user_detail",
    "create": "accounts:user_create",
    "update": "accounts:user_update",
    "delete": "accounts:user_delete",
}


def _roles(user: User) -> str:
    labels = dict(Role.choices)
    return "、".join(f"{m.unit.name}·{labels.get(m.role, m.role)}" for m in user.memberships.all())


USER_COLUMNS = [
    Column("username", gettext_lazy("Username"), link=True),
    Column("display_name", gettext_lazy("Name")),
    Column("phone", gettext_lazy("Phone")),
    Column("roles", gettext_lazy("Roles"), getter=_roles, truncate=40),
    Column("is_active", gettext_lazy("Active"), kind="bool"),
    Column("last_login", gettext_lazy("Last sign-in"), kind="datetime"),
]


class UserListView(ObjectListView):
    model = User
    managers_only = True
    filterset_class = UserFilter
    columns = USER_COLUMNS
    url_names = USER_URLS

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("memberships__unit")


class UserDetailView(ObjectDetailView):
    model = User
    managers_only = True
    template_name = "accounts/user_detail.html"
    fields = USER_COLUMNS
    url_names = USER_URLS

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        return {
            "memberships": obj.memberships.select_related("unit"),
            "membership_form": MembershipForm(initial={"user": obj}, user=self.request.user),
            "role_colors": ROLE_COLORS,
        }


class UserFormView(ObjectFormView):
    model = User
    managers_only = True
    form_class = UserForm
    url_names = USER_URLS

    def save_object(self, form: Any) -> Any:
        # A valid ModelForm has already copied its fields onto ``form.instance``.
        return services.save_user(
            form.instance, password=form.cleaned_data.get("password"), by=self.request.user
        )


@login_required
@require_POST
def user_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an account without history (else the service refuses and says why)."""
    if not request.user.scope.manages_config:  # type: ignore[union-attr]
        raise PermissionDenied
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    label = str(user)
    try:
        services.delete_user(user, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
        return HttpResponseRedirect(reverse("accounts:user_detail", args=[pk]))
    messages.success(request, _("Deleted %(name)s.") % {"name": label})
    return HttpResponseRedirect(reverse("accounts:user_list"))


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.scope.manages_config:  # type: ignore[union-attr]
        raise PermissionDenied
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    form = MembershipForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.grant_membership(
                user,
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
            messages.success(request, _("Role granted."))
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return HttpResponseRedirect(reverse("accounts:user_detail", args=[user.pk]))


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.scope.manages_config:  # type: ignore[union-attr]
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.visible_to(request.user), pk=pk)
    try:
        services.revoke_membership(membership, by=request.user)
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
    else:
        messages.success(request, _("Role removed."))
    return HttpResponseRedirect(reverse("accounts:user_detail", args=[membership.user_id]))
