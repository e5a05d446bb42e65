"""The ranges every date and integer input must lie in, whatever form or API carries it.

A value outside them is a typing error or a probe, never data: no ledger date lies before 1900,
no id or count needs more than 63 bits. Outside them the databases fail instead of answering —
SQLite cannot hold an integer of 2**63 or more, and a Shanghai datetime in year 1 has no UTC
value (it falls before year 1) — so every input is checked against these bounds where it
enters, with a message that names the range. The form, filter and serializer bases in ``core``
attach these validators to every field of the kinds below.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)
INT_MIN = -(2**63) + 1
INT_MAX = 2**63 - 1


def validate_date_in_range(value: Any) -> None:
    """A date or datetime between 1900-01-01 and 2999-12-31 (its own calendar day)."""
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_out_of_range",
            params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )


def validate_number_in_range(value: Any) -> None:
    """A number within what a 64-bit database integer can hold."""
    if isinstance(value, (int, float, Decimal)) and not INT_MIN <= value <= INT_MAX:
        raise ValidationError(_("The number is too large."), code="number_out_of_range")


def validate_year(value: Any) -> None:
    """A calendar year between 1900 and 2999, as a whole number."""
    if isinstance(value, (int, float, Decimal)) and (
        value != int(value) or not DATE_MIN.year <= value <= DATE_MAX.year
    ):
        raise ValidationError(
            _("Enter a year between %(min)s and %(max)s."),
            code="year_out_of_range",
            params={"min": DATE_MIN.year, "max": DATE_MAX.year},
        )
