"""Demo inspections (issue 4, item 8): months of monthly mock covert inspections drawn the
way the national team does, scored through the services (every deduction a routed problem
in the ledger), plus two weeks of grid-worker patrol check-ins with uneven diligence.

Deterministic for a seed and ``now``. Needs the demo city and the problem categories.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone

from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import User
from chuangwei.accounts.services import grant_membership
from chuangwei.inspections import services
from chuangwei.inspections.management.commands.load_score_sheets import load_score_sheets
from chuangwei.inspections.models import PatrolCheckin, SiteResult
from chuangwei.lib.geo import geometry_centroid
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit, Person
from chuangwei.places.models import Grid
from chuangwei.problems.models import ProblemEvent

MONTHS = 5
# Sites drawn per district each month, by site type (a local mock-inspection plan).
QUOTAS = {"market": 1, "public_toilet": 1, "small_eatery": 2, "back_lane": 1}
PATROL_DAYS = 14
PATROL_WORKERS = 16


@dataclass
class DemoInspections:
    tasks: int = 0
    results: int = 0
    deductions: int = 0
    checkins: int = 0


def build_demo_inspections(
    *, seed: int, now: datetime | None = None, password: str = ""
) -> DemoInspections:
    """Sheets, monthly mock covert inspections and patrol check-ins for the demo city."""
    now = now or timezone.now()
    out = DemoInspections()
    load_score_sheets()
    office = User.objects.filter(username="office").first()
    inspector = User.objects.filter(username="inspector").first()
    if office is None or inspector is None:
        return out
    first_event = (
        ProblemEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    rng = random.Random(f"{seed}:inspections")
    districts = list(OrgUnit.objects.filter(kind__in=[OrgUnitKind.DISTRICT, OrgUnitKind.ZONE]))
    # Some streets are persistently weaker: they lose more points every month.
    weak = {u.pk for u in OrgUnit.objects.filter(kind=OrgUnitKind.STREET) if rng.random() < 0.3}
    for back in range(MONTHS, 0, -1):
        when = now - timedelta(days=30 * back - 3)
        quotas = {(t, d.pk): n for t, n in QUOTAS.items() for d in districts}
        draw = services.draw_sample(
            name=f"{timezone.localtime(when):%Y年%m月}模拟暗访抽样",
            quotas=quotas,
            seed=seed * 100 + back,
            exclude_days=20,
            by=office,
            now=when,
        )
        from chuangwei.places.models import Site

        sites = list(Site.objects.filter(pk__in=draw.site_ids).select_related("unit"))
        task = services.create_task(
            name=f"{timezone.localtime(when):%Y年%m月}模拟暗访",
            kind="mock_covert",
            planned_date=timezone.localtime(when).date(),
            sites=sites,
            team=[inspector],
            draw=draw,
            by=office,
            now=when,
        )
        out.tasks += 1
        improvement = (MONTHS - back) * 0.04  # the city gets better month by month
        last = back == 1
        for n, result in enumerate(task.results.select_related("sheet", "site__unit")):
            at = when + timedelta(minutes=25 * n)
            if last and n % 3 == 2:
                continue  # the current month is still being scored
            out.deductions += _score(result, rng, at, inspector, improvement, weak)
            if not (last and n % 3 == 1):
                services.finish_result(result, by=inspector, now=at)
            out.results += 1
        if not last:
            services.submit_task(task, by=inspector, now=when + timedelta(days=1))
            services.review_task(task, by=office, now=when + timedelta(days=2))
    # History is not news: the notices of these events count as sent.
    ProblemEvent.objects.filter(pk__gte=first_event, processed_at__isnull=True).update(
        processed_at=F("created_at")
    )
    out.checkins = _patrols(rng, now, password)
    return out


def _score(
    result: SiteResult, rng: random.Random, at: datetime, by: Any, better: float, weak: set[int]
) -> int:
    items = services.scored_items(result.sheet)
    street_weak = any(f"/{u}/" in result.site.unit.path for u in weak)
    fail = max(0.05, (0.32 if street_weak else 0.16) - better)
    made = 0
    for item in items:
        if item.mode == "band":
            bands = sorted(item.bands, key=lambda b: Decimal(b["high"]), reverse=True)
            pick = bands[0] if rng.random() > fail * 2 else bands[min(1, len(bands) - 1)]
            services.record_band(result, item, band=pick["label"], by=by, now=at)
            continue
        if item.category_id is None or rng.random() > fail:
            continue
        step = item.deduction_step or Decimal("1")
        findings = 1 + (rng.random() < fail)
        for k in range(int(min(findings, item.points // step))):
            services.add_deduction(
                result,
                item,
                points=step,
                note=_NOTES[rng.randrange(len(_NOTES))],
                by=by,
                now=at + timedelta(minutes=k),
            )
            made += 1
    return made


_NOTES = ("现场发现问题", "多处不达标", "整改不到位", "反复出现", "管理不规范")


def _patrols(rng: random.Random, now: datetime, password: str) -> int:
    """Logins for some grid workers and their check-ins over the last two weeks."""
    people = list(
        Person.objects.filter(worker_grids__level=3, user__isnull=True)
        .distinct()
        .order_by("pk")[:PATROL_WORKERS]
    )
    hashed = make_password(password or "Demo-pass-2026")
    rows: list[PatrolCheckin] = []
    today = timezone.localdate(now)
    for n, person in enumerate(people, start=1):
        user = User.objects.create(
            username=f"grid{n:02d}", password=hashed, display_name=person.name, phone=person.phone
        )
        grant_membership(user, unit=person.unit, role=Role.GRID_WORKER)
        Person.objects.filter(pk=person.pk).update(user=user)
        diligence = (0.0, 0.3, 0.6, 0.9, 1.0)[n % 5]
        grids = list(Grid.objects.filter(workers=person, level=3))
        for back in range(PATROL_DAYS):
            day = today - timedelta(days=back)
            for grid in grids:
                if rng.random() >= diligence:
                    continue
                lng, lat = geometry_centroid(grid.geometry)
                local = datetime.combine(day, time(8)) + timedelta(minutes=rng.randrange(12 * 60))
                at = timezone.make_aware(local)
                if at <= now:
                    rows.append(PatrolCheckin(worker=user, grid=grid, lng=lng, lat=lat, at=at))
    PatrolCheckin.objects.bulk_create(rows)
    return len(rows)
