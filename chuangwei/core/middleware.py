"""Technical middleware: every error under ``/api/`` answers in the API's JSON error shape.

DRF renders the errors its views raise (``core.api.exception_handler``), but some answers never
reach a DRF view: a URL that matches no route (404), an exception that escapes a view (500), an
upload Django refuses before any view runs (400). Django renders those as HTML pages, which an
API client cannot read. This middleware replaces any non-JSON error response under ``/api/`` with
``{"error": {"code", "message", "fields"}}`` and the same status. Django has already logged the
original error by the time the response comes back here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _error_text(status: int) -> tuple[str, str]:
    known = {
        400: ("invalid", _("The request is not valid.")),
        401: ("not_authenticated", _("Authentication credentials were not provided.")),
        403: ("permission_denied", _("You are not allowed to do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        413: ("too_large", _("The request is too large.")),
        429: ("throttled", _("Too many requests. Try again later.")),
    }
    if status in known:
        return known[status]
    if status >= 500:
        return "server_error", _("The server could not complete the request. Try again later.")
    return "error", _("Request failed.")


def api_error_body(status: int) -> dict[str, dict[str, object]]:
    code, message = _error_text(status)
    return {"error": {"code": code, "message": message, "fields": {}}}


class ApiErrorMiddleware:
    """Turns HTML (or any non-JSON) error responses under ``/api/`` into the JSON error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = JsonResponse(
                api_error_body(response.status_code),
                status=response.status_code,
                json_dumps_params={"ensure_ascii": False},
            )
            for header in KEPT_HEADERS:
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response
