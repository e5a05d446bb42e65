"""Fixtures for cross-app tests: one row of every configuration model."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def config_rows(org_tree: dict[str, Any]) -> dict[str, Any]:
    from chuangwei.org.models import LeaderAssignment, Person, ResponsibilityAgreement, WorkLine
    from chuangwei.places.models import SiteTypeGroup
    from chuangwei.places.tests.factories import GridFactory, SiteFactory, SiteTypeFactory
    from chuangwei.standards.models import (
        Indicator,
        IndicatorValue,
        ProblemCategory,
        StandardClause,
        StandardVersion,
    )
    from chuangwei.standards.services import save_problem_category, save_standard_clause

    street_a = org_tree["street_a"]
    person = Person.objects.create(name="张三", unit=street_a, phone="13812341234")
    work_line = WorkLine.objects.create(
        code="WL-CG", name="城管专线", lead_department=org_tree["department"]
    )
    assignment = LeaderAssignment.objects.create(leader=person, unit=org_tree["district"])
    agreement = ResponsibilityAgreement.objects.create(
        unit=street_a, year=2026, title="2026年目标责任书"
    )
    grid = GridFactory(unit=street_a, bounds=(117.30, 34.80, 117.32, 34.82))
    site_type = SiteTypeFactory(code="market", name="农贸市场")
    group = SiteTypeGroup.objects.create(code="G4", name="四小")
    group.site_types.add(site_type)
    site = SiteFactory(site_type=site_type, unit=street_a, lng=117.31, lat=34.81)
    version = StandardVersion.objects.create(code="V1", name="测试标准", year=2026)
    aspect = save_standard_clause(
        StandardClause(version=version, level="aspect", number="一", title="市容环境卫生"), by=None
    )
    indicator = Indicator.objects.create(
        version=version, code="I1", name="满意度", comparator="gte", threshold=90, unit="%"
    )
    value = IndicatorValue.objects.create(
        indicator=indicator, year=2026, unit=street_a, numerator=95, denominator=100
    )
    category = save_problem_category(
        ProblemCategory(
            kind="matter",
            code="06010",
            name="暴露垃圾",
            deadline_amount=4,
            deadline_unit="work_hours",
            default_work_line=work_line,
        ),
        by=None,
    )
    return {
        "orgunit": street_a,
        "workline": work_line,
        "person": person,
        "leaderassignment": assignment,
        "agreement": agreement,
        "grid": grid,
        "sitetype": site_type,
        "sitetypegroup": group,
        "site": site,
        "version": version,
        "clause": aspect,
        "indicator": indicator,
        "indicatorvalue": value,
        "category": category,
    }
