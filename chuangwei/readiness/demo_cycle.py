"""The demo's evaluation cycle: a 复审 in progress, 省级评估 done with its problem list half
rectified, and one 回头看 round (issue #14, item 7).

Everything goes through the services, at moments relative to today, so the countdown on the
dashboard always has a 国家暗访 ahead. Deterministic: the same city gives the same cycle.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangwei.accounts.choices import Role
from chuangwei.accounts.models import User
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.places.models import Site
from chuangwei.problems import services as problem_services
from chuangwei.problems.choices import PhotoKind
from chuangwei.problems.services import Upload
from chuangwei.standards.models import ProblemCategory, StandardClause, StandardVersion

from .choices import StageKind
from .services import cycles

ITEMS = 20
WITHOUT_POINT = {2, 5, 8, 11, 14, 17, 19, 20}  # items about a unit, a site or an article
RECTIFIED = 10  # items 1–10 are closed; 11–20 still open
DESCRIPTIONS = (
    "背街小巷垃圾清运不及时，存在暴露垃圾",
    "门前三包责任制落实不到位，责任牌缺失",
    "农贸市场活禽宰杀区未实行隔离",
    "公厕保洁不到位，地面有积水异味",
    "建筑工地出入口未设置冲洗设施",
    "小餐饮店未落实三防设施",
    "居民小区楼道乱堆乱放",
    "健康教育宣传栏内容未及时更新",
    "病媒生物防制台账记录不全",
    "道路两侧乱张贴小广告",
)
# (stage kind, days from today); the rest of the template follows the 国家暗访.
STAGE_DAYS = {
    StageKind.APPLY: -300,
    StageKind.SELF_CHECK: -120,
    StageKind.PROVINCIAL: -60,
    StageKind.COVERT: 45,
    StageKind.RECTIFY: 100,
    StageKind.TECHNICAL: 160,
    StageKind.REVIEW: 220,
    StageKind.NAMING: 260,
    StageKind.REEXAM: 300,
}


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _photo(index: int, moment: datetime, lng: float | None, lat: float | None) -> Upload:
    from chuangwei.problems.tests.images import scene_jpeg

    label = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    data = scene_jpeg(index * 7919 + 23, "after", label, width=640, height=480)
    return Upload(
        SimpleUploadedFile("after.jpg", data, content_type="image/jpeg"), PhotoKind.AFTER, lng, lat
    )


def build_demo_cycle(*, today: date | None = None) -> str:
    """Build the cycle; returns what was made (or why nothing was). Needs the demo logins
    ``office``, ``handler_szq`` and ``inspector``, a standard version and the ledger's
    categories."""
    today = today or timezone.localdate()
    office = User.objects.filter(username="office").first()
    handler = User.objects.filter(username="handler_szq").first()
    inspector = User.objects.filter(username="inspector").first()
    version = StandardVersion.objects.order_by("-year", "-id").first()
    categories = list(ProblemCategory.objects.filter(is_active=True).order_by("code")[:10])
    membership = (
        handler.memberships.filter(role=Role.HANDLER).select_related("unit").first()
        if handler is not None
        else None
    )
    district = membership.unit if membership is not None else None
    if None in (office, handler, inspector, version, district) or not categories:
        return "no evaluation cycle (the demo logins, a standard or categories are missing)"
    assert district is not None and version is not None
    streets = list(
        OrgUnit.objects.filter(
            path__startswith=district.path, kind=OrgUnitKind.STREET, is_active=True
        ).order_by("path")
    )
    sites = list(
        Site.objects.filter(
            unit__path__startswith=district.path, grid__isnull=False, outside_grid=False
        )
        .select_related("unit")
        .order_by("code")[:ITEMS]
    )
    articles = list(
        StandardClause.objects.filter(version=version, level="article").order_by("path")[:ITEMS]
    )
    if not streets or not sites:
        return "no evaluation cycle (no street or site in the handler's district)"
    stages = [
        {"kind": str(kind), "due_on": today + timedelta(days=days), "sort_order": order}
        for order, (kind, days) in enumerate(STAGE_DAYS.items())
    ]
    start = today.year - 1
    cycle = cycles.create_cycle(
        kind="review",
        name=f"{start}—{start + 2}年国家卫生城市复审",
        start_year=start,
        end_year=start + 2,
        standard_version=version,
        is_current=True,
        note="演示数据：省级评估已完成，问题清单整改过半，国家暗访在即。",
        stages=stages,
        by=office,
        now=_at(today - timedelta(days=320), 9),
    )
    by_kind = {stage.kind: stage for stage in cycle.stages.all()}
    for kind in (StageKind.APPLY, StageKind.SELF_CHECK, StageKind.PROVINCIAL):
        stage = by_kind[kind]
        done_at = _at(stage.due_on, 17)
        cycles.start_stage(stage, by=office, now=done_at - timedelta(days=10))
        cycles.complete_stage(stage, by=office, now=done_at)
    provincial = by_kind[StageKind.PROVINCIAL]
    reported = _at(provincial.due_on + timedelta(days=1), 10)
    items = []
    for n in range(1, ITEMS + 1):
        site = sites[(n - 1) % len(sites)]
        no_point = n in WITHOUT_POINT
        item = cycles.StageItem(
            item_no=str(n),
            description=DESCRIPTIONS[(n - 1) % len(DESCRIPTIONS)],
            category=categories[(n - 1) % len(categories)],
            unit=site.unit if not no_point else streets[(n - 1) % len(streets)],
            site=site if n % 4 == 1 else None,
            clause=articles[(n - 1) % len(articles)] if articles and n % 3 == 0 else None,
            address="" if no_point else site.address,
            lng=None if no_point else site.lng,
            lat=None if no_point else site.lat,
        )
        items.append(cycles.report_stage_item(provincial, item, by=office, now=reported))
    for n, link in enumerate(items[:RECTIFIED], start=1):
        problem = link.problem
        submitted = reported + timedelta(days=3, hours=n)
        problem_services.submit_rectification(
            problem, by=handler, note="已按省级评估反馈完成整改", now=submitted,
            uploads=[_photo(n, submitted, problem.lng, problem.lat)],
        )  # fmt: skip
        problem.refresh_from_db()
        problem_services.verify_pass(problem, by=office, now=submitted + timedelta(days=1))
    held = today - timedelta(days=7)
    round = cycles.create_recheck_round(
        provincial,
        by=office,
        held_on=held,
        name="省级评估反馈问题第一轮回头看",
        summary="逐条复核省级评估反馈问题，反弹问题已重新交办。",
        now=_at(held, 9),
    )
    outcomes = ["fixed"] * 8 + ["regressed"] * 2 + ["open"] * 4  # items 15–20 not yet checked
    for n, (link, outcome) in enumerate(zip(items, outcomes, strict=False), start=1):
        cycles.record_recheck_result(
            round,
            link,
            outcome=outcome,
            note="现场复核已整改" if outcome == "fixed" else "现场仍存在问题",
            by=inspector,
            now=_at(held, 9) + timedelta(minutes=10 * n),
        )
    return (
        f"evaluation cycle with {len(stages)} stages, {len(items)} problems of the provincial "
        f"list ({len(WITHOUT_POINT)} without coordinates, {RECTIFIED} rectified), one recheck"
    )
