"""Writes to the standards library."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.standards import services
from chuangwei.standards.choices import (
    CategoryKind,
    ClauseLevel,
    Comparator,
    VersionStatus,
)
from chuangwei.standards.loaders import load_all
from chuangwei.standards.models import (
    Indicator,
    IndicatorValue,
    ProblemCategory,
    StandardClause,
    StandardVersion,
)

pytestmark = pytest.mark.django_db


def make_version(code: str = "LOCAL-1", status: str = VersionStatus.DRAFT) -> StandardVersion:
    return StandardVersion.objects.create(code=code, name=code, year=2026, status=status)


def add_clause(
    version: StandardVersion,
    number: str,
    level: str = ClauseLevel.ASPECT,
    parent: StandardClause | None = None,
) -> StandardClause:
    clause = StandardClause(
        version=version, level=level, number=number, title=number, parent=parent
    )
    return services.save_standard_clause(clause, by=None)


def make_indicator(version: StandardVersion, clause: StandardClause | None = None) -> Indicator:
    return Indicator.objects.create(
        version=version,
        clause=clause,
        code="I1",
        name="满意率",
        comparator=Comparator.GTE,
        threshold=Decimal("90"),
    )


def make_category(
    code: str, kind: str = CategoryKind.MATTER, parent: Any = None
) -> ProblemCategory:
    category = ProblemCategory(kind=kind, code=code, name=code, parent=parent, deadline_amount=1)
    return services.save_problem_category(category, by=None)


def test_draft_clause_is_saved_with_its_path() -> None:
    version = make_version()
    aspect = add_clause(version, "一")
    article = add_clause(version, "（一）", ClauseLevel.ARTICLE, aspect)
    assert article.path == f"/{aspect.pk}/{article.pk}/"
    assert article.depth == 1


def test_published_version_refuses_clause_edit() -> None:
    version = make_version()
    aspect = add_clause(version, "一")
    services.publish_standard_version(version, by=None)
    aspect.title = "改"
    with pytest.raises(DomainError) as caught:
        services.save_standard_clause(aspect, by=None)
    assert caught.value.code == "version_locked"
    assert StandardClause.objects.get(pk=aspect.pk).title == "一"


def test_retired_version_refuses_a_new_clause() -> None:
    version = make_version(status=VersionStatus.RETIRED)
    with pytest.raises(services.VersionLocked):
        add_clause(version, "一")
    assert StandardClause.objects.count() == 0


def test_clause_parent_from_another_version_is_refused() -> None:
    other = add_clause(make_version("OTHER"), "一")
    with pytest.raises(InvalidInput) as caught:
        add_clause(make_version(), "（一）", ClauseLevel.ARTICLE, other)
    assert caught.value.code == "clause_version_mismatch"


def test_clause_under_a_lower_level_is_refused() -> None:
    version = make_version()
    article = add_clause(version, "（一）", ClauseLevel.ARTICLE)
    with pytest.raises(InvalidInput) as caught:
        add_clause(version, "一", ClauseLevel.ASPECT, article)
    assert caught.value.code == "clause_level"


def test_publish_moves_a_draft_to_published() -> None:
    version = make_version()
    add_clause(version, "一")
    services.publish_standard_version(version, by=None)
    assert StandardVersion.objects.get(pk=version.pk).status == VersionStatus.PUBLISHED
    assert version.is_locked


def test_publish_refuses_an_empty_version() -> None:
    version = make_version()
    with pytest.raises(InvalidInput) as caught:
        services.publish_standard_version(version, by=None)
    assert caught.value.code == "version_empty"
    assert StandardVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_publish_refuses_a_published_version() -> None:
    version = make_version()
    add_clause(version, "一")
    services.publish_standard_version(version, by=None)
    with pytest.raises(DomainError) as caught:
        services.publish_standard_version(version, by=None)
    assert caught.value.code == "version_locked"


def test_copy_makes_an_editable_draft_with_every_clause() -> None:
    load_all()
    original = StandardVersion.objects.get(code="GWS-2021")
    copy = services.copy_standard_version(original, code="GWS-2021-L", name="本地版", by=None)
    assert copy.status == VersionStatus.DRAFT
    assert copy.clauses.count() == original.clauses.count() == 71
    item = copy.clauses.get(number="13", parent__number="（十）")
    item.title = "工地围挡到位"
    services.save_standard_clause(item, by=None)
    assert StandardClause.objects.get(pk=item.pk).title == "工地围挡到位"
    assert original.clauses.get(number="13", parent__number="（十）").title == "工地围挡"


def test_copy_links_indicators_to_the_copied_clauses() -> None:
    load_all()
    original = StandardVersion.objects.get(code="GWS-2014")
    copy = services.copy_standard_version(original, code="GWS-2014-L", name="2014 本地", by=None)
    assert copy.indicators.count() == 18
    green = copy.indicators.get(code="GWS14-P05B")
    assert green.clause.version == copy
    assert green.clause.number == "必备条件5"


def test_copy_refuses_a_code_in_use() -> None:
    version = make_version()
    with pytest.raises(InvalidInput) as caught:
        services.copy_standard_version(version, code="LOCAL-1", name="x", by=None)
    assert caught.value.code == "duplicate_code"
    assert StandardVersion.objects.count() == 1


def test_save_indicator_refuses_a_published_version() -> None:
    version = make_version()
    add_clause(version, "一")
    services.publish_standard_version(version, by=None)
    indicator = Indicator(version=version, code="I1", name="x", comparator="gte", threshold=1)
    with pytest.raises(services.VersionLocked):
        services.save_indicator(indicator, by=None)
    assert Indicator.objects.count() == 0


def test_category_under_a_parent_of_another_kind_is_refused() -> None:
    major = make_category("03", kind=CategoryKind.COMPONENT)
    with pytest.raises(InvalidInput) as caught:
        make_category("03001", kind=CategoryKind.MATTER, parent=major)
    assert caught.value.code == "category_kind_mismatch"
    assert ProblemCategory.objects.count() == 1


def test_category_with_zero_handling_time_is_refused() -> None:
    category = ProblemCategory(kind=CategoryKind.MATTER, code="06010", name="暴露垃圾")
    category.deadline_amount = 0
    with pytest.raises(InvalidInput) as caught:
        services.save_problem_category(category, by=None)
    assert list(caught.value.fields) == ["deadline_amount"]


def test_moving_a_category_moves_its_children() -> None:
    old_major = make_category("06")
    new_major = make_category("09")
    middle = make_category("0601", parent=old_major)
    leaf = make_category("060101", parent=middle)
    middle.parent = new_major
    services.save_problem_category(middle, by=None)
    leaf.refresh_from_db()
    assert leaf.path == f"/{new_major.pk}/{middle.pk}/{leaf.pk}/"


def indicator_value(org_tree: dict[str, Any], denominator: Decimal | None) -> IndicatorValue:
    indicator = make_indicator(make_version())
    return IndicatorValue(
        indicator=indicator,
        year=2025,
        unit=org_tree["city"],
        numerator=Decimal("45"),
        denominator=denominator,
    )


def test_indicator_value_with_zero_denominator_is_refused(org_tree: dict[str, Any]) -> None:
    value = indicator_value(org_tree, Decimal("0"))
    with pytest.raises(InvalidInput) as caught:
        services.save_indicator_value(value, by=None)
    assert caught.value.code == "zero_denominator"
    assert IndicatorValue.objects.count() == 0


def test_indicator_value_is_saved(org_tree: dict[str, Any]) -> None:
    value = services.save_indicator_value(indicator_value(org_tree, Decimal("50")), by=None)
    stored = IndicatorValue.objects.get(pk=value.pk)
    assert (stored.numerator, stored.denominator) == (Decimal("45"), Decimal("50"))


def test_second_value_for_the_same_year_and_unit_is_refused(org_tree: dict[str, Any]) -> None:
    first = services.save_indicator_value(indicator_value(org_tree, None), by=None)
    second = IndicatorValue(
        indicator=first.indicator, year=2025, unit=org_tree["city"], numerator=Decimal("1")
    )
    with pytest.raises(InvalidInput) as caught:
        services.save_indicator_value(second, by=None)
    assert caught.value.code == "duplicate_value"
