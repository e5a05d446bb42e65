"""Demo briefings and campaign milestones: a countdown on the dashboard, an archive of
published briefings (numbered in publication order) and one draft for the office to edit."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from chuangwei.accounts.models import User
from chuangwei.reports import services
from chuangwei.reports.choices import BriefingKind, MilestoneKind
from chuangwei.reports.models import Milestone
from chuangwei.reports.selectors import Period, month_of, week_of

MILESTONES = (
    ("市级创卫自查评估", 15, MilestoneKind.SELF_CHECK),
    ("国家卫生城市暗访", 45, MilestoneKind.NATIONAL),
    ("背街小巷整治完工节点", 75, MilestoneKind.DEADLINE),
    ("省级复审", 120, MilestoneKind.PROVINCIAL),
)
PROGRESS = (
    "<p>本期全市各级各部门按照创卫工作部署，聚焦农贸市场、背街小巷、城中村等重点区域，"
    "<b>持续开展问题排查整改</b>，各项工作有序推进。</p>"
)
NEXT_STEPS = (
    "<ol><li>紧盯超期未整改问题，逐一督办销号。</li>"
    "<li>对返工、反弹问题较多的单位进行约谈。</li>"
    "<li>做好迎接国家暗访各项准备工作。</li></ol>"
)


def build_demo_briefings(now: datetime | None = None) -> int:
    """Milestones, three published briefings and one draft; returns the briefings made.
    Needs the demo login ``office``; without it makes nothing."""
    office = User.objects.filter(username="office").first()
    if office is None:
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    Milestone.objects.bulk_create(
        Milestone(name=name, date=today + timedelta(days=days), kind=kind)
        for name, days, kind in MILESTONES
    )
    last_month = month_of(today.replace(day=1) - timedelta(days=1))
    month_before = month_of(last_month.start - timedelta(days=1))
    last_week = week_of(today - timedelta(days=7))
    plan: list[tuple[str, Period]] = [
        (BriefingKind.MONTHLY, month_before),
        (BriefingKind.MONTHLY, last_month),
        (BriefingKind.WEEKLY, last_week),
    ]
    made = 0
    for kind, period in plan:
        briefing = _drafted(office, kind, period, now)
        issue_day = min(period.end + timedelta(days=2), today)
        services.update_briefing(briefing, by=office, issue_date=issue_day)
        services.submit_briefing(briefing, by=office)
        services.publish_briefing(briefing, by=office, now=now)
        made += 1
    _drafted(office, BriefingKind.WEEKLY, week_of(today), now)
    return made + 1


def _drafted(office: User, kind: str, period: Period, now: datetime):  # type: ignore[no-untyped-def]
    briefing = services.create_briefing(
        kind=kind, period_start=period.start, period_end=period.end, by=office
    )
    texts = [s for s in briefing.sections.all() if s.kind == "text"]
    for section, body in zip(texts, (PROGRESS, NEXT_STEPS), strict=False):
        services.save_section(
            briefing, by=office, section=section, heading=section.heading, body=body
        )
    services.generate_briefing(briefing.pk, now=now)
    briefing.refresh_from_db()
    return briefing
