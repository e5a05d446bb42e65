"""Writes to the standards library: versions, clauses, indicators, values, categories.

A published (or retired) version is immutable because inspections and problems point at
its rows; edits go into a copy (``copy_standard_version``). Trees keep their materialised
paths through ``core.trees.save_node``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.core.models import delete_row
from chuangwei.core.trees import save_node
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit

from . import sources
from .choices import ClauseLevel, ValueOrigin, VersionStatus
from .models import (
    Indicator,
    IndicatorValue,
    ProblemCategory,
    StandardClause,
    StandardVersion,
)

LEVEL_RANK = {
    ClauseLevel.ASPECT: 0,
    ClauseLevel.ARTICLE: 1,
    ClauseLevel.ITEM: 2,
    ClauseLevel.RULE: 3,
}
MAX_POINTS = Decimal("99999.99")


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
            _(
                "A clause must sit under a clause of a higher level "
                "(aspect › article › item › assessment rule)."
            ),
            code="clause_level",
            fields={"level": [_("Choose a lower level or another parent.")]},
        )


def check_points(points: Decimal | None) -> str | None:
    """Why ``points`` cannot be a clause's points (None when it can: empty or 0–99999.99
    with at most two decimals)."""
    if points is None:
        return None
    if not points.is_finite() or points < 0 or points > MAX_POINTS:
        return str(_("Points must be a number from 0 to 99999.99."))
    if points != points.quantize(Decimal("0.01")):
        return str(_("Points have at most two decimals."))
    return None


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
    problem = check_points(clause.points)
    if problem:
        raise InvalidInput(problem, code="bad_points", fields={"points": [problem]})
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
    if indicator.computed_by and sources.get(indicator.computed_by) is None:
        raise InvalidInput(
            _("No source of the platform computes %(key)s.") % {"key": indicator.computed_by},
            code="unknown_source",
            fields={"computed_by": [_("Choose one of the sources offered, or leave it empty.")]},
        )
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


def retire_standard_version(version: StandardVersion, *, by: Any) -> StandardVersion:
    """Retire a published version (replaced by a newer edition); it stays immutable and
    readable. Raises InvalidInput ``version_not_published`` for a draft or a version
    already retired."""
    updated = StandardVersion.objects.filter(pk=version.pk, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED, updated_at=timezone.now()
    )
    if not updated:
        raise InvalidInput(
            _("Only a published version can be retired."), code="version_not_published"
        )
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

    Raises InvalidInput ``computed_indicator`` when the platform computes the indicator
    (its values come only from ``recompute_indicator_values``, never typed twice),
    ``zero_denominator`` when the denominator is zero, and ``duplicate_value`` when the
    indicator already has a value for that year and unit.
    """
    indicator = Indicator.objects.filter(pk=value.indicator_id).first()
    stored_origin = (
        IndicatorValue.objects.filter(pk=value.pk).values_list("origin", flat=True).first()
        if value.pk
        else None
    )
    if (indicator is not None and indicator.computed_by) or stored_origin == ValueOrigin.COMPUTED:
        raise InvalidInput(
            _(
                "The platform computes this indicator's values; recompute them on the "
                "indicator's page instead of typing them in."
            ),
            code="computed_indicator",
            fields={"indicator": [_("Choose an indicator whose values are entered.")]},
        )
    value.origin = ValueOrigin.ENTERED
    value.computed_at = None
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
    """Delete a measured value. Raises InvalidInput ``computed_indicator`` for a computed
    value (a recompute replaces it)."""
    if value.origin == ValueOrigin.COMPUTED:
        raise InvalidInput(
            _("A computed value is replaced by recomputing, not deleted."),
            code="computed_indicator",
        )
    delete_row(value)


@dataclass
class RecomputeResult:
    """What a recompute did: values written (created or changed), unchanged, and removed
    because the source has nothing to count any more (the value is unknown, not zero)."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    indicators: int = 0
    units: int = 0


RECOMPUTE_KINDS = (
    OrgUnitKind.CITY,
    OrgUnitKind.DISTRICT,
    OrgUnitKind.ZONE,
    OrgUnitKind.STREET,
    OrgUnitKind.TOWN,
)


def recompute_indicator_values(
    version: StandardVersion,
    year: int,
    units: Iterable[OrgUnit] | None = None,
    *,
    actor: Any = None,
) -> RecomputeResult:
    """Compute and store the values of ``version``'s computed indicators for ``year``.

    Each indicator whose ``computed_by`` names a registered source (standards/sources.py)
    gets, for each unit (by default the city, districts, zones, streets and towns), the
    source's (numerator, denominator) over the unit's subtree in that calendar year, stored
    as an IndicatorValue with origin ``computed``. A source that finds nothing to count
    removes the stored value. Values are stored per period, so a recompute of another
    year leaves this one alone. Raises InvalidInput ``bad_year`` for a year outside
    2000–2100. Published versions are recomputed too: values are measurements, not part of
    the standard's text.
    """
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput(
            _("Choose a year from 2000 to 2100."),
            code="bad_year",
            fields={"year": [_("Choose a year from 2000 to 2100.")]},
        )
    unit_list = (
        list(units)
        if units is not None
        else list(OrgUnit.objects.filter(kind__in=RECOMPUTE_KINDS).order_by("path"))
    )
    indicators = [
        i
        for i in Indicator.objects.filter(version=version).exclude(computed_by="").order_by("code")
        if sources.get(i.computed_by) is not None
    ]
    result = RecomputeResult(indicators=len(indicators), units=len(unit_list))
    now = timezone.now()
    with transaction.atomic():
        stored = {
            (v.indicator_id, v.unit_id): v
            for v in IndicatorValue.objects.filter(
                indicator__in=indicators, year=year, unit__in=unit_list
            )
        }
        for indicator in indicators:
            source = sources.get(indicator.computed_by)
            assert source is not None
            for unit in unit_list:
                pair = source.compute(unit, int(year))
                current = stored.get((indicator.pk, unit.pk))
                if pair is None:
                    if current is not None:
                        current.delete()
                        result.removed += 1
                    continue
                numerator, denominator = (Decimal(pair[0]), Decimal(pair[1]))
                if current is None:
                    IndicatorValue.objects.create(
                        indicator=indicator,
                        year=year,
                        unit=unit,
                        numerator=numerator,
                        denominator=denominator or None,
                        origin=ValueOrigin.COMPUTED,
                        computed_at=now,
                    )
                    result.written += 1
                    continue
                same = (
                    current.numerator == numerator
                    and current.denominator == (denominator or None)
                    and current.origin == ValueOrigin.COMPUTED
                )
                current.numerator = numerator
                current.denominator = denominator or None
                current.origin = ValueOrigin.COMPUTED
                current.computed_at = now
                current.note = ""
                current.save()
                if same:
                    result.unchanged += 1
                else:
                    result.written += 1
    return result
