"""Row makers for the list tests: one row of a model per org unit named.

``make(world, at)`` creates one row for each unit key in ``at`` (``"street_a"``,
``"community_b"``, ``"department"`` …) and returns the rows in that order. The query-count
pins (test_list_queries.py) call it with the same unit three and six times; the read
matrix (test_api_read_matrix.py) with every unit once, and names each row by its unit.

Rows get their own related rows (a site its own type, a work line its own departments), so
a list that loads a relation per row shows up as a count that grows with the rows.
``world`` is the ledger fixture: the org tree, the personas, grids GA (甲一社区) and GB
(乙一社区), the category 06010 and the work line WL-CG.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 18, 10, 0, tzinfo=SH)
UNITS = ("city", "district", "street_a", "community_a", "street_b", "community_b", "department")
# A point inside a grid of each unit's territory (GA lies in 甲一社区, GB in 乙一社区).
POINT = {"a": (117.305, 34.805), "b": (117.325, 34.805)}

_seq = itertools.count(1)


def seq() -> int:
    return next(_seq)


def side(unit: str) -> str:
    """Which grid's side a unit's rows sit on: 乙 for 乙街道's subtree, else 甲."""
    return "b" if unit.endswith("_b") else "a"


def point_of(unit: str, n: int = 0) -> tuple[float, float]:
    lng, lat = POINT[side(unit)]
    return (lng + 0.0001 * (n % 50), lat + 0.0001 * (n // 50 % 50))


# Accounts -------------------------------------------------------------------------------


def users(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A user with a handler membership of each unit."""
    from chuangwei.accounts.models import Membership, User

    made = []
    for unit in at:
        n = seq()
        user = User.objects.create_user(username=f"u{n}", password="x", display_name=f"用户{n}")
        Membership.objects.create(user=user, unit=w[unit], role="handler")
        made.append(user)
    return made


def memberships(w: dict[str, Any], at: list[str]) -> list[Any]:
    return [user.memberships.get() for user in users(w, at)]


# Organisation ---------------------------------------------------------------------------


def org_units(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A new unit under each unit named (the new unit is in the same subtrees)."""
    from chuangwei.org.services import create_org_unit

    made = []
    for unit in at:
        n = seq()
        kind = "department" if unit == "department" else "community"
        made.append(create_org_unit(code=f"OU{n}", name=f"单位{n}", kind=kind, parent=w[unit]))
    return made


def departments(n: int) -> list[Any]:
    from chuangwei.org.services import create_org_unit

    return [
        create_org_unit(code=f"D{k}", name=f"部门{k}", kind="department")
        for k in (seq() for _ in range(n))
    ]


def work_lines(w: dict[str, Any], at: list[str]) -> list[Any]:
    """Shared configuration: each line has its own lead and two member departments."""
    from chuangwei.org.models import WorkLine

    made = []
    for _unit in at:
        n = seq()
        lead, *members = departments(3)
        line = WorkLine.objects.create(code=f"WL{n}", name=f"专线{n}", lead_department=lead)
        line.member_departments.set(members)
        made.append(line)
    return made


def people(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.org.models import Person

    made = []
    for unit in at:
        n = seq()
        user = users(w, [unit])[0]
        made.append(Person.objects.create(name=f"人员{n}", unit=w[unit], user=user))
    return made


def leader_assignments(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.org.models import LeaderAssignment

    return [
        LeaderAssignment.objects.create(leader=person, unit=w[unit])
        for unit, person in zip(at, people(w, at), strict=True)
    ]


def agreements(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.org.models import ResponsibilityAgreement

    return [
        ResponsibilityAgreement.objects.create(unit=w[unit], year=2000 + n, title=f"责任书{n}")
        for unit, n in ((unit, seq()) for unit in at)
    ]


# Places ---------------------------------------------------------------------------------


def grids(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A small grid of each unit, away from GA and GB, with a leader and two workers."""
    from chuangwei.places.tests.factories import GridFactory

    made = []
    for unit in at:
        n = seq()
        # Inside the city's bounds (GA/GB + 20 km), apart from GA and GB and from each other.
        lng, lat = 117.40 + 0.006 * (n % 20), 34.90 + 0.006 * (n // 20 % 10)
        grid = GridFactory(unit=w[unit], bounds=(lng, lat, lng + 0.005, lat + 0.005))
        grid.leader = people(w, [unit])[0]
        grid.save(update_fields=["leader"])
        grid.workers.set(people(w, [unit, unit]))
        made.append(grid)
    return made


def site_types(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.places.tests.factories import SiteTypeFactory

    return [SiteTypeFactory() for _unit in at]


def site_type_groups(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.places.models import SiteTypeGroup

    made = []
    for unit in at:
        n = seq()
        group = SiteTypeGroup.objects.create(code=f"STG{n}", name=f"类型组{n}")
        group.site_types.set(site_types(w, [unit, unit]))
        made.append(group)
    return made


def sites(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A site of each unit with its own type and supervising department, in GA or GB."""
    from chuangwei.places.tests.factories import SiteFactory

    made = []
    for unit in at:
        n = seq()
        lng, lat = point_of(unit, n)
        made.append(
            SiteFactory(
                unit=w[unit],
                site_type=site_types(w, [unit])[0],
                supervising_department=departments(1)[0],
                lng=lng,
                lat=lat,
            )
        )
    return made


# Standards ------------------------------------------------------------------------------


def versions(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.standards.models import StandardVersion

    return [
        StandardVersion.objects.create(code=f"V{n}", name=f"标准{n}", year=2026)
        for n in (seq() for _unit in at)
    ]


def clauses(w: dict[str, Any], at: list[str]) -> list[Any]:
    """An article under its own aspect of its own version, led by its own work line."""
    from chuangwei.standards.models import StandardClause
    from chuangwei.standards.services import save_standard_clause

    made = []
    for unit in at:
        version = versions(w, [unit])[0]
        aspect = save_standard_clause(
            StandardClause(version=version, level="aspect", number="一", title="方面"), by=None
        )
        line = work_lines(w, [unit])[0]
        made.append(
            save_standard_clause(
                StandardClause(
                    version=version,
                    parent=aspect,
                    level="article",
                    number=f"{seq()}",
                    title="条款",
                    lead_work_line=line,
                ),
                by=None,
            )
        )
    return made


def indicators(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.standards.models import Indicator

    made = []
    for clause in clauses(w, at):
        n = seq()
        made.append(
            Indicator.objects.create(
                version=clause.version,
                clause=clause,
                code=f"I{n}",
                name=f"指标{n}",
                comparator="gte",
                threshold=90,
                unit="%",
            )
        )
    return made


def indicator_values(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.standards.models import IndicatorValue

    return [
        IndicatorValue.objects.create(
            indicator=indicator, year=2026, unit=w[unit], numerator=95, denominator=100
        )
        for unit, indicator in zip(at, indicators(w, at), strict=True)
    ]


def categories(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A category under its own parent, with its own work line and department."""
    from chuangwei.standards.models import ProblemCategory
    from chuangwei.standards.services import save_problem_category

    made = []
    for unit in at:
        n = seq()
        parent = save_problem_category(
            ProblemCategory(kind="matter", code=f"P{n}", name=f"大类{n}"), by=None
        )
        made.append(
            save_problem_category(
                ProblemCategory(
                    kind="matter",
                    code=f"C{n}",
                    name=f"小类{n}",
                    parent=parent,
                    default_work_line=work_lines(w, [unit])[0],
                    default_department=departments(1)[0],
                    deadline_amount=2,
                    deadline_unit="work_days",
                ),
                by=None,
            )
        )
    return made


# Notifications --------------------------------------------------------------------------


def notifications_for(persona: str):  # type: ignore[no-untyped-def]
    def make(w: dict[str, Any], at: list[str]) -> list[Any]:
        from chuangwei.notifications.tests.factories import NotificationFactory

        return [NotificationFactory(recipient=w[persona]) for _unit in at]

    return make


def outbox_messages(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A message to a user of each unit."""
    from chuangwei.notifications.tests.factories import OutboxMessageFactory

    return [OutboxMessageFactory(recipient=user) for user in users(w, at)]


# Problems -------------------------------------------------------------------------------


def problems(w: dict[str, Any], at: list[str], **fields: Any) -> list[Any]:
    """A problem of each unit (department: a problem of 乙一社区 dispatched to 市城管局),
    with a photo; written straight into the ledger, as a migration or import would."""
    from chuangwei.places.models import Grid
    from chuangwei.problems.models import Problem, ProblemEvent

    grid = {g.code: g for g in Grid.objects.filter(code__in=["GA", "GB"])}
    made = []
    for unit in at:
        n = seq()
        territory = "community_b" if unit == "department" else unit
        lng, lat = point_of(territory, n)
        values: dict[str, Any] = {
            "code": f"WT-2026-{n:06d}",
            "tracking_code": f"T{n:09d}",
            "source": "grid_patrol",
            "category": w["category"],
            "lng": lng,
            "lat": lat,
            "unit": w[territory],
            "department": w["department"] if unit == "department" else None,
            "grid": grid["GB" if side(territory) == "b" else "GA"],
            "status": "dispatched",
            "reported_at": NOW - timedelta(days=2),
            "dispatched_at": NOW - timedelta(days=1),
            "due_at": NOW + timedelta(days=1),
        }
        values.update(fields)
        problem = Problem.objects.create(**values)
        ProblemEvent.objects.create(
            problem=problem, action="report", to_status="reported", created_at=values["reported_at"]
        )
        made.append(problem)
    return made


def overdue_problems(w: dict[str, Any], at: list[str]) -> list[Any]:
    return problems(w, at, due_at=NOW - timedelta(hours=1))


def problem_events(w: dict[str, Any], at: list[str]) -> list[Any]:
    """The report event of a problem of each unit."""
    return [p.events.get() for p in problems(w, at)]


def calendar_days(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.problems.models import CalendarDay

    return [
        CalendarDay.objects.create(date=date(2031, 1, 1) + timedelta(days=seq()), is_workday=False)
        for _unit in at
    ]


def deadline_rules(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.problems.models import DeadlineRule

    return [
        DeadlineRule.objects.create(category=c, severity="major", amount=1, unit="work_days")
        for c in categories(w, at)
    ]


def photo_of(problem: Any, kind: str = "before") -> Any:
    """A stored photo of ``problem`` (MEDIA_ROOT is the test's tmp_path, set by ``ledger``)."""
    from chuangwei.problems import photos
    from chuangwei.problems.tests.images import make_jpeg, uploaded

    return photos.store_photo(problem, uploaded(make_jpeg(80, 64)), kind=kind, by=None, now=NOW)


def problems_with_photos(w: dict[str, Any], at: list[str]) -> list[Any]:
    made = problems(w, at)
    for problem in made:
        photo_of(problem)
    return made


# Inspections ----------------------------------------------------------------------------

BANDS = [
    {"label": "好", "low": "17.5", "high": "20"},
    {"label": "差", "low": "0", "high": "17"},
]


def sheets(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A published sheet of its own site type: one part with one banded item."""
    from chuangwei.inspections import services
    from chuangwei.inspections.models import ScoreSheet, SheetItem

    made = []
    for unit in at:
        n = seq()
        sheet = ScoreSheet.objects.create(
            code=f"SH{n}", name=f"测评表{n}", site_type=site_types(w, [unit])[0]
        )
        part = SheetItem.objects.create(
            sheet=sheet, number="1", title="环境", points=20, mode="group"
        )
        SheetItem.objects.create(
            sheet=sheet,
            parent=part,
            number="1.1",
            title="面貌",
            points=20,
            mode="band",
            bands=BANDS,
        )
        made.append(services.publish_sheet(sheet))
    return made


def tasks(w: dict[str, Any], at: list[str], *, submitted: bool = True) -> list[Any]:
    """A mock covert inspection of a site of each unit by the inspector; submitted (so the
    units it covers see it) unless told otherwise."""
    from chuangwei.inspections import services
    from chuangwei.inspections.models import SiteResult

    made = []
    for unit in at:
        site = sites(w, [unit])[0]
        sheet = sheets(w, [unit])[0]
        task = services.create_task(
            name=f"暗访{seq()}",
            kind="mock_covert",
            planned_date=NOW.date(),
            sites=[site],
            team=[w["inspector"]],
            scope_units=[w[unit]],
            sheet=sheet,
            by=w["office"],
            now=NOW,
        )
        if submitted:
            result = SiteResult.objects.get(task=task)
            item = sheet.items.get(mode="band")
            services.record_band(result, item, band="好", by=w["inspector"], now=NOW)
            services.finish_result(result, by=w["inspector"], now=NOW)
            task = services.submit_task(task, by=w["inspector"], now=NOW)
        made.append(task)
    return made


def planned_tasks(w: dict[str, Any], at: list[str]) -> list[Any]:
    return tasks(w, at, submitted=False)


def site_results(w: dict[str, Any], at: list[str]) -> list[Any]:
    return [task.results.get() for task in tasks(w, at)]


def draws(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.inspections.models import SamplingDraw

    return [
        SamplingDraw.objects.create(
            code=f"CY{n}", name=f"抽样{n}", seed=n, drawn_at=NOW, drawn_by=w["office"]
        )
        for n in (seq() for _unit in at)
    ]


def checkins(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A check-in in a grid of each unit by that grid's worker."""
    from chuangwei.inspections.models import PatrolCheckin

    made = []
    for grid in grids(w, at):
        made.append(
            PatrolCheckin.objects.create(
                worker=grid.workers.first().user,
                grid=grid,
                lng=grid.bbox_min_lng + 0.001,
                lat=grid.bbox_min_lat + 0.001,
                at=NOW,
            )
        )
    return made


# Rankings -------------------------------------------------------------------------------


def schemes(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.rankings.models import RankingScheme

    return [
        RankingScheme.objects.create(name=f"方案{seq()}", object_kind="community") for _unit in at
    ]


def snapshots(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A draft ranking of its own scheme for March 2026 (every signed-in user reads them)."""
    from chuangwei.rankings.models import RankingSnapshot

    return [
        RankingSnapshot.objects.create(
            scheme=scheme,
            object_kind="community",
            period_kind="month",
            start=date(2026, 3, 1),
            end=date(2026, 3, 31),
            label="2026年3月",
            computed_at=NOW,
        )
        for scheme in schemes(w, at)
    ]


def accountability_records(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A 通报批评 of each unit naming a person, a snapshot and two problems."""
    from chuangwei.rankings.models import AccountabilityRecord

    made = []
    for unit, person, snapshot in zip(at, people(w, at), snapshots(w, at), strict=True):
        record = AccountabilityRecord.objects.create(
            kind="circulate",
            unit=w[unit],
            person=person,
            reason="整改不力",
            issued_on=NOW.date(),
            snapshot=snapshot,
            created_by=w["office"],
        )
        record.problems.set(problems(w, [unit, unit]))
        made.append(record)
    return made


# Reports --------------------------------------------------------------------------------


def briefings(w: dict[str, Any], at: list[str], *, status: str = "published") -> list[Any]:
    from chuangwei.reports.models import Briefing

    made = []
    for _unit in at:
        n = seq()
        values: dict[str, Any] = {
            "kind": "special",
            "masthead": "创卫工作简报",
            "office": "市创卫办",
            "headline": f"简报{n}",
            "period_start": date(2026, 3, 1),
            "period_end": date(2026, 3, 15),
            "status": status,
            "created_by": w["office"],
        }
        if status == "published":
            values.update(
                year=2026,
                year_number=n,
                total_number=n,
                issue_date=NOW.date(),
                published_at=NOW,
                published_by=w["office"],
            )
        made.append(Briefing.objects.create(**values))
    return made


def draft_briefings(w: dict[str, Any], at: list[str]) -> list[Any]:
    return briefings(w, at, status="draft")


def milestones(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.reports.models import Milestone

    return [
        Milestone.objects.create(name=f"节点{n}", date=date(2026, 6, 1) + timedelta(days=n))
        for n in (seq() for _unit in at)
    ]


# Public ---------------------------------------------------------------------------------


def public_categories(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.public.models import PublicCategory

    return [
        PublicCategory.objects.create(category=category, name=category.name)
        for category in categories(w, at)
    ]


def exposures(w: dict[str, Any], at: list[str], *, decision: str = "approve") -> list[Any]:
    """A problem of each unit proposed for the 曝光台 with a photo, and approved."""
    from chuangwei.public import services

    made = []
    for problem in problems_with_photos(w, at):
        exposure = services.propose_exposure(problem, title=f"曝光{seq()}", by=w["office"], now=NOW)
        if decision:
            exposure = services.moderate_exposure(
                exposure, decision=decision, by=w["office"], now=NOW
            )
        made.append(exposure)
    return made


def pending_exposures(w: dict[str, Any], at: list[str]) -> list[Any]:
    return exposures(w, at, decision="")


def ratings(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A citizen's rating of a closed problem of each unit."""
    from chuangwei.public.models import SatisfactionRating

    closed = problems(w, at, status="closed", closed_at=NOW, closed_on_time=True)
    return [
        SatisfactionRating.objects.create(
            problem=p, closed_at=NOW, level="satisfied", created_at=NOW
        )
        for p in closed
    ]


def surveys(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.public import services

    return [
        services.create_survey(
            title=f"问卷{seq()}",
            kind="support",
            status="open",
            questions=[("支持创卫吗", [("支持", True), ("不支持", False)])],
            by=w["office"],
        )
        for _unit in at
    ]


def polls(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.public import services

    return [
        services.create_poll(
            title=f"投票{seq()}", options=["甲", "乙"], status="open", by=w["office"]
        )
        for _unit in at
    ]


# Open311 --------------------------------------------------------------------------------


def open311_clients(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.open311 import services
    from chuangwei.open311.models import Open311Client

    return [
        services.create_client(Open311Client(name=f"应用{seq()}"), by=w["admin"])[0] for _unit in at
    ]


def service_attributes(w: dict[str, Any], at: list[str]) -> list[Any]:
    from chuangwei.open311 import services
    from chuangwei.open311.models import ServiceAttribute

    return [
        services.save_attribute(
            ServiceAttribute(
                category=category, code=f"a{seq()}", datatype="string", description="说明"
            ),
            by=w["office"],
        )
        for category in public_services(w, at)
    ]


def public_services(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A category offered to Open311 clients."""
    from chuangwei.standards.services import save_problem_category

    made = categories(w, at)
    for category in made:
        category.public_name = category.name
        category.is_public = True
        save_problem_category(category, by=None)
    return made


def service_requests(w: dict[str, Any], at: list[str]) -> list[Any]:
    """Problems (with a photo) of a category offered as an Open311 service."""
    from chuangwei.standards.services import save_problem_category

    category = w["category"]
    if not category.is_public:
        category.public_name, category.is_public = category.name, True
        save_problem_category(category, by=None)
    return problems_with_photos(w, at)


def problems_losing_points(w: dict[str, Any], at: list[str]) -> list[Any]:
    return problems(w, at, points_lost=Decimal("1.5"))


# Readiness ----------------------------------------------------------------------------------


def condition_events(w: dict[str, Any], at: list[str]) -> list[Any]:
    """One veto event against each unit named (one veto clause of a fresh version)."""
    from chuangwei.readiness.models import ConditionEvent
    from chuangwei.standards.models import StandardClause, StandardVersion
    from chuangwei.standards.services import save_standard_clause

    version = StandardVersion.objects.create(code=f"VETO{seq()}", name="否决项", year=2026)
    clause = save_standard_clause(
        StandardClause(version=version, level="aspect", number="一", title="否决", is_veto=True),
        by=None,
    )
    return [
        ConditionEvent.objects.create(
            clause=clause,
            unit=w[unit],
            year=2026,
            occurred_on=date(2026, 5, seq() % 28 + 1),
            title=f"事件{unit}",
        )
        for unit in at
    ]


# Readiness: evaluation cycles (helper "cycle") ----------------------------------------------


def _cycle_version() -> Any:
    from chuangwei.standards.models import StandardVersion

    return StandardVersion.objects.create(code=f"CYC{seq()}", name="周期标准", year=2026)


def cycles(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A cycle (with no stages) per unit named; cycles are shared, not tied to a unit."""
    from chuangwei.readiness.models import EvaluationCycle

    version = _cycle_version()
    return [
        EvaluationCycle.objects.create(
            kind="review", name=f"复审{n}", start_year=2025, end_year=2027,
            standard_version=version, created_at=NOW,
        )
        for n in (seq() for _unit in at)
    ]  # fmt: skip


def stages(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A stage per unit named (owned by that unit), all in one new cycle."""
    from chuangwei.readiness.models import EvaluationStage

    cycle = cycles(w, ["city"])[0]
    return [
        EvaluationStage.objects.create(
            cycle=cycle, kind="covert", name=f"国家暗访{n}", due_on=date(2026, 6, 1),
            owner=w[unit], sort_order=n, created_at=NOW,
        )
        for unit, n in ((unit, seq()) for unit in at)
    ]  # fmt: skip


def stage_problems(w: dict[str, Any], at: list[str]) -> list[Any]:
    """An item of a stage's list per unit named: its problem (rows.problems) linked to one
    stage, numbered."""
    from chuangwei.readiness.models import StageProblem

    stage = stages(w, ["city"])[0]
    return [
        StageProblem.objects.create(
            stage=stage, problem=problem, item_no=str(seq()), created_at=NOW
        )
        for problem in problems(w, at)
    ]


def recheck_rounds(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A 回头看 round per unit named, all over one stage."""
    from chuangwei.readiness.models import RecheckRound

    stage = stages(w, ["city"])[0]
    return [
        RecheckRound.objects.create(
            stage=stage, name=f"回头看{n}", held_on=date(2026, 3, 10), created_at=NOW
        )
        for n in (seq() for _unit in at)
    ]


def evidence_requirements(w: dict[str, Any], at: list[str]) -> list[Any]:
    """A requirement kept by each unit named (one item of a fresh version, the unit named)."""
    from chuangwei.readiness.models import EvidenceRequirement
    from chuangwei.standards.models import StandardClause, StandardVersion
    from chuangwei.standards.services import save_standard_clause

    version = StandardVersion.objects.create(code=f"DOS{seq()}", name="台账", year=2026)
    item = save_standard_clause(
        StandardClause(version=version, level="item", number="1", title="小项"), by=None
    )
    made = []
    for unit in at:
        requirement = EvidenceRequirement.objects.create(
            clause=item, title=f"材料{seq()}", frequency="yearly"
        )
        requirement.units.add(w[unit])
        made.append(requirement)
    return made


def evidence_records(w: dict[str, Any], at: list[str]) -> list[Any]:
    """One pending evidence record of each unit named (its own requirement)."""
    from chuangwei.readiness.models import Evidence

    return [
        Evidence.objects.create(
            requirement=requirement,
            unit=w[unit],
            period="2026",
            year=2026,
            submitted_at=NOW,
            created_at=NOW,
        )
        for unit, requirement in zip(at, evidence_requirements(w, at), strict=True)
    ]
