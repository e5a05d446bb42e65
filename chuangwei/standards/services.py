"""Writes to the standards library: versions, clauses, indicators, values, categories.

A published (or retired) version is immutable because inspections and problems point at
its rows; edits go into a copy (``copy_standard_version``). Trees keep their materialised
paths through ``core.trees.save_node``.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.core.models import delete_row
from chuangwei.core.trees import save_node

from .choices import ClauseLevel, VersionStatus
from .models import (
    Indicator,
    IndicatorValue,
    ProblemCategory,
    StandardClause,
    StandardVersion,
)

LEVEL_RANK = {ClauseLevel.ASPECT: 0, ClauseLevel.ARTICLE: 1, ClauseLevel.ITEM: 2}


class VersionLocked(DomainError):
    """The version is published or retired; its clauses and indicators cannot change."""

    code = "version_locked"
    status = 409
    default_message = _(
        "This standard version is published or retired and cannot be changed. "
        "Copy it to a new draft to make changes."
    )


def _require_draft(version: StandardVersion) -> None:
    current = StandardVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if current is not None and current != VersionStatus.DRAFT:
        raise VersionLocked()


def _require_draft_row(row: StandardClause | Indicator) -> None:
    """The version the row belongs to now (as stored) and the one it is given must both be
    drafts, so a row can neither change inside nor be moved out of a locked version."""
    stored = type(row)._default_manager.filter(pk=row.pk).values_list("version_id", flat=True)
    stored_version = stored.first() if row.pk else None
    if stored_version is not None and stored_version != row.version_id:
        _require_draft(StandardVersion(pk=stored_version))
    _require_draft(row.version)


def save_standard_version(
    version: StandardVersion, *, by: Any, shipped: bool = False
) -> StandardVersion:
    """Create or update a standard version's description (code, name, year, issuer …).

    Raises VersionLocked when the stored version is published or retired; ``shipped`` is
    for the standards loader alone, which corrects the wording of the versions it ships
    (docs/standards-data.md). A new version is a draft unless the loader ships it otherwise;
    its status changes only through ``publish_standard_version``.
    """
    if version.pk is not None and not shipped:
        _require_draft(version)
    if StandardVersion.objects.filter(code=version.code).exclude(pk=version.pk).exists():
        raise InvalidInput(
            _("A standard version with this code already exists."),
            code="duplicate_code",
            fields={"code": [_("Choose another code.")]},
        )
    version.save()
    return version


def delete_standard_version(version: StandardVersion, *, by: Any) -> None:
    """Delete a draft version. Raises VersionLocked for a published or retired version, and
    InUse while clauses or indicators still belong to it."""
    _require_draft(version)
    delete_row(version)


def _check_clause_parent(clause: StandardClause) -> None:
    # TreeModel declares ``parent`` on the abstract base, so the stubs type it as TreeModel.
    parent = cast("StandardClause | None", clause.parent if clause.parent_id else None)
    if parent is None:
        return
    if parent.version_id != clause.version_id:
        raise InvalidInput(
            _("A clause's parent must belong to the same standard version."),
            code="clause_version_mismatch",
            fields={"parent": [_("Choose a clause of the same version.")]},
        )
    if LEVEL_RANK[ClauseLevel(clause.level)] <= LEVEL_RANK[ClauseLevel(parent.level)]:
        raise InvalidInput(
            _("A clause must sit under a clause of a higher level (aspect › article › item)."),
            code="clause_level",
            fields={"level": [_("Choose a lower level or another parent.")]},
        )


def save_standard_clause(
    clause: StandardClause, *, by: Any, shipped: bool = False
) -> StandardClause:
    """Create or update a clause of a draft version, keeping the tree paths right.

    Raises VersionLocked (``version_locked``) when the version is published or retired (or
    the clause belongs to such a version now), InvalidInput when the parent belongs to
    another version or is not of a higher level, or when the clause would move under its own
    subtree (``tree_cycle``). ``shipped``: see ``save_standard_version``.
    """
    if not shipped:
        _require_draft_row(clause)
    _check_clause_parent(clause)
    with transaction.atomic():
        save_node(clause)
    return clause


def delete_standard_clause(clause: StandardClause, *, by: Any) -> None:
    """Delete a clause of a draft version. Raises VersionLocked for a published or retired
    version, and InUse while sub-clauses, indicators or other rows point at it."""
    _require_draft_row(clause)
    delete_row(clause)


def save_indicator(indicator: Indicator, *, by: Any, shipped: bool = False) -> Indicator:
    """Create or update an indicator of a draft version.

    Raises VersionLocked when the version is published or retired (or the indicator belongs
    to such a version now), and InvalidInput when the linked clause belongs to another
    version. ``shipped``: see ``save_standard_version``.
    """
    if not shipped:
        _require_draft_row(indicator)
    if indicator.clause_id and indicator.clause is not None:
        if indicator.clause.version_id != indicator.version_id:
            raise InvalidInput(
                _("An indicator's clause must belong to the same standard version."),
                code="clause_version_mismatch",
                fields={"clause": [_("Choose a clause of the same version.")]},
            )
    indicator.save()
    return indicator


def delete_indicator(indicator: Indicator, *, by: Any) -> None:
    """Delete an indicator of a draft version. Raises VersionLocked for a published or
    retired version, and InUse while measured values point at it."""
    _require_draft_row(indicator)
    delete_row(indicator)


def publish_standard_version(version: StandardVersion, *, by: Any) -> StandardVersion:
    """Publish a draft version, which makes it immutable.

    Raises InvalidInput ``version_empty`` when it has no clause, and VersionLocked when it
    is not a draft any more (someone published or retired it first).
    """
    if not StandardClause.objects.filter(version=version).exists():
        raise InvalidInput(
            _("A standard version without clauses cannot be published."), code="version_empty"
        )
    updated = StandardVersion.objects.filter(pk=version.pk, status=VersionStatus.DRAFT).update(
        status=VersionStatus.PUBLISHED, updated_at=timezone.now()
    )
    if not updated:
        raise VersionLocked()
    version.refresh_from_db()
    return version


def copy_standard_version(
    version: StandardVersion, *, code: str, name: str, by: Any
) -> StandardVersion:
    """Copy a version (any status) into a new draft with its whole clause tree and indicators.

    Problem categories keep pointing at the original clauses. Raises InvalidInput
    ``duplicate_code`` when ``code`` is taken.
    """
    if StandardVersion.objects.filter(code=code).exists():
        raise InvalidInput(
            _("A standard version with this code already exists."),
            code="duplicate_code",
            fields={"code": [_("Choose another code.")]},
        )
    with transaction.atomic():
        copy = StandardVersion.objects.create(
            code=code,
            name=name,
            year=version.year,
            issuer=version.issuer,
            document_no=version.document_no,
            status=VersionStatus.DRAFT,
            source=version.source,
            note=version.note,
        )
        copied: dict[int, StandardClause] = {}
        for old in StandardClause.objects.filter(version=version).order_by("depth", "path"):
            old_pk = old.pk
            old.pk = None
            old.id = None
            old.version = copy
            old.created_at = timezone.now()
            old.parent = copied[old.parent_id] if old.parent_id else None
            save_node(old)
            copied[old_pk] = old
        for indicator in Indicator.objects.filter(version=version):
            indicator.pk = None
            indicator.id = None
            indicator.version = copy
            indicator.created_at = timezone.now()
            indicator.clause = copied[indicator.clause_id] if indicator.clause_id else None
            indicator.save()
    return copy


def save_problem_category(category: ProblemCategory, *, by: Any) -> ProblemCategory:
    """Create or update a problem category, keeping the tree paths right.

    A category sits only under a category of the same kind, because codes are unique per
    kind (部件, 事项 and 创卫 classes are separate trees). Raises InvalidInput
    ``category_kind_mismatch`` for a parent of another kind, ``invalid`` for a handling
    time of zero, and ``tree_cycle`` when moved under its own subtree.
    """
    parent = cast("ProblemCategory | None", category.parent if category.parent_id else None)
    if parent is not None and parent.kind != category.kind:
        raise InvalidInput(
            _("A category can only sit under a category of the same kind."),
            code="category_kind_mismatch",
            fields={"parent": [_("Choose a parent of the same kind.")]},
        )
    if category.deadline_amount is not None and category.deadline_amount <= 0:
        raise InvalidInput(
            _("The handling time must be greater than zero."),
            fields={"deadline_amount": [_("Enter a positive number or leave it empty.")]},
        )
    with transaction.atomic():
        save_node(category)
    return category


def delete_problem_category(category: ProblemCategory, *, by: Any) -> None:
    """Delete a category. Raises InUse while sub-categories or problems point at it."""
    delete_row(category)


def save_indicator_value(value: IndicatorValue, *, by: Any) -> IndicatorValue:
    """Record or correct a measured value (numerator/denominator) for a year and unit.

    Raises InvalidInput ``zero_denominator`` when the denominator is zero, and
    ``duplicate_value`` when the indicator already has a value for that year and unit.
    """
    if value.denominator is not None and value.denominator == 0:
        raise InvalidInput(
            _("The denominator cannot be zero."),
            code="zero_denominator",
            fields={"denominator": [_("Enter a number other than zero, or leave it empty.")]},
        )
    duplicate = IndicatorValue.objects.filter(
        indicator_id=value.indicator_id, year=value.year, unit_id=value.unit_id
    ).exclude(pk=value.pk)
    if duplicate.exists():
        raise InvalidInput(
            _("This indicator already has a value for that year and unit."),
            code="duplicate_value",
            fields={"year": [_("Edit the existing value instead.")]},
        )
    value.save()
    return value


def delete_indicator_value(value: IndicatorValue, *, by: Any) -> None:
    """Delete a measured value."""
    delete_row(value)
