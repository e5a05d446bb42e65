"""Technical pages of the frame: the health check and the error pages."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        log.exception("health check: database unreachable")
        return "down"
    return "ok"


def _cache() -> str:
    try:
        cache.set("cw-health", "1", 5)
        return "ok" if cache.get("cw-health") == "1" else "down"
    except Exception:  # any backend error means the shared cache is unusable
        log.exception("health check: cache unreachable")
        return "down"


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Database and cache reachability for load balancers: 200 when both answer, else 503."""
    checks = {"database": _database(), "cache": _cache()}
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "down", **checks}, status=200 if ok else 503)


ERRORS = {
    403: (
        "bi-shield-lock",
        _("No permission"),
        _("Your role cannot open this page. Ask the 创卫办 if you need access."),
    ),
    404: (
        "bi-question-circle",
        _("Page not found"),
        _("The page or record does not exist, or is not in your area of responsibility."),
    ),
}


def _error(request: HttpRequest, status: int) -> HttpResponse:
    icon, title, message = ERRORS[status]
    context = {"status": status, "icon": icon, "title": title, "message": message}
    user = getattr(request, "user", None)
    template = (
        "core/error_page.html"
        if user is not None and user.is_authenticated
        else "core/error_plain.html"
    )
    return render(request, template, context, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 in the normal frame (signed in) or a plain Chinese page, never Django's bare one."""
    return _error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)
