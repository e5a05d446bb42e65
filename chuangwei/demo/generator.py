"""Build the demo city (DESIGN.md §5): 枣庄市 with its real divisions and invented content.

``build_demo_city`` saves, in one transaction: the unit tree from
``org/data/zaozhuang.json`` plus the 创卫办 and departments, people (unit heads, liaisons,
city leaders, grid leaders and workers), 帮包 assignments, 2026 responsibility
agreements, the 8 work lines, site types and groups, the 5 / 21 / 184 grids, a few
thousand sites and a login for every role (password ``Demo@2026``); then it loads the
shipped standards. Everything is deterministic for a seed. See docs/demo.md.

Org units and grids go through their services (paths, bbox and area stay right); people,
work lines, agreements, site types and sites are bulk-created here rather than one by one
through their services, which is what keeps the whole build within seconds (the generator
makes them valid by construction).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import User
from chuangwei.accounts.services import grant_membership
from chuangwei.core.errors import DomainError
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import (
    LeaderAssignment,
    OrgUnit,
    Person,
    ResponsibilityAgreement,
    WorkLine,
)
from chuangwei.org.services import create_org_unit
from chuangwei.places.models import Grid, Site, SiteType, SiteTypeGroup
from chuangwei.places.services import city_bounds, grid_index, save_grid

from . import names
from .briefings import build_demo_briefings
from .inspections import build_demo_inspections
from .layout import CITY_CODE, division_units
from .plan import SITE_TYPE_GROUPS, SITE_TYPES, CityPlan, plan_city
from .problems import build_demo_problems, ledger_size
from .public import build_demo_public

DEMO_PASSWORD = "Demo@2026"
DEFAULT_SEED = 2026
DEFAULT_SITES = 3200
YEAR = 2026

# (code, name, head's position); all report to the city.
OFFICE = ("CWB", "市创卫办", "主任")
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("D-GA", "市公安局", "局长"),
    ("D-ZJ", "市住建局", "局长"),
    ("D-JT", "市交通局", "局长"),
    ("D-WJ", "市卫计委", "主任"),
    ("D-CG", "市城管局", "局长"),
    ("D-HB", "市环保局", "局长"),
    ("D-GS", "市工商局", "局长"),
    ("D-SYJ", "市食药监局", "局长"),
    ("D-JY", "市教育局", "局长"),
    ("D-SW", "市商务局", "局长"),
    ("D-SL", "市水利局", "局长"),
    ("D-YL", "市园林局", "局长"),
)
# (code, name, lead department, member departments, what the line answers for)
WORK_LINES: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    (
        "WL-GA",
        "社会秩序专线",
        "D-GA",
        ("D-JT", "D-CG"),
        "占道经营与交通秩序、网吧管理、犬类管理、“十乱”整治配合",
    ),
    (
        "WL-ZJ",
        "城乡建设专线",
        "D-ZJ",
        ("D-YL", "D-SL"),
        "建筑工地、老旧小区与城中村改造、市政道路与设施",
    ),
    ("WL-JT", "交通运输专线", "D-JT", ("D-GA",), "车站、公交与长途客运场站环境卫生、道路运输秩序"),
    (
        "WL-WJ",
        "健康卫生专线",
        "D-WJ",
        ("D-JY", "D-SYJ"),
        "健康教育与控烟、病媒生物防制、公共场所（四小）卫生、医疗机构与传染病防控",
    ),
    (
        "WL-CG",
        "市容环境卫生专线",
        "D-CG",
        ("D-ZJ", "D-YL", "D-GS"),
        "主次干道与背街小巷、公厕与垃圾转运站、门前三包、户外广告",
    ),
    (
        "WL-HB",
        "环境保护专线",
        "D-HB",
        ("D-SL", "D-ZJ"),
        "大气与水环境、噪声、医疗废物与危险废物处置",
    ),
    ("WL-GS", "市场秩序专线", "D-GS", ("D-SW", "D-SYJ"), "农贸市场、无证照经营、五小行业证照"),
    (
        "WL-SYJ",
        "食品安全专线",
        "D-SYJ",
        ("D-GS", "D-SW", "D-JY"),
        "食品安全、食品“三小”、餐饮“三防”设施与从业人员健康证",
    ),
)
# 帮包: the six city leaders, each answers for one district or the zone.
LEADER_AREAS = ("370402", "370403", "370404", "370405", "370406", "370471")
STREET_OF_HANDLER = "370402006"  # 光明路街道, the street of the handler and grid logins

POSITIONS: dict[str, tuple[str, str]] = {  # kind → (head, liaison)
    OrgUnitKind.DISTRICT: ("区长", "区创卫办主任"),
    OrgUnitKind.ZONE: ("管委会主任", "创卫办主任"),
    OrgUnitKind.STREET: ("街道办事处主任", "街道创卫联络员"),
    OrgUnitKind.TOWN: ("镇长", "镇创卫联络员"),
    OrgUnitKind.DEPARTMENT: ("局长", "创卫联络员"),
    OrgUnitKind.OTHER: ("主任", "综合科科长"),
}


class DemoDatabaseNotEmpty(DomainError):
    code = "demo_database_not_empty"
    status = 409
    default_message = _(
        "The database already holds org units that are not the demo city; "
        "run the demo command with --reset on a database you can empty."
    )


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str
    name: str


@dataclass
class DemoSummary:
    """What ``build_demo_city`` made (or ``already_loaded`` when nothing was done)."""

    already_loaded: bool = False
    seed: int = DEFAULT_SEED
    org_units: int = 0
    people: int = 0
    work_lines: int = 0
    leader_assignments: int = 0
    agreements: int = 0
    grids: dict[int, int] = field(default_factory=dict)
    site_types: int = 0
    site_type_groups: int = 0
    sites: int = 0
    sites_outside: int = 0
    standards: str = ""
    problems: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = DEMO_PASSWORD
    seconds: float = 0.0


class _Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


class _People:
    """Invents people and saves them in bulk."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:people")
        self.pending: list[Person] = []
        self.count = 0

    def new(self, unit: OrgUnit, position: str) -> Person:
        person = Person(
            name=names.person_name(self.rng),
            unit=unit,
            position=position,
            phone=names.phone_number(self.rng),
        )
        self.pending.append(person)
        return person

    def flush(self) -> None:
        Person.objects.bulk_create(self.pending, batch_size=500)
        self.count += len(self.pending)
        self.pending = []


class _Builder:
    def __init__(self, plan: CityPlan, seed: int, stdout: _Writer | None) -> None:
        self.plan = plan
        self.seed = seed
        self.stdout = stdout
        self.units: dict[str, OrgUnit] = {}
        self.people = _People(seed)
        self.summary = DemoSummary(seed=seed)
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"[{time.monotonic() - self.started:5.1f}s] {message}\n")

    # --- organisation -------------------------------------------------------------------

    def build_units(self) -> None:
        for row in division_units():
            extra = {k: row[k] for k in ("short_name", "sort_order") if k in row}
            self.units[row["code"]] = create_org_unit(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                parent=self.units.get(row["parent"]),
                **extra,
            )
        city = self.units[CITY_CODE]
        code, name, _position = OFFICE
        self.units[code] = create_org_unit(
            code=code,
            name=name,
            kind=OrgUnitKind.OTHER,
            parent=city,
            sort_order=100,
            short_name="创卫办",
        )
        for order, (code, name, _position) in enumerate(DEPARTMENTS, start=101):
            self.units[code] = create_org_unit(
                code=code, name=name, kind=OrgUnitKind.DEPARTMENT, parent=city, sort_order=order
            )
        self.summary.org_units = len(self.units)
        self.say(f"{len(self.units)} org units")

    def build_heads(self) -> None:
        """A head and a liaison for every district, zone, street, town and department."""
        positions = {code: position for code, _name, position in (OFFICE, *DEPARTMENTS)}
        staffed = [u for u in self.units.values() if u.kind in POSITIONS and u.depth in (1, 2)]
        for unit in staffed:
            head, liaison = POSITIONS[unit.kind]
            unit.head = self.people.new(unit, positions.get(unit.code, head))
            unit.liaison = self.people.new(unit, liaison)
        self.people.flush()
        for unit in staffed:
            unit.head_id = unit.head.pk if unit.head else None
            unit.liaison_id = unit.liaison.pk if unit.liaison else None
        OrgUnit.objects.bulk_update(staffed, ["head", "liaison"], batch_size=500)

    def build_leaders(self) -> None:
        city = self.units[CITY_CODE]
        leaders = [self.people.new(city, position) for position in names.CITY_LEADER_POSITIONS]
        self.people.flush()
        LeaderAssignment.objects.bulk_create(
            LeaderAssignment(
                leader=leader, unit=self.units[area], start_date=date(YEAR, 1, 1), note="帮包"
            )
            for leader, area in zip(leaders, LEADER_AREAS, strict=True)
        )
        self.leaders = dict(zip(LEADER_AREAS, leaders, strict=True))
        self.summary.leader_assignments = len(leaders)

    def build_agreements(self) -> None:
        signers = [
            u
            for u in self.units.values()
            if u.kind in (OrgUnitKind.DISTRICT, OrgUnitKind.ZONE, OrgUnitKind.DEPARTMENT)
            and u.depth == 1
        ]
        rows = [
            ResponsibilityAgreement(
                unit=unit,
                year=YEAR,
                title=f"{YEAR}年度创建国家卫生城市目标责任书（{unit.name}）",
                targets=_targets(unit),
                closure_rate_target=Decimal("95.00")
                if unit.kind != OrgUnitKind.DEPARTMENT
                else Decimal("90.00"),
                signed_on=date(YEAR, 1, 15),
            )
            for unit in signers
        ]
        ResponsibilityAgreement.objects.bulk_create(rows)
        self.summary.agreements = len(rows)

    def build_work_lines(self) -> None:
        for order, (code, name, lead, members, duties) in enumerate(WORK_LINES, start=1):
            line = WorkLine.objects.create(
                code=code,
                name=name,
                lead_department=self.units[lead],
                responsibilities=duties,
                sort_order=order,
            )
            line.member_departments.set([self.units[m] for m in members])
        self.summary.work_lines = len(WORK_LINES)

    # --- places -------------------------------------------------------------------------

    def build_site_types(self) -> None:
        types = SiteType.objects.bulk_create(
            SiteType(code=spec.code, name=spec.name, sort_order=order)
            for order, spec in enumerate(SITE_TYPES, start=1)
        )
        self.site_types = {t.code: t for t in types}
        for code, name, members in SITE_TYPE_GROUPS:
            group = SiteTypeGroup.objects.create(
                code=code, name=name, description="演示默认组合，可按本市口径调整"
            )
            group.site_types.set([self.site_types[m] for m in members])
        self.summary.site_types = len(types)
        self.summary.site_type_groups = len(SITE_TYPE_GROUPS)

    def build_grids(self) -> None:
        """Grids through ``save_grid``; a community head leads each small grid."""
        rng = random.Random(f"{self.seed}:grid-workers")
        smalls = self.plan.grids.by_level(3)
        community_heads: dict[str, Person] = {}
        workers: dict[str, list[Person]] = {}
        for plan in smalls:
            unit = self.units[plan.unit_code]
            if unit.head is None and plan.unit_code not in community_heads:
                secretary = "村党支部书记" if unit.kind == OrgUnitKind.VILLAGE else "社区党委书记"
                community_heads[plan.unit_code] = self.people.new(unit, f"{secretary}（网格长）")
            workers[plan.code] = [
                self.people.new(unit, "专职网格员") for _ in range(rng.choice((1, 2, 2)))
            ]
        self.people.flush()
        for code, person in community_heads.items():
            self.units[code].head = person
        OrgUnit.objects.bulk_update(
            [self.units[code] for code in community_heads], ["head"], batch_size=500
        )
        grids: dict[str, Grid] = {}
        through = Grid.workers.through
        links = []
        # The city's grids are written together, like one import file: each is checked against
        # the grids stored before (none in a fresh demo), not against the ones just written.
        bounds = city_bounds()
        for plan in self.plan.grids.grids:
            unit = self.units[plan.unit_code]
            grid = Grid(
                code=plan.code,
                name=plan.name,
                level=plan.level,
                unit=unit,
                parent=grids.get(plan.parent_code or ""),
                geometry=plan.geometry,
                leader=unit.head,
            )
            grids[plan.code] = save_grid(grid, bounds=bounds)
            links += [through(grid_id=grid.pk, person_id=p.pk) for p in workers.get(plan.code, [])]
        through.objects.bulk_create(links)
        self.grids = grids
        self.workers = workers
        self.summary.grids = dict(Counter(g.level for g in grids.values()))
        self.say(f"{len(grids)} grids, {len(links)} grid workers")

    def build_sites(self) -> None:
        plans = self.plan.sites
        located = grid_index().locate_many([s.lng for s in plans], [s.lat for s in plans])
        grid_units = {g.pk: g.unit for g in self.grids.values()}
        specs = {spec.code: spec for spec in SITE_TYPES}
        rows = []
        for plan, grid_id in zip(plans, located, strict=True):
            spec = specs[plan.type_code]
            unit = grid_units[grid_id] if grid_id else self.units[plan.district_code]
            rows.append(
                Site(
                    code=plan.code,
                    name=plan.name,
                    site_type=self.site_types[plan.type_code],
                    address=plan.address,
                    lng=plan.lng,
                    lat=plan.lat,
                    grid_id=grid_id,
                    outside_grid=grid_id is None,
                    unit=unit,
                    supervising_department=self.units[spec.department],
                    frontage_party=_frontage_party(plan.name, plan.type_code, unit),
                    contact_name=plan.contact_name,
                    contact_phone=plan.contact_phone,
                    licence_no=plan.licence_no,
                    status=plan.status,
                )
            )
        Site.objects.bulk_create(rows, batch_size=1000)
        self.summary.sites = len(rows)
        self.summary.sites_outside = sum(1 for g in located if g is None)
        self.say(f"{len(rows)} sites ({self.summary.sites_outside} outside every grid)")

    # --- logins -------------------------------------------------------------------------

    def build_users(self) -> None:
        """One login per role; the same password hash for all keeps the build fast."""
        password = make_password(DEMO_PASSWORD)
        city, office = self.units[CITY_CODE], self.units[OFFICE[0]]
        street = self.units[STREET_OF_HANDLER]
        grid_plan = next(
            g
            for g in self.plan.grids.by_level(3)
            if self.units[g.unit_code].path.startswith(street.path)
        )
        grid_person = self.workers[grid_plan.code][0]
        inspector = self.people.new(office, "督查员")
        supervisor = self.people.new(office, "特约监督员")
        self.people.flush()
        plan: list[tuple[str, str, OrgUnit, Person | None]] = [
            ("admin", Role.ADMIN, city, None),
            ("office", Role.OFFICE, office, office.liaison),
            ("inspector", Role.INSPECTOR, city, inspector),
            ("handler_szq", Role.HANDLER, self.units["370402"], self.units["370402"].liaison),
            ("handler_street", Role.HANDLER, street, street.liaison),
            ("handler_cg", Role.HANDLER, self.units["D-CG"], self.units["D-CG"].liaison),
            ("grid", Role.GRID_WORKER, self.units[grid_plan.unit_code], grid_person),
            ("leader", Role.LEADER, self.units["370402"], self.leaders["370402"]),
            ("supervisor", Role.SUPERVISOR, city, supervisor),
        ]
        for username, role, unit, person in plan:
            user = User(
                username=username,
                password=password,
                display_name=person.name if person else "系统管理员",
                phone=person.phone if person else "",
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.save()
            grant_membership(user, unit=unit, role=role)
            if person is not None:
                Person.objects.filter(pk=person.pk).update(user=user)
            self.summary.logins.append(DemoLogin(username, str(role), unit.name, user.display_name))

    def load_standards(self) -> None:
        try:
            from chuangwei.standards.loaders import load_all
        except ImportError:  # the standards app ships its loader separately
            self.summary.standards = "standards loader not available"
            return
        try:
            results = load_all()
        except DomainError as exc:
            # A broken data file must not cost the whole demo; the loader rolled itself back.
            self.summary.standards = f"standards not loaded: {exc.message}"
            self.say(self.summary.standards)
            return
        self.summary.standards = ", ".join(
            f"{r.path.rsplit('/', 1)[-1]}: {sum(r.created.values())} created" for r in results
        )
        self.say(f"standards: {self.summary.standards}")


def _targets(unit: OrgUnit) -> str:
    if unit.kind == OrgUnitKind.DEPARTMENT:
        return "\n".join(
            (
                "1. 牵头或配合完成本部门承担的国家卫生城市标准条款及台账资料；",
                "2. 交办问题按期结案率不低于90%，返工率不高于5%；",
                "3. 本行业重点场所暗访合格率达到95%以上；",
                "4. 每月报送专线工作进展，按时参加创卫办调度会。",
            )
        )
    return "\n".join(
        (
            "1. 落实属地责任，辖区街道、社区网格全覆盖，网格员在岗率100%；",
            "2. 问题按期结案率不低于95%，反弹率不高于3%；",
            "3. 农贸市场、背街小巷、城中村、老旧小区等重点区域达到国家卫生城市标准；",
            "4. 群众对城市卫生状况满意率达到90%以上。",
        )
    )


_PUBLIC_TYPES = frozenset(
    {
        "public_toilet",
        "back_lane",
        "main_road",
        "urban_village",
        "park_square",
        "river",
        "transfer_station",
    }
)


def _frontage_party(name: str, type_code: str, unit: OrgUnit) -> str:
    """Who answers for 门前三包: the place itself, or its unit for public spaces."""
    return unit.name if type_code in _PUBLIC_TYPES else name


DEMO_USERNAMES = (
    "admin",
    "office",
    "inspector",
    "handler_szq",
    "handler_street",
    "handler_cg",
    "grid",
    "leader",
    "supervisor",
)


def demo_logins() -> list[DemoLogin]:
    """The demo logins present in the database, in the documented order."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
            "memberships__unit"
        )
    }
    logins = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        membership = next(iter(user.memberships.all()), None)
        logins.append(
            DemoLogin(
                username,
                membership.role if membership else "",
                membership.unit.name if membership else "",
                str(user),
            )
        )
    return logins


def demo_loaded() -> bool:
    """True when the demo city (unit code 3704) is already in the database."""
    return OrgUnit.objects.filter(code=CITY_CODE).exists()


def build_demo_city(
    seed: int = DEFAULT_SEED,
    sites: int = DEFAULT_SITES,
    stdout: _Writer | None = None,
    problems: bool = True,
) -> DemoSummary:
    """Build the whole demo city in one transaction; all or nothing.

    Returns ``DemoSummary(already_loaded=True)`` and changes nothing when the city is
    already there. Raises DemoDatabaseNotEmpty when other org units exist. With
    ``problems`` it also fills the ledger (``demo/problems``).
    """
    if demo_loaded():
        return DemoSummary(already_loaded=True, seed=seed)
    if OrgUnit.objects.exists():
        raise DemoDatabaseNotEmpty()
    plan = plan_city(seed, sites)
    builder = _Builder(plan, seed, stdout)
    with transaction.atomic():
        builder.build_units()
        builder.build_heads()
        builder.build_leaders()
        builder.build_agreements()
        builder.build_work_lines()
        builder.build_site_types()
        builder.build_grids()
        builder.build_sites()
        builder.build_users()
        builder.say("people and logins")
        builder.load_standards()
        if problems:  # the ledger needs the city, the logins and the categories above
            size = ledger_size(sites, DEFAULT_SITES)
            builder.summary.problems = build_demo_problems(seed=seed, stdout=stdout, **size)
            builder.say(f"{builder.summary.problems} problems in the ledger")
            insp = build_demo_inspections(seed=seed, password=DEMO_PASSWORD)
            builder.say(
                f"{insp.tasks} inspections, {insp.deductions} deductions, {insp.checkins} check-ins"
            )
            from .open311 import DEMO_KEY, build_demo_open311

            made = build_demo_open311(seed=seed)
            builder.say(f"{made} Open311 service requests; demo api_key {DEMO_KEY}")
            public = build_demo_public(seed=seed)
            builder.say(f"public side: {public}")
            from .rankings import build_demo_rankings

            builder.say(f"{build_demo_rankings(seed=seed)} ranking snapshots")
            builder.say(f"{build_demo_briefings()} briefings and the campaign milestones")
            from .readiness import build_demo_readiness

            builder.say(f"readiness: {build_demo_readiness(seed=seed)}")
    summary = builder.summary
    summary.people = builder.people.count
    summary.seconds = round(time.monotonic() - builder.started, 1)
    return summary
