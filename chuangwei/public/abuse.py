"""Abuse resistance for every public write: a device cookie and rate limits per IP and per
device (django-ratelimit on the default cache). The per-phone daily cap lives in the
database (services.submit_citizen_report)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited

DEVICE_COOKIE = "cw_device"
DEVICE_RE = re.compile(r"^[0-9a-f]{32}$")
DEFAULT_IP_RATE = "30/h"
DEFAULT_DEVICE_RATE = "15/h"
DEFAULT_LOOKUP_RATE = "120/h"


def device_id(request: HttpRequest) -> str:
    """The device id from the cookie, or a new one (set on the response by ``keep_device``)."""
    cached = getattr(request, "_cw_device", None)
    if cached:
        return str(cached)
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if not DEVICE_RE.match(value):
        value = uuid.uuid4().hex
        request._cw_new_device = True  # type: ignore[attr-defined]
    request._cw_device = value  # type: ignore[attr-defined]
    return value


def keep_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    device_id(request)
    if getattr(request, "_cw_new_device", False):
        response.set_cookie(
            DEVICE_COOKIE,
            request._cw_device,  # type: ignore[attr-defined]
            max_age=5 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _ip_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "CHUANGWEI_PUBLIC_RATE_IP", DEFAULT_IP_RATE))


def _device_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "CHUANGWEI_PUBLIC_RATE_DEVICE", DEFAULT_DEVICE_RATE))


def _device_key(group: str, request: HttpRequest) -> str:
    return device_id(request)


def over_limit(request: HttpRequest, scope: str = "write") -> bool:
    """Count this public write against its IP and its device; True when either is over."""
    kwargs: dict[str, Any] = {"method": ["POST"], "increment": True}
    by_ip = is_ratelimited(request, group=f"public-{scope}-ip", key="ip", rate=_ip_rate, **kwargs)
    by_device = is_ratelimited(
        request, group=f"public-{scope}-device", key=_device_key, rate=_device_rate, **kwargs
    )
    return bool(by_ip or by_device)


def _lookup_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "CHUANGWEI_PUBLIC_RATE_LOOKUP", DEFAULT_LOOKUP_RATE))


def lookups_over_limit(request: HttpRequest) -> bool:
    """Count a tracking-code lookup against its IP (guessing codes is slow work)."""
    return bool(
        is_ratelimited(
            request,
            group="public-lookup-ip",
            key="ip",
            rate=_lookup_rate,
            method=["GET"],
            increment=True,
        )
    )
