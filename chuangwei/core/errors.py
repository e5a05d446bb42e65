"""Domain errors: a stable machine ``code`` plus a translatable message.

Services raise these; one DRF exception handler (core.api) and one UI helper
(core.views.domain_error_message) render them, so the UI and the API say the same thing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the request. Nothing was changed."""

    code = "domain_error"
    status = 400
    default_message: Any = _("The request could not be completed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        fields: dict[str, list[Any]] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {k: [str(m) for m in v] for k, v in self.fields.items()},
        }


class InvalidInput(DomainError):
    code = "invalid"
    default_message = _("The data entered is not valid.")

    @classmethod
    def from_validation_error(cls, exc: Any) -> InvalidInput:
        """A Django ``ValidationError`` (a model's ``full_clean``, a validator) as the domain
        error the API and the pages render, its messages kept per field."""
        if hasattr(exc, "error_dict"):
            fields = {k: list(v) for k, v in exc.message_dict.items()}
        else:
            fields = {"non_field_errors": list(exc.messages)}
        return cls(fields=fields)


class NotAllowed(DomainError):
    code = "not_allowed"
    status = 403
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("Someone else changed this record first. Reload and try again.")


class InUse(DomainError):
    code = "in_use"
    status = 409
    default_message = _("This record is still referenced by other records and cannot be deleted.")
