"""The plan of the demo ledger: every problem, decided before anything is saved, and the
timed steps of each problem's life. Deterministic for a seed and ``now``; no writes."""

from __future__ import annotations

import random
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chuangwei.accounts.models import User
from chuangwei.demo import names
from chuangwei.lib import geo, workcal
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Grid, Site
from chuangwei.places.services import grid_index
from chuangwei.problems import deadlines
from chuangwei.problems.choices import CONFIRMED_SOURCES
from chuangwei.problems.choices import ProblemAction as A
from chuangwei.problems.choices import ProblemSource as Src
from chuangwei.standards.choices import DeadlineUnit
from chuangwei.standards.models import ProblemCategory

from .texts import (
    CATEGORY_MIX,
    DESCRIPTIONS,
    EXTENSION_REASONS,
    FAIL_REASONS,
    GENERIC_DESCRIPTIONS,
    MEDIA_OUTLETS,
    PAUSE_REASONS,
    SITE_CATEGORIES,
    SOURCE_MIX,
    STREET_SITE_TYPES,
    SUBMIT_NOTES,
    VOID_REASONS,
)

DEFAULT_MONTHS = 6
DEFAULT_PER_DAY = 25
SERVICE_DAYS = 14
PHOTO_PROBLEMS = 300
PHOTO_SIZE = (640, 480)
HANDLER_STREET = "370402006"  # 光明路街道: the street of the handler and grid logins
HANDLER_DISTRICT = "370402"  # 市中区
HANDLER_DEPARTMENT = "D-CG"

# Fates: how a problem's life ends (if ``now`` does not cut it short first).
CLOSED, LATE, REWORK, EXTENDED = "closed", "late", "rework", "extended"
VOIDED, MERGED, PAUSED, RESUMED, STUCK = "voided", "merged", "paused", "resumed", "stuck"
HOLD_VERIFYING, HOLD_REPORTED = "hold_verifying", "hold_reported"
HOLD_ACCEPTED, HOLD_SUBMITTED = "hold_accepted", "hold_submitted"
NEAR_DEADLINE = "near_deadline"  # dispatched, most of its time used (the yellow light)
FATE_MIX = ((VOIDED, 4.0), (PAUSED, 1.0), (RESUMED, 1.0), (STUCK, 1.5), (REWORK, 6.0),
            (EXTENDED, 2.0), (LATE, 10.0), (CLOSED, 74.5))  # fmt: skip
HOLD_MIX = ((HOLD_REPORTED, 1.0), (HOLD_ACCEPTED, 1.0), (HOLD_SUBMITTED, 2.0))


@dataclass
class Plan:
    """One planned problem: where, when, what, who found it, and how its life ends."""

    index: int
    reported_at: datetime
    source: str
    category: ProblemCategory
    lng: float
    lat: float
    grid_id: int
    address: str
    description: str
    fate: str
    site_id: int | None = None
    reporter: str | None = None  # actor key, None for the public
    reporter_name: str = ""
    reporter_phone: str = ""
    points_lost: Decimal = Decimal("0")
    duplicate_of: int | None = None
    recurrence_of: int | None = None
    key: str = ""  # seeds the random choices of its life, so a life replays identically


@dataclass(frozen=True)
class Step:
    """One thing done to a problem at ``at`` by the actor ``by`` (a demo login's key)."""

    at: datetime
    action: str
    by: str | None
    note: str = ""
    due_at: datetime | None = None  # the requested deadline of an extension


# What a player sends back after a step that sets a deadline: (due_at, warn_at, unit).
Clock = tuple[datetime | None, datetime | None, str] | None
Life = Generator[Step, Clock, None]


@dataclass
class World:
    """What the plan draws on: grids, sites, categories and the demo logins."""

    cal: workcal.WorkCalendar
    users: dict[str, User]
    grids: list[tuple[int, int, str, tuple[float, float, float, float]]]  # pk, unit, path, bbox
    grid_weights: list[float]
    unit_paths: dict[int, str]
    unit_names: dict[int, str]
    districts: dict[int, tuple[str, str]]  # unit pk → (code, name)
    workers: dict[int, str]  # grid pk → a grid worker's name
    sites: dict[str, list[tuple[int, str, str, float, float, int]]]  # type → rows
    categories: list[ProblemCategory]
    category_weights: list[float]
    street_path: str
    district_path: str
    department_id: int | None

    def handler(self, plan: Plan) -> str:
        path = self.unit_paths[self.grid_unit(plan.grid_id)]
        if path.startswith(self.street_path) and "handler_street" in self.users:
            return "handler_street"
        if path.startswith(self.district_path) and "handler_szq" in self.users:
            return "handler_szq"
        if department_of(plan.category) == self.department_id and "handler_cg" in self.users:
            return "handler_cg"
        return "admin"

    def grid_unit(self, grid_id: int) -> int:
        return self._grid_units[grid_id]

    def in_street(self, plan: Plan) -> bool:
        return self.unit_paths[self.grid_unit(plan.grid_id)].startswith(self.street_path)

    def __post_init__(self) -> None:
        self._grid_units = {pk: unit for pk, unit, _path, _bbox in self.grids}
        self._handling: dict[tuple[int, str], tuple[int, str]] = {}

    def handling_time(self, category: ProblemCategory, severity: str) -> tuple[int, str]:
        """``deadlines.handling_time``, asked once per category and severity."""
        key = (category.pk, severity)
        if key not in self._handling:
            amount, unit = deadlines.handling_time(category, severity)
            self._handling[key] = (amount or 1, unit)
        return self._handling[key]

    def warn_time(self, start: datetime, due: datetime, unit: str) -> datetime:
        """``deadlines.warn_time`` on the calendar loaded once (it reloads it per call)."""
        if unit in (DeadlineUnit.HOURS, DeadlineUnit.DAYS):
            return start + (due - start) * deadlines.WARN_SHARE
        allowed = workcal.working_seconds_between(self.cal, start, due)
        return workcal.add_working_seconds(self.cal, start, allowed * deadlines.WARN_SHARE)


_LOGINS = ("admin", "office", "inspector", "grid", "supervisor", "leader", "handler_szq",
           "handler_street", "handler_cg")  # fmt: skip


def department_of(category: ProblemCategory) -> int | None:
    """The department ``services.route`` picks for a category."""
    if category.default_department_id:
        return category.default_department_id
    line = category.default_work_line
    return line.lead_department_id if line else None


def load_world() -> World | None:
    categories_by_name = {
        c.name: c
        for c in ProblemCategory.objects.filter(is_active=True, children__isnull=True)
        .exclude(deadline_amount=None)
        .select_related("default_work_line")
    }
    mix = [(categories_by_name[n], w) for n, w in CATEGORY_MIX if n in categories_by_name]
    users = {u.username: u for u in User.objects.filter(username__in=_LOGINS)}
    if not mix or "admin" not in users or "office" not in users:
        return None
    unit_rows = list(OrgUnit.objects.values_list("pk", "path", "name"))
    units = {pk: path for pk, path, _name in unit_rows}
    district_rows = OrgUnit.objects.filter(depth=1).values_list("pk", "code", "name")
    codes = dict(OrgUnit.objects.filter(code__in=[HANDLER_STREET, HANDLER_DISTRICT,
                                                  HANDLER_DEPARTMENT]).values_list("code", "pk"))  # fmt: skip
    grids = [
        (pk, unit, units[unit], (x0, y0, x1, y1))
        for pk, unit, x0, y0, x1, y1 in Grid.objects.filter(level=3)
        .order_by("code")
        .values_list(
            "pk", "unit_id", "bbox_min_lng", "bbox_min_lat", "bbox_max_lng", "bbox_max_lat"
        )
    ]
    if not grids:
        return None
    street = units.get(codes.get(HANDLER_STREET, -1), "/none/")
    district = units.get(codes.get(HANDLER_DISTRICT, -1), "/none/")
    weights = [4.0 if p.startswith(street) else 2.0 if p.startswith(district) else 1.0
               for _pk, _unit, p, _bbox in grids]  # fmt: skip
    workers: dict[int, str] = {}
    for grid_id, name in Grid.workers.through.objects.order_by("pk").values_list(
        "grid_id", "person__name"
    ):
        workers.setdefault(grid_id, name)
    sites: dict[str, list[tuple[int, str, str, float, float, int]]] = {}
    for row in (
        Site.objects.filter(grid__level=3)
        .order_by("pk")
        .values_list("site_type__code", "pk", "name", "address", "lng", "lat", "grid_id")
    ):
        sites.setdefault(row[0], []).append(row[1:])
    return World(
        cal=deadlines.calendar(),
        users=users,
        grids=grids,
        grid_weights=weights,
        unit_paths=units,
        unit_names={pk: name for pk, _path, name in unit_rows},
        districts={pk: (code, name) for pk, code, name in district_rows},
        workers=workers,
        sites=sites,
        categories=[c for c, _w in mix],
        category_weights=[float(w) for _c, w in mix],
        street_path=street,
        district_path=district,
        department_id=codes.get(HANDLER_DEPARTMENT),
    )


# Planning -------------------------------------------------------------------------------


def _pick(rng: random.Random, mix: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _w in mix], [w for _k, w in mix])[0]


def _jitter(rng: random.Random, lng: float, lat: float, metres: float) -> tuple[float, float]:
    return (
        lng + rng.uniform(-metres, metres) / 92_000,
        lat + rng.uniform(-metres, metres) / 111_000,
    )


def _spot(
    world: World, index: geo.GridIndex, rng: random.Random, category: ProblemCategory
) -> tuple[Any, ...] | None:
    """(lng, lat, grid, address, place, site) for a problem of ``category``."""
    types = SITE_CATEGORIES.get(category.name) or (STREET_SITE_TYPES if rng.random() < 0.4 else ())
    candidates = [row for t in types for row in world.sites.get(t, [])]
    if candidates:
        site_id, name, address, lng, lat, grid_id = rng.choice(candidates)
        lng, lat = _jitter(rng, lng, lat, 8)
        return lng, lat, grid_id, address, name, site_id
    grid_id, _unit, path, (x0, y0, x1, y1) = rng.choices(world.grids, world.grid_weights)[0]
    for _attempt in range(12):
        lng, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if index.locate(lng, lat) == grid_id:
            district = next((world.districts[int(p)] for p in path.strip("/").split("/")
                             if int(p) in world.districts), ("370402", ""))  # fmt: skip
            road = rng.choice(names.ROADS.get(district[0], names.ROADS["370402"]))
            place = f"{road}{rng.randint(1, 299)}号"
            return (
                lng,
                lat,
                grid_id,
                f"{district[1]}{place}附近",
                f"{road}{place[len(road) :]}",
                None,
            )
    return None


def _reporter(world: World, rng: random.Random, source: str, grid_id: int) -> tuple[Any, ...]:
    """(actor key, reporter name, phone, points lost) for a source."""
    if source == Src.GRID_PATROL:
        path = world.unit_paths[world.grid_unit(grid_id)]
        if path.startswith(world.street_path) and "grid" in world.users:
            return "grid", "", "", Decimal("0")
        return "admin", world.workers.get(grid_id, ""), "", Decimal("0")
    if source in (Src.CITIZEN, Src.HOTLINE):
        return None, names.person_name(rng), names.phone_number(rng), Decimal("0")
    if source == Src.MEDIA:
        return "office", rng.choice(MEDIA_OUTLETS), "", Decimal("0")
    points: dict[str, str] = {
        Src.NATIONAL_COVERT: "2.0",
        Src.PROVINCIAL_COVERT: "1.0",
        Src.MOCK_COVERT: "0.5",
    }
    actors: dict[str, str] = {
        Src.SUPERVISOR: "supervisor",
        Src.CITY_SUPERVISION: "inspector",
        Src.MOCK_COVERT: "inspector",
        Src.DEPARTMENT_CHECK: "handler_cg",
        Src.LEADER: "leader",
    }
    key = actors.get(source, "office")
    if key == "leader" and not world.unit_paths[world.grid_unit(grid_id)].startswith(
        world.district_path
    ):
        # The demo leader leads 市中区: another district's 领导交办 comes through the office,
        # so the leader does not see (as its reporter) a problem outside the district.
        key = "office"
    return (key if key in world.users else "office"), "", "", Decimal(points.get(source, "0"))


def _describe(rng: random.Random, category: ProblemCategory, place: str) -> str:
    templates = DESCRIPTIONS.get(category.name, GENERIC_DESCRIPTIONS)
    return rng.choice(templates).format(place=place, n=rng.randint(2, 12), category=category.name)


def _report_times(
    rng: random.Random, day: datetime, count: int, now: datetime
) -> Iterator[tuple[datetime, bool]]:
    """Report times of one day: patrols in working hours, the public from 7 to 22 h."""
    for _ in range(count):
        public = rng.random() < 0.25
        if public:
            minute = rng.randint(7 * 60, 22 * 60)
        else:
            minute = rng.choice(
                (rng.randint(8 * 60 + 40, 11 * 60 + 50), rng.randint(13 * 60 + 40, 17 * 60 + 20))
            )
        at = day + timedelta(minutes=minute, seconds=rng.randint(0, 59))
        if at < now - timedelta(minutes=5):
            yield at, public


def plan_problems(
    world: World, *, seed: int, months: int, per_day: int, now: datetime
) -> list[Plan]:
    """Every problem of the demo ledger, in report order; the same for the same inputs."""
    rng = random.Random(f"{seed}:ledger")
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    plans: list[Plan] = []
    located = grid_index()
    for back in range(months * 30, -1, -1):
        day = today - timedelta(days=back)
        weekend = not world.cal.is_workday(day.date())
        count = round(per_day * (0.55 if weekend else 1.15) * rng.uniform(0.8, 1.2))
        for at, public in _report_times(rng, day, count, now):
            category = rng.choices(world.categories, world.category_weights)[0]
            spot = _spot(world, located, rng, category)
            if spot is None:
                continue
            lng, lat, grid_id, address, place, site_id = spot
            source = _pick(rng, SOURCE_MIX)
            if public != (source in (Src.CITIZEN, Src.HOTLINE)):
                source = rng.choice((Src.CITIZEN, Src.HOTLINE)) if public else Src.GRID_PATROL
            key, name, phone, points = _reporter(world, rng, source, grid_id)
            plans.append(Plan(0, at, source, category, lng, lat, grid_id, address,
                              _describe(rng, category, place), _pick(rng, FATE_MIX),
                              site_id, key, name, phone, points))  # fmt: skip
    _add_duplicates(rng, plans, now)
    plans.sort(key=lambda p: p.reported_at)
    for index, plan in enumerate(plans):
        plan.index = index
        plan.key = f"{seed}:problem:{index}"
    _add_recurrences(rng, plans)
    _hold_recent(rng, plans, now)
    _cover_every_state(world, rng, plans, now)
    _near_deadline(world, plans, now)
    return plans


def _add_duplicates(rng: random.Random, plans: list[Plan], now: datetime) -> None:
    """About 1.5 % of problems are reported again by the public and merged by the office."""
    originals = [p for p in plans if p.fate in (CLOSED, LATE) and rng.random() < 0.015]
    if not originals:  # even a small demo shows a merge
        older = [
            p for p in plans if p.fate in (CLOSED, LATE) and now - p.reported_at > timedelta(days=3)
        ]
        originals = older[-1:]
    for original in originals:
        lng, lat = _jitter(rng, original.lng, original.lat, 12)
        twin = Plan(0, original.reported_at + timedelta(minutes=rng.randint(10, 50)), Src.HOTLINE,
                    original.category, lng, lat, original.grid_id, original.address,
                    original.description, MERGED, original.site_id, None,
                    names.person_name(rng), names.phone_number(rng))  # fmt: skip
        twin.duplicate_of = id(original)
        plans.append(twin)


def _add_recurrences(rng: random.Random, plans: list[Plan]) -> None:
    """Resolve duplicate links to indexes; move ~3 % of problems onto an earlier closed spot."""
    by_id = {id(p): p.index for p in plans}
    for plan in plans:
        if plan.duplicate_of is not None:
            plan.duplicate_of = by_id[plan.duplicate_of]
    originals = {p.duplicate_of for p in plans}
    for plan in plans:
        if plan.fate not in (CLOSED, LATE) or plan.index in originals or rng.random() > 0.03:
            continue
        earlier = [p for p in plans[max(0, plan.index - 400) : plan.index]
                   if p.fate == CLOSED and timedelta(days=6) < plan.reported_at - p.reported_at < timedelta(days=20)]  # fmt: skip
        if earlier:
            first = rng.choice(earlier)
            plan.category, plan.grid_id, plan.site_id = first.category, first.grid_id, first.site_id
            plan.lng, plan.lat = _jitter(rng, first.lng, first.lat, 10)
            plan.address, plan.recurrence_of = first.address, first.index
            plan.description = f"{first.description}（再次出现）"


def _hold_recent(rng: random.Random, plans: list[Plan], now: datetime) -> None:
    """Some of the last two days' problems still wait for confirmation, dispatch or 核查."""
    originals = {p.duplicate_of for p in plans}
    for plan in plans:
        if now - plan.reported_at > timedelta(days=2) or plan.fate not in (CLOSED, LATE):
            continue
        if plan.index in originals:
            continue
        if plan.source in CONFIRMED_SOURCES and rng.random() < 0.3:
            plan.fate = HOLD_VERIFYING
        elif rng.random() < 0.25:
            plan.fate = _pick(rng, HOLD_MIX)


def _reaches(world: World, plan: Plan, now: datetime) -> bool:
    """Whether every step of the plan's life happens by ``now`` (deadlines estimated)."""
    steps = life(world, plan)
    reply: Clock = None
    try:
        while True:
            step = steps.send(reply)
            if step.at > now:
                return False
            reply = None
            if step.action in (A.DISPATCH, A.RESUME, A.APPROVE_EXTENSION):
                amount, unit = world.handling_time(plan.category, plan.category.severity)
                reply = workcal.add_duration(world.cal, step.at, amount, unit), None, unit
    except StopIteration:
        return True


def _cover_every_state(world: World, rng: random.Random, plans: list[Plan], now: datetime) -> None:
    """Even a small demo shows every state: give a missing fate to a suitable problem."""

    def young(p: Plan) -> bool:
        return now - p.reported_at < timedelta(days=3)

    def settled(p: Plan) -> bool:
        return timedelta(days=4) < now - p.reported_at < timedelta(days=SERVICE_DAYS)

    wanted = ((PAUSED, settled), (STUCK, settled), (VOIDED, settled), (HOLD_REPORTED, young),
              (HOLD_ACCEPTED, young), (HOLD_SUBMITTED, young), (HOLD_VERIFYING, young))  # fmt: skip
    taken = {p.recurrence_of for p in plans} | {p.duplicate_of for p in plans}
    for fate, fits in wanted:
        if any(p.fate == fate and _reaches(world, p, now) for p in plans):
            continue
        free = [p for p in plans if fits(p) and p.fate in (CLOSED, LATE) and p.index not in taken
                and p.recurrence_of is None]  # fmt: skip
        rng.shuffle(free)
        for chosen in free:
            before = (chosen.fate, chosen.source, chosen.reporter, chosen.points_lost,
                      chosen.reporter_name, chosen.reporter_phone)  # fmt: skip
            chosen.fate = fate
            if fate == HOLD_VERIFYING:
                chosen.source, chosen.reporter, chosen.points_lost = Src.CITIZEN, None, Decimal("0")
                chosen.reporter_name = names.person_name(rng)
                chosen.reporter_phone = names.phone_number(rng)
            if _reaches(world, chosen, now):
                break
            (chosen.fate, chosen.source, chosen.reporter, chosen.points_lost,
             chosen.reporter_name, chosen.reporter_phone) = before  # fmt: skip


def _near_deadline(world: World, plans: list[Plan], now: datetime) -> None:
    """One problem of the last two weeks waits for its fix with ~90 % of its time used."""
    taken = {p.recurrence_of for p in plans} | {p.duplicate_of for p in plans}
    for plan in reversed(plans):
        amount, unit = world.handling_time(plan.category, plan.category.severity)
        if now - plan.reported_at > timedelta(days=SERVICE_DAYS):
            return
        if (plan.fate not in (CLOSED, LATE) or plan.index in taken or plan.recurrence_of is not None
                or plan.source in CONFIRMED_SOURCES or unit != DeadlineUnit.WORK_DAYS):  # fmt: skip
            continue
        start = _after(world, plan.reported_at, 1.5)
        due = workcal.add_duration(world.cal, start, amount, unit)
        allowed = workcal.working_seconds_between(world.cal, start, due)
        if (
            due > now
            and 0.85 < workcal.working_seconds_between(world.cal, start, now) / allowed < 0.95
        ):
            plan.fate = NEAR_DEADLINE
            return


# A problem's life ---------------------------------------------------------------------


def _after(world: World, at: datetime, hours: float) -> datetime:
    """``hours`` of working time after ``at`` (people act in office hours)."""
    return workcal.add_working_seconds(world.cal, at, hours * 3600)


def _within(world: World, start: datetime, due: datetime, unit: str, share: float) -> datetime:
    """The moment ``share`` of the allowed time from ``start`` to ``due`` is used."""
    if unit in (DeadlineUnit.HOURS, DeadlineUnit.DAYS):
        return start + (due - start) * share
    allowed = workcal.working_seconds_between(world.cal, start, due)
    return workcal.add_working_seconds(world.cal, start, allowed * share)


def _deadline(reply: Clock, due: datetime, unit: str) -> tuple[datetime, str]:
    """The deadline a player sent back, or the one before."""
    if reply is None or reply[0] is None:
        return due, unit
    return reply[0], reply[2]


def life(world: World, plan: Plan) -> Life:
    """The timed steps of one problem. After a step that sets a deadline (dispatch,
    approved extension, resume) the player sends back ``(due_at, warn_at, unit)``."""
    r = random.Random(plan.key)
    t = plan.reported_at
    yield Step(t, A.REPORT, plan.reporter)
    if plan.fate == MERGED:
        yield Step(
            _after(world, t, r.uniform(0.3, 1.5)), A.MERGE, "office", "重复上报，已合并到原工单"
        )
        return
    local = "grid" if world.in_street(plan) and "grid" in world.users else "office"
    if plan.source in CONFIRMED_SOURCES:
        if plan.fate == HOLD_VERIFYING:
            return
        t = _after(world, t, r.uniform(0.3, 3))
        yield Step(t, A.CONFIRM_REPORT, local, "现场核实情况属实")
    if plan.fate == HOLD_REPORTED:
        return
    if plan.fate == VOIDED:
        yield Step(_after(world, t, r.uniform(0.3, 4)), A.VOID, "office", r.choice(VOID_REASONS))
        return
    if plan.fate == HOLD_ACCEPTED or r.random() < 0.65:
        t = _after(world, t, r.uniform(0.2, 2.5))
        yield Step(t, A.ACCEPT, "office")
        if plan.fate == HOLD_ACCEPTED:
            return
    t = _after(world, t, r.uniform(0.1, 1.5))
    reply = yield Step(t, A.DISPATCH, "office")
    if plan.fate in (STUCK, NEAR_DEADLINE) or reply is None or reply[0] is None:
        return
    due, unit = reply[0], reply[2]
    start, handler = t, world.handler(plan)
    verifier = r.choices(
        ["inspector", "office", local if local == "grid" else "inspector"], [55, 25, 20]
    )[0]
    if plan.fate in (PAUSED, RESUMED):
        t = _after(world, start, r.uniform(0.5, 6))
        yield Step(t, A.REQUEST_PAUSE, handler, r.choice(PAUSE_REASONS))
        t = _after(world, t, r.uniform(0.5, 6))
        yield Step(t, A.APPROVE_PAUSE, "office")
        if plan.fate == PAUSED:
            return
        t = _after(world, t, r.uniform(6, 30))
        reply = yield Step(t, A.RESUME, "office", "协调完毕，恢复办理")
        due, unit = _deadline(reply, due, unit)
        start = t
    if plan.fate == EXTENDED:
        t = _within(world, start, due, unit, r.uniform(0.3, 0.6))
        wanted = workcal.add_duration(world.cal, due, r.randint(2, 5), DeadlineUnit.WORK_DAYS)
        yield Step(t, A.REQUEST_EXTENSION, handler, r.choice(EXTENSION_REASONS), due_at=wanted)
        t = _after(world, t, r.uniform(0.5, 4))
        reply = yield Step(t, A.APPROVE_EXTENSION, "office", "同意延期")
        due, unit = _deadline(reply, due, unit)
        start = t
    note = r.choice(SUBMIT_NOTES)
    if plan.fate == REWORK:
        t = _within(world, start, due, unit, r.uniform(0.1, 0.4))
        yield Step(t, A.SUBMIT, handler, note)
        t = _after(world, t, r.uniform(0.5, 4))
        yield Step(t, A.VERIFY_FAIL, verifier, r.choice(FAIL_REASONS))
        t = _after(world, t, r.uniform(0.5, 6))
    elif plan.fate == LATE:
        t = _after(world, max(due, t), r.uniform(0.3, 14))
    else:
        t = _within(world, start, due, unit, r.uniform(0.15, 0.92))
    yield Step(t, A.SUBMIT, handler, note)
    if plan.fate != HOLD_SUBMITTED:
        yield Step(_after(world, t, r.uniform(0.5, 10)), A.VERIFY_PASS, verifier)
