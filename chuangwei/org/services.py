"""Writes to the organisation: units, work lines, people, assignments, agreements."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chuangwei.core.trees import save_node

from .models import OrgUnit


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
