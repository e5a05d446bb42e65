"""Readiness services: prerequisite and veto events (必备条件 / 一票否决).

An event names the condition it fails (a clause flagged prerequisite or veto, or a veto
indicator), the responsible unit and the year. It turns the condition red on the board and
makes the unit and its subtree ineligible for honours that year (``selectors.ineligible_unit_ids``,
which the rankings' red lists respect). Events are never deleted: one recorded in error is
withdrawn with a reason and stops counting.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.limits import check_length, column_length
from chuangwei.lib.bounds import DATE_MAX, DATE_MIN
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import Indicator, StandardClause

from ..models import ConditionEvent


def _require_office(by: Any) -> None:
    if not is_office(by):
        raise NotAllowed(_("Only the office records and withdraws condition events."))


def record_condition_event(
    *,
    unit: OrgUnit,
    occurred_on: date,
    title: str,
    clause: StandardClause | None = None,
    indicator: Indicator | None = None,
    description: str = "",
    by: Any,
    now: datetime | None = None,
) -> ConditionEvent:
    """Record an event that fails a condition in the year it occurred.

    Raises NotAllowed (not the office) or InvalidInput naming every faulty field: no
    condition or two, a clause that is not a prerequisite/veto, an indicator that is not a
    veto, a date outside 1900–2999 or in the future, a missing or too long title.
    """
    _require_office(by)
    now = now or timezone.now()
    errors: dict[str, list[Any]] = {}
    if (clause is None) == (indicator is None):
        errors["clause"] = [_("Name one condition: a clause or an indicator.")]
    elif clause is not None and not (clause.is_prerequisite or clause.is_veto):
        errors["clause"] = [_("This clause is not a prerequisite or veto condition.")]
    elif indicator is not None and not indicator.is_veto:
        errors["indicator"] = [_("This indicator is not a veto condition.")]
    if not DATE_MIN <= occurred_on <= DATE_MAX:
        errors["occurred_on"] = [_("Enter a date between 1900-01-01 and 2999-12-31.")]
    elif occurred_on > timezone.localdate(now):
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the event a title.")]
    else:
        try:
            check_length(
                title, column_length(ConditionEvent, "title"), field="title", label=_("Title")
            )
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        raise InvalidInput(code="bad_condition_event", fields=errors)
    return ConditionEvent.objects.create(
        clause=clause,
        indicator=indicator,
        unit=unit,
        year=occurred_on.year,
        occurred_on=occurred_on,
        title=title,
        description=(description or "").strip(),
        recorded_by=by,
        created_at=now,
    )


def withdraw_condition_event(
    event: ConditionEvent, *, reason: str, by: Any, now: datetime | None = None
) -> ConditionEvent:
    """Withdraw an event recorded in error: it stays on record with the reason and stops
    failing its condition. Raises Conflict when already withdrawn, InvalidInput without a
    reason."""
    _require_office(by)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            code="missing_reason", fields={"reason": [_("Give the reason for withdrawing.")]}
        )
    check_length(
        reason,
        column_length(ConditionEvent, "withdrawn_reason"),
        field="reason",
        label=_("Reason"),
    )
    now = now or timezone.now()
    updated = ConditionEvent.objects.filter(pk=event.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=by, withdrawn_reason=reason, updated_at=now
    )
    if not updated:
        raise Conflict(_("This event was already withdrawn."), code="already_withdrawn")
    event.refresh_from_db()
    return event
