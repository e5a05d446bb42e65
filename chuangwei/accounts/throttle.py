"""Sign-in throttling for the login page and the API token endpoint.

Two locks, either of which refuses a sign-in for a while:

- **per account and address** (django-axes): ``AXES_FAILURE_LIMIT`` failed sign-ins for one
  username from one address lock that pair for ``AXES_COOLOFF_MINUTES`` after the last one;
- **per address** (django-ratelimit on the default cache): ``CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT``
  failed sign-ins from one address, whatever the usernames, lock the address until its
  ``CHUANGWEI_LOGIN_ADDRESS_WINDOW_MINUTES`` window ends, so spraying many usernames from one
  address is slowed too.

A locked sign-in gets its own answer (HTTP 429, ``Retry-After``, code ``locked``), the same
whether the username exists and whether the password was right: nothing is authenticated
while locked.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

ADDRESS_GROUP = "accounts:sign-in-address"
LOCKED_CODE = "locked"


def _address(group: str, request: Any) -> str:
    return str(get_client_ip_address(request) or "unknown")


def _address_rate(group: str, request: Any) -> tuple[int, int]:
    limit = int(getattr(settings, "CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT", 30))
    minutes = int(getattr(settings, "CHUANGWEI_LOGIN_ADDRESS_WINDOW_MINUTES", 15))
    return limit, max(minutes, 1) * 60


def _address_usage(request: Any, *, increment: bool) -> dict[str, Any] | None:
    usage: dict[str, Any] | None = get_usage(
        request,
        group=ADDRESS_GROUP,
        key=_address,
        rate=_address_rate,
        method=ALL,
        increment=increment,
    )
    return usage


def count_failure(request: Any) -> None:
    """Count a failed sign-in against its address (``user_login_failed`` receiver)."""
    if request is not None and getattr(settings, "AXES_ENABLED", True):
        _address_usage(request, increment=True)


def address_wait(request: Any) -> int:
    """Seconds until this address may sign in again (0: not locked)."""
    if not getattr(settings, "AXES_ENABLED", True):
        return 0
    usage = _address_usage(request, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return 0
    return max(int(usage["time_left"]), 1)


def _account_wait(request: Any, username: str) -> int:
    """Seconds until django-axes lets this username sign in from this address again."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return 0
    cool_off = get_cool_off(request)
    if cool_off is None:
        return 24 * 3600  # locked until an administrator resets it; ask again tomorrow
    last = AccessAttempt.objects.filter(
        username=username, ip_address=get_client_ip_address(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    left: timedelta = (last or timezone.now()) + cool_off - timezone.now()
    return max(math.ceil(left.total_seconds()), 1)


def locked_for(request: Any, username: str) -> int:
    """Seconds until a sign-in as ``username`` from this request's address is allowed again
    (0: allowed now). Says nothing about whether the account exists."""
    if not getattr(settings, "AXES_ENABLED", True):
        return 0
    return max(address_wait(request), _account_wait(request, str(username or "")))


def locked_message(wait: int) -> str:
    return _(
        "Too many failed sign-in attempts: signing in is locked for a while. "
        "Try again in %(minutes)s minutes."
    ) % {"minutes": max(math.ceil(wait / 60), 1)}


def locked_api_response(wait: int) -> HttpResponse:
    """The API's answer while locked: 429, ``Retry-After`` and the one error shape."""
    body = {"error": {"code": LOCKED_CODE, "message": locked_message(wait), "fields": {}}}
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(wait)
    return response


def locked_page(request: HttpRequest, wait: int, username: str = "") -> HttpResponse:
    """The login page with the lock explained, answered with 429 and ``Retry-After``."""
    from .forms import LoginForm

    form = LoginForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_message": locked_message(wait),
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
    }
    response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: how any path axes locks out answers (same as the views)."""
    username = ""
    if isinstance(credentials, dict):
        username = str(credentials.get(settings.AXES_USERNAME_FORM_FIELD) or "")
    wait = locked_for(request, username) or int(
        (get_cool_off(request) or timedelta()).total_seconds()
    )
    wait = max(wait, 1)
    if request.path.startswith("/api/"):
        return locked_api_response(wait)
    return locked_page(request, wait, username)


class AddressThrottleBackend:
    """First authentication backend: refuses every sign-in from a locked address, so no
    path that calls ``authenticate`` (login page, token endpoint, others) tries passwords
    while the address is locked. Never authenticates anyone itself."""

    def authenticate(self, request: Any, username: str | None = None, **kwargs: Any) -> None:
        if request is not None and address_wait(request):
            raise PermissionDenied
        return
