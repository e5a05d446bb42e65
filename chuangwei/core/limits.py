"""The length rule every service applies to free text, so each path says the same thing."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput


def column_length(model: type[Model], name: str) -> int:
    """The ``max_length`` of a text column: the one limit of that field on every path."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return length


def check_length(value: str, limit: int, *, field: str, label: Any) -> str:
    """Return ``value`` if it has at most ``limit`` characters, else raise InvalidInput
    ``too_long`` naming the field (``label`` is its translated name)."""
    if len(value) <= limit:
        return value
    message = _("%(field)s: at most %(limit)s characters (%(count)s entered).") % {
        "field": label,
        "limit": limit,
        "count": len(value),
    }
    raise InvalidInput(message, code="too_long", fields={field: [message]})
