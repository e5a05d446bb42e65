"""The demo's public side (issue 7): citizen categories, the citizen reports of the ledger
with their devices and ratings, an exposure board, one satisfaction survey answered across
the districts and one poll with votes. Deterministic for a seed; bulk inserts, so it adds
well under a second.

Ratings are inserted as history; the dissatisfied ones are rated on problems that were
reopened to the office in the ledger's own terms (``reopen_for_review``), with their
events marked as notified so the demo inboxes stay quiet.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.problems.choices import ProblemStatus
from chuangwei.problems.models import Problem, ProblemEvent
from chuangwei.problems.services import reopen_for_review
from chuangwei.public.choices import ExposureStatus, PublicationStatus, Satisfaction, SurveyKind
from chuangwei.public.models import (
    CitizenReport,
    Exposure,
    Poll,
    PollBallot,
    PollOption,
    PublicCategory,
    SatisfactionRating,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from chuangwei.public.selectors import shanghai_day
from chuangwei.public.services import sync_public_categories

RATINGS = 40
SURVEY_RESPONSES = 240
BALLOTS = 160
# Rating mix: 满意 70 %, 基本满意 24 %, 不满意 6 % (the title needs ≥ 90 % satisfied).
LEVELS = (
    [Satisfaction.SATISFIED] * 70 + [Satisfaction.BASICALLY] * 24 + [Satisfaction.DISSATISFIED] * 6
)
SURVEY_QUESTIONS = [
    ("您对本区市容环境卫生状况是否满意？", [("满意", True), ("基本满意", True), ("不满意", False)]),
    ("您对背街小巷、农贸市场的整治效果是否满意？", [("满意", True), ("基本满意", True), ("不满意", False)]),
    ("您对身边问题反映后的处理速度是否满意？", [("满意", True), ("基本满意", True), ("不满意", False)]),
    ("您是否知道本市正在创建国家卫生城市？", [("知道", True), ("不知道", False)]),
]  # fmt: skip
POLL_OPTIONS = [
    "背街小巷卫生死角", "农贸市场脏乱", "占道经营", "乱贴乱画小广告", "公厕脏乱",
    "垃圾桶满溢", "建筑工地扬尘", "餐饮油烟", "露天烧烤", "楼道乱堆杂物",
    "城中村环境", "病媒生物（老鼠蟑螂）", "河道水面漂浮物", "车辆乱停", "绿地黄土裸露",
]  # fmt: skip
EXPOSURE_TITLES = [
    "背街小巷垃圾长期堆放", "农贸市场周边占道经营", "小区楼道杂物堆积", "公厕保洁不到位",
    "人行道乱贴小广告", "垃圾桶满溢未及时清运", "夜市露天烧烤油烟扰民", "道路路面脏污",
]  # fmt: skip


SUMMARIES = [
    "群众多次反映，已责成属地街道限期整改，整改情况见下方照片。",
    "暗访发现问题，责任单位已按期完成整改。",
    "问题已转相关部门处理，持续跟踪整改进度。",
]


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def build_demo_public(*, seed: int, now: datetime | None = None) -> dict[str, int]:
    """Add the public side to a demo ledger; returns counts of what was made."""
    now = now or timezone.now()
    rng = random.Random(seed * 7 + 11)
    made: dict[str, int] = {"categories": sync_public_categories()}
    PublicCategory.objects.filter(name__in=["垃圾桶满溢", "道路脏污"]).update(
        needs_verification=False
    )
    citizen = list(Problem.objects.filter(source="citizen").order_by("reported_at", "id"))
    CitizenReport.objects.bulk_create(
        CitizenReport(
            problem=p,
            device_id=f"{rng.getrandbits(128):032x}",
            phone=_phone(rng) if rng.random() < 0.6 else "",
            created_at=p.reported_at,
            day=shanghai_day(p.reported_at),
        )
        for p in citizen
    )
    made["citizen_reports"] = len(citizen)
    made["ratings"] = _ratings(rng, [p for p in citizen if p.status == ProblemStatus.CLOSED], now)
    made["exposures"] = _exposures(rng, now)
    made["survey_responses"] = _survey(rng, now)
    made["ballots"] = _poll(rng, now)
    return made


def _ratings(rng: random.Random, closed: list[Problem], now: datetime) -> int:
    chosen = closed[-RATINGS:]
    rows, unhappy = [], []
    for problem in chosen:
        level = rng.choice(LEVELS)
        at = (problem.closed_at or problem.reported_at) + timedelta(hours=rng.randint(2, 40))
        at = min(at, now)
        comment = "处理很及时，谢谢！" if level == Satisfaction.SATISFIED else ""
        if level == Satisfaction.DISSATISFIED:
            comment = "垃圾清走了，但第二天又堆上了。"
            unhappy.append((problem, at))
        rows.append(
            SatisfactionRating(
                problem=problem,
                closed_at=problem.closed_at,
                level=level,
                comment=comment,
                created_at=at,
            )
        )
    SatisfactionRating.objects.bulk_create(rows)
    for problem, at in unhappy:
        event = reopen_for_review(
            problem, note="市民不满意：垃圾清走了，但第二天又堆上了。", now=at
        )
        ProblemEvent.objects.filter(pk=event.pk).update(processed_at=at)
    return len(rows)


def _exposures(rng: random.Random, now: datetime) -> int:
    candidates = list(
        Problem.objects.filter(
            status__in=[ProblemStatus.CLOSED, ProblemStatus.DISPATCHED], photos__kind="before"
        )
        .annotate(n=Count("photos"))
        .order_by("-reported_at", "id")[:60]
    )
    rng.shuffle(candidates)
    rows = []
    for index, problem in enumerate(candidates[: len(EXPOSURE_TITLES)]):
        approved = index < 6
        at = now - timedelta(days=index + 1)
        rows.append(
            Exposure(
                problem=problem,
                title=EXPOSURE_TITLES[index],
                summary=SUMMARIES[index % len(SUMMARIES)],
                status=ExposureStatus.APPROVED if approved else ExposureStatus.PENDING,
                moderated_at=at if approved else None,
                published_at=at if approved else None,
                created_at=at - timedelta(hours=3),
            )
        )
    Exposure.objects.bulk_create(rows)
    return len(rows)


def _survey(rng: random.Random, now: datetime) -> int:
    districts = list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).order_by("code"))
    if not districts:
        return 0
    survey = Survey.objects.create(
        title="2026年创卫群众满意度调查",
        kind=SurveyKind.SATISFACTION,
        description="请根据您的真实感受作答，每台设备限答一次。",
        status=PublicationStatus.OPEN,
    )
    questions = SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            survey=survey,
            text=text,
            sort_order=i,
            choices=[{"label": label, "positive": pos} for label, pos in choices],
        )
        for i, (text, choices) in enumerate(SURVEY_QUESTIONS)
    )
    # Each district has its own mood, so the results by district differ.
    mood = {d.pk: 0.80 + 0.15 * rng.random() for d in districts}
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            district=rng.choice(districts),
            device_id=f"{rng.getrandbits(128):032x}",
            submitted_at=now - timedelta(days=rng.randint(0, 59), minutes=rng.randint(0, 1439)),
        )
        for _ in range(SURVEY_RESPONSES)
    )
    answers = []
    for response in responses:
        happy = mood[response.district_id]
        for question in questions:
            n = len(question.choices)
            if rng.random() < happy:
                choice = rng.choice([i for i, c in enumerate(question.choices) if c["positive"]])
            else:
                choice = [i for i in range(n) if not question.choices[i]["positive"]][0]
            answers.append(
                SurveyAnswer(
                    response=response,
                    question=question,
                    choice=choice,
                    positive=question.choices[choice]["positive"],
                )
            )
    SurveyAnswer.objects.bulk_create(answers)
    return len(responses)


def _poll(rng: random.Random, now: datetime) -> int:
    poll = Poll.objects.create(
        title="请选出您心中的创卫“十大难点问题”",
        description="最多可选10项，每台设备、每个手机号限投一次。",
        max_choices=10,
        status=PublicationStatus.OPEN,
    )
    options = PollOption.objects.bulk_create(
        PollOption(poll=poll, label=label, sort_order=i) for i, label in enumerate(POLL_OPTIONS)
    )
    weights = [len(POLL_OPTIONS) - i + rng.randint(0, 6) for i in range(len(options))]
    ballots = PollBallot.objects.bulk_create(
        PollBallot(
            poll=poll,
            device_id=f"{rng.getrandbits(128):032x}",
            created_at=now - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 1439)),
        )
        for _ in range(BALLOTS)
    )
    through: list[Any] = []
    for ballot in ballots:
        picked: set[int] = set()
        for _ in range(rng.randint(3, 10)):
            picked.add(rng.choices(range(len(options)), weights=weights)[0])
        through.extend(
            PollBallot.options.through(pollballot_id=ballot.pk, polloption_id=options[i].pk)
            for i in sorted(picked)
        )
    PollBallot.options.through.objects.bulk_create(through)
    return len(ballots)
