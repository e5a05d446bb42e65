"""OpenAPI generation: every operation documents the errors it can answer with.

drf-spectacular documents the success response of an operation. A generated client also needs
to know which errors to expect, all in the one error shape of ``core.api``. ``AutoSchema`` adds,
to each operation that does not declare them itself:

- 400 when the operation takes a body or query parameters (invalid input, a refused rule);
- 401 and 403 unless the view allows anonymous callers (403: role or scope refuses);
- 404 when the path names an object (absent, or outside the caller's scope), or for a page
  past the last of a paginated list;
- 409 for writes (someone acted first, the state forbids the step, the row is still in use);
- 429 when the view throttles its callers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.generics import GenericAPIView

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(help_text=_("Stable machine code, e.g. transition_not_allowed."))
    message = serializers.CharField(help_text=_("What went wrong, in the caller's language."))
    # A declared field named like Serializer.fields: DRF's metaclass pops it, so it is safe.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per input field; empty when the error concerns the whole request."),
    )


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The one error body of the API: ``{"error": {"code", "message", "fields"}}``."""

    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: _("Invalid input: the code says why, fields name each faulty input."),
    401: _("Not signed in: send a token (Authorization: Token …) or a session."),
    403: _("The caller's role or scope does not allow this."),
    404: _("No such object or page, or the object is outside the caller's scope."),
    409: _("Conflict: someone acted first, the state forbids it, or the row is still in use."),
    429: _("Too many requests: wait for the time in Retry-After."),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the error responses each operation can give.

    A plain ``ViewSet`` (no queryset) answers its ``list`` route with one computed object — a
    report such as the projection or the metrics of a period — unless its declared response
    is a ``many=True`` serializer; drf-spectacular would document every ``list`` as an array.
    """

    def _is_list_view(self, serializer: Any = None) -> bool:
        if not isinstance(self.view, GenericAPIView):
            if serializer is None:
                serializer = self.get_response_serializers()
            if isinstance(serializer, dict) and serializer:
                serializer = {str(code): s for code, s in serializer.items()}
                serializer = serializer[min(serializer)]
            if isinstance(serializer, OpenApiResponse):
                serializer = serializer.response
            return is_list_serializer(serializer)
        return bool(super()._is_list_view(serializer))

    def error_statuses(self) -> list[int]:
        view = self.view
        anonymous = all(isinstance(p, permissions.AllowAny) for p in view.get_permissions())
        statuses = []
        takes_input = self.method in WRITE_METHODS or bool(self._get_parameters())
        if takes_input:
            statuses.append(400)
        if not anonymous:
            statuses += [401, 403]
        if "{" in self.path or self._get_paginator() is not None:
            statuses.append(404)  # an object not found, or a page past the last
        if self.method in WRITE_METHODS:
            statuses.append(409)
        if getattr(view, "throttle_classes", None):
            statuses.append(429)
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self.error_statuses():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status]),
                    str(status),
                    direction=direction,
                )
        return responses
