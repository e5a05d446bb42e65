"""Technical pages of the frame: the health check."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
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
