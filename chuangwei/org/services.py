"""Writes to the organisation: units, work lines, people, assignments, agreements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.models import delete_row
from chuangwei.core.trees import save_node

from .choices import OrgUnitKind
from .models import LeaderAssignment, OrgUnit, Person, ResponsibilityAgreement, WorkLine


def save_org_unit(unit: OrgUnit, *, by: Any = None) -> OrgUnit:
    """Create or update a unit, keeping the materialised paths of its subtree right.

    Raises InvalidInput (code ``tree_cycle``) when moved under its own subtree.
    """
    with transaction.atomic():
        save_node(unit)
    return unit


def create_org_unit(
    *, code: str, name: str, kind: str, parent: OrgUnit | None = None, by: Any = None, **extra: Any
) -> OrgUnit:
    """Add a unit under ``parent`` (None for the city root)."""
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, **extra)
    return save_org_unit(unit, by=by)


def delete_org_unit(unit: OrgUnit, *, by: Any) -> None:
    """Delete a unit. Raises InUse while other rows (sub-units, people, grids…) point at it."""
    delete_row(unit)


def save_work_line(
    line: WorkLine, *, member_departments: Iterable[OrgUnit] | None = None, by: Any
) -> WorkLine:
    """Create or update a work line; ``member_departments`` (when given) replaces its members.

    Raises InvalidInput ``not_a_department`` when the lead or a member is not a department.
    """
    members = list(member_departments) if member_departments is not None else None
    errors: dict[str, list[Any]] = {}
    if line.lead_department_id and line.lead_department.kind != OrgUnitKind.DEPARTMENT:
        errors["lead_department"] = [_("Choose a department.")]
    if members is not None and any(m.kind != OrgUnitKind.DEPARTMENT for m in members):
        errors["member_departments"] = [_("Choose departments only.")]
    if errors:
        raise InvalidInput(
            _("A work line is led and staffed by departments."),
            code="not_a_department",
            fields=errors,
        )
    with transaction.atomic():
        line.save()
        if members is not None:
            line.member_departments.set(members)
    return line


def delete_work_line(line: WorkLine, *, by: Any) -> None:
    """Delete a work line. Raises InUse while other rows (categories, clauses…) point at it."""
    delete_row(line)


def save_person(person: Person, *, by: Any) -> Person:
    """Create or update a contact person of a unit."""
    person.save()
    return person


def delete_person(person: Person, *, by: Any) -> None:
    """Delete a person. Raises InUse while a leader assignment still names them."""
    delete_row(person)


def save_leader_assignment(assignment: LeaderAssignment, *, by: Any) -> LeaderAssignment:
    """Create or update a leader's 帮包 assignment to a unit.

    Raises InvalidInput ``date_order`` when it ends before it starts.
    """
    start, end = assignment.start_date, assignment.end_date
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            _("The end date cannot be before the start date."),
            code="date_order",
            fields={"end_date": [_("The end date cannot be before the start date.")]},
        )
    assignment.save()
    return assignment


def delete_leader_assignment(assignment: LeaderAssignment, *, by: Any) -> None:
    """End a leader's assignment by deleting it."""
    delete_row(assignment)


def save_responsibility_agreement(
    agreement: ResponsibilityAgreement, *, by: Any
) -> ResponsibilityAgreement:
    """Create or update a unit's target responsibility agreement (目标责任书) for a year.

    Raises InvalidInput ``bad_target`` when the on-time closure target is not 0–100 %.
    """
    target = agreement.closure_rate_target
    if target is not None and not 0 <= target <= 100:
        raise InvalidInput(
            _("The on-time closure target is a percentage from 0 to 100."),
            code="bad_target",
            fields={"closure_rate_target": [_("Enter a number from 0 to 100.")]},
        )
    document = agreement.document
    name = document.name or ""
    if document and not getattr(document, "_committed", True) and "/" not in name:
        # A new upload is stored as agreements/<year>/<name> ("agreements/" is the field's
        # upload_to; the year folder is the agreement's, not the upload's).
        document.name = f"{agreement.year}/{name}"
    agreement.save()
    return agreement


def delete_responsibility_agreement(agreement: ResponsibilityAgreement, *, by: Any) -> None:
    """Delete an agreement (its signed document file stays in storage)."""
    delete_row(agreement)
