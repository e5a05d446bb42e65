from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory

from chuangwei.accounts.choices import Role
from chuangwei.demo.generator import (
    DEMO_PASSWORD,
    DemoDatabaseNotEmpty,
    DemoSummary,
    build_demo_city,
)
from chuangwei.demo.layout import plan_grids
from chuangwei.demo.plan import plan_city
from chuangwei.lib.geo import geometry_area_m2, geometry_centroid, point_in_geometry
from chuangwei.org.data.extract_divisions import community_name_kind, street_kind
from chuangwei.org.models import LeaderAssignment, OrgUnit, Person, WorkLine
from chuangwei.places.models import Grid, Site, SiteTypeGroup

SEED = 7
SITES = 300


@pytest.fixture
def demo(db: Any) -> DemoSummary:
    return build_demo_city(seed=SEED, sites=SITES, problems=False)


def test_grid_counts_are_5_21_184(demo: DemoSummary) -> None:
    counts = {level: Grid.objects.filter(level=level).count() for level in (1, 2, 3)}
    assert counts == {1: 5, 2: 21, 3: 184}
    assert demo.grids == counts


def test_every_grid_lies_inside_its_parent(demo: DemoSummary) -> None:
    outside = [
        grid.code
        for grid in Grid.objects.filter(level__gt=1).select_related("parent")
        if not point_in_geometry(grid.parent.geometry, *geometry_centroid(grid.geometry))
    ]
    assert outside == []


def test_children_cover_their_parent_exactly() -> None:
    layout = plan_grids(SEED)
    for parent in layout.grids:
        children = [g for g in layout.grids if g.parent_code == parent.code]
        if children:
            total = sum(geometry_area_m2(c.geometry) for c in children)
            assert total == pytest.approx(geometry_area_m2(parent.geometry), rel=1e-6)


def test_sites_have_a_grid_except_the_deliberately_outside_ones(demo: DemoSummary) -> None:
    planned_outside = {s.code for s in plan_city(SEED, SITES).sites if s.outside}
    without_grid = set(Site.objects.filter(grid__isnull=True).values_list("code", flat=True))
    assert Site.objects.count() == SITES
    assert without_grid == planned_outside
    assert Site.objects.filter(outside_grid=True).count() == len(planned_outside) == 3


def test_site_answers_to_the_owner_of_its_grid(demo: DemoSummary) -> None:
    located = Site.objects.filter(grid__isnull=False)
    assert located.count() == SITES - 3
    assert located.exclude(unit=F("grid__unit")).count() == 0


def test_plan_is_the_same_for_the_same_seed() -> None:
    first = [(s.name, s.lng, s.lat) for s in plan_city(SEED, SITES).sites[:10]]
    again = [(s.name, s.lng, s.lat) for s in plan_city(SEED, SITES).sites[:10]]
    other = [(s.name, s.lng, s.lat) for s in plan_city(SEED + 1, SITES).sites[:10]]
    assert first == again
    assert first != other


def test_built_sites_follow_the_plan(demo: DemoSummary) -> None:
    saved = list(Site.objects.order_by("code").values_list("name", "lng", "lat")[:10])
    planned = [(s.name, s.lng, s.lat) for s in plan_city(SEED, SITES).sites[:10]]
    assert saved == planned


def test_every_role_has_a_login_that_authenticates(demo: DemoSummary) -> None:
    request = RequestFactory().post("/accounts/login/")
    roles = set()
    for login in demo.logins:
        user = authenticate(request, username=login.username, password=DEMO_PASSWORD)
        assert user is not None, login.username
        roles |= user.scope.roles
    assert roles == set(Role.values)


def test_admin_login_is_a_superuser(demo: DemoSummary) -> None:
    from chuangwei.accounts.models import User

    assert User.objects.get(username="admin").is_superuser is True


def test_grid_login_works_a_small_grid_in_its_street(demo: DemoSummary) -> None:
    person = Person.objects.get(user__username="grid")
    grid = person.worker_grids.get()
    assert grid.level == 3
    assert grid.unit.parent.name == "光明路街道"


def test_leader_login_is_the_leader_assigned_to_its_district(demo: DemoSummary) -> None:
    assignment = LeaderAssignment.objects.get(leader__user__username="leader")
    assert assignment.unit.name == "市中区"
    assert LeaderAssignment.objects.count() == 6


def test_high_tech_zone_administers_two_streets(demo: DemoSummary) -> None:
    zone = OrgUnit.objects.get(code="370471")
    streets = sorted(zone.children.values_list("name", flat=True))
    assert (zone.kind, zone.parent.code) == ("zone", "3704")
    assert streets == ["兴城街道", "张范街道"]


def test_districts_streets_and_departments_have_head_and_liaison(demo: DemoSummary) -> None:
    staffed = OrgUnit.objects.filter(
        kind__in=["district", "zone", "street", "town", "department"], depth__in=[1, 2]
    )
    assert staffed.count() > 50
    assert staffed.filter(head__isnull=True).count() == 0
    assert staffed.filter(liaison__isnull=True).count() == 0


def test_work_lines_have_lead_and_members(demo: DemoSummary) -> None:
    lines = {w.code: w for w in WorkLine.objects.prefetch_related("member_departments")}
    assert sorted(lines) == sorted(
        ["WL-GA", "WL-ZJ", "WL-JT", "WL-WJ", "WL-CG", "WL-HB", "WL-GS", "WL-SYJ"]
    )
    assert lines["WL-CG"].lead_department.name == "市城管局"
    assert all(1 <= w.member_departments.count() <= 3 for w in lines.values())


def test_four_small_trades_group(demo: DemoSummary) -> None:
    group = SiteTypeGroup.objects.get(code="sixiao")
    assert sorted(group.site_types.values_list("name", flat=True)) == sorted(
        ["小旅馆", "小美容美发", "小歌舞厅", "小浴室"]
    )


def test_second_build_changes_nothing(demo: DemoSummary) -> None:
    again = build_demo_city(seed=SEED, sites=SITES)
    assert again.already_loaded is True
    assert Site.objects.count() == SITES


@pytest.mark.django_db
def test_build_refuses_a_database_with_other_units(org_tree: dict[str, Any]) -> None:
    with pytest.raises(DemoDatabaseNotEmpty):
        build_demo_city(seed=SEED, sites=SITES)
    assert Grid.objects.count() == 0


@pytest.mark.django_db
def test_command_builds_then_says_already_loaded() -> None:
    out = StringIO()
    call_command("demo", "--sites", "50", "--seed", "3", stdout=out)
    first = out.getvalue()
    out = StringIO()
    call_command("demo", "--sites", "50", stdout=out)
    second = out.getvalue()
    assert "handler_street" in first
    assert second.startswith("演示城市已加载，无需操作。")
    assert "handler_street" in second


def test_logins_option_prints_every_demo_login(demo: DemoSummary) -> None:
    out = StringIO()
    call_command("demo", "--logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert DEMO_PASSWORD in lines[0]
    assert [line.split()[0] for line in lines[2:]] == [login.username for login in demo.logins]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("光明路街道", "street"), ("税郭镇", "town"), ("山亭经济开发区", "zone"), ("某农场", "other")],
)
def test_street_kind_follows_the_name(name: str, kind: str) -> None:
    assert street_kind(name) == kind


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("昂立社区居委会", ("昂立社区", "community")),
        ("兴城花园社区居民委员会", ("兴城花园社区", "community")),
        ("铁西居委会", ("铁西社区", "community")),
        ("工农社区居", ("工农社区", "community")),
        ("蒋庄村委会", ("蒋庄村", "village")),
        ("南石东村村委会", ("南石东村", "village")),
        ("城前村村民委员会", ("城前村", "village")),
        ("北褚林村", ("北褚林村", "village")),
    ],
)
def test_committee_suffix_is_dropped(raw: str, expected: tuple[str, str]) -> None:
    assert community_name_kind(raw) == expected
